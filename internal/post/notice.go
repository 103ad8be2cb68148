package post

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/i18n"
	"plein/internal/jobs"
	pleinmail "plein/internal/mail"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// The notices of approval mailed to staff.
const (
	NoticeAwaiting = "awaiting" // to an approver: something awaits approval
	NoticeReturned = "returned" // to the author: it was returned with a note
	NoticeMissed   = "missed"   // to the author: a scheduled post was not approved by its time
)

// NoticeArgs is the durable job that mails one staff member one notice of
// approval. It is enqueued in the transaction of what it tells, and
// carries only ids and the time that tells this notice from later ones.
type NoticeArgs struct {
	PostID string    `json:"post_id"`
	UserID string    `json:"user_id"`
	Notice string    `json:"notice"`
	At     time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (NoticeArgs) Kind() string { return "post_approval_notice" }

// InsertOpts puts notices on the mail queue, once for each.
func (NoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// tellApprovers enqueues, in tx, a notice to each approver and admin of
// the organisation who did not write what awaits approval in a.
func tellApprovers(ctx context.Context, tx store.Tx, a *model.Approval) error {
	members, err := tx.MembersOfOrg(ctx, a.OrgID)
	if err != nil {
		return err
	}
	var notices []river.JobArgs
	for _, m := range members {
		if (m.Role == model.RoleApprover || m.Role == model.RoleAdmin) && !a.WrittenBy(m.UserID) {
			notices = append(notices, NoticeArgs{PostID: a.PostID, UserID: m.UserID, Notice: NoticeAwaiting, At: a.SubmittedAt})
		}
	}
	if len(notices) == 0 {
		return nil
	}
	return tx.EnqueueJobs(ctx, notices)
}

// tellAuthor enqueues, in tx, a notice to the account that submitted a;
// the operator, who has no address, is not told.
func tellAuthor(ctx context.Context, tx store.Tx, a *model.Approval, notice string, at time.Time) error {
	if a.AuthorID == "" {
		return nil
	}
	return tx.EnqueueJobs(ctx, []river.JobArgs{NoticeArgs{PostID: a.PostID, UserID: a.AuthorID, Notice: notice, At: at}})
}

// NoticeConfig is what a NoticeWorker needs.
type NoticeConfig struct {
	Store store.Store
	// Sender sends the notices; nil: none is sent.
	Sender  pleinmail.Sender
	BaseURL string // public URL without trailing slash
	Logger  *slog.Logger
}

// NoticeWorker mails NoticeArgs jobs.
type NoticeWorker struct {
	river.WorkerDefaults[NoticeArgs]
	c    NoticeConfig
	host string
}

// NewNoticeWorker returns the worker for NoticeArgs jobs.
func NewNoticeWorker(c NoticeConfig) *NoticeWorker {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	w := &NoticeWorker{c: c, host: "localhost"}
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		w.host = u.Hostname()
	}
	return w
}

// Work sends the notice when what it tells still holds: an approver is
// not told of a post approved or returned meanwhile, an author not of a
// return undone by a new submission.
func (w *NoticeWorker) Work(ctx context.Context, job *river.Job[NoticeArgs]) error {
	if w.c.Sender == nil {
		return nil
	}
	n := job.Args
	m, err := w.message(ctx, n)
	if err != nil || m == nil {
		return err
	}
	if err := w.c.Sender.Send(ctx, m); err != nil {
		if errors.Is(err, pleinmail.ErrRejected) {
			w.c.Logger.Warn("post: approval notice refused by the relay", "post", n.PostID, "notice", n.Notice)
			return nil
		}
		// The relay's text may quote the address, which must not reach
		// the job queue's record of the error.
		return fmt.Errorf("post: send approval notice about %s: %s", n.PostID, strings.ReplaceAll(err.Error(), m.To, "[address]"))
	}
	return nil
}

// message returns the mail of notice n; nil when it no longer holds.
func (w *NoticeWorker) message(ctx context.Context, n NoticeArgs) (*pleinmail.Message, error) {
	p, err := w.c.Store.PostByID(ctx, n.PostID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil // purged
	}
	if err != nil {
		return nil, fmt.Errorf("post: approval notice: %w", err)
	}
	a, err := w.c.Store.ApprovalByPost(ctx, n.PostID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil // approved, or deleted
	}
	if err != nil {
		return nil, fmt.Errorf("post: approval notice: %w", err)
	}
	at := n.At.Truncate(time.Microsecond) // as stored
	switch n.Notice {
	case NoticeAwaiting:
		if a.Returned || !a.SubmittedAt.Equal(at) {
			return nil, nil
		}
	case NoticeReturned:
		if !a.Returned || !a.ReturnedAt.Equal(at) {
			return nil, nil
		}
	case NoticeMissed:
		if p.State != model.StateAwaiting && p.State != model.StateReturned {
			return nil, nil
		}
	default:
		return nil, nil
	}
	u, err := w.c.Store.UserByID(ctx, n.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("post: approval notice: %w", err)
	}
	o, err := w.c.Store.OrgByID(ctx, p.OrgID)
	if err != nil {
		return nil, fmt.Errorf("post: approval notice: %w", err)
	}
	text := p.Text
	if a.Kind == model.ApprovalEdit {
		text = a.Text
	}
	// Only the first words, with any sensitive number masked: the rest is
	// on the staff screen the link leads to.
	title := markup.Title(sensitive.Mask(text, sensitive.Scan(text, sensitive.Publication)), 60)
	link := w.c.BaseURL + "/staff/orgs/" + o.Handle + "/posts/" + p.ID
	key := "approval.mail." + n.Notice
	if n.Notice == NoticeAwaiting {
		link = w.c.BaseURL + "/staff/orgs/" + o.Handle + "/approvals"
		if a.Kind == model.ApprovalEdit {
			key += ".edit"
		}
	}
	body := func(lang string) string {
		return i18n.T(lang, key, o.DisplayName, title) + "\n" + link + "\n"
	}
	// Staff accounts have no language of their own: every notice is in
	// Dutch and in English.
	return &pleinmail.Message{
		ID:       fmt.Sprintf("approval.%s.%s.%d.%s@%s", p.ID, n.Notice, n.At.UnixMicro(), n.UserID, w.host),
		FromName: "Plein – " + o.DisplayName,
		To:       u.Email,
		Subject:  i18n.T("nl", key+".subject", o.DisplayName) + " / " + i18n.T("en", key+".subject", o.DisplayName),
		Lang:     "nl",
		Text:     body("nl") + "\n" + body("en") + "\n-- \nPlein\n" + w.c.BaseURL + "/staff/\n",
	}, nil
}
