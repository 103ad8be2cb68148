package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	"plein/internal/insights"
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
)

func newRepresentation(body []byte, etag string, gzipped bool) representation {
	h := map[string][]string{
		"Etag":           {etag},
		"Content-Length": {strconv.Itoa(len(body))},
	}
	if gzipped {
		h["Content-Encoding"] = gzipValue
	}
	return representation{body: body, etag: etag, header: h}
}

func newResponse(status int, contentType string, body []byte) *response {
	r := &response{status: status, contentType: []string{contentType}}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	r.plain = newRepresentation(body, `"`+tag+`"`, false)
	if len(body) > 512 {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(body) // writes to a bytes.Buffer do not fail
		zw.Close()
		if b.Len() < len(body) {
			gz := newRepresentation(b.Bytes(), `"`+tag+`-gz"`, true)
			r.gzipped = &gz
		}
	}
	return r
}

func redirect(status int, location string) *response {
	return &response{status: status, location: []string{location}}
}

// cacheControl is sent with every public response: shared caches may keep
// it briefly and serve it stale while they fetch a fresh one, or when
// Plein cannot be reached.
const cacheControl = "public, max-age=15, stale-while-revalidate=60, stale-if-error=86400"

// write sends r, answering conditional requests with 304 and clients that
// accept gzip with the compressed body.
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
	rep := &r.plain
	if r.gzipped != nil && acceptsGzip(req) {
		rep = r.gzipped
	}
	if inm := req.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, rep.etag) {
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

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.TrimSpace(k) == "q" {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				return err == nil && q > 0
			}
		}
		return true
	}
	return false
}

func etagMatches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || part == etag {
			return true
		}
	}
	return false
}

// pageCache holds rendered public responses until public content changes.
// Concurrent requests for a missing page wait for one rendering.
type pageCache struct {
	mu         sync.RWMutex
	entries    map[string]*response
	generation uint64
	group      singleflight.Group
	max        int
}

func newPageCache(max int) *pageCache {
	return &pageCache{entries: make(map[string]*response), max: max}
}

// get returns the cached response for key, rendering it when missing. Only
// responses that every visitor gets (not 404s, not errors) are kept.
func (c *pageCache) get(key string, render func() (*response, error)) (*response, error) {
	c.mu.RLock()
	r, ok := c.entries[key]
	gen := c.generation
	c.mu.RUnlock()
	if ok {
		return r, nil
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		r, err := render()
		if err != nil {
			return nil, err
		}
		if r.status == http.StatusNotFound || r.status >= 500 {
			return r, nil
		}
		c.mu.Lock()
		if c.generation == gen { // content did not change while rendering
			if len(c.entries) >= c.max {
				clear(c.entries)
			}
			c.entries[key] = r
		}
		c.mu.Unlock()
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*response), nil
}

// invalidate drops every cached response.
func (c *pageCache) invalidate() {
	c.mu.Lock()
	c.generation++
	clear(c.entries)
	c.mu.Unlock()
}
