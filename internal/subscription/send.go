package subscription

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/insights"
	"plein/internal/jobs"
	"plein/internal/mail"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/store"
)

// BatchSize is how many subscribers one sending job covers.
const BatchSize = 500

// SendAttempts is how often a sending job is tried. With River's backoff
// (attempt⁴ seconds) fifteen attempts span about two days, so a relay that
// is down for hours delays mail without losing it. Waiting out a relay's
// pause uses no attempt.
const SendAttempts = 15

// sendBudget is how long one run of a sending job sends before it makes
// way and continues in a fresh run, well within the job timeout; the
// relay's own rate limit may make a batch take longer than one run.
const sendBudget = 40 * time.Second

// active selects subscriptions that receive mail.
var active = []model.SubscriptionState{model.SubscriptionActive}

// NoticeArgs is the durable job that sends an address that asked to
// subscribe either the mail to confirm it or, when it is subscribed
// already, the mail saying so. It carries no address.
type NoticeArgs struct {
	SubscriptionID string    `json:"subscription_id"`
	At             time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (NoticeArgs) Kind() string { return "subscription_notice" }

// InsertOpts puts notices on the mail queue.
func (NoticeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10}
}

// NoticeWorker sends NoticeArgs jobs.
type NoticeWorker struct {
	river.WorkerDefaults[NoticeArgs]
	svc *Service
}

// NewNoticeWorker returns the worker for NoticeArgs jobs.
func NewNoticeWorker(svc *Service) *NoticeWorker { return &NoticeWorker{svc: svc} }

// Work sends the notice that fits the subscription as it is now.
func (w *NoticeWorker) Work(ctx context.Context, job *river.Job[NoticeArgs]) error {
	return w.svc.sendNotice(ctx, job.Args)
}

func (s *Service) sendNotice(ctx context.Context, a NoticeArgs) error {
	if !s.Enabled() {
		return nil
	}
	sub, err := s.st.SubscriptionByID(ctx, a.SubscriptionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // erased meanwhile
	}
	if err != nil {
		return fmt.Errorf("subscription: notice: %w", err)
	}
	o, err := s.st.OrgByID(ctx, sub.OrgID)
	if err != nil {
		return fmt.Errorf("subscription: notice: %w", err)
	}
	var m *mail.Message
	switch sub.State {
	case model.SubscriptionPending:
		m, err = s.confirmMessage(ctx, o, sub)
	case model.SubscriptionActive:
		m, err = s.alreadyMessage(ctx, o, sub)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	// The same notice sent again keeps its Message-ID.
	m.ID = fmt.Sprintf("notice.%s.%d@%s", sub.ID, a.At.UnixMilli(), s.host)
	if err := s.sender.Send(ctx, m); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			return river.JobCancel(redact(err, sub.Email))
		}
		if snooze := s.untilResumed(err); snooze != nil {
			return snooze
		}
		return redact(err, sub.Email)
	}
	return nil
}

// minSnooze is the shortest wait for a paused relay: a pause that ended
// meanwhile (by another node's clock, say) is not retried in a loop.
const minSnooze = time.Second

// untilResumed returns, for an error of a relay that is paused, the
// snooze that puts the job back until the pause ends without counting an
// attempt: a pause is the relay resting after failures that were counted
// already, so waiting it out must not use up the job's retries. It
// returns nil for any other error.
func (s *Service) untilResumed(err error) error {
	if !errors.Is(err, mail.ErrPaused) {
		return nil
	}
	wait := mail.DefaultPauseMin
	var pe *mail.PauseError
	if errors.As(err, &pe) {
		wait = pe.Until.Sub(s.now())
	}
	return river.JobSnooze(max(wait, minSnooze))
}

// MailWorker sends a newly published post to the subscribers who asked
// for each post at once.
type MailWorker struct {
	river.WorkerDefaults[post.MailArgs]
	svc *Service
}

// NewMailWorker returns the worker for post.MailArgs jobs.
func NewMailWorker(svc *Service) *MailWorker { return &MailWorker{svc: svc} }

// Work divides the sending into batch jobs.
func (w *MailWorker) Work(ctx context.Context, job *river.Job[post.MailArgs]) error {
	_, err := w.svc.fanOutPost(ctx, job.Args.PostID, "post:"+job.Args.PostID, model.FrequencyNow)
	return err
}

// CorrectionArgs is the durable job that sends the current text of a post
// again to every subscriber of its organisation (and topic), marked as a
// correction. Staff enqueue it on purpose, once per revision.
type CorrectionArgs struct {
	PostID   string `json:"post_id"`
	Revision int    `json:"revision"`
}

// Kind implements river.JobArgs.
func (CorrectionArgs) Kind() string { return "subscription_correction" }

// InsertOpts makes a correction unique per post and revision.
func (CorrectionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// CorrectionWorker sends CorrectionArgs jobs.
type CorrectionWorker struct {
	river.WorkerDefaults[CorrectionArgs]
	svc *Service
}

// NewCorrectionWorker returns the worker for CorrectionArgs jobs.
func NewCorrectionWorker(svc *Service) *CorrectionWorker { return &CorrectionWorker{svc: svc} }

// Work divides the sending into batch jobs.
func (w *CorrectionWorker) Work(ctx context.Context, job *river.Job[CorrectionArgs]) error {
	_, err := w.svc.fanOutPost(ctx, job.Args.PostID, correctionItem(job.Args.PostID, job.Args.Revision), "")
	return err
}

func correctionItem(postID string, revision int) string {
	return fmt.Sprintf("correction:%s:%d", postID, revision)
}

// postTags returns the hashtags of a post in lower case, each once.
func postTags(p *model.Post) []string {
	_, tags := markup.Tags(p.Text)
	out := []string{}
	for _, t := range tags {
		if t = strings.ToLower(t); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// fanOutPost divides the sending of item, about a public post, among
// batch jobs for the active subscribers of its organisation with
// frequency (empty: any) whose topic the post carries. It returns the
// number of batches.
func (s *Service) fanOutPost(ctx context.Context, postID, item string, frequency model.Frequency) (int, error) {
	if !s.Enabled() {
		return 0, nil
	}
	p, err := s.st.PostByID(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil // purged
	}
	if err != nil {
		return 0, fmt.Errorf("subscription: send %s: %w", item, err)
	}
	if !p.Public() || p.InReplyTo != "" {
		return 0, nil // deleted meanwhile, or an answer to a citizen's reply
	}
	f := store.SubscriptionFilter{OrgID: p.OrgID, States: active, Frequency: frequency, Tags: postTags(p)}
	return s.fanOut(ctx, p.OrgID, item, p.ID, time.Time{}, f)
}

// SendArgs is the durable job that sends item to a batch of subscribers:
// it records one outbox message per subscriber, then sends those not yet
// accepted by the relay, so that a retry sends only what is left.
type SendArgs struct {
	Item   string `json:"item"`
	OrgID  string `json:"org_id"`
	PostID string `json:"post_id,omitempty"`
	// Until is the end of a digest's period.
	Until           time.Time `json:"until,omitzero"`
	SubscriptionIDs []string  `json:"subscription_ids"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "subscription_send" }

// InsertOpts puts batches on the mail queue, retried for about two days.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: SendAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// fanOut enqueues the batch jobs of item for the subscriptions f selects,
// once per organisation and item however often it is called. It returns
// the number of batches enqueued now.
func (s *Service) fanOut(ctx context.Context, orgID, item, postID string, until time.Time, f store.SubscriptionFilter) (int, error) {
	batches := 0
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		claimed, err := tx.ClaimFanout(ctx, orgID+" "+item, s.now().UTC())
		if err != nil || !claimed {
			return err
		}
		f.Limit = BatchSize
		for {
			subs, err := tx.ListSubscriptions(ctx, f)
			if err != nil {
				return err
			}
			if len(subs) == 0 {
				return nil
			}
			ids := make([]string, len(subs))
			for i, sub := range subs {
				ids[i] = sub.ID
			}
			if err := tx.EnqueueJob(ctx, SendArgs{Item: item, OrgID: orgID, PostID: postID, Until: until, SubscriptionIDs: ids}, nil); err != nil {
				return err
			}
			batches++
			if len(subs) < BatchSize {
				return nil
			}
			f.AfterID = ids[len(ids)-1]
		}
	})
	if err != nil {
		return 0, fmt.Errorf("subscription: send %s: %w", item, err)
	}
	return batches, nil
}

// SendWorker sends SendArgs jobs.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	svc *Service
}

// NewSendWorker returns the worker for SendArgs jobs.
func NewSendWorker(svc *Service) *SendWorker { return &SendWorker{svc: svc} }

// Timeout bounds one run of a batch; it stops sending after sendBudget.
func (w *SendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return time.Minute }

// Work sends the batch.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	return w.svc.SendBatch(ctx, job.Args)
}

// SendBatch sends item to the batch's subscribers, each at most once: it
// first records an outbox message (with its Message-ID) for every active
// subscriber of the batch, then sends each message not yet accepted and
// records its acceptance. A message whose acceptance was lost (the relay
// took it, then the process stopped) is sent again with the same
// Message-ID. A post that is no longer public when its message's turn
// comes is not sent. A relay that refuses a message for good marks it
// failed; a relay that is paused puts the job back until the pause ends,
// without counting an attempt; any other failure ends the run with an
// error, and the job is tried again later for the messages left.
func (s *Service) SendBatch(ctx context.Context, a SendArgs) error {
	if !s.Enabled() {
		return nil
	}
	started := time.Now() // the work budget is real time, whatever clock the service reads
	o, err := s.st.OrgByID(ctx, a.OrgID)
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", a.Item, err)
	}
	msgs, err := s.outbox(ctx, a)
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", a.Item, err)
	}
	b := &batch{svc: s, args: a, org: o}
	for _, m := range msgs {
		if m.State != model.OutboxPending {
			continue
		}
		if time.Since(started) > sendBudget {
			return river.JobSnooze(0) // continue in a fresh run, at once
		}
		if err := b.send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// outbox returns the batch's outbox messages, first recording one for each
// active subscriber of the batch that has none.
func (s *Service) outbox(ctx context.Context, a SendArgs) ([]*model.OutboxMessage, error) {
	var msgs []*model.OutboxMessage
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		have, err := tx.Outbox(ctx, a.Item, a.SubscriptionIDs)
		if err != nil {
			return err
		}
		var missing []string
		for _, id := range a.SubscriptionIDs {
			if !slices.ContainsFunc(have, func(m *model.OutboxMessage) bool { return m.SubscriptionID == id }) {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			subs, err := tx.ListSubscriptions(ctx, store.SubscriptionFilter{IDs: missing, States: active})
			if err != nil {
				return err
			}
			now := s.now().UTC()
			added := make([]*model.OutboxMessage, len(subs))
			for i, sub := range subs {
				added[i] = &model.OutboxMessage{SubscriptionID: sub.ID, Item: a.Item, OrgID: a.OrgID, PostID: a.PostID,
					MessageID: s.messageID(now), State: model.OutboxPending, CreatedAt: now}
			}
			if err := tx.AddOutbox(ctx, added); err != nil {
				return err
			}
			have = append(have, added...)
		}
		msgs = have
		return nil
	})
	slices.SortFunc(msgs, func(x, y *model.OutboxMessage) int { return strings.Compare(x.SubscriptionID, y.SubscriptionID) })
	return msgs, err
}

// batch is one run of a sending job.
type batch struct {
	svc   *Service
	args  SendArgs
	org   *model.Org
	posts []*model.Post // a digest's candidates, read once per run
}

func (b *batch) digest() bool { return strings.HasPrefix(b.args.Item, "digest:") }

// send sends one outbox message and records what became of it.
func (b *batch) send(ctx context.Context, m *model.OutboxMessage) error {
	s := b.svc
	sub, err := s.st.SubscriptionByID(ctx, m.SubscriptionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // ended meanwhile; its messages went with it
	}
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", b.args.Item, err)
	}
	if sub.State != model.SubscriptionActive {
		return s.finish(ctx, m, model.OutboxSkipped, nil, time.Time{})
	}
	msg, carried, err := b.compose(ctx, sub)
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", b.args.Item, err)
	}
	if msg == nil {
		return s.finish(ctx, m, model.OutboxSkipped, nil, b.args.Until)
	}
	msg.ID = m.MessageID
	err = s.sender.Send(ctx, msg)
	switch {
	case err == nil:
		return s.finish(ctx, m, model.OutboxSent, carried, b.args.Until)
	case errors.Is(err, mail.ErrRejected):
		return s.finish(ctx, m, model.OutboxFailed, nil, time.Time{})
	case errors.Is(err, mail.ErrPaused):
		return s.untilResumed(err)
	default:
		return redact(err, sub.Email)
	}
}

// compose returns the message of the batch's item to sub and the ids of
// the posts it carries, or nil when there is nothing to send: the post is
// no longer public, or a digest has no post.
func (b *batch) compose(ctx context.Context, sub *model.Subscription) (*mail.Message, []string, error) {
	s := b.svc
	if b.digest() {
		posts, err := b.digestPosts(ctx, sub)
		if err != nil || len(posts) == 0 {
			return nil, nil, err
		}
		m, err := s.digestMessage(ctx, b.org, sub, posts, b.args.Until)
		ids := make([]string, len(posts))
		for i, p := range posts {
			ids[i] = p.ID
		}
		return m, ids, err
	}
	// The post is read for every message: one deleted while its mail goes
	// out is sent to no one after that.
	p, err := s.st.PostByID(ctx, b.args.PostID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !p.Public() {
		return nil, nil, nil
	}
	m, err := s.postMessage(ctx, b.org, sub, p, strings.HasPrefix(b.args.Item, "correction:"))
	return m, []string{p.ID}, err
}

// digestScan is how many of an organisation's newest posts a digest looks
// through.
const digestScan = 500

// digestPosts returns the public posts for sub's digest, oldest first:
// published after its previous digest and up to the end of this period,
// with its topic if it has one.
func (b *batch) digestPosts(ctx context.Context, sub *model.Subscription) ([]*model.Post, error) {
	if b.posts == nil {
		posts, err := b.svc.st.ListPosts(ctx, store.PostFilter{OrgID: b.org.ID, States: []model.PostState{model.StatePublished}, Limit: digestScan})
		if err != nil {
			return nil, err
		}
		b.posts = posts
	}
	var out []*model.Post
	for i := len(b.posts) - 1; i >= 0; i-- {
		p := b.posts[i]
		if !p.PublishAt.After(sub.DigestedAt) || p.PublishAt.After(b.args.Until) || p.InReplyTo != "" {
			continue
		}
		if sub.Tag != "" && !slices.Contains(postTags(p), sub.Tag) {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// finish records the state of a message, counts a sent or refused one,
// and moves a digest subscriber's period on to until (when later).
func (s *Service) finish(ctx context.Context, m *model.OutboxMessage, state model.OutboxState, posts []string, until time.Time) error {
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		now := s.now().UTC()
		if err := tx.SetOutboxState(ctx, m.SubscriptionID, m.Item, state, now); err != nil {
			return err
		}
		if !until.IsZero() {
			sub, err := tx.SubscriptionByID(ctx, m.SubscriptionID)
			if err != nil {
				return err
			}
			if sub.DigestedAt.Before(until) {
				sub.DigestedAt = until
				if err := tx.UpdateSubscription(ctx, sub); err != nil {
					return err
				}
			}
		}
		var counts []model.InsightCount
		day := now.Format(model.DayFormat)
		switch state {
		case model.OutboxSent:
			for _, id := range posts {
				counts = append(counts, model.InsightCount{OrgID: m.OrgID, PostID: id, Day: day, Metric: insights.MetricMailsSent, Value: 1})
			}
		case model.OutboxFailed:
			counts = append(counts, model.InsightCount{OrgID: m.OrgID, Day: day, Metric: insights.MetricMailFailures, Value: 1})
		}
		if len(counts) == 0 {
			return nil
		}
		return tx.AddInsightCounts(ctx, counts)
	})
	if err != nil {
		return fmt.Errorf("subscription: record message %s: %w", m.MessageID, err)
	}
	return nil
}

// sendError is an error of the relay with the address taken out of its
// text, for the job's record and the log.
type sendError struct {
	msg string
	err error
}

func (e *sendError) Error() string { return e.msg }
func (e *sendError) Unwrap() error { return e.err }

// redact wraps an error of the relay, whose text may quote the address it
// was sending to, so that its text never holds the address.
func redact(err error, address string) error {
	msg := err.Error()
	if address != "" {
		msg = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(address)).ReplaceAllString(msg, "[address]")
	}
	return &sendError{msg: "subscription: send: " + msg, err: err}
}
