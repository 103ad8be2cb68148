package contact

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"plein/internal/i18n"
	"plein/internal/jobs"
	"plein/internal/mail"
	"plein/internal/store"
)

// AckArgs is the durable job that mails a citizen that their question
// arrived. It carries only the question's id.
type AckArgs struct {
	QuestionID string `json:"question_id"`
}

// Kind implements river.JobArgs.
func (AckArgs) Kind() string { return "contact_ack" }

// InsertOpts puts acknowledgements on the mail queue.
func (AckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10}
}

// AckWorker sends AckArgs jobs.
type AckWorker struct {
	river.WorkerDefaults[AckArgs]
	svc *Service
}

// NewAckWorker returns the worker for AckArgs jobs.
func NewAckWorker(svc *Service) *AckWorker { return &AckWorker{svc: svc} }

// Work sends the acknowledgement of the question, unless it is gone.
func (w *AckWorker) Work(ctx context.Context, job *river.Job[AckArgs]) error {
	return w.svc.sendAck(ctx, job.Args.QuestionID)
}

func (s *Service) sendAck(ctx context.Context, id string) error {
	if !s.Mails() {
		return nil
	}
	q, err := s.st.QuestionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("contact: acknowledgement: %w", err)
	}
	o, err := s.st.OrgByID(ctx, q.OrgID)
	if err != nil {
		return fmt.Errorf("contact: acknowledgement: %w", err)
	}
	when := i18n.DateTime(q.Lang, q.ReceivedAt.In(o.Location()))
	// Nothing the citizen typed but the address: not the name, not the
	// question, so the form cannot send a stranger a message.
	m := &mail.Message{
		ID:       "question." + q.ID + "@" + s.host,
		FromName: o.DisplayName,
		To:       q.ReplyTo,
		Subject:  i18n.T(q.Lang, "contact.mail.subject", o.DisplayName, q.Reference),
		Lang:     q.Lang,
		Text: i18n.T(q.Lang, "contact.mail.body", o.DisplayName, when, q.Reference) + "\n\n" +
			i18n.T(q.Lang, "contact.mail.ignore") + "\n\n-- \n" + o.DisplayName + "\n" + s.baseURL + "/@" + o.Handle + "\n",
	}
	if err := s.sender.Send(ctx, m); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			s.logger.Warn("contact: acknowledgement refused by the relay", "question", q.ID)
			return nil
		}
		// The relay's text may quote the address, which must not reach
		// the job queue's record of the error.
		msg := strings.ReplaceAll(err.Error(), q.ReplyTo, "[address]")
		return fmt.Errorf("contact: send acknowledgement of %s: %s", q.ID, msg)
	}
	return nil
}

// AnswerArgs is the durable job that mails a staff member's answer to the
// question's answer address. It carries only the answer's id.
type AnswerArgs struct {
	AnswerID string `json:"answer_id"`
}

// Kind implements river.JobArgs.
func (AnswerArgs) Kind() string { return "contact_answer" }

// InsertOpts puts answers on the mail queue.
func (AnswerArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 25}
}

// AnswerWorker sends AnswerArgs jobs.
type AnswerWorker struct {
	river.WorkerDefaults[AnswerArgs]
	svc *Service
}

// NewAnswerWorker returns the worker for AnswerArgs jobs.
func NewAnswerWorker(svc *Service) *AnswerWorker { return &AnswerWorker{svc: svc} }

// Work sends the answer once; a retry after the relay accepted it sends
// nothing.
func (w *AnswerWorker) Work(ctx context.Context, job *river.Job[AnswerArgs]) error {
	return w.svc.sendAnswer(ctx, job.Args.AnswerID)
}

func (s *Service) sendAnswer(ctx context.Context, id string) error {
	a, err := s.st.AnswerByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted with its question
	}
	if err != nil {
		return fmt.Errorf("contact: answer: %w", err)
	}
	if !a.SentAt.IsZero() {
		return nil
	}
	q, err := s.st.QuestionByID(ctx, a.QuestionID)
	if err != nil {
		return fmt.Errorf("contact: answer: %w", err)
	}
	o, err := s.st.OrgByID(ctx, q.OrgID)
	if err != nil {
		return fmt.Errorf("contact: answer: %w", err)
	}
	if isFediverse(q.ReplyTo) {
		if s.direct == nil {
			return nil
		}
		if err := s.direct.SendAnswer(ctx, o, q, a); err != nil {
			return fmt.Errorf("contact: direct answer %s: %w", a.ID, err)
		}
		if err := s.st.MarkAnswerSent(ctx, a.ID, s.now().UTC()); err != nil {
			return fmt.Errorf("contact: answer %s sent: %w", a.ID, err)
		}
		return nil
	}
	if !s.Mails() {
		return nil
	}
	m := &mail.Message{
		ID:       "answer." + a.ID + "@" + s.host,
		FromName: o.DisplayName,
		To:       q.ReplyTo,
		Subject:  i18n.T(q.Lang, "contact.answer.subject", o.DisplayName, q.Reference),
		Lang:     q.Lang,
		Text:     a.Text + "\n\n-- \n" + o.DisplayName + "\n" + i18n.T(q.Lang, "contact.answer.reference", q.Reference) + "\n" + s.baseURL + "/@" + o.Handle + "\n",
	}
	if err := s.sender.Send(ctx, m); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			s.logger.Warn("contact: answer refused by the relay", "answer", a.ID)
			return nil
		}
		return fmt.Errorf("contact: send answer %s: %s", a.ID, strings.ReplaceAll(err.Error(), q.ReplyTo, "[address]"))
	}
	if err := s.st.MarkAnswerSent(ctx, a.ID, s.now().UTC()); err != nil {
		return fmt.Errorf("contact: answer %s sent: %w", a.ID, err)
	}
	return nil
}
