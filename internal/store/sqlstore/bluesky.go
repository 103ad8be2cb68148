package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"plein/internal/model"
)

// PutBlueskyAccount implements store.Bluesky.
func (q Queries) PutBlueskyAccount(ctx context.Context, a *model.BlueskyAccount) error {
	_, err := q.c.Exec(ctx, `INSERT INTO bluesky_accounts (org_id, pds, handle, did, password, edit_policy, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET pds = excluded.pds, handle = excluded.handle, did = excluded.did,
			password = excluded.password, edit_policy = excluded.edit_policy, updated_at = excluded.updated_at`,
		a.OrgID, a.PDS, a.Handle, a.DID, a.Password, a.EditPolicy, dbTime(a.CreatedAt), dbTime(a.UpdatedAt))
	return wrap("put bluesky account", err)
}

// BlueskyAccount implements store.Bluesky.
func (q Queries) BlueskyAccount(ctx context.Context, orgID string) (*model.BlueskyAccount, error) {
	var a model.BlueskyAccount
	var created, updated sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT org_id, pds, handle, did, password, edit_policy, created_at, updated_at
		FROM bluesky_accounts WHERE org_id = ?`, orgID).
		Scan(&a.OrgID, &a.PDS, &a.Handle, &a.DID, &a.Password, &a.EditPolicy, &created, &updated)
	if err != nil {
		return nil, wrap("bluesky account", err)
	}
	a.CreatedAt, a.UpdatedAt = fromNull(created), fromNull(updated)
	return &a, nil
}

// DeleteBlueskyAccount implements store.Bluesky.
func (q Queries) DeleteBlueskyAccount(ctx context.Context, orgID string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM bluesky_accounts WHERE org_id = ?`, orgID)
	return mustAffect("delete bluesky account", n, err)
}

// PutBlueskyPost implements store.Bluesky.
func (q Queries) PutBlueskyPost(ctx context.Context, p *model.BlueskyPost) error {
	replies := make([]string, len(p.Replies))
	for i, r := range p.Replies {
		replies[i] = r.URI + " " + r.CID
	}
	_, err := q.c.Exec(ctx, `INSERT INTO bluesky_posts (post_id, org_id, state, uri, cid, replies, version, error, attempts, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (post_id) DO UPDATE SET state = excluded.state, uri = excluded.uri, cid = excluded.cid,
			replies = excluded.replies, version = excluded.version, error = excluded.error,
			attempts = excluded.attempts, updated_at = excluded.updated_at`,
		p.PostID, p.OrgID, p.State, p.URI, p.CID, strings.Join(replies, "\n"), dbTime(p.Version), p.Error, p.Attempts, dbTime(p.UpdatedAt))
	return wrap("put bluesky post", err)
}

// BlueskyPost implements store.Bluesky.
func (q Queries) BlueskyPost(ctx context.Context, postID string) (*model.BlueskyPost, error) {
	var p model.BlueskyPost
	var replies string
	var version, updated sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT post_id, org_id, state, uri, cid, replies, version, error, attempts, updated_at
		FROM bluesky_posts WHERE post_id = ?`, postID).
		Scan(&p.PostID, &p.OrgID, &p.State, &p.URI, &p.CID, &replies, &version, &p.Error, &p.Attempts, &updated)
	if err != nil {
		return nil, wrap("bluesky post", err)
	}
	for line := range strings.Lines(replies) {
		uri, cid, _ := strings.Cut(strings.TrimSpace(line), " ")
		p.Replies = append(p.Replies, model.BlueskyRef{URI: uri, CID: cid})
	}
	p.Version, p.UpdatedAt = fromNull(version), fromNull(updated)
	return &p, nil
}
