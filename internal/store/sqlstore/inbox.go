package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// AssignQuestion implements store.Inbox.
func (q Queries) AssignQuestion(ctx context.Context, id, userID string, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE questions SET assignee = ?, updated_at = ? WHERE id = ?`, userID, dbTime(at), id)
	return mustAffect("assign question", n, err)
}

// MarkComplaint implements store.Inbox.
func (q Queries) MarkComplaint(ctx context.Context, id string, complaint bool, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE questions SET complaint = ?, updated_at = ? WHERE id = ?`, complaint, dbTime(at), id)
	return mustAffect("mark complaint", n, err)
}

// AddQuestionNote implements store.Inbox.
func (q Queries) AddQuestionNote(ctx context.Context, n *model.QuestionNote) error {
	_, err := q.c.Exec(ctx, `INSERT INTO question_notes (id, question_id, author, text, created_at) VALUES (?, ?, ?, ?, ?)`,
		n.ID, n.QuestionID, n.Author, n.Text, dbTime(n.CreatedAt))
	return wrap("add question note", err)
}

// QuestionNotes implements store.Inbox.
func (q Queries) QuestionNotes(ctx context.Context, questionID string) ([]*model.QuestionNote, error) {
	rows, err := q.c.Query(ctx, `SELECT id, question_id, author, text, created_at FROM question_notes
		WHERE question_id = ? ORDER BY created_at, id`, questionID)
	if err != nil {
		return nil, wrap("question notes", err)
	}
	defer rows.Close()
	var out []*model.QuestionNote
	for rows.Next() {
		var n model.QuestionNote
		var at sql.NullTime
		if err := rows.Scan(&n.ID, &n.QuestionID, &n.Author, &n.Text, &at); err != nil {
			return nil, wrap("question notes", err)
		}
		n.CreatedAt = fromNull(at)
		out = append(out, &n)
	}
	return out, wrap("question notes", rows.Err())
}

const savedAnswerColumns = `id, org_id, title, text, created_at`

func scanSavedAnswer(r Row) (*model.SavedAnswer, error) {
	var a model.SavedAnswer
	var at sql.NullTime
	if err := r.Scan(&a.ID, &a.OrgID, &a.Title, &a.Text, &at); err != nil {
		return nil, err
	}
	a.CreatedAt = fromNull(at)
	return &a, nil
}

// AddSavedAnswer implements store.Inbox.
func (q Queries) AddSavedAnswer(ctx context.Context, a *model.SavedAnswer) error {
	_, err := q.c.Exec(ctx, `INSERT INTO saved_answers (`+savedAnswerColumns+`) VALUES (?, ?, ?, ?, ?)`,
		a.ID, a.OrgID, a.Title, a.Text, dbTime(a.CreatedAt))
	return wrap("add saved answer", err)
}

// SavedAnswers implements store.Inbox.
func (q Queries) SavedAnswers(ctx context.Context, orgID string) ([]*model.SavedAnswer, error) {
	rows, err := q.c.Query(ctx, `SELECT `+savedAnswerColumns+` FROM saved_answers WHERE org_id = ? ORDER BY title, id`, orgID)
	if err != nil {
		return nil, wrap("saved answers", err)
	}
	defer rows.Close()
	var out []*model.SavedAnswer
	for rows.Next() {
		a, err := scanSavedAnswer(rows)
		if err != nil {
			return nil, wrap("saved answers", err)
		}
		out = append(out, a)
	}
	return out, wrap("saved answers", rows.Err())
}

// SavedAnswerByID implements store.Inbox.
func (q Queries) SavedAnswerByID(ctx context.Context, id string) (*model.SavedAnswer, error) {
	a, err := scanSavedAnswer(q.c.QueryRow(ctx, `SELECT `+savedAnswerColumns+` FROM saved_answers WHERE id = ?`, id))
	return a, wrap("saved answer", err)
}

// RemoveSavedAnswer implements store.Inbox.
func (q Queries) RemoveSavedAnswer(ctx context.Context, id string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM saved_answers WHERE id = ?`, id)
	return mustAffect("remove saved answer", n, err)
}

// InboxSettings implements store.Inbox.
func (q Queries) InboxSettings(ctx context.Context, orgID string) (*model.InboxSettings, error) {
	s := &model.InboxSettings{OrgID: orgID, Notify: true}
	var readers, topics string
	var retention, complaint int64
	err := q.c.QueryRow(ctx, `SELECT readers, retention_hours, complaint_hours, notify, topics FROM inbox_settings WHERE org_id = ?`, orgID).
		Scan(&readers, &retention, &complaint, &s.Notify, &topics)
	if errors.Is(err, store.ErrNotFound) {
		return s, nil
	}
	if err != nil {
		return nil, wrap("inbox settings", err)
	}
	for _, r := range strings.Split(readers, ",") {
		if r != "" {
			s.Readers = append(s.Readers, model.Role(r))
		}
	}
	s.Retention, s.ComplaintRetention = time.Duration(retention)*time.Hour, time.Duration(complaint)*time.Hour
	s.Topics = splitTopics(topics)
	return s, nil
}

// PutInboxSettings implements store.Inbox.
func (q Queries) PutInboxSettings(ctx context.Context, s *model.InboxSettings) error {
	readers := make([]string, len(s.Readers))
	for i, r := range s.Readers {
		readers[i] = string(r)
	}
	_, err := q.c.Exec(ctx, `INSERT INTO inbox_settings (org_id, readers, retention_hours, complaint_hours, notify) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET readers = excluded.readers, retention_hours = excluded.retention_hours,
		complaint_hours = excluded.complaint_hours, notify = excluded.notify`,
		s.OrgID, strings.Join(readers, ","), int64(s.Retention/time.Hour), int64(s.ComplaintRetention/time.Hour), s.Notify)
	return wrap("put inbox settings", err)
}

// DeleteOrgQuestionsBefore implements store.Inbox.
func (q Queries) DeleteOrgQuestionsBefore(ctx context.Context, orgID string, complaint bool, t time.Time) (int64, error) {
	for _, table := range []string{"question_answers", "question_notes"} {
		if _, err := q.c.Exec(ctx, `DELETE FROM `+table+` WHERE question_id IN
			(SELECT id FROM questions WHERE org_id = ? AND complaint = ? AND received_at < ?)`, orgID, complaint, dbTime(t)); err != nil {
			return 0, wrap("delete answers and notes", err)
		}
	}
	n, err := q.c.Exec(ctx, `DELETE FROM questions WHERE org_id = ? AND complaint = ? AND received_at < ?`, orgID, complaint, dbTime(t))
	return n, wrap("delete questions", err)
}
