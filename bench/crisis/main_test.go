package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const wrkOK = `Running 1s test @ http://127.0.0.1:18777/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    19.67ms    9.39ms  39.32ms   59.46%
    Req/Sec   177.00     58.66   393.00     90.48%
  Latency Distribution
     50%   21.28ms
     75%   27.86ms
     90%   30.70ms
     99%   37.07ms
  370 requests in 1.10s, 4.64MB read
Requests/sec:    336.48
Transfer/sec:      4.22MB
`

const wrkErrors = `Running 1s test @ http://127.0.0.1:18777/nonexistent
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   701.66us  491.48us   9.56ms   95.32%
    Req/Sec     2.75k   209.47     2.99k    63.64%
  Latency Distribution
     50%  630.00us
     75%  803.00us
     90%    0.99ms
     99%    2.15s
  3017 requests in 1.10s, 1.50MB read
  Socket errors: connect 1, read 2, write 0, timeout 4
  Non-2xx or 3xx responses: 3017
Requests/sec:   2744.18
Transfer/sec:      1.36MB
`

func TestParseWrk(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    wrkResult
		wantErr bool
	}{
		{"ok", wrkOK, wrkResult{requests: 370, rps: 336.48, p50: 21280 * time.Microsecond, p99: 37070 * time.Microsecond}, false},
		{"errors", wrkErrors, wrkResult{requests: 3017, rps: 2744.18, p50: 630 * time.Microsecond, p99: 2150 * time.Millisecond, errors: 3024}, false},
		{"no latency", strings.Replace(wrkOK, "99%", "98%", 1), wrkResult{}, true},
		{"empty", "", wrkResult{}, true},
		{"bad number", strings.Replace(wrkOK, "336.48", "x", 1), wrkResult{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWrk(tt.out)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseWrk: no error, got %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("parseWrk = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestWrkDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second: "10s", 1500 * time.Millisecond: "2s", 200 * time.Millisecond: "1s", time.Minute: "60s",
	} {
		if got := wrkDuration(d); got != want {
			t.Errorf("wrkDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestParseOptionsQuick(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		conns   int
		servers int
		wrk     time.Duration
		wantErr bool
	}{
		{"defaults", nil, 10000, 1000, 10 * time.Second, false},
		{"quick", []string{"-quick"}, 1000, 100, time.Second, false},
		{"quick keeps explicit flags", []string{"-quick", "-servers", "7", "-wrk-duration", "3s"}, 1000, 7, 3 * time.Second, false},
		{"bad down share", []string{"-down", "1"}, 0, 0, 0, true},
		{"no servers", []string{"-servers", "0"}, 0, 0, 0, true},
		{"stray argument", []string{"now"}, 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseOptions(tt.args, io.Discard)
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.conns != tt.conns || o.servers != tt.servers || o.wrkDuration != tt.wrk {
				t.Errorf("conns %d servers %d wrk %v, want %d %d %v", o.conns, o.servers, o.wrkDuration, tt.conns, tt.servers, tt.wrk)
			}
		})
	}
}

func TestStaticHandlerServesBytesAndHeaders(t *testing.T) {
	body := []byte{0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02}
	h := staticHandler([]staticResponse{{
		Path: "/r/0", Status: http.StatusOK, Body: body,
		Header: http.Header{"Content-Encoding": {"gzip"}, "Content-Type": {"text/html"}, "Date": {"Mon, 01 Jan 2001 00:00:00 GMT"},
			"Content-Length": {"999"}, "Vary": {"Accept, Accept-Encoding"}},
	}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, got, err := fetch(context.Background(), srv.URL+"/r/0", http.Header{"Accept-Encoding": {"gzip"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(body) {
		t.Errorf("body %x, want %x", got, body)
	}
	for k, want := range map[string]string{"Content-Encoding": "gzip", "Content-Type": "text/html", "Content-Length": "6", "Vary": "Accept, Accept-Encoding"} {
		if v := resp.Header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	if d := resp.Header.Get("Date"); d == "Mon, 01 Jan 2001 00:00:00 GMT" {
		t.Error("the recorded Date was replayed")
	}
	resp, _, err = fetch(context.Background(), srv.URL+"/r/1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %d, want 404", resp.StatusCode)
	}
}

func TestInboxCountsAndRecordsCreates(t *testing.T) {
	f := &fediverse{}
	in := &inbox{creates: map[string][]time.Time{}}
	srv := httptest.NewServer(f.handler(in))
	defer srv.Close()
	post := func(body string, signed bool) int {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/inbox", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if signed {
			req.Header.Set("Signature", `keyId="k",signature="x"`)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	note := "http://plein.test/posts/1"
	for _, c := range []struct {
		body   string
		signed bool
	}{
		{`{"type":"Create","object":{"id":"` + note + `","type":"Note"}}`, true},
		{`{"type":"Update","object":{"id":"` + note + `","type":"Note"}}`, true},
		{`{"type":"Delete","object":"` + note + `"}`, false},
		{`not json`, true},
	} {
		if status := post(c.body, c.signed); status != http.StatusAccepted {
			t.Errorf("POST %s: %d, want 202", c.body, status)
		}
	}
	if n := in.requests.Load(); n != 4 {
		t.Errorf("requests %d, want 4", n)
	}
	if n := in.unsigned.Load(); n != 1 {
		t.Errorf("unsigned %d, want 1", n)
	}
	times, creates, err := waitDelivered(context.Background(), []*inbox{in}, note, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if creates != 1 || times[0].IsZero() {
		t.Errorf("creates %d at %v, want 1 at a time", creates, times[0])
	}
	if _, _, err := waitDelivered(context.Background(), []*inbox{in}, "http://plein.test/posts/2", 50*time.Millisecond); err == nil {
		t.Error("waitDelivered found a Create that was never sent")
	}
	resp, err := http.Get(srv.URL + "/inbox")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /inbox: %d, want 404", resp.StatusCode)
	}
}

const exposition = `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
# HELP plein_change_version_total A look-alike whose name only begins the same.
plein_change_version_total 9
plein_change_version{node="b c"} 8
# HELP plein_change_version The change version of public content this node's cached pages reflect.
# TYPE plein_change_version gauge
plein_change_version 17
`

func TestParseGauge(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    float64
		wantErr bool
	}{
		{"exposition", exposition, 17, false},
		{"timestamp and tabs", "plein_change_version\t3 1700000000000\n", 3, false},
		{"exponent", "plein_change_version 1.2e+06\n", 1200000, false},
		{"absent", "go_goroutines 42\n", 0, true},
		{"only labelled", "plein_change_version{node=\"a\"} 8\n", 0, true},
		{"no value", "plein_change_version\n", 0, true},
		{"bad value", "plein_change_version x\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGauge(strings.NewReader(tt.text), changeVersionGauge)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error, got %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("parseGauge = %v, want %v", got, tt.want)
			}
		})
	}
}

// versionServer serves plein_change_version with the value of v.
// versionServer serves the gauge plein_change_version: 4 for the first
// four reads, 5 from then on, recording when it first served 5.
func versionServer(t *testing.T) (*httptest.Server, func() time.Time) {
	t.Helper()
	var mu sync.Mutex
	var reads int
	var changedAt time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reads++
		v := 4
		if reads > 4 {
			v = 5
			if changedAt.IsZero() {
				changedAt = time.Now()
			}
		}
		mu.Unlock()
		fmt.Fprintf(w, "# TYPE plein_change_version gauge\nplein_change_version %d\n", v)
	}))
	t.Cleanup(srv.Close)
	return srv, func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return changedAt
	}
}

func TestNodeVersionAwait(t *testing.T) {
	srv, changedAt := versionServer(t)
	nv := newNodeVersion(srv.URL)
	ctx := context.Background()
	got, err := nv.read(ctx)
	if err != nil || got != 4 {
		t.Fatalf("read = %d, %v; want 4", got, err)
	}
	got, at, err := nv.await(ctx, 4, time.Millisecond, 5*time.Second)
	if err != nil || got != 5 {
		t.Fatalf("await = %d, %v; want 5", got, err)
	}
	if at.Before(changedAt()) {
		t.Errorf("reached at %v, before the version changed at %v", at, changedAt())
	}
	if _, _, err := nv.await(ctx, 5, time.Millisecond, 30*time.Millisecond); !errors.Is(err, errNotReached) {
		t.Errorf("await of a version never reached: %v, want errNotReached", err)
	}
	if len(nv.reads) < 3 {
		t.Errorf("%d reads kept, want every read", len(nv.reads))
	}
}

func TestNodeVersionRejectsNonVersions(t *testing.T) {
	for _, body := range []string{"plein_change_version -1\n", "plein_change_version 2.5\n", "plein_change_version NaN\n"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
		if v, err := newNodeVersion(srv.URL).read(context.Background()); err == nil {
			t.Errorf("%q: read %d, want an error", body, v)
		}
		srv.Close()
	}
}

func TestReadOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, "<p>Crisisupdate1x2 Stremming</p>")
		zw.Close()
	}))
	defer srv.Close()
	ctx := context.Background()
	since := time.Now()
	if r := readOnce(ctx, srv.URL+"/@demo", "Crisisupdate1x2", since); !r.shown || r.status != http.StatusOK || r.err != nil || r.after <= 0 {
		t.Errorf("page with the marker: %+v", r)
	}
	if r := readOnce(ctx, srv.URL+"/@demo", "Crisisupdate1x3", since); r.shown || r.err != nil {
		t.Errorf("page without the marker: %+v", r)
	}
	if r := readOnce(ctx, srv.URL+"/missing", "Not Found", since); r.shown || r.status != http.StatusNotFound {
		t.Errorf("404 holding the marker: %+v", r)
	}
}

func TestFreshnessRowsReportFailures(t *testing.T) {
	ok := firstRead{after: 30 * time.Millisecond, status: 200, shown: true}
	res := crisisResult{changes: []change{
		{kind: "publish", cli: time.Second, before: 1, version: 2, reached: 20 * time.Millisecond, page: ok, post: ok},
		{kind: "edit", cli: time.Second, before: 2, version: 3, reached: 10 * time.Millisecond, page: firstRead{after: 12 * time.Millisecond, status: 200}, post: ok},
		{kind: "edit", cli: time.Second, before: 3},
		{kind: "edit", cliErr: errors.New("database is locked")},
	}}
	rep := &report{}
	freshnessRows(rep, res, 2*time.Millisecond)
	if len(rep.failures) != 3 {
		t.Fatalf("failures %q, want the stale read, the change not reached and the failed command", rep.failures)
	}
	got := rep.markdown()
	for _, want := range []string{
		"**FAILURES (3)**",
		"the command failed: database is locked",
		"| plein post create/edit commands that failed ",
		" 1 of 4 |",
		"| first reads of /@demo that showed the change ",
		" 1 of 3 |",
		" 2 of 3 |",
		"(2 of 3 changes) ",
		" 10.0 / 20.0 / 20.0 ms |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

func TestMarkdown(t *testing.T) {
	r := &report{header: []string{"date: today"}}
	r.section("Phase")
	r.add("rate", "10/s", "20/s", ratio(10, 20))
	r.add("no baseline", "1.00 ms", "", ratio(1, 0))
	r.note("a note")
	got := r.markdown()
	for _, want := range []string{
		"- date: today\n",
		"| metric      |   Plein | baseline | ratio |\n",
		"| ----------- | ------: | -------: | ----: |\n",
		"| **Phase**   |         |          |       |\n",
		"| rate        |    10/s |     20/s |  0.50 |\n",
		"\n- a note\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("markdown lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(got, "| no baseline | 1.00 ms |          |     – |\n") {
		t.Errorf("row without baseline:\n%s", got)
	}
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]time.Duration{0: 1, 50: 5, 90: 9, 99: 10, 100: 10} {
		if got := percentile(ds, p); got != want {
			t.Errorf("percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %v, want 0", got)
	}
}

func TestFmtDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		736 * time.Microsecond: "0.74 ms", 29700 * time.Microsecond: "29.7 ms", 231 * time.Millisecond: "231 ms", 2 * time.Second: "2000 ms",
	} {
		if got := fmtDur(d); got != want {
			t.Errorf("fmtDur(%v) = %q, want %q", d, got, want)
		}
	}
	if got, want := fmtDurs(736*time.Microsecond, 29700*time.Microsecond, 231*time.Millisecond), "0.74 / 29.7 / 231 ms"; got != want {
		t.Errorf("fmtDurs = %q, want %q", got, want)
	}
}

func TestQuoteArgs(t *testing.T) {
	got := strings.Join(quoteArgs([]string{"-quick", "-out", "a b.md", "it's"}), " ")
	if want := `-quick -out 'a b.md' 'it'\''s'`; got != want {
		t.Errorf("quoteArgs = %s, want %s", got, want)
	}
}
