package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"plein/internal/model"
)

const identityColumns = `issuer, subject, user_id, created_at`

func scanIdentity(r Row) (*model.Identity, error) {
	var id model.Identity
	var created sql.NullTime
	if err := r.Scan(&id.Issuer, &id.Subject, &id.UserID, &created); err != nil {
		return nil, err
	}
	id.CreatedAt = fromNull(created)
	return &id, nil
}

// LinkIdentity implements store.Identities. Call it in a transaction: it
// removes the account's former link to the issuer first.
func (q Queries) LinkIdentity(ctx context.Context, id *model.Identity) error {
	if _, err := q.c.Exec(ctx, `DELETE FROM oidc_identities WHERE user_id = ? AND issuer = ?`, id.UserID, id.Issuer); err != nil {
		return wrap("link identity", err)
	}
	_, err := q.c.Exec(ctx, `INSERT INTO oidc_identities (`+identityColumns+`) VALUES (?, ?, ?, ?)`,
		id.Issuer, id.Subject, id.UserID, dbTime(id.CreatedAt))
	return wrap("link identity", err)
}

// IdentityBySubject implements store.Identities.
func (q Queries) IdentityBySubject(ctx context.Context, issuer, subject string) (*model.Identity, error) {
	id, err := scanIdentity(q.c.QueryRow(ctx, `SELECT `+identityColumns+` FROM oidc_identities WHERE issuer = ? AND subject = ?`, issuer, subject))
	return id, wrap("identity by subject", err)
}

// IdentitiesOfUser implements store.Identities.
func (q Queries) IdentitiesOfUser(ctx context.Context, userID string) ([]*model.Identity, error) {
	rows, err := q.c.Query(ctx, `SELECT `+identityColumns+` FROM oidc_identities WHERE user_id = ? ORDER BY created_at, issuer`, userID)
	if err != nil {
		return nil, wrap("identities of user", err)
	}
	return collect("identities of user", rows, scanIdentity)
}

// UnlinkIdentity implements store.Identities.
func (q Queries) UnlinkIdentity(ctx context.Context, userID, issuer string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM oidc_identities WHERE user_id = ? AND issuer = ?`, userID, issuer)
	return mustAffect("unlink identity", n, err)
}

// SetSessionDevice implements store.SessionDevices.
func (q Queries) SetSessionDevice(ctx context.Context, id, device, via string) error {
	n, err := q.c.Exec(ctx, `UPDATE sessions SET device = ?, via = ? WHERE id = ?`, device, via, id)
	return mustAffect("set session device", n, err)
}

// SessionsOfUser implements store.SessionDevices.
func (q Queries) SessionsOfUser(ctx context.Context, userID string, now, oldest time.Time) ([]*model.SessionEntry, error) {
	rows, err := q.c.Query(ctx, `SELECT id, user_id, device, via, created_at, last_seen_at, expires_at FROM sessions
		WHERE user_id = ? AND expires_at > ? AND created_at > ? ORDER BY last_seen_at DESC, created_at DESC, id`,
		userID, dbTime(now), dbTime(oldest))
	if err != nil {
		return nil, wrap("sessions of user", err)
	}
	return collect("sessions of user", rows, func(r Row) (*model.SessionEntry, error) {
		var s model.SessionEntry
		var created, seen, expires sql.NullTime
		err := r.Scan(&s.ID, &s.UserID, &s.Device, &s.Via, &created, &seen, &expires)
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromNull(created), fromNull(seen), fromNull(expires)
		return &s, err
	})
}

// DeleteSessionOfUser implements store.SessionDevices.
func (q Queries) DeleteSessionOfUser(ctx context.Context, userID, id string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ?`, id, userID)
	return mustAffect("delete session of user", n, err)
}
