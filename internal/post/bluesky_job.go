package post

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/model"
	"plein/internal/store"
)

// BlueskyMaxAttempts bounds the attempts of a BlueskyArgs job: with River's
// backoff they span about two days.
const BlueskyMaxAttempts = 15

// BlueskyArgs is the durable job that brings the copy of a post on the
// organisation's Bluesky account up to date: publishes it, applies an
// edit, or deletes it. It is enqueued in the transaction of the change,
// only for an organisation with a connected account; its worker lives in
// package crosspost.
type BlueskyArgs struct {
	PostID string `json:"post_id"`
	Change string `json:"change"` // ChangeCreate, ChangeUpdate or ChangeDelete
	// At distinguishes successive edits of one post.
	At time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (BlueskyArgs) Kind() string { return "post_bluesky" }

// InsertOpts makes the job unique per change and bounds its attempts.
func (BlueskyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: BlueskyMaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// bluesky enqueues, in tx, the change of p on the organisation's Bluesky
// account when it has one, and marks the post's copy there pending.
// Answers to citizens' replies stay off Bluesky, and a post that never
// reached Bluesky needs no deletion there.
func bluesky(ctx context.Context, tx store.Tx, p *model.Post, change string, now time.Time) error {
	if p.InReplyTo != "" {
		return nil
	}
	if _, err := tx.BlueskyAccount(ctx, p.OrgID); errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("post: bluesky: %w", err)
	}
	bp, err := tx.BlueskyPost(ctx, p.ID)
	switch {
	case errors.Is(err, store.ErrNotFound) && change == ChangeDelete:
		return nil
	case errors.Is(err, store.ErrNotFound):
		bp = &model.BlueskyPost{PostID: p.ID, OrgID: p.OrgID}
	case err != nil:
		return fmt.Errorf("post: bluesky: %w", err)
	}
	bp.State, bp.UpdatedAt = model.BlueskyPending, now
	if err := tx.PutBlueskyPost(ctx, bp); err != nil {
		return fmt.Errorf("post: bluesky: %w", err)
	}
	return tx.EnqueueJob(ctx, BlueskyArgs{PostID: p.ID, Change: change, At: p.UpdatedAt}, nil)
}
