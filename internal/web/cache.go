package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/singleflight"

	"plein/internal/insights"
	"plein/internal/metrics"
)

// response is a rendered public response, held in memory and compressed
// once. Its header values are prepared when it is made, so that serving it
// from the cache only copies slices.
type response struct {
	counted     counted // what a view of it counts as, for insights
	status      int
	contentType []string
	location    []string // for redirects
	plain       representation
	gzipped     *representation // nil when compression does not pay
	brotli      *representation // nil until the cache keeps the response, or when it does not pay
}

// representation is one encoding of a response body.
type representation struct {
	body   []byte
	etag   string
	header map[string][]string
}

// counted says what serving a response counts for insights: a view of an
// organisation's page or post, or a fetch of one of its feeds.
type counted struct {
	orgID  string // empty: not counted
	postID string
	feed   bool
	kind   insights.FeedKind
}

// Prepared header values shared by every response.
var (
	cacheControlValue = []string{cacheControl}
	varyValue         = []string{"Accept-Encoding"}
	varyAcceptValue   = []string{"Accept, Accept-Encoding"}
	gzipValue         = []string{"gzip"}
	brotliValue       = []string{"br"}
)

// minCompressed is the smallest body worth compressing.
const minCompressed = 512

// brotliQuality is the brotli quality of cached responses. Qualities 10
// and 11 switch to a far slower algorithm: 20 to 70 ms for a 60 KB page,
// ten to thirty times the cost of 9, for 2 to 8% less.
const brotliQuality = 9

// newRepresentation prepares the headers of body, sent with the content
// coding encoding (nil: none).
func newRepresentation(body []byte, etag string, encoding []string) representation {
	h := map[string][]string{
		"Etag":           {etag},
		"Content-Length": {strconv.Itoa(len(body))},
	}
	if encoding != nil {
		h["Content-Encoding"] = encoding
	}
	return representation{body: body, etag: etag, header: h}
}

// newResponse makes a response of body, with a gzip representation when
// that is smaller. Brotli, slower to make, is added by the cache to the
// responses it keeps.
func newResponse(status int, contentType string, body []byte) *response {
	r := &response{status: status, contentType: []string{contentType}}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	r.plain = newRepresentation(body, `"`+tag+`"`, nil)
	if len(body) > minCompressed {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(body) // writes to a bytes.Buffer do not fail
		zw.Close()
		if b.Len() < len(body) {
			gz := newRepresentation(b.Bytes(), `"`+tag+`-gz"`, gzipValue)
			r.gzipped = &gz
		}
	}
	return r
}

// addBrotli adds a brotli representation to r when it is smaller than
// both the plain and the gzip one. It must be called before r is shared.
func (r *response) addBrotli() {
	body := r.plain.body
	if r.brotli != nil || len(body) <= minCompressed {
		return
	}
	compressed := brotliCompress(body, brotliQuality)
	limit := len(body)
	if r.gzipped != nil {
		limit = len(r.gzipped.body)
	}
	if len(compressed) >= limit {
		return
	}
	tag := strings.Trim(r.plain.etag, `"`)
	br := newRepresentation(compressed, `"`+tag+`-br"`, brotliValue)
	r.brotli = &br
}

// brotliCompress compresses body at quality with a window just large
// enough for it: the same output as the default 4 MB window, with a tenth
// of the memory.
func brotliCompress(body []byte, quality int) []byte {
	var b bytes.Buffer
	lgwin := min(max(bits.Len(uint(len(body))), 10), 24)
	bw := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	bw.Write(body) // writes to a bytes.Buffer do not fail
	bw.Close()
	return b.Bytes()
}

// size is about how much memory r holds.
func (r *response) size() int {
	n := 512 + len(r.plain.body)
	if r.gzipped != nil {
		n += len(r.gzipped.body)
	}
	if r.brotli != nil {
		n += len(r.brotli.body)
	}
	return n
}

func redirect(status int, location string) *response {
	return &response{status: status, location: []string{location}}
}

// cacheControl is sent with every public response: shared caches may keep
// it briefly and serve it stale while they fetch a fresh one, or when
// Plein cannot be reached.
const cacheControl = "public, max-age=15, stale-while-revalidate=60, stale-if-error=86400"

// write sends r, answering conditional requests with 304, clients that
// accept brotli with the brotli body, others that accept gzip with the
// gzip body.
func (r *response) write(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	h["Cache-Control"] = cacheControlValue
	if r.location != nil {
		h["Location"] = r.location
		w.WriteHeader(r.status)
		return
	}
	h["Content-Type"] = r.contentType
	if _, set := h["Vary"]; !set {
		h["Vary"] = varyValue
	}
	rep := r.representationFor(req.Header)
	if inm := req.Header["If-None-Match"]; inm != nil && etagMatches(inm, rep.etag) {
		h["Etag"] = rep.header["Etag"]
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for k, v := range rep.header {
		h[k] = v
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		w.Write(rep.body) // a failed write means the client left
	}
}

// representationFor picks the representation to send for a request's
// header: brotli when the client accepts it, else gzip, else plain.
func (r *response) representationFor(h http.Header) *representation {
	if r.brotli == nil && r.gzipped == nil {
		return &r.plain
	}
	br, gz := acceptedEncodings(h)
	switch {
	case br && r.brotli != nil:
		return r.brotli
	case gz && r.gzipped != nil:
		return r.gzipped
	}
	return &r.plain
}

// Weights of a content coding in Accept-Encoding.
const (
	unlisted int8 = iota // not named
	refused              // q=0
	accepted
)

// acceptedEncodings reports whether brotli and gzip are acceptable by the
// Accept-Encoding fields of h: named, or covered by "*", with a weight
// above zero. Without the field, neither is: clients that do not say get
// the plain body. It does not allocate.
func acceptedEncodings(h http.Header) (br, gz bool) {
	brW, gzW, anyW := unlisted, unlisted, unlisted
	for _, field := range h["Accept-Encoding"] {
		for field != "" {
			var item string
			item, field, _ = strings.Cut(field, ",")
			name, params, _ := strings.Cut(item, ";")
			switch name = strings.TrimSpace(name); {
			case strings.EqualFold(name, "br"):
				brW = weight(params)
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				gzW = weight(params)
			case name == "*":
				anyW = weight(params)
			}
		}
	}
	return brW == accepted || brW == unlisted && anyW == accepted,
		gzW == accepted || gzW == unlisted && anyW == accepted
}

// weight reads the q parameter of a coding in Accept-Encoding: refused
// when it is zero or not a number, accepted otherwise.
func weight(params string) int8 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		if positiveQ(strings.TrimSpace(v)) {
			return accepted
		}
		return refused
	}
	return accepted
}

// positiveQ reports whether v is a decimal number above zero, such as
// "1", "0.5" or ".001".
func positiveQ(v string) bool {
	digits, dot, positive := 0, false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
			digits++
			positive = positive || c != '0'
		default:
			return false
		}
	}
	return digits > 0 && positive
}

// acceptsGzip reports whether a request accepts a gzip body.
func acceptsGzip(r *http.Request) bool {
	_, gz := acceptedEncodings(r.Header)
	return gz
}

// etagMatches reports whether If-None-Match fields name etag, or "*". The
// comparison is weak, as RFC 9110 asks for If-None-Match: W/"x" matches
// "x". It does not allocate.
func etagMatches(fields []string, etag string) bool {
	for _, field := range fields {
		for field != "" {
			var part string
			part, field, _ = strings.Cut(field, ",")
			part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
			if part == "*" || part == etag {
				return true
			}
		}
	}
	return false
}

// Limits of the page cache.
const (
	// maxCacheBytes bounds the memory the cached responses hold.
	maxCacheBytes = 256 << 20
	// maxStale is how long after the change that outdated it a response
	// may still be served while a fresh one is rendered, as shared caches
	// may (stale-while-revalidate). Older responses are rendered again
	// before they are served, so that no visitor gets, say, a post deleted
	// an hour ago.
	maxStale = time.Minute
	// retryDelay is how long a failed background rendering waits before
	// the next request may start another.
	retryDelay = time.Second
	// invalidations is how many recent invalidations the cache remembers
	// the time of; a response outdated by more changes than that is too
	// stale to serve.
	invalidations = 1024
	// evictionSample is how many recently used entries eviction passes
	// over, giving each a second chance, before it takes one anyway.
	evictionSample = 8
)

// pageCache holds rendered public responses. A change marks every
// response stale instead of dropping it: the next request for a stale
// response gets it at once and starts one rendering in the background,
// which replaces it. A missing response, or one outdated for longer than
// maxStale, is rendered while the request waits, once for all concurrent
// requests. The cache holds at most max entries and maxCacheBytes bytes,
// evicting the least used first.
type pageCache struct {
	mu            sync.RWMutex
	entries       map[string]*cacheEntry
	bytes         int    // sum of the entries' sizes
	generation    uint64 // incremented by every invalidation
	invalidatedAt [invalidations]time.Time
	max           int
	maxBytes      int

	group      singleflight.Group
	background sync.WaitGroup // background renderings
	now        func() time.Time
	logger     *slog.Logger     // nil: slog.Default()
	metrics    *metrics.Metrics // nil: not exported

	hits, stale, misses atomic.Uint64
}

// cacheEntry is a cached response and the generation it was rendered at:
// stale once the cache's generation is higher.
type cacheEntry struct {
	resp       *response
	gen        uint64
	size       int
	used       atomic.Bool  // served since eviction last passed it
	refreshing atomic.Bool  // a background rendering is under way
	retryAt    atomic.Int64 // Unix nanoseconds before which no new background rendering starts
}

func newPageCache(max int) *pageCache {
	return &pageCache{entries: make(map[string]*cacheEntry), max: max, maxBytes: maxCacheBytes, now: time.Now}
}

// Stats returns how many requests the cache answered with a fresh
// response, with a stale one (while rendering it again), and how many
// waited for a rendering.
func (c *pageCache) Stats() (hits, stale, misses uint64) {
	return c.hits.Load(), c.stale.Load(), c.misses.Load()
}

// get returns the cached response for key: at once when it is fresh, or
// stale since less than maxStale, starting one background rendering in
// the second case; otherwise it renders it. Only responses that every
// visitor gets (not 404s, not errors) are kept. A background rendering
// runs render after the request that started it is answered.
func (c *pageCache) get(key string, render func() (*response, error)) (*response, error) {
	c.mu.RLock()
	e := c.entries[key]
	gen := c.generation
	var staleSince time.Time
	if e != nil && e.gen != gen && gen-e.gen <= invalidations {
		staleSince = c.invalidatedAt[(e.gen+1)%invalidations]
	}
	c.mu.RUnlock()
	if e != nil {
		if !e.used.Load() {
			e.used.Store(true)
		}
		if e.gen == gen {
			c.hits.Add(1)
			c.metrics.CacheHit()
			return e.resp, nil
		}
		if now := c.now(); !staleSince.IsZero() && now.Sub(staleSince) <= maxStale {
			c.stale.Add(1)
			c.metrics.CacheStale()
			if now.UnixNano() >= e.retryAt.Load() && e.refreshing.CompareAndSwap(false, true) {
				c.background.Add(1)
				go c.refresh(key, e, render)
			}
			return e.resp, nil
		}
	}
	c.misses.Add(1)
	c.metrics.CacheMiss()
	v, err, _ := c.group.Do(key, func() (any, error) { return c.renderAndStore(key, render) })
	if err != nil {
		return nil, err
	}
	return v.(*response), nil
}

// refresh renders e's key again in the background and logs a failure, which
// leaves e in place.
func (c *pageCache) refresh(key string, e *cacheEntry, render func() (*response, error)) {
	defer c.background.Done()
	defer e.refreshing.Store(false)
	defer func() {
		if v := recover(); v != nil {
			e.retryAt.Store(c.now().Add(retryDelay).UnixNano())
			c.log().Error("web: render in the background", "page", printableKey(key), "err", fmt.Errorf("panic: %v", v))
		}
	}()
	_, err, _ := c.group.Do(key, func() (any, error) { return c.renderAndStore(key, render) })
	if err != nil {
		e.retryAt.Store(c.now().Add(retryDelay).UnixNano())
		c.log().Error("web: render in the background", "page", printableKey(key), "err", err)
	}
}

// renderAndStore renders key and keeps the response when every visitor
// gets it. A fresh response, stored since the caller looked, is returned
// as it is.
func (c *pageCache) renderAndStore(key string, render func() (*response, error)) (*response, error) {
	c.mu.RLock()
	e := c.entries[key]
	gen := c.generation // read before rendering: a change during it leaves the result stale
	c.mu.RUnlock()
	if e != nil && e.gen == gen {
		return e.resp, nil
	}
	r, err := render()
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNotFound || r.status >= 500 {
		return r, nil
	}
	r.addBrotli()
	c.store(key, r, gen)
	return r, nil
}

// store keeps r, rendered at generation gen, under key, unless the entry
// there was rendered at a later generation.
func (c *pageCache) store(key string, r *response, gen uint64) {
	size := len(key) + r.size()
	if size > c.maxBytes/16 { // a response this large would evict too many others
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &cacheEntry{resp: r, gen: gen, size: size}
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

// evictLocked drops one entry: the first not used since eviction last
// passed it, starting at a random entry, or the last one it passes.
func (c *pageCache) evictLocked() {
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

// invalidate marks every cached response stale.
func (c *pageCache) invalidate() {
	now := c.now()
	c.mu.Lock()
	c.generation++
	c.invalidatedAt[c.generation%invalidations] = now
	c.mu.Unlock()
}

// wait waits for the background renderings under way.
func (c *pageCache) wait() { c.background.Wait() }

func (c *pageCache) log() *slog.Logger {
	if c.logger != nil {
		return c.logger
	}
	return slog.Default()
}

// printableKey turns a cache key into the request it stands for, for logs.
func printableKey(key string) string {
	return strings.ReplaceAll(key, "\x00", " ")
}
