// Package web serves Plein over HTTP: the public pages citizens read, the
// feeds, and the media. Public responses carry no per-visitor state: they
// set no cookie, load nothing from another host, and are rendered once per
// change and served from memory.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"plein/internal/analytics"
	"plein/internal/auth"
	"plein/internal/federation"
	"plein/internal/insights"
	"plein/internal/media"
	"plein/internal/metrics"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/retention"
)

//go:embed assets
var assets embed.FS

// Deps is what the web server needs from the rest of Plein.
type Deps struct {
	Auth       *auth.Service
	Federation *federation.Service
	Orgs       *org.Service
	Posts      *post.Service
	Media      media.Store
	BaseURL    string // public URL without trailing slash
	// MediaOrigin is an extra origin images may come from (the operator's
	// CDN or object store); empty when media are served by Plein.
	MediaOrigin    string
	TrustedProxies []netip.Prefix
	// Insights counts page views and feed fetches; nil counts nothing.
	Insights *insights.Recorder
	// Analytics reads insights back for the staff screen.
	Analytics *analytics.Service
	// Retention states the retention and processing on the privacy pages.
	Retention *retention.Service
	// Metrics counts requests per route and page cache results; nil
	// counts nothing.
	Metrics *metrics.Metrics
	// Ready reports whether the node can serve: its database answers.
	// Nil: always ready.
	Ready func(ctx context.Context) error
	// ReferrerThreshold is the fewest visits for which a referrer host is
	// shown by name.
	ReferrerThreshold int
	Logger            *slog.Logger
}

// Server handles Plein's HTTP requests.
type Server struct {
	auth              *auth.Service
	federation        *federation.Service
	throttle          *auth.Throttle
	crossOrigin       *http.CrossOriginProtection
	orgs              *org.Service
	posts             *post.Service
	media             media.Store
	baseURL           string
	mediaOrigin       string
	trustedProxies    []netip.Prefix
	insights          *insights.Recorder
	analytics         *analytics.Service
	retention         *retention.Service
	referrerThreshold int
	ready             func(ctx context.Context) error
	metrics           *metrics.Metrics
	draining          atomic.Bool
	lastRead          atomic.Int64 // when a public page was last served, in Unix nanoseconds
	logger            *slog.Logger
	pages             *template.Template
	cache             *pageCache
	handler           http.Handler
}

// New returns a Server.
func New(d Deps) (*Server, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{auth: d.Auth, federation: d.Federation, throttle: auth.NewThrottle(time.Now), crossOrigin: http.NewCrossOriginProtection(),
		orgs: d.Orgs, posts: d.Posts, media: d.Media, baseURL: strings.TrimSuffix(d.BaseURL, "/"),
		mediaOrigin: d.MediaOrigin, trustedProxies: d.TrustedProxies, insights: d.Insights, analytics: d.Analytics, retention: d.Retention, referrerThreshold: d.ReferrerThreshold, ready: d.Ready, metrics: d.Metrics, logger: d.Logger, cache: newPageCache(10000)}
	var err error
	s.pages, err = template.New("").Funcs(templateFuncs).ParseFS(assets, "assets/templates/*.html")
	if err != nil {
		return nil, err
	}
	s.cache.logger, s.cache.metrics = d.Logger, d.Metrics
	s.handler = s.routes()
	return s, nil
}

// Reading reports whether public pages were served in the last second:
// background work such as signing deliveries then leaves cores to them.
func (s *Server) Reading() bool {
	return time.Now().UnixNano()-s.lastRead.Load() < int64(time.Second)
}

// Drain makes /readyz answer 503 from now on, so that a load balancer
// sends no new requests to a node that is shutting down.
func (s *Server) Drain() { s.draining.Store(true) }

// showReady answers 200 when the node can serve requests: it is not
// shutting down and its database answers within a second.
func (s *Server) showReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.logger.Warn("web: not ready", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	w.Write([]byte("ok\n"))
}

// routes is Plein's one route table.
func (s *Server) routes() http.Handler {
	static, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.showPublic)
	mux.HandleFunc("GET /privacy", s.showPublic)
	mux.HandleFunc("GET /orgs/{id}", s.showPublic)
	mux.HandleFunc("GET /orgs/{id}/{collection}", s.showPublic)
	mux.HandleFunc("GET /.well-known/webfinger", s.showWebFinger)
	mux.HandleFunc("GET /.well-known/host-meta", s.showHostMeta)
	mux.HandleFunc("GET /.well-known/nodeinfo", s.showNodeInfoLinks)
	mux.HandleFunc("GET /nodeinfo/2.1", s.showNodeInfo)
	mux.HandleFunc("GET /actor", s.showInstanceActor)
	mux.HandleFunc("POST /inbox", s.receiveInbox)
	mux.HandleFunc("POST /orgs/{id}/inbox", s.receiveInbox)
	mux.HandleFunc("GET /posts/{id}", s.showPublic)
	mux.HandleFunc("GET /posts/{id}/activity", s.showPublic)
	mux.HandleFunc("GET /media/{key...}", s.showMedia)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(http.FS(static))))
	s.staffRoutes(mux)
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.showReady)
	// The standard mux cannot match "/@{handle}", so every other path comes
	// here and showPublic parses the @ paths itself.
	mux.HandleFunc("GET /", s.showPublic)
	var h http.Handler = s.metrics.Middleware(mux) // nil metrics: mux itself
	h = limitBody(h)
	h = s.securityHeaders(h)
	h = s.logRequests(h)
	h = s.recoverPanics(h)
	return h
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Invalidate marks every rendered page stale; call it when public content
// changes, in this process or another. A stale page is served once more
// while one rebuild of it runs in the background.
func (s *Server) Invalidate() { s.cache.invalidate() }

func staticFiles(fsys http.FileSystem) http.Handler {
	files := http.FileServer(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// showMedia serves a stored image. Keys are unique per upload, so a
// response never changes; a purged image is gone.
func (s *Server) showMedia(w http.ResponseWriter, r *http.Request) {
	obj, err := s.media.Open(r.Context(), r.PathValue("key"))
	if errors.Is(err, media.ErrNotFound) || errors.Is(err, media.ErrInvalidKey) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.logger.Error("web: open media", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	defer obj.Close()
	w.Header().Set("Content-Type", obj.ContentType())
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", obj.ModTime(), obj)
}
