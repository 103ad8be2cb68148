package store

import (
	"context"
	"time"

	"plein/internal/model"
)

// FormerHandle is a handle an organisation used to have, redirecting to it
// until the time Until.
type FormerHandle struct {
	Handle string
	Until  time.Time
}

// Archive reads an organisation's records in pages for the public-records
// archive, and writes back the records an archive holds that the other
// interfaces cannot store as they were.
type Archive interface {
	// ArchivePosts returns up to limit posts of an organisation, in every
	// state and with their attachments, ordered by id, starting after the
	// id after ("": from the first).
	ArchivePosts(ctx context.Context, orgID, after string, limit int) ([]*model.Post, error)
	// ArchiveMedia returns up to limit media of an organisation ordered by
	// id, starting after the id after.
	ArchiveMedia(ctx context.Context, orgID, after string, limit int) ([]*model.Media, error)
	// ArchiveAudit returns up to limit audit entries of an organisation
	// ordered by id, starting after the id after.
	ArchiveAudit(ctx context.Context, orgID, after string, limit int) ([]*model.AuditEntry, error)
	// StatementsOfPost returns the statements of reasons about the replies
	// to a post, oldest first.
	StatementsOfPost(ctx context.Context, postID string) ([]*model.Statement, error)
	// FormerHandles returns the handles an organisation used to have,
	// oldest first.
	FormerHandles(ctx context.Context, orgID string) ([]FormerHandle, error)
	// ImportFormerHandle stores a former handle of an organisation;
	// ErrAlreadyExists when any organisation holds it, now or formerly.
	ImportFormerHandle(ctx context.Context, orgID string, h FormerHandle) error
	// ImportReply stores a reply with every field, moderation's decision
	// included; ErrAlreadyExists when its id is taken.
	ImportReply(ctx context.Context, r *model.Reply) error
}
