package pagecache

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// blockedTimeout is how long a test waits for something that should
// happen at once before it concludes that the code under test is stuck.
const blockedTimeout = 10 * time.Second

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

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// lockedBuffer is a log destination that background renderings may write
// while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// fakeRecorder is a Recorder that remembers what it was told.
type fakeRecorder struct {
	hits, stale, misses atomic.Uint64
	mu                  sync.Mutex
	versions            []int64
}

func (r *fakeRecorder) CacheHit()   { r.hits.Add(1) }
func (r *fakeRecorder) CacheStale() { r.stale.Add(1) }
func (r *fakeRecorder) CacheMiss()  { r.misses.Add(1) }
func (r *fakeRecorder) SetChangeVersion(v int64) {
	r.mu.Lock()
	r.versions = append(r.versions, v)
	r.mu.Unlock()
}

func (r *fakeRecorder) changeVersions() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.versions)
}

// testCache is a page cache of at most max entries on a fake clock,
// logging into a buffer and counting into a fake recorder.
func testCache(max int) (*Cache, *fakeClock, *lockedBuffer, *fakeRecorder) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	log, rec := &lockedBuffer{}, &fakeRecorder{}
	c := New(Options{MaxEntries: max, Now: clock.Now, Logger: slog.New(slog.NewTextHandler(log, nil)), Recorder: rec})
	return c, clock, log, rec
}

// errPanic, released to a gated rendering, makes it panic.
var errPanic = errors.New("panic, please")

// versions renders "version N" at its Nth call. With started set, each
// rendering first announces its number there; when gated, it then waits
// until the test releases that number, and fails with the error released
// (panics for errPanic).
type versions struct {
	calls   atomic.Int32
	status  int // 0: 200
	started chan int
	gated   bool

	mu    sync.Mutex
	gates map[int]chan error
}

// newVersions returns a gated renderer that announces its renderings.
func newVersions() *versions {
	return &versions{started: make(chan int, 128), gated: true}
}

func (v *versions) gate(n int) chan error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.gates == nil {
		v.gates = make(map[int]chan error)
	}
	g, ok := v.gates[n]
	if !ok {
		g = make(chan error, 1)
		v.gates[n] = g
	}
	return g
}

// release lets rendering n finish, with err; it may come before the
// rendering starts.
func (v *versions) release(n int, err error) { v.gate(n) <- err }

func (v *versions) render() (*Response, error) {
	n := int(v.calls.Add(1))
	if v.started != nil {
		v.started <- n
	}
	if v.gated {
		switch err := <-v.gate(n); {
		case err == errPanic:
			panic("template exploded")
		case err != nil:
			return nil, err
		}
	}
	status := v.status
	if status == 0 {
		status = http.StatusOK
	}
	return NewResponse(status, "text/plain", []byte("version "+strconv.Itoa(n))), nil
}

// waitStarted waits for the next rendering to start and checks that it is
// rendering number want.
func (v *versions) waitStarted(t *testing.T, want int) {
	t.Helper()
	select {
	case n := <-v.started:
		if n != want {
			t.Fatalf("rendering %d started, want %d", n, want)
		}
	case <-time.After(blockedTimeout):
		t.Fatalf("rendering %d did not start", want)
	}
}

// noneStarted checks that no rendering announced itself.
func (v *versions) noneStarted(t *testing.T) {
	t.Helper()
	select {
	case n := <-v.started:
		t.Fatalf("rendering %d started, want none", n)
	default:
	}
}

type result struct {
	r   *Response
	err error
}

// getAsync calls c.Get in a goroutine.
func getAsync(c *Cache, key string, render func() (*Response, error)) <-chan result {
	done := make(chan result, 1)
	go func() {
		r, err := c.Get(key, render)
		done <- result{r, err}
	}()
	return done
}

// body waits for a Get started with getAsync and returns the body it got.
func body(t *testing.T, done <-chan result) string {
	t.Helper()
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatalf("get: %v", res.err)
		}
		return string(res.r.Body())
	case <-time.After(blockedTimeout):
		t.Fatal("get still blocked")
		return ""
	}
}

// mustGet gets key and returns the body, failing when Get returns an
// error or is still blocked after blockedTimeout: then it waits for a
// rendering the test holds back, which it should not.
func mustGet(t *testing.T, c *Cache, key string, render func() (*Response, error)) string {
	t.Helper()
	return body(t, getAsync(c, key, render))
}

// quickGet is mustGet for a Get that must not wait for any rendering: it
// fails when the Get took StaleWait or longer.
func quickGet(t *testing.T, c *Cache, key string, render func() (*Response, error)) string {
	t.Helper()
	start := time.Now()
	b := mustGet(t, c, key, render)
	if d := time.Since(start); d >= StaleWait {
		t.Fatalf("get took %v: it waited for a rendering", d)
	}
	return b
}

// waitCache waits for the cache's background renderings.
func waitCache(t *testing.T, c *Cache) {
	t.Helper()
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(blockedTimeout):
		t.Fatal("background renderings still running")
	}
}

// waitingInGet counts the goroutines blocked in Get waiting for a
// rendering: those in its select, which they reach after joining the
// rendering.
func waitingInGet() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[select") && strings.Contains(g, "pagecache.(*Cache).Get(") {
			count++
		}
	}
	return count
}

// waitWaiting waits until n goroutines wait in Get for a rendering.
func waitWaiting(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(blockedTimeout)
	for waitingInGet() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d gets wait for a rendering, want %d", waitingInGet(), n)
		}
		runtime.Gosched()
	}
}

func checkStats(t *testing.T, c *Cache, rec *fakeRecorder, hits, stale, misses uint64) {
	t.Helper()
	if h, s, m := c.Stats(); h != hits || s != stale || m != misses {
		t.Errorf("stats: %d hits, %d stale, %d misses; want %d, %d, %d", h, s, m, hits, stale, misses)
	}
	if rec == nil {
		return
	}
	if h, s, m := rec.hits.Load(), rec.stale.Load(), rec.misses.Load(); h != hits || s != stale || m != misses {
		t.Errorf("recorder: %d hits, %d stale, %d misses; want %d, %d, %d", h, s, m, hits, stale, misses)
	}
}

func entryCount(c *Cache) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// TestCacheInvalidateRendersNewVersion: after a change, the very first Get
// waits for the new version; it never gets the old one.
func TestCacheInvalidateRendersNewVersion(t *testing.T) {
	for _, tc := range []struct {
		name    string
		changes []int64
	}{
		{"one change", []int64{1}},
		{"three changes", []int64{1, 2, 3}},
		{"change to a lower version", []int64{5, 3}},
		{"same version again", []int64{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _, rec := testCache(100)
			v := &versions{}
			if got := mustGet(t, c, "k", v.render); got != "version 1" {
				t.Fatalf("first get: %q", got)
			}
			if got := mustGet(t, c, "k", v.render); got != "version 1" {
				t.Fatalf("second get: %q", got)
			}
			checkStats(t, c, rec, 1, 0, 1)
			for _, change := range tc.changes {
				c.Invalidate(change)
			}
			if got := mustGet(t, c, "k", v.render); got != "version 2" {
				t.Errorf("first get after the change: %q, want version 2", got)
			}
			if got := mustGet(t, c, "k", v.render); got != "version 2" {
				t.Errorf("second get after the change: %q, want version 2", got)
			}
			waitCache(t, c)
			if calls := v.calls.Load(); calls != 2 {
				t.Errorf("%d renderings, want 2", calls)
			}
			checkStats(t, c, rec, 2, 0, 2)
		})
	}
}

// TestCacheConcurrentGetsAfterInvalidateRenderOnce: the requests that come
// in while the new version renders share that one rendering.
func TestCacheConcurrentGetsAfterInvalidateRenderOnce(t *testing.T) {
	c, _, _, rec := testCache(100)
	v := newVersions()
	v.release(1, nil)
	mustGet(t, c, "k", v.render)
	v.waitStarted(t, 1)
	c.Invalidate(1)

	const n = 50
	results := make([]<-chan result, n)
	for i := range results {
		results[i] = getAsync(c, "k", v.render)
	}
	v.waitStarted(t, 2)
	waitWaiting(t, n)
	for i, done := range results {
		select {
		case res := <-done:
			t.Fatalf("get %d returned %v before the rendering finished", i, res)
		default:
		}
	}
	close(v.gate(2))
	for _, done := range results {
		if got := body(t, done); got != "version 2" {
			t.Errorf("get: %q, want version 2", got)
		}
	}
	waitCache(t, c)
	if calls := v.calls.Load(); calls != 2 {
		t.Errorf("%d renderings for %d concurrent gets after a change, want 2 in all", calls, n)
	}
	checkStats(t, c, rec, 0, 0, n+1)
	if got := mustGet(t, c, "k", v.render); got != "version 2" {
		t.Errorf("later get: %q", got)
	}
	checkStats(t, c, rec, 1, 0, n+1)
}

// TestCacheConcurrentMissesRenderOnce: requests for a page never rendered
// share one rendering.
func TestCacheConcurrentMissesRenderOnce(t *testing.T) {
	c, _, _, rec := testCache(100)
	v := newVersions()
	const n = 16
	results := make([]<-chan result, n)
	for i := range results {
		results[i] = getAsync(c, "k", v.render)
	}
	v.waitStarted(t, 1)
	waitWaiting(t, n)
	close(v.gate(1))
	for _, done := range results {
		if got := body(t, done); got != "version 1" {
			t.Errorf("get: %q, want version 1", got)
		}
	}
	waitCache(t, c)
	if calls := v.calls.Load(); calls != 1 {
		t.Errorf("%d renderings for %d concurrent misses, want 1", calls, n)
	}
	checkStats(t, c, rec, 0, 0, n)
}

// TestCacheRenderingBeforeInvalidateIsNotShared: a rendering that started
// before a change may show the content from before it, so requests after
// the change do not share it, and what it stores is not current.
func TestCacheRenderingBeforeInvalidateIsNotShared(t *testing.T) {
	for _, olderFirst := range []bool{true, false} {
		name := "newer rendering finishes first"
		if olderFirst {
			name = "older rendering finishes first"
		}
		t.Run(name, func(t *testing.T) {
			c, _, _, rec := testCache(100)
			v := newVersions()
			v.release(1, nil)
			mustGet(t, c, "k", v.render)
			v.waitStarted(t, 1)

			c.Invalidate(1)
			before := getAsync(c, "k", v.render) // renders version 2
			v.waitStarted(t, 2)
			waitWaiting(t, 1)
			c.Invalidate(2)
			after := getAsync(c, "k", v.render) // must not wait for version 2
			v.waitStarted(t, 3)
			waitWaiting(t, 2)

			if olderFirst {
				v.release(2, nil)
				if got := body(t, before); got != "version 2" {
					t.Errorf("get before the second change: %q, want version 2", got)
				}
				// Version 2 is kept at the first change's generation: it is
				// not current, so this get waits for version 3.
				later := getAsync(c, "k", v.render)
				waitWaiting(t, 2)
				v.noneStarted(t)
				select {
				case res := <-later:
					t.Fatalf("get after the older rendering finished returned %q before the newer one", res.r.Body())
				default:
				}
				v.release(3, nil)
				if got := body(t, after); got != "version 3" {
					t.Errorf("get after the second change: %q, want version 3", got)
				}
				if got := body(t, later); got != "version 3" {
					t.Errorf("later get: %q, want version 3", got)
				}
				checkStats(t, c, rec, 0, 0, 4)
			} else {
				v.release(3, nil)
				if got := body(t, after); got != "version 3" {
					t.Errorf("get after the second change: %q, want version 3", got)
				}
				v.release(2, nil)
				if got := body(t, before); got != "version 2" {
					t.Errorf("get before the second change: %q, want version 2", got)
				}
				checkStats(t, c, rec, 0, 0, 3)
			}
			waitCache(t, c)
			// The older rendering did not replace the newer one.
			if got := quickGet(t, c, "k", v.render); got != "version 3" {
				t.Errorf("get once both finished: %q, want version 3", got)
			}
			if calls := v.calls.Load(); calls != 3 {
				t.Errorf("%d renderings, want 3", calls)
			}
			h, _, _ := c.Stats()
			if h != 1 {
				t.Errorf("%d hits, want 1: the last get", h)
			}
		})
	}
}

func TestCacheStoreKeepsNewerGeneration(t *testing.T) {
	c, _, _, _ := testCache(100)
	c.Invalidate(1)
	c.Invalidate(2)
	newer := NewResponse(http.StatusOK, "text/plain", []byte("newer"))
	older := NewResponse(http.StatusOK, "text/plain", []byte("older"))
	c.store("k", newer, 2)
	c.store("k", older, 1)
	if e := c.entries["k"]; e.resp != newer || e.gen != 2 {
		t.Errorf("entry %q at generation %d, want newer at 2", e.resp.Body(), e.gen)
	}
	if got := mustGet(t, c, "k", (&versions{}).render); got != "newer" {
		t.Errorf("get: %q", got)
	}
	if n, _, _ := c.Stats(); n != 1 {
		t.Errorf("%d hits, want 1", n)
	}
}

// TestCacheFailedRenderingServesLastGood: when the new version cannot be
// rendered, the last good one is served, at once from then on, and tried
// again in the background once every RetryDelay until that succeeds.
func TestCacheFailedRenderingServesLastGood(t *testing.T) {
	const key = "1\x00GET /@/{handle}\x00demo\x00nl\x00"
	for _, tc := range []struct {
		name string
		err  error
		log  string
	}{
		{"error", errors.New("database down"), "database down"},
		{"panic", errPanic, "render panicked: template exploded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, clock, log, rec := testCache(100)
			v := newVersions()
			v.release(1, nil)
			mustGet(t, c, key, v.render)
			v.waitStarted(t, 1)

			c.Invalidate(1)
			v.release(2, tc.err)
			if got := quickGet(t, c, key, v.render); got != "version 1" {
				t.Fatalf("get whose rendering failed: %q, want version 1", got)
			}
			v.waitStarted(t, 2)
			checkStats(t, c, rec, 0, 1, 2)
			waitCache(t, c)
			if l := log.String(); !strings.Contains(l, tc.log) || !strings.Contains(l, "GET /@/{handle} demo nl") {
				t.Errorf("log %q lacks %q and the page", l, tc.log)
			}

			// Until RetryDelay has passed, gets get the last good version
			// at once and start no rendering.
			for range 3 {
				if got := quickGet(t, c, key, v.render); got != "version 1" {
					t.Errorf("get after a failed rendering: %q, want version 1", got)
				}
			}
			clock.Advance(RetryDelay - time.Nanosecond)
			if got := quickGet(t, c, key, v.render); got != "version 1" {
				t.Errorf("get just before the retry: %q, want version 1", got)
			}
			waitCache(t, c)
			v.noneStarted(t)
			checkStats(t, c, rec, 0, 5, 2)

			// Then one get starts one rendering in the background, and is
			// served at once; so are the gets while it runs, however late.
			clock.Advance(time.Nanosecond)
			if got := quickGet(t, c, key, v.render); got != "version 1" {
				t.Errorf("get that retries: %q, want version 1", got)
			}
			v.waitStarted(t, 3)
			clock.Advance(10 * RetryDelay)
			for range 3 {
				if got := quickGet(t, c, key, v.render); got != "version 1" {
					t.Errorf("get during the retry: %q, want version 1", got)
				}
			}
			v.noneStarted(t)

			// The retry fails too: the next one waits another RetryDelay.
			v.release(3, errors.New("still down"))
			waitCache(t, c)
			if got := quickGet(t, c, key, v.render); got != "version 1" {
				t.Errorf("get after the failed retry: %q, want version 1", got)
			}
			waitCache(t, c)
			v.noneStarted(t)
			if calls := v.calls.Load(); calls != 3 {
				t.Errorf("%d renderings before the second retry, want 3", calls)
			}
			if l := log.String(); !strings.Contains(l, "still down") {
				t.Errorf("log %q lacks the failed retry", l)
			}

			clock.Advance(RetryDelay)
			v.release(4, nil)
			if got := quickGet(t, c, key, v.render); got != "version 1" {
				t.Errorf("get that retries again: %q, want version 1", got)
			}
			v.waitStarted(t, 4)
			waitCache(t, c)
			if got := quickGet(t, c, key, v.render); got != "version 4" {
				t.Errorf("after the successful retry: %q, want version 4", got)
			}
			if calls := v.calls.Load(); calls != 4 {
				t.Errorf("%d renderings, want 4", calls)
			}
			checkStats(t, c, rec, 1, 11, 2)

			// Once it succeeded, the next change is waited for again.
			c.Invalidate(2)
			v.release(5, nil)
			if got := mustGet(t, c, key, v.render); got != "version 5" {
				t.Errorf("get after the next change: %q, want version 5", got)
			}
			checkStats(t, c, rec, 1, 11, 3)
		})
	}
}

// TestCacheChangeAfterFailureIsWaitedFor: a change seen while a page is
// served as its last good version came from a database that answers
// again, so the first request after it waits for the fresh rendering, as
// after any change, instead of getting the last good version once more.
func TestCacheChangeAfterFailureIsWaitedFor(t *testing.T) {
	c, _, _, rec := testCache(100)
	v := newVersions()
	v.release(1, nil)
	mustGet(t, c, "k", v.render)
	v.waitStarted(t, 1)

	c.Invalidate(1)
	v.release(2, errors.New("database down"))
	if got := quickGet(t, c, "k", v.render); got != "version 1" {
		t.Fatalf("get whose rendering failed: %q, want version 1", got)
	}
	v.waitStarted(t, 2)
	if got := quickGet(t, c, "k", v.render); got != "version 1" {
		t.Fatalf("get after the failure: %q, want version 1 at once", got)
	}
	waitCache(t, c)
	v.noneStarted(t)

	c.Invalidate(2)
	done := getAsync(c, "k", v.render)
	v.waitStarted(t, 3)
	v.release(3, nil)
	if got := body(t, done); got != "version 3" {
		t.Fatalf("first get after the next change: %q, want version 3", got)
	}
	checkStats(t, c, rec, 0, 2, 3)

	// Should rendering fail again, the last good version is served once
	// more, the new one.
	c.Invalidate(3)
	v.release(4, errors.New("database down again"))
	if got := quickGet(t, c, "k", v.render); got != "version 3" {
		t.Fatalf("get whose rendering failed again: %q, want version 3", got)
	}
	v.waitStarted(t, 4)
	waitCache(t, c)
}

// TestCacheSlowRenderingServesLastGood: a request does not wait longer
// than StaleWait for a new version when there is an old one; the rendering
// goes on, and later requests get what it renders.
func TestCacheSlowRenderingServesLastGood(t *testing.T) {
	c, _, log, rec := testCache(100)
	v := newVersions()
	v.release(1, nil)
	mustGet(t, c, "k", v.render)
	v.waitStarted(t, 1)

	c.Invalidate(1)
	const n = 5
	start := time.Now()
	results := make([]<-chan result, n)
	for i := range results {
		results[i] = getAsync(c, "k", v.render)
	}
	v.waitStarted(t, 2)
	for _, done := range results {
		if got := body(t, done); got != "version 1" {
			t.Errorf("get while the rendering is slow: %q, want version 1", got)
		}
	}
	if d := time.Since(start); d < StaleWait {
		t.Errorf("gets returned the old version after %v, before StaleWait", d)
	}
	v.noneStarted(t)
	checkStats(t, c, rec, 0, n, n+1)

	v.release(2, nil)
	waitCache(t, c)
	if got := quickGet(t, c, "k", v.render); got != "version 2" {
		t.Errorf("get after the slow rendering finished: %q, want version 2", got)
	}
	if calls := v.calls.Load(); calls != 2 {
		t.Errorf("%d renderings, want 2", calls)
	}
	checkStats(t, c, rec, 1, n, n+1)
	if l := log.String(); !strings.Contains(l, "render slow") {
		t.Errorf("log %q does not tell of the slow rendering", l)
	}
}

// TestCacheSlowRenderingThenServedAtOnce: once a request got the old
// response because the rendering was slow, the entry counts as failing:
// later requests get it at once instead of waiting StaleWait each.
func TestCacheSlowRenderingThenServedAtOnce(t *testing.T) {
	c, _, _, _ := testCache(100)
	v := newVersions()
	v.release(1, nil)
	mustGet(t, c, "k", v.render)
	v.waitStarted(t, 1)
	c.Invalidate(1)
	if got := mustGet(t, c, "k", v.render); got != "version 1" {
		t.Fatalf("slow get: %q, want version 1", got)
	}
	if got := quickGet(t, c, "k", v.render); got != "version 1" {
		t.Errorf("get after a slow one: %q, want version 1 at once", got)
	}
	v.release(2, nil)
	waitCache(t, c)
}

// TestCacheUnavailable: a page never rendered whose rendering fails is
// unavailable; nothing is kept, and the next request tries again.
func TestCacheUnavailable(t *testing.T) {
	dbErr := errors.New("database down")
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"error", dbErr, "database down"},
		{"panic", errPanic, "render panicked: template exploded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _, rec := testCache(100)
			v := newVersions()
			v.release(1, tc.err)
			var res result
			select {
			case res = <-getAsync(c, "k", v.render):
			case <-time.After(blockedTimeout):
				t.Fatal("get still blocked")
			}
			if res.r != nil || !errors.Is(res.err, ErrUnavailable) {
				t.Fatalf("get: %v, %v; want an error wrapping ErrUnavailable", res.r, res.err)
			}
			if !strings.Contains(res.err.Error(), tc.want) || tc.err != errPanic && !errors.Is(res.err, tc.err) {
				t.Errorf("error %q does not wrap %q", res.err, tc.want)
			}
			waitCache(t, c)
			if n := entryCount(c); n != 0 {
				t.Errorf("%d entries after a failed rendering", n)
			}
			checkStats(t, c, rec, 0, 0, 1)

			v.release(2, nil)
			if got := mustGet(t, c, "k", v.render); got != "version 2" {
				t.Errorf("get after the failure: %q, want version 2", got)
			}
			if got := mustGet(t, c, "k", v.render); got != "version 2" {
				t.Errorf("second get after the failure: %q, want version 2", got)
			}
			checkStats(t, c, rec, 1, 0, 2)
		})
	}
}

func TestCacheKeepsOnlyPagesForEveryone(t *testing.T) {
	for _, tc := range []struct {
		status int
		kept   bool
	}{
		{http.StatusOK, true},
		{http.StatusGone, true},
		{http.StatusNotFound, false},
		{http.StatusInternalServerError, false},
		{http.StatusServiceUnavailable, false},
	} {
		c, _, _, _ := testCache(100)
		v := &versions{status: tc.status}
		for range 2 {
			r, err := c.Get("k", v.render)
			if err != nil || r.Status() != tc.status {
				t.Fatalf("%d: get: %v, %v", tc.status, r, err)
			}
		}
		calls, entries := v.calls.Load(), entryCount(c)
		if tc.kept && (calls != 1 || entries != 1) || !tc.kept && (calls != 2 || entries != 0) {
			t.Errorf("%d: %d renderings, %d entries; want kept %v", tc.status, calls, entries, tc.kept)
		}
	}
	c, _, _, _ := testCache(100)
	redirects := 0
	for range 2 {
		r, err := c.Get("k", func() (*Response, error) {
			redirects++
			return Redirect(http.StatusMovedPermanently, "/@demo"), nil
		})
		if err != nil || r.Location() != "/@demo" {
			t.Fatalf("redirect: %v, %v", r, err)
		}
	}
	if redirects != 1 {
		t.Errorf("a redirect was rendered %d times, want 1: it is the same for every visitor", redirects)
	}
}

// TestCacheDroppedPageIsNotServedStale: a page that is gone (404) must not
// come back as the last good response when a later rendering fails.
func TestCacheDroppedPageIsNotServedStale(t *testing.T) {
	notFound := func() (*Response, error) {
		return NewResponse(http.StatusNotFound, "text/plain", []byte("not found")), nil
	}
	down := func() (*Response, error) { return nil, errors.New("database down") }

	t.Run("deleted, then the database fails", func(t *testing.T) {
		c, _, _, _ := testCache(100)
		v := &versions{}
		mustGet(t, c, "k", v.render)
		c.Invalidate(1)
		if r, err := c.Get("k", notFound); err != nil || r.Status() != http.StatusNotFound {
			t.Fatalf("get of the deleted page: %v, %v", r, err)
		}
		c.Invalidate(2)
		r, err := c.Get("k", down)
		if err == nil {
			t.Errorf("get of a deleted page while the database is down: %d %q, want unavailable", r.Status(), r.Body())
		}
	})
	t.Run("deleted while the database failed", func(t *testing.T) {
		c, clock, _, _ := testCache(100)
		v := &versions{}
		mustGet(t, c, "k", v.render)
		c.Invalidate(1)
		mustGet(t, c, "k", down) // served version 1, failing
		clock.Advance(RetryDelay)
		mustGet(t, c, "k", notFound) // the retry finds the page gone
		waitCache(t, c)
		r, err := c.Get("k", notFound)
		if err != nil {
			t.Fatalf("get after the retry found the page gone: %v", err)
		}
		if r.Status() != http.StatusNotFound {
			t.Errorf("get after the retry found the page gone: %d %q, want 404", r.Status(), r.Body())
		}
	})
}

func TestCacheAddsBrotliToKeptPages(t *testing.T) {
	c, _, _, _ := testCache(100)
	page := testPage(8 << 10)
	r, err := c.Get("k", func() (*Response, error) { return NewResponse(http.StatusOK, "text/html", page), nil })
	if err != nil {
		t.Fatal(err)
	}
	if r.brotli != nil || r.gzipped == nil {
		t.Error("the first reader waited for brotli: it is added in the background, gzip serves meanwhile")
	}
	c.Wait() // brotli is added in the background
	if r, err = c.Get("k", nil); err != nil {
		t.Fatal(err)
	}
	if r.brotli == nil || !bytes.Equal(decode(t, "br", r.brotli.body), page) {
		t.Error("kept page has no brotli representation of the page")
	}
	notFound, err := c.Get("missing", func() (*Response, error) { return NewResponse(http.StatusNotFound, "text/html", page), nil })
	if err != nil {
		t.Fatal(err)
	}
	if notFound.brotli != nil || notFound.gzipped == nil {
		t.Error("a page that is not kept should have gzip only")
	}
}

func TestCacheIsBounded(t *testing.T) {
	t.Run("entries", func(t *testing.T) {
		c, _, _, _ := testCache(8)
		popular := &versions{}
		for i := range 1000 {
			mustGet(t, c, "popular", popular.render)
			mustGet(t, c, "/@demo?before="+strconv.Itoa(i), (&versions{}).render)
			if n := entryCount(c); n > 8 {
				t.Fatalf("%d entries, want at most 8", n)
			}
		}
		if calls := popular.calls.Load(); calls != 1 {
			t.Errorf("a page requested between every other was rendered %d times, want 1", calls)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		c, _, _, _ := testCache(1000)
		c.maxBytes = 512 << 10
		body := testPage(10 << 10)
		r := NewResponse(http.StatusOK, "text/html", body)
		for i := range 100 {
			key := "k" + strconv.Itoa(i)
			mustGet(t, c, key, func() (*Response, error) { return r, nil })
			c.mu.RLock()
			sum := 0
			for k, e := range c.entries {
				sum += e.size
				if e.size < len(k)+len(body) {
					t.Errorf("entry of %d bytes counted as %d", len(body), e.size)
				}
			}
			total := c.bytes
			c.mu.RUnlock()
			if sum != total || total > c.maxBytes {
				t.Fatalf("entries hold %d bytes, counted %d, limit %d", sum, total, c.maxBytes)
			}
		}
		if n := entryCount(c); n < 10 {
			t.Errorf("only %d entries of about 15 KB fit in 512 KB", n)
		}
		huge := randomBytes(c.maxBytes / 8)
		mustGet(t, c, "huge", func() (*Response, error) { return NewResponse(http.StatusOK, "text/plain", huge), nil })
		c.mu.RLock()
		_, kept := c.entries["huge"]
		c.mu.RUnlock()
		if kept {
			t.Error("a response of an eighth of the limit was kept")
		}
	})
}

// TestCacheVersion: Version is the highest change version passed to
// Invalidate, and the recorder is told every time.
func TestCacheVersion(t *testing.T) {
	c, _, _, rec := testCache(100)
	if v := c.Version(); v != 0 {
		t.Errorf("new cache at version %d", v)
	}
	for _, step := range []struct{ invalidate, want int64 }{
		{5, 5},
		{3, 5},
		{5, 5},
		{7, 7},
	} {
		c.Invalidate(step.invalidate)
		if v := c.Version(); v != step.want {
			t.Errorf("after Invalidate(%d): version %d, want %d", step.invalidate, v, step.want)
		}
	}
	if got, want := rec.changeVersions(), []int64{5, 5, 5, 7}; !slices.Equal(got, want) {
		t.Errorf("recorder told change versions %v, want %v", got, want)
	}
	// A change with a lower version, arriving late, still marks every
	// response outdated.
	v := &versions{}
	mustGet(t, c, "k", v.render)
	c.Invalidate(3)
	if got := mustGet(t, c, "k", v.render); got != "version 2" {
		t.Errorf("get after Invalidate(3) at version 7: %q, want version 2", got)
	}

	// Without a recorder, Invalidate only counts.
	plain := New(Options{})
	plain.Invalidate(9)
	if v := plain.Version(); v != 9 {
		t.Errorf("version %d, want 9", v)
	}
}

// BenchmarkCacheGetHit serves one fresh page from many goroutines.
func BenchmarkCacheGetHit(b *testing.B) {
	c := New(Options{MaxEntries: 100})
	page := testPage(20 << 10)
	render := func() (*Response, error) { return NewResponse(http.StatusOK, "text/html", page), nil }
	if _, err := c.Get("/@demo\x00\x00", render); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r, err := c.Get("/@demo\x00\x00", render); err != nil || r == nil {
				b.Fatal("no response")
			}
		}
	})
	if _, _, misses := c.Stats(); misses != 1 {
		b.Fatalf("%d misses", misses)
	}
}
