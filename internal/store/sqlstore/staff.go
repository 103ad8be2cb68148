package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"plein/internal/model"
)

const sessionColumns = `id, user_id, csrf_token, lang, created_at, last_seen_at, expires_at`

// CreateSession implements store.Sessions.
func (q Queries) CreateSession(ctx context.Context, s *model.Session) error {
	_, err := q.c.Exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.CSRFToken, s.Lang, dbTime(s.CreatedAt), dbTime(s.LastSeenAt), dbTime(s.ExpiresAt))
	return wrap("create session", err)
}

// SessionByID implements store.Sessions.
func (q Queries) SessionByID(ctx context.Context, id string) (*model.Session, error) {
	var s model.Session
	var created, seen, expires sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id).
		Scan(&s.ID, &s.UserID, &s.CSRFToken, &s.Lang, &created, &seen, &expires)
	if err != nil {
		return nil, wrap("session", err)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromNull(created), fromNull(seen), fromNull(expires)
	return &s, nil
}

// UpdateSession implements store.Sessions.
func (q Queries) UpdateSession(ctx context.Context, s *model.Session) error {
	n, err := q.c.Exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ?, lang = ? WHERE id = ?`,
		dbTime(s.LastSeenAt), dbTime(s.ExpiresAt), s.Lang, s.ID)
	return mustAffect("update session", n, err)
}

// DeleteSession implements store.Sessions.
func (q Queries) DeleteSession(ctx context.Context, id string) error {
	_, err := q.c.Exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return wrap("delete session", err)
}

// DeleteUserSessions implements store.Sessions.
func (q Queries) DeleteUserSessions(ctx context.Context, userID, keep string) error {
	_, err := q.c.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keep)
	return wrap("delete sessions of user", err)
}

// DeleteExpiredSessions implements store.Sessions.
func (q Queries) DeleteExpiredSessions(ctx context.Context, now, oldest time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM sessions WHERE expires_at < ? OR created_at < ?`, dbTime(now), dbTime(oldest))
	return n, wrap("delete expired sessions", err)
}

const auditColumns = `id, org_id, actor_id, actor, action, target, detail, at`

// AddAudit implements store.AuditLog.
func (q Queries) AddAudit(ctx context.Context, e *model.AuditEntry) error {
	_, err := q.c.Exec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.OrgID, e.ActorID, e.Actor, e.Action, e.Target, e.Detail, dbTime(e.At))
	return wrap("add audit entry", err)
}

// ListAudit implements store.AuditLog.
func (q Queries) ListAudit(ctx context.Context, orgID string, limit int) ([]*model.AuditEntry, error) {
	rows, err := q.c.Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE org_id = ?
		ORDER BY at DESC, id DESC LIMIT `+fmt.Sprint(limit), orgID)
	if err != nil {
		return nil, wrap("list audit", err)
	}
	return collect("list audit", rows, scanAudit)
}

func scanAudit(r Row) (*model.AuditEntry, error) {
	var e model.AuditEntry
	var at sql.NullTime
	err := r.Scan(&e.ID, &e.OrgID, &e.ActorID, &e.Actor, &e.Action, &e.Target, &e.Detail, &at)
	e.At = fromNull(at)
	return &e, err
}

// MediaInUse implements store.Media.
func (q Queries) MediaInUse(ctx context.Context, id string) (bool, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM post_attachments WHERE media_id = ?)
		+ (SELECT COUNT(*) FROM post_approval_attachments WHERE media_id = ?)`, id, id).Scan(&n)
	return n > 0, wrap("media in use", err)
}

// InitActorKey implements store.Keys.
func (q Queries) InitActorKey(ctx context.Context, k *model.ActorKey) (*model.ActorKey, error) {
	if _, err := q.c.Exec(ctx, `INSERT INTO actor_keys (owner_id, private_pem, public_pem, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (owner_id) DO NOTHING`,
		k.OwnerID, k.PrivatePEM, k.PublicPEM, dbTime(k.CreatedAt)); err != nil {
		return nil, wrap("init actor key", err)
	}
	return q.ActorKey(ctx, k.OwnerID)
}

// ActorKey implements store.Keys.
func (q Queries) ActorKey(ctx context.Context, ownerID string) (*model.ActorKey, error) {
	var k model.ActorKey
	var created sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT owner_id, private_pem, public_pem, created_at FROM actor_keys WHERE owner_id = ?`, ownerID).
		Scan(&k.OwnerID, &k.PrivatePEM, &k.PublicPEM, &created)
	if err != nil {
		return nil, wrap("actor key", err)
	}
	k.CreatedAt = fromNull(created)
	return &k, nil
}
