// Package web assembles Plein's HTTP server from its three audiences: the
// public site citizens read (package site), the staff application
// (package staff) and the ActivityPub endpoints other servers use (package
// activitypub). It holds the one route table, the page cache around every
// public route, the shared middleware and the health endpoints.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"plein/internal/accessibility"
	"plein/internal/activity"
	"plein/internal/analytics"
	"plein/internal/archive"
	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/crosspost"
	"plein/internal/fbimport"
	"plein/internal/federation"
	"plein/internal/insights"
	"plein/internal/media"
	"plein/internal/metrics"
	"plein/internal/moderation"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/retention"
	"plein/internal/subscription"
	"plein/internal/web/activitypub"
	"plein/internal/web/middleware"
	"plein/internal/web/pagecache"
	"plein/internal/web/site"
	"plein/internal/web/staff"
)

// Deps is what the web server needs from the rest of Plein.
type Deps struct {
	Auth       *auth.Service
	Federation *federation.Service
	Orgs       *org.Service
	Posts      *post.Service
	// Moderation decides on replies and says which are shown.
	Moderation *moderation.Service
	Media      media.Store
	BaseURL    string // public URL without trailing slash
	// MediaOrigin is an extra origin images may come from (the operator's
	// CDN or object store); empty when media are served by Plein.
	MediaOrigin    string
	TrustedProxies []netip.Prefix
	// Archive writes organisations' archives for the staff; nil: none.
	Archive *archive.Archiver
	// Insights counts page views and feed fetches; nil counts nothing.
	Insights *insights.Recorder
	// Analytics reads insights back for the staff screen.
	Analytics *analytics.Service
	// Retention states the retention and processing on the privacy pages.
	Retention *retention.Service
	// Subscriptions runs e-mail subscriptions; nil: none.
	Subscriptions *subscription.Service
	// Contact takes citizens' questions; nil: no contact form.
	Contact *contact.Service
	// Accessibility holds the accessibility statement; nil: no statement.
	Accessibility *accessibility.Service
	// Crosspost publishes posts to organisations' Bluesky accounts; nil:
	// no Bluesky.
	Crosspost *crosspost.Service
	// Metrics counts requests per route and page cache results; nil
	// counts nothing.
	Metrics *metrics.Metrics
	// Database reports whether the database answers. Nil: always.
	Database func(ctx context.Context) error
	// ReferrerThreshold is the fewest visits for which a referrer host is
	// shown by name.
	ReferrerThreshold int
	// FBImport imports Facebook Page exports staff upload; nil: no import
	// screen.
	FBImport *fbimport.Importer
	// ImportMaxBytes is the largest export staff may upload; 0:
	// middleware.MaxRequestBody.
	ImportMaxBytes int64
	Now            func() time.Time // nil: time.Now
	Logger         *slog.Logger
}

// Server handles Plein's HTTP requests.
type Server struct {
	site           *site.Site
	staff          *staff.App
	activityPub    *activitypub.Endpoints
	cache          *pagecache.Cache
	cached         *pagecache.Handlers
	insights       *insights.Recorder
	trustedProxies []netip.Prefix
	database       func(ctx context.Context) error
	metrics        *metrics.Metrics
	draining       atomic.Bool
	lastRead       atomic.Int64 // when a public page was last served, in Unix nanoseconds
	now            func() time.Time
	logger         *slog.Logger
	handler        http.Handler
	patterns       []string // the public and ActivityPub routes, in the order registered
}

// New returns a Server.
func New(d Deps) (*Server, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	baseURL := strings.TrimSuffix(d.BaseURL, "/")
	s := &Server{insights: d.Insights, trustedProxies: d.TrustedProxies, database: d.Database,
		metrics: d.Metrics, now: d.Now, logger: d.Logger}
	var err error
	s.site, err = site.New(site.Deps{Orgs: d.Orgs, Posts: d.Posts, Federation: d.Federation, Moderation: d.Moderation, Retention: d.Retention,
		Subscriptions: d.Subscriptions, Contact: d.Contact, Accessibility: d.Accessibility, Crosspost: d.Crosspost, TrustedProxies: d.TrustedProxies, Media: d.Media, BaseURL: baseURL, Now: d.Now, Logger: d.Logger})
	if err != nil {
		return nil, err
	}
	s.staff, err = staff.New(staff.Deps{Archive: d.Archive, Auth: d.Auth, Federation: d.Federation, Moderation: d.Moderation, Orgs: d.Orgs, Posts: d.Posts,
		Analytics: d.Analytics, Subscriptions: d.Subscriptions, Contact: d.Contact, Accessibility: d.Accessibility, Crosspost: d.Crosspost, BaseURL: baseURL, TrustedProxies: d.TrustedProxies,
		ReferrerThreshold: d.ReferrerThreshold, FBImport: d.FBImport, ImportMaxBytes: d.ImportMaxBytes, Now: d.Now, Logger: d.Logger})
	if err != nil {
		return nil, err
	}
	s.activityPub = activitypub.New(d.Federation, d.Orgs, d.Posts, baseURL, d.Logger)
	opts := pagecache.Options{Now: d.Now, Logger: d.Logger}
	if d.Metrics != nil {
		opts.Recorder = d.Metrics
	}
	s.cache = pagecache.New(opts)
	s.cached = pagecache.NewHandlers(s.cache, pagecache.HandlerOptions{Served: s.served, Unavailable: s.site.Unavailable})
	mux := http.NewServeMux()
	s.routes(mux)
	var h http.Handler = s.metrics.Middleware(mux) // nil metrics: mux itself
	h = atPaths(h)
	h = middleware.LimitBodyBy(func(r *http.Request) int64 {
		if d.ImportMaxBytes > middleware.MaxRequestBody && staff.IsImportUpload(r) {
			return d.ImportMaxBytes + 1<<20 // the export and the form around it
		}
		return middleware.MaxRequestBody
	}, h)
	h = middleware.SecurityHeaders(d.MediaOrigin, h)
	h = middleware.LogRequests(d.Logger, h)
	h = middleware.RecoverPanics(d.Logger, h)
	s.handler = h
	return s, nil
}

// routes is Plein's one route table. The readable /@handle forms reach it
// as /@/handle (see atPaths). Every public page is cached: page wraps a
// renderer for browsers, negotiated one that answers browsers with HTML and
// ActivityPub clients with JSON at the same address.
func (s *Server) routes(mux *http.ServeMux) {
	pub, ap := s.site, s.activityPub
	page := s.cached.Cached
	negotiated := func(html, activityJSON pagecache.RenderFunc) http.Handler {
		return negotiate(page(html), page(activityJSON))
	}
	handle := func(pattern string, h http.Handler) {
		s.patterns = append(s.patterns, pattern)
		mux.Handle(pattern, h)
	}
	handleFunc := func(pattern string, h http.HandlerFunc) { handle(pattern, h) }

	// The public site.
	handle("GET /{$}", page(pub.Directory))
	handle("GET /privacy", page(pub.Privacy))
	handle("GET /transparency", page(pub.Transparency))
	handle("GET /toegankelijkheid", page(pub.Accessibility))
	handle("GET /@/{handle}", negotiated(pub.Org, ap.Actor))
	handle("GET /@/{handle}/privacy", page(pub.OrgPrivacy))
	handle("GET /@/{handle}/transparency", page(pub.OrgTransparency))
	handle("GET /@/{handle}/tags/{tag}", page(pub.Tag))
	handle("GET /@/{handle}/{post}", negotiated(pub.Post, ap.Note))
	handle("GET /@/{handle}/{post}/{part}", page(pub.PostPart))
	for _, f := range site.FeedFormats {
		handle("GET /feed."+f, page(pub.InstallationFeed(f)))
		handle("GET /@/{handle}/feed."+f, page(pub.OrgFeed(f)))
		handle("GET /@/{handle}/tags/{tag}/feed."+f, page(pub.TagFeed(f)))
	}
	// Subscribing by e-mail. The pages a mail links to carry their token in
	// the query, which the access log leaves out, and are never cached.
	handle("GET /@/{handle}/subscribe", page(pub.SubscribeForm))
	handleFunc("POST /@/{handle}/subscribe", pub.Subscribe)
	handle("GET /@/{handle}/tags/{tag}/subscribe", page(pub.TagSubscribeForm))
	// The contact form: its page carries a form token with the time it was
	// shown, so it is rendered for each request, never cached.
	handleFunc("GET /@/{handle}/contact", pub.ContactForm)
	handleFunc("POST /@/{handle}/contact", pub.Contact)
	// The report form (Digital Services Act, Art. 16), about a post or,
	// with ?reply=ID, a reply shown under it; rendered for each request.
	handleFunc("GET /@/{handle}/report/{post}", pub.ReportForm)
	handleFunc("POST /@/{handle}/report/{post}", pub.Report)
	// The complaint form (Art. 20), linked from a statement of reasons
	// with a key in the query; rendered for each request.
	handleFunc("GET /@/{handle}/complaint/{statement}", pub.ComplaintForm)
	handleFunc("POST /@/{handle}/complaint/{statement}", pub.Complaint)
	handleFunc("GET /mail/confirm", pub.ShowConfirm)
	handleFunc("POST /mail/confirm", pub.Confirm)
	handleFunc("GET /mail/manage", pub.ShowManage)
	handleFunc("POST /mail/manage", pub.Manage)
	handleFunc("GET /mail/unsubscribe", pub.ShowUnsubscribe)
	handleFunc("POST /mail/unsubscribe", pub.Unsubscribe)
	handle("GET /orgs/{id}", negotiated(pub.OrgRedirect, ap.ActorByID))
	handle("GET /posts/{id}", negotiated(pub.PostRedirect, ap.NoteByID))
	handleFunc("GET /media/{key...}", pub.Media)
	handle("GET /static/", pub.Static())
	handleFunc("GET /", pub.NotFound)

	// ActivityPub.
	handle("GET /orgs/{id}/outbox", page(ap.Outbox))
	handle("GET /orgs/{id}/followers", page(ap.Followers))
	handle("GET /orgs/{id}/following", page(ap.Following))
	handle("GET /orgs/{id}/featured", page(ap.Featured))
	handle("GET /posts/{id}/activity", page(ap.Create))
	handle("GET /posts/{id}/replies", page(ap.Replies))
	handleFunc("GET /.well-known/webfinger", ap.WebFinger)
	handleFunc("GET /.well-known/host-meta", ap.HostMeta)
	handleFunc("GET /.well-known/nodeinfo", ap.NodeInfoLinks)
	handleFunc("GET /nodeinfo/2.0", ap.NodeInfo20)
	handleFunc("GET /nodeinfo/2.1", ap.NodeInfo)
	handleFunc("GET /actor", ap.InstanceActor)
	handle("GET /actor/outbox", page(ap.InstanceOutbox))
	// Direct Notes (statements of reasons and complaint outcomes), for
	// the addressee's server only: never cached.
	handleFunc("GET /statements/{id}", ap.Statement)
	handleFunc("GET /statements/{id}/{part}", ap.Statement)
	handleFunc("POST /inbox", ap.ReceiveInbox)
	handleFunc("POST /actor/inbox", ap.ReceiveInbox)
	handleFunc("POST /orgs/{id}/inbox", ap.ReceiveInbox)

	// The staff application.
	s.staff.Routes(mux)

	// Health.
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.showReady)
	mux.HandleFunc("GET /readyz/database", s.showDatabase)
}

// atPaths maps the readable addresses /@handle and /@handle/… onto the
// route table's /@/handle and /@/handle/…: ServeMux wildcards match whole
// segments only, so "/@{handle}" cannot be a pattern. A path that starts
// with /@/ already is not an organisation's address. It changes the path
// of the request it is given while next runs, as ServeMux itself sets the
// request's pattern and path values, so that serving a page from memory
// copies no request; next must not keep the request.
func atPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if !strings.HasPrefix(path, "/@") {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(path, "/@/") || path == "/@" {
			http.NotFound(w, r)
			return
		}
		rawPath := r.URL.RawPath
		r.URL.Path = "/@/" + path[2:]
		if rawPath != "" {
			r.URL.RawPath = "/@/" + rawPath[2:]
		}
		next.ServeHTTP(w, r)
		r.URL.Path, r.URL.RawPath = path, rawPath // as the client sent it, for the access log
	})
}

// Prepared Vary values of negotiated responses.
var varyAccept = []string{"Accept, Accept-Encoding"}

// negotiate answers ActivityPub clients with activityJSON and everyone else
// with html, telling caches that the answer varies on Accept.
func negotiate(html, activityJSON http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Vary"] = varyAccept
		if accept := r.Header.Get("Accept"); strings.Contains(accept, "json") && activity.IsActivityPubAccept(accept) {
			activityJSON.ServeHTTP(w, r)
			return
		}
		html.ServeHTTP(w, r)
	})
}

// served counts a public response that was sent: a view or a feed fetch.
// The visitor's address and user agent only enter the day's salted sketch
// of distinct visitors. Neither path allocates: the address is formatted
// into a buffer on the stack.
func (s *Server) served(r *http.Request, resp *pagecache.Response) {
	s.lastRead.Store(s.now().UnixNano())
	c := resp.Counted
	if c.OrgID == "" || s.insights == nil {
		return
	}
	if c.Feed {
		s.insights.FeedFetch(c.OrgID, c.Kind)
		return
	}
	if len(s.trustedProxies) > 0 {
		var buf [64]byte
		addr := middleware.ClientAddr(r, s.trustedProxies).AppendTo(buf[:0])
		s.insights.View(c.OrgID, c.PostID, string(addr), r.UserAgent(), r.Referer())
		return
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	s.insights.View(c.OrgID, c.PostID, host, r.UserAgent(), r.Referer())
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Invalidate marks every cached response outdated because public content
// reached change version v, in this process or another: the next request
// for each gets a fresh rendering.
func (s *Server) Invalidate(v int64) { s.cache.Invalidate(v) }

// ChangeVersion returns the change version the cached responses reflect:
// no response served is older than this version.
func (s *Server) ChangeVersion() int64 { return s.cache.Version() }

// Reading reports whether public pages were served in the last second:
// background work such as signing deliveries then leaves cores to them.
func (s *Server) Reading() bool {
	return s.now().UnixNano()-s.lastRead.Load() < int64(time.Second)
}

// Drain makes /readyz answer 503 from now on, so that a load balancer
// sends no new requests to a node that is shutting down.
func (s *Server) Drain() { s.draining.Store(true) }

// ClientAddr returns the address of the client of r, behind the trusted
// proxies. It is for in-memory uses; it is never logged or stored.
func (s *Server) ClientAddr(r *http.Request) netip.Addr {
	return middleware.ClientAddr(r, s.trustedProxies)
}

// showReady answers 200 while the node can serve, and 503 once it is
// shutting down. A database outage does not make a node unready: it still
// serves every page it holds, and the other nodes share its database, so
// taking them all out of the load balancer would serve nothing at all. The
// body says when the database cannot be reached; /readyz/database is the
// check to alert on.
func (s *Server) showReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.draining.Load() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	if err := s.checkDatabase(r.Context()); err != nil {
		w.Write([]byte("ok; database unreachable: serving the pages held in memory\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

// showDatabase answers 200 when the database answers within a second, 503
// otherwise: for monitoring, not for load balancers.
func (s *Server) showDatabase(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := s.checkDatabase(r.Context()); err != nil {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) checkDatabase(ctx context.Context) error {
	if s.database == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	err := s.database(ctx)
	if err != nil {
		s.logger.Warn("web: database unreachable", "err", err)
	}
	return err
}
