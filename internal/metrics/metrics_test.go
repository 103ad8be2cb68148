package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches m's exposition through Handler and parses it.
func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: status %d: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("scrape: parse: %v", err)
	}
	return families
}

// labels renders a metric's labels as "name=value,..." in exposition order.
func labels(mt *dto.Metric) string {
	var parts []string
	for _, l := range mt.GetLabel() {
		parts = append(parts, l.GetName()+"="+l.GetValue())
	}
	return strings.Join(parts, ",")
}

// counterValues maps each series of a counter family to its value.
func counterValues(t *testing.T, families map[string]*dto.MetricFamily, name string) map[string]float64 {
	t.Helper()
	got := map[string]float64{}
	f, ok := families[name]
	if !ok {
		return got
	}
	for _, mt := range f.GetMetric() {
		got[labels(mt)] = mt.GetCounter().GetValue()
	}
	return got
}

func equalValues(t *testing.T, name string, got, want map[string]float64) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s{%s} = %v (present %v), want %v", name, k, g, ok, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s{%s} = %v, not expected", name, k, g)
		}
	}
}

// testMux mimics Plein's routes. The standard mux cannot match "/@{handle}",
// so "GET /{handle}" takes single-segment paths and checks the @ itself.
func testMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{handle}", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.PathValue("handle"), "@") {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "profile")
	})
	mux.HandleFunc("GET /posts/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "missing":
			http.NotFound(w, r)
		case "boom":
			http.Error(w, "internal error", http.StatusInternalServerError)
		default:
			io.WriteString(w, "post")
		}
	})
	mux.HandleFunc("POST /inbox", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("GET /old/{id}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/posts/"+r.PathValue("id"), http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /staff/panel/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "staff")
	})
	// Matches every method, CONNECT included.
	mux.HandleFunc("/files/{id}/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "file")
	})
	mux.HandleFunc("GET /panic/{id}", func(w http.ResponseWriter, r *http.Request) {
		panic("handler failed")
	})
	return mux
}

// recoverPanics stands for the outer middleware that turns a panic into a 500.
func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func TestMiddleware(t *testing.T) {
	tests := []struct {
		method, target string
		status         int
		series         string // route,method,class labels expected
	}{
		{"GET", "/posts/42", 200, "class=2xx,method=GET,route=GET /posts/{id}"},
		{"GET", "/posts/43?utm_source=newsletter&secret=s3cr3t", 200, "class=2xx,method=GET,route=GET /posts/{id}"},
		{"GET", "/posts/192.168.10.77", 200, "class=2xx,method=GET,route=GET /posts/{id}"},
		{"HEAD", "/posts/44", 200, "class=2xx,method=HEAD,route=GET /posts/{id}"},
		{"GET", "/posts/missing", 404, "class=4xx,method=GET,route=GET /posts/{id}"},
		{"GET", "/posts/boom", 500, "class=5xx,method=GET,route=GET /posts/{id}"},
		{"GET", "/@alice", 200, "class=2xx,method=GET,route=GET /{handle}"},
		{"GET", "/@bob@example.org?ip=203.0.113.9", 200, "class=2xx,method=GET,route=GET /{handle}"},
		{"POST", "/inbox", 202, "class=2xx,method=POST,route=POST /inbox"},
		{"GET", "/old/45", 301, "class=3xx,method=GET,route=GET /old/{id}"},
		// The mux's own redirects report the pattern that will match.
		{"GET", "/posts/../posts/46", 307, "class=3xx,method=GET,route=GET /posts/{id}"},
		{"GET", "/staff/panel", 307, "class=3xx,method=GET,route=GET /staff/panel/"},
		{"GET", "/nowhere/198.51.100.23/x", 404, "class=4xx,method=GET,route=unmatched"},
		{"DELETE", "/inbox", 405, "class=4xx,method=other,route=unmatched"},
		{"PUT", "/posts/47", 405, "class=4xx,method=other,route=unmatched"},
		// For CONNECT the mux reports the redirect's target path: not kept.
		{"CONNECT", "/files/555", 307, "class=3xx,method=other,route=unmatched"},
		{"GET", "/panic/48", 500, "class=5xx,method=GET,route=GET /panic/{id}"},
	}

	m := New()
	h := recoverPanics(m.Middleware(testMux()))
	want := map[string]float64{}
	for _, tc := range tests {
		req := httptest.NewRequest(tc.method, tc.target, nil)
		req.RemoteAddr = "192.0.2.99:4321"
		req.Header.Set("User-Agent", "TestAgent/1.0 (private)")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Fatalf("%s %s: status %d, want %d", tc.method, tc.target, rec.Code, tc.status)
		}
		want[tc.series]++
	}

	families := scrape(t, m)
	equalValues(t, "plein_http_requests_total", counterValues(t, families, "plein_http_requests_total"), want)

	// The histogram holds one sample per request, by route and class.
	wantSamples := map[string]uint64{}
	for series, n := range want {
		var class, route string
		for _, part := range strings.Split(series, ",") {
			if v, ok := strings.CutPrefix(part, "class="); ok {
				class = v
			}
			if v, ok := strings.CutPrefix(part, "route="); ok {
				route = v
			}
		}
		wantSamples["class="+class+",route="+route] += uint64(n)
	}
	hist := families["plein_http_request_duration_seconds"]
	if hist == nil {
		t.Fatal("plein_http_request_duration_seconds not exported")
	}
	gotSamples := map[string]uint64{}
	for _, mt := range hist.GetMetric() {
		gotSamples[labels(mt)] = mt.GetHistogram().GetSampleCount()
		// The text format adds the +Inf bucket.
		if b := mt.GetHistogram().GetBucket(); len(b) != len(durationBuckets)+1 ||
			b[0].GetUpperBound() != 0.00005 || b[len(b)-2].GetUpperBound() != 5 {
			t.Errorf("%s: buckets %v, want 50µs..5s and +Inf", labels(mt), b)
		}
	}
	if fmt.Sprint(gotSamples) != fmt.Sprint(wantSamples) {
		t.Errorf("histogram sample counts = %v, want %v", gotSamples, wantSamples)
	}

	// No label of Plein's metrics holds a part of a path, an address, a
	// user agent or a query.
	private := []string{"42", "43", "192.", "203.0", "198.51", "192.0.2", "alice", "bob", "example.org",
		"missing", "boom", "nowhere", "utm", "secret", "s3cr3t", "?", "&", "TestAgent", "4321", "555"}
	for name, f := range families {
		if !strings.HasPrefix(name, "plein_") {
			continue
		}
		for _, mt := range f.GetMetric() {
			for _, l := range mt.GetLabel() {
				for _, p := range private {
					if strings.Contains(l.GetValue(), p) {
						t.Errorf("%s{%s}: label %s holds %q", name, labels(mt), l.GetName(), p)
					}
				}
			}
		}
	}
}

// TestMiddlewareNeedsSameRequest shows why the middleware must wrap the mux
// directly: a handler in between that replaces the request hides the
// pattern, while one that passes it on does not.
func TestMiddlewareNeedsSameRequest(t *testing.T) {
	type key struct{}
	tests := []struct {
		name  string
		wrap  func(http.Handler) http.Handler
		route string
	}{
		{"passes request on", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Test", "1")
				next.ServeHTTP(w, r)
			})
		}, "GET /posts/{id}"},
		{"replaces request", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, 1)))
			})
		}, "unmatched"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			h := m.Middleware(tc.wrap(testMux()))
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/posts/1", nil))
			equalValues(t, "plein_http_requests_total",
				counterValues(t, scrape(t, m), "plein_http_requests_total"),
				map[string]float64{"class=2xx,method=GET,route=" + tc.route: 1})
		})
	}
}

func TestClassIndex(t *testing.T) {
	tests := []struct {
		status int
		class  string
	}{
		{101, "2xx"}, {200, "2xx"}, {204, "2xx"}, {299, "2xx"},
		{301, "3xx"}, {304, "3xx"}, {399, "3xx"},
		{400, "4xx"}, {404, "4xx"}, {499, "4xx"},
		{500, "5xx"}, {503, "5xx"}, {599, "5xx"}, {799, "5xx"},
	}
	for _, tc := range tests {
		if got := classes[classIndex(tc.status)]; got != tc.class {
			t.Errorf("classIndex(%d) = %s, want %s", tc.status, got, tc.class)
		}
	}
}

// flushRecorder is a ResponseWriter with Flush but without ReadFrom.
type flushRecorder struct {
	*httptest.ResponseRecorder
	flushed bool
}

func (f *flushRecorder) Flush() { f.flushed = true }

func TestRecorder(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		class   string
		body    string
	}{
		{"no write", func(w http.ResponseWriter, r *http.Request) {}, 200, "2xx", ""},
		{"informational first", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusNotFound)
		}, 103, "4xx", ""}, // httptest keeps the first code; a server sends both
		{"second status ignored", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "x")
			w.WriteHeader(http.StatusInternalServerError)
		}, 200, "2xx", "x"},
		{"read from", func(w http.ResponseWriter, r *http.Request) {
			n, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader("copied"))
			if n != 6 || err != nil {
				t.Errorf("ReadFrom = %d, %v", n, err)
			}
		}, 200, "2xx", "copied"},
		{"response controller", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			if err := http.NewResponseController(w).Flush(); err != nil {
				t.Errorf("Flush: %v", err)
			}
		}, 503, "5xx", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			rec := &flushRecorder{ResponseRecorder: httptest.NewRecorder()}
			m.Middleware(tc.handler).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Errorf("response = %d %q, want %d %q", rec.Code, rec.Body, tc.status, tc.body)
			}
			// A bare handler sets no pattern.
			equalValues(t, "plein_http_requests_total",
				counterValues(t, scrape(t, m), "plein_http_requests_total"),
				map[string]float64{"class=" + tc.class + ",method=GET,route=unmatched": 1})
			if tc.name == "response controller" && !rec.flushed {
				t.Error("Flush did not reach the underlying writer")
			}
		})
	}
}

func TestRouteLimit(t *testing.T) {
	m := New()
	for i := range maxRoutes + 10 {
		m.record(fmt.Sprintf("GET /r%d", i), "GET", 0, 0.001)
	}
	got := counterValues(t, scrape(t, m), "plein_http_requests_total")
	if len(got) != maxRoutes+1 {
		t.Errorf("%d series, want %d", len(got), maxRoutes+1)
	}
	if v := got["class=2xx,method=GET,route=other"]; v != 10 {
		t.Errorf("route=other counted %v, want 10", v)
	}
	if v := got["class=2xx,method=GET,route=GET /r0"]; v != 1 {
		t.Errorf("route=GET /r0 counted %v, want 1", v)
	}
}

func TestCacheDeliveriesAndLogins(t *testing.T) {
	m := New()
	calls := []func(){
		m.CacheHit, m.CacheHit, m.CacheHit, m.CacheMiss, m.CacheStale, m.CacheStale,
		func() { m.Delivery("2xx") },
		func() { m.Delivery("2xx") },
		func() { m.Delivery("4xx") },
		func() { m.Delivery("5xx") },
		func() { m.Delivery("network_error") },
		func() { m.Delivery("paused") },
		func() { m.Delivery("https://remote.example/inbox") },
		func() { m.Delivery("") },
		m.LoginFailed, m.LoginFailed, m.LoginFailed, m.LoginPairLocked, m.LoginAddressLocked, m.LoginAddressLocked,
		m.LoginAccountAlert, m.LoginRefusedLocked, m.LoginRefusedBusy, m.LoginRefusedBusy, m.LoginRefusedBusy,
	}
	for _, c := range calls {
		c()
	}
	families := scrape(t, m)
	tests := []struct {
		name string
		want map[string]float64
	}{
		{"plein_page_cache_total", map[string]float64{"result=hit": 3, "result=miss": 1, "result=stale": 2}},
		{"plein_deliveries_total", map[string]float64{
			"outcome=2xx": 2, "outcome=3xx": 0, "outcome=4xx": 1, "outcome=5xx": 1,
			"outcome=network_error": 1, "outcome=paused": 1, "outcome=other": 2,
		}},
		{"plein_metrics_errors_total", map[string]float64{"": 0}},
		{"plein_login_failures_total", map[string]float64{"": 3}},
		{"plein_login_lockouts_total", map[string]float64{"scope=pair": 1, "scope=address": 2}},
		{"plein_login_account_alerts_total", map[string]float64{"": 1}},
		{"plein_login_refusals_total", map[string]float64{"reason=locked": 1, "reason=busy": 3}},
	}
	for _, tc := range tests {
		equalValues(t, tc.name, counterValues(t, families, tc.name), tc.want)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if families[name] == nil {
			t.Errorf("%s not exported", name)
		}
	}
}

func TestQueueDepth(t *testing.T) {
	errQuery := errors.New("database unavailable")
	tests := []struct {
		name   string
		f      func(ctx context.Context) (map[string]int64, error)
		jobs   map[string]float64
		errors float64
	}{
		{"not set", nil, map[string]float64{}, 0},
		{"states", func(ctx context.Context) (map[string]int64, error) {
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > queueDepthTimeout {
				t.Errorf("deadline %v, %v: want one within %v", dl, ok, queueDepthTimeout)
			}
			return map[string]int64{"available": 3, "running": 1, "retryable": 0, "scheduled": 12}, nil
		}, map[string]float64{"state=available": 3, "state=running": 1, "state=retryable": 0, "state=scheduled": 12}, 0},
		{"bad state names", func(ctx context.Context) (map[string]int64, error) {
			return map[string]int64{"available": 2, "192.168.0.1": 1, "Running": 1, "": 4}, nil
		}, map[string]float64{"state=available": 2}, 3},
		{"error", func(ctx context.Context) (map[string]int64, error) {
			return map[string]int64{"available": 1}, fmt.Errorf("count jobs: %w", errQuery)
		}, map[string]float64{}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			m.SetQueueDepth(tc.f)
			families := scrape(t, m)
			got := map[string]float64{}
			if f := families["plein_jobs"]; f != nil {
				if f.GetType() != dto.MetricType_GAUGE {
					t.Errorf("plein_jobs has type %v, want gauge", f.GetType())
				}
				for _, mt := range f.GetMetric() {
					got[labels(mt)] = mt.GetGauge().GetValue()
				}
			}
			equalValues(t, "plein_jobs", got, tc.jobs)
			// The error counter is exported by the scrape that counts it.
			equalValues(t, "plein_metrics_errors_total",
				counterValues(t, families, "plein_metrics_errors_total"), map[string]float64{"": tc.errors})
		})
	}
}

func TestQueueDepthReplaced(t *testing.T) {
	m := New()
	m.SetQueueDepth(func(context.Context) (map[string]int64, error) { return nil, errors.New("first") })
	scrape(t, m)
	m.SetQueueDepth(func(context.Context) (map[string]int64, error) {
		return map[string]int64{"available": 5}, nil
	})
	families := scrape(t, m)
	if f := families["plein_jobs"]; f == nil || len(f.GetMetric()) != 1 || f.GetMetric()[0].GetGauge().GetValue() != 5 {
		t.Errorf("plein_jobs = %v, want available 5", f)
	}
	equalValues(t, "plein_metrics_errors_total",
		counterValues(t, families, "plein_metrics_errors_total"), map[string]float64{"": 1})
}

func TestNil(t *testing.T) {
	var m *Metrics
	m.CacheHit()
	m.CacheMiss()
	m.CacheStale()
	m.Delivery("2xx")
	m.LoginFailed()
	m.LoginPairLocked()
	m.LoginAddressLocked()
	m.LoginAccountAlert()
	m.LoginRefusedLocked()
	m.LoginRefusedBusy()
	m.SetQueueDepth(func(context.Context) (map[string]int64, error) { return nil, nil })

	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	m.Middleware(next).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("nil Middleware: status %d, want %d", rec.Code, http.StatusTeapot)
	}
	rec = httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Handler: status %d, want 404", rec.Code)
	}
}

// TestConcurrent exercises the lazy route table and label children from
// many goroutines; run it with -race.
func TestConcurrent(t *testing.T) {
	m := New()
	h := m.Middleware(testMux())
	const workers, each = 8, 50
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				target := fmt.Sprintf("/posts/%d", i)
				if (w+i)%2 == 0 {
					target = "/@someone"
				}
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
			}
		}()
	}
	for range workers {
		<-done
	}
	var total float64
	for _, v := range counterValues(t, scrape(t, m), "plein_http_requests_total") {
		total += v
	}
	if total != workers*each {
		t.Errorf("counted %v requests, want %d", total, workers*each)
	}
}
