package insights

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func newTestRecorder(t time.Time) (*Recorder, *fakeClock) {
	clock := &fakeClock{t: t}
	return NewRecorder(Config{SelfHost: "plein.example:8443", Now: clock.Now}), clock
}

// estimate returns the estimate of a marshalled sketch.
func estimate(t *testing.T, data []byte) uint64 {
	t.Helper()
	var s Sketch
	if err := s.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	return s.Estimate()
}

func TestRecorderCounts(t *testing.T) {
	r, _ := newTestRecorder(day1.Add(10 * time.Hour))
	for range 3 {
		r.View("org1", "", "192.0.2.1", "UA", "")
	}
	r.View("org1", "post1", "192.0.2.1", "UA", "https://news.example/a")
	r.View("org1", "post1", "192.0.2.2", "UA", "https://plein.example/@org1")
	r.View("org1", "post2", "192.0.2.3", "UA", "https://NEWS.example/b")
	r.View("org2", "post3", "192.0.2.1", "UA", "not a url")
	r.FeedFetch("org1", FeedAtom)
	r.FeedFetch("org1", FeedAtom)
	r.FeedFetch("org1", FeedOutbox)
	r.FeedFetch("org2", FeedRSS)
	r.FeedFetch("org2", FeedJSON)
	r.FeedFetch("org2", FeedKind(200)) // ignored
	r.Add("org1", "", MetricFollowersGained, 2)
	r.Add("org1", "post1", MetricLikes, 1)
	r.Add("org1", "post1", MetricLikes, 1)

	b := r.Drain()
	wantCounts := []Count{
		{OrgID: "org1", PostID: "", Day: day1, Metric: MetricFeedAtom, Value: 2},
		{OrgID: "org1", PostID: "", Day: day1, Metric: MetricFeedOutbox, Value: 1},
		{OrgID: "org1", PostID: "", Day: day1, Metric: MetricFollowersGained, Value: 2},
		{OrgID: "org1", PostID: "", Day: day1, Metric: MetricViews, Value: 3},
		{OrgID: "org1", PostID: "post1", Day: day1, Metric: MetricLikes, Value: 2},
		{OrgID: "org1", PostID: "post1", Day: day1, Metric: MetricViews, Value: 2},
		{OrgID: "org1", PostID: "post2", Day: day1, Metric: MetricViews, Value: 1},
		{OrgID: "org2", PostID: "", Day: day1, Metric: MetricFeedJSON, Value: 1},
		{OrgID: "org2", PostID: "", Day: day1, Metric: MetricFeedRSS, Value: 1},
		{OrgID: "org2", PostID: "post3", Day: day1, Metric: MetricViews, Value: 1},
	}
	if !reflect.DeepEqual(b.Counts, wantCounts) {
		t.Errorf("counts:\n got %+v\nwant %+v", b.Counts, wantCounts)
	}
	wantRefs := []Referrer{{OrgID: "org1", Day: day1, Host: "news.example", Count: 2}}
	if !reflect.DeepEqual(b.Referrers, wantRefs) {
		t.Errorf("referrers:\n got %+v\nwant %+v", b.Referrers, wantRefs)
	}
	if len(b.Visitors) != 2 || b.Visitors[0].OrgID != "org1" || b.Visitors[1].OrgID != "org2" {
		t.Fatalf("visitors = %+v, want org1 then org2", b.Visitors)
	}
	// Two of a few visitors share a register in about one run in a
	// thousand (the salt is random), which counts them once.
	if got := estimate(t, b.Visitors[0].Sketch); got < 2 || got > 3 {
		t.Errorf("org1 visitors = %d, want 3", got)
	}
	if got := estimate(t, b.Visitors[1].Sketch); got != 1 {
		t.Errorf("org2 visitors = %d, want 1", got)
	}

	// Counts were reset; unchanged sketches are not sent again.
	if b := r.Drain(); len(b.Counts)+len(b.Referrers)+len(b.Visitors) != 0 {
		t.Errorf("second drain = %+v, want nothing", b)
	}
	// A returning visitor is counted as a view but does not change the
	// sketch; a new one sends the whole day's sketch again.
	r.View("org1", "post1", "192.0.2.1", "UA", "")
	if b := r.Drain(); len(b.Counts) != 1 || len(b.Visitors) != 0 {
		t.Errorf("drain after a returning visitor = %+v, want one count and no sketch", b)
	}
	r.View("org1", "post1", "192.0.2.4", "UA", "")
	b = r.Drain()
	if len(b.Visitors) != 1 || estimate(t, b.Visitors[0].Sketch) < 3 || estimate(t, b.Visitors[0].Sketch) > 4 {
		t.Errorf("drain after a new visitor = %+v, want org1's sketch of 4 visitors", b.Visitors)
	}
}

func TestRecorderEstimatesVisitors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		n   int
		tol float64
	}{
		{0, 0},
		{1, 0},
		{10, 1},
		{1000, 0.04 * 1000},
		// The salt is random, so this estimate differs on every run. The
		// standard error is 1.6%; 8% is 5σ, so the test fails less than
		// once in a million runs. TestSketchEstimate holds 5% on fixed input.
		{100_000, 0.08 * 100_000},
	}
	for _, tt := range tests {
		r, _ := newTestRecorder(day1)
		for i := range tt.n {
			ip := fmt.Sprintf("%d.%d.%d.%d", rng.IntN(256), rng.IntN(256), rng.IntN(256), rng.IntN(256))
			// The index makes every visitor distinct even if an address repeats.
			ua := fmt.Sprintf("Mozilla/5.0 (%d) Gecko/%d", i, rng.Uint32())
			r.View("org", "", ip, ua, "")
		}
		b := r.Drain()
		var got uint64
		if len(b.Visitors) > 0 {
			got = estimate(t, b.Visitors[0].Sketch)
		}
		if math.Abs(float64(got)-float64(tt.n)) > tt.tol {
			t.Errorf("%d visitors estimated as %d, allowed error %.0f", tt.n, got, tt.tol)
		}
	}
}

func TestRecorderSameVisitorCountsOnce(t *testing.T) {
	r, _ := newTestRecorder(day1)
	for range 10_000 {
		r.View("org", "post", "192.0.2.1", "UA", "")
	}
	b := r.Drain()
	if len(b.Counts) != 1 || b.Counts[0].Value != 10_000 {
		t.Errorf("counts = %+v, want 10,000 views", b.Counts)
	}
	if got := estimate(t, b.Visitors[0].Sketch); got != 1 {
		t.Errorf("one visitor viewing 10,000 times estimated as %d", got)
	}
}

func TestRecorderUnlinkableAcrossDays(t *testing.T) {
	// The same 200 visitors come on two days. Each day counts 200; merging
	// the two days counts 400, because nothing links a visitor across days.
	r, clock := newTestRecorder(day1.Add(12 * time.Hour))
	visit := func() {
		for i := range 200 {
			r.View("org", "", fmt.Sprintf("192.0.2.%d", i), "UA", "")
		}
	}
	visit()
	first := r.Drain()
	clock.Set(day2.Add(12 * time.Hour))
	visit()
	second := r.Drain()
	if len(first.Visitors) != 1 || len(second.Visitors) != 1 {
		t.Fatalf("visitors: day 1 %+v, day 2 %+v; want one sketch each", first.Visitors, second.Visitors)
	}
	if !first.Visitors[0].Day.Equal(day1) || !second.Visitors[0].Day.Equal(day2) {
		t.Fatalf("sketch days %v and %v, want %v and %v", first.Visitors[0].Day, second.Visitors[0].Day, day1, day2)
	}
	var s1, s2 Sketch
	if err := s1.UnmarshalBinary(first.Visitors[0].Sketch); err != nil {
		t.Fatal(err)
	}
	if err := s2.UnmarshalBinary(second.Visitors[0].Sketch); err != nil {
		t.Fatal(err)
	}
	// The salts are random, so the estimates vary from run to run: with
	// 4096 registers the standard error of linear counting is about 2.2 at
	// 200 and 4.5 at 400; 5% is more than 4 of those.
	for _, s := range []*Sketch{&s1, &s2} {
		if got := s.Estimate(); got < 190 || got > 210 {
			t.Errorf("one day's estimate = %d, want 200 ± 5%%", got)
		}
	}
	s2.Merge(&s1)
	if got := s2.Estimate(); got < 380 || got > 420 {
		t.Errorf("two days merged = %d, want 400 ± 5%%", got)
	}
}

func TestRecorderStoresNoIdentifier(t *testing.T) {
	r, _ := newTestRecorder(day1)
	ip, ua := "203.0.113.77", "Mozilla/5.0 UniqueTestAgent/9.9"
	for range 50 {
		r.View("org", "post", ip, ua, "https://news.example/")
	}
	b := r.Drain()
	dump := fmt.Sprintf("%#v", b)
	for _, v := range b.Visitors {
		dump += string(v.Sketch)
		if len(v.Sketch) != SketchSize {
			t.Errorf("sketch is %d bytes, want the fixed %d", len(v.Sketch), SketchSize)
		}
	}
	for _, secret := range []string{ip, ua, "203.0.113", "UniqueTestAgent"} {
		if strings.Contains(dump, secret) {
			t.Errorf("drained batch contains %q", secret)
		}
	}
	// The sketch holds only register maxima: it is the same whoever the
	// single visitor was, apart from which register is set.
	data := b.Visitors[0].Sketch
	nonzero := 0
	for _, c := range data[2:] {
		if c != 0 {
			nonzero++
		}
	}
	if nonzero == 0 || nonzero > 2 {
		t.Errorf("one visitor's sketch has %d non-zero bytes, want 1 or 2 (one six-bit register)", nonzero)
	}

	// The batch's types hold only names, counts, days and sketches: no hash
	// and no salt.
	allowed := map[reflect.Type]bool{
		reflect.TypeFor[string](): true, reflect.TypeFor[int64](): true,
		reflect.TypeFor[time.Time](): true, reflect.TypeFor[[]byte](): true,
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[Count](), reflect.TypeFor[Referrer](), reflect.TypeFor[Visitors]()} {
		for f := range typ.Fields() {
			if !allowed[f.Type] {
				t.Errorf("%s.%s has type %s", typ.Name(), f.Name, f.Type)
			}
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[Recorder](), reflect.TypeFor[Salt](), reflect.TypeFor[Sketch]()} {
		for f := range typ.Fields() {
			if f.IsExported() {
				t.Errorf("%s.%s is exported", typ.Name(), f.Name)
			}
		}
	}
}

func TestRecorderDrainConcurrent(t *testing.T) {
	// Writers record while a drainer drains; everything recorded must come
	// out exactly once.
	r, _ := newTestRecorder(day1)
	const writers, perWriter = 4, 5000
	stop := make(chan struct{})
	var batches []Batch
	var drainer sync.WaitGroup
	drainer.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				batches = append(batches, r.Drain())
			}
		}
	})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				post := fmt.Sprintf("post%d", i%7)
				ref := fmt.Sprintf("https://site%d.example/", i%5)
				r.View(fmt.Sprintf("org%d", i%3), post, fmt.Sprintf("192.0.2.%d", w), "UA", ref)
				r.FeedFetch("org0", FeedKind(i%int(feedKinds)))
			}
		})
	}
	wg.Wait()
	close(stop)
	drainer.Wait()
	batches = append(batches, r.Drain())

	var views, feeds, refs int64
	for _, b := range batches {
		for _, c := range b.Counts {
			if c.Metric == MetricViews {
				views += c.Value
			} else {
				feeds += c.Value
			}
		}
		for _, ref := range b.Referrers {
			refs += ref.Count
		}
	}
	const want = writers * perWriter
	if views != want || feeds != want || refs != want {
		t.Errorf("drained %d views, %d feed fetches, %d referrers over %d drains; want %d each", views, feeds, refs, len(batches), want)
	}
	if final := r.Drain(); len(final.Counts) != 0 {
		t.Errorf("a drain after everything was drained returned %+v", final.Counts)
	}
}

func TestRecorderDayRollover(t *testing.T) {
	r, clock := newTestRecorder(day1.Add(23*time.Hour + 59*time.Minute))
	r.View("org", "p", "192.0.2.1", "UA", "")
	// 00:30 the next day in UTC+1 is still day 1 in UTC.
	clock.Set(time.Date(2026, 3, 15, 0, 30, 0, 0, time.FixedZone("UTC+1", 60*60)))
	r.View("org", "p", "192.0.2.2", "UA", "")
	clock.Set(day2.Add(time.Minute))
	r.View("org", "p", "192.0.2.3", "UA", "")
	r.FeedFetch("org", FeedRSS)

	b := r.Drain()
	want := []Count{
		{OrgID: "org", PostID: "p", Day: day1, Metric: MetricViews, Value: 2},
		{OrgID: "org", PostID: "", Day: day2, Metric: MetricFeedRSS, Value: 1},
		{OrgID: "org", PostID: "p", Day: day2, Metric: MetricViews, Value: 1},
	}
	if !reflect.DeepEqual(b.Counts, want) {
		t.Errorf("counts:\n got %+v\nwant %+v", b.Counts, want)
	}
	if len(b.Visitors) != 2 || estimate(t, b.Visitors[0].Sketch) != 2 || estimate(t, b.Visitors[1].Sketch) != 1 {
		t.Errorf("visitors = %+v, want day 1 with 2 and day 2 with 1", b.Visitors)
	}
	for _, c := range b.Counts {
		if c.Day.Location() != time.UTC || c.Day.Hour() != 0 {
			t.Errorf("count day %v is not a UTC midnight", c.Day)
		}
	}

	// On day 2 yesterday is kept; on day 3 day 1 is dropped, but a view
	// recorded late for day 1 still comes out in that drain.
	if got := keptDays(r); !slices.Equal(got, []int64{dayNumber(day1), dayNumber(day2)}) {
		t.Errorf("days kept on day 2 = %v", got)
	}
	clock.Set(day1)
	r.View("org", "p", "192.0.2.4", "UA", "")
	clock.Set(day2.AddDate(0, 0, 1))
	b = r.Drain()
	if len(b.Counts) != 1 || !b.Counts[0].Day.Equal(day1) || b.Counts[0].Value != 1 {
		t.Errorf("drain on day 3 = %+v, want day 1's late view", b.Counts)
	}
	if got := keptDays(r); !slices.Equal(got, []int64{dayNumber(day2)}) {
		t.Errorf("days kept on day 3 = %v, want only day 2", got)
	}
	clock.Set(day2.AddDate(0, 0, 5))
	r.Drain()
	if got := keptDays(r); len(got) != 0 || r.latest.Load() != nil {
		t.Errorf("days kept after 5 quiet days = %v, want none", got)
	}
}

// keptDays returns the sorted day numbers r holds in memory.
func keptDays(r *Recorder) []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var days []int64
	for d := range r.days {
		days = append(days, d)
	}
	slices.Sort(days)
	return days
}

func TestRecorderReferrerCap(t *testing.T) {
	r := NewRecorder(Config{SelfHost: "plein.example", MaxReferrerHosts: 3, Now: func() time.Time { return day1 }})
	for _, host := range []string{"a.example", "b.example", "c.example", "d.example", "e.example", "a.example", "d.example"} {
		r.View("org", "", "192.0.2.1", "UA", "https://"+host+"/")
	}
	r.View("org2", "", "192.0.2.1", "UA", "https://e.example/")
	b := r.Drain()
	want := []Referrer{
		{OrgID: "org", Day: day1, Host: OtherReferrers, Count: 3},
		{OrgID: "org", Day: day1, Host: "a.example", Count: 2},
		{OrgID: "org", Day: day1, Host: "b.example", Count: 1},
		{OrgID: "org", Day: day1, Host: "c.example", Count: 1},
		{OrgID: "org2", Day: day1, Host: "e.example", Count: 1},
	}
	if !reflect.DeepEqual(b.Referrers, want) {
		t.Errorf("referrers:\n got %+v\nwant %+v", b.Referrers, want)
	}
}

func TestReferrerHost(t *testing.T) {
	const self = "plein.example"
	tests := []struct {
		in, want string
	}{
		{"https://news.example/2026/article?id=1#top", "news.example"},
		{"http://news.example", "news.example"},
		{"HTTPS://News.Example/Path", "news.example"},
		{"https://www.news.example/", "www.news.example"},
		{"https://news.example:8080/x", "news.example"},
		{"https://user:pass@news.example/", "news.example"},
		{"https://news.example./", "news.example"},
		{"https://[2001:db8::1]:443/", "[2001:db8::1]"},
		{"https://192.0.2.9/", "192.0.2.9"},
		{"news.example", "news.example"},
		{"news.example/path", "news.example"},
		{"news.example:8080", "news.example"},
		{"", ""},
		{"https://plein.example/@org", ""},
		{"https://PLEIN.example:443/", ""},
		{"plein.example", ""},
		{"https://www.plein.example/", "www.plein.example"},
		{"not a url", ""},
		{"https://", ""},
		{"https:///path", ""},
		{"https://news.example:http/", ""},
		{"https://exa mple.com/", ""},
		{"https://exämple.com/", ""},
		{"https://a..b/", ""},
		{"https://[2001:db8::1/", ""},
		{"ftp://news.example/", ""},
		{"android-app://com.example.app/", ""},
		{"javascript:alert(1)", ""},
		{"mailto:someone@news.example", ""},
		{"//news.example/", ""},
		{"https://" + strings.Repeat("a", 254) + "/", ""},
	}
	for _, tt := range tests {
		if got := referrerHost(tt.in, self); got != tt.want {
			t.Errorf("referrerHost(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFeedKind(t *testing.T) {
	tests := []struct {
		kind         FeedKind
		name, metric string
	}{
		{FeedAtom, "atom", MetricFeedAtom},
		{FeedRSS, "rss", MetricFeedRSS},
		{FeedJSON, "json", MetricFeedJSON},
		{FeedOutbox, "activitypub-outbox", MetricFeedOutbox},
		{FeedKind(9), "FeedKind(9)", ""},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.name {
			t.Errorf("FeedKind(%d).String() = %q, want %q", uint8(tt.kind), got, tt.name)
		}
		if got := tt.kind.Metric(); got != tt.metric {
			t.Errorf("FeedKind(%d).Metric() = %q, want %q", uint8(tt.kind), got, tt.metric)
		}
	}
}

func TestRecorderViewDoesNotAllocate(t *testing.T) {
	r := NewRecorder(Config{SelfHost: "plein.example"})
	// Keys built at run time, as a request's would be.
	org, post := strings.Clone("01JORG"), strings.Clone("01JPOST")
	ip, ua := strings.Clone("203.0.113.9"), strings.Clone("Mozilla/5.0")
	for _, ref := range []string{"", "https://news.example/a", "https://plein.example/b"} {
		r.View(org, post, ip, ua, ref) // create the counters
		allocs := testing.AllocsPerRun(200, func() {
			r.View(org, post, ip, ua, ref)
			r.FeedFetch(org, FeedAtom)
		})
		if allocs != 0 {
			t.Errorf("referrer %q: View and FeedFetch allocate %.1f times, want 0", ref, allocs)
		}
	}
}

// viewInputs returns n requests spread over 20 organisations, 50 posts and
// 1000 visitors, a fifth of them referred by one of 10 outside sites.
func viewInputs(n int) [][5]string {
	in := make([][5]string, n)
	for i := range in {
		ref := ""
		if i%5 == 0 {
			ref = fmt.Sprintf("https://site%d.example/some/path", i%10)
		}
		in[i] = [5]string{
			fmt.Sprintf("01JORG%02d", i%20),
			fmt.Sprintf("01JPOST%02d", i%50),
			fmt.Sprintf("198.51.%d.%d", i%1000/250, i%250),
			"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
			ref,
		}
	}
	return in
}

func BenchmarkRecorderView(b *testing.B) {
	in := viewInputs(4096)
	b.Run("serial", func(b *testing.B) {
		r := NewRecorder(Config{SelfHost: "plein.example"})
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			v := &in[i%len(in)]
			r.View(v[0], v[1], v[2], v[3], v[4])
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		r := NewRecorder(Config{SelfHost: "plein.example"})
		b.ReportAllocs()
		var mu sync.Mutex
		start := 0
		b.RunParallel(func(pb *testing.PB) {
			mu.Lock()
			i := start * 997
			start++
			mu.Unlock()
			for pb.Next() {
				v := &in[i%len(in)]
				r.View(v[0], v[1], v[2], v[3], v[4])
				i++
			}
		})
	})
	b.Run("parallel-one-page", func(b *testing.B) {
		// Every request for the same post: the counters' cache lines are
		// shared by all cores.
		r := NewRecorder(Config{SelfHost: "plein.example"})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r.View("01JORG", "01JPOST", "203.0.113.9", "Mozilla/5.0", "")
			}
		})
	})
}

func BenchmarkRecorderFeedFetch(b *testing.B) {
	r := NewRecorder(Config{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.FeedFetch("01JORG", FeedAtom)
		}
	})
}

func BenchmarkRecorderDrain(b *testing.B) {
	// A drain of 20 organisations with 50 posts each, after one request each.
	in := viewInputs(1000)
	r := NewRecorder(Config{SelfHost: "plein.example"})
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range in {
			r.View(v[0], v[1], v[2], v[3], v[4])
		}
		if batch := r.Drain(); len(batch.Counts) == 0 {
			b.Fatal("empty drain")
		}
	}
}
