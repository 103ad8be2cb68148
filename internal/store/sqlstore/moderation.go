package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// ListReplies implements store.Moderation.
func (q Queries) ListReplies(ctx context.Context, f store.ReplyFilter) ([]*model.Reply, error) {
	query := `SELECT r.` + replyColumnsOf("r.") + ` FROM replies r JOIN posts p ON p.id = r.post_id WHERE p.org_id = ?`
	args := []any{f.OrgID}
	if f.PostID != "" {
		query += ` AND r.post_id = ?`
		args = append(args, f.PostID)
	}
	if len(f.States) > 0 {
		query += ` AND r.state IN (` + placeholders(len(f.States)) + `)`
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	query += ` ORDER BY r.received_at, r.id`
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := q.c.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("list replies", err)
	}
	return collect("list replies", rows, scanReply)
}

// replyColumnsOf is replyColumns with each column after the first
// qualified by prefix (the first gets it from the query).
func replyColumnsOf(prefix string) string {
	return `id, ` + prefix + `post_id, ` + prefix + `actor_id, ` + prefix + `url, ` + prefix + `content_html, ` +
		prefix + `summary, ` + prefix + `state, ` + prefix + `published, ` + prefix + `received_at, ` +
		prefix + `decided_at, ` + prefix + `decided_by, ` + prefix + `decided_by_name`
}

// DecideReply implements store.Moderation.
func (q Queries) DecideReply(ctx context.Context, id string, from []model.ReplyState, to model.ReplyState, by, byName string, at time.Time) error {
	args := []any{string(to), dbTime(at), by, byName, id}
	for _, s := range from {
		args = append(args, string(s))
	}
	n, err := q.c.Exec(ctx, `UPDATE replies SET state = ?, decided_at = ?, decided_by = ?, decided_by_name = ?
		WHERE id = ? AND state IN (`+placeholders(len(from))+`)`, args...)
	return mustAffect("decide reply", n, err)
}

const statementColumns = `id, org_id, reply_id, post_id, decision, visibility, ground, law, explanation, category,
	content_type, content_date, application_date, facts, source_type, automated_detection, automated_decision,
	language, decided_by, decided_by_name, created_at, notice_id`

// AddStatement implements store.Moderation.
func (q Queries) AddStatement(ctx context.Context, st *model.Statement) error {
	_, err := q.c.Exec(ctx, `INSERT INTO moderation_statements (`+statementColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		st.ID, st.OrgID, st.ReplyID, st.PostID, string(st.Decision), st.Visibility, string(st.Ground), st.Law, st.Explanation,
		st.Category, marshalStrings(st.ContentType), dbTime(st.ContentDate), dbTime(st.ApplicationDate), st.Facts, st.SourceType,
		st.AutomatedDetection, st.AutomatedDecision, st.Language, st.DecidedBy, st.DecidedByName, dbTime(st.CreatedAt), st.NoticeID)
	return wrap("add statement", err)
}

func scanStatement(r Row) (*model.Statement, error) {
	var st model.Statement
	var decision, ground, contentType string
	var contentDate, applied, created sql.NullTime
	err := r.Scan(&st.ID, &st.OrgID, &st.ReplyID, &st.PostID, &decision, &st.Visibility, &ground, &st.Law, &st.Explanation,
		&st.Category, &contentType, &contentDate, &applied, &st.Facts, &st.SourceType, &st.AutomatedDetection,
		&st.AutomatedDecision, &st.Language, &st.DecidedBy, &st.DecidedByName, &created, &st.NoticeID)
	if err != nil {
		return nil, err
	}
	st.Decision, st.Ground = model.ReplyState(decision), model.Ground(ground)
	st.ContentDate, st.ApplicationDate, st.CreatedAt = fromNull(contentDate), fromNull(applied), fromNull(created)
	if err := json.Unmarshal([]byte(contentType), &st.ContentType); err != nil {
		return nil, fmt.Errorf("content type of statement %s: %w", st.ID, err)
	}
	return &st, nil
}

// StatementByID implements store.Moderation.
func (q Queries) StatementByID(ctx context.Context, id string) (*model.Statement, error) {
	st, err := scanStatement(q.c.QueryRow(ctx, `SELECT `+statementColumns+` FROM moderation_statements WHERE id = ?`, id))
	return st, wrap("statement", err)
}

// Statements implements store.Moderation.
func (q Queries) Statements(ctx context.Context, orgID string, from, to time.Time) ([]*model.Statement, error) {
	query := `SELECT ` + statementColumns + ` FROM moderation_statements WHERE org_id = ?`
	args := []any{orgID}
	if !from.IsZero() {
		query += ` AND application_date >= ?`
		args = append(args, dbTime(from))
	}
	if !to.IsZero() {
		query += ` AND application_date < ?`
		args = append(args, dbTime(to))
	}
	rows, err := q.c.Query(ctx, query+` ORDER BY application_date, id`, args...)
	if err != nil {
		return nil, wrap("statements", err)
	}
	return collect("statements", rows, scanStatement)
}

// ReplyDisplay implements store.Moderation.
func (q Queries) ReplyDisplay(ctx context.Context, orgID string) (model.ReplyDisplay, error) {
	var d string
	err := q.c.QueryRow(ctx, `SELECT reply_display FROM moderation_settings WHERE org_id = ?`, orgID).Scan(&d)
	if errors.Is(err, store.ErrNotFound) {
		return model.RepliesAfterApproval, nil
	}
	return model.ReplyDisplay(d), wrap("reply display", err)
}

// PutReplyDisplay implements store.Moderation.
func (q Queries) PutReplyDisplay(ctx context.Context, orgID string, d model.ReplyDisplay) error {
	_, err := q.c.Exec(ctx, `INSERT INTO moderation_settings (org_id, reply_display) VALUES (?, ?)
		ON CONFLICT (org_id) DO UPDATE SET reply_display = excluded.reply_display`, orgID, string(d))
	return wrap("put reply display", err)
}

const blockColumns = `id, org_id, kind, target, reason, created_by, created_at, mode`

func scanBlock(r Row) (*model.Block, error) {
	var b model.Block
	var kind, mode string
	var created sql.NullTime
	err := r.Scan(&b.ID, &b.OrgID, &kind, &b.Target, &b.Reason, &b.CreatedBy, &created, &mode)
	b.Kind, b.CreatedAt, b.Mode = model.BlockKind(kind), fromNull(created), model.BlockMode(mode)
	return &b, err
}

// AddBlock implements store.Moderation.
func (q Queries) AddBlock(ctx context.Context, b *model.Block) error {
	_, err := q.c.Exec(ctx, `INSERT INTO moderation_blocks (`+blockColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.OrgID, string(b.Kind), b.Target, b.Reason, b.CreatedBy, dbTime(b.CreatedAt), string(blockMode(b.Mode)))
	return wrap("add block", err)
}

// blockMode is m, or the default BlockSuspend when m is empty.
func blockMode(m model.BlockMode) model.BlockMode {
	if m == "" {
		return model.BlockSuspend
	}
	return m
}

// RemoveBlock implements store.Moderation.
func (q Queries) RemoveBlock(ctx context.Context, id string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM moderation_blocks WHERE id = ?`, id)
	return mustAffect("remove block", n, err)
}

// Blocks implements store.Moderation.
func (q Queries) Blocks(ctx context.Context, orgID string) ([]*model.Block, error) {
	rows, err := q.c.Query(ctx, `SELECT `+blockColumns+` FROM moderation_blocks WHERE org_id = ? ORDER BY created_at DESC, id DESC`, orgID)
	if err != nil {
		return nil, wrap("blocks", err)
	}
	return collect("blocks", rows, scanBlock)
}

// BlocksOf implements store.Moderation.
func (q Queries) BlocksOf(ctx context.Context, actorID, host string) ([]*model.Block, error) {
	rows, err := q.c.Query(ctx, `SELECT `+blockColumns+` FROM moderation_blocks
		WHERE (kind = 'account' AND target = ?) OR (kind = 'server' AND target = ?) ORDER BY id`, actorID, host)
	if err != nil {
		return nil, wrap("blocks of", err)
	}
	return collect("blocks of", rows, scanBlock)
}

// DropFollowsOfBlocked implements store.Moderation.
func (q Queries) DropFollowsOfBlocked(ctx context.Context, orgID string, kind model.BlockKind, target string) (int64, error) {
	where, args := `actor_id = ?`, []any{target}
	if kind == model.BlockServer {
		https, http := "https://"+target+"/", "http://"+target+"/"
		where, args = `(substr(actor_id, 1, ?) = ? OR substr(actor_id, 1, ?) = ?)`, []any{len(https), https, len(http), http}
	}
	if orgID != "" {
		where += ` AND org_id = ?`
		args = append(args, orgID)
	}
	n, err := q.c.Exec(ctx, `DELETE FROM followers WHERE `+where, args...)
	return n, wrap("drop follows of blocked", err)
}

// DeleteModerationBefore implements store.Moderation. A complaint goes
// when its outcome is older than t; a statement when it applied before t
// and has no complaint left; a notice when it arrived before t and no
// statement still kept followed it.
func (q Queries) DeleteModerationBefore(ctx context.Context, t time.Time) (int64, error) {
	complaints, err := q.c.Exec(ctx, `DELETE FROM moderation_complaints WHERE state <> ? AND decided_at < ?`,
		string(model.ComplaintOpen), dbTime(t))
	if err != nil {
		return 0, wrap("delete complaints", err)
	}
	statements, err := q.c.Exec(ctx, `DELETE FROM moderation_statements WHERE application_date < ?
		AND NOT EXISTS (SELECT 1 FROM moderation_complaints c WHERE c.statement_id = moderation_statements.id)`, dbTime(t))
	if err != nil {
		return 0, wrap("delete statements", err)
	}
	notices, err := q.c.Exec(ctx, `DELETE FROM moderation_notices WHERE received_at < ?
		AND NOT EXISTS (SELECT 1 FROM moderation_statements s WHERE s.notice_id = moderation_notices.id)`, dbTime(t))
	return complaints + statements + notices, wrap("delete notices", err)
}

const noticeColumns = `id, org_id, source, reporter, objects, content, state, received_at, ground, law, name, email,
	lang, reference`

func scanNotice(r Row) (*model.Notice, error) {
	var n model.Notice
	var objects, state, ground string
	var received sql.NullTime
	if err := r.Scan(&n.ID, &n.OrgID, &n.Source, &n.Reporter, &objects, &n.Content, &state, &received, &ground, &n.Law,
		&n.Name, &n.Email, &n.Lang, &n.Reference); err != nil {
		return nil, err
	}
	n.State, n.ReceivedAt, n.Ground = model.NoticeState(state), fromNull(received), model.Ground(ground)
	if err := json.Unmarshal([]byte(objects), &n.Objects); err != nil {
		return nil, fmt.Errorf("objects of notice %s: %w", n.ID, err)
	}
	return &n, nil
}

// AddNotice implements store.Moderation.
func (q Queries) AddNotice(ctx context.Context, n *model.Notice) error {
	_, err := q.c.Exec(ctx, `INSERT INTO moderation_notices (`+noticeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.OrgID, n.Source, n.Reporter, marshalStrings(n.Objects), n.Content, string(n.State), dbTime(n.ReceivedAt),
		string(n.Ground), n.Law, n.Name, n.Email, n.Lang, n.Reference)
	return wrap("add notice", err)
}

// NoticeByID implements store.Moderation.
func (q Queries) NoticeByID(ctx context.Context, id string) (*model.Notice, error) {
	n, err := scanNotice(q.c.QueryRow(ctx, `SELECT `+noticeColumns+` FROM moderation_notices WHERE id = ?`, id))
	return n, wrap("notice", err)
}

// Notices implements store.Moderation.
func (q Queries) Notices(ctx context.Context, orgID string, limit int) ([]*model.Notice, error) {
	query := `SELECT ` + noticeColumns + ` FROM moderation_notices WHERE org_id = ? ORDER BY received_at DESC, id DESC`
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := q.c.Query(ctx, query, orgID)
	if err != nil {
		return nil, wrap("notices", err)
	}
	return collect("notices", rows, scanNotice)
}
