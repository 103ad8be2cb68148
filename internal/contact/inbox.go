package contact

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// MaxAnswerLength is the longest answer, in characters.
const MaxAnswerLength = 10000

// ErrNotFound means there is no question with that id.
var ErrNotFound = errors.New("contact: no such question")

// Audit actions of the inbox; the detail is the question's reference (and
// for a state change, the new state after a space).
const (
	AuditReveal = "question.reveal"
	AuditState  = "question.state"
	AuditAnswer = "question.answer"
)

// Item is a question as the inbox shows it: its text and name with every
// sensitive number masked, unless revealed.
type Item struct {
	*model.Question
	// Masked: the text or name held sensitive numbers, now hidden.
	Masked  bool
	Answers []*model.Answer
	// Notes are the team's internal notes, oldest first (Question only).
	Notes []*model.QuestionNote
	// Assignee is the account the question is assigned to; nil: nobody.
	Assignee *model.User
}

func masked(q *model.Question) Item {
	it := Item{Question: q}
	c := *q
	for _, f := range []*string{&c.Text, &c.Name} {
		if found := sensitive.Scan(*f, sensitive.Message); len(found) > 0 {
			*f, it.Masked = sensitive.Mask(*f, found), true
		}
	}
	it.Question = &c
	return it
}

// Inbox returns the organisation's questions in the given states (none:
// every state but held), newest first, with sensitive numbers masked.
func (s *Service) Inbox(ctx context.Context, actor auth.Actor, orgID string, states ...model.QuestionState) ([]Item, error) {
	return s.InboxOnTopic(ctx, actor, orgID, "", states...)
}

// InboxOnTopic is Inbox limited to the questions on one topic (empty:
// every topic).
func (s *Service) InboxOnTopic(ctx context.Context, actor auth.Actor, orgID, topic string, states ...model.QuestionState) ([]Item, error) {
	if err := s.requireReader(ctx, actor, orgID); err != nil {
		return nil, err
	}
	if len(states) == 0 {
		states = []model.QuestionState{model.QuestionNew, model.QuestionInProgress, model.QuestionAnswered, model.QuestionClosed}
	}
	qs, err := s.st.ListQuestions(ctx, store.QuestionFilter{OrgID: orgID, States: states, Topic: topic})
	if err != nil {
		return nil, fmt.Errorf("contact: inbox: %w", err)
	}
	items := make([]Item, len(qs))
	users := map[string]*model.User{}
	for i, q := range qs {
		items[i] = masked(q)
		if q.Assignee == "" {
			continue
		}
		u, ok := users[q.Assignee]
		if !ok {
			if u, err = s.st.UserByID(ctx, q.Assignee); err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, fmt.Errorf("contact: inbox: %w", err)
			}
			users[q.Assignee] = u
		}
		items[i].Assignee = u
	}
	return items, nil
}

// Question returns one question of the inbox with its answers. With
// reveal, its sensitive numbers are shown, and the audit log records who
// saw them; otherwise they are masked.
func (s *Service) Question(ctx context.Context, actor auth.Actor, id string, reveal bool) (*Item, error) {
	q, err := s.question(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	answers, err := s.st.Answers(ctx, q.ID)
	if err != nil {
		return nil, fmt.Errorf("contact: answers: %w", err)
	}
	it := masked(q)
	if reveal && it.Masked {
		if err := auth.Audit(ctx, s.st, actor, q.OrgID, AuditReveal, q.ID, q.Reference, s.now().UTC()); err != nil {
			return nil, err
		}
		it = Item{Question: q, Masked: false}
	}
	it.Answers = answers
	if it.Notes, err = s.st.QuestionNotes(ctx, q.ID); err != nil {
		return nil, fmt.Errorf("contact: notes: %w", err)
	}
	if q.Assignee != "" {
		if u, err := s.st.UserByID(ctx, q.Assignee); err == nil {
			it.Assignee = u
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("contact: assignee: %w", err)
		}
	}
	return &it, nil
}

// question loads a question the actor may read.
func (s *Service) question(ctx context.Context, actor auth.Actor, id string) (*model.Question, error) {
	q, err := s.st.QuestionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("contact: question %s: %w", id, err)
	}
	if err := s.requireReader(ctx, actor, q.OrgID); err != nil {
		return nil, err
	}
	return q, nil
}

// ParseState reads a state's name as the command line and forms give it.
func ParseState(name string) (model.QuestionState, bool) {
	st := model.QuestionState(strings.ReplaceAll(strings.TrimSpace(name), "-", "_"))
	return st, slices.Contains(model.QuestionStates, st)
}

// SetState moves a question to another state: a held question let in
// becomes new, one dealt with answered or closed.
func (s *Service) SetState(ctx context.Context, actor auth.Actor, id string, state model.QuestionState) (*model.Question, error) {
	if !slices.Contains(model.QuestionStates, state) {
		return nil, model.Invalid("state", i18n.M(i18n.ErrQuestionState))
	}
	q, err := s.question(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetQuestionState(ctx, q.ID, state, now); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, q.OrgID, AuditState, q.ID, q.Reference+" "+string(state), now)
	})
	if err != nil {
		return nil, fmt.Errorf("contact: state of %s: %w", id, err)
	}
	q.State, q.UpdatedAt = state, now
	return q, nil
}

// Answer stores text as the answer to a question, marks the question
// answered and records it in the audit log. A durable job enqueued with it
// sends the answer: by e-mail to an e-mail address, from the serving
// process whose relay is configured; as a direct message to a Fediverse
// address, through the durable deliveries of federation. Until then the
// answer shows as not sent.
func (s *Service) Answer(ctx context.Context, actor auth.Actor, id, text string) (*model.Answer, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(text) || n == 0:
		return nil, model.Invalid("text", i18n.M(i18n.ErrAnswerEmpty))
	case n > MaxAnswerLength:
		return nil, model.Invalid("text", i18n.M(i18n.ErrAnswerTooLong, n, MaxAnswerLength))
	}
	q, err := s.question(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	action := AuditAnswer
	if isFediverse(q.ReplyTo) {
		if s.direct == nil {
			return nil, model.Invalid("text", i18n.M(i18n.ErrAnswerFediverse))
		}
		action = AuditAnswerDirect
	}
	now := s.now().UTC()
	a := &model.Answer{ID: model.NewID(now), QuestionID: q.ID, Author: actor.Name, Text: text, CreatedAt: now}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AddAnswer(ctx, a); err != nil {
			return err
		}
		if err := tx.SetQuestionState(ctx, q.ID, model.QuestionAnswered, now); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, q.OrgID, action, q.ID, q.Reference, now); err != nil {
			return err
		}
		return tx.EnqueueJob(ctx, AnswerArgs{AnswerID: a.ID}, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("contact: answer %s: %w", id, err)
	}
	return a, nil
}
