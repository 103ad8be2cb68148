package pagecache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"plein/internal/model"
)

// Cursors for ?before=.
var (
	id1 = "01h" + strings.Repeat("a", 23)
	id2 = "01h" + strings.Repeat("b", 23)
)

// Routes of the test site.
const (
	postPattern  = "GET /@/{handle}/{post}"
	filesPattern = "GET /files/{path...}"
	homePattern  = "GET /{$}"
)

// describe is what a test rendering shows of its request.
func describe(req Request) string {
	return fmt.Sprintf("%s handle=%s post=%s path=%s lang=%s before=%s page=%v",
		req.Pattern, req.PathValue("handle"), req.PathValue("post"), req.PathValue("path"), req.Lang, req.Before, req.Page)
}

// countingRender renders its call number and the request.
type countingRender struct {
	name  string
	calls atomic.Int32
}

func (c *countingRender) render(ctx context.Context, req Request) (*Response, error) {
	n := c.calls.Add(1)
	return NewResponse(http.StatusOK, "text/plain; charset=utf-8", fmt.Appendf(nil, "%s#%d %s", c.name, n, describe(req))), nil
}

// testSite is a ServeMux with the test routes, each its own cached handler.
func testSite(hs *Handlers, render RenderFunc) *http.ServeMux {
	mux := http.NewServeMux()
	for _, p := range []string{postPattern, filesPattern, homePattern} {
		mux.Handle(p, hs.Cached(render))
	}
	return mux
}

// serve sends target, "[METHOD ]URL", to h.
func serve(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	method := http.MethodGet
	if m, u, ok := strings.Cut(target, " "); ok {
		method, target = m, u
	}
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestHandlersRequest(t *testing.T) {
	if !model.ValidID(id1) || !model.ValidID(id2) {
		t.Fatal("test cursors are not valid ids")
	}
	for _, tc := range []struct {
		target string
		want   string
	}{
		{"/@/demo/p1", postPattern + " handle=demo post=p1 path= lang= before= page=false"},
		{"/@/demo/p1?lang=en&before=" + id1 + "&page=true", postPattern + " handle=demo post=p1 path= lang=en before=" + id1 + " page=true"},
		{"/@/demo/p1?lang=nl", postPattern + " handle=demo post=p1 path= lang=nl before= page=false"},
		{"/@/demo/p1?lang=de&before=nope&page=1", postPattern + " handle=demo post=p1 path= lang= before= page=false"},
		{"/@/de%20mo/p%2F1", postPattern + " handle=de mo post=p/1 path= lang= before= page=false"},
		{"/files/a/b/c.txt", filesPattern + " handle= post= path=a/b/c.txt lang= before= page=false"},
		{"/?lang=en", homePattern + " handle= post= path= lang=en before= page=false"},
		{"HEAD /@/demo/p1", postPattern + " handle=demo post=p1 path= lang= before= page=false"},
	} {
		c := New(Options{Logger: quietLogger()})
		mux := testSite(NewHandlers(c, HandlerOptions{}), func(ctx context.Context, req Request) (*Response, error) {
			return NewResponse(http.StatusOK, "text/plain", []byte(describe(req))), nil
		})
		w := serve(mux, tc.target)
		got := w.Body.String()
		if strings.HasPrefix(tc.target, "HEAD ") {
			// A HEAD response has no body: read what it rendered through
			// a GET, a hit.
			got = serve(mux, strings.TrimPrefix(tc.target, "HEAD ")).Body.String()
		}
		if w.Code != http.StatusOK || got != tc.want {
			t.Errorf("%s: %d %q, want %q", tc.target, w.Code, got, tc.want)
		}
	}
}

// TestHandlersKeys: requests that may get different pages have different
// keys; parameters a page does not read do not split the cache.
func TestHandlersKeys(t *testing.T) {
	for _, tc := range []struct {
		a, b   string
		shared bool
	}{
		{"/@/demo/p1", "/@/demo/p1", true},
		{"/@/demo/p1", "HEAD /@/demo/p1", true},
		{"/@/demo/p1", "/@/demo/p2", false},
		{"/@/demo/p1", "/@/other/p1", false},
		{"/@/demo/p1", "/@/p1/demo", false},
		{"/@/demo/p1", "/@/demo/p1?lang=nl", false},
		{"/@/demo/p1", "/@/demo/p1?lang=en", false},
		{"/@/demo/p1?lang=nl", "/@/demo/p1?lang=en", false},
		{"/@/demo/p1", "/@/demo/p1?lang=de", true},
		{"/@/demo/p1?lang=nl", "/@/demo/p1?lang=de", false},
		{"/@/demo/p1?lang=en", "/@/demo/p1?lang=EN", false},
		{"/@/demo/p1", "/@/demo/p1?before=" + id1, false},
		{"/@/demo/p1?before=" + id1, "/@/demo/p1?before=" + id2, false},
		{"/@/demo/p1", "/@/demo/p1?before=nope", true},
		{"/@/demo/p1", "/@/demo/p1?before=" + strings.ToUpper(id1), true},
		{"/@/demo/p1", "/@/demo/p1?before=" + id1[:25], true},
		{"/@/demo/p1?before=" + id1, "/@/demo/p1?before=" + id1 + "x", false},
		{"/@/demo/p1", "/@/demo/p1?page=true", false},
		{"/@/demo/p1", "/@/demo/p1?page=false", true},
		{"/@/demo/p1", "/@/demo/p1?page=1", true},
		{"/@/demo/p1", "/@/demo/p1?utm_source=x&ref=y", true},
		{"/@/demo/p1?lang=en&before=" + id1 + "&page=true", "/@/demo/p1?page=true&before=" + id1 + "&lang=en", true},
		{"/@/demo/p1?lang=en&page=true", "/@/demo/p1?lang=en&before=" + id1, false},
		{"/files/a/b", "/files/a/c", false},
		{"/files/a/b", "/files/a", false},
		{"/files/a", "/files/a?page=true", false},
		{"/@/demo/p1", "/files/demo/p1", false},
		{"/", "/?lang=en", false},
		{"/", "/?lang=de", true},
	} {
		c := New(Options{Logger: quietLogger()})
		r := &countingRender{name: "site"}
		mux := testSite(NewHandlers(c, HandlerOptions{}), r.render)
		a, b := serve(mux, tc.a), serve(mux, tc.b)
		if a.Code != http.StatusOK || b.Code != http.StatusOK {
			t.Errorf("%s, %s: status %d, %d", tc.a, tc.b, a.Code, b.Code)
			continue
		}
		// A HEAD response has no body: read what it was served through a
		// GET, which is a hit when the two share a key.
		bodyOf := func(target string, w *httptest.ResponseRecorder) string {
			if strings.HasPrefix(target, "HEAD ") {
				return serve(mux, strings.TrimPrefix(target, "HEAD ")).Body.String()
			}
			return w.Body.String()
		}
		bodyA, bodyB := bodyOf(tc.a, a), bodyOf(tc.b, b)
		wantCalls := int32(2)
		if tc.shared {
			wantCalls = 1
		}
		if calls := r.calls.Load(); calls != wantCalls || (bodyA == bodyB) != tc.shared {
			t.Errorf("%s, %s: %d renderings, bodies %q and %q; want shared %v", tc.a, tc.b, calls, bodyA, bodyB, tc.shared)
		}
	}
}

// TestHandlersDoNotShareKeys: two handlers on the same pattern render and
// keep their own responses.
func TestHandlersDoNotShareKeys(t *testing.T) {
	c := New(Options{Logger: quietLogger()})
	hs := NewHandlers(c, HandlerOptions{})
	html, json := &countingRender{name: "html"}, &countingRender{name: "json"}
	site, feed := http.NewServeMux(), http.NewServeMux()
	site.Handle(postPattern, hs.Cached(html.render))
	feed.Handle(postPattern, hs.Cached(json.render))
	for range 3 {
		if got := serve(site, "/@/demo/p1").Body.String(); !strings.HasPrefix(got, "html#1 ") {
			t.Errorf("site: %q, want html#1", got)
		}
		if got := serve(feed, "/@/demo/p1").Body.String(); !strings.HasPrefix(got, "json#1 ") {
			t.Errorf("feed: %q, want json#1", got)
		}
	}
	if h, _, m := c.Stats(); h != 4 || m != 2 {
		t.Errorf("%d hits, %d misses; want 4, 2", h, m)
	}
}

// TestHandlersPathValuesDoNotCollide: path values that contain the key's
// separator must not make two requests share a key.
func TestHandlersPathValuesDoNotCollide(t *testing.T) {
	c := New(Options{Logger: quietLogger()})
	r := &countingRender{name: "site"}
	mux := testSite(NewHandlers(c, HandlerOptions{}), r.render)
	a, b := serve(mux, "/@/a%00b/c").Body.String(), serve(mux, "/@/a/b%00c").Body.String()
	if a == b {
		t.Errorf("/@/a%%00b/c and /@/a/b%%00c both got %q", a)
	}
}

// TestHandlersUnavailable: a page never rendered whose rendering fails is
// answered with 503, not kept; the next request renders again.
func TestHandlersUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name        string
		unavailable func(Request) *Response
		render      func() error // the failure
		wantBody    string
		wantType    string
		wantRetry   string
	}{
		{
			name:      "plain",
			render:    func() error { return errors.New("database down") },
			wantBody:  "Service Unavailable\n",
			wantType:  "text/plain; charset=utf-8",
			wantRetry: strconv.Itoa(UnavailableRetry),
		},
		{
			name:      "plain after a panic",
			render:    func() error { panic("template exploded") },
			wantBody:  "Service Unavailable\n",
			wantType:  "text/plain; charset=utf-8",
			wantRetry: strconv.Itoa(UnavailableRetry),
		},
		{
			name: "site's page",
			unavailable: func(req Request) *Response {
				r := NewResponse(http.StatusServiceUnavailable, "text/html; charset=utf-8",
					[]byte("<p>@"+req.PathValue("handle")+" is unavailable ("+req.Lang+")</p>"))
				r.SetRetryAfter(30)
				return r
			},
			render:    func() error { return errors.New("database down") },
			wantBody:  "<p>@demo is unavailable (en)</p>",
			wantType:  "text/html; charset=utf-8",
			wantRetry: "30",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &lockedBuffer{}
			c := New(Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
			var mu sync.Mutex
			var served []int
			hs := NewHandlers(c, HandlerOptions{
				Unavailable: tc.unavailable,
				Served: func(r *http.Request, resp *Response) {
					mu.Lock()
					served = append(served, resp.Status())
					mu.Unlock()
				},
			})
			var fail atomic.Bool
			fail.Store(true)
			var calls atomic.Int32
			mux := testSite(hs, func(ctx context.Context, req Request) (*Response, error) {
				calls.Add(1)
				if fail.Load() {
					return nil, tc.render()
				}
				return NewResponse(http.StatusOK, "text/html; charset=utf-8", []byte("the post")), nil
			})
			w := serve(mux, "/@/demo/p1?lang=en", "Accept-Encoding", "gzip, br", "If-None-Match", "*")
			res := w.Result()
			if res.StatusCode != http.StatusServiceUnavailable || w.Body.String() != tc.wantBody {
				t.Fatalf("status %d, body %q; want 503, %q", res.StatusCode, w.Body.String(), tc.wantBody)
			}
			for k, want := range map[string]string{"Retry-After": tc.wantRetry, "Cache-Control": "no-store", "Content-Type": tc.wantType} {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s %q, want %q", k, got, want)
				}
			}
			if !strings.Contains(log.String(), "page unavailable") || !strings.Contains(log.String(), postPattern) {
				t.Errorf("log %q does not tell of the unavailable page", log.String())
			}

			fail.Store(false)
			if w := serve(mux, "/@/demo/p1?lang=en"); w.Code != http.StatusOK || w.Body.String() != "the post" {
				t.Errorf("after the failure: %d %q, want the post", w.Code, w.Body.String())
			}
			if n := calls.Load(); n != 2 {
				t.Errorf("%d renderings, want 2: a failure is not kept", n)
			}
			mu.Lock()
			defer mu.Unlock()
			if want := []int{http.StatusServiceUnavailable, http.StatusOK}; fmt.Sprint(served) != fmt.Sprint(want) {
				t.Errorf("Served saw %v, want %v", served, want)
			}
		})
	}
}

// TestHandlersServeLastGoodOnFailure: a page rendered before is served as
// it was, with its ETag, when the new version cannot be rendered.
func TestHandlersServeLastGoodOnFailure(t *testing.T) {
	c := New(Options{Logger: quietLogger()})
	var fail atomic.Bool
	mux := testSite(NewHandlers(c, HandlerOptions{}), func(ctx context.Context, req Request) (*Response, error) {
		if fail.Load() {
			return nil, errors.New("database down")
		}
		return NewResponse(http.StatusOK, "text/html; charset=utf-8", testPage(4<<10)), nil
	})
	serve(mux, "/@/demo/p1", "Accept-Encoding", "br")
	c.Wait() // brotli is added in the background
	first := serve(mux, "/@/demo/p1", "Accept-Encoding", "br")
	etag := first.Result().Header.Get("Etag")
	if first.Code != http.StatusOK || !strings.HasSuffix(etag, `-br"`) {
		t.Fatalf("first: %d, ETag %s", first.Code, etag)
	}
	c.Invalidate(1)
	fail.Store(true)
	w := serve(mux, "/@/demo/p1", "Accept-Encoding", "br")
	if w.Code != http.StatusOK || w.Result().Header.Get("Etag") != etag || w.Body.String() != first.Body.String() {
		t.Errorf("after a failed rendering: %d, ETag %s; want the last good page", w.Code, w.Result().Header.Get("Etag"))
	}
	if w := serve(mux, "/@/demo/p1", "Accept-Encoding", "br", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("conditional request for the last good page: %d, want 304", w.Code)
	}
	c.Wait()
}

// TestHandlersRenderContext: a rendering, shared by every waiting request,
// does not end when the request that started it does, but has a deadline.
func TestHandlersRenderContext(t *testing.T) {
	c := New(Options{Logger: quietLogger()})
	var got error
	var deadline time.Time
	var hasDeadline bool
	h := NewHandlers(c, HandlerOptions{}).Cached(func(ctx context.Context, req Request) (*Response, error) {
		got = ctx.Err()
		deadline, hasDeadline = ctx.Deadline()
		return NewResponse(http.StatusOK, "text/plain", []byte("ok")), nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || got != nil {
		t.Errorf("status %d, render context error %v; want 200, nil", w.Code, got)
	}
	if !hasDeadline || time.Until(deadline) > renderTimeout {
		t.Errorf("render deadline %v (set %v), want within %v", deadline, hasDeadline, renderTimeout)
	}
}
