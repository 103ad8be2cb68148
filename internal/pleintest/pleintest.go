// Package pleintest assembles a real Plein for tests in one call: a store on
// either engine, the services, and the web server listening on loopback.
package pleintest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/server"
	"plein/internal/store/storetest"
	"plein/internal/web"
)

// Server is a running Plein on loopback.
type Server struct {
	URL  string // base URL, e.g. http://127.0.0.1:41234
	App  *server.App
	Web  *web.Server // the web server serving URL
	Dir  string      // data folder
	Conf config.Config
	// Mail keeps the e-mail the server sends, unless Options.Mail named
	// another sender or Options.SMTP a relay.
	Mail *MailSink
	// SMTP is Options.SMTP, the SMTP server the server's relay sends to.
	SMTP *SMTPSink

	now    func() time.Time // the clock of App and of every app Open returns
	sender mail.Sender
	log    io.Writer
}

// Options are the optional settings of NewServerWith; the zero value starts
// Plein as NewServer does.
type Options struct {
	// Now is the clock every service reads, in the server and in the apps
	// Server.Open returns; nil: time.Now. (*Clock).Now fits.
	Now func() time.Time
	// Configure changes the configuration before the start.
	Configure []func(*config.Config)
	// Mail sends the server's e-mail; nil: a new MailSink (Server.Mail).
	Mail mail.Sender
	// SMTP, when set, has the server send its e-mail through Plein's own
	// relay client to this sink, configured as an operator does (see
	// SMTPFrom and DKIMLookup), instead of to a MailSink; Server.Mail is
	// then nil. Configure may change the mail settings further; Mail,
	// when also set, is used instead of the relay.
	SMTP *SMTPSink
	// Log, when set, receives the server's whole log, debug lines too.
	Log io.Writer
}

// NewServer starts Plein on engine with an empty database and stops it when
// the test ends. Federation may reach loopback (the test Fediverse runs
// there); configure changes the configuration before the start.
func NewServer(t testing.TB, engine storetest.Engine, configure ...func(*config.Config)) *Server {
	t.Helper()
	return NewServerWith(t, engine, Options{Configure: configure})
}

// NewServerWith is NewServer with options, such as a clock of the test's
// own.
func NewServerWith(t testing.TB, engine storetest.Engine, opts Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), Dir: t.TempDir(), now: opts.Now, sender: opts.Mail, log: opts.Log}
	if s.sender == nil && opts.SMTP == nil {
		s.Mail = NewMailSink()
		s.sender = s.Mail
	}
	s.Conf = config.Config{Addr: ln.Addr().String(), BaseURL: s.URL, DataDir: s.Dir,
		TrustedProxies:       []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		AllowPrivateNetworks: true}
	if opts.SMTP != nil {
		s.SMTP = opts.SMTP
		s.Conf.Mail = relayTo(t, opts.SMTP)
	}
	if engine.Name == "postgres" {
		s.Conf.Database = engine.NewDatabase(t)
	} else {
		storetest.WriteSQLiteDatabase(t, s.Conf.SQLitePath())
	}
	for _, c := range opts.Configure {
		c(&s.Conf)
	}
	s.App = s.open(t, true)
	if s.Web, err = s.App.Handler(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.ServeSite(ctx, s.App, s.Web, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("server did not stop within 20s")
		}
	})
	return s
}

// Open opens another App on the same data, as another process or node
// would; it reads the server's clock and is closed when the test ends.
// Its warnings and errors are shown when the test fails. configure changes
// a copy of the server's configuration first.
func (s *Server) Open(t testing.TB, configure ...func(*config.Config)) *server.App {
	t.Helper()
	return s.open(t, false, configure...)
}

// open is Open; create lets it make the database.
func (s *Server) open(t testing.TB, create bool, configure ...func(*config.Config)) *server.App {
	t.Helper()
	cfg := s.Conf
	for _, c := range configure {
		c(&cfg)
	}
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() && logs.Len() > 0 {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	var handler slog.Handler = slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn})
	if s.log != nil {
		handler = teeHandler{handler, slog.NewTextHandler(s.log, &slog.HandlerOptions{Level: slog.LevelDebug})}
	}
	app, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(handler), Now: s.now, Mail: s.sender, Create: create})
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { app.Close() })
	return app
}

// Org creates an organisation with handle.
func (s *Server) Org(t testing.TB, handle string) *model.Org {
	t.Helper()
	o, err := s.App.Orgs.Create(context.Background(), auth.Operator(), handle, org.Profile{
		DisplayName: "Gemeente " + handle, Description: "Nieuws van de gemeente.", Language: "nl"})
	if err != nil {
		t.Fatalf("create org %s: %v", handle, err)
	}
	return o
}

// Post publishes a post with text in the organisation now.
func (s *Server) Post(t testing.TB, o *model.Org, text string) *model.Post {
	t.Helper()
	p, err := s.App.Posts.Create(context.Background(), auth.Operator(), o.ID, post.Input{Text: text}, post.When{})
	if err != nil {
		t.Fatalf("create post: %v", err)
	}
	return p
}

// WaitFresh waits until the server has seen every change stored so far,
// made by any process: no page it serves is then older than those
// changes, and the next request for a page it holds from before them
// renders that page afresh.
func (s *Server) WaitFresh(t testing.TB) {
	t.Helper()
	Eventually(t, 10*time.Second, func() error {
		want, err := s.App.Store.ChangeVersion(context.Background())
		if err != nil {
			return fmt.Errorf("reading the change version: %w", err)
		}
		if got := s.Web.ChangeVersion(); got < want {
			return fmt.Errorf("the server has seen change version %d, the store is at %d", got, want)
		}
		return nil
	})
}

// Get fetches path and returns the response with its body read.
func (s *Server) Get(t testing.TB, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, body
}

var noRedirect = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     &http.Transport{DisableCompression: true},
}

// Eventually calls check until it returns nil or within passes, failing
// the test with check's last error otherwise.
func Eventually(t testing.TB, within time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %v", within, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// ErrNotYet is a convenient error for Eventually checks.
var ErrNotYet = errors.New("not yet")

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// teeHandler hands each record to two handlers.
type teeHandler struct{ a, b slog.Handler }

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.a.Enabled(ctx, l) || h.b.Enabled(ctx, l)
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, x := range []slog.Handler{h.a, h.b} {
		if x.Enabled(ctx, r.Level) {
			errs = append(errs, x.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (h teeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return teeHandler{h.a.WithAttrs(attrs), h.b.WithAttrs(attrs)}
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{h.a.WithGroup(name), h.b.WithGroup(name)}
}
