package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"plein/internal/model"
	"plein/internal/store"
)

// page returns the query's rows whose id sorts after after, in id order,
// at most limit of them.
func (q Queries) page(ctx context.Context, op, query string, orgID, after string, limit int) (Rows, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%s: limit %d: a page needs a positive limit", op, limit)
	}
	rows, err := q.c.Query(ctx, query+` WHERE org_id = ? AND id > ? ORDER BY id LIMIT `+fmt.Sprint(limit), orgID, after)
	if err != nil {
		return nil, wrap(op, err)
	}
	return rows, nil
}

// ArchivePosts implements store.Archive.
func (q Queries) ArchivePosts(ctx context.Context, orgID, after string, limit int) ([]*model.Post, error) {
	rows, err := q.page(ctx, "archive posts", `SELECT `+postColumns+` FROM posts`, orgID, after, limit)
	if err != nil {
		return nil, err
	}
	posts, err := collect("archive posts", rows, scanPost)
	if err != nil {
		return nil, err
	}
	return posts, q.loadAttachments(ctx, posts)
}

// ArchiveMedia implements store.Archive.
func (q Queries) ArchiveMedia(ctx context.Context, orgID, after string, limit int) ([]*model.Media, error) {
	rows, err := q.page(ctx, "archive media", `SELECT `+mediaColumns+` FROM media`, orgID, after, limit)
	if err != nil {
		return nil, err
	}
	return collect("archive media", rows, scanMedia)
}

// ArchiveAudit implements store.Archive.
func (q Queries) ArchiveAudit(ctx context.Context, orgID, after string, limit int) ([]*model.AuditEntry, error) {
	rows, err := q.page(ctx, "archive audit", `SELECT `+auditColumns+` FROM audit_log`, orgID, after, limit)
	if err != nil {
		return nil, err
	}
	return collect("archive audit", rows, scanAudit)
}

// StatementsOfPost implements store.Archive.
func (q Queries) StatementsOfPost(ctx context.Context, postID string) ([]*model.Statement, error) {
	rows, err := q.c.Query(ctx, `SELECT `+statementColumns+` FROM moderation_statements WHERE post_id = ?
		ORDER BY application_date, id`, postID)
	if err != nil {
		return nil, wrap("statements of post", err)
	}
	return collect("statements of post", rows, scanStatement)
}

// FormerHandles implements store.Archive.
func (q Queries) FormerHandles(ctx context.Context, orgID string) ([]store.FormerHandle, error) {
	rows, err := q.c.Query(ctx, `SELECT handle, until FROM org_former_handles WHERE org_id = ? ORDER BY until, handle`, orgID)
	if err != nil {
		return nil, wrap("former handles", err)
	}
	return collect("former handles", rows, func(r Row) (store.FormerHandle, error) {
		var h store.FormerHandle
		var until sql.NullTime
		err := r.Scan(&h.Handle, &until)
		h.Until = fromNull(until)
		return h, err
	})
}

// ImportFormerHandle implements store.Archive.
func (q Queries) ImportFormerHandle(ctx context.Context, orgID string, h store.FormerHandle) error {
	taken, err := q.handleTaken(ctx, h.Handle, "")
	if err != nil {
		return wrap("import former handle", err)
	}
	if taken {
		return wrap("import former handle", store.ErrAlreadyExists)
	}
	_, err = q.c.Exec(ctx, `INSERT INTO org_former_handles (handle, org_id, until) VALUES (?, ?, ?)`, h.Handle, orgID, dbTime(h.Until))
	return wrap("import former handle", err)
}

// ImportReply implements store.Archive.
func (q Queries) ImportReply(ctx context.Context, r *model.Reply) error {
	_, err := q.c.Exec(ctx, `INSERT INTO replies (`+replyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.PostID, r.ActorID, r.URL, r.ContentHTML, r.Summary, string(r.State), dbTime(r.Published), dbTime(r.ReceivedAt),
		dbTime(r.DecidedAt), r.DecidedBy, r.DecidedByName)
	return wrap("import reply", err)
}
