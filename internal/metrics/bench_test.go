package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// discardWriter is a ResponseWriter that costs nothing, so benchmarks
// measure the handlers alone.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// benchMux has about as many patterns as Plein's route table.
func benchMux() *http.ServeMux {
	body := []byte("<!doctype html><title>post</title>")
	h := func(w http.ResponseWriter, r *http.Request) { w.Write(body) }
	mux := http.NewServeMux()
	for _, p := range []string{
		"GET /{$}", "GET /privacy", "GET /orgs/{id}", "GET /orgs/{id}/{collection}",
		"GET /.well-known/webfinger", "GET /.well-known/host-meta", "GET /.well-known/nodeinfo",
		"GET /nodeinfo/2.1", "GET /actor", "POST /inbox", "POST /orgs/{id}/inbox",
		"GET /posts/{id}", "GET /posts/{id}/activity", "GET /media/{key...}", "GET /static/",
		"GET /staff/{$}", "GET /staff/posts", "POST /staff/posts", "GET /staff/posts/{id}",
		"GET /livez", "GET /",
	} {
		mux.HandleFunc(p, h)
	}
	return mux
}

// lookupMiddleware is the alternative design: ask the mux for the pattern
// before serving, at the cost of a second route match.
func lookupMiddleware(m *Metrics, mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, pattern := mux.Handler(r)
		rec := recorders.Get().(*recorder)
		rec.ResponseWriter, rec.status, rec.wrote, rec.done = w, http.StatusOK, false, false
		mux.ServeHTTP(rec, r)
		m.record(pattern, r.Method, classIndex(rec.status), time.Since(start).Seconds())
		rec.ResponseWriter = nil
		recorders.Put(rec)
	})
}

func BenchmarkMiddleware(b *testing.B) {
	m := New()
	mux := benchMux()
	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"bare-mux", mux},
		{"pattern-after-serve", m.Middleware(mux)},
		{"mux-handler-lookup", lookupMiddleware(m, mux)},
	}
	for _, tc := range handlers {
		b.Run(tc.name, func(b *testing.B) {
			w := &discardWriter{h: http.Header{}}
			r := httptest.NewRequest(http.MethodGet, "/posts/0193a7c2-1f4e-7d3a-9b2c-5e6f7a8b9c0d", nil)
			b.ReportAllocs()
			for b.Loop() {
				tc.h.ServeHTTP(w, r)
			}
		})
		b.Run(tc.name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: http.Header{}}
				r := httptest.NewRequest(http.MethodGet, "/posts/0193a7c2-1f4e-7d3a-9b2c-5e6f7a8b9c0d", nil)
				for pb.Next() {
					tc.h.ServeHTTP(w, r)
				}
			})
		})
	}
}
