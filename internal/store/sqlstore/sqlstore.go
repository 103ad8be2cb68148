// Package sqlstore implements store.Queries once, in SQL that both engines
// understand, over a small connection interface each engine adapts. Engine
// differences (placeholders, error codes, no-rows) stay in the engines'
// adapters.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// Conn runs queries written with '?' placeholders. Engines adapt their
// connection, pool or transaction to it and map their errors to the store
// sentinels: a Row's Scan returns store.ErrNotFound when there is no row,
// and Exec returns store.ErrAlreadyExists on a unique-key violation.
type Conn interface {
	Exec(ctx context.Context, query string, args ...any) (rowsAffected int64, err error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is the subset of a result set that Queries uses.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is a single-row result.
type Row interface {
	Scan(dest ...any) error
}

// Queries implements store.Queries over a Conn, except MarkChanged, which
// engines add because notification differs per engine.
type Queries struct {
	c Conn
}

// New returns Queries running on c.
func New(c Conn) Queries { return Queries{c: c} }

// dbTime converts t to the form stored: UTC, microsecond precision, NULL
// when zero.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

func fromNull(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

func mustAffect(op string, n int64, err error) error {
	if err != nil {
		return wrap(op, err)
	}
	if n == 0 {
		return wrap(op, store.ErrNotFound)
	}
	return nil
}

// --- organisations ---

const orgColumns = `id, handle, display_name, description, avatar_id, header_id, header_alt, links, language, time_zone, also_known_as, moved_to, moved_at, created_at, updated_at`

func scanOrg(r Row) (*model.Org, error) {
	var o model.Org
	var links, aka string
	var moved, created, updated sql.NullTime
	if err := r.Scan(&o.ID, &o.Handle, &o.DisplayName, &o.Description, &o.AvatarID, &o.HeaderID, &o.HeaderAlt, &links,
		&o.Language, &o.TimeZone, &aka, &o.MovedTo, &moved, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(links), &o.Links); err != nil {
		return nil, fmt.Errorf("decode links of %s: %w", o.ID, err)
	}
	if err := json.Unmarshal([]byte(aka), &o.AlsoKnownAs); err != nil {
		return nil, fmt.Errorf("decode also-known-as of %s: %w", o.ID, err)
	}
	o.MovedAt, o.CreatedAt, o.UpdatedAt = fromNull(moved), fromNull(created), fromNull(updated)
	return &o, nil
}

func marshalLinks(l []model.Link) string {
	if l == nil {
		l = []model.Link{}
	}
	b, _ := json.Marshal(l) // a slice of string pairs always marshals
	return string(b)
}

func marshalStrings(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l) // a slice of strings always marshals
	return string(b)
}

// handleTaken reports whether handle is some organisation's current or
// former handle, other than the organisation exceptID.
func (q Queries) handleTaken(ctx context.Context, handle, exceptID string) (bool, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM orgs WHERE handle = ? AND id <> ?) +
		(SELECT COUNT(*) FROM org_former_handles WHERE handle = ? AND org_id <> ?)`,
		handle, exceptID, handle, exceptID).Scan(&n)
	return n > 0, err
}

// CreateOrg implements store.Orgs.
func (q Queries) CreateOrg(ctx context.Context, o *model.Org) error {
	taken, err := q.handleTaken(ctx, o.Handle, o.ID)
	if err != nil {
		return wrap("create org", err)
	}
	if taken {
		return wrap("create org", store.ErrAlreadyExists)
	}
	_, err = q.c.Exec(ctx, `INSERT INTO orgs (`+orgColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Handle, o.DisplayName, o.Description, o.AvatarID, o.HeaderID, o.HeaderAlt, marshalLinks(o.Links),
		o.Language, o.TimeZone, marshalStrings(o.AlsoKnownAs), o.MovedTo, dbTime(o.MovedAt), dbTime(o.CreatedAt), dbTime(o.UpdatedAt))
	return wrap("create org", err)
}

// UpdateOrg implements store.Orgs.
func (q Queries) UpdateOrg(ctx context.Context, o *model.Org) error {
	n, err := q.c.Exec(ctx, `UPDATE orgs SET display_name = ?, description = ?, avatar_id = ?, header_id = ?,
		header_alt = ?, links = ?, language = ?, time_zone = ?, also_known_as = ?, updated_at = ? WHERE id = ?`,
		o.DisplayName, o.Description, o.AvatarID, o.HeaderID, o.HeaderAlt, marshalLinks(o.Links), o.Language, o.TimeZone,
		marshalStrings(o.AlsoKnownAs), dbTime(o.UpdatedAt), o.ID)
	return mustAffect("update org", n, err)
}

// SetOrgMovedTo implements store.Orgs.
func (q Queries) SetOrgMovedTo(ctx context.Context, id, movedTo string, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE orgs SET moved_to = ?, moved_at = ?, updated_at = ? WHERE id = ?`,
		movedTo, dbTime(at), dbTime(at), id)
	return mustAffect("set org moved to", n, err)
}

// RenameOrg implements store.Orgs.
func (q Queries) RenameOrg(ctx context.Context, id, handle string, at time.Time) error {
	cur, err := q.OrgByID(ctx, id)
	if err != nil {
		return err
	}
	if cur.Handle == handle {
		return nil
	}
	taken, err := q.handleTaken(ctx, handle, id)
	if err != nil {
		return wrap("rename org", err)
	}
	if taken {
		return wrap("rename org", store.ErrAlreadyExists)
	}
	// Taking back one of its own former handles is allowed.
	if _, err := q.c.Exec(ctx, `DELETE FROM org_former_handles WHERE handle = ?`, handle); err != nil {
		return wrap("rename org", err)
	}
	if _, err := q.c.Exec(ctx, `INSERT INTO org_former_handles (handle, org_id, until) VALUES (?, ?, ?)`,
		cur.Handle, id, dbTime(at)); err != nil {
		return wrap("rename org", err)
	}
	n, err := q.c.Exec(ctx, `UPDATE orgs SET handle = ?, updated_at = ? WHERE id = ?`, handle, dbTime(at), id)
	return mustAffect("rename org", n, err)
}

// OrgByID implements store.Orgs.
func (q Queries) OrgByID(ctx context.Context, id string) (*model.Org, error) {
	o, err := scanOrg(q.c.QueryRow(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = ?`, id))
	return o, wrap("org by id", err)
}

// OrgByHandle implements store.Orgs.
func (q Queries) OrgByHandle(ctx context.Context, handle string) (*model.Org, error) {
	o, err := scanOrg(q.c.QueryRow(ctx, `SELECT `+orgColumns+` FROM orgs WHERE handle = ?`, handle))
	return o, wrap("org by handle", err)
}

// OrgByFormerHandle implements store.Orgs.
func (q Queries) OrgByFormerHandle(ctx context.Context, handle string) (*model.Org, error) {
	o, err := scanOrg(q.c.QueryRow(ctx, `SELECT `+prefixed("o.", orgColumns)+` FROM orgs o
		JOIN org_former_handles f ON f.org_id = o.id WHERE f.handle = ?`, handle))
	return o, wrap("org by former handle", err)
}

// ListOrgs implements store.Orgs.
func (q Queries) ListOrgs(ctx context.Context) ([]*model.Org, error) {
	rows, err := q.c.Query(ctx, `SELECT `+orgColumns+` FROM orgs ORDER BY display_name, id`)
	if err != nil {
		return nil, wrap("list orgs", err)
	}
	return collect("list orgs", rows, scanOrg)
}

func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, p := range parts {
		parts[i] = prefix + p
	}
	return strings.Join(parts, ", ")
}

func collect[T any](op string, rows Rows, scan func(Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, v)
	}
	return out, wrap(op, rows.Err())
}

// --- users ---

const userColumns = `id, email, name, password_hash, is_admin, must_change_password, created_at`

func scanUser(r Row) (*model.User, error) {
	var u model.User
	var created sql.NullTime
	if err := r.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.IsAdmin, &u.MustChangePassword, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = fromNull(created)
	return &u, nil
}

// CreateUser implements store.Users.
func (q Queries) CreateUser(ctx context.Context, u *model.User) error {
	_, err := q.c.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.PasswordHash, u.IsAdmin, u.MustChangePassword, dbTime(u.CreatedAt))
	return wrap("create user", err)
}

// UserByID implements store.Users.
func (q Queries) UserByID(ctx context.Context, id string) (*model.User, error) {
	u, err := scanUser(q.c.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, wrap("user by id", err)
}

// UserByEmail implements store.Users.
func (q Queries) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	u, err := scanUser(q.c.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	return u, wrap("user by email", err)
}

// ListUsers implements store.Users.
func (q Queries) ListUsers(ctx context.Context) ([]*model.User, error) {
	rows, err := q.c.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, wrap("list users", err)
	}
	return collect("list users", rows, scanUser)
}

// SetPasswordHash implements store.Users.
func (q Queries) SetPasswordHash(ctx context.Context, userID, hash string) error {
	n, err := q.c.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	return mustAffect("set password", n, err)
}

// SetMustChangePassword implements store.Users.
func (q Queries) SetMustChangePassword(ctx context.Context, userID string, must bool) error {
	n, err := q.c.Exec(ctx, `UPDATE users SET must_change_password = ? WHERE id = ?`, must, userID)
	return mustAffect("set must change password", n, err)
}

// PutMembership implements store.Users.
func (q Queries) PutMembership(ctx context.Context, m model.Membership) error {
	_, err := q.c.Exec(ctx, `INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?)
		ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role`, m.OrgID, m.UserID, string(m.Role))
	return wrap("put membership", err)
}

// DeleteMembership implements store.Users.
func (q Queries) DeleteMembership(ctx context.Context, orgID, userID string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID)
	return mustAffect("delete membership", n, err)
}

func scanMembership(r Row) (model.Membership, error) {
	var m model.Membership
	var role string
	err := r.Scan(&m.OrgID, &m.UserID, &role)
	m.Role = model.Role(role)
	return m, err
}

// Membership implements store.Users.
func (q Queries) Membership(ctx context.Context, orgID, userID string) (model.Membership, error) {
	m, err := scanMembership(q.c.QueryRow(ctx,
		`SELECT org_id, user_id, role FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID))
	return m, wrap("membership", err)
}

// MembershipsOfUser implements store.Users.
func (q Queries) MembershipsOfUser(ctx context.Context, userID string) ([]model.Membership, error) {
	rows, err := q.c.Query(ctx, `SELECT org_id, user_id, role FROM memberships WHERE user_id = ? ORDER BY org_id`, userID)
	if err != nil {
		return nil, wrap("memberships of user", err)
	}
	return collect("memberships of user", rows, scanMembership)
}

// MembersOfOrg implements store.Users.
func (q Queries) MembersOfOrg(ctx context.Context, orgID string) ([]model.Membership, error) {
	rows, err := q.c.Query(ctx, `SELECT org_id, user_id, role FROM memberships WHERE org_id = ? ORDER BY user_id`, orgID)
	if err != nil {
		return nil, wrap("members of org", err)
	}
	return collect("members of org", rows, scanMembership)
}

// --- settings ---

// Setting implements store.Settings.
func (q Queries) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := q.c.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	return v, wrap("setting "+key, err)
}

// InitSetting implements store.Settings.
func (q Queries) InitSetting(ctx context.Context, key, value string) (string, error) {
	if _, err := q.c.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		key, value); err != nil {
		return "", wrap("init setting "+key, err)
	}
	return q.Setting(ctx, key)
}

// PutSetting implements store.Settings.
func (q Queries) PutSetting(ctx context.Context, key, value string) error {
	_, err := q.c.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return wrap("put setting "+key, err)
}

// ChangeVersion implements store.Changes.
func (q Queries) ChangeVersion(ctx context.Context) (int64, error) {
	var v int64
	err := q.c.QueryRow(ctx, `SELECT version FROM change_version WHERE id = 1`).Scan(&v)
	return v, wrap("change version", err)
}

// IncrementChangeVersion adds one to the change counter; engines call it
// from MarkChanged.
func (q Queries) IncrementChangeVersion(ctx context.Context) error {
	n, err := q.c.Exec(ctx, `UPDATE change_version SET version = version + 1 WHERE id = 1`)
	return mustAffect("mark changed", n, err)
}
