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

const postColumns = `id, org_id, state, text, summary, language, pinned, publish_at, created_at, updated_at, deleted_at, revisions, in_reply_to, mention, mention_username, mention_url, imported_from`

func scanPost(r Row) (*model.Post, error) {
	var p model.Post
	var state string
	var publish, created, updated, deleted sql.NullTime
	if err := r.Scan(&p.ID, &p.OrgID, &state, &p.Text, &p.Summary, &p.Language, &p.Pinned,
		&publish, &created, &updated, &deleted, &p.Revisions, &p.InReplyTo, &p.Mention, &p.MentionUsername, &p.MentionURL, &p.ImportedFrom); err != nil {
		return nil, err
	}
	p.State = model.PostState(state)
	p.PublishAt, p.CreatedAt = fromNull(publish), fromNull(created)
	p.UpdatedAt, p.DeletedAt = fromNull(updated), fromNull(deleted)
	return &p, nil
}

// CreatePost implements store.Posts.
func (q Queries) CreatePost(ctx context.Context, p *model.Post) error {
	if _, err := q.c.Exec(ctx, `INSERT INTO posts (`+postColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.OrgID, string(p.State), p.Text, p.Summary, p.Language, p.Pinned,
		dbTime(p.PublishAt), dbTime(p.CreatedAt), dbTime(p.UpdatedAt), dbTime(p.DeletedAt), p.Revisions,
		p.InReplyTo, p.Mention, p.MentionUsername, p.MentionURL, p.ImportedFrom); err != nil {
		return wrap("create post", err)
	}
	return q.insertAttachments(ctx, p)
}

func (q Queries) insertAttachments(ctx context.Context, p *model.Post) error {
	for i, a := range p.Attachments {
		if _, err := q.c.Exec(ctx, `INSERT INTO post_attachments (post_id, position, media_id, alt) VALUES (?, ?, ?, ?)`,
			p.ID, i, a.MediaID, a.Alt); err != nil {
			return wrap("store attachment", err)
		}
	}
	return nil
}

// UpdatePost implements store.Posts.
func (q Queries) UpdatePost(ctx context.Context, p *model.Post) error {
	n, err := q.c.Exec(ctx, `UPDATE posts SET state = ?, text = ?, summary = ?, language = ?, pinned = ?,
		publish_at = ?, updated_at = ?, deleted_at = ?, revisions = ? WHERE id = ?`,
		string(p.State), p.Text, p.Summary, p.Language, p.Pinned, dbTime(p.PublishAt),
		dbTime(p.UpdatedAt), dbTime(p.DeletedAt), p.Revisions, p.ID)
	if err := mustAffect("update post", n, err); err != nil {
		return err
	}
	if _, err := q.c.Exec(ctx, `DELETE FROM post_attachments WHERE post_id = ?`, p.ID); err != nil {
		return wrap("update post", err)
	}
	return q.insertAttachments(ctx, p)
}

// PostByID implements store.Posts.
func (q Queries) PostByID(ctx context.Context, id string) (*model.Post, error) {
	p, err := scanPost(q.c.QueryRow(ctx, `SELECT `+postColumns+` FROM posts WHERE id = ?`, id))
	if err != nil {
		return nil, wrap("post by id", err)
	}
	if err := q.loadAttachments(ctx, []*model.Post{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// ListPosts implements store.Posts.
func (q Queries) ListPosts(ctx context.Context, f store.PostFilter) ([]*model.Post, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, "org_id = ?")
		args = append(args, f.OrgID)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.Pinned != nil {
		where = append(where, "pinned = ?")
		args = append(args, *f.Pinned)
	}
	if f.HeldBack {
		where = append(where, "EXISTS (SELECT 1 FROM post_attachments a WHERE a.post_id = posts.id AND a.alt = '')")
	}
	const sortKey = "COALESCE(publish_at, updated_at)"
	if f.Before != nil {
		where = append(where, "("+sortKey+" < ? OR ("+sortKey+" = ? AND id < ?))")
		t := dbTime(f.Before.PublishAt)
		args = append(args, t, t, f.Before.ID)
	}
	query := `SELECT ` + postColumns + ` FROM posts`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + sortKey + " DESC, id DESC"
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := q.c.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("list posts", err)
	}
	posts, err := collect("list posts", rows, scanPost)
	if err != nil {
		return nil, err
	}
	return posts, q.loadAttachments(ctx, posts)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (q Queries) loadAttachments(ctx context.Context, posts []*model.Post) error {
	if len(posts) == 0 {
		return nil
	}
	byID := make(map[string]*model.Post, len(posts))
	args := make([]any, 0, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
		p.Attachments = nil
		args = append(args, p.ID)
	}
	rows, err := q.c.Query(ctx, `SELECT post_id, media_id, alt FROM post_attachments
		WHERE post_id IN (`+placeholders(len(args))+`) ORDER BY post_id, position`, args...)
	if err != nil {
		return wrap("load attachments", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		var a model.Attachment
		if err := rows.Scan(&postID, &a.MediaID, &a.Alt); err != nil {
			return wrap("load attachments", err)
		}
		p := byID[postID]
		p.Attachments = append(p.Attachments, a)
	}
	return wrap("load attachments", rows.Err())
}

// AddRevision implements store.Posts.
func (q Queries) AddRevision(ctx context.Context, r *model.Revision) error {
	_, err := q.c.Exec(ctx, `INSERT INTO post_revisions (post_id, number, text, summary, language, editor_id, editor, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		r.PostID, r.Number, r.Text, r.Summary, r.Language, r.EditorID, r.Editor, dbTime(r.CreatedAt))
	return wrap("add revision", err)
}

// Revisions implements store.Posts.
func (q Queries) Revisions(ctx context.Context, postID string) ([]*model.Revision, error) {
	rows, err := q.c.Query(ctx, `SELECT post_id, number, text, summary, language, editor_id, editor, created_at
		FROM post_revisions WHERE post_id = ? ORDER BY number`, postID)
	if err != nil {
		return nil, wrap("revisions", err)
	}
	return collect("revisions", rows, func(r Row) (*model.Revision, error) {
		var rev model.Revision
		var created sql.NullTime
		err := r.Scan(&rev.PostID, &rev.Number, &rev.Text, &rev.Summary, &rev.Language, &rev.EditorID, &rev.Editor, &created)
		rev.CreatedAt = fromNull(created)
		return &rev, err
	})
}

// PurgePost implements store.Posts.
func (q Queries) PurgePost(ctx context.Context, id string) error {
	for _, stmt := range []string{
		`DELETE FROM post_revisions WHERE post_id = ?`,
		`DELETE FROM post_attachments WHERE post_id = ?`,
		`DELETE FROM reactions WHERE post_id = ?`,
		`DELETE FROM reaction_totals WHERE post_id = ?`,
		`DELETE FROM replies WHERE post_id = ?`,
		`DELETE FROM insight_counts WHERE post_id = ?`,
		`DELETE FROM post_approval_attachments WHERE post_id = ?`,
		`DELETE FROM post_approvals WHERE post_id = ?`,
		`DELETE FROM bluesky_posts WHERE post_id = ?`,
	} {
		if _, err := q.c.Exec(ctx, stmt, id); err != nil {
			return wrap("purge post", err)
		}
	}
	n, err := q.c.Exec(ctx, `DELETE FROM posts WHERE id = ?`, id)
	return mustAffect("purge post", n, err)
}

// AddPostImport implements store.PostImports.
func (q Queries) AddPostImport(ctx context.Context, orgID, source, key, postID string, at time.Time) error {
	_, err := q.c.Exec(ctx, `INSERT INTO post_imports (org_id, source, source_key, post_id, imported_at) VALUES (?, ?, ?, ?, ?)`,
		orgID, source, key, postID, dbTime(at))
	return wrap("add post import", err)
}

// PostImported implements store.PostImports.
func (q Queries) PostImported(ctx context.Context, orgID, source, key string) (string, error) {
	var id string
	err := q.c.QueryRow(ctx, `SELECT post_id FROM post_imports WHERE org_id = ? AND source = ? AND source_key = ?`,
		orgID, source, key).Scan(&id)
	return id, wrap("post imported", err)
}

// --- media ---

const mediaColumns = `id, org_id, content_type, width, height, variants, created_at`

func scanMedia(r Row) (*model.Media, error) {
	var m model.Media
	var variants string
	var created sql.NullTime
	if err := r.Scan(&m.ID, &m.OrgID, &m.ContentType, &m.Width, &m.Height, &variants, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(variants), &m.Variants); err != nil {
		return nil, fmt.Errorf("decode variants of %s: %w", m.ID, err)
	}
	m.CreatedAt = fromNull(created)
	return &m, nil
}

// CreateMedia implements store.Media.
func (q Queries) CreateMedia(ctx context.Context, m *model.Media) error {
	variants, err := json.Marshal(m.Variants)
	if err != nil {
		return wrap("create media", err)
	}
	_, err = q.c.Exec(ctx, `INSERT INTO media (`+mediaColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.OrgID, m.ContentType, m.Width, m.Height, string(variants), dbTime(m.CreatedAt))
	return wrap("create media", err)
}

// MediaByID implements store.Media.
func (q Queries) MediaByID(ctx context.Context, id string) (*model.Media, error) {
	m, err := scanMedia(q.c.QueryRow(ctx, `SELECT `+mediaColumns+` FROM media WHERE id = ?`, id))
	return m, wrap("media by id", err)
}

// MediaByIDs implements store.Media.
func (q Queries) MediaByIDs(ctx context.Context, ids []string) (map[string]*model.Media, error) {
	out := make(map[string]*model.Media, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.c.Query(ctx, `SELECT `+mediaColumns+` FROM media WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, wrap("media by ids", err)
	}
	list, err := collect("media by ids", rows, scanMedia)
	for _, m := range list {
		out[m.ID] = m
	}
	return out, err
}

// DeleteMedia implements store.Media.
func (q Queries) DeleteMedia(ctx context.Context, id string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM media WHERE id = ?`, id)
	return mustAffect("delete media", n, err)
}
