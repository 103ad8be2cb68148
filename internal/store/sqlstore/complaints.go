package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

const complaintColumns = `id, org_id, statement_id, reply_id, source, author, content, lang, state, received_at,
	decided_at, decided_by, decided_by_name, explanation`

func scanComplaint(r Row) (*model.Complaint, error) {
	var c model.Complaint
	var state string
	var received, decided sql.NullTime
	if err := r.Scan(&c.ID, &c.OrgID, &c.StatementID, &c.ReplyID, &c.Source, &c.Author, &c.Content, &c.Lang, &state,
		&received, &decided, &c.DecidedBy, &c.DecidedByName, &c.Explanation); err != nil {
		return nil, err
	}
	c.State, c.ReceivedAt, c.DecidedAt = model.ComplaintState(state), fromNull(received), fromNull(decided)
	return &c, nil
}

// AddComplaint implements store.Complaints.
func (q Queries) AddComplaint(ctx context.Context, c *model.Complaint) error {
	_, err := q.c.Exec(ctx, `INSERT INTO moderation_complaints (`+complaintColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.OrgID, c.StatementID, c.ReplyID, c.Source, c.Author, c.Content, c.Lang, string(c.State),
		dbTime(c.ReceivedAt), dbTime(c.DecidedAt), c.DecidedBy, c.DecidedByName, c.Explanation)
	return wrap("add complaint", err)
}

// ComplaintByID implements store.Complaints.
func (q Queries) ComplaintByID(ctx context.Context, id string) (*model.Complaint, error) {
	c, err := scanComplaint(q.c.QueryRow(ctx, `SELECT `+complaintColumns+` FROM moderation_complaints WHERE id = ?`, id))
	return c, wrap("complaint", err)
}

// ComplaintOf implements store.Complaints.
func (q Queries) ComplaintOf(ctx context.Context, statementID string) (*model.Complaint, error) {
	c, err := scanComplaint(q.c.QueryRow(ctx, `SELECT `+complaintColumns+` FROM moderation_complaints WHERE statement_id = ?`, statementID))
	return c, wrap("complaint of statement", err)
}

// Complaints implements store.Complaints.
func (q Queries) Complaints(ctx context.Context, f store.ComplaintFilter) ([]*model.Complaint, error) {
	query, args := `SELECT `+complaintColumns+` FROM moderation_complaints WHERE org_id = ?`, []any{f.OrgID}
	if f.State != "" {
		query += ` AND state = ?`
		args = append(args, string(f.State))
	}
	rows, err := q.c.Query(ctx, query+` ORDER BY received_at, id`, args...)
	if err != nil {
		return nil, wrap("complaints", err)
	}
	return collect("complaints", rows, scanComplaint)
}

// DecideComplaint implements store.Complaints.
func (q Queries) DecideComplaint(ctx context.Context, id string, outcome model.ComplaintState, by, byName, explanation string, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE moderation_complaints SET state = ?, decided_at = ?, decided_by = ?, decided_by_name = ?,
		explanation = ? WHERE id = ? AND state = ?`,
		string(outcome), dbTime(at), by, byName, explanation, id, string(model.ComplaintOpen))
	return mustAffect("decide complaint", n, err)
}

// HandleNotice implements store.Complaints.
func (q Queries) HandleNotice(ctx context.Context, id string) error {
	n, err := q.c.Exec(ctx, `UPDATE moderation_notices SET state = ? WHERE id = ?`, string(model.NoticeHandled), id)
	return mustAffect("handle notice", n, err)
}
