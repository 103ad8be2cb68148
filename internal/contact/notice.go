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

// NoticeArgs is the durable job that tells one member of the team, by
// e-mail, that a question arrived. It carries only ids; the mail carries
// the reference and a link to the inbox, never what the citizen typed.
type NoticeArgs struct {
	QuestionID string `json:"question_id"`
	UserID     string `json:"user_id"`
}

// Kind implements river.JobArgs.
func (NoticeArgs) Kind() string { return "contact_team_notice" }

// InsertOpts puts notices on the mail queue.
func (NoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10}
}

// NoticeWorker sends NoticeArgs jobs.
type NoticeWorker struct {
	river.WorkerDefaults[NoticeArgs]
	svc *Service
}

// NewNoticeWorker returns the worker for NoticeArgs jobs.
func NewNoticeWorker(svc *Service) *NoticeWorker { return &NoticeWorker{svc: svc} }

// Work sends the notice, unless the question is gone or the member may no
// longer read the inbox.
func (w *NoticeWorker) Work(ctx context.Context, job *river.Job[NoticeArgs]) error {
	return w.svc.sendNotice(ctx, job.Args)
}

func (s *Service) sendNotice(ctx context.Context, args NoticeArgs) error {
	if !s.Mails() {
		return nil
	}
	q, err := s.st.QuestionByID(ctx, args.QuestionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("contact: team notice: %w", err)
	}
	u, err := s.st.UserByID(ctx, args.UserID)
	if errors.Is(err, store.ErrNotFound) || err == nil && !s.readable(ctx, u, q.OrgID) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("contact: team notice: %w", err)
	}
	o, err := s.st.OrgByID(ctx, q.OrgID)
	if err != nil {
		return fmt.Errorf("contact: team notice: %w", err)
	}
	lang := i18n.Pick(o.Language, "")
	link := s.baseURL + "/staff/orgs/" + o.Handle + "/inbox/" + q.ID
	source := i18n.T(lang, "inbox.notice.form")
	if isFediverse(q.ReplyTo) && q.ActorID != "" {
		source = i18n.T(lang, "inbox.notice.fediverse")
	}
	m := &mail.Message{
		ID:       "notice." + q.ID + "." + u.ID + "@" + s.host,
		FromName: o.DisplayName,
		To:       u.Email,
		Subject:  i18n.T(lang, "inbox.notice.subject", o.DisplayName, q.Reference),
		Lang:     lang,
		Text:     i18n.T(lang, "inbox.notice.body", o.DisplayName, source, q.Reference) + "\n\n" + link + "\n",
	}
	if err := s.sender.Send(ctx, m); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			s.logger.Warn("contact: team notice refused by the relay", "question", q.ID)
			return nil
		}
		return fmt.Errorf("contact: send team notice of %s: %s", q.ID, strings.ReplaceAll(err.Error(), u.Email, "[address]"))
	}
	return nil
}
