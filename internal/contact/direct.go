package contact

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/sensitive"
)

// DirectMessenger sends answers to questions that have a Fediverse
// address as direct messages. Federation implements it.
type DirectMessenger interface {
	// SendAnswer enqueues the delivery of the answer a to the author of
	// the question q of the organisation o, as a direct Note that only
	// they receive.
	SendAnswer(ctx context.Context, o *model.Org, q *model.Question, a *model.Answer) error
}

// ReceiveDirect puts a direct message from the Fediverse into the inbox of
// the organisation q.OrgID as a question. The caller fills OrgID, ActorID,
// NoteID, ReplyTo (@user@server), the text as plain text and its language;
// the text is cut to MaxQuestionLength characters. Sensitive numbers are
// noted (and masked in the inbox) as for the contact form, the limits of
// the form hold it for review, and the team is told as of a form's
// question; nothing is sent to the sender. An empty message is dropped.
func (s *Service) ReceiveDirect(ctx context.Context, q *model.Question) error {
	now := s.now().UTC()
	o, err := s.st.OrgByID(ctx, q.OrgID)
	if err != nil {
		return fmt.Errorf("contact: direct message: %w", err)
	}
	text := strings.TrimSpace(strings.ToValidUTF8(q.Text, ""))
	if text == "" {
		return nil
	}
	if utf8.RuneCountInString(text) > MaxQuestionLength {
		text = string([]rune(text)[:MaxQuestionLength-1]) + "…"
	}
	q.Text, q.Source, q.Topic, q.Name = text, model.QuestionFromFediverse, TopicGeneral, ""
	if len(q.ReplyTo) > MaxAddressLength {
		q.ReplyTo = q.ReplyTo[:MaxAddressLength]
	}
	q.Lang = i18n.Pick(q.Lang, o.Language)
	q.ID, q.State, q.ReceivedAt, q.UpdatedAt = model.NewID(now), model.QuestionNew, now, now
	q.Sensitive = strings.Join(sensitive.Names(sensitive.Kinds(sensitive.Scan(q.Text, sensitive.Message))), ",")
	held, err := s.overLimit(ctx, q, now)
	if err != nil {
		return err
	}
	if held {
		q.State = model.QuestionHeld
	}
	return s.store(ctx, q, false)
}
