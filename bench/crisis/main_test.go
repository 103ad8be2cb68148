package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
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

func TestWatchSeesOnlyLaterPages(t *testing.T) {
	w := &watch{}
	since := time.Now()
	seen := w.expect("marker42", since)
	w.observe([]byte("<p>marker42</p>"), since.Add(-time.Millisecond), since.Add(time.Millisecond))
	w.observe([]byte("<p>other</p>"), since.Add(time.Millisecond), since.Add(2*time.Millisecond))
	select {
	case <-seen:
		t.Fatal("seen from a page requested before the change, or one without the marker")
	default:
	}
	w.observe([]byte("<p>marker42</p>"), since.Add(time.Millisecond), since.Add(30*time.Millisecond))
	w.observe([]byte("<p>marker42</p>"), since.Add(40*time.Millisecond), since.Add(50*time.Millisecond))
	select {
	case <-seen:
	default:
		t.Fatal("not seen")
	}
	if got := w.seenAfter(); got != 30*time.Millisecond {
		t.Errorf("seen after %v, want 30ms (the first page with it)", got)
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
}

func TestQuoteArgs(t *testing.T) {
	got := strings.Join(quoteArgs([]string{"-quick", "-out", "a b.md", "it's"}), " ")
	if want := `-quick -out 'a b.md' 'it'\''s'`; got != want {
		t.Errorf("quoteArgs = %s, want %s", got, want)
	}
}
