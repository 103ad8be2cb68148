package store

import (
	"context"
	"time"

	"plein/internal/model"
)

// Filters stores organisations' keyword filters, the filters that matched
// each reply, and the aggregate figures of the public transparency page.
type Filters interface {
	// AddFilter stores a filter; ErrAlreadyExists when the organisation
	// has one with the same phrase.
	AddFilter(ctx context.Context, f *model.Filter) error
	// RemoveFilter deletes a filter of the organisation orgID;
	// ErrNotFound when it has none with the id.
	RemoveFilter(ctx context.Context, orgID, id string) error
	// FilterByID returns a filter; ErrNotFound when there is none.
	FilterByID(ctx context.Context, id string) (*model.Filter, error)
	// FiltersOf returns an organisation's filters, oldest first.
	FiltersOf(ctx context.Context, orgID string) ([]*model.Filter, error)
	// PutFilterHits records the filters that matched a reply, replacing
	// those recorded before (an edit is matched anew).
	PutFilterHits(ctx context.Context, replyID string, hits []model.FilterHit) error
	// FilterHits returns the filters that matched each of the replies,
	// keyed by reply id.
	FilterHits(ctx context.Context, replyIDs []string) (map[string][]model.FilterHit, error)
	// SetBlockMode changes the mode of a block; ErrNotFound when absent.
	SetBlockMode(ctx context.Context, id string, mode model.BlockMode) error
	// ModerationFigures returns the aggregate counts of moderation of the
	// organisation orgID ("" every organisation) in [from, to): replies by
	// the time they were received, decisions by the time they applied,
	// notices by the time they arrived.
	ModerationFigures(ctx context.Context, orgID string, from, to time.Time) (model.ModerationFigures, error)
}
