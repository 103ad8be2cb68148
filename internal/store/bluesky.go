package store

import (
	"context"

	"plein/internal/model"
)

// Bluesky stores organisations' connections to Bluesky and what became of
// each post there.
type Bluesky interface {
	// PutBlueskyAccount stores the organisation's connection, replacing
	// the one it had.
	PutBlueskyAccount(ctx context.Context, a *model.BlueskyAccount) error
	// BlueskyAccount returns the organisation's connection; ErrNotFound
	// when it has none.
	BlueskyAccount(ctx context.Context, orgID string) (*model.BlueskyAccount, error)
	// DeleteBlueskyAccount removes the organisation's connection;
	// ErrNotFound when it had none. What became of its posts is kept.
	DeleteBlueskyAccount(ctx context.Context, orgID string) error
	// PutBlueskyPost stores what became of a post on Bluesky, replacing
	// what was stored.
	PutBlueskyPost(ctx context.Context, p *model.BlueskyPost) error
	// BlueskyPost returns what became of a post on Bluesky; ErrNotFound
	// when it was never sent there.
	BlueskyPost(ctx context.Context, postID string) (*model.BlueskyPost, error)
}
