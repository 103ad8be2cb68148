package post

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store"
)

// PublishArgs is the durable job that publishes a scheduled post at its
// time. It is enqueued in the transaction that schedules the post.
type PublishArgs struct {
	PostID string `json:"post_id"`
}

// Kind implements river.JobArgs.
func (PublishArgs) Kind() string { return "post_publish" }

// PublishWorker publishes scheduled posts whose time has come.
type PublishWorker struct {
	river.WorkerDefaults[PublishArgs]
	st  store.Store
	now func() time.Time
}

// NewPublishWorker returns the worker for PublishArgs jobs.
func NewPublishWorker(st store.Store, now func() time.Time) *PublishWorker {
	return &PublishWorker{st: st, now: now}
}

// Work publishes the post if it is still scheduled and due; a post still
// awaiting approval at its time is not published, and its author is told. A post that was
// rescheduled, published, unscheduled or deleted meanwhile is left alone:
// rescheduling enqueues its own job.
func (w *PublishWorker) Work(ctx context.Context, job *river.Job[PublishArgs]) error {
	return w.st.InTx(ctx, func(tx store.Tx) error {
		p, err := tx.PostByID(ctx, job.Args.PostID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // purged
		}
		if err != nil {
			return fmt.Errorf("post: publish job: %w", err)
		}
		now := w.now().UTC()
		if p.PublishAt.After(now.Add(time.Second)) {
			return nil
		}
		if p.State == model.StateAwaiting {
			return missed(ctx, tx, p, now)
		}
		if p.State != model.StateScheduled {
			return nil
		}
		o, err := tx.OrgByID(ctx, p.OrgID)
		if err != nil {
			return fmt.Errorf("post: publish job: %w", err)
		}
		if o.Moved() {
			return nil // it publishes nothing here any more: the post stays scheduled
		}
		p.State = model.StatePublished
		if err := tx.UpdatePost(ctx, p); err != nil {
			return fmt.Errorf("post: publish job: %w", err)
		}
		if err := federate(ctx, tx, p, ChangeCreate); err != nil {
			return err
		}
		if err := mail(ctx, tx, p); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
}

// The changes of a post that are announced to followers.
const (
	ChangeCreate = "create"
	ChangeUpdate = "update"
	ChangeDelete = "delete"
)

// FederateArgs is the durable job that announces a change of a post to the
// organisation's followers on the Fediverse. It is enqueued in the
// transaction of the change; its worker lives in package federation.
type FederateArgs struct {
	PostID string `json:"post_id"`
	Change string `json:"change"`
	// At distinguishes successive edits of one post.
	At time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (FederateArgs) Kind() string { return "post_federate" }

// federate enqueues, in tx, the announcement of a change of p to the
// organisation's followers on the Fediverse and, when it has a connected
// account, on Bluesky. An imported post is never announced: its followers
// did not follow it there.
func federate(ctx context.Context, tx store.Tx, p *model.Post, change string) error {
	if p.ImportedFrom != "" {
		return nil
	}
	if err := tx.EnqueueJob(ctx, FederateArgs{PostID: p.ID, Change: change, At: p.UpdatedAt}, nil); err != nil {
		return err
	}
	at := p.UpdatedAt
	if change == ChangeDelete && !p.DeletedAt.IsZero() {
		at = p.DeletedAt
	}
	return bluesky(ctx, tx, p, change, at)
}

// missed records, in tx, that the post p awaiting approval was not
// approved by its time, and tells its author.
func missed(ctx context.Context, tx store.Tx, p *model.Post, now time.Time) error {
	a, err := tx.ApprovalByPost(ctx, p.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("post: publish job: %w", err)
	}
	if err := auth.Audit(ctx, tx, auth.Actor{Name: "Plein"}, p.OrgID, AuditMissed, p.ID, auditText(p.Text), now); err != nil {
		return err
	}
	return tellAuthor(ctx, tx, a, NoticeMissed, p.PublishAt)
}
