// Package staff is the staff application at /staff/: logging in, writing,
// previewing, scheduling and publishing posts, the organisation's profile
// and members, the audit log, insights and the instance administration.
// It works without JavaScript; every change goes through the same domain
// services as the command line. Its session cookie exists only under
// /staff.
package staff

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"plein/internal/accessibility"
	"plein/internal/analytics"
	"plein/internal/archive"
	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/crosspost"
	"plein/internal/fbimport"
	"plein/internal/federation"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/subscription"
	"plein/internal/web/middleware"
)

// Staff cookies. Both are limited to the staff paths, so a visitor of the
// public pages never receives or sends one.
const (
	sessionCookie = "plein_staff"
	loginCookie   = "plein_login" // double-submit token of the log-in form
	// deviceCookie holds the device token of the account that last logged
	// in with this browser; it is sent to the log-in form only.
	deviceCookie = "plein_device"
	loginPath    = "/staff/login"
	staffPath    = "/staff"
)

// staffCSP allows Plein's own script (the live preview) on staff screens;
// public pages allow none.
const staffCSP = "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// maxFormBody limits forms without uploads; maxUploadBody forms with up to
// four images.
const (
	maxFormBody   = 1 << 20
	maxUploadBody = 45 << 20
)

// staffRequest is what a staff handler knows about who is asking.
type staffRequest struct {
	login *auth.Login
	lang  string
	orgs  []*orgChoice
	inbox bool       // the actor may read org's inbox of questions
	org   *model.Org // the organisation the URL names, if any
	role  model.Role // the actor's role in org; empty when not a member
	// approval: org requires approval before publication.
	approval bool
}

type orgChoice struct {
	Handle, Name string
	Role         model.Role
	Current      bool
}

func (sr *staffRequest) actor() auth.Actor { return sr.login.Actor }

// can reports whether the actor has p in the current organisation.
func (sr *staffRequest) can(p auth.Permission) bool {
	if sr.org == nil {
		return false
	}
	if sr.login.Actor.IsAdmin && p == auth.PermManage {
		return true
	}
	return sr.role != "" && auth.Allows(sr.role, p)
}

// staffView is the data of every staff screen; each screen fills the
// fields it uses.
type staffView struct {
	Lang, Title, CSRF string
	User              *model.User
	IsAdmin           bool
	Orgs              []*orgChoice
	Org               *model.Org
	OrgPath           string // /staff/orgs/{handle}
	CanPublish        bool
	CanManage         bool
	CanReadInsights   bool
	CanReadInbox      bool
	CanModerate       bool
	CanApprove        bool
	CanSeeSubscribers bool
	Flash             string
	FormError         string
	Errors            map[string]string
	Section           string // nav item to mark current
	Data              any
}

//go:embed assets
var assets embed.FS

// Deps is what the staff application needs from the rest of Plein.
type Deps struct {
	Auth       *auth.Service
	Federation *federation.Service
	// Moderation decides on replies.
	Moderation *moderation.Service
	Orgs       *org.Service
	Posts      *post.Service
	Analytics  *analytics.Service
	// Subscriptions runs e-mail subscriptions; nil: none.
	Subscriptions *subscription.Service
	// Contact holds citizens' questions; nil: no inbox.
	Contact *contact.Service
	// Archive writes organisations' public-records archives; nil: none.
	Archive *archive.Archiver
	// Accessibility holds the accessibility statement; nil: no screen.
	Accessibility *accessibility.Service
	// Crosspost publishes posts to Bluesky; nil: no Bluesky.
	Crosspost *crosspost.Service
	BaseURL   string // public URL without trailing slash
	// TrustedProxies are the proxies whose X-Forwarded-For is believed,
	// for the per-address limit on failed log-ins.
	TrustedProxies []netip.Prefix
	// ReferrerThreshold is the fewest visits for which a referrer host is
	// shown by name.
	ReferrerThreshold int
	// FBImport imports Facebook Page exports; nil: no import screen.
	FBImport *fbimport.Importer
	// ImportMaxBytes is the largest export staff may upload; 0:
	// maxUploadBody.
	ImportMaxBytes int64
	Now            func() time.Time // nil: time.Now
	Logger         *slog.Logger
}

// App is the staff application.
type App struct {
	auth              *auth.Service
	federation        *federation.Service
	moderation        *moderation.Service
	orgs              *org.Service
	posts             *post.Service
	analytics         *analytics.Service
	subscriptions     *subscription.Service
	archive           *archive.Archiver
	contact           *contact.Service
	a11y              *accessibility.Service
	crosspost         *crosspost.Service
	crossOrigin       *http.CrossOriginProtection
	baseURL           string
	trustedProxies    []netip.Prefix
	referrerThreshold int
	fbimport          *fbimport.Importer
	importMax         int64
	now               func() time.Time
	logger            *slog.Logger
	pages             *template.Template
}

// New returns the staff application.
func New(d Deps) (*App, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &App{auth: d.Auth, federation: d.Federation, moderation: d.Moderation, orgs: d.Orgs, posts: d.Posts, analytics: d.Analytics, subscriptions: d.Subscriptions, archive: d.Archive,
		contact: d.Contact, a11y: d.Accessibility, crosspost: d.Crosspost, crossOrigin: http.NewCrossOriginProtection(), baseURL: strings.TrimSuffix(d.BaseURL, "/"),
		trustedProxies: d.TrustedProxies, referrerThreshold: d.ReferrerThreshold, logger: d.Logger, now: d.Now,
		fbimport: d.FBImport, importMax: d.ImportMaxBytes}
	if s.importMax <= 0 {
		s.importMax = maxUploadBody
	}
	var err error
	s.pages, err = template.New("").Funcs(templateFuncs).ParseFS(assets, "assets/templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("staff: templates: %w", err)
	}
	return s, nil
}

var templateFuncs = template.FuncMap{
	"auditView": func(lang string, rows []auditRow) any {
		return struct {
			Lang string
			Data []auditRow
		}{lang, rows}
	},
	"t":            func(lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
	"sessionsView": sessionsView,
	"subscriberTable": func(lang, orgPath, csrf, caption string, rows []subscriberRow) any {
		return struct {
			Lang, OrgPath, CSRF, Caption string
			Rows                         []subscriberRow
		}{lang, orgPath, csrf, caption, rows}
	},
}

// Routes registers the staff application's routes on mux, each under
// /staff/.
func (s *App) Routes(mux *http.ServeMux) {
	mux.Handle("GET /staff/static/", s.static())
	mux.HandleFunc("GET /staff/login", s.showLogin)
	mux.HandleFunc("POST /staff/login", s.submitLogin)
	mux.Handle("POST /staff/logout", s.staff(s.submitLogout))
	mux.Handle("GET /staff/{$}", s.staff(s.showStaffHome))
	mux.Handle("GET /staff/switch", s.staff(s.switchOrg))
	mux.Handle("POST /staff/lang", s.staff(s.submitLang))
	mux.Handle("GET /staff/password", s.staff(s.showPassword))
	mux.Handle("POST /staff/password", s.staff(s.submitPassword))
	mux.Handle("POST /staff/preview", s.staff(s.submitPreview))
	mux.Handle("GET /staff/orgs/{org}/posts", s.staffOrg(s.showPostList))
	mux.Handle("GET /staff/orgs/{org}/compose", s.staffOrg(s.showCompose))
	mux.Handle("POST /staff/orgs/{org}/compose", s.staffOrg(s.submitCompose))
	mux.Handle("GET /staff/orgs/{org}/posts/{id}", s.staffOrg(s.showEdit))
	mux.Handle("POST /staff/orgs/{org}/posts/{id}", s.staffOrg(s.submitEdit))
	mux.Handle("POST /staff/orgs/{org}/posts/{id}/{action}", s.staffOrg(s.submitPostAction))
	mux.Handle("GET /staff/orgs/{org}/approvals", s.staffOrg(s.showApprovals))
	mux.Handle("POST /staff/orgs/{org}/approvals/{id}/{action}", s.staffOrg(s.submitApproval))
	mux.Handle("POST /staff/orgs/{org}/approval-policy", s.staffOrg(s.submitApprovalPolicy))
	mux.Handle("GET /staff/orgs/{org}/profile", s.staffOrg(s.showProfile))
	mux.Handle("POST /staff/orgs/{org}/profile", s.staffOrg(s.submitProfile))
	mux.Handle("POST /staff/orgs/{org}/move", s.staffOrg(s.submitMoveOut))
	mux.Handle("POST /staff/orgs/{org}/bluesky/{action}", s.staffOrg(s.submitBluesky))
	mux.Handle("GET /staff/orgs/{org}/members", s.staffOrg(s.showMembers))
	mux.Handle("POST /staff/orgs/{org}/members", s.staffOrg(s.submitMember))
	mux.Handle("POST /staff/orgs/{org}/members/{user}/remove", s.staffOrg(s.submitRemoveMember))
	mux.Handle("GET /staff/orgs/{org}/audit", s.staffOrg(s.showAudit))
	mux.Handle("POST /staff/orgs/{org}/archive", s.staffOrg(s.submitArchive))
	mux.Handle("GET /staff/orgs/{org}/insights", s.staffOrg(s.showInsights))
	mux.Handle("GET /staff/orgs/{org}/insights.csv", s.staffOrg(s.showInsightsCSV))
	mux.Handle("GET /staff/orgs/{org}/inbox", s.staffOrg(s.showInbox))
	mux.Handle("GET /staff/orgs/{org}/inbox/settings", s.staffOrg(s.showInboxSettings))
	mux.Handle("POST /staff/orgs/{org}/inbox/settings", s.staffOrg(s.submitInboxSettings))
	mux.Handle("POST /staff/orgs/{org}/inbox/topics", s.staffOrg(s.submitInboxTopics))
	mux.Handle("GET /staff/orgs/{org}/inbox/saved", s.staffOrg(s.showSaved))
	mux.Handle("POST /staff/orgs/{org}/inbox/saved", s.staffOrg(s.submitSaved))
	mux.Handle("POST /staff/orgs/{org}/inbox/saved/{id}/remove", s.staffOrg(s.submitSavedRemove))
	mux.Handle("GET /staff/orgs/{org}/inbox/{id}", s.staffOrg(s.showQuestion))
	mux.Handle("POST /staff/orgs/{org}/inbox/{id}/{action}", s.staffOrg(s.submitQuestionAction))
	mux.Handle("GET /staff/orgs/{org}/replies", s.staffOrg(s.showReplies))
	mux.Handle("POST /staff/orgs/{org}/replies", s.staffOrg(s.submitReplyDecision))
	mux.Handle("POST /staff/orgs/{org}/replies/display", s.staffOrg(s.submitReplyDisplay))
	mux.Handle("GET /staff/orgs/{org}/filters", s.staffOrg(s.showFilters))
	mux.Handle("POST /staff/orgs/{org}/filters", s.staffOrg(s.submitFilter))
	mux.Handle("POST /staff/orgs/{org}/filters/{id}/remove", s.staffOrg(s.submitRemoveFilter))
	mux.Handle("GET /staff/orgs/{org}/blocks", s.staffOrg(s.showOrgBlocks))
	mux.Handle("POST /staff/orgs/{org}/blocks", s.staffOrg(s.submitOrgBlock))
	mux.Handle("POST /staff/orgs/{org}/blocks/import", s.staffOrg(s.submitOrgBlocksImport))
	mux.Handle("POST /staff/orgs/{org}/blocks/{id}/remove", s.staffOrg(s.submitRemoveOrgBlock))
	mux.Handle("GET /staff/admin/blocks", s.staff(s.showInstanceBlocks))
	mux.Handle("POST /staff/admin/blocks", s.staff(s.submitInstanceBlock))
	mux.Handle("POST /staff/admin/blocks/import", s.staff(s.submitInstanceBlocksImport))
	mux.Handle("POST /staff/admin/blocks/{id}/remove", s.staff(s.submitRemoveInstanceBlock))
	mux.Handle("POST /staff/orgs/{org}/replies/complaints", s.staffOrg(s.submitComplaintDecision))
	mux.Handle("GET /staff/orgs/{org}/subscribers", s.staffOrg(s.showSubscribers))
	mux.Handle("POST /staff/orgs/{org}/subscribers/find", s.staffOrg(s.submitFindSubscriber))
	mux.Handle("POST /staff/orgs/{org}/subscribers/import", s.staffOrg(s.submitImportSubscribers))
	mux.Handle("POST /staff/orgs/{org}/subscribers/export", s.staffOrg(s.submitExportSubscribers))
	mux.Handle("POST /staff/orgs/{org}/subscribers/{id}/end", s.staffOrg(s.submitEndSubscription))
	mux.Handle("GET /staff/orgs/{org}/import", s.staffOrg(s.showImport))
	mux.Handle("POST /staff/orgs/{org}/import", s.staffOrg(s.submitImport))
	mux.Handle("POST /staff/orgs/{org}/import/describe", s.staffOrg(s.submitDescribe))
	mux.Handle("GET /staff/admin", s.staff(s.showAdmin))
	mux.Handle("POST /staff/admin/orgs", s.staff(s.submitNewOrg))
	mux.Handle("POST /staff/admin/users", s.staff(s.submitNewUser))
	s.secondFactorRoutes(mux)
	s.accountRoutes(mux)
	s.statementRoutes(mux)
}

// static serves the staff screens' stylesheet and script.
func (s *App) static() http.Handler {
	return middleware.StaticFiles(assets, "assets/static", "/staff/static/")
}

// staffHeaders marks every staff response private and uncacheable.
func staffHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", staffCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "same-origin")
}

func (s *App) secureCookies() bool { return strings.HasPrefix(s.baseURL, "https://") }

func (s *App) setCookie(w http.ResponseWriter, name, value, path string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
}

// staff wraps a handler for logged-in staff: it resumes the session,
// parses a POSTed form within its size limit and checks its CSRF token.
func (s *App) staff(h func(http.ResponseWriter, *http.Request, *staffRequest)) http.Handler {
	return s.crossOrigin.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		staffHeaders(w)
		sr, ok := s.resume(w, r)
		if !ok {
			return
		}
		if sr.login.User.MustChangePassword && !beforeOwnPassword[r.Pattern] {
			ownPasswordFirst(w, r)
			return
		}
		if !beforeOwnPassword[r.Pattern] && !beforeSecondFactor[r.Pattern] && !s.secondFactorGate(w, r, sr) {
			return
		}
		if r.Method == http.MethodPost && !s.checkForm(w, r, sr) {
			return
		}
		h(w, r, sr)
	}))
}

// beforeOwnPassword are the routes an account that must choose its own
// password may use before it has: the page to choose it, the language and
// logging out.
var beforeOwnPassword = map[string]bool{
	"GET /staff/password":  true,
	"POST /staff/password": true,
	"POST /staff/lang":     true,
	"POST /staff/logout":   true,
}

// ownPasswordFirst sends an account whose password an administrator chose
// to the page where it chooses its own, returning afterwards to the page
// it asked for.
func ownPasswordFirst(w http.ResponseWriter, r *http.Request) {
	to := "/staff/password"
	if r.Method == http.MethodGet {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// staffOrg wraps a handler of one organisation's screens: the actor must be
// a member or an instance administrator.
func (s *App) staffOrg(h func(http.ResponseWriter, *http.Request, *staffRequest)) http.Handler {
	return s.staff(func(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
		o, err := s.orgs.ByHandle(r.Context(), r.PathValue("org"))
		if errors.Is(err, org.ErrUnknownHandle) {
			s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
			return
		}
		if err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
		sr.org = o
		if sr.approval, err = s.approvalRequired(r, o); err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
		for _, c := range sr.orgs {
			if c.Handle == o.Handle {
				c.Current, sr.role = true, c.Role
			}
		}
		if sr.role == "" && !sr.login.Actor.IsAdmin {
			s.staffForbidden(w, r, sr)
			return
		}
		if s.contact != nil && sr.role != "" {
			if sr.inbox, err = s.contact.MayRead(r.Context(), sr.actor(), o.ID); err != nil {
				s.staffFailure(w, r, sr, err)
				return
			}
		}
		h(w, r, sr)
	})
}

// resume finds the login of the request, or sends the browser to the log-in
// page.
func (s *App) resume(w http.ResponseWriter, r *http.Request) (*staffRequest, bool) {
	var token string
	if c, err := r.Cookie(sessionCookie); err == nil {
		token = c.Value
	}
	login, err := s.auth.Resume(r.Context(), token)
	if errors.Is(err, auth.ErrNoSession) {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/staff/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		} else {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
		}
		return nil, false
	}
	if err != nil {
		// Who is asking is unknown: the page shows only what this request
		// posted.
		s.failed(w, r, nil, fmt.Errorf("resume session: %w", err))
		return nil, false
	}
	sr := &staffRequest{login: login, lang: i18n.Pick(login.Session.Lang, acceptLanguage(r))}
	memberships, err := s.auth.Memberships(r.Context(), login.User.ID)
	if err != nil {
		s.failed(w, r, sr, fmt.Errorf("memberships: %w", err))
		return nil, false
	}
	if len(memberships) == 0 {
		return sr, true
	}
	orgs, err := s.orgs.List(r.Context())
	if err != nil {
		s.failed(w, r, sr, fmt.Errorf("organisations: %w", err))
		return nil, false
	}
	byID := make(map[string]*model.Org, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	for _, m := range memberships {
		if o, ok := byID[m.OrgID]; ok {
			sr.orgs = append(sr.orgs, &orgChoice{Handle: o.Handle, Name: o.DisplayName, Role: m.Role})
		}
	}
	return sr, true
}

// checkForm parses a POSTed form within its limit and checks the CSRF
// token, answering 403 when it is missing or wrong.
func (s *App) checkForm(w http.ResponseWriter, r *http.Request, sr *staffRequest) bool {
	err := s.parseForm(w, r)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.staffError(w, r, sr, http.StatusRequestEntityTooLarge, i18n.T(sr.lang, "staff.toolarge"))
		return false
	}
	if err != nil {
		s.staffError(w, r, sr, http.StatusBadRequest, i18n.T(sr.lang, "staff.badform"))
		return false
	}
	token := r.PostFormValue("csrf")
	if token == "" {
		token = r.Header.Get("X-CSRF-Token")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(sr.login.Session.CSRFToken)) != 1 {
		s.staffError(w, r, sr, http.StatusForbidden, i18n.T(sr.lang, "staff.csrf"))
		return false
	}
	return true
}

// parseForm parses a POSTed form within its limit: maxUploadBody for a
// multipart form (the operator's limit for an export to import),
// maxFormBody for any other.
func (s *App) parseForm(w http.ResponseWriter, r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		limit := int64(maxUploadBody)
		if IsImportUpload(r) {
			limit = s.importMax + 1<<20 // the export and the form around it
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		return r.ParseMultipartForm(8 << 20)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	return r.ParseForm()
}

// formFile returns the file posted in the form field key, as r.FormFile
// does, once checkCSRF has parsed the form. A form posted without
// multipart encoding has no files: every field is then missing
// (http.ErrMissingFile) rather than an error.
func formFile(r *http.Request, key string) (multipart.File, *multipart.FileHeader, error) {
	if r.MultipartForm == nil {
		return nil, nil, http.ErrMissingFile
	}
	return r.FormFile(key)
}

func acceptLanguage(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := i18n.Pick(tag, "-"); strings.HasPrefix(strings.ToLower(tag), l) {
			return l
		}
	}
	return ""
}

// view returns the common data of a staff screen.
func (s *App) view(sr *staffRequest, title, section string) *staffView {
	v := &staffView{Lang: sr.lang, Title: title, CSRF: sr.login.Session.CSRFToken, User: sr.login.User,
		IsAdmin: sr.login.Actor.IsAdmin, Orgs: sr.orgs, Org: sr.org, Section: section, Errors: map[string]string{}}
	if sr.org != nil {
		v.OrgPath = "/staff/orgs/" + sr.org.Handle
		v.CanPublish = sr.can(auth.PermPublish)
		v.CanManage = sr.can(auth.PermManage)
		v.CanReadInsights = sr.canReadInsights()
		v.CanReadInbox = sr.inbox
		v.CanModerate = sr.can(auth.PermModerate)
		v.CanApprove = sr.approval && sr.can(auth.PermApprove)
		v.CanSeeSubscribers = s.subscriptions != nil && sr.can(auth.PermInsights)
	}
	return v
}

// renderStaff writes a staff screen.
func (s *App) renderStaff(w http.ResponseWriter, status int, name string, v *staffView) {
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, v); err != nil {
		s.logger.Error("web: staff template", "template", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// staffError shows a message on a staff screen with the status.
func (s *App) staffError(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, msg string) {
	title := i18n.T(sr.lang, "error.title")
	if status == http.StatusForbidden {
		title = i18n.T(sr.lang, "staff.forbidden.title")
	}
	v := s.view(sr, title, "")
	v.FormError = msg
	s.renderStaff(w, status, "staff_message.html", v)
}

// staffForbidden answers 403: the actor's role does not allow this.
func (s *App) staffForbidden(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.staffError(w, r, sr, http.StatusForbidden, i18n.T(sr.lang, "staff.forbidden"))
}

// fieldErrors puts a field error in v, or reports false for any other
// error.
func fieldErrors(v *staffView, err error) bool {
	fe, ok := model.AsFieldError(err)
	if !ok {
		return false
	}
	v.Errors[fe.Field] = fieldMessage(fe, v.Lang)
	v.FormError = i18n.T(v.Lang, "staff.errors")
	return true
}

// fieldMessage returns the message of a field error in lang, as a
// sentence: the domain writes it as a clause to follow the field's name.
func fieldMessage(fe *model.FieldError, lang string) string {
	if m, ok := fe.Message.(i18n.Message); ok {
		return m.Sentence(lang)
	}
	return fe.In(lang)
}

// seeOther redirects after a successful POST, with a message to show.
func seeOther(w http.ResponseWriter, r *http.Request, path, done string) {
	if done != "" {
		path += sep(path) + "done=" + url.QueryEscape(done)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// flash returns the message of a ?done= parameter, only for known keys.
func flash(r *http.Request, lang string) string {
	done := r.URL.Query().Get("done")
	if done == "" || strings.ContainsAny(done, " .") {
		return ""
	}
	msg := i18n.T(lang, "staff.done."+done)
	if msg == "staff.done."+done {
		return ""
	}
	return msg
}

// --- log in and out ---

type loginData struct {
	Email, Next, Token string
	SSO                string // the single sign-on provider's name; empty: none
}

func (s *App) showLogin(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	s.renderLogin(w, r, http.StatusOK, lang, "", r.URL.Query().Get("next"), "")
}

func (s *App) renderLogin(w http.ResponseWriter, r *http.Request, status int, lang, email, next, msg string) {
	token := rand.Text()
	s.setCookie(w, loginCookie, token, loginPath, 3600)
	v := &staffView{Lang: lang, Title: i18n.T(lang, "staff.login"), FormError: msg, Errors: map[string]string{},
		Data: loginData{Email: email, Next: safeNext(next), Token: token, SSO: s.ssoName()}}
	s.renderStaff(w, status, "staff_login.html", v)
}

// safeNext keeps a return path only when it is a staff path on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/staff/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return ""
	}
	return next
}

func (s *App) submitLogin(w http.ResponseWriter, r *http.Request) {
	s.crossOrigin.Handler(http.HandlerFunc(s.login)).ServeHTTP(w, r)
}

func (s *App) login(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, r, http.StatusBadRequest, lang, "", "", i18n.T(lang, "staff.csrf"))
		return
	}
	email, next := auth.NormalizeEmail(r.PostFormValue("email")), r.PostFormValue("next")
	c, err := r.Cookie(loginCookie)
	if err != nil || r.PostFormValue("csrf") == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.renderLogin(w, r, http.StatusForbidden, lang, email, next, i18n.T(lang, "staff.csrf"))
		return
	}
	attempt := auth.LoginAttempt{Email: email, Addr: middleware.ClientAddr(r, s.trustedProxies)}
	if c, err := r.Cookie(deviceCookie); err == nil {
		attempt.Device = c.Value
	}
	u, device, err := s.auth.LogIn(r.Context(), attempt, r.PostFormValue("password"))
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		// The same refusal whether or not the account exists.
		s.renderLogin(w, r, http.StatusTooManyRequests, lang, email, next,
			i18n.T(lang, "staff.locked", locked.Until.In(amsterdam).Format("15:04")))
		return
	case errors.Is(err, auth.ErrBadCredentials):
		s.renderLogin(w, r, http.StatusUnauthorized, lang, email, next, i18n.T(lang, "staff.badlogin"))
		return
	case errors.Is(err, auth.ErrBusy):
		// Too many passwords are being verified at once; this one was not,
		// so it does not count as an attempt.
		w.Header().Set("Retry-After", busyRetryAfter)
		s.renderLogin(w, r, http.StatusTooManyRequests, lang, email, next, i18n.T(lang, "staff.busy"))
		return
	case err != nil:
		s.loginFailed(w, r, lang, email, next, fmt.Errorf("log in: %w", err))
		return
	}
	if s.secondStepDue(w, r, u, lang, email, next) {
		return
	}
	to, err := s.startLogin(w, r, u, lang, next, device, auth.ViaPassword)
	if err != nil {
		s.loginFailed(w, r, lang, email, next, err)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// startLogin begins the session of u, whose log-in by way of via
// succeeded, sets the browser's cookies and returns where it goes next:
// next, or the page to set up a second factor that the policy requires.
func (s *App) startLogin(w http.ResponseWriter, r *http.Request, u *model.User, lang, next, device, via string) (string, error) {
	token, _, err := s.auth.OpenSession(r.Context(), u, s.sessionStart(r, lang, via))
	if err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	s.setCookie(w, loginCookie, "", loginPath, -1)
	s.setCookie(w, deviceCookie, device, loginPath, int(auth.DeviceTrustAge/time.Second))
	s.setCookie(w, sessionCookie, token, staffPath, s.sessionCookieAge())
	if next = safeNext(next); next == "" {
		next = "/staff/"
	}
	return s.enrolFirst(r, u, next)
}

// loginFailed shows the log-in form again when logging in failed for
// another reason than the credentials: 503 with Retry-After when the
// database cannot be reached, 500 otherwise. err is logged, never shown.
func (s *App) loginFailed(w http.ResponseWriter, r *http.Request, lang, email, next string, err error) {
	if errors.Is(err, model.ErrUnavailable) {
		s.logger.Warn("web: staff: database unavailable", "route", r.Pattern, "err", err)
		w.Header().Set("Retry-After", retryAfter)
		s.renderLogin(w, r, http.StatusServiceUnavailable, lang, email, next, i18n.T(lang, "staff.unavailable.body"))
		return
	}
	s.logger.Error("web: staff log in", "err", err)
	s.renderLogin(w, r, http.StatusInternalServerError, lang, email, next, i18n.T(lang, "staff.failed.body"))
}

// busyRetryAfter is the Retry-After, in seconds, of a log-in refused
// because too many passwords were being verified at once.
const busyRetryAfter = "3"

// amsterdam is the zone lock-out times are shown in.
var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC
	}
	return loc
}()

func (s *App) submitLogout(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if err := s.auth.EndSession(r.Context(), sr.login); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	s.setCookie(w, sessionCookie, "", staffPath, -1)
	http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
}

func (s *App) showStaffHome(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if len(sr.orgs) > 0 {
		http.Redirect(w, r, "/staff/orgs/"+sr.orgs[0].Handle+"/posts", http.StatusSeeOther)
		return
	}
	if sr.login.Actor.IsAdmin {
		http.Redirect(w, r, "/staff/admin", http.StatusSeeOther)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.title"), "")
	v.Flash = i18n.T(sr.lang, "staff.noorgs")
	s.renderStaff(w, http.StatusOK, "staff_message.html", v)
}

func (s *App) switchOrg(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	handle := r.URL.Query().Get("org")
	for _, c := range sr.orgs {
		if c.Handle == handle {
			http.Redirect(w, r, "/staff/orgs/"+handle+"/posts", http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/staff/", http.StatusSeeOther)
}

func (s *App) submitLang(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	lang := i18n.Pick(r.PostFormValue("lang"), sr.lang)
	if err := s.auth.SetSessionLanguage(r.Context(), sr.login.Session, lang); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	back := safeNext(r.PostFormValue("next"))
	if back == "" {
		back = "/staff/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// passwordData is the password page. First is set while the account must
// choose its own password: the page then says why, and leads on to Next.
type passwordData struct {
	MinLength int
	First     bool
	Next      string
}

// passwordView returns the password page: "change password", or, while the
// account must choose its own, "choose your own password" without the
// menu, which would only lead back here.
func (s *App) passwordView(sr *staffRequest, next string) *staffView {
	first := sr.login.User.MustChangePassword
	title := i18n.T(sr.lang, "staff.changepassword")
	if first {
		title = i18n.T(sr.lang, "staff.pw.choose.title")
	}
	v := s.view(sr, title, "password")
	if first {
		v.Orgs, v.IsAdmin = nil, false
	}
	v.Data = passwordData{MinLength: auth.MinPasswordLength, First: first, Next: safeNext(next)}
	return v
}

func (s *App) showPassword(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.passwordView(sr, r.URL.Query().Get("next"))
	v.Flash = flash(r, sr.lang)
	s.renderStaff(w, http.StatusOK, "staff_password.html", v)
}

func (s *App) submitPassword(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	err := s.auth.ChangePassword(r.Context(), sr.actor(), r.PostFormValue("current"), r.PostFormValue("new"), sr.login.Session.ID)
	if err != nil {
		v := s.passwordView(sr, r.PostFormValue("next"))
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderStaff(w, http.StatusUnprocessableEntity, "staff_password.html", v)
		return
	}
	if sr.login.User.MustChangePassword {
		next := safeNext(r.PostFormValue("next"))
		if next == "" {
			next = "/staff/"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	seeOther(w, r, "/staff/password", "password")
}
