package privacyaudit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// needChromium returns the Chromium executable. Without one the test is
// skipped, or fails when the environment variable CI is set.
func needChromium(t *testing.T) string {
	t.Helper()
	path, err := FindChromium("")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser test needs Chromium in CI: %v", err)
		}
		t.Skipf("skipping browser test: %v", err)
	}
	return path
}

var (
	sharedOnce    sync.Once
	sharedBrowser *Browser
	sharedErr     error
)

// browser returns the browser the tests share; TestMain closes it.
func browser(t *testing.T) *Browser {
	t.Helper()
	needChromium(t)
	sharedOnce.Do(func() {
		sharedBrowser, sharedErr = Start(context.Background(), Options{})
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedBrowser
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedBrowser != nil {
		if err := sharedBrowser.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// pngPixel is a 1x1 transparent PNG.
const pngPixel = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"

// foreignServer is another origin: it serves a few resources and remembers
// which paths it was asked for.
type foreignServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newForeignServer(t *testing.T) *foreignServer {
	f := &foreignServer{hits: make(map[string]int)}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits[r.URL.Path]++
		f.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		switch r.URL.Path {
		case "/pixel.png":
			w.Header().Set("Content-Type", "image/png")
			fmt.Fprint(w, pngPixel)
		case "/frame":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><title>frame</title><img src="/pixel.png"><script>fetch("/data")</script>`)
		case "/storing-frame":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><title>frame</title><script>localStorage.setItem("embed", "1")</script>`)
		case "/landing":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><title>landing</title>`)
		default:
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "ok")
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *foreignServer) hit(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

// testSite is the audited site of one test case, with its other origins.
type testSite struct {
	*httptest.Server
	foreign *foreignServer
	// far is the foreign server under the name localhost: another site, so
	// the browser puts its frames in a process of their own.
	far string
}

// newTestSite serves files: a path to its content. The content type follows
// the extension, HTML without one. The placeholders {{foreign}}, {{far}} and
// {{foreign-ws}} stand for the other origins.
func newTestSite(t *testing.T, files map[string]string) *testSite {
	f := newForeignServer(t)
	s := &testSite{foreign: f, far: strings.Replace(f.URL, "127.0.0.1", "localhost", 1)}
	expand := strings.NewReplacer("{{foreign}}", f.URL, "{{far}}", s.far,
		"{{foreign-ws}}", strings.Replace(f.URL, "http:", "ws:", 1))
	mux := http.NewServeMux()
	for path, body := range files {
		body = expand.Replace(body)
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != path {
				http.NotFound(w, r)
				return
			}
			switch {
			case strings.HasSuffix(path, ".css"):
				w.Header().Set("Content-Type", "text/css")
			case strings.HasSuffix(path, ".js"):
				w.Header().Set("Content-Type", "text/javascript")
			case strings.HasSuffix(path, ".png"):
				w.Header().Set("Content-Type", "image/png")
			default:
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
			}
			fmt.Fprint(w, body)
		})
	}
	mux.HandleFunc("/set-cookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "secret", Path: "/", HttpOnly: true})
		fmt.Fprint(w, `<!doctype html><title>cookie</title>`)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, f.URL+"/landing", http.StatusFound)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// summary lists the findings of r in a form that tables can spell out,
// with the origins of s replaced by placeholders.
func summary(r *Report, s *testSite) []string {
	short := strings.NewReplacer(s.URL, "{{site}}", s.foreign.URL, "{{foreign}}", s.far, "{{far}}",
		strings.Replace(s.foreign.URL, "http:", "ws:", 1), "{{foreign-ws}}")
	var out []string
	for _, c := range r.Cookies {
		out = append(out, fmt.Sprintf("cookie %s on %s", c.Name, c.Domain))
	}
	for _, e := range r.Storage {
		out = append(out, short.Replace(fmt.Sprintf("%s %s %s keys=%d", e.Kind, e.Origin, e.Name, e.Keys)))
	}
	for _, q := range r.Requests {
		out = append(out, short.Replace(fmt.Sprintf("%s %s %s from %s", q.Type, q.Method, q.URL, q.Source)))
	}
	slices.Sort(out)
	return out
}

const head = `<!doctype html><html lang="en"><title>page</title>`

func TestAudit(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		visit []string // paths; default "/"
		want  []string // summary of the findings
		check func(t *testing.T, r *Report, s *testSite)
	}{
		{
			name: "clean page with its own stylesheet, image and script",
			files: map[string]string{
				"/": head + `<link rel="stylesheet" href="/style.css"><script src="/app.js"></script>
					<img src="/logo.png" alt="logo"><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" alt="">
					<iframe src="about:blank" title="empty"></iframe>`,
				"/style.css": `body { background: url("/logo.png") }`,
				"/app.js":    `document.title = "ready";`,
				"/logo.png":  pngPixel,
			},
			check: func(t *testing.T, r *Report, s *testSite) {
				if !r.Clean() || len(r.Findings()) != 0 {
					t.Errorf("Clean() = %v, findings %v", r.Clean(), r.Findings())
				}
				want := []Page{{URL: s.URL + "/", Status: 200, NetworkQuiet: true}}
				if !slices.Equal(r.Pages, want) {
					t.Errorf("Pages = %+v, want %+v", r.Pages, want)
				}
				if r.Origin != s.URL {
					t.Errorf("Origin = %q, want %q", r.Origin, s.URL)
				}
			},
		},
		{
			name:  "cookie from Set-Cookie",
			visit: []string{"/set-cookie"},
			want:  []string{"cookie sid on 127.0.0.1"},
			check: func(t *testing.T, r *Report, s *testSite) {
				c := r.Cookies[0]
				if !c.HTTPOnly || !c.Session || c.Path != "/" || c.Page != s.URL+"/set-cookie" {
					t.Errorf("cookie = %+v", c)
				}
				if f := r.Findings(); len(f) != 1 || f[0].Kind != FindingCookie {
					t.Errorf("Findings() = %v, want one cookie", f)
				}
			},
		},
		{
			name:  "cookie from a script",
			files: map[string]string{"/": head + `<script>document.cookie = "seen=1; max-age=3600"</script>`},
			want:  []string{"cookie seen on 127.0.0.1"},
		},
		{
			name:  "localStorage",
			files: map[string]string{"/": head + `<script>localStorage.setItem("visits", "1"); localStorage.setItem("theme", "dark")</script>`},
			want:  []string{"localStorage {{site}}  keys=2"},
			check: func(t *testing.T, r *Report, s *testSite) {
				if f := r.Findings(); len(f) != 1 || f[0].Kind != FindingStorage {
					t.Errorf("Findings() = %v, want one storage finding", f)
				}
			},
		},
		{
			name:  "sessionStorage",
			files: map[string]string{"/": head + `<script>sessionStorage.setItem("tab", "1")</script>`},
			want:  []string{"sessionStorage {{site}}  keys=1"},
		},
		{
			name: "IndexedDB",
			files: map[string]string{"/": head + `<script>
				const open = indexedDB.open("plein-test", 1);
				open.onupgradeneeded = () => open.result.createObjectStore("visits");
				open.onsuccess = () => open.result.transaction("visits", "readwrite").objectStore("visits").put(1, "count");
			</script>`},
			want: []string{"indexedDB {{site}} plein-test keys=0"},
		},
		{
			name:  "Cache Storage",
			files: map[string]string{"/": head + `<script>caches.open("offline-v1")</script>`},
			want:  []string{"cacheStorage {{site}} offline-v1 keys=0"},
		},
		{
			name: "service worker and its request",
			files: map[string]string{
				"/":      head + `<script>navigator.serviceWorker.register("/sw.js")</script>`,
				"/sw.js": `fetch("{{foreign}}/from-service-worker")`,
			},
			want: []string{
				"Fetch GET {{foreign}}/from-service-worker from service_worker",
				"serviceWorker {{site}} {{site}}/ keys=0",
			},
		},
		{
			name:  "image from another origin",
			files: map[string]string{"/": head + `<img src="{{foreign}}/pixel.png" alt="">`},
			want:  []string{"Image GET {{foreign}}/pixel.png from page"},
			check: func(t *testing.T, r *Report, s *testSite) {
				q := r.Requests[0]
				if q.Origin != s.foreign.URL || q.Page != s.URL+"/" || q.Error != "" {
					t.Errorf("request = %+v", q)
				}
				if s.foreign.hit("/pixel.png") != 1 {
					t.Errorf("the other origin served the image %d times, want 1", s.foreign.hit("/pixel.png"))
				}
			},
		},
		{
			name: "fetch, beacon, WebSocket and prefetch",
			files: map[string]string{"/": head + `<link rel="prefetch" href="{{foreign}}/next">
				<script>
				fetch("{{foreign}}/api");
				navigator.sendBeacon("{{foreign}}/beacon", "x");
				try { new WebSocket("{{foreign-ws}}/socket") } catch (e) {}
				</script>`},
			want: []string{
				"Fetch GET {{foreign}}/api from page",
				"Other GET {{foreign}}/next from page",
				"Ping POST {{foreign}}/beacon from page",
				"WebSocket GET {{foreign-ws}}/socket from page",
			},
		},
		{
			name:  "preconnect hint",
			files: map[string]string{"/": head + `<link rel="preconnect" href="{{foreign}}"><link rel="dns-prefetch" href="{{far}}">`},
			want: []string{
				"DNSPrefetch  {{far}}/ from markup",
				"Preconnect  {{foreign}}/ from markup",
			},
		},
		{
			name: "frame of another site and its requests",
			files: map[string]string{
				"/": head + `<iframe src="{{far}}/frame" title="embed"></iframe>`,
			},
			want: []string{
				"Document GET {{far}}/frame from page",
				"Fetch GET {{far}}/data from iframe",
				"Image GET {{far}}/pixel.png from iframe",
			},
		},
		{
			name:  "frame of another origin that stores",
			files: map[string]string{"/": head + `<iframe src="{{foreign}}/storing-frame" title="embed"></iframe>`},
			want: []string{
				"Document GET {{foreign}}/storing-frame from page",
				"localStorage {{foreign}}  keys=1",
			},
		},
		{
			name: "worker request",
			files: map[string]string{
				"/":          head + `<script>new Worker("/worker.js")</script>`,
				"/worker.js": `fetch("{{foreign}}/from-worker")`,
			},
			want: []string{"Fetch GET {{foreign}}/from-worker from worker"},
		},
		{
			name:  "redirect to another origin",
			visit: []string{"/away"},
			want: []string{
				"Document GET {{foreign}}/landing from page",
				// The browser asks the new origin for its icon.
				"Other GET {{foreign}}/favicon.ico from page",
			},
			check: func(t *testing.T, r *Report, s *testSite) {
				if p := r.Pages[0]; p.FinalURL != s.foreign.URL+"/landing" || p.Status != 200 {
					t.Errorf("page = %+v", p)
				}
			},
		},
		{
			name:  "page answering 404 is recorded",
			visit: []string{"/missing"},
			check: func(t *testing.T, r *Report, s *testSite) {
				if len(r.Pages) != 1 || r.Pages[0].Status != http.StatusNotFound {
					t.Errorf("Pages = %+v, want one with status 404", r.Pages)
				}
			},
		},
		{
			name: "state accumulates over pages",
			files: map[string]string{
				"/":       head + `<a href="/second">next</a>`,
				"/second": head + `<img src="{{foreign}}/pixel.png" alt="">`,
			},
			visit: []string{"/set-cookie", "/", "/second"},
			want: []string{
				"Image GET {{foreign}}/pixel.png from page",
				"cookie sid on 127.0.0.1",
			},
			check: func(t *testing.T, r *Report, s *testSite) {
				if len(r.Pages) != 3 {
					t.Fatalf("Pages = %+v, want 3", r.Pages)
				}
				if got := r.Cookies[0].Page; got != s.URL+"/set-cookie" {
					t.Errorf("cookie first seen after %s", got)
				}
				if got := r.Requests[0].Page; got != s.URL+"/second" {
					t.Errorf("request attributed to %s", got)
				}
			},
		},
	}
	b := browser(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, tt.files)
			visit := tt.visit
			if visit == nil {
				visit = []string{"/"}
			}
			var urls []string
			for _, p := range visit {
				urls = append(urls, s.URL+p)
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			r, err := b.Audit(ctx, urls)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.Pages {
				if !p.NetworkQuiet {
					t.Errorf("network of %s did not go quiet", p.URL)
				}
			}
			if got := summary(r, s); !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tt.want)
			}
			if r.Clean() != (len(tt.want) == 0) {
				t.Errorf("Clean() = %v with findings %v", r.Clean(), r.Findings())
			}
			if tt.check != nil {
				tt.check(t, r, s)
			}
		})
	}
}

func TestAuditFailingPage(t *testing.T) {
	t.Parallel()
	b := browser(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	_, err := b.Audit(t.Context(), []string{gone.URL + "/"})
	if !errors.Is(err, ErrLoad) {
		t.Fatalf("Audit of a closed port: error %v, want ErrLoad", err)
	}
}

func TestAuditCanceled(t *testing.T) {
	t.Parallel()
	b := browser(t)
	s := newTestSite(t, map[string]string{"/": head})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := b.Audit(ctx, []string{s.URL + "/"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Audit with a canceled context: error %v, want context.Canceled", err)
	}
}

func TestAuditsDoNotShareState(t *testing.T) {
	t.Parallel()
	b := browser(t)
	s := newTestSite(t, map[string]string{"/": head})
	if _, err := b.Audit(t.Context(), []string{s.URL + "/set-cookie"}); err != nil {
		t.Fatal(err)
	}
	r, err := b.Audit(t.Context(), []string{s.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Clean() {
		t.Errorf("second audit inherited state: %v", r.Findings())
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	path := needChromium(t)
	s := newTestSite(t, map[string]string{"/": head + `<script>localStorage.x = 1</script>`})
	r, err := Run(t.Context(), Options{ChromiumPath: path, PageTimeout: 10 * time.Second}, []string{s.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(r, s), []string{"localStorage {{site}}  keys=1"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

func TestCloseRemovesProfile(t *testing.T) {
	t.Parallel()
	needChromium(t)
	b, err := Start(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.dir); err != nil {
		t.Fatalf("profile directory missing while running: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile directory after Close: %v, want it removed", err)
	}
}

func TestFindChromium(t *testing.T) {
	_, err := FindChromium("/nonexistent/chromium")
	if !errors.Is(err, ErrChromiumNotFound) {
		t.Errorf("FindChromium of a missing path: %v, want ErrChromiumNotFound", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = FindChromium("")
	if !errors.Is(err, ErrChromiumNotFound) || !strings.Contains(err.Error(), `"chromium"`) {
		t.Errorf("FindChromium with an empty PATH: %v, want ErrChromiumNotFound naming the package", err)
	}
}

func TestSiteOf(t *testing.T) {
	tests := []struct {
		urls    []string
		want    string
		wantErr bool
	}{
		{urls: []string{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/@gemeente"}, want: "http://127.0.0.1:8080"},
		{urls: []string{"HTTPS://Plein.Example:443/a"}, want: "https://plein.example"},
		{urls: []string{"http://[::1]:80/"}, want: "http://[::1]"},
		{urls: nil, wantErr: true},
		{urls: []string{"/relative"}, wantErr: true},
		{urls: []string{"ftp://plein.example/"}, wantErr: true},
		{urls: []string{"ws://plein.example/"}, wantErr: true},
		{urls: []string{"http://a.example/", "http://b.example/"}, wantErr: true},
		{urls: []string{"http://a.example/", "https://a.example/"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := siteOf(tt.urls)
		if tt.wantErr {
			if !errors.Is(err, ErrInvalidURL) {
				t.Errorf("siteOf(%q) error %v, want ErrInvalidURL", tt.urls, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("siteOf(%q) = %q, %v; want %q", tt.urls, got, err, tt.want)
		}
	}
}

func TestForeign(t *testing.T) {
	const site = "https://plein.example"
	tests := []struct {
		url  string
		want bool
	}{
		{"https://plein.example/style.css", false},
		{"https://PLEIN.example:443/x", false},
		{"wss://plein.example/live", false},
		{"data:image/png;base64,AAAA", false},
		{"about:blank", false},
		{"blob:https://plein.example/0b7f", false},
		{"http://plein.example/x", true},
		{"https://plein.example:8443/x", true},
		{"https://cdn.plein.example/x", true},
		{"https://fonts.example/css", true},
		{"ws://plein.example/live", true},
	}
	for _, tt := range tests {
		if got := foreign(site, tt.url); got != tt.want {
			t.Errorf("foreign(%q, %q) = %v, want %v", site, tt.url, got, tt.want)
		}
	}
}
