package store

import (
	"context"
	"time"

	"plein/internal/model"
)

// Inbox stores the staff's work on citizens' questions beyond the
// questions themselves: assignment, complaints, internal notes, saved
// answers, each organisation's inbox settings and the retention by
// organisation.
type Inbox interface {
	// AssignQuestion sets the account a question is assigned to (""
	// nobody); ErrNotFound when there is no such question.
	AssignQuestion(ctx context.Context, id, userID string, at time.Time) error
	// MarkComplaint sets whether a question is a complaint; ErrNotFound
	// when there is no such question.
	MarkComplaint(ctx context.Context, id string, complaint bool, at time.Time) error
	// AddQuestionNote stores an internal note on a question.
	AddQuestionNote(ctx context.Context, n *model.QuestionNote) error
	// QuestionNotes returns the notes on a question, oldest first.
	QuestionNotes(ctx context.Context, questionID string) ([]*model.QuestionNote, error)
	// AddSavedAnswer stores a saved answer.
	AddSavedAnswer(ctx context.Context, a *model.SavedAnswer) error
	// SavedAnswers returns an organisation's saved answers by title.
	SavedAnswers(ctx context.Context, orgID string) ([]*model.SavedAnswer, error)
	// SavedAnswerByID returns a saved answer; ErrNotFound when absent.
	SavedAnswerByID(ctx context.Context, id string) (*model.SavedAnswer, error)
	// RemoveSavedAnswer deletes a saved answer; ErrNotFound when absent.
	RemoveSavedAnswer(ctx context.Context, id string) error
	// InboxSettings returns an organisation's inbox settings; the zero
	// settings (with OrgID set) when it never chose.
	InboxSettings(ctx context.Context, orgID string) (*model.InboxSettings, error)
	// PutInboxSettings stores an organisation's inbox settings.
	PutInboxSettings(ctx context.Context, s *model.InboxSettings) error
	// DeleteOrgQuestionsBefore deletes the questions of the organisation
	// orgID received before t that are complaints (complaint) or not, with
	// their answers and notes, and returns how many.
	DeleteOrgQuestionsBefore(ctx context.Context, orgID string, complaint bool, t time.Time) (int64, error)
}
