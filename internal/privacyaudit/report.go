package privacyaudit

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Report is what the browser showed during an audit. It marshals to stable
// JSON with encoding/json: its slices are never nil and are sorted.
type Report struct {
	// Origin is scheme://host[:port] of the audited site.
	Origin string `json:"origin"`
	// Pages holds every page visited, in the order of the visits.
	Pages []Page `json:"pages"`
	// Cookies holds every cookie the browser held after any visit, for any
	// domain.
	Cookies []Cookie `json:"cookies"`
	// Storage holds every piece of browser storage that a page's origin or
	// one of its frames' origins used.
	Storage []StorageEntry `json:"storage"`
	// Requests holds every request to an origin other than Origin.
	Requests []Request `json:"requests"`
}

// Page is one visited page.
type Page struct {
	// URL is the address as given to the audit.
	URL string `json:"url"`
	// FinalURL is the address after redirects, when it differs from URL.
	FinalURL string `json:"finalUrl,omitempty"`
	// Status is the HTTP status of the page's document, or 0 when the
	// browser received none (a document served by a service worker from its
	// cache, for example).
	Status int `json:"status"`
	// NetworkQuiet reports whether the network went quiet before the page
	// timeout. When it did not, requests that the page made later are
	// missing from the report.
	NetworkQuiet bool `json:"networkQuiet"`
}

// Cookie is a cookie the browser held. Its value is left out: the report
// need not carry secrets.
type Cookie struct {
	Name     string `json:"name"`
	Domain   string `json:"domain"`
	Path     string `json:"path"`
	Secure   bool   `json:"secure"`
	HTTPOnly bool   `json:"httpOnly"`
	SameSite string `json:"sameSite,omitempty"`
	// Session reports a cookie without an expiry, dropped when the browser
	// closes.
	Session bool `json:"session"`
	// Expires is the expiry of a persistent cookie.
	Expires time.Time `json:"expires,omitzero"`
	// Page is the visited page after which the browser first held it.
	Page string `json:"page"`
}

// StorageKind names a browser storage mechanism.
type StorageKind string

// The storage mechanisms an audit reads.
const (
	LocalStorage   StorageKind = "localStorage"
	SessionStorage StorageKind = "sessionStorage"
	IndexedDB      StorageKind = "indexedDB"
	CacheStorage   StorageKind = "cacheStorage"
	ServiceWorker  StorageKind = "serviceWorker"
)

// StorageEntry is one piece of browser storage: the keys of localStorage or
// sessionStorage of an origin, an IndexedDB database, a Cache Storage cache,
// or a service worker registration.
type StorageEntry struct {
	Origin string      `json:"origin"`
	Kind   StorageKind `json:"kind"`
	// Name is the database or cache name, or the scope of a service
	// worker; empty for localStorage and sessionStorage.
	Name string `json:"name,omitempty"`
	// Keys is the largest number of keys seen in localStorage or
	// sessionStorage.
	Keys int `json:"keys,omitempty"`
	// Page is the visited page after which the entry was first seen.
	Page string `json:"page"`
}

// Request is one request to another origin.
type Request struct {
	// Page is the visited page during whose visit the browser sent it.
	Page string `json:"page"`
	URL  string `json:"url"`
	// Origin is scheme://host[:port] of URL.
	Origin string `json:"origin"`
	// Method is the HTTP method; empty for a hint.
	Method string `json:"method,omitempty"`
	// Type is the resource type the browser reports (Document, Stylesheet,
	// Image, Script, Fetch, XHR, Ping, Other...), WebSocket or WebTransport
	// for a connection, or Preconnect or DNSPrefetch for a hint in the
	// markup, which makes the browser contact the host without a request
	// it reports.
	Type string `json:"type"`
	// Source is what made the request: "page" for the page and the frames
	// in its process, the target type for a frame in another process or a
	// worker ("iframe", "worker", "service_worker", "shared_worker"), or
	// "markup" for a hint.
	Source string `json:"source"`
	// Document is the URL of the document or worker that made the request.
	Document string `json:"document,omitempty"`
	// Error is why the request failed, if it did. The page asked for it
	// all the same, so it is still a finding.
	Error string `json:"error,omitempty"`
}

// FindingKind names what a finding is about.
type FindingKind string

// The kinds of findings.
const (
	FindingCookie  FindingKind = "cookie"
	FindingStorage FindingKind = "storage"
	FindingRequest FindingKind = "request"
)

// Finding is one broken promise: a cookie, a piece of browser storage or a
// request to another origin.
type Finding struct {
	Kind FindingKind `json:"kind"`
	// Page is the visited page the finding was seen on or after.
	Page string `json:"page"`
	// Detail describes the finding in one line for an operator.
	Detail string `json:"detail"`
}

// String returns the finding as one line.
func (f Finding) String() string {
	return string(f.Kind) + ": " + f.Detail + " (page " + f.Page + ")"
}

// Findings returns one finding per cookie, storage entry and request, in
// that order.
func (r *Report) Findings() []Finding {
	var out []Finding
	for _, c := range r.Cookies {
		out = append(out, Finding{Kind: FindingCookie, Page: c.Page, Detail: c.describe()})
	}
	for _, s := range r.Storage {
		out = append(out, Finding{Kind: FindingStorage, Page: s.Page, Detail: s.describe()})
	}
	for _, q := range r.Requests {
		out = append(out, Finding{Kind: FindingRequest, Page: q.Page, Detail: q.describe()})
	}
	return out
}

// Clean reports whether the audit found no cookie, no browser storage and no
// request to another origin.
func (r *Report) Clean() bool {
	return len(r.Cookies) == 0 && len(r.Storage) == 0 && len(r.Requests) == 0
}

// WriteText writes the report for an operator to read.
func (r *Report) WriteText(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "Privacy audit of %s\n\n", r.Origin)
	fmt.Fprintf(b, "Pages visited (%d):\n", len(r.Pages))
	for _, p := range r.Pages {
		fmt.Fprintf(b, "  %3d %s", p.Status, p.URL)
		if p.FinalURL != "" {
			fmt.Fprintf(b, " -> %s", p.FinalURL)
		}
		if !p.NetworkQuiet {
			b.WriteString(" (network did not go quiet)")
		}
		b.WriteString("\n")
	}
	findings := r.Findings()
	for _, section := range []struct {
		kind  FindingKind
		title string
	}{
		{FindingCookie, "Cookies"},
		{FindingStorage, "Browser storage"},
		{FindingRequest, "Requests to other origins"},
	} {
		var lines []Finding
		for _, f := range findings {
			if f.Kind == section.kind {
				lines = append(lines, f)
			}
		}
		if len(lines) == 0 {
			fmt.Fprintf(b, "\n%s: none\n", section.title)
			continue
		}
		fmt.Fprintf(b, "\n%s (%d):\n", section.title, len(lines))
		for _, f := range lines {
			fmt.Fprintf(b, "  - %s\n    on %s\n", f.Detail, f.Page)
		}
	}
	if r.Clean() {
		b.WriteString("\nResult: clean\n")
	} else {
		fmt.Fprintf(b, "\nResult: NOT clean, %d finding(s)\n", len(findings))
	}
	return b.Flush()
}

func (c Cookie) describe() string {
	var attrs []string
	attrs = append(attrs, "domain "+c.Domain, "path "+c.Path)
	if c.Session {
		attrs = append(attrs, "session")
	} else {
		attrs = append(attrs, "expires "+c.Expires.UTC().Format(time.RFC3339))
	}
	if c.Secure {
		attrs = append(attrs, "Secure")
	}
	if c.HTTPOnly {
		attrs = append(attrs, "HttpOnly")
	}
	if c.SameSite != "" {
		attrs = append(attrs, "SameSite="+c.SameSite)
	}
	return fmt.Sprintf("cookie %q (%s)", c.Name, strings.Join(attrs, ", "))
}

func (s StorageEntry) describe() string {
	switch s.Kind {
	case LocalStorage, SessionStorage:
		return fmt.Sprintf("%s of %s holds %d key(s)", s.Kind, s.Origin, s.Keys)
	case IndexedDB:
		return fmt.Sprintf("IndexedDB database %q of %s", s.Name, s.Origin)
	case CacheStorage:
		return fmt.Sprintf("Cache Storage cache %q of %s", s.Name, s.Origin)
	case ServiceWorker:
		return fmt.Sprintf("service worker of %s registered for %s", s.Origin, s.Name)
	}
	return fmt.Sprintf("%s %q of %s", s.Kind, s.Name, s.Origin)
}

func (q Request) describe() string {
	d := q.URL
	if q.Method != "" {
		d = q.Method + " " + d
	}
	d += " (" + q.Type + " from " + q.Source
	if q.Document != "" && q.Document != q.Page {
		d += " " + q.Document
	}
	if q.Error != "" {
		d += "; failed: " + q.Error
	}
	return d + ")"
}

// sortReport puts the slices of r in their stable order: pages as visited,
// cookies by domain, path and name, storage by origin, kind and name,
// requests by page visited, then URL. It also replaces nil slices by empty
// ones.
func sortReport(r *Report) {
	visit := make(map[string]int, len(r.Pages))
	for i, p := range slices.Backward(r.Pages) {
		visit[p.URL] = i
	}
	slices.SortStableFunc(r.Cookies, func(a, b Cookie) int {
		return cmp.Or(cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Name, b.Name))
	})
	slices.SortStableFunc(r.Storage, func(a, b StorageEntry) int {
		return cmp.Or(cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
	slices.SortStableFunc(r.Requests, func(a, b Request) int {
		return cmp.Or(cmp.Compare(visit[a.Page], visit[b.Page]), cmp.Compare(a.URL, b.URL),
			cmp.Compare(a.Method, b.Method), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Source, b.Source))
	})
	if r.Pages == nil {
		r.Pages = []Page{}
	}
	if r.Cookies == nil {
		r.Cookies = []Cookie{}
	}
	if r.Storage == nil {
		r.Storage = []StorageEntry{}
	}
	if r.Requests == nil {
		r.Requests = []Request{}
	}
}

// defaultPorts maps the schemes that reach a host to their default ports.
var defaultPorts = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443"}

// originOfURL returns scheme://host[:port] of a URL that reaches a host
// (http, https, ws, wss), without a default port. It reports false for any
// other URL, such as data:, blob: or about:blank.
func originOfURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	def, ok := defaultPorts[scheme]
	if !ok || u.Hostname() == "" {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && port != def {
		host += ":" + port
	}
	return scheme + "://" + host, true
}

// foreign reports whether raw reaches an origin other than site. A WebSocket
// URL counts as the origin of the matching HTTP scheme.
func foreign(site, raw string) bool {
	origin, ok := originOfURL(raw)
	if !ok {
		return false
	}
	if rest, ok := strings.CutPrefix(origin, "ws://"); ok {
		origin = "http://" + rest
	} else if rest, ok := strings.CutPrefix(origin, "wss://"); ok {
		origin = "https://" + rest
	}
	return origin != site
}
