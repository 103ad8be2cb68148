package privacyaudit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// postID returns a post id in Plein's form for the number n.
func postID(n int) string { return fmt.Sprintf("01jz%022d", n) }

// fakeSite serves pages by path, with {{foreign}} replaced by the address of
// another origin, and counts the requests of each path.
type fakeSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newFakeSite(t *testing.T, foreign string, pages map[string]string, extra http.HandlerFunc) *fakeSite {
	t.Helper()
	s := &fakeSite{hits: make(map[string]int)}
	expand := strings.NewReplacer("{{foreign}}", foreign)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if body, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, expand.Replace(body))
			return
		}
		if extra != nil {
			extra(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *fakeSite) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *fakeSite) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.hits {
		n += c
	}
	return n
}

func TestAuditDiscover(t *testing.T) {
	foreign := newFakeSite(t, "", nil, nil)
	big := `<a href="/@big/` + postID(20) + `">early</a><p>` + strings.Repeat("filler ", (MaxPageSize/7)+1000) +
		`</p><a href="/@big/` + postID(21) + `">late</a>`
	site := newFakeSite(t, foreign.URL, map[string]string{
		"/": `<!doctype html><html><head><link rel="privacy-policy" href="/privacy"></head><body>
			<a href="/@demo">Demo</a> <a href="/@demo?lang=en">Demo (en)</a> <a href="/@demo#posts">again</a>
			<a href="/@missing">Missing</a> <a href="/@gone">Gone</a> <a href="/@big">Big</a>
			<a href="{{foreign}}/@evil">Elsewhere</a> <a href="/about">About</a> <a href="/@demo/feed.atom">Feed</a>
			<a rel="privacy-policy" href="{{foreign}}/privacy">Their privacy</a>
			<a href="/@bad!handle">bad</a> <a href="mailto:info@example.org">mail</a></body></html>`,
		"/@demo": `<!doctype html><html><body>
			<a href="/@demo/` + postID(1) + `">1</a> <a href="/@demo/` + postID(1) + `?lang=en">1 en</a>
			<a href="/@demo/` + postID(1) + `/history">history</a> <a href="/@demo/feed.atom">feed</a>
			<a href="/@other/` + postID(9) + `">another org</a> <a href="/@demo/` + strings.ToUpper(postID(8)) + `">upper</a>
			<a href="/@demo/tags/news">tag</a>
			<a href="` + postID(2) + `">relative</a> <a href="/@demo/` + postID(3) + `">3</a> <a href="/@demo/` + postID(4) + `">4</a>
			<a rel="nofollow privacy-policy" href="/privacy#top">privacy</a> <a rel="Privacy-Policy" href="/terms">terms</a>
			</body></html>`,
		"/@big": big,
	}, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/@gone" {
			http.Redirect(w, r, foreign.URL+"/@gone", http.StatusFound)
			return
		}
		http.NotFound(w, r)
	})

	got, err := Discover(t.Context(), nil, site.URL, 3)
	if err != nil {
		t.Fatal(err)
	}
	u := site.URL
	want := []string{
		u + "/",
		u + "/@demo",
		u + "/@demo/" + postID(1),
		// The relative link resolves against /@demo, so it is /postID(2),
		// not a post page.
		u + "/@demo/" + postID(3),
		u + "/@demo/" + postID(4),
		u + "/@missing",
		u + "/@gone",
		u + "/@big",
		u + "/@big/" + postID(20),
		u + "/privacy",
		u + "/terms",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Discover:\n got %q\nwant %q", got, want)
	}
	if n := foreign.total(); n != 0 {
		t.Errorf("the other origin got %d requests, want none", n)
	}
	for _, p := range []string{"/privacy", "/terms", "/about", "/@demo/" + postID(1)} {
		if site.hit(p) != 0 {
			t.Errorf("Discover fetched %s, which it only needs to list", p)
		}
	}

	// Fewer posts per organisation, and none.
	got, err = Discover(t.Context(), nil, site.URL+"/", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Concat(want[:3], want[5:9], want[9:]); !slices.Equal(got, want) {
		t.Errorf("Discover with 1 post per organisation:\n got %q\nwant %q", got, want)
	}
	got, err = Discover(t.Context(), nil, site.URL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{u + "/", u + "/@demo", u + "/@missing", u + "/@gone", u + "/@big", u + "/privacy", u + "/terms"}; !slices.Equal(got, want) {
		t.Errorf("Discover with no posts:\n got %q\nwant %q", got, want)
	}
}

func TestAuditDiscoverLimitsOrganisations(t *testing.T) {
	var links strings.Builder
	for i := range MaxOrgs + 10 {
		fmt.Fprintf(&links, `<a href="/@org%d">org %d</a>`, i, i)
	}
	site := newFakeSite(t, "", map[string]string{"/": links.String()}, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<a href="%s/%s">post</a>`, r.URL.Path, postID(1))
	})
	got, err := Discover(t.Context(), nil, site.URL, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1+2*MaxOrgs {
		t.Fatalf("Discover listed %d pages, want %d", len(got), 1+2*MaxOrgs)
	}
	if last := got[len(got)-2]; last != fmt.Sprintf("%s/@org%d", site.URL, MaxOrgs-1) {
		t.Errorf("last organisation %s, want @org%d", last, MaxOrgs-1)
	}
	if n := site.total(); n != 1+MaxOrgs {
		t.Errorf("Discover made %d requests, want %d", n, 1+MaxOrgs)
	}
}

func TestAuditDiscoverErrors(t *testing.T) {
	other := newFakeSite(t, "", map[string]string{"/": `<a href="/@x">x</a>`}, nil)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	failing := newFakeSite(t, "", nil, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, other.URL+"/", http.StatusMovedPermanently)
		case "/local":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		default:
			http.Error(w, "broken", http.StatusInternalServerError)
		}
	})
	canceled, cancel := context.WithCancel(t.Context())
	cancel()

	tests := []struct {
		name string
		ctx  context.Context
		site string
		is   error  // wanted with errors.Is, if not nil
		text string // wanted in the message
	}{
		{name: "relative URL", site: "/@demo", is: ErrInvalidURL},
		{name: "other scheme", site: "ftp://plein.example/", is: ErrInvalidURL},
		{name: "server error", site: failing.URL + "/", text: "answered 500"},
		{name: "same-origin redirect to an error", site: failing.URL + "/local", text: "answered 500"},
		{name: "redirect to another origin", site: failing.URL + "/moved", text: "another origin"},
		{name: "closed port", site: closed.URL, text: "reading " + closed.URL + "/"},
		{name: "canceled", ctx: canceled, site: other.URL, is: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = t.Context()
			}
			got, err := Discover(ctx, nil, tt.site, 3)
			if err == nil {
				t.Fatalf("Discover(%q) = %q, want an error", tt.site, got)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v, want %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q, want it to contain %q", err, tt.text)
			}
		})
	}
	if n := other.total(); n != 0 {
		t.Errorf("the redirect target got %d requests, want none", n)
	}
}

func TestAuditDiscoverUsesClient(t *testing.T) {
	site := newFakeSite(t, "", map[string]string{"/": `<a href="/@demo">demo</a>`, "/@demo": ``}, nil)
	var seen []string
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.Path+" "+r.Header.Get("Accept"))
		return http.DefaultTransport.RoundTrip(r)
	})}
	if _, err := Discover(t.Context(), client, site.URL, 3); err != nil {
		t.Fatal(err)
	}
	if want := []string{"/ text/html", "/@demo text/html"}; !slices.Equal(seen, want) {
		t.Errorf("requests through the client %q, want %q", seen, want)
	}
	if client.CheckRedirect != nil {
		t.Error("Discover changed the caller's client")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestCrawl checks which pages Crawl lists: breadth first from the start,
// HTML pages of the origin only, each once, at most max, broken links and
// a redirect to another origin left out.
func TestCrawl(t *testing.T) {
	foreign := newFakeSite(t, "", map[string]string{"/": "<p>elsewhere</p>"}, nil)
	site := newFakeSite(t, foreign.URL, map[string]string{
		"/":      `<a href="/a">a</a> <a href="/b#part">b</a> <a href="{{foreign}}/">away</a> <a href="/feed.atom">feed</a> <a href="/gone">gone</a> <a href="/away">redirect</a>`,
		"/a":     `<a href="/">home</a> <a href="/a?lang=en">English</a> <a href="/c">c</a>`,
		"/b":     `<a href="/a">a</a> <a href="/b">b</a>`,
		"/c":     `<p>c</p>`,
		"/empty": `<p>no links</p>`,
	}, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.atom":
			w.Header().Set("Content-Type", "application/atom+xml")
			fmt.Fprint(w, `<feed/>`)
		case "/away":
			http.Redirect(w, r, foreign.URL+"/", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	})
	ctx := context.Background()
	for _, tc := range []struct {
		start string
		max   int
		want  []string
	}{
		{"/", 100, []string{"/", "/a", "/b", "/a?lang=en", "/c"}},
		{"/", 3, []string{"/", "/a", "/b"}},
		{"/empty", 10, []string{"/empty"}},
	} {
		got, err := Crawl(ctx, nil, site.URL+tc.start, tc.max)
		var want []string
		for _, p := range tc.want {
			want = append(want, site.URL+p)
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Crawl(%s, %d) = %q, %v; want %q", tc.start, tc.max, got, err, want)
		}
	}
	if foreign.total() != 0 {
		t.Errorf("the crawl requested %d pages of another origin", foreign.total())
	}
	for _, start := range []string{site.URL + "/gone", site.URL + "/feed.atom", "ftp://example.org/"} {
		if got, err := Crawl(ctx, nil, start, 10); err == nil {
			t.Errorf("Crawl(%s) = %q, want an error", start, got)
		}
	}
}
