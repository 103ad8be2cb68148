package federation

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/activity"
	"plein/internal/httpsig"
	"plein/internal/insights"
	"plein/internal/jobs"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/store"
)

// DeliveryAttempts is how often a delivery is tried. With River's backoff
// (attempt⁴ seconds) fifteen attempts span about two days.
const DeliveryAttempts = 15

// DeliverArgs is the durable job that sends one activity to one inbox,
// signed by the organisation's key.
type DeliverArgs struct {
	OrgID    string          `json:"org_id"`
	Inbox    string          `json:"inbox"`
	Activity json.RawMessage `json:"activity"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "federation_deliver" }

// InsertOpts makes deliveries unique per inbox and activity, so a fan-out
// that runs twice after a crash enqueues each delivery once.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDelivery, MaxAttempts: DeliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// enqueueDelivery adds the delivery of doc to inbox in tx.
func enqueueDelivery(ctx context.Context, tx store.Tx, orgID, inbox string, doc any) error {
	b, err := activity.Marshal(doc)
	if err != nil {
		return err
	}
	return tx.EnqueueJob(ctx, DeliverArgs{OrgID: orgID, Inbox: inbox, Activity: b}, nil)
}

// signer returns a function that signs a request carrying body (nil for
// a GET) with an actor's key.
func (s *Service) signer(keyID string, key *rsa.PrivateKey, body []byte) func(*http.Request) error {
	return func(r *http.Request) error {
		// Signing is the CPU cost of a fan-out. While readers are being
		// served it gets at most half the cores, so that pages stay fast;
		// otherwise every core.
		slots := signingAll
		if s.Readers != nil && s.Readers() {
			slots = signingHalf
		}
		slots <- struct{}{}
		defer func() { <-slots }()
		return httpsig.SignRequest(r, keyID, key, body, s.now())
	}
}

// signingAll and signingHalf bound the signatures made at once: to the
// number of cores, and to half of them (at least one) while readers are
// served. A signature holds a slot of one of them.
var (
	signingAll  = make(chan struct{}, runtime.GOMAXPROCS(0))
	signingHalf = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
)

// PerHostDeliveries is how many deliveries to one server run at once in a
// process, so that a large fan-out does not overwhelm a small server.
const PerHostDeliveries = 4

// DeliverWorker sends DeliverArgs jobs.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	svc     *Service
	mu      sync.Mutex
	hosts   map[string]chan struct{} // a semaphore per server
	healthy map[string]time.Time     // servers that last accepted a delivery, and when
}

// NewDeliverWorker returns the worker for DeliverArgs jobs.
func NewDeliverWorker(svc *Service) *DeliverWorker {
	return &DeliverWorker{svc: svc, hosts: map[string]chan struct{}{}, healthy: map[string]time.Time{}}
}

// slot waits for a free delivery slot for host and returns its release.
func (w *DeliverWorker) slot(ctx context.Context, host string) (func(), error) {
	w.mu.Lock()
	sem, ok := w.hosts[host]
	if !ok {
		sem = make(chan struct{}, PerHostDeliveries)
		w.hosts[host] = sem
	}
	w.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A server whose deliveries fail PauseAfterFailures times in a row is
// paused: its queued deliveries wait, first MinPause, doubling with each
// further failure up to MaxPause, instead of each trying on its own.
// One success ends the pause.
const (
	PauseAfterFailures = 10
	MinPause           = 10 * time.Minute
	MaxPause           = 12 * time.Hour
)

// pauseUntil returns until when a server that failed failures times in a
// row, last at now, is paused; zero when it is not.
func pauseUntil(now time.Time) func(failures int) time.Time {
	return func(failures int) time.Time {
		if failures < PauseAfterFailures {
			return time.Time{}
		}
		d := MinPause
		for i := PauseAfterFailures; i < failures && d < MaxPause; i++ {
			d *= 2
		}
		return now.Add(min(d, MaxPause))
	}
}

// healthyFor is how long a server that just accepted a delivery is taken to
// be neither failing nor paused without asking the database. A pause set by
// another node is noticed within that time.
const healthyFor = time.Minute

// hostState returns the failures in a row and the pause of a server, from
// memory when it accepted a delivery in the last healthyFor.
func (w *DeliverWorker) hostState(ctx context.Context, host string) (int, time.Time, error) {
	w.mu.Lock()
	at, ok := w.healthy[host]
	w.mu.Unlock()
	if ok && w.svc.now().Sub(at) < healthyFor {
		return 0, time.Time{}, nil
	}
	return w.svc.st.DeliveryHost(ctx, host)
}

func (w *DeliverWorker) markHealthy(host string) {
	w.mu.Lock()
	if len(w.healthy) >= maxHealthyHosts {
		clear(w.healthy) // a bound on memory; the database knows the rest
	}
	w.healthy[host] = w.svc.now()
	w.mu.Unlock()
}

func (w *DeliverWorker) forgetHealthy(host string) {
	w.mu.Lock()
	delete(w.healthy, host)
	w.mu.Unlock()
}

// maxHealthyHosts bounds the servers remembered as healthy.
const maxHealthyHosts = 100_000

// Timeout bounds one delivery attempt.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 30 * time.Second }

// Work posts the activity. A server error or no answer is retried with
// backoff; a refusal (4xx other than 408 and 429) is final.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	s := w.svc
	key, _, err := s.Key(ctx, job.Args.OrgID)
	if err != nil {
		return err
	}
	host := hostOf(job.Args.Inbox)
	failures, until, err := w.hostState(ctx, host)
	if err != nil {
		return err
	}
	if wait := until.Sub(s.now()); wait > 0 {
		s.Metrics.Delivery("paused")
		return river.JobSnooze(wait)
	}
	release, err := w.slot(ctx, host)
	if err != nil {
		return err
	}
	defer release()
	status, err := s.client.Post(ctx, job.Args.Inbox, activity.ContentType, job.Args.Activity,
		s.signer(s.ActorID(job.Args.OrgID)+"#main-key", key, job.Args.Activity))
	s.Metrics.Delivery(outcome(status, err))
	switch {
	case err != nil:
		err = fmt.Errorf("federation: deliver to %s: %w", job.Args.Inbox, err)
	case status >= 200 && status < 300:
		s.count(job.Args.OrgID, "", insights.MetricDeliveries, 1)
		w.markHealthy(host)
		if failures > 0 {
			return s.st.DeliverySucceeded(ctx, host)
		}
		return nil
	case status == http.StatusGone:
		// The inbox is gone for good. When it was a follower's own inbox,
		// that follower is gone too; a shared inbox ends no follow.
		n, gerr := s.inboxGone(context.WithoutCancel(ctx), job.Args.Inbox)
		if gerr != nil {
			return gerr // tried again: the follows end on a later attempt
		}
		if n > 0 {
			slog.InfoContext(ctx, "federation: follows of a gone inbox ended", "host", host, "count", n)
		}
		return river.JobCancel(fmt.Errorf("federation: an inbox at %s is gone (410)", host))
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests:
		// The server is up and refuses this one activity.
		return river.JobCancel(fmt.Errorf("federation: %s refused the delivery with %d", job.Args.Inbox, status))
	default:
		err = fmt.Errorf("federation: %s answered %d", job.Args.Inbox, status)
	}
	s.count(job.Args.OrgID, "", insights.MetricDeliveryFailures, 1)
	w.forgetHealthy(host)
	now := s.now()
	if _, ferr := s.st.DeliveryFailed(context.WithoutCancel(ctx), host, now, pauseUntil(now)); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}

// outcome names the result of a delivery attempt for metrics: the class of
// the status, or network_error.
func outcome(status int, err error) string {
	if err != nil || status < 100 || status > 599 {
		return "network_error"
	}
	return strconv.Itoa(status/100) + "xx"
}

// FederateWorker turns a change of a post into one delivery per follower
// inbox: one request per server with a shared inbox, not per follower.
type FederateWorker struct {
	river.WorkerDefaults[post.FederateArgs]
	svc *Service
}

// NewFederateWorker returns the worker for post.FederateArgs jobs.
func NewFederateWorker(svc *Service) *FederateWorker { return &FederateWorker{svc: svc} }

// Work builds the activity and enqueues its deliveries in one transaction.
func (w *FederateWorker) Work(ctx context.Context, job *river.Job[post.FederateArgs]) error {
	s := w.svc
	p, err := s.posts.Get(ctx, job.Args.PostID)
	if errors.Is(err, post.ErrNotFound) {
		return nil // purged meanwhile
	}
	if err != nil {
		return err
	}
	o, err := s.orgs.ByID(ctx, p.OrgID)
	if err != nil {
		return err
	}
	var also []string
	if job.Args.Change != post.ChangeDelete {
		also = s.resolveMentions(ctx, p) // before the Note is built, so that it tags them
	}
	doc, err := s.activityFor(ctx, o, p, job.Args)
	if err != nil {
		return err
	}
	if p.Mention != "" { // the mentioned citizen's server gets it too
		if a, err := s.st.RemoteActor(ctx, p.Mention); err == nil {
			also = append(also, a.DeliveryInbox())
		}
	}
	return s.fanOut(ctx, o.ID, doc, also...)
}

// enqueueBatch is how many deliveries are inserted at once.
const enqueueBatch = 500

// fanOut enqueues the delivery of doc to every follower inbox of an
// organisation and to the inboxes also, each once, in one transaction.
func (s *Service) fanOut(ctx context.Context, orgID string, doc any, also ...string) error {
	inboxes, err := s.st.FollowerInboxes(ctx, orgID)
	if err != nil {
		return err
	}
	for _, a := range also {
		if !slices.Contains(inboxes, a) {
			inboxes = append(inboxes, a)
		}
	}
	if len(inboxes) == 0 {
		return nil
	}
	b, err := activity.Marshal(doc)
	if err != nil {
		return err
	}
	jobs := make([]river.JobArgs, len(inboxes))
	for i, inbox := range inboxes {
		jobs[i] = DeliverArgs{OrgID: orgID, Inbox: inbox, Activity: b}
	}
	// One insert per batch, not per server: a fan-out to thousands of
	// servers is queued in a moment.
	return s.st.InTx(ctx, func(tx store.Tx) error {
		for start := 0; start < len(jobs); start += enqueueBatch {
			if err := tx.EnqueueJobs(ctx, jobs[start:min(start+enqueueBatch, len(jobs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

// activityFor builds the Create, Update or Delete of a post.
func (s *Service) activityFor(ctx context.Context, o *model.Org, p *model.Post, args post.FederateArgs) (*activity.Activity, error) {
	noteID := s.NoteID(p.ID)
	if args.Change == post.ChangeDelete {
		actor := s.ActorID(o.ID)
		return activity.NewDelete(noteID+"#delete", actor, noteID, []string{activity.Public}, []string{actor + "/followers"}), nil
	}
	n, err := s.Note(ctx, o, p)
	if err != nil {
		return nil, err
	}
	if args.Change == post.ChangeUpdate {
		if n.Updated.IsZero() {
			n.Updated = activity.Time{Time: args.At}
		}
		return activity.NewUpdate(fmt.Sprintf("%s#updates/%d", noteID, args.At.UnixMilli()), *n), nil
	}
	return activity.NewCreate(n.ID+"/activity", *n), nil
}

// ProfileWorker sends an Update of an organisation's actor to its
// followers when its profile or handle changed.
type ProfileWorker struct {
	river.WorkerDefaults[org.ProfileChangedArgs]
	svc *Service
}

// NewProfileWorker returns the worker for org.ProfileChangedArgs jobs.
func NewProfileWorker(svc *Service) *ProfileWorker { return &ProfileWorker{svc: svc} }

// Work enqueues the Update for every follower inbox.
func (w *ProfileWorker) Work(ctx context.Context, job *river.Job[org.ProfileChangedArgs]) error {
	s := w.svc
	o, err := s.orgs.ByID(ctx, job.Args.OrgID)
	if err != nil {
		return err
	}
	a, err := s.Actor(ctx, o)
	if err != nil {
		return err
	}
	a.Context = nil
	id := s.ActorID(o.ID)
	update := &activity.Activity{Context: activity.DefaultContext(), ID: fmt.Sprintf("%s#updates/%d", id, job.Args.At.UnixMilli()),
		Type: activity.TypeUpdate, Actor: id, To: []string{activity.Public}, Cc: []string{id + "/followers"}, Object: a}
	return s.fanOut(ctx, o.ID, update)
}
