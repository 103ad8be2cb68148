package post

import (
	"context"

	"github.com/riverqueue/river"

	"plein/internal/model"
	"plein/internal/store"
)

// MailArgs is the durable job that sends a newly published post to the
// organisation's e-mail subscribers who asked for each post at once. It is
// enqueued in the transaction that publishes the post; its worker lives in
// package subscription.
type MailArgs struct {
	PostID string `json:"post_id"`
}

// Kind implements river.JobArgs.
func (MailArgs) Kind() string { return "post_mail" }

// InsertOpts makes the job unique per post.
func (MailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// mail enqueues the sending of a post that became public to its
// subscribers, in tx; an imported post is old news and is not sent.
func mail(ctx context.Context, tx store.Tx, p *model.Post) error {
	if p.ImportedFrom != "" {
		return nil
	}
	return tx.EnqueueJob(ctx, MailArgs{PostID: p.ID}, nil)
}
