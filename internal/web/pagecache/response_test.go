package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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
func cachedResponse(t testing.TB, body []byte) *Response {
	r := NewResponse(http.StatusOK, "text/html; charset=utf-8", body)
	r.addBrotli()
	if r.gzipped == nil || r.brotli == nil {
		t.Fatalf("a %d-byte page has gzip %v, brotli %v; want both", len(body), r.gzipped != nil, r.brotli != nil)
	}
	return r
}

// write sends r in answer to a request of method with the given header
// fields, and returns the result.
func write(r *Response, method string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	r.Write(w, req)
	return w
}

func TestAcceptedEncodings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fields []string // nil: no Accept-Encoding field
		br, gz bool
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
			if r.representationFor(h) == nil || r.notModified(h) {
				t.Fatal("unexpected negotiation")
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
		h := http.Header{}
		if tc.fields != nil {
			h["Accept-Encoding"] = tc.fields
		}
		w := write(r, tc.method, h)
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
		if got := res.Header.Get("Last-Modified"); got != "" {
			t.Errorf("%s: Last-Modified %q without SetModified", tc.name, got)
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
	r.Write(w, req)
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
	if r.size() < len(page)+len(r.gzipped.body)+len(r.brotli.body) {
		t.Errorf("size %d does not count the three bodies", r.size())
	}
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"small", page[:minCompressed]},
		{"incompressible", randomBytes(4 << 10)},
		{"empty", nil},
	} {
		r := NewResponse(http.StatusOK, "text/plain", tc.body)
		r.addBrotli()
		if r.gzipped != nil || r.brotli != nil {
			t.Errorf("%s: gzip %v, brotli %v; want neither", tc.name, r.gzipped != nil, r.brotli != nil)
		}
		w := write(r, http.MethodGet, http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}})
		if enc := w.Result().Header.Get("Content-Encoding"); enc != "" || !bytes.Equal(w.Body.Bytes(), tc.body) {
			t.Errorf("%s: sent with Content-Encoding %q, %d bytes; want the plain body", tc.name, enc, w.Body.Len())
		}
		if got, want := w.Result().Header.Get("Etag"), etagsOf(tc.body)[""]; got != want {
			t.Errorf("%s: ETag %s, want %s", tc.name, got, want)
		}
	}
}

// TestWriteConditional checks If-None-Match: a 304 when it names any of
// the response's representations, which all carry the same content, or
// "*", compared weakly; the 304 carries the ETag of the representation the
// request would get.
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
			name   string
			inm    []string // If-None-Match fields
			method string
			want   int
		}{
			{"own", []string{own}, http.MethodGet, http.StatusNotModified},
			{"own HEAD", []string{own}, http.MethodHead, http.StatusNotModified},
			{"weak own", []string{"W/" + own}, http.MethodGet, http.StatusNotModified},
			{"second of two", []string{`"other", ` + own}, http.MethodGet, http.StatusNotModified},
			{"second of two weak", []string{`W/"other",W/` + own}, http.MethodGet, http.StatusNotModified},
			{"second field", []string{`"other"`, own}, http.MethodGet, http.StatusNotModified},
			{"star", []string{"*"}, http.MethodGet, http.StatusNotModified},
			{"plain", []string{tags[""]}, http.MethodGet, http.StatusNotModified},
			{"gzip", []string{tags["gzip"]}, http.MethodGet, http.StatusNotModified},
			{"br", []string{tags["br"]}, http.MethodGet, http.StatusNotModified},
			{"br weak, second", []string{`"x", W/` + tags["br"]}, http.MethodGet, http.StatusNotModified},
			{"other", []string{`"other"`}, http.MethodGet, http.StatusOK},
			{"other HEAD", []string{`"other"`}, http.MethodHead, http.StatusOK},
			{"longer tag", []string{strings.TrimSuffix(tags[""], `"`) + `x"`}, http.MethodGet, http.StatusOK},
			{"unquoted", []string{strings.Trim(tags[""], `"`)}, http.MethodGet, http.StatusOK},
			{"deflate tag", []string{strings.TrimSuffix(tags[""], `"`) + `-deflate"`}, http.MethodGet, http.StatusOK},
			{"empty", []string{""}, http.MethodGet, http.StatusOK},
		} {
			w := write(r, tc.method, http.Header{"Accept-Encoding": {accept[enc]}, "If-None-Match": tc.inm})
			res := w.Result()
			if res.StatusCode != tc.want {
				t.Errorf("%q, %s, If-None-Match %q: status %d, want %d", enc, tc.name, tc.inm, res.StatusCode, tc.want)
				continue
			}
			if got := res.Header.Get("Etag"); got != own {
				t.Errorf("%q, %s: ETag %s, want %s", enc, tc.name, got, own)
			}
			if tc.want == http.StatusNotModified {
				if w.Body.Len() != 0 || res.Header.Get("Content-Encoding") != "" || res.Header.Get("Content-Length") != "" {
					t.Errorf("%q, %s: 304 with %d bytes, Content-Encoding %q, Content-Length %q", enc, tc.name,
						w.Body.Len(), res.Header.Get("Content-Encoding"), res.Header.Get("Content-Length"))
				}
				if res.Header.Get("Cache-Control") != cacheControl || res.Header.Get("Vary") != "Accept-Encoding" {
					t.Errorf("%q, %s: 304 with Cache-Control %q, Vary %q", enc, tc.name, res.Header.Get("Cache-Control"), res.Header.Get("Vary"))
				}
			} else if tc.method == http.MethodGet && !bytes.Equal(decode(t, enc, w.Body.Bytes()), body) {
				t.Errorf("%q, %s: 200 without the page", enc, tc.name)
			}
		}
	}
}

// TestWriteConditionalModified checks If-Modified-Since, which only counts
// when the request has no If-None-Match (RFC 9110, section 13.2.2).
func TestWriteConditionalModified(t *testing.T) {
	body := testPage(4 << 10)
	modified := time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))
	second := modified.UTC().Truncate(time.Second) // what Last-Modified can say
	r := NewResponse(http.StatusOK, "text/html; charset=utf-8", body)
	r.SetModified(modified)
	r.addBrotli()
	unmodified := NewResponse(http.StatusOK, "text/html; charset=utf-8", body) // no Last-Modified
	unmodified.SetModified(time.Time{})
	tags := etagsOf(body)
	date := func(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

	for _, tc := range []struct {
		name   string
		r      *Response
		header http.Header
		want   int
	}{
		{"no conditions", r, http.Header{}, http.StatusOK},
		{"equal", r, http.Header{"If-Modified-Since": {date(second)}}, http.StatusNotModified},
		{"after", r, http.Header{"If-Modified-Since": {date(second.Add(time.Hour))}}, http.StatusNotModified},
		{"one second before", r, http.Header{"If-Modified-Since": {date(second.Add(-time.Second))}}, http.StatusOK},
		{"long before", r, http.Header{"If-Modified-Since": {date(second.AddDate(-1, 0, 0))}}, http.StatusOK},
		{"RFC 850 date, equal", r, http.Header{"If-Modified-Since": {second.Format("Monday, 02-Jan-06 15:04:05 GMT")}}, http.StatusNotModified},
		{"malformed", r, http.Header{"If-Modified-Since": {"yesterday"}}, http.StatusOK},
		{"never modified", unmodified, http.Header{"If-Modified-Since": {date(second.Add(time.Hour))}}, http.StatusOK},
		{"If-None-Match differs, If-Modified-Since would match", r,
			http.Header{"If-None-Match": {`"other"`}, "If-Modified-Since": {date(second.Add(time.Hour))}}, http.StatusOK},
		{"If-None-Match matches, If-Modified-Since would not", r,
			http.Header{"If-None-Match": {tags[""]}, "If-Modified-Since": {date(second.Add(-time.Hour))}}, http.StatusNotModified},
		{"If-None-Match names gzip for a plain request, If-Modified-Since would not match", r,
			http.Header{"If-None-Match": {tags["gzip"]}, "If-Modified-Since": {date(second.Add(-time.Hour))}}, http.StatusNotModified},
	} {
		w := write(tc.r, http.MethodGet, tc.header)
		res := w.Result()
		if res.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.want)
			continue
		}
		wantLM := date(second)
		if tc.r == unmodified {
			wantLM = ""
		}
		if got := res.Header.Get("Last-Modified"); got != wantLM {
			t.Errorf("%s: Last-Modified %q, want %q", tc.name, got, wantLM)
		}
		if tc.want == http.StatusNotModified && w.Body.Len() != 0 {
			t.Errorf("%s: 304 with %d bytes", tc.name, w.Body.Len())
		}
		if tc.want == http.StatusOK && !bytes.Equal(w.Body.Bytes(), body) {
			t.Errorf("%s: 200 without the page", tc.name)
		}
	}
}

// TestWriteNotModifiedOnlyFor200 checks that conditional requests never
// turn an error or a redirect into a 304.
func TestWriteNotModifiedOnlyFor200(t *testing.T) {
	modified := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, status := range []int{http.StatusNotFound, http.StatusGone, http.StatusInternalServerError, http.StatusServiceUnavailable} {
		body := testPage(2 << 10)
		r := NewResponse(status, "text/html; charset=utf-8", body)
		r.SetModified(modified)
		for _, h := range []http.Header{
			{"If-None-Match": {"*"}},
			{"If-None-Match": {etagsOf(body)[""]}},
			{"If-None-Match": {etagsOf(body)["gzip"]}, "Accept-Encoding": {"gzip"}},
			{"If-Modified-Since": {modified.Add(time.Hour).Format(http.TimeFormat)}},
		} {
			w := write(r, http.MethodGet, h)
			if w.Code != status || !bytes.Equal(decode(t, w.Result().Header.Get("Content-Encoding"), w.Body.Bytes()), body) {
				t.Errorf("%d with %v: status %d, %d bytes; want %d with the body", status, h, w.Code, w.Body.Len(), status)
			}
		}
	}
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound} {
		r := Redirect(status, "/@demo?lang=en")
		w := write(r, http.MethodGet, http.Header{"If-None-Match": {"*"}})
		res := w.Result()
		if res.StatusCode != status || res.Header.Get("Location") != "/@demo?lang=en" || w.Body.Len() != 0 {
			t.Errorf("redirect %d: status %d, Location %q, %d bytes", status, res.StatusCode, res.Header.Get("Location"), w.Body.Len())
		}
		if res.Header.Get("Cache-Control") != cacheControl || res.Header.Get("Etag") != "" {
			t.Errorf("redirect %d: Cache-Control %q, ETag %q", status, res.Header.Get("Cache-Control"), res.Header.Get("Etag"))
		}
		if r.Location() != "/@demo?lang=en" || r.Status() != status {
			t.Errorf("redirect %d: Location() %q, Status() %d", status, r.Location(), r.Status())
		}
	}
}

func TestWriteRetryAfter(t *testing.T) {
	r := NewResponse(http.StatusServiceUnavailable, "text/plain; charset=utf-8", []byte("down\n"))
	r.SetRetryAfter(UnavailableRetry)
	w := write(r, http.MethodGet, http.Header{"If-None-Match": {"*"}})
	res := w.Result()
	if res.StatusCode != http.StatusServiceUnavailable || w.Body.String() != "down\n" {
		t.Errorf("status %d, body %q", res.StatusCode, w.Body.String())
	}
	if got := res.Header.Get("Retry-After"); got != strconv.Itoa(UnavailableRetry) {
		t.Errorf("Retry-After %q, want %d", got, UnavailableRetry)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
}

// discardWriter is a ResponseWriter that keeps only its header, which
// benchmarks clear and reuse.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

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
				r.Write(w, req)
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
