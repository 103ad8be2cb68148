// Package site serves the public web site citizens read: the directory of
// organisations, each organisation's page, its posts and their history,
// hashtag pages, privacy pages, the feeds and the media. Every page depends
// only on its route and the lang and before parameters, never on the
// visitor, so each is rendered once per change and served from memory by
// pagecache. No page carries a script, a cookie or a request to another
// host.
package site

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"plein/internal/accessibility"
	"plein/internal/contact"
	"plein/internal/crosspost"
	"plein/internal/federation"
	"plein/internal/i18n"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/retention"
	"plein/internal/subscription"
	"plein/internal/web/middleware"
	"plein/internal/web/pagecache"
)

//go:embed assets
var assets embed.FS

// PageSize is the number of posts on one page of an organisation.
const PageSize = 20

// feedSize is the number of posts in a feed.
const feedSize = 20

// Deps is what the public site needs from the rest of Plein.
type Deps struct {
	Orgs       *org.Service
	Posts      *post.Service
	Federation *federation.Service
	// Moderation says which replies are shown under posts; nil: none.
	Moderation *moderation.Service
	// Retention states the retention and processing on the privacy pages;
	// nil: no privacy pages.
	Retention *retention.Service
	// Subscriptions runs e-mail subscriptions; nil or not Enabled: the
	// pages say no e-mail is sent.
	Subscriptions *subscription.Service
	// Contact takes citizens' questions; nil: the contact form answers 404.
	Contact *contact.Service
	// Accessibility holds the accessibility statement; nil: no statement
	// page.
	Accessibility *accessibility.Service
	// Crosspost names organisations' Bluesky accounts; nil: none shown.
	Crosspost *crosspost.Service
	// TrustedProxies are the proxies whose X-Forwarded-For is believed,
	// for the per-client limit on the subscribe form.
	TrustedProxies []netip.Prefix
	Media          media.Store
	BaseURL        string           // public URL without trailing slash
	Now            func() time.Time // nil: time.Now
	Logger         *slog.Logger
}

// Site renders the public pages and feeds.
type Site struct {
	orgs         *org.Service
	posts        *post.Service
	federation   *federation.Service
	moderation   *moderation.Service
	retention    *retention.Service
	subs         *subscription.Service
	throttle     *formLimiter // subscribe forms per client address, in memory
	contact      *contact.Service
	a11y         *accessibility.Service
	crosspost    *crosspost.Service
	contactLimit *formLimiter // contact forms per client address, in memory
	reportLimit  *formLimiter // report forms per client address, in memory
	proxies      []netip.Prefix
	media        media.Store
	baseURL      string
	host         string // of baseURL: the domain of Fediverse addresses
	logger       *slog.Logger
	pages        *template.Template
}

// New returns the public site.
func New(d Deps) (*Site, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Site{orgs: d.Orgs, posts: d.Posts, federation: d.Federation, moderation: d.Moderation, retention: d.Retention, media: d.Media,
		subs: d.Subscriptions, throttle: newSubscribeThrottle(d.Now), proxies: d.TrustedProxies,
		contact: d.Contact, a11y: d.Accessibility, crosspost: d.Crosspost, contactLimit: newContactThrottle(d.Now), reportLimit: newContactThrottle(d.Now),
		baseURL: strings.TrimSuffix(d.BaseURL, "/"), logger: d.Logger}
	if u, err := url.Parse(s.baseURL); err == nil {
		s.host = u.Host
	}
	var err error
	s.pages, err = template.New("").Funcs(templateFuncs).ParseFS(assets, "assets/templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("site: templates: %w", err)
	}
	return s, nil
}

// Static serves the site's stylesheet and other fixed files under
// /static/.
func (s *Site) Static() http.Handler {
	return middleware.StaticFiles(assets, "assets/static", "/static/")
}

// Media serves a stored image. Keys are unique per upload, so a response
// never changes; a purged image is gone.
func (s *Site) Media(w http.ResponseWriter, r *http.Request) {
	obj, err := s.media.Open(r.Context(), r.PathValue("key"))
	if errors.Is(err, media.ErrNotFound) || errors.Is(err, media.ErrInvalidKey) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.logger.Error("site: open media", "err", err)
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	defer obj.Close()
	w.Header().Set("Content-Type", obj.ContentType())
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", obj.ModTime(), obj)
}

// NotFound answers a path no route matches with the 404 page.
func (s *Site) NotFound(w http.ResponseWriter, r *http.Request) {
	lang := ""
	if l := r.URL.Query().Get("lang"); l == "nl" || l == "en" {
		lang = l
	}
	s.errorPage(http.StatusNotFound, i18n.Pick(lang, "")).Write(w, r)
}

// Unavailable is the page for a request whose page was never rendered and
// cannot be now, because the database cannot be reached: 503 with
// Retry-After.
func (s *Site) Unavailable(req pagecache.Request) *pagecache.Response {
	resp := s.errorPage(http.StatusServiceUnavailable, i18n.Pick(req.Lang, ""))
	resp.SetRetryAfter(pagecache.UnavailableRetry)
	return resp
}

// orgOf resolves the {handle} of req: the organisation and the language of
// its pages, or the response to send instead (404, or a redirect from a
// former handle or another spelling to the current one, rest appended).
func (s *Site) orgOf(ctx context.Context, req pagecache.Request, rest string) (*model.Org, string, *pagecache.Response, error) {
	handle := req.PathValue("handle")
	o, former, err := s.orgs.Resolve(ctx, handle)
	if errors.Is(err, org.ErrUnknownHandle) {
		return nil, "", s.errorPage(http.StatusNotFound, i18n.Pick(req.Lang, "")), nil
	}
	if err != nil {
		return nil, "", nil, err
	}
	if former || handle != o.Handle {
		return nil, "", pagecache.Redirect(http.StatusMovedPermanently, withQuery("/@"+o.Handle+rest, req.Lang, req.Before)), nil
	}
	return o, i18n.Pick(req.Lang, o.Language), nil, nil
}

// postOf resolves the {post} of req in o: a published or deleted post, or
// the 404 page.
func (s *Site) postOf(ctx context.Context, o *model.Org, id, lang string) (*model.Post, *pagecache.Response, error) {
	if !model.ValidID(id) {
		return nil, s.errorPage(http.StatusNotFound, lang), nil
	}
	p, err := s.posts.Get(ctx, id)
	if errors.Is(err, post.ErrNotFound) || err == nil && (p.OrgID != o.ID || !visible(p)) {
		return nil, s.errorPage(http.StatusNotFound, lang), nil
	}
	if err != nil {
		return nil, nil, err
	}
	return p, nil, nil
}

// visible reports whether a post's page exists publicly: published, or
// deleted (which answers 410 Gone). Drafts and scheduled posts do not exist
// for the public.
func visible(p *model.Post) bool {
	return p.State == model.StatePublished || p.State == model.StateDeleted
}

// withQuery adds the lang and before parameters, when set, to path.
func withQuery(path, lang, before string) string {
	q := url.Values{}
	if lang != "" {
		q.Set("lang", lang)
	}
	if before != "" {
		q.Set("before", before)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// withLang keeps the language a visitor chose (lang, empty when none) on a
// link.
func withLang(path, lang string) string { return withQuery(path, lang, "") }

func (s *Site) abs(path string) string { return s.baseURL + path }

// page renders the template name with v.
func (s *Site) page(lang string, status int, v *pageView, name string) (*pagecache.Response, error) {
	v.Lang, v.Status = lang, status
	v.SwitchLang = otherLang(lang)
	if v.PrivacyURL == "" {
		v.PrivacyURL = withLang("/privacy", v.Chosen)
	}
	v.HomeURL = withLang("/", v.Chosen)
	if s.a11y != nil {
		v.StatementURL = withLang(statementPath, v.Chosen)
	}
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, v); err != nil {
		return nil, fmt.Errorf("site: template %s: %w", name, err)
	}
	return pagecache.NewResponse(status, "text/html; charset=utf-8", b.Bytes()), nil
}

// countedPage renders a page and marks it as a view of an organisation
// (postID empty) or one of its posts.
func (s *Site) countedPage(lang string, v *pageView, name, orgID, postID string) (*pagecache.Response, error) {
	resp, err := s.page(lang, http.StatusOK, v, name)
	if err == nil {
		resp.Counted = pagecache.Counted{OrgID: orgID, PostID: postID}
	}
	return resp, err
}

func (s *Site) errorPage(status int, lang string) *pagecache.Response {
	key := "notfound"
	if status >= 500 {
		key = "error"
	}
	if status == http.StatusServiceUnavailable {
		key = "unavailable"
	}
	v := &pageView{Title: i18n.T(lang, key+".title"), Description: i18n.T(lang, key+".body")}
	r, err := s.page(lang, status, v, "error.html")
	if err != nil {
		s.logger.Error("site: error page", "err", err)
		return pagecache.NewResponse(status, "text/plain; charset=utf-8", []byte(http.StatusText(status)+"\n"))
	}
	return r
}

func otherLang(lang string) string {
	if lang == "en" {
		return "nl"
	}
	return "en"
}

var templateFuncs = template.FuncMap{
	"t": func(lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
	"feedsSentence": func(lang string, f *feedLinks) template.HTML {
		a := func(href, label string) string {
			return `<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(label) + `</a>`
		}
		return template.HTML(i18n.T(lang, "org.feeds", a(f.Atom, "Atom"), a(f.RSS, "RSS"), a(f.JSON, "JSON Feed")))
	},
}

// notFoundOr returns the 404 page when err says an organisation or post
// does not exist, and err otherwise.
func (s *Site) notFoundOr(err error, lang string) (*pagecache.Response, error) {
	if errors.Is(err, org.ErrUnknownHandle) || errors.Is(err, post.ErrNotFound) {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	return nil, err
}
