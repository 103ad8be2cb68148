package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

const questionColumns = `id, org_id, reference, topic, name, reply_to, text, lang, state, sensitive, received_at, updated_at,
	source, actor_id, note_id, assignee, complaint`

func scanQuestion(r Row) (*model.Question, error) {
	var q model.Question
	var state string
	var received, updated sql.NullTime
	if err := r.Scan(&q.ID, &q.OrgID, &q.Reference, &q.Topic, &q.Name, &q.ReplyTo, &q.Text, &q.Lang, &state,
		&q.Sensitive, &received, &updated, &q.Source, &q.ActorID, &q.NoteID, &q.Assignee, &q.Complaint); err != nil {
		return nil, err
	}
	q.State, q.ReceivedAt, q.UpdatedAt = model.QuestionState(state), fromNull(received), fromNull(updated)
	return &q, nil
}

// CreateQuestion implements store.Questions.
func (q Queries) CreateQuestion(ctx context.Context, x *model.Question) error {
	if x.Source == "" {
		x.Source = model.QuestionFromForm
	}
	_, err := q.c.Exec(ctx, `INSERT INTO questions (`+questionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		x.ID, x.OrgID, x.Reference, x.Topic, x.Name, x.ReplyTo, x.Text, x.Lang, string(x.State), x.Sensitive,
		dbTime(x.ReceivedAt), dbTime(x.UpdatedAt), x.Source, x.ActorID, x.NoteID, x.Assignee, x.Complaint)
	return wrap("create question", err)
}

// QuestionByID implements store.Questions.
func (q Queries) QuestionByID(ctx context.Context, id string) (*model.Question, error) {
	x, err := scanQuestion(q.c.QueryRow(ctx, `SELECT `+questionColumns+` FROM questions WHERE id = ?`, id))
	return x, wrap("question by id", err)
}

// ListQuestions implements store.Questions.
func (q Queries) ListQuestions(ctx context.Context, f store.QuestionFilter) ([]*model.Question, error) {
	where, args := []string{"org_id = ?"}, []any{f.OrgID}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.Topic != "" {
		where, args = append(where, "topic = ?"), append(args, f.Topic)
	}
	query := `SELECT ` + questionColumns + ` FROM questions WHERE ` + strings.Join(where, " AND ") + ` ORDER BY received_at DESC, id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := q.c.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("list questions", err)
	}
	defer rows.Close()
	var out []*model.Question
	for rows.Next() {
		x, err := scanQuestion(rows)
		if err != nil {
			return nil, wrap("list questions", err)
		}
		out = append(out, x)
	}
	return out, wrap("list questions", rows.Err())
}

// CountQuestionsFrom implements store.Questions.
func (q Queries) CountQuestionsFrom(ctx context.Context, orgID, replyTo string, since time.Time) (int, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM questions WHERE org_id = ? AND reply_to = ? AND received_at >= ?`,
		orgID, replyTo, dbTime(since)).Scan(&n)
	return n, wrap("count questions from", err)
}

// CountQuestionsSince implements store.Questions.
func (q Queries) CountQuestionsSince(ctx context.Context, orgID string, since time.Time) (int, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM questions WHERE org_id = ? AND received_at >= ?`,
		orgID, dbTime(since)).Scan(&n)
	return n, wrap("count questions", err)
}

// SetQuestionState implements store.Questions.
func (q Queries) SetQuestionState(ctx context.Context, id string, state model.QuestionState, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE questions SET state = ?, updated_at = ? WHERE id = ?`, string(state), dbTime(at), id)
	return mustAffect("set question state", n, err)
}

// DeleteQuestionsBefore implements store.Questions.
func (q Queries) DeleteQuestionsBefore(ctx context.Context, t time.Time) (int64, error) {
	for _, table := range []string{"question_answers", "question_notes"} {
		if _, err := q.c.Exec(ctx, `DELETE FROM `+table+` WHERE question_id IN
			(SELECT id FROM questions WHERE received_at < ?)`, dbTime(t)); err != nil {
			return 0, wrap("delete answers", err)
		}
	}
	n, err := q.c.Exec(ctx, `DELETE FROM questions WHERE received_at < ?`, dbTime(t))
	return n, wrap("delete questions", err)
}

const answerColumns = `id, question_id, author, text, created_at, sent_at`

func scanAnswer(r Row) (*model.Answer, error) {
	var a model.Answer
	var created, sent sql.NullTime
	if err := r.Scan(&a.ID, &a.QuestionID, &a.Author, &a.Text, &created, &sent); err != nil {
		return nil, err
	}
	a.CreatedAt, a.SentAt = fromNull(created), fromNull(sent)
	return &a, nil
}

// AddAnswer implements store.Questions.
func (q Queries) AddAnswer(ctx context.Context, a *model.Answer) error {
	_, err := q.c.Exec(ctx, `INSERT INTO question_answers (`+answerColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, a.QuestionID, a.Author, a.Text, dbTime(a.CreatedAt), dbTime(a.SentAt))
	return wrap("add answer", err)
}

// AnswerByID implements store.Questions.
func (q Queries) AnswerByID(ctx context.Context, id string) (*model.Answer, error) {
	a, err := scanAnswer(q.c.QueryRow(ctx, `SELECT `+answerColumns+` FROM question_answers WHERE id = ?`, id))
	return a, wrap("answer by id", err)
}

// Answers implements store.Questions.
func (q Queries) Answers(ctx context.Context, questionID string) ([]*model.Answer, error) {
	rows, err := q.c.Query(ctx, `SELECT `+answerColumns+` FROM question_answers WHERE question_id = ? ORDER BY created_at, id`, questionID)
	if err != nil {
		return nil, wrap("answers", err)
	}
	defer rows.Close()
	var out []*model.Answer
	for rows.Next() {
		a, err := scanAnswer(rows)
		if err != nil {
			return nil, wrap("answers", err)
		}
		out = append(out, a)
	}
	return out, wrap("answers", rows.Err())
}

// MarkAnswerSent implements store.Questions.
func (q Queries) MarkAnswerSent(ctx context.Context, id string, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE question_answers SET sent_at = ? WHERE id = ?`, dbTime(at), id)
	return mustAffect("mark answer sent", n, err)
}
