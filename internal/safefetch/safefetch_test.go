package safefetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"code.dny.dev/ssrf"
)

const (
	activityJSON = "application/activity+json"
	ldJSON       = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

var apAccept = []string{activityJSON, ldJSON}

// server is an httptest server that counts the requests it receives.
type server struct {
	*httptest.Server
	hits atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(s.count(h))
	t.Cleanup(s.Close)
	return s
}

// newServerOn starts a counting server on addr, skipping the test when the
// address cannot be bound.
func newServerOn(t *testing.T, addr string, h http.HandlerFunc) *server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	s := &server{}
	s.Server = httptest.NewUnstartedServer(s.count(h))
	s.Listener.Close()
	s.Listener = ln
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *server) count(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}
}

func serveJSON(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", activityJSON+"; charset=utf-8")
		io.WriteString(w, body)
	}
}

func TestAddressCheck(t *testing.T) {
	srv := newServer(t, serveJSON(`{}`))
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	localhost := fmt.Sprintf("http://localhost:%d/actor", port)

	tests := []struct {
		name         string
		allowPrivate bool
		post         bool
		url          string
		wantBlocked  bool
	}{
		{"loopback address refused by default", false, false, srv.URL + "/actor", true},
		{"loopback address allowed with private networks", true, false, srv.URL + "/actor", false},
		{"localhost by name refused by default", false, false, localhost, true},
		{"localhost by name allowed with private networks", true, false, localhost, false},
		{"post to loopback refused by default", false, true, srv.URL + "/inbox", true},
		{"post to loopback allowed with private networks", true, true, srv.URL + "/inbox", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Options{AllowPrivateNetworks: tt.allowPrivate, Timeout: 2 * time.Second})
			before := srv.hits.Load()
			var err error
			if tt.post {
				_, err = c.Post(t.Context(), tt.url, activityJSON, []byte(`{}`), nil)
			} else {
				_, _, err = c.Get(t.Context(), tt.url, apAccept, nil)
			}
			got := srv.hits.Load() - before
			if !tt.wantBlocked {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				if got != 1 {
					t.Fatalf("server got %d requests, want 1", got)
				}
				return
			}
			if !errors.Is(err, ErrBlocked) || !errors.Is(err, ssrf.ErrProhibitedIP) {
				t.Fatalf("err = %v, want ErrBlocked wrapping ssrf.ErrProhibitedIP", err)
			}
			for _, want := range []string{"127.0.0.1", "--allow-private-networks"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			if got != 0 {
				t.Fatalf("server got %d requests, want none", got)
			}
		})
	}
}

// TestRedirectToPrivate treats 127.0.0.1 as a public address and checks that
// a redirect from it to another loopback address, 127.0.0.2, is refused at
// connect time.
func TestRedirectToPrivate(t *testing.T) {
	private := newServerOn(t, "127.0.0.2:0", serveJSON(`{"secret":true}`))
	public := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/direct" {
			serveJSON(`{}`)(w, r)
			return
		}
		http.Redirect(w, r, private.URL+"/metadata", http.StatusFound)
	})
	c := newClient(Options{Timeout: 2 * time.Second},
		ssrf.WithAllowedV4Prefixes(netip.MustParsePrefix("127.0.0.1/32")))

	// The "public" server is reachable: only the redirect is refused.
	if _, _, err := c.Get(t.Context(), public.URL+"/direct", apAccept, nil); err != nil {
		t.Fatalf("direct fetch of the public server: %v", err)
	}
	_, _, err := c.Get(t.Context(), public.URL+"/actor", apAccept, nil)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("err = %v, want ErrBlocked", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.2") {
		t.Errorf("error %q does not name the refused address", err)
	}
	if got := public.hits.Load(); got != 2 {
		t.Errorf("public server got %d requests, want 2", got)
	}
	if got := private.hits.Load(); got != 0 {
		t.Errorf("private server got %d requests, want none", got)
	}
}

func TestControl(t *testing.T) {
	check := control()
	tests := []struct {
		network, address string
		wantBlocked      bool
	}{
		{"tcp4", "127.0.0.1:443", true},
		{"tcp4", "127.0.0.2:80", true},
		{"tcp4", "10.0.0.1:443", true},
		{"tcp4", "172.16.0.1:443", true},
		{"tcp4", "192.168.1.1:443", true},
		{"tcp4", "169.254.169.254:80", true},
		{"tcp4", "100.64.0.1:443", true},
		{"tcp4", "0.0.0.0:443", true},
		{"tcp6", "[::1]:443", true},
		{"tcp6", "[fc00::1]:443", true},
		{"tcp6", "[fe80::1]:443", true},
		{"tcp6", "[::ffff:127.0.0.1]:443", true},
		{"tcp6", "[::ffff:10.0.0.1]:443", true},
		{"tcp4", "93.184.216.34:443", false},
		{"tcp4", "93.184.216.34:80", false},
		{"tcp4", "93.184.216.34:8443", false},
		{"tcp6", "[2606:2800:220:1::1]:443", false},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			err := check(tt.network, tt.address, nil)
			if !tt.wantBlocked {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrBlocked) || !errors.Is(err, ssrf.ErrProhibitedIP) {
				t.Fatalf("err = %v, want ErrBlocked wrapping ssrf.ErrProhibitedIP", err)
			}
			if !strings.Contains(err.Error(), tt.address) {
				t.Errorf("error %q does not name %s", err, tt.address)
			}
		})
	}
}

func TestGet(t *testing.T) {
	const limit = 64
	tests := []struct {
		name     string
		opts     Options
		handler  http.HandlerFunc
		accept   []string
		wantErr  error
		wantBody string
		wantHits int64
	}{
		{
			name:     "activity+json with parameters",
			handler:  serveJSON(`{"type":"Person"}`),
			accept:   apAccept,
			wantBody: `{"type":"Person"}`,
			wantHits: 1,
		},
		{
			name: "ld+json with profile",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", ldJSON)
				io.WriteString(w, `{}`)
			},
			accept:   apAccept,
			wantBody: `{}`,
			wantHits: 1,
		},
		{
			name: "media type matched case-insensitively",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "Application/Activity+JSON")
				io.WriteString(w, `{}`)
			},
			accept:   apAccept,
			wantBody: `{}`,
			wantHits: 1,
		},
		{
			name: "empty accept takes any type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				io.WriteString(w, "hello")
			},
			wantBody: "hello",
			wantHits: 1,
		},
		{
			name: "wrong content type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, "<html></html>")
			},
			accept:   apAccept,
			wantErr:  ErrContentType,
			wantHits: 1,
		},
		{
			name: "missing content type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil // no sniffing
				io.WriteString(w, `{}`)
			},
			accept:   apAccept,
			wantErr:  ErrContentType,
			wantHits: 1,
		},
		{
			name:     "body exactly at the limit",
			opts:     Options{MaxBodyBytes: limit},
			handler:  serveJSON(strings.Repeat("a", limit)),
			accept:   apAccept,
			wantBody: strings.Repeat("a", limit),
			wantHits: 1,
		},
		{
			name:     "body over the limit with Content-Length",
			opts:     Options{MaxBodyBytes: limit},
			handler:  serveJSON(strings.Repeat("a", limit+1)),
			accept:   apAccept,
			wantErr:  ErrTooLarge,
			wantHits: 1,
		},
		{
			name: "body over the limit, chunked",
			opts: Options{MaxBodyBytes: limit},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", activityJSON)
				for range 10 {
					io.WriteString(w, strings.Repeat("a", limit/4))
					w.(http.Flusher).Flush()
				}
			},
			accept:   apAccept,
			wantErr:  ErrTooLarge,
			wantHits: 1,
		},
		{
			name:     "not found",
			handler:  http.NotFound,
			accept:   apAccept,
			wantErr:  ErrStatus,
			wantHits: 1,
		},
		{
			name: "redirects up to the limit are followed",
			opts: Options{MaxRedirects: 2},
			handler: func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/0":
					http.Redirect(w, r, "/1", http.StatusFound)
				case "/1":
					http.Redirect(w, r, "/2", http.StatusMovedPermanently)
				default:
					serveJSON(`{"at":2}`)(w, r)
				}
			},
			accept:   apAccept,
			wantBody: `{"at":2}`,
			wantHits: 3,
		},
		{
			name: "too many redirects",
			opts: Options{MaxRedirects: 2},
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
			},
			accept:   apAccept,
			wantErr:  ErrTooManyRedirects,
			wantHits: 3,
		},
		{
			name: "negative MaxRedirects follows none",
			opts: Options{MaxRedirects: -1},
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/elsewhere", http.StatusFound)
			},
			accept:   apAccept,
			wantErr:  ErrTooManyRedirects,
			wantHits: 1,
		},
		{
			name: "redirect to ftp",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "ftp://example.org/actor", http.StatusFound)
			},
			accept:   apAccept,
			wantErr:  ErrScheme,
			wantHits: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var accepts, agents []string
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				accepts = append(accepts, r.Header.Get("Accept"))
				agents = append(agents, r.Header.Get("User-Agent"))
				mu.Unlock()
				tt.handler(w, r)
			})
			opts := tt.opts
			opts.AllowPrivateNetworks = true
			opts.Timeout = 2 * time.Second
			opts.UserAgent = "Plein/test"
			c := New(opts)

			body, header, err := c.Get(t.Context(), srv.URL+"/0", tt.accept, nil)
			if got := srv.hits.Load(); got != tt.wantHits {
				t.Errorf("server got %d requests, want %d", got, tt.wantHits)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if body != nil || header != nil {
					t.Errorf("got body %q and header %v with an error", body, header)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if string(body) != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
			if header.Get("Content-Type") == "" {
				t.Errorf("response header not returned: %v", header)
			}
			wantAccept := strings.Join(tt.accept, ", ")
			for i := range accepts {
				if accepts[i] != wantAccept {
					t.Errorf("request %d: Accept = %q, want %q", i, accepts[i], wantAccept)
				}
				if agents[i] != "Plein/test" {
					t.Errorf("request %d: User-Agent = %q", i, agents[i])
				}
			}
		})
	}
}

func TestScheme(t *testing.T) {
	c := New(Options{AllowPrivateNetworks: true, Timeout: time.Second})
	for _, u := range []string{
		"ftp://example.org/actor",
		"file:///etc/passwd",
		"gopher://example.org/",
		"example.org/actor",
		"http:///actor",
	} {
		t.Run(u, func(t *testing.T) {
			if _, _, err := c.Get(t.Context(), u, apAccept, nil); !errors.Is(err, ErrScheme) {
				t.Errorf("Get: err = %v, want ErrScheme", err)
			}
			if _, err := c.Post(t.Context(), u, activityJSON, nil, nil); !errors.Is(err, ErrScheme) {
				t.Errorf("Post: err = %v, want ErrScheme", err)
			}
		})
	}
}

func TestSignEveryHop(t *testing.T) {
	type seen struct{ path, signed, first string }
	var mu sync.Mutex
	var requests []seen
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, seen{r.URL.Path, r.Header.Get("X-Signed-Path"), r.Header.Get("X-First-Hop")})
		mu.Unlock()
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/c", http.StatusTemporaryRedirect)
		default:
			serveJSON(`{}`)(w, r)
		}
	})
	c := New(Options{AllowPrivateNetworks: true, Timeout: 2 * time.Second})

	var calls int
	sign := func(r *http.Request) error {
		calls++
		r.Header.Set("X-Signed-Path", r.URL.Path)
		if calls == 1 {
			r.Header.Set("X-First-Hop", "yes")
		}
		return nil
	}
	if _, _, err := c.Get(t.Context(), srv.URL+"/a", apAccept, sign); err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Errorf("sign called %d times, want 3", calls)
	}
	want := []seen{{"/a", "/a", "yes"}, {"/b", "/b", ""}, {"/c", "/c", ""}}
	if fmt.Sprint(requests) != fmt.Sprint(want) {
		t.Errorf("requests = %v, want %v", requests, want)
	}

	t.Run("sign error stops the request", func(t *testing.T) {
		before := srv.hits.Load()
		errSign := errors.New("no key")
		failing := func(*http.Request) error { return errSign }
		if _, _, err := c.Get(t.Context(), srv.URL+"/c", apAccept, failing); !errors.Is(err, errSign) {
			t.Errorf("Get: err = %v, want %v", err, errSign)
		}
		if _, err := c.Post(t.Context(), srv.URL+"/c", activityJSON, nil, failing); !errors.Is(err, errSign) {
			t.Errorf("Post: err = %v, want %v", err, errSign)
		}
		if got := srv.hits.Load() - before; got != 0 {
			t.Errorf("server got %d requests, want none", got)
		}
	})
}

func TestPost(t *testing.T) {
	type received struct{ method, contentType, signature, body string }
	tests := []struct {
		name       string
		status     int
		location   string
		wantStatus int
	}{
		{"accepted", http.StatusAccepted, "", http.StatusAccepted},
		{"server error is a status, not an error", http.StatusInternalServerError, "", http.StatusInternalServerError},
		{"redirect is not followed", http.StatusFound, "/elsewhere", http.StatusFound},
		{"permanent redirect is not followed", http.StatusPermanentRedirect, "/elsewhere", http.StatusPermanentRedirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []received
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = append(got, received{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Signature"), string(b)})
				if tt.location != "" {
					w.Header().Set("Location", tt.location)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, "response body")
			})
			c := New(Options{AllowPrivateNetworks: true, Timeout: 2 * time.Second})
			sign := func(r *http.Request) error {
				r.Header.Set("Signature", "sig")
				return nil
			}
			status, err := c.Post(t.Context(), srv.URL+"/inbox", activityJSON, []byte(`{"type":"Create"}`), sign)
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			want := []received{{http.MethodPost, activityJSON, "sig", `{"type":"Create"}`}}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("server received %v, want %v", got, want)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	const timeout = 100 * time.Millisecond
	hang := func(r *http.Request) {
		// Reading the body lets the server notice the client going away.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	tests := []struct {
		name    string
		post    bool
		handler http.HandlerFunc
	}{
		{"get, no headers", false, func(w http.ResponseWriter, r *http.Request) { hang(r) }},
		{"get, body never ends", false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", activityJSON)
			io.WriteString(w, "{")
			w.(http.Flusher).Flush()
			hang(r)
		}},
		{"post, no headers", true, func(w http.ResponseWriter, r *http.Request) { hang(r) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.handler)
			c := New(Options{AllowPrivateNetworks: true, Timeout: timeout})
			start := time.Now()
			var err error
			if tt.post {
				_, err = c.Post(t.Context(), srv.URL, activityJSON, []byte(`{}`), nil)
			} else {
				_, _, err = c.Get(t.Context(), srv.URL, apAccept, nil)
			}
			elapsed := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want a deadline error", err)
			}
			if elapsed > 2*time.Second {
				t.Errorf("took %v with a timeout of %v", elapsed, timeout)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := newServer(t, serveJSON(`{}`))
	c := New(Options{AllowPrivateNetworks: true, Timeout: 2 * time.Second})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, _, err := c.Get(t.Context(), srv.URL, apAccept, func(r *http.Request) error {
				r.Header.Set("Signature", "sig")
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := srv.hits.Load(); got != 20 {
		t.Errorf("server got %d requests, want 20", got)
	}
}

func TestTransport(t *testing.T) {
	c := New(Options{})
	hc := c.HTTPClient()
	tr, ok := hc.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T", hc.Transport)
	}
	if tr.Proxy != nil {
		t.Error("transport takes a proxy, which would bypass the address check")
	}
	if !tr.ForceAttemptHTTP2 {
		t.Error("HTTP/2 not attempted")
	}
	if tr.MaxIdleConnsPerHost != maxIdleConnsPerHost {
		t.Errorf("MaxIdleConnsPerHost = %d", tr.MaxIdleConnsPerHost)
	}
	if hc.Timeout != DefaultTimeout || tr.ResponseHeaderTimeout != DefaultTimeout {
		t.Errorf("timeouts = %v, %v, want %v", hc.Timeout, tr.ResponseHeaderTimeout, DefaultTimeout)
	}
	if c.maxBody != DefaultMaxBodyBytes || c.maxRedirects != DefaultMaxRedirects || c.userAgent != DefaultUserAgent {
		t.Errorf("defaults not applied: %+v", c)
	}
}
