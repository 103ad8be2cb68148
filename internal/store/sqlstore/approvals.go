package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"plein/internal/model"
	"plein/internal/store"
)

// ApprovalPolicy implements store.Approvals.
func (q Queries) ApprovalPolicy(ctx context.Context, orgID string) (model.ApprovalPolicy, error) {
	p := model.ApprovalPolicy{OrgID: orgID}
	err := q.c.QueryRow(ctx, `SELECT required, correction_distance FROM approval_policies WHERE org_id = ?`, orgID).
		Scan(&p.Required, &p.CorrectionDistance)
	if errors.Is(err, store.ErrNotFound) {
		return p, nil
	}
	return p, wrap("approval policy", err)
}

// PutApprovalPolicy implements store.Approvals.
func (q Queries) PutApprovalPolicy(ctx context.Context, p model.ApprovalPolicy) error {
	_, err := q.c.Exec(ctx, `INSERT INTO approval_policies (org_id, required, correction_distance) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET required = excluded.required, correction_distance = excluded.correction_distance`,
		p.OrgID, p.Required, p.CorrectionDistance)
	return wrap("put approval policy", err)
}

const approvalColumns = `post_id, org_id, kind, author_id, author, authors, submitted_at, returned, note,
	returned_by, returned_by_name, returned_at, text, summary, language`

func scanApproval(r Row) (*model.Approval, error) {
	var a model.Approval
	var kind, authors string
	var submitted, returned sql.NullTime
	if err := r.Scan(&a.PostID, &a.OrgID, &kind, &a.AuthorID, &a.Author, &authors, &submitted, &a.Returned, &a.Note,
		&a.ReturnedBy, &a.ReturnedByName, &returned, &a.Text, &a.Summary, &a.Language); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(authors), &a.Authors); err != nil {
		return nil, fmt.Errorf("decode authors of the approval of %s: %w", a.PostID, err)
	}
	a.Kind, a.SubmittedAt, a.ReturnedAt = model.ApprovalKind(kind), fromNull(submitted), fromNull(returned)
	return &a, nil
}

// PutApproval implements store.Approvals.
func (q Queries) PutApproval(ctx context.Context, a *model.Approval) error {
	if err := q.DeleteApproval(ctx, a.PostID); err != nil {
		return err
	}
	authors := a.Authors
	if authors == nil {
		authors = []string{}
	}
	_, err := q.c.Exec(ctx, `INSERT INTO post_approvals (`+approvalColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.PostID, a.OrgID, string(a.Kind), a.AuthorID, a.Author, marshalStrings(authors), dbTime(a.SubmittedAt), a.Returned, a.Note,
		a.ReturnedBy, a.ReturnedByName, dbTime(a.ReturnedAt), a.Text, a.Summary, a.Language)
	if err != nil {
		return wrap("put approval", err)
	}
	for i, at := range a.Attachments {
		if _, err := q.c.Exec(ctx, `INSERT INTO post_approval_attachments (post_id, position, media_id, alt) VALUES (?, ?, ?, ?)`,
			a.PostID, i, at.MediaID, at.Alt); err != nil {
			return wrap("put approval attachment", err)
		}
	}
	return nil
}

// ApprovalByPost implements store.Approvals.
func (q Queries) ApprovalByPost(ctx context.Context, postID string) (*model.Approval, error) {
	a, err := scanApproval(q.c.QueryRow(ctx, `SELECT `+approvalColumns+` FROM post_approvals WHERE post_id = ?`, postID))
	if err != nil {
		return nil, wrap("approval by post", err)
	}
	return a, q.loadApprovalAttachments(ctx, []*model.Approval{a})
}

// DeleteApproval implements store.Approvals.
func (q Queries) DeleteApproval(ctx context.Context, postID string) error {
	if _, err := q.c.Exec(ctx, `DELETE FROM post_approval_attachments WHERE post_id = ?`, postID); err != nil {
		return wrap("delete approval", err)
	}
	_, err := q.c.Exec(ctx, `DELETE FROM post_approvals WHERE post_id = ?`, postID)
	return wrap("delete approval", err)
}

// ListApprovals implements store.Approvals.
func (q Queries) ListApprovals(ctx context.Context, orgID string) ([]*model.Approval, error) {
	rows, err := q.c.Query(ctx, `SELECT `+approvalColumns+` FROM post_approvals WHERE org_id = ? ORDER BY submitted_at, post_id`, orgID)
	if err != nil {
		return nil, wrap("list approvals", err)
	}
	list, err := collect("list approvals", rows, scanApproval)
	if err != nil {
		return nil, err
	}
	return list, q.loadApprovalAttachments(ctx, list)
}

func (q Queries) loadApprovalAttachments(ctx context.Context, list []*model.Approval) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[string]*model.Approval, len(list))
	args := make([]any, 0, len(list))
	for _, a := range list {
		byID[a.PostID] = a
		a.Attachments = nil
		args = append(args, a.PostID)
	}
	rows, err := q.c.Query(ctx, `SELECT post_id, media_id, alt FROM post_approval_attachments
		WHERE post_id IN (`+placeholders(len(args))+`) ORDER BY post_id, position`, args...)
	if err != nil {
		return wrap("load approval attachments", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		var at model.Attachment
		if err := rows.Scan(&postID, &at.MediaID, &at.Alt); err != nil {
			return wrap("load approval attachments", err)
		}
		byID[postID].Attachments = append(byID[postID].Attachments, at)
	}
	return wrap("load approval attachments", rows.Err())
}
