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

	"plein/internal/i18n"
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

// FirstBatches is how many batch jobs the first step of a fan-out
// enqueues, in the transaction that claims it: enough to give every mail
// worker a batch at once, so that the first messages go out while the
// rest of the subscribers are still being divided. Each later step, a
// FanoutArgs job, enqueues up to StepBatches: few enough that its
// transaction (which on SQLite holds the one writer) never keeps the
// batches waiting long, many enough to stay far ahead of the sending.
const (
	FirstBatches = jobs.MailWorkers
	StepBatches  = 10
)

// FanoutArgs is the durable job that goes on dividing the sending of item
// among batch jobs: the subscriptions its filter selects after AfterID.
// It is enqueued in the transaction that enqueued the batches before it,
// so the steps together cover every subscriber once, whatever stops in
// between.
type FanoutArgs struct {
	Item   string    `json:"item"`
	OrgID  string    `json:"org_id"`
	PostID string    `json:"post_id,omitempty"`
	Until  time.Time `json:"until,omitzero"`
	// Frequency and Tags are those of the store.SubscriptionFilter; a nil
	// Tags (JSON null) selects every topic.
	Frequency model.Frequency `json:"frequency,omitempty"`
	Tags      []string        `json:"tags"`
	AfterID   string          `json:"after_id"`
}

// Kind implements river.JobArgs.
func (FanoutArgs) Kind() string { return "subscription_fanout" }

// InsertOpts makes a step unique: the same step enqueued twice runs once.
func (FanoutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FanoutWorker runs FanoutArgs jobs.
type FanoutWorker struct {
	river.WorkerDefaults[FanoutArgs]
	svc *Service
}

// NewFanoutWorker returns the worker for FanoutArgs jobs.
func NewFanoutWorker(svc *Service) *FanoutWorker { return &FanoutWorker{svc: svc} }

// Work enqueues the next batches.
func (w *FanoutWorker) Work(ctx context.Context, job *river.Job[FanoutArgs]) error {
	_, err := w.svc.continueFanOut(ctx, job.Args)
	return err
}

// fanOut claims the sending of item, once per organisation and item
// however often it is called, and enqueues its first batch jobs for the
// subscriptions f selects, with a FanoutArgs job for the rest. It returns
// the number of batches enqueued now.
func (s *Service) fanOut(ctx context.Context, orgID, item, postID string, until time.Time, f store.SubscriptionFilter) (int, error) {
	a := FanoutArgs{Item: item, OrgID: orgID, PostID: postID, Until: until, Frequency: f.Frequency, Tags: f.Tags}
	batches := 0
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		claimed, err := tx.ClaimFanout(ctx, orgID+" "+item, s.now().UTC())
		if err != nil || !claimed {
			return err
		}
		batches, err = s.enqueueBatches(ctx, tx, a, s.firstBatches)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscription: send %s: %w", item, err)
	}
	return batches, nil
}

// continueFanOut is a later step of a fan-out. A post deleted meanwhile
// ends it: its batches would send nothing.
func (s *Service) continueFanOut(ctx context.Context, a FanoutArgs) (int, error) {
	if !s.Enabled() {
		return 0, nil
	}
	if a.PostID != "" {
		p, err := s.st.PostByID(ctx, a.PostID)
		if errors.Is(err, store.ErrNotFound) || err == nil && !p.Public() {
			return 0, nil
		}
		if err != nil {
			return 0, fmt.Errorf("subscription: send %s: %w", a.Item, err)
		}
	}
	batches := 0
	err := s.st.InTx(ctx, func(tx store.Tx) (err error) {
		batches, err = s.enqueueBatches(ctx, tx, a, s.stepBatches)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscription: send %s: %w", a.Item, err)
	}
	return batches, nil
}

// enqueueBatches enqueues in tx up to n batch jobs for the active
// subscriptions after a.AfterID, and the next step when there may be
// more. It returns the number of batches.
func (s *Service) enqueueBatches(ctx context.Context, tx store.Tx, a FanoutArgs, n int) (int, error) {
	f := store.SubscriptionFilter{OrgID: a.OrgID, States: active, Frequency: a.Frequency, Tags: a.Tags, AfterID: a.AfterID, Limit: s.batchSize}
	for batches := 0; ; batches++ {
		if batches == n {
			a.AfterID = f.AfterID
			return batches, tx.EnqueueJob(ctx, a, nil)
		}
		subs, err := tx.ListSubscriptions(ctx, f)
		if err != nil {
			return batches, err
		}
		if len(subs) == 0 {
			return batches, nil
		}
		ids := make([]string, len(subs))
		for i, sub := range subs {
			ids[i] = sub.ID
		}
		if err := tx.EnqueueJob(ctx, SendArgs{Item: a.Item, OrgID: a.OrgID, PostID: a.PostID, Until: a.Until, SubscriptionIDs: ids}, nil); err != nil {
			return batches, err
		}
		if len(subs) < s.batchSize {
			return batches + 1, nil
		}
		f.AfterID = ids[len(ids)-1]
	}
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

// sendChunk is how many messages a batch sends between two readings of
// its subscriptions and post, and between two records of what became of
// the messages: one transaction per chunk rather than per message. A post
// deleted while its mail goes out is sent to no one after the chunk under
// way; a process that stops in the middle of a chunk sends that chunk's
// accepted messages again, with the same Message-IDs.
const sendChunk = 50

// SendBatch sends item to the batch's subscribers, each at most once: it
// first records an outbox message (with its Message-ID) for every active
// subscriber of the first chunk, and then of the rest of the batch,
// sends the messages not yet accepted a chunk at a time, and records
// what became of each chunk's messages together. A message whose acceptance was lost (the relay took it, then
// the process stopped before the record) is sent again with the same
// Message-ID. A post that is no longer public when its chunk's turn comes
// is not sent. A relay that refuses a message for good marks it failed; a
// relay that is paused puts the job back until the pause ends, without
// counting an attempt; any other failure ends the run with an error, and
// the job is tried again later for the messages left.
func (s *Service) SendBatch(ctx context.Context, a SendArgs) error {
	if !s.Enabled() {
		return nil
	}
	started := time.Now() // the work budget is real time, whatever clock the service reads
	o, err := s.st.OrgByID(ctx, a.OrgID)
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", a.Item, err)
	}
	b := &batch{svc: s, args: a, org: o}
	// The first chunk's outbox messages are recorded alone, so that they
	// go out at once; the rest of the batch's together, in one
	// transaction rather than one a chunk.
	first := min(sendChunk, len(a.SubscriptionIDs))
	for _, ids := range [][]string{a.SubscriptionIDs[:first], a.SubscriptionIDs[first:]} {
		if len(ids) == 0 {
			continue
		}
		msgs, err := s.outbox(ctx, a, ids)
		if err != nil {
			return fmt.Errorf("subscription: send %s: %w", a.Item, err)
		}
		pending := slices.DeleteFunc(msgs, func(m *model.OutboxMessage) bool { return m.State != model.OutboxPending })
		for len(pending) > 0 {
			if time.Since(started) > sendBudget {
				return river.JobSnooze(0) // continue in a fresh run, at once
			}
			n := min(sendChunk, len(pending))
			if err := b.sendChunk(ctx, pending[:n]); err != nil {
				return err
			}
			pending = pending[n:]
		}
	}
	return nil
}

// outbox returns the outbox messages of the batch's subscribers ids,
// first recording one for each active subscriber among them that has
// none.
func (s *Service) outbox(ctx context.Context, a SendArgs, ids []string) ([]*model.OutboxMessage, error) {
	var msgs []*model.OutboxMessage
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		have, err := tx.Outbox(ctx, a.Item, ids)
		if err != nil {
			return err
		}
		recorded := make(map[string]bool, len(have))
		for _, m := range have {
			recorded[m.SubscriptionID] = true
		}
		var missing []string
		for _, id := range ids {
			if !recorded[id] {
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
	post  *model.Post           // the post of a post's item as the chunk under way read it; nil: not to be sent
	posts []*model.Post         // a digest's candidates, read once per run
	lps   map[string]letterPost // posts rendered for mail, by post, language and heading
	subj  map[string]string     // subject lines, by post
	// done are the outcomes of the chunk under way, recorded together.
	done []outcome
}

// outcome is what became of one message.
type outcome struct {
	m     *model.OutboxMessage
	state model.OutboxState
	posts []string  // the posts a sent message carried
	until time.Time // a digest's period, to move its subscriber's on to
}

func (b *batch) digest() bool { return strings.HasPrefix(b.args.Item, "digest:") }

// sendChunk sends msgs, reading their subscriptions (and the post) first,
// and records what became of each message it tried in one transaction,
// also when it stops early on an error.
func (b *batch) sendChunk(ctx context.Context, msgs []*model.OutboxMessage) (err error) {
	defer func() {
		if rerr := b.record(ctx); rerr != nil {
			err = rerr // the outcomes are lost: the job sends those messages again
		}
	}()
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.SubscriptionID
	}
	subs, err := b.svc.st.ListSubscriptions(ctx, store.SubscriptionFilter{IDs: ids})
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", b.args.Item, err)
	}
	byID := make(map[string]*model.Subscription, len(subs))
	for _, sub := range subs {
		byID[sub.ID] = sub
	}
	if err := b.readPost(ctx); err != nil {
		return fmt.Errorf("subscription: send %s: %w", b.args.Item, err)
	}
	for _, m := range msgs {
		sub := byID[m.SubscriptionID]
		if sub == nil {
			continue // ended meanwhile; its messages went with it
		}
		if err := b.send(ctx, m, sub); err != nil {
			return err
		}
	}
	return nil
}

// readPost reads the post of a post's item afresh, so that one deleted
// while its mail goes out is sent to no one after that.
func (b *batch) readPost(ctx context.Context) error {
	if b.digest() {
		return nil
	}
	b.post, b.lps, b.subj = nil, nil, nil
	p, err := b.svc.st.PostByID(ctx, b.args.PostID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case p.Public():
		b.post = p
	}
	return nil
}

// send sends one outbox message to sub and notes what became of it.
func (b *batch) send(ctx context.Context, m *model.OutboxMessage, sub *model.Subscription) error {
	s := b.svc
	if sub.State != model.SubscriptionActive {
		b.note(m, model.OutboxSkipped, nil, time.Time{})
		return nil
	}
	msg, carried, err := b.compose(ctx, sub)
	if err != nil {
		return fmt.Errorf("subscription: send %s: %w", b.args.Item, err)
	}
	if msg == nil {
		b.note(m, model.OutboxSkipped, nil, b.args.Until)
		return nil
	}
	msg.ID = m.MessageID
	err = s.sender.Send(ctx, msg)
	switch {
	case err == nil:
		b.note(m, model.OutboxSent, carried, b.args.Until)
		return nil
	case errors.Is(err, mail.ErrRejected):
		b.note(m, model.OutboxFailed, nil, time.Time{})
		return nil
	case errors.Is(err, mail.ErrPaused):
		return s.untilResumed(err)
	default:
		return redact(err, sub.Email)
	}
}

func (b *batch) note(m *model.OutboxMessage, state model.OutboxState, posts []string, until time.Time) {
	b.done = append(b.done, outcome{m: m, state: state, posts: posts, until: until})
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
		loc := b.org.Location()
		lps := make([]letterPost, len(posts))
		ids := make([]string, len(posts))
		for i, p := range posts {
			if lps[i], err = b.letterPost(p, sub.Lang, i18n.DateTime(sub.Lang, p.PublishAt.In(loc))); err != nil {
				return nil, nil, err
			}
			ids[i] = p.ID
		}
		m, err := s.digestMessage(ctx, b.org, sub, lps, b.args.Until)
		return m, ids, err
	}
	p := b.post
	if p == nil {
		return nil, nil, nil
	}
	lp, err := b.letterPost(p, sub.Lang, "")
	if err != nil {
		return nil, nil, err
	}
	subj, ok := b.subj[p.ID]
	if !ok {
		subj = subject(p)
		if b.subj == nil {
			b.subj = map[string]string{}
		}
		b.subj[p.ID] = subj
	}
	m, err := s.postMessage(ctx, b.org, sub, subj, lp, strings.HasPrefix(b.args.Item, "correction:"))
	return m, []string{p.ID}, err
}

// letterPost renders p for mail in lang once per run (or chunk, for a
// post that is read again), not once per subscriber.
func (b *batch) letterPost(p *model.Post, lang, heading string) (letterPost, error) {
	key := p.ID + "\x00" + lang + "\x00" + heading
	if lp, ok := b.lps[key]; ok {
		return lp, nil
	}
	lp, err := b.svc.letterPost(b.org, p, lang, heading)
	if err != nil {
		return lp, err
	}
	if b.lps == nil {
		b.lps = map[string]letterPost{}
	}
	b.lps[key] = lp
	return lp, nil
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

// recordTimeout bounds the recording of a chunk's outcomes, which goes on
// when the job's context ends (at shutdown, say): every outcome recorded
// is a message not sent again.
const recordTimeout = 10 * time.Second

// record stores the outcomes of the chunk under way in one transaction:
// each message's state, the counts of messages sent and refused, and for
// a digest each subscriber's period moved on to its end (when later). A
// subscription ended meanwhile took its message with it and is passed
// over.
func (b *batch) record(ctx context.Context) error {
	if len(b.done) == 0 {
		return nil
	}
	done := b.done
	b.done = nil
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	s := b.svc
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		now := s.now().UTC()
		day := now.Format(model.DayFormat)
		counts := tally{}
		for _, o := range done {
			err := tx.SetOutboxState(ctx, o.m.SubscriptionID, o.m.Item, o.state, now)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if !o.until.IsZero() {
				sub, err := tx.SubscriptionByID(ctx, o.m.SubscriptionID)
				if err != nil {
					return err
				}
				if sub.DigestedAt.Before(o.until) {
					sub.DigestedAt = o.until
					if err := tx.UpdateSubscription(ctx, sub); err != nil {
						return err
					}
				}
			}
			switch o.state {
			case model.OutboxSent:
				for _, id := range o.posts {
					counts[model.InsightCount{OrgID: o.m.OrgID, PostID: id, Day: day, Metric: insights.MetricMailsSent}]++
				}
			case model.OutboxFailed:
				counts[model.InsightCount{OrgID: o.m.OrgID, Day: day, Metric: insights.MetricMailFailures}]++
			}
		}
		if len(counts) == 0 {
			return nil
		}
		return tx.AddInsightCounts(ctx, counts.list())
	})
	if err != nil {
		return fmt.Errorf("subscription: record %d messages of %s: %w", len(done), b.args.Item, err)
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
