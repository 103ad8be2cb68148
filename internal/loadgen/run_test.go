package loadgen

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// startServer starts h on loopback and counts the connections it accepts.
func startServer(t *testing.T, h http.Handler, configure func(*http.Server)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var accepted atomic.Int64
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			accepted.Add(1)
		}
	}
	if configure != nil {
		configure(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &accepted
}

// pathCounter counts requests per path.
type pathCounter struct {
	mu    sync.Mutex
	paths map[string]int
}

func (c *pathCounter) add(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paths == nil {
		c.paths = map[string]int{}
	}
	c.paths[path]++
}

func (c *pathCounter) get(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paths[path]
}

func checkOrdered(t *testing.T, p Percentiles) {
	t.Helper()
	if !(0 < p.P50 && p.P50 <= p.P90 && p.P90 <= p.P99 && p.P99 <= p.P999 && p.P999 <= p.Max) {
		t.Errorf("latency percentiles not positive and ordered: %+v", p)
	}
}

func TestRunSteadyRate(t *testing.T) {
	var hits pathCounter
	var gzipAsked atomic.Int64
	body := strings.Repeat("x", 3000)
	srv, accepted := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.add(r.URL.Path)
		if r.Header.Get("Accept-Encoding") == "gzip" && r.Header.Get("User-Agent") != "" {
			gzipAsked.Add(1)
		}
		if r.URL.Path == "/chunked" {
			for range 3 {
				w.Write([]byte(body))
				w.(http.Flusher).Flush()
			}
			return
		}
		w.Write([]byte(body))
	}), nil)

	res, err := Run(context.Background(), Config{
		Targets:     []string{srv.URL + "/page?lang=fr", srv.URL + "/chunked"},
		Rate:        500,
		Connections: 50,
		Duration:    time.Second,
		Warmup:      200 * time.Millisecond,
		Header:      http.Header{"Accept-Encoding": {"gzip"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	if res.Errors != 0 || len(res.ErrorsByKind) != 0 {
		t.Errorf("errors = %d %v, want none", res.Errors, res.ErrorsByKind)
	}
	if res.Completed < 450 || res.Completed > 550 || res.Sent != res.Completed {
		t.Errorf("completed %d of %d sent, want about 500 (a second at 500/s)", res.Completed, res.Sent)
	}
	if res.ConnectionsOpen != 50 || accepted.Load() != 50 || res.Reconnects != 0 {
		t.Errorf("ConnectionsOpen = %d, server accepted %d, reconnects %d; want 50, 50, 0",
			res.ConnectionsOpen, accepted.Load(), res.Reconnects)
	}
	// 100 warmup requests plus 500 recorded, alternating between targets.
	if a, b := hits.get("/page"), hits.get("/chunked"); a != 300 || b != 300 {
		t.Errorf("server saw /page %d and /chunked %d times, want 300 each", a, b)
	}
	if gzipAsked.Load() != 600 {
		t.Errorf("%d requests carried the configured headers, want 600", gzipAsked.Load())
	}
	// The last request is scheduled 998 ms into the measured second, so the
	// achieved rate cannot exceed the offered one by more than that.
	if res.AchievedRate <= 0 || res.AchievedRate > 502 || res.Duration < 998*time.Millisecond {
		t.Errorf("achieved %v req/s over %v, want at most 500 over at least 998ms", res.AchievedRate, res.Duration)
	}
	checkOrdered(t, res.Latency)
}

func TestRunCountsStatusErrorsByClass(t *testing.T) {
	srv, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			w.Write([]byte("ok"))
		case "/cached":
			w.WriteHeader(http.StatusNotModified)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/broken":
			http.Error(w, "broken", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}), nil)
	var targets []string
	for _, p := range []string{"/ok", "/cached", "/moved", "/missing", "/broken"} {
		targets = append(targets, srv.URL+p)
	}
	res, err := Run(context.Background(), Config{Targets: targets, Rate: 500, Connections: 10, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	if res.Completed != 100 || res.Errors != 150 {
		t.Errorf("completed %d, errors %d; want 100 and 150", res.Completed, res.Errors)
	}
	want := map[string]int64{"3xx": 50, "4xx": 50, "5xx": 50}
	if len(res.ErrorsByKind) != len(want) {
		t.Errorf("errors by kind = %v, want %v", res.ErrorsByKind, want)
	}
	for k, n := range want {
		if res.ErrorsByKind[k] != n {
			t.Errorf("errors of kind %s = %d, want %d (all: %v)", k, res.ErrorsByKind[k], n, res.ErrorsByKind)
		}
	}
	if s := res.String(); !strings.Contains(s, "150 errors (3xx 50, 4xx 50, 5xx 50)") {
		t.Errorf("String() = %q, want the errors by kind", s)
	}
}

func TestRunCountsTransportErrors(t *testing.T) {
	srv, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		case "/hangup":
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijacking: %v", err)
				return
			}
			conn.Close()
		}
	}), nil)
	res, err := Run(context.Background(), Config{
		Targets:     []string{srv.URL + "/slow", srv.URL + "/hangup"},
		Rate:        100,
		Connections: 20,
		Duration:    300 * time.Millisecond,
		Timeout:     250 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	if res.Completed != 0 || res.ErrorsByKind[KindTimeout] != 15 || res.ErrorsByKind[KindOther] != 15 {
		t.Errorf("completed %d, errors by kind %v; want 0, 15 timeouts and 15 others", res.Completed, res.ErrorsByKind)
	}
	if res.Latency.Max < 250*time.Millisecond {
		t.Errorf("max latency %v, want at least the 250ms timeout", res.Latency.Max)
	}
}

// TestRunChargesStallToQueuedRequests shows coordinated omission corrected:
// the server stops for 200 ms, only 4 connections are in flight during the
// stall, yet the roughly 100 requests scheduled meanwhile all count their
// wait for a connection.
func TestRunChargesStallToQueuedRequests(t *testing.T) {
	var mu sync.Mutex
	var served atomic.Int64
	srv, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if served.Add(1) == 100 {
			// The stall is what the test measures, in the generator's own
			// real time: a timer, not a condition, ends it.
			select {
			case <-time.After(200 * time.Millisecond):
			case <-r.Context().Done():
			}
		}
		mu.Unlock()
		w.Write([]byte("ok"))
	}), nil)
	res, err := Run(context.Background(), Config{
		Targets:     []string{srv.URL + "/"},
		Rate:        500,
		Connections: 4,
		Duration:    time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	if res.Errors != 0 || res.Completed != 500 {
		t.Fatalf("completed %d, errors %d; want 500 and 0", res.Completed, res.Errors)
	}
	// Requests scheduled k·2ms after the stall began wait at least
	// 200ms − k·2ms, so the 6th largest latency (p99 of 500) is ≥ 188ms.
	if res.Latency.Max < 200*time.Millisecond || res.Latency.P99 < 150*time.Millisecond {
		t.Errorf("p99 %v, max %v; want the 200ms stall reflected (p99 ≥ 150ms)", res.Latency.P99, res.Latency.Max)
	}
	if res.Latency.P90 < 50*time.Millisecond {
		t.Errorf("p90 %v; the 50th largest latency should be ≥ 98ms", res.Latency.P90)
	}
}

func TestRunReplacesClosedConnections(t *testing.T) {
	tests := []struct {
		name      string
		rate      float64
		configure func(*http.Server)
		handler   http.HandlerFunc
	}{
		{
			name: "server answers Connection: close",
			rate: 200,
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/close" {
					w.Header().Set("Connection", "close")
				}
				w.Write([]byte("ok"))
			},
		},
		{
			// Each connection idles 250ms between requests; the server
			// drops idle connections after 20ms.
			name:      "server closes idle connections",
			rate:      20,
			configure: func(s *http.Server) { s.IdleTimeout = 20 * time.Millisecond },
			handler:   func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, accepted := startServer(t, tt.handler, tt.configure)
			res, err := Run(context.Background(), Config{
				Targets:     []string{srv.URL + "/close", srv.URL + "/keep"},
				Rate:        tt.rate,
				Connections: 5,
				Duration:    500 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Log(res)
			if want := int64(tt.rate / 2); res.Errors != 0 || res.Completed != want {
				t.Errorf("completed %d, errors %v; want %d and none", res.Completed, res.ErrorsByKind, want)
			}
			if res.Reconnects == 0 || accepted.Load() != 5+res.Reconnects {
				t.Errorf("reconnects %d, server accepted %d; want some, and 5 more accepted", res.Reconnects, accepted.Load())
			}
		})
	}
}

func TestRunStopsWithContext(t *testing.T) {
	// The first requests are answered; the rest are held until the client
	// gives up on them, so that requests are in flight when ctx ends.
	var served atomic.Int64
	srv, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) > 10 {
			<-r.Context().Done()
		}
	}), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := Run(ctx, Config{Targets: []string{srv.URL}, Rate: 200, Connections: 20, Duration: time.Minute})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the context's deadline", err)
	}
	t.Log(res)
	if res.Errors != 0 || res.Completed == 0 || res.Completed >= 200*60 {
		t.Errorf("completed %d, errors %v; want some completed and interrupted requests not counted as errors",
			res.Completed, res.ErrorsByKind)
	}
}

func TestRunRejectsInvalidConfig(t *testing.T) {
	valid := Config{Targets: []string{"http://127.0.0.1:8080/a"}, Rate: 10, Connections: 1, Duration: time.Second}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"zero rate", func(c *Config) { c.Rate = 0 }, "rate must be a positive"},
		{"negative rate", func(c *Config) { c.Rate = -5 }, "rate must be a positive"},
		{"NaN rate", func(c *Config) { c.Rate = math.NaN() }, "rate must be a positive"},
		{"infinite rate", func(c *Config) { c.Rate = math.Inf(1) }, "rate must be a positive"},
		{"no targets", func(c *Config) { c.Targets = nil }, "no targets"},
		{"no connections", func(c *Config) { c.Connections = 0 }, "connections must be at least 1"},
		{"no duration", func(c *Config) { c.Duration = 0 }, "duration must be positive"},
		{"negative warmup", func(c *Config) { c.Warmup = -time.Second }, "warmup must not be negative"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "timeout must not be negative"},
		{"unparsable URL", func(c *Config) { c.Targets = []string{"http://[::1"} }, `target "http://[::1"`},
		{"relative URL", func(c *Config) { c.Targets = []string{"/a"} }, "only http URLs"},
		{"https", func(c *Config) { c.Targets = []string{"https://127.0.0.1/"} }, "only http URLs"},
		{"no host", func(c *Config) { c.Targets = []string{"http:///a"} }, "no host"},
		{"different hosts", func(c *Config) {
			c.Targets = append(c.Targets, "http://127.0.0.2:8080/b")
		}, "targets must share one host"},
		{"different ports", func(c *Config) {
			c.Targets = append(c.Targets, "http://127.0.0.1:8081/b")
		}, "targets must share one host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			cfg.Targets = append([]string(nil), valid.Targets...)
			tt.change(&cfg)
			_, err := Run(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRunAcceptsDefaultPort(t *testing.T) {
	p, err := prepare(Config{
		Targets: []string{"http://Example.org/a", "http://example.org:80/b?x=1"},
		Rate:    1, Connections: 1, Duration: time.Second,
		Header: http.Header{"Host": {"plein.example"}, "Accept-Encoding": {"gzip"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.addr != "example.org:80" || p.cfg.Timeout != DefaultTimeout {
		t.Errorf("address %q, timeout %v; want example.org:80 and the default", p.addr, p.cfg.Timeout)
	}
	want := "GET /b?x=1 HTTP/1.1\r\nHost: plein.example\r\nUser-Agent: plein-loadgen\r\nAccept-Encoding: gzip\r\n\r\n"
	if got := string(p.requests[1]); got != want {
		t.Errorf("request = %q, want %q", got, want)
	}
}

func TestRunReportsConnectionsNotOpened(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res, err := Run(context.Background(), Config{Targets: []string{"http://" + addr + "/"}, Rate: 10, Connections: 3, Duration: time.Second})
	if err == nil {
		t.Fatal("Run succeeded against a closed port")
	}
	for _, want := range []string{"opened only 0 of 3 connections", "open-file limit"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if !errors.Is(err, syscall.ECONNREFUSED) || res.ConnectionsOpen != 0 {
		t.Errorf("error %v, %d connections open; want the refusal and none", err, res.ConnectionsOpen)
	}
}
