// Package pagecache holds Plein's rendered public responses in memory,
// compressed once, and serves them with conditional requests answered. A
// response is never older than the last change the process has seen: a
// change marks every response stale, and the next request for it waits for
// one fresh rendering shared by all requests for it.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"plein/internal/insights"
)

// Response is a rendered public response, held in memory and compressed
// once. Its header values are prepared when it is made, so that serving it
// from the cache only copies slices. A Response must not be changed once a
// Cache holds it.
type Response struct {
	// Counted says what serving the response counts for insights.
	Counted      Counted
	status       int
	contentType  []string
	location     []string // for redirects
	lastModified []string // empty: no Last-Modified
	modified     time.Time
	retryAfter   []string // for 503s
	plain        representation
	gzipped      *representation // nil when compression does not pay
	brotli       *representation // nil until the cache keeps the response, or when it does not pay
}

// representation is one encoding of a response body.
type representation struct {
	body   []byte
	etag   string
	header map[string][]string
}

// Counted says what serving a response counts for insights: a view of an
// organisation's page or post, or a fetch of one of its feeds.
type Counted struct {
	OrgID  string // empty: not counted
	PostID string
	Feed   bool
	Kind   insights.FeedKind
}

// Prepared header values shared by every response.
var (
	cacheControlValue = []string{cacheControl}
	varyValue         = []string{"Accept-Encoding"}
	varyAcceptValue   = []string{"Accept, Accept-Encoding"}
	gzipValue         = []string{"gzip"}
	noStoreValue      = []string{"no-store"}
	brotliValue       = []string{"br"}
)

// minCompressed is the smallest body worth compressing.
const minCompressed = 512

// brotliQuality is the brotli quality of cached responses. Qualities 10
// and 11 switch to a far slower algorithm: 20 to 70 ms for a 60 KB page,
// ten to thirty times the cost of 9, for 2 to 8% less.
const brotliQuality = 9

// newRepresentation prepares the headers of body, sent with the content
// coding encoding (nil: none).
func newRepresentation(body []byte, etag string, encoding []string) representation {
	h := map[string][]string{
		"Etag":           {etag},
		"Content-Length": {strconv.Itoa(len(body))},
	}
	if encoding != nil {
		h["Content-Encoding"] = encoding
	}
	return representation{body: body, etag: etag, header: h}
}

// newResponse makes a response of body, with a gzip representation when
// that is smaller. Brotli, slower to make, is added by the cache to the
// responses it keeps.
func NewResponse(status int, contentType string, body []byte) *Response {
	r := &Response{status: status, contentType: []string{contentType}}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	r.plain = newRepresentation(body, `"`+tag+`"`, nil)
	if len(body) > minCompressed {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(body) // writes to a bytes.Buffer do not fail
		zw.Close()
		if b.Len() < len(body) {
			gz := newRepresentation(b.Bytes(), `"`+tag+`-gz"`, gzipValue)
			r.gzipped = &gz
		}
	}
	return r
}

// addBrotli adds a brotli representation to r when it is smaller than
// both the plain and the gzip one. It must be called before r is shared.
func (r *Response) addBrotli() {
	body := r.plain.body
	if r.brotli != nil || len(body) <= minCompressed {
		return
	}
	compressed := brotliCompress(body, brotliQuality)
	limit := len(body)
	if r.gzipped != nil {
		limit = len(r.gzipped.body)
	}
	if len(compressed) >= limit {
		return
	}
	tag := strings.Trim(r.plain.etag, `"`)
	br := newRepresentation(compressed, `"`+tag+`-br"`, brotliValue)
	r.brotli = &br
}

// brotliCompress compresses body at quality with a window just large
// enough for it: the same output as the default 4 MB window, with a tenth
// of the memory.
func brotliCompress(body []byte, quality int) []byte {
	var b bytes.Buffer
	lgwin := min(max(bits.Len(uint(len(body))), 10), 24)
	bw := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	bw.Write(body) // writes to a bytes.Buffer do not fail
	bw.Close()
	return b.Bytes()
}

// size is about how much memory r holds.
func (r *Response) size() int {
	n := 512 + len(r.plain.body)
	if r.gzipped != nil {
		n += len(r.gzipped.body)
	}
	if r.brotli != nil {
		n += len(r.brotli.body)
	}
	return n
}

// Redirect returns a response that redirects to location with status.
func Redirect(status int, location string) *Response {
	return &Response{status: status, location: []string{location}}
}

// Status returns the response's HTTP status.
func (r *Response) Status() int { return r.status }

// Body returns the uncompressed body.
func (r *Response) Body() []byte { return r.plain.body }

// Location returns where a redirect points, or "".
func (r *Response) Location() string {
	if len(r.location) == 0 {
		return ""
	}
	return r.location[0]
}

// SetModified sets the time of the last change of what r shows, sent as
// Last-Modified and compared with If-Modified-Since. It must be called
// before r is cached.
func (r *Response) SetModified(t time.Time) {
	if t.IsZero() {
		return
	}
	r.modified = t.UTC().Truncate(time.Second)
	r.lastModified = []string{r.modified.Format(http.TimeFormat)}
}

// SetRetryAfter sets the Retry-After header of an unavailable response, in
// seconds.
func (r *Response) SetRetryAfter(seconds int) {
	r.retryAfter = []string{strconv.Itoa(seconds)}
}

// cacheControl is sent with every public response: shared caches may keep
// it briefly and serve it stale while they fetch a fresh one, or when
// Plein cannot be reached.
const cacheControl = "public, max-age=15, stale-while-revalidate=60, stale-if-error=86400"

// Write sends r, answering conditional requests with 304, clients that
// accept brotli with the brotli body, others that accept gzip with the
// gzip body. If-None-Match is compared with every representation of r,
// which all carry the same content; only without it is If-Modified-Since
// compared with the last change (RFC 9110, section 13.2.2).
func (r *Response) Write(w http.ResponseWriter, req *http.Request) {
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
	if r.retryAfter != nil {
		h["Retry-After"] = r.retryAfter
		h["Cache-Control"] = noStoreValue
	}
	if r.lastModified != nil {
		h["Last-Modified"] = r.lastModified
	}
	rep := r.representationFor(req.Header)
	if r.status == http.StatusOK && r.notModified(req.Header) {
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

// notModified reports whether the conditional headers of a request show
// that the client holds r already.
func (r *Response) notModified(h http.Header) bool {
	if inm := h["If-None-Match"]; inm != nil {
		return etagMatches(inm, r.plain.etag) ||
			r.gzipped != nil && etagMatches(inm, r.gzipped.etag) ||
			r.brotli != nil && etagMatches(inm, r.brotli.etag)
	}
	ims := h["If-Modified-Since"]
	if ims == nil || r.modified.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims[0])
	return err == nil && !r.modified.After(t)
}

// representationFor picks the representation to send for a request's
// header: brotli when the client accepts it, else gzip, else plain.
func (r *Response) representationFor(h http.Header) *representation {
	if r.brotli == nil && r.gzipped == nil {
		return &r.plain
	}
	br, gz := acceptedEncodings(h)
	switch {
	case br && r.brotli != nil:
		return r.brotli
	case gz && r.gzipped != nil:
		return r.gzipped
	}
	return &r.plain
}

// Weights of a content coding in Accept-Encoding.
const (
	unlisted int8 = iota // not named
	refused              // q=0
	accepted
)

// acceptedEncodings reports whether brotli and gzip are acceptable by the
// Accept-Encoding fields of h: named, or covered by "*", with a weight
// above zero. Without the field, neither is: clients that do not say get
// the plain body. It does not allocate.
func acceptedEncodings(h http.Header) (br, gz bool) {
	brW, gzW, anyW := unlisted, unlisted, unlisted
	for _, field := range h["Accept-Encoding"] {
		for field != "" {
			var item string
			item, field, _ = strings.Cut(field, ",")
			name, params, _ := strings.Cut(item, ";")
			switch name = strings.TrimSpace(name); {
			case strings.EqualFold(name, "br"):
				brW = weight(params)
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				gzW = weight(params)
			case name == "*":
				anyW = weight(params)
			}
		}
	}
	return brW == accepted || brW == unlisted && anyW == accepted,
		gzW == accepted || gzW == unlisted && anyW == accepted
}

// weight reads the q parameter of a coding in Accept-Encoding: refused
// when it is zero or not a number, accepted otherwise.
func weight(params string) int8 {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		if positiveQ(strings.TrimSpace(v)) {
			return accepted
		}
		return refused
	}
	return accepted
}

// positiveQ reports whether v is a decimal number above zero, such as
// "1", "0.5" or ".001".
func positiveQ(v string) bool {
	digits, dot, positive := 0, false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '.' && !dot:
			dot = true
		case c >= '0' && c <= '9':
			digits++
			positive = positive || c != '0'
		default:
			return false
		}
	}
	return digits > 0 && positive
}

// etagMatches reports whether If-None-Match fields name etag, or "*". The
// comparison is weak, as RFC 9110 asks for If-None-Match: W/"x" matches
// "x". It does not allocate.
func etagMatches(fields []string, etag string) bool {
	for _, field := range fields {
		for field != "" {
			var part string
			part, field, _ = strings.Cut(field, ",")
			part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
			if part == "*" || part == etag {
				return true
			}
		}
	}
	return false
}
