// Package insights counts what public pages and feeds are read without
// tracking anyone: per organisation, post and UTC day it keeps view and
// feed-fetch counters, referrer host counters and a HyperLogLog sketch of
// distinct visitors, all in memory, for a caller to drain and store in
// batches.
//
// A visitor is the hash of their address, user agent and organisation under
// a salt that exists only in memory and changes every UTC day; only that hash
// enters a sketch, and a sketch keeps only register maxima. Addresses and
// user agents are never stored.
//
// Recording takes no lock and does not allocate once an organisation's,
// post's and referrer host's counters exist for the day.
package insights

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Metric names of Count.
const (
	MetricViews      = "views"       // page views
	MetricFeedAtom   = "feed_atom"   // Atom feed fetches
	MetricFeedRSS    = "feed_rss"    // RSS feed fetches
	MetricFeedJSON   = "feed_json"   // JSON Feed fetches
	MetricFeedOutbox = "feed_outbox" // ActivityPub outbox fetches

	// Counted with Recorder.Add, from the Fediverse.
	MetricFollowersGained  = "followers_gained"  // new followers
	MetricFollowersLost    = "followers_lost"    // followers gone (Undo, Delete, Move away)
	MetricLikes            = "likes"             // likes of a post
	MetricBoosts           = "boosts"            // boosts (Announce) of a post
	MetricReplies          = "replies"           // replies to a post
	MetricDeliveries       = "deliveries"        // activities delivered, one per server
	MetricDeliveryFailures = "delivery_failures" // delivery attempts that failed
)

// OtherReferrers is the Referrer.Host under which referrers are counted once
// an organisation has DefaultMaxReferrerHosts (or Config.MaxReferrerHosts)
// distinct hosts for the day. It cannot be a host name.
const OtherReferrers = "(other)"

// DefaultMaxReferrerHosts is the number of distinct referrer hosts kept per
// organisation and day when Config.MaxReferrerHosts is zero.
const DefaultMaxReferrerHosts = 1000

// FeedKind is a kind of feed a reader fetches.
type FeedKind uint8

// Feed kinds.
const (
	FeedAtom FeedKind = iota
	FeedRSS
	FeedJSON
	FeedOutbox // an ActivityPub outbox
	feedKinds  // number of kinds
)

var feedNames = [feedKinds]struct{ name, metric string }{
	FeedAtom:   {"atom", MetricFeedAtom},
	FeedRSS:    {"rss", MetricFeedRSS},
	FeedJSON:   {"json", MetricFeedJSON},
	FeedOutbox: {"activitypub-outbox", MetricFeedOutbox},
}

// String returns the kind's name: "atom", "rss", "json" or
// "activitypub-outbox".
func (k FeedKind) String() string {
	if k >= feedKinds {
		return fmt.Sprintf("FeedKind(%d)", uint8(k))
	}
	return feedNames[k].name
}

// Metric returns the Count.Metric under which fetches of this kind are
// counted, or "" for an unknown kind.
func (k FeedKind) Metric() string {
	if k >= feedKinds {
		return ""
	}
	return feedNames[k].metric
}

// Config configures a Recorder.
type Config struct {
	// SelfHost is the site's own host name (a port is ignored); referrers
	// from it are not counted.
	SelfHost string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxReferrerHosts bounds the distinct referrer hosts kept per
	// organisation and day; zero means DefaultMaxReferrerHosts.
	MaxReferrerHosts int
}

// Recorder counts views and feed fetches in memory. Its methods are safe for
// concurrent use.
//
// Callers should record only pages and feeds that exist: identifiers are not
// checked, and each new (organisation, day) costs about 4 KiB.
type Recorder struct {
	now      func() time.Time
	selfHost string
	maxHosts int
	salt     Salt

	latest atomic.Pointer[dayState] // the newest day, read without a lock
	mu     sync.Mutex
	days   map[int64]*dayState // guarded by mu
}

// dayState holds the counters of one UTC day.
type dayState struct {
	day  int64
	orgs sync.Map // organisation id → *orgDay
}

// orgDay holds the counters of one organisation for one day.
type orgDay struct {
	visitors        Sketch
	visitorsChanged atomic.Bool // a register grew since the last drain
	feeds           [feedKinds]atomic.Int64
	views           sync.Map // post id ("" for organisation pages) → *atomic.Int64
	events          sync.Map // eventKey → *atomic.Int64, counted by Add

	refs      sync.Map // host → *atomic.Int64
	refsFull  atomic.Bool
	otherRefs atomic.Int64
	refMu     sync.Mutex
	refHosts  int // guarded by refMu
}

// NewRecorder returns an empty Recorder.
func NewRecorder(cfg Config) *Recorder {
	r := &Recorder{
		now:      cfg.Now,
		selfHost: normalHost(cfg.SelfHost),
		maxHosts: cfg.MaxReferrerHosts,
		days:     make(map[int64]*dayState),
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.maxHosts <= 0 {
		r.maxHosts = DefaultMaxReferrerHosts
	}
	return r
}

// View records a view of a public page of organisation orgID: of post postID,
// or of an organisation page when postID is "". Views are counted per
// (organisation, post, day); an organisation's total is the sum over its
// posts and "". ip (without a port) and userAgent are only hashed under the
// day's salt, into the organisation's estimate of distinct visitors. The host
// of referrer, the Referer header value, is counted unless it is empty,
// unparseable or the site's own.
func (r *Recorder) View(orgID, postID, ip, userAgent, referrer string) {
	now := r.now()
	o := r.dayState(dayNumber(now)).org(orgID)
	counter(&o.views, postID).Add(1)
	if o.visitors.add(r.salt.VisitorHash(now, ip, userAgent, orgID)) {
		o.visitorsChanged.Store(true)
	}
	if host := referrerHost(referrer, r.selfHost); host != "" {
		o.referrer(host, r.maxHosts)
	}
}

// FeedFetch records a fetch of organisation orgID's feed of the given kind.
// Unknown kinds are ignored.
func (r *Recorder) FeedFetch(orgID string, kind FeedKind) {
	if kind >= feedKinds {
		return
	}
	r.dayState(dayNumber(r.now())).org(orgID).feeds[kind].Add(1)
}

// eventKey names a counter of Recorder.Add.
type eventKey struct{ postID, metric string }

// Add adds n to metric (one of the Metric constants counted with Add) of
// organisation orgID, for post postID or the organisation as a whole when
// postID is "". It is for events outside the page-serving hot path, such as
// activities from the Fediverse.
func (r *Recorder) Add(orgID, postID, metric string, n int64) {
	o := r.dayState(dayNumber(r.now())).org(orgID)
	k := eventKey{postID, metric}
	if v, ok := o.events.Load(k); ok {
		v.(*atomic.Int64).Add(n)
		return
	}
	v, _ := o.events.LoadOrStore(eventKey{strings.Clone(postID), strings.Clone(metric)}, new(atomic.Int64))
	v.(*atomic.Int64).Add(n)
}

// dayState returns the counters of day d, creating them if needed. Only the
// newest day is found without a lock; a late request for an earlier day
// takes the mutex.
func (r *Recorder) dayState(d int64) *dayState {
	if ds := r.latest.Load(); ds != nil && ds.day == d {
		return ds
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ds := r.days[d]
	if ds == nil {
		ds = &dayState{day: d}
		r.days[d] = ds
	}
	if l := r.latest.Load(); l == nil || d > l.day {
		r.latest.Store(ds)
	}
	return ds
}

// org returns the counters of organisation id, creating them if needed.
func (d *dayState) org(id string) *orgDay {
	if v, ok := d.orgs.Load(id); ok {
		return v.(*orgDay)
	}
	v, _ := d.orgs.LoadOrStore(strings.Clone(id), new(orgDay))
	return v.(*orgDay)
}

// counter returns the counter stored under key in m, creating it if needed.
func counter(m *sync.Map, key string) *atomic.Int64 {
	if v, ok := m.Load(key); ok {
		return v.(*atomic.Int64)
	}
	v, _ := m.LoadOrStore(strings.Clone(key), new(atomic.Int64))
	return v.(*atomic.Int64)
}

// referrer counts a view referred by host, under OtherReferrers once limit
// distinct hosts are kept.
func (o *orgDay) referrer(host string, limit int) {
	if v, ok := o.refs.Load(host); ok {
		v.(*atomic.Int64).Add(1)
		return
	}
	if o.refsFull.Load() {
		o.otherRefs.Add(1)
		return
	}
	o.refMu.Lock()
	v, ok := o.refs.Load(host)
	if !ok && o.refHosts >= limit {
		o.refsFull.Store(true)
		o.refMu.Unlock()
		o.otherRefs.Add(1)
		return
	}
	if !ok {
		v = new(atomic.Int64)
		o.refs.Store(strings.Clone(host), v)
		o.refHosts++
	}
	o.refMu.Unlock()
	v.(*atomic.Int64).Add(1)
}

// Batch is what Drain returns: counter deltas and visitor sketches, sorted by
// day, organisation and then post, metric or host.
type Batch struct {
	Counts    []Count
	Referrers []Referrer
	Visitors  []Visitors
}

// Count is the increase of one metric since the previous drain.
type Count struct {
	OrgID  string
	PostID string    // "" for organisation pages and feeds
	Day    time.Time // UTC midnight
	Metric string    // one of the Metric constants
	Value  int64
}

// Referrer is the number of views referred by one host since the previous
// drain.
type Referrer struct {
	OrgID string
	Day   time.Time // UTC midnight
	Host  string    // lower-case host name, or OtherReferrers
	Count int64
}

// Visitors is the whole day's sketch of an organisation's distinct visitors
// so far, in Sketch.MarshalBinary form. Merging it into a stored sketch of the
// same day is idempotent.
type Visitors struct {
	OrgID  string
	Day    time.Time // UTC midnight
	Sketch []byte
}

// Drain returns the counts recorded since the previous Drain and resets them;
// an increment concurrent with Drain is returned by this Drain or the next,
// never both nor neither. It also returns the sketch of every (organisation,
// day) whose sketch changed since the previous Drain; sketches are not reset
// but kept until their day is over.
//
// Drain then forgets days before yesterday (UTC), after returning their last
// counts. A View racing with that for a day two days old may be lost.
// Drained counts are no longer held here: a caller that fails to store a
// batch must keep it and retry.
func (r *Recorder) Drain() Batch {
	yesterday := dayNumber(r.now()) - 1
	r.mu.Lock()
	days := make([]*dayState, 0, len(r.days))
	for d, ds := range r.days {
		days = append(days, ds)
		if d < yesterday {
			delete(r.days, d)
		}
	}
	if l := r.latest.Load(); l != nil && l.day < yesterday {
		r.latest.Store(nil)
	}
	r.mu.Unlock()

	var b Batch
	for _, ds := range days {
		day := dayStart(ds.day)
		ds.orgs.Range(func(k, v any) bool {
			v.(*orgDay).drain(k.(string), day, &b)
			return true
		})
	}
	slices.SortFunc(b.Counts, func(x, y Count) int {
		return cmp.Or(x.Day.Compare(y.Day), cmp.Compare(x.OrgID, y.OrgID),
			cmp.Compare(x.PostID, y.PostID), cmp.Compare(x.Metric, y.Metric))
	})
	slices.SortFunc(b.Referrers, func(x, y Referrer) int {
		return cmp.Or(x.Day.Compare(y.Day), cmp.Compare(x.OrgID, y.OrgID), cmp.Compare(x.Host, y.Host))
	})
	slices.SortFunc(b.Visitors, func(x, y Visitors) int {
		return cmp.Or(x.Day.Compare(y.Day), cmp.Compare(x.OrgID, y.OrgID))
	})
	return b
}

// drain appends the organisation's deltas and, if it changed, its sketch to b.
func (o *orgDay) drain(orgID string, day time.Time, b *Batch) {
	o.views.Range(func(k, v any) bool {
		if n := v.(*atomic.Int64).Swap(0); n != 0 {
			b.Counts = append(b.Counts, Count{OrgID: orgID, PostID: k.(string), Day: day, Metric: MetricViews, Value: n})
		}
		return true
	})
	o.events.Range(func(k, v any) bool {
		if n := v.(*atomic.Int64).Swap(0); n != 0 {
			key := k.(eventKey)
			b.Counts = append(b.Counts, Count{OrgID: orgID, PostID: key.postID, Day: day, Metric: key.metric, Value: n})
		}
		return true
	})
	for kind := range feedKinds {
		if n := o.feeds[kind].Swap(0); n != 0 {
			b.Counts = append(b.Counts, Count{OrgID: orgID, Day: day, Metric: kind.Metric(), Value: n})
		}
	}
	o.refs.Range(func(k, v any) bool {
		if n := v.(*atomic.Int64).Swap(0); n != 0 {
			b.Referrers = append(b.Referrers, Referrer{OrgID: orgID, Day: day, Host: k.(string), Count: n})
		}
		return true
	})
	if n := o.otherRefs.Swap(0); n != 0 {
		b.Referrers = append(b.Referrers, Referrer{OrgID: orgID, Day: day, Host: OtherReferrers, Count: n})
	}
	// Clear the flag before reading the registers: a register that grows
	// after the read sets it again for the next drain.
	if o.visitorsChanged.Swap(false) {
		b.Visitors = append(b.Visitors, Visitors{OrgID: orgID, Day: day, Sketch: o.visitors.marshal()})
	}
}
