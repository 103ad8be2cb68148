package store

import (
	"context"

	"plein/internal/model"
)

// Approvals stores four-eyes publishing: each organisation's policy and
// what awaits an approver or was returned to its author.
type Approvals interface {
	// ApprovalPolicy returns an organisation's policy; approval is not
	// required when it never chose.
	ApprovalPolicy(ctx context.Context, orgID string) (model.ApprovalPolicy, error)
	PutApprovalPolicy(ctx context.Context, p model.ApprovalPolicy) error
	// PutApproval stores what awaits approval for a post, replacing what
	// was stored for it before (with its attachments).
	PutApproval(ctx context.Context, a *model.Approval) error
	// ApprovalByPost returns what awaits approval for a post; ErrNotFound
	// when nothing does.
	ApprovalByPost(ctx context.Context, postID string) (*model.Approval, error)
	// DeleteApproval removes what awaited approval for a post; it is not an
	// error when nothing did.
	DeleteApproval(ctx context.Context, postID string) error
	// ListApprovals returns an organisation's approvals, oldest submitted
	// first.
	ListApprovals(ctx context.Context, orgID string) ([]*model.Approval, error)
}
