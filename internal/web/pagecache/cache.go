package pagecache

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Limits of the cache.
const (
	// maxCacheBytes bounds the memory the cached responses hold.
	maxCacheBytes = 256 << 20
	// RetryDelay is how long after a failed rendering the cache keeps
	// serving the last good response before it tries again.
	RetryDelay = time.Second
	// StaleWait is how long a request for an outdated response waits for
	// its fresh rendering before it gets the outdated one: only when the
	// database is slow or unreachable does a rendering take that long.
	StaleWait = time.Second
	// evictionSample is how many recently used entries eviction passes
	// over, giving each a second chance, before it takes one anyway.
	evictionSample = 8
)

// ErrUnavailable is returned by Get when a response was never rendered and
// rendering it failed: the caller answers 503.
var ErrUnavailable = errors.New("pagecache: response unavailable")

// Recorder counts the cache's results; the metrics package implements it.
type Recorder interface {
	CacheHit()
	CacheStale()
	CacheMiss()
	SetChangeVersion(v int64)
}

// Cache holds rendered public responses.
//
// A change (Invalidate) marks every response outdated. The next request for
// an outdated response waits for a fresh rendering, which every concurrent
// request for it shares; so no reader gets a response older than the last
// change the process has seen, beyond the time of one rendering. Only when
// rendering fails (the database cannot be reached) or takes longer than
// StaleWait does a request get the last good response; the cache then keeps
// serving that at once, and tries again in the background every
// RetryDelay, until a rendering succeeds or the next change is seen: a
// change is read from the database, so the database answers again, and the
// next request waits for a fresh rendering once more. The cache holds at
// most max entries and maxCacheBytes bytes, evicting the least used first.
type Cache struct {
	mu         sync.RWMutex
	entries    map[string]*entry
	bytes      int    // sum of the entries' sizes
	generation uint64 // incremented by every invalidation
	version    atomic.Int64
	max        int
	maxBytes   int

	handlers   atomic.Int64 // cached handlers made, so that each has its own keys
	group      singleflight.Group
	background sync.WaitGroup // renderings that outlived the request that started them
	now        func() time.Time
	logger     *slog.Logger
	recorder   Recorder // nil: not counted

	hits, stale, misses atomic.Uint64
}

// entry is a cached response and the generation it was rendered at:
// outdated once the cache's generation is higher.
type entry struct {
	resp       *Response
	gen        uint64
	size       int
	used       atomic.Bool   // served since eviction last passed it
	failing    atomic.Bool   // the last rendering of a newer version failed
	failedGen  atomic.Uint64 // the generation that rendering was for
	refreshing atomic.Bool   // a background rendering is under way
	retryAt    atomic.Int64  // Unix nanoseconds before which no new rendering starts
}

// Options configure a Cache.
type Options struct {
	MaxEntries int              // 0: 10,000
	Now        func() time.Time // nil: time.Now
	Logger     *slog.Logger     // nil: slog.Default()
	Recorder   Recorder         // nil: results are not exported
}

// New returns an empty Cache.
func New(o Options) *Cache {
	c := &Cache{entries: make(map[string]*entry), max: o.MaxEntries, maxBytes: maxCacheBytes,
		now: o.Now, logger: o.Logger, recorder: o.Recorder}
	if c.max <= 0 {
		c.max = 10000
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	return c
}

// Stats returns how many requests the cache answered with a current
// response, with an outdated one (rendering failed or is slow), and how
// many waited for a rendering.
func (c *Cache) Stats() (hits, stale, misses uint64) {
	return c.hits.Load(), c.stale.Load(), c.misses.Load()
}

// Version returns the change version the cache has reached: the last value
// passed to Invalidate.
func (c *Cache) Version() int64 { return c.version.Load() }

// Invalidate marks every cached response outdated, because public content
// reached change version v.
func (c *Cache) Invalidate(v int64) {
	c.mu.Lock()
	c.generation++
	c.mu.Unlock()
	for old := c.version.Load(); v > old && !c.version.CompareAndSwap(old, v); old = c.version.Load() {
	}
	if c.recorder != nil {
		c.recorder.SetChangeVersion(c.Version())
	}
}

// Wait waits for the renderings that outlived their requests.
func (c *Cache) Wait() { c.background.Wait() }

// current returns the response for key when it is cached and current,
// counting the hit.
func (c *Cache) current(key string) (*Response, bool) {
	c.mu.RLock()
	e := c.entries[key]
	gen := c.generation
	c.mu.RUnlock()
	if e == nil || e.gen != gen {
		return nil, false
	}
	if !e.used.Load() {
		e.used.Store(true)
	}
	c.hits.Add(1)
	c.count(Recorder.CacheHit)
	return e.resp, true
}

// Get returns the response for key: the cached one when it is current;
// otherwise a fresh rendering, shared by every concurrent request for key.
// Only responses that every visitor gets (not 404s, not errors) are kept.
// When rendering fails, or is slower than StaleWait, Get returns the last
// good response if there is one; if there is none and rendering failed, it
// returns an error wrapping ErrUnavailable.
func (c *Cache) Get(key string, render func() (*Response, error)) (*Response, error) {
	if r, ok := c.current(key); ok {
		return r, nil
	}
	c.mu.RLock()
	e := c.entries[key]
	gen := c.generation
	c.mu.RUnlock()
	if e != nil && !e.used.Load() {
		e.used.Store(true)
	}
	// Rendering this version failed lately: serve the last good response
	// at once. A failure before the last change does not count; that
	// change came from a database that answered.
	if e != nil && e.gen != gen && e.failing.Load() && e.failedGen.Load() == gen {
		c.serveStale(key, gen, e, render)
		return e.resp, nil
	}
	c.misses.Add(1)
	c.count(Recorder.CacheMiss)
	results := c.group.DoChan(fmt.Sprintf("%s\x00%d", key, gen), func() (any, error) {
		c.background.Add(1)
		defer c.background.Done()
		return c.renderAndStore(key, gen, render)
	})
	var wait <-chan time.Time
	if e != nil {
		t := time.NewTimer(StaleWait)
		defer t.Stop()
		wait = t.C
	}
	select {
	case res := <-results:
		if res.Err == nil {
			return res.Val.(*Response), nil
		}
		if e == nil {
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, res.Err)
		}
		if c.markFailing(e, gen) {
			c.logger.Error("pagecache: render failed; serving the last good version", "page", printableKey(key), "err", res.Err)
		}
	case <-wait:
		// Later requests get the last good version at once until the
		// rendering lands.
		if c.markFailing(e, gen) {
			c.logger.Warn("pagecache: render slow; serving the last good version", "page", printableKey(key))
		}
	}
	c.stale.Add(1)
	c.count(Recorder.CacheStale)
	return e.resp, nil
}

// count calls a Recorder method when there is a recorder.
func (c *Cache) count(f func(Recorder)) {
	if c.recorder != nil {
		f(c.recorder)
	}
}

// markFailing makes e served at once, while the generation stays gen,
// until a rendering succeeds, retried after RetryDelay. It reports whether
// e was not yet failing at gen, so that a failure is logged once, not once
// per waiting request.
func (c *Cache) markFailing(e *entry, gen uint64) bool {
	first := !e.failing.Load() || e.failedGen.Load() != gen
	e.retryAt.Store(c.now().Add(RetryDelay).UnixNano())
	e.failedGen.Store(gen)
	e.failing.Store(true)
	return first
}

// serveStale counts e served outdated and, once RetryDelay has passed since
// the last failure, starts one rendering in the background.
func (c *Cache) serveStale(key string, gen uint64, e *entry, render func() (*Response, error)) {
	c.stale.Add(1)
	c.count(Recorder.CacheStale)
	if c.now().UnixNano() < e.retryAt.Load() || !e.refreshing.CompareAndSwap(false, true) {
		return
	}
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		defer e.refreshing.Store(false)
		_, err, _ := c.group.Do(fmt.Sprintf("%s\x00%d", key, gen), func() (any, error) {
			return c.renderAndStore(key, gen, render)
		})
		if err != nil {
			c.markFailing(e, gen)
			c.logger.Error("pagecache: render failed again; serving the last good version", "page", printableKey(key), "err", err)
		}
	}()
}

// renderAndStore renders key at generation gen and keeps the response when
// every visitor gets it. A panic in render is returned as an error.
func (c *Cache) renderAndStore(key string, gen uint64, render func() (*Response, error)) (r *Response, err error) {
	defer func() {
		if v := recover(); v != nil {
			r, err = nil, fmt.Errorf("pagecache: render panicked: %v", v)
		}
	}()
	r, err = render()
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNotFound || r.status >= 500 {
		c.drop(key, gen) // what was there must not be served again, not even in an outage
		return r, nil
	}
	c.store(key, r, gen)
	c.addBrotliLater(key, r)
	return r, nil
}

// addBrotliLater compresses r with brotli in the background and puts the
// result in r's place while r is still the cached response of key: readers
// waiting for a fresh page do not wait for the slower compression, and get
// gzip until it is done.
func (c *Cache) addBrotliLater(key string, r *Response) {
	if len(r.plain.body) <= minCompressed {
		return
	}
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		withBrotli := *r
		withBrotli.addBrotli()
		if withBrotli.brotli == nil {
			return // does not pay
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if old, ok := c.entries[key]; ok && old.resp == r { // entries are not changed in place: readers hold them unlocked
			e := &entry{resp: &withBrotli, gen: old.gen, size: len(key) + withBrotli.size()}
			e.used.Store(old.used.Load())
			c.bytes += e.size - old.size
			c.entries[key] = e
			for c.bytes > c.maxBytes && len(c.entries) > 0 {
				c.evictLocked()
			}
		}
	}()
}

// store keeps r, rendered at generation gen, under key, unless the entry
// there was rendered at a later generation.
func (c *Cache) store(key string, r *Response, gen uint64) {
	size := len(key) + r.size()
	if size > c.maxBytes/16 { // a response this large would evict too many others
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &entry{resp: r, gen: gen, size: size}
	if old, ok := c.entries[key]; ok {
		if old.gen > gen {
			return
		}
		e.used.Store(old.used.Load())
		c.bytes -= old.size
		delete(c.entries, key)
	}
	for len(c.entries) > 0 && (len(c.entries) >= c.max || c.bytes+size > c.maxBytes) {
		c.evictLocked()
	}
	c.entries[key] = e
	c.bytes += size
}

// drop removes the entry of key unless it was rendered after generation
// gen.
func (c *Cache) drop(key string, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && e.gen <= gen {
		c.bytes -= e.size
		delete(c.entries, key)
	}
}

// evictLocked drops one entry: the first not used since eviction last
// passed it, starting at a random entry, or the last one it passes.
func (c *Cache) evictLocked() {
	var victim string
	n := 0
	for k, e := range c.entries { // map iteration starts at a random entry
		victim = k
		if !e.used.Swap(false) || n == evictionSample {
			break
		}
		n++
	}
	c.bytes -= c.entries[victim].size
	delete(c.entries, victim)
}

// printableKey turns a cache key into the request it stands for, for logs.
func printableKey(key string) string {
	return strings.ReplaceAll(key, "\x00", " ")
}
