package pagecache

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"plein/internal/model"
)

// renderTimeout bounds one rendering, which may serve many waiting requests.
const renderTimeout = 10 * time.Second

// Request is what a cached public response may depend on: the route, its
// path values and the query parameters that public pages read. Nothing
// about the visitor is in it.
type Request struct {
	Pattern string   // the route pattern, such as "GET /@/{handle}"
	values  []string // the path values, in the order of the pattern's wildcards
	names   []string
	Lang    string // requested interface language: "", "nl" or "en"
	Before  string // pagination cursor: a valid id, or ""
	Page    bool   // a collection page rather than the collection (?page=true)
}

// PathValue returns the value of the pattern's wildcard name, or "".
func (r Request) PathValue(name string) string {
	for i, n := range r.names {
		if n == name {
			return r.values[i]
		}
	}
	return ""
}

// NewRequest returns the Request of the route pattern with the given
// wildcard values (name, value pairs), as a handler would see it; for
// renderings outside a request, such as tests and benchmarks.
func NewRequest(pattern string, lang string, pairs ...string) Request {
	req := Request{Pattern: pattern, Lang: lang}
	for i := 0; i+1 < len(pairs); i += 2 {
		req.names = append(req.names, pairs[i])
		req.values = append(req.values, pairs[i+1])
	}
	return req
}

// RenderFunc renders the response to a public request. It must depend on
// nothing but req and public content.
type RenderFunc func(ctx context.Context, req Request) (*Response, error)

// HandlerOptions are what every cached handler shares.
type HandlerOptions struct {
	// Served is called after a response was written, to count it.
	Served func(r *http.Request, resp *Response)
	// Unavailable returns the response when a page was never rendered and
	// cannot be now (503).
	Unavailable func(req Request) *Response
}

// Handlers makes the cached http.Handlers of one site.
type Handlers struct {
	cache *Cache
	opts  HandlerOptions
}

// NewHandlers returns a maker of handlers that serve from c.
func NewHandlers(c *Cache, opts HandlerOptions) *Handlers {
	return &Handlers{cache: c, opts: opts}
}

// Cached returns a handler that serves render's responses from the cache,
// keyed on this handler, the route's path values and the lang, before and
// page parameters. Register it under one route pattern. Serving a current
// response does not allocate beyond its key.
func (h *Handlers) Cached(render RenderFunc) http.Handler {
	id := strconv.FormatInt(h.cache.handlers.Add(1), 10)
	var names atomic.Pointer[[]string] // the wildcards of the pattern it serves
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wild := names.Load()
		if wild == nil {
			n := wildcards(r.Pattern)
			wild = &n
			names.Store(wild)
		}
		q := queryOf(r)
		key := requestKey(id, r, *wild, q)
		resp, ok := h.cache.current(key)
		if !ok {
			req := Request{Pattern: r.Pattern, names: *wild, Lang: q.lang, Before: q.before, Page: q.page}
			req.values = make([]string, len(req.names))
			for i, n := range req.names {
				req.values[i] = r.PathValue(n)
			}
			ctx := context.WithoutCancel(r.Context())
			var err error
			resp, err = h.cache.Get(key, func() (*Response, error) {
				ctx, cancel := context.WithTimeout(ctx, renderTimeout)
				defer cancel()
				return render(ctx, req)
			})
			if err != nil {
				resp = h.unavailable(req)
				h.cache.logger.Error("pagecache: page unavailable", "route", r.Pattern, "err", err)
			}
		}
		resp.Write(w, r)
		if h.opts.Served != nil {
			h.opts.Served(r, resp)
		}
	})
}

// unavailable returns the response to a request whose page was never
// rendered and cannot be now.
func (h *Handlers) unavailable(req Request) *Response {
	if h.opts.Unavailable != nil {
		return h.opts.Unavailable(req)
	}
	resp := NewResponse(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("Service Unavailable\n"))
	resp.SetRetryAfter(UnavailableRetry)
	return resp
}

// UnavailableRetry is the Retry-After, in seconds, that responses for
// unavailable pages carry.
const UnavailableRetry = 5

// query is what public pages read of a request's query string.
type query struct {
	lang, before string
	page         bool
}

// queryOf reads the lang (nl or en), before (a valid id) and page
// parameters of r; others are ignored.
func queryOf(r *http.Request) query {
	var q query
	if r.URL.RawQuery == "" {
		return q
	}
	values := r.URL.Query()
	if l := values.Get("lang"); l == "nl" || l == "en" {
		q.lang = l
	}
	if b := values.Get("before"); model.ValidID(b) {
		q.before = b
	}
	q.page = values.Get("page") == "true"
	return q
}

// wildcards returns the names of a pattern's wildcards, in order.
func wildcards(pattern string) []string {
	var names []string
	for rest := pattern; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		name := strings.TrimSuffix(rest[i+1:i+j], "...")
		if name != "$" {
			names = append(names, name)
		}
		rest = rest[i+j+1:]
	}
	return names
}

// requestKey is the cache key of r for handler id, in one allocation. Each
// path value is preceded by its length, so that no two lists of values
// make the same key.
func requestKey(id string, r *http.Request, names []string, q query) string {
	n := len(id) + len(r.Pattern) + len(q.lang) + len(q.before) + 16
	for _, name := range names {
		n += len(r.PathValue(name)) + 8
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(id)
	b.WriteByte(0)
	b.WriteString(r.Pattern)
	for _, name := range names {
		v := r.PathValue(name)
		b.WriteByte(0)
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	b.WriteByte(0)
	b.WriteString(q.lang)
	b.WriteByte(0)
	b.WriteString(q.before)
	if q.page {
		b.WriteString("\x00page")
	}
	return b.String()
}
