package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// testPage is a compressible HTML page of at least n bytes, the same for
// the same n.
func testPage(n int) []byte {
	words := strings.Fields("de het een gemeente werkzaamheden aan Dorpsstraat weg afgesloten tussen " +
		"fietsers kunnen via park omrijden bussen rijden Ringweg afval wordt gewoon opgehaald meer informatie")
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html lang=\"nl\"><head><title>Gemeente</title></head><body><main>\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "<article class=\"post\" id=\"p%d\"><p>", i)
		for range 40 {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "</p><a href=\"/@demo/%016x\">%s</a></article>\n", rng.Uint64(), strconv.Itoa(i))
	}
	b.WriteString("</main></body></html>\n")
	return b.Bytes()
}

// randomBytes are n bytes no coding compresses.
func randomBytes(n int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// etagsOf computes the three ETags of body independently of the code
// under test.
func etagsOf(body []byte) map[string]string {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	return map[string]string{"": `"` + tag + `"`, "gzip": `"` + tag + `-gz"`, "br": `"` + tag + `-br"`}
}

func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch encoding {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	case "":
	default:
		t.Fatalf("unknown encoding %q", encoding)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", encoding, err)
	}
	return b
}

// cachedResponse is a large page as the cache keeps it: with gzip and
// brotli representations.
func cachedResponse(t testing.TB, body []byte) *response {
	r := newResponse(http.StatusOK, "text/html; charset=utf-8", body)
	r.addBrotli()
	if r.gzipped == nil || r.brotli == nil {
		t.Fatalf("a %d-byte page has gzip %v, brotli %v; want both", len(body), r.gzipped != nil, r.brotli != nil)
	}
	return r
}

func TestAcceptedEncodings(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fields  []string // nil: no Accept-Encoding field
		br, gz  bool
		allowed bool // may allocate
	}{
		{name: "no field", fields: nil},
		{name: "empty", fields: []string{""}},
		{name: "browser", fields: []string{"gzip, deflate, br, zstd"}, br: true, gz: true},
		{name: "gzip only", fields: []string{"gzip"}, gz: true},
		{name: "br only", fields: []string{"br"}, br: true},
		{name: "upper case", fields: []string{"BR, GZip"}, br: true, gz: true},
		{name: "x-gzip", fields: []string{"x-gzip"}, gz: true},
		{name: "identity", fields: []string{"identity"}},
		{name: "deflate", fields: []string{"deflate, zstd"}},
		{name: "br refused", fields: []string{"br;q=0, gzip"}, gz: true},
		{name: "br refused with spaces", fields: []string{"gzip , br ; q=0.000"}, gz: true},
		{name: "both refused", fields: []string{"br;q=0, gzip;q=0"}},
		{name: "Q upper case", fields: []string{"br;Q=0, gzip"}, gz: true},
		{name: "small weight", fields: []string{"br;q=0.001"}, br: true},
		{name: "weight one", fields: []string{"gzip;q=1.0"}, gz: true},
		{name: "other parameter", fields: []string{"br;level=3;q=0.5"}, br: true},
		{name: "bad weight refuses", fields: []string{"br;q=high, gzip;q="}},
		{name: "lower weight for br", fields: []string{"gzip;q=1, br;q=0.5"}, br: true, gz: true},
		{name: "wildcard", fields: []string{"*"}, br: true, gz: true},
		{name: "wildcard refused", fields: []string{"*;q=0"}},
		{name: "wildcard refused but gzip named", fields: []string{"gzip, *;q=0"}, gz: true},
		{name: "wildcard without gzip", fields: []string{"gzip;q=0, *"}, br: true},
		{name: "named refusals beat wildcard", fields: []string{"*, br;q=0, gzip;q=0"}},
		{name: "two fields", fields: []string{"gzip", "br"}, br: true, gz: true},
		{name: "empty items", fields: []string{",, ,gzip,"}, gz: true},
	} {
		h := http.Header{}
		if tc.fields != nil {
			h["Accept-Encoding"] = tc.fields
		}
		if br, gz := acceptedEncodings(h); br != tc.br || gz != tc.gz {
			t.Errorf("%s: %q: br %v, gzip %v; want %v, %v", tc.name, tc.fields, br, gz, tc.br, tc.gz)
		}
	}
}

func TestNegotiationDoesNotAllocate(t *testing.T) {
	r := cachedResponse(t, testPage(8<<10))
	for _, value := range []string{"gzip, deflate, br, zstd", "gzip", "br;q=0, gzip;q=0.8, *;q=0.1"} {
		h := http.Header{"Accept-Encoding": {value}, "If-None-Match": {`"abc", W/"def"`}}
		allocs := testing.AllocsPerRun(100, func() {
			rep := r.representationFor(h)
			if etagMatches(h["If-None-Match"], rep.etag) {
				t.Fatal("unexpected match")
			}
		})
		if allocs != 0 {
			t.Errorf("%q: %v allocations per negotiation, want 0", value, allocs)
		}
	}
}

func TestWriteNegotiation(t *testing.T) {
	body := testPage(8 << 10)
	r := cachedResponse(t, body)
	tags := etagsOf(body)
	for _, tc := range []struct {
		name   string
		method string
		fields []string // Accept-Encoding; nil: none
		want   string   // Content-Encoding
	}{
		{"no field", http.MethodGet, nil, ""},
		{"empty field", http.MethodGet, []string{""}, ""},
		{"browser", http.MethodGet, []string{"gzip, deflate, br, zstd"}, "br"},
		{"gzip", http.MethodGet, []string{"gzip"}, "gzip"},
		{"br", http.MethodGet, []string{"br"}, "br"},
		{"br refused", http.MethodGet, []string{"gzip, br;q=0"}, "gzip"},
		{"both refused", http.MethodGet, []string{"gzip;q=0, br;q=0"}, ""},
		{"identity", http.MethodGet, []string{"identity"}, ""},
		{"deflate only", http.MethodGet, []string{"deflate"}, ""},
		{"wildcard", http.MethodGet, []string{"*"}, "br"},
		{"wildcard refused", http.MethodGet, []string{"*;q=0"}, ""},
		{"wildcard but br refused", http.MethodGet, []string{"*, br;q=0"}, "gzip"},
		{"HEAD with br", http.MethodHead, []string{"gzip, br"}, "br"},
		{"HEAD with gzip", http.MethodHead, []string{"gzip"}, "gzip"},
		{"HEAD plain", http.MethodHead, nil, ""},
	} {
		req := httptest.NewRequest(tc.method, "/", nil)
		if tc.fields != nil {
			req.Header["Accept-Encoding"] = tc.fields
		}
		w := httptest.NewRecorder()
		r.write(w, req)
		res := w.Result()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tc.name, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s: Content-Encoding %q, want %q", tc.name, got, tc.want)
			continue
		}
		if got := res.Header.Get("Etag"); got != tags[tc.want] {
			t.Errorf("%s: ETag %s, want %s", tc.name, got, tags[tc.want])
		}
		if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("%s: Vary %q", tc.name, got)
		}
		if got := res.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.name, got)
		}
		if got := res.Header.Get("Cache-Control"); got != cacheControl {
			t.Errorf("%s: Cache-Control %q", tc.name, got)
		}
		var encoded []byte
		switch tc.want {
		case "br":
			encoded = r.brotli.body
		case "gzip":
			encoded = r.gzipped.body
		default:
			encoded = body
		}
		if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(encoded)) {
			t.Errorf("%s: Content-Length %s, want %d", tc.name, got, len(encoded))
		}
		sent := w.Body.Bytes()
		if tc.method == http.MethodHead {
			if len(sent) != 0 {
				t.Errorf("%s: %d body bytes in answer to HEAD", tc.name, len(sent))
			}
			continue
		}
		if !bytes.Equal(decode(t, tc.want, sent), body) {
			t.Errorf("%s: decoded body differs from the page", tc.name)
		}
	}
}

func TestWriteKeepsCallersVary(t *testing.T) {
	r := cachedResponse(t, testPage(4<<10))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "br")
	w := httptest.NewRecorder()
	w.Header()["Vary"] = varyAcceptValue
	r.write(w, req)
	if got := w.Result().Header.Get("Vary"); got != "Accept, Accept-Encoding" {
		t.Errorf("Vary %q, want the caller's", got)
	}
}

func TestCompressedSizes(t *testing.T) {
	page := testPage(60 << 10)
	r := cachedResponse(t, page)
	if !(len(r.brotli.body) < len(r.gzipped.body) && len(r.gzipped.body) < len(page)) {
		t.Errorf("sizes: brotli %d, gzip %d, plain %d; want decreasing", len(r.brotli.body), len(r.gzipped.body), len(page))
	}
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"small", page[:minCompressed]},
		{"incompressible", randomBytes(4 << 10)},
		{"empty", nil},
	} {
		r := newResponse(http.StatusOK, "text/plain", tc.body)
		r.addBrotli()
		if r.gzipped != nil || r.brotli != nil {
			t.Errorf("%s: gzip %v, brotli %v; want neither", tc.name, r.gzipped != nil, r.brotli != nil)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
		w := httptest.NewRecorder()
		r.write(w, req)
		if enc := w.Result().Header.Get("Content-Encoding"); enc != "" || !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("%s: sent with Content-Encoding %q, %d bytes; want the plain body", tc.name, enc, w.Body.Len())
		}
		if got, want := w.Result().Header.Get("Etag"), etagsOf(tc.body)[""]; got != want {
			t.Errorf("%s: ETag %s, want %s", tc.name, got, want)
		}
	}
}

func TestWriteConditional(t *testing.T) {
	body := testPage(8 << 10)
	r := cachedResponse(t, body)
	tags := etagsOf(body)
	if len(map[string]bool{tags[""]: true, tags["gzip"]: true, tags["br"]: true}) != 3 {
		t.Fatalf("ETags not distinct: %v", tags)
	}
	accept := map[string]string{"": "", "gzip": "gzip", "br": "gzip, br"}
	for _, enc := range []string{"", "gzip", "br"} {
		own := tags[enc]
		for _, tc := range []struct {
			inm    string
			method string
			want   int
		}{
			{own, http.MethodGet, http.StatusNotModified},
			{own, http.MethodHead, http.StatusNotModified},
			{"W/" + own, http.MethodGet, http.StatusNotModified},
			{`"other", ` + own, http.MethodGet, http.StatusNotModified},
			{"*", http.MethodGet, http.StatusNotModified},
			{`"other"`, http.MethodGet, http.StatusOK},
			{tags[""] + "x", http.MethodGet, http.StatusOK},
		} {
			req := httptest.NewRequest(tc.method, "/", nil)
			req.Header.Set("Accept-Encoding", accept[enc])
			req.Header.Set("If-None-Match", tc.inm)
			w := httptest.NewRecorder()
			r.write(w, req)
			res := w.Result()
			if res.StatusCode != tc.want {
				t.Errorf("%q, If-None-Match %s: status %d, want %d", enc, tc.inm, res.StatusCode, tc.want)
				continue
			}
			if tc.want == http.StatusNotModified {
				if w.Body.Len() != 0 || res.Header.Get("Etag") != own {
					t.Errorf("%q, If-None-Match %s: 304 with %d bytes and ETag %s", enc, tc.inm, w.Body.Len(), res.Header.Get("Etag"))
				}
			}
		}
		// The ETag of another representation does not match this one.
		for other, tag := range tags {
			if other == enc {
				continue
			}
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept-Encoding", accept[enc])
			req.Header.Set("If-None-Match", tag)
			w := httptest.NewRecorder()
			r.write(w, req)
			if w.Code != http.StatusOK || w.Result().Header.Get("Etag") != own {
				t.Errorf("%q with If-None-Match of %q: %d, ETag %s; want 200 with %s", enc, other, w.Code, w.Result().Header.Get("Etag"), own)
			}
		}
	}
}

func TestAcceptsGzipAgreesWithNegotiation(t *testing.T) {
	for _, v := range []string{"gzip", "br", "*", "*;q=0", "gzip;q=0, *", "x-gzip"} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", v)
		_, gz := acceptedEncodings(req.Header)
		if acceptsGzip(req) != gz {
			t.Errorf("%q: acceptsGzip %v, negotiation %v", v, acceptsGzip(req), gz)
		}
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// versions renders "version N" at its Nth call. With gate set, each
// rendering first waits for a value on gate and fails with it when it is
// an error; with started set, it announces itself there first.
type versions struct {
	calls   atomic.Int32
	status  int // 0: 200
	started chan struct{}
	gate    chan error
	panics  bool
}

func (v *versions) render() (*response, error) {
	n := v.calls.Add(1)
	if v.started != nil {
		v.started <- struct{}{}
	}
	if v.gate != nil {
		if err := <-v.gate; err != nil {
			return nil, err
		}
	}
	if v.panics {
		panic("template exploded")
	}
	status := v.status
	if status == 0 {
		status = http.StatusOK
	}
	return newResponse(status, "text/plain", []byte("version "+strconv.Itoa(int(n)))), nil
}

// waitStarted waits for a rendering to start, failing when none does
// within 10s.
func (v *versions) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-v.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no rendering started within 10s")
	}
}

// testCache is a page cache on a fake clock, logging into a buffer that
// may be read after c.wait().
func testCache(max int) (*pageCache, *fakeClock, *bytes.Buffer) {
	c := newPageCache(max)
	clock := &fakeClock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	c.now = clock.now
	var log bytes.Buffer
	c.logger = slog.New(slog.NewTextHandler(&log, nil))
	return c, clock, &log
}

// mustGet gets key and returns the body, failing when get returns an
// error or is still blocked after 10s: then it waits for a rendering the
// test holds back, which it should not.
func mustGet(t *testing.T, c *pageCache, key string, render func() (*response, error)) string {
	t.Helper()
	type result struct {
		r   *response
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := c.get(key, render)
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatalf("get %s: %v", key, res.err)
		}
		return string(res.r.plain.body)
	case <-time.After(10 * time.Second):
		t.Fatalf("get %s: still blocked after 10s", key)
		return ""
	}
}

func checkStats(t *testing.T, c *pageCache, hits, stale, misses uint64) {
	t.Helper()
	if h, s, m := c.Stats(); h != hits || s != stale || m != misses {
		t.Errorf("stats: %d hits, %d stale, %d misses; want %d, %d, %d", h, s, m, hits, stale, misses)
	}
}

// waitGroup waits for wg, failing when it takes implausibly long: the
// goroutines are then blocked on something they should not wait for.
func waitGroup(t *testing.T, wg *sync.WaitGroup, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after 10s", what)
	}
}

func TestCacheServesStaleWhileRendering(t *testing.T) {
	c, _, _ := testCache(100)
	v := &versions{}
	if got := mustGet(t, c, "k", v.render); got != "version 1" {
		t.Fatalf("first get: %q", got)
	}
	if got := mustGet(t, c, "k", v.render); got != "version 1" {
		t.Fatalf("second get: %q", got)
	}
	checkStats(t, c, 1, 0, 1)

	v.started, v.gate = make(chan struct{}, 1), make(chan error)
	c.invalidate()
	const n = 16
	bodies := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r, err := c.get("k", v.render)
			if err != nil {
				t.Error(err)
				return
			}
			bodies <- string(r.plain.body)
		})
	}
	// The rendering cannot finish before the gate opens, so these gets
	// return only if they did not wait for it.
	waitGroup(t, &wg, "gets of a stale page")
	close(bodies)
	for b := range bodies {
		if b != "version 1" {
			t.Errorf("stale get: %q, want version 1", b)
		}
	}
	v.waitStarted(t)
	if calls := v.calls.Load(); calls != 2 {
		t.Errorf("%d renderings, want 2 (one before the change, one after)", calls)
	}
	checkStats(t, c, 1, n, 1)

	v.gate <- nil
	c.wait()
	if got := mustGet(t, c, "k", v.render); got != "version 2" {
		t.Errorf("after the background rendering: %q, want version 2", got)
	}
	if calls := v.calls.Load(); calls != 2 {
		t.Errorf("%d renderings, want 2", calls)
	}
	checkStats(t, c, 2, n, 1)
}

func TestCacheChangeDuringBackgroundRendering(t *testing.T) {
	c, _, _ := testCache(100)
	v := &versions{}
	mustGet(t, c, "k", v.render)
	v.started, v.gate = make(chan struct{}, 1), make(chan error)

	c.invalidate()
	if got := mustGet(t, c, "k", v.render); got != "version 1" {
		t.Fatalf("stale get: %q", got)
	}
	v.waitStarted(t)
	c.invalidate() // a change while version 2 renders: version 2 is stale at birth
	v.gate <- nil
	c.wait()

	// Version 2 is newer than version 1, so it is served, but it is stale:
	// the get starts another rendering.
	if got := mustGet(t, c, "k", v.render); got != "version 2" {
		t.Fatalf("after the first background rendering: %q, want version 2", got)
	}
	v.waitStarted(t)
	v.gate <- nil
	c.wait()
	if got := mustGet(t, c, "k", v.render); got != "version 3" {
		t.Errorf("after the second background rendering: %q, want version 3", got)
	}
	if calls := v.calls.Load(); calls != 3 {
		t.Errorf("%d renderings, want 3", calls)
	}
	checkStats(t, c, 1, 2, 1)
}

func TestCacheStoreKeepsNewerGeneration(t *testing.T) {
	c, _, _ := testCache(100)
	c.invalidate()
	c.invalidate()
	newer := newResponse(http.StatusOK, "text/plain", []byte("newer"))
	older := newResponse(http.StatusOK, "text/plain", []byte("older"))
	c.store("k", newer, 2)
	c.store("k", older, 1)
	if e := c.entries["k"]; e.resp != newer || e.gen != 2 {
		t.Errorf("entry %q at generation %d, want newer at 2", e.resp.plain.body, e.gen)
	}
	if got := mustGet(t, c, "k", (&versions{}).render); got != "newer" {
		t.Errorf("get: %q", got)
	}
}

func TestCacheConcurrentMissesRenderOnce(t *testing.T) {
	c, _, _ := testCache(100)
	v := &versions{started: make(chan struct{}, 1), gate: make(chan error)}
	const n = 16
	bodies := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r, err := c.get("k", v.render)
			if err != nil {
				t.Error(err)
				return
			}
			bodies <- string(r.plain.body)
		})
	}
	v.waitStarted(t)
	deadline := time.Now().Add(10 * time.Second)
	for _, _, misses := c.Stats(); misses < n; _, _, misses = c.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d gets missed", misses, n)
		}
		runtime.Gosched()
	}
	if len(bodies) != 0 {
		t.Fatal("a get returned before the rendering finished")
	}
	close(v.gate) // lets every rendering through: there must be one
	waitGroup(t, &wg, "concurrent misses")
	close(bodies)
	for b := range bodies {
		if b != "version 1" {
			t.Errorf("get: %q, want version 1", b)
		}
	}
	if calls := v.calls.Load(); calls != 1 {
		t.Errorf("%d renderings for %d concurrent misses, want 1", calls, n)
	}
	checkStats(t, c, 0, 0, n)
}

func TestCacheBackgroundFailureKeepsStale(t *testing.T) {
	for _, panics := range []bool{false, true} {
		t.Run(fmt.Sprintf("panic=%v", panics), func(t *testing.T) {
			c, clock, log := testCache(100)
			v := &versions{}
			mustGet(t, c, "/@demo\x00nl\x00", v.render)
			c.invalidate()
			v.started, v.gate = make(chan struct{}, 1), make(chan error, 1)
			if panics {
				v.panics = true
				v.gate <- nil
			} else {
				v.gate <- errors.New("database down")
			}
			if got := mustGet(t, c, "/@demo\x00nl\x00", v.render); got != "version 1" {
				t.Fatalf("stale get: %q", got)
			}
			v.waitStarted(t)
			c.wait()
			want := "database down"
			if panics {
				want = "panic: template exploded"
			}
			if !strings.Contains(log.String(), want) || !strings.Contains(log.String(), "/@demo nl") {
				t.Errorf("log %q lacks %q and the page", log.String(), want)
			}

			// Until the retry delay passes, requests get the stale page
			// and start no rendering.
			for range 3 {
				if got := mustGet(t, c, "/@demo\x00nl\x00", v.render); got != "version 1" {
					t.Errorf("get after a failed rendering: %q, want version 1", got)
				}
			}
			c.wait()
			if calls := v.calls.Load(); calls != 2 {
				t.Errorf("%d renderings before the retry delay, want 2", calls)
			}

			v.panics = false
			clock.advance(retryDelay)
			v.gate <- nil
			if got := mustGet(t, c, "/@demo\x00nl\x00", v.render); got != "version 1" {
				t.Errorf("get that retries: %q, want version 1", got)
			}
			v.waitStarted(t)
			c.wait()
			if got := mustGet(t, c, "/@demo\x00nl\x00", v.render); got != "version 3" {
				t.Errorf("after the retry: %q, want version 3", got)
			}
			checkStats(t, c, 1, 5, 1)
		})
	}
}

func TestCacheTooStaleIsRendered(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*pageCache, *fakeClock)
	}{
		{"changed long ago", func(c *pageCache, clock *fakeClock) {
			c.invalidate()
			clock.advance(maxStale + time.Second)
		}},
		{"many changes since", func(c *pageCache, _ *fakeClock) {
			for range invalidations + 1 {
				c.invalidate()
			}
		}},
	} {
		c, clock, _ := testCache(100)
		v := &versions{}
		mustGet(t, c, "k", v.render)
		tc.change(c, clock)
		if got := mustGet(t, c, "k", v.render); got != "version 2" {
			t.Errorf("%s: %q, want version 2 rendered while waiting", tc.name, got)
		}
		c.wait()
		if calls := v.calls.Load(); calls != 2 {
			t.Errorf("%s: %d renderings, want 2", tc.name, calls)
		}
		checkStats(t, c, 0, 0, 2)
	}
}

func TestCacheWithinMaxStaleServesStale(t *testing.T) {
	c, clock, _ := testCache(100)
	v := &versions{}
	mustGet(t, c, "k", v.render)
	c.invalidate()
	clock.advance(maxStale)
	c.invalidate() // a later change does not make the first one younger
	if got := mustGet(t, c, "k", v.render); got != "version 1" {
		t.Errorf("get %v after the change: %q, want the stale version 1", maxStale, got)
	}
	c.wait()
	if got := mustGet(t, c, "k", v.render); got != "version 2" {
		t.Errorf("after the background rendering: %q", got)
	}
}

func TestCacheKeepsOnlyPagesForEveryone(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusInternalServerError} {
		c, _, _ := testCache(100)
		v := &versions{status: status}
		mustGet(t, c, "k", v.render)
		mustGet(t, c, "k", v.render)
		if calls := v.calls.Load(); calls != 2 || len(c.entries) != 0 {
			t.Errorf("%d: %d renderings, %d entries; want 2 and none kept", status, calls, len(c.entries))
		}
	}
	c, _, _ := testCache(100)
	if _, err := c.get("k", func() (*response, error) { return nil, errors.New("boom") }); err == nil || len(c.entries) != 0 {
		t.Errorf("failed rendering: error %v, %d entries", err, len(c.entries))
	}
}

func TestCacheAddsBrotliToKeptPages(t *testing.T) {
	c, _, _ := testCache(100)
	page := testPage(8 << 10)
	r, err := c.get("k", func() (*response, error) { return newResponse(http.StatusOK, "text/html", page), nil })
	if err != nil {
		t.Fatal(err)
	}
	if r.brotli == nil || !bytes.Equal(decode(t, "br", r.brotli.body), page) {
		t.Error("kept page has no brotli representation of the page")
	}
	notFound, err := c.get("missing", func() (*response, error) { return newResponse(http.StatusNotFound, "text/html", page), nil })
	if err != nil {
		t.Fatal(err)
	}
	if notFound.brotli != nil || notFound.gzipped == nil {
		t.Error("a page that is not kept should have gzip only")
	}
}

func TestCacheIsBounded(t *testing.T) {
	t.Run("entries", func(t *testing.T) {
		c, _, _ := testCache(8)
		popular := &versions{}
		for i := range 1000 {
			mustGet(t, c, "popular", popular.render)
			mustGet(t, c, "/@demo?before="+strconv.Itoa(i), (&versions{}).render)
			if len(c.entries) > 8 {
				t.Fatalf("%d entries, want at most 8", len(c.entries))
			}
		}
		if calls := popular.calls.Load(); calls != 1 {
			t.Errorf("a page requested between every other was rendered %d times, want 1", calls)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		c, _, _ := testCache(1000)
		c.maxBytes = 512 << 10
		body := testPage(10 << 10)
		r := newResponse(http.StatusOK, "text/html", body)
		for i := range 100 {
			key := "k" + strconv.Itoa(i)
			mustGet(t, c, key, func() (*response, error) { return r, nil })
			sum := 0
			for k, e := range c.entries {
				sum += e.size
				if e.size < len(k)+len(body) {
					t.Fatalf("entry of %d bytes counted as %d", len(body), e.size)
				}
			}
			if sum != c.bytes || c.bytes > c.maxBytes {
				t.Fatalf("entries hold %d bytes, counted %d, limit %d", sum, c.bytes, c.maxBytes)
			}
		}
		if len(c.entries) < 10 {
			t.Errorf("only %d entries of about 15 KB fit in 512 KB", len(c.entries))
		}
		huge := randomBytes(c.maxBytes / 8)
		mustGet(t, c, "huge", func() (*response, error) { return newResponse(http.StatusOK, "text/plain", huge), nil })
		if _, ok := c.entries["huge"]; ok {
			t.Error("a response of an eighth of the limit was kept")
		}
	})
}

// discardWriter is a ResponseWriter that keeps only its header, which
// benchmarks clear and reuse.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkCacheGetHit serves one fresh page from many goroutines.
func BenchmarkCacheGetHit(b *testing.B) {
	c := newPageCache(100)
	page := testPage(20 << 10)
	render := func() (*response, error) { return newResponse(http.StatusOK, "text/html", page), nil }
	if _, err := c.get("/@demo\x00\x00", render); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r, err := c.get("/@demo\x00\x00", render); err != nil || r == nil {
				b.Fatal("no response")
			}
		}
	})
	if _, _, misses := c.Stats(); misses != 1 {
		b.Fatalf("%d misses", misses)
	}
}

// BenchmarkWriteBrotliNegotiation writes a cached page for common
// Accept-Encoding values.
func BenchmarkWriteBrotliNegotiation(b *testing.B) {
	r := cachedResponse(b, testPage(20<<10))
	for _, tc := range []struct{ name, value string }{
		{"browser", "gzip, deflate, br, zstd"}, {"gzip", "gzip"}, {"none", ""},
	} {
		value := tc.value
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/@demo", nil)
			if value != "" {
				req.Header.Set("Accept-Encoding", value)
			}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				r.write(w, req)
			}
		})
	}
}

// BenchmarkBrotliQuality compresses a 60 KB page at the qualities worth
// considering; the cache uses brotliQuality.
func BenchmarkBrotliQuality(b *testing.B) {
	page := testPage(60 << 10)
	for _, q := range []int{brotliQuality, 10, 11} {
		b.Run("q"+strconv.Itoa(q), func(b *testing.B) {
			var out []byte
			b.ReportAllocs()
			for b.Loop() {
				out = brotliCompress(page, q)
			}
			b.ReportMetric(float64(len(out)), "bytes")
		})
	}
}
