package site

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/subscription"
	"plein/internal/web/middleware"
	"plein/internal/web/pagecache"
)

// maxSubscribeBody bounds the body of a subscription form: a few short
// fields.
const maxSubscribeBody = 8 << 10

// Subscribe forms a client may send in subscribeWindow before it waits;
// counted per client address, in memory only.
const (
	subscribeLimit  = 20
	subscribeWindow = 15 * time.Minute
)

// formLimiter counts the forms each client sent in fixed windows, in
// memory only: a client is forgotten once its window has passed.
type formLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	clients map[string]*formCount
}

type formCount struct {
	n     int
	start time.Time
}

func newSubscribeThrottle(now func() time.Time) *formLimiter {
	if now == nil {
		now = time.Now
	}
	return &formLimiter{limit: subscribeLimit, window: subscribeWindow, now: now, clients: map[string]*formCount{}}
}

// Attempt counts one form of client and reports whether it is within the
// limit.
func (l *formLimiter) Attempt(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.clients) >= 1024 {
		for k, c := range l.clients {
			if now.Sub(c.start) >= l.window {
				delete(l.clients, k)
			}
		}
	}
	c, ok := l.clients[client]
	if !ok || now.Sub(c.start) >= l.window {
		c = &formCount{start: now}
		l.clients[client] = c
	}
	c.n++
	return c.n <= l.limit
}

// subView is the data of the subscription pages.
type subView struct {
	Lang           string
	Disabled       bool   // the installation sends no e-mail
	Action         string // where the form posts
	Email, Tag     string // as typed
	FixedTag       bool   // the page is a hashtag's: the topic is not asked
	Frequencies    []frequencyChoice
	Error          string
	EmailError     string
	TagError       string
	FrequencyError string
	Saved          string
	Suspended      string
	UnsubscribeURL string
	// A notice page: its paragraphs and the one button it may have.
	Paragraphs []string
	Button     string
	OneClick   bool
	ManageURL  string
}

type frequencyChoice struct {
	Value, Label string
	Checked      bool
}

func frequencies(lang string, chosen model.Frequency) []frequencyChoice {
	out := make([]frequencyChoice, len(model.Frequencies))
	for i, f := range model.Frequencies {
		out[i] = frequencyChoice{Value: string(f), Label: i18n.T(lang, "sub.frequency."+string(f)), Checked: f == chosen}
	}
	return out
}

// subscribeForm returns the view of the subscribe form of o, for every
// post or for tag.
func (s *Site) subscribeForm(o *model.Org, lang, chosen, tag string) (*pageView, string) {
	path := "/@" + o.Handle
	title := i18n.T(lang, "sub.title", o.DisplayName)
	if tag != "" {
		path += "/tags/" + url.PathEscape(tag)
		title = i18n.T(lang, "sub.title.tag", o.DisplayName, tag)
	}
	path += "/subscribe"
	v := &pageView{Chosen: chosen, Title: title, CanonicalURL: s.abs(path), SwitchURL: withLang(path, otherLang(lang)),
		PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen), Org: s.orgView(o, chosen),
		Sub: &subView{Lang: lang, Disabled: !s.subs.Enabled(), Action: withLang("/@"+o.Handle+"/subscribe", chosen),
			Tag: tag, FixedTag: tag != "", Frequencies: frequencies(lang, model.FrequencyNow)}}
	return v, path
}

// SubscribeForm renders /@{handle}/subscribe: the form to get an
// organisation's posts by e-mail.
func (s *Site) SubscribeForm(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, lang, resp, err := s.orgOf(ctx, req, "/subscribe")
	if o == nil {
		return resp, err
	}
	v, _ := s.subscribeForm(o, lang, req.Lang, "")
	return s.page(lang, http.StatusOK, v, "subscribe.html")
}

// TagSubscribeForm renders /@{handle}/tags/{tag}/subscribe: the form to
// get an organisation's posts with a hashtag by e-mail.
func (s *Site) TagSubscribeForm(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	raw := req.PathValue("tag")
	o, lang, resp, err := s.orgOf(ctx, req, "/tags/"+url.PathEscape(raw)+"/subscribe")
	if o == nil {
		return resp, err
	}
	tag, err := subscription.ParseTag(raw)
	if err != nil || tag == "" {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	if tag != raw {
		return pagecache.Redirect(http.StatusMovedPermanently, withLang("/@"+o.Handle+"/tags/"+url.PathEscape(tag)+"/subscribe", req.Lang)), nil
	}
	v, _ := s.subscribeForm(o, lang, req.Lang, tag)
	return s.page(lang, http.StatusOK, v, "subscribe.html")
}

// chosenLang returns the language the visitor chose with ?lang=, or "".
func chosenLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "nl" || l == "en" {
		return l
	}
	return ""
}

// write sends a page rendered for one request only: never cached, never
// stored by the browser or a proxy.
func (s *Site) write(w http.ResponseWriter, lang string, status int, v *pageView, name string) {
	v.Lang, v.Status, v.SwitchLang = lang, status, otherLang(lang)
	if v.PrivacyURL == "" {
		v.PrivacyURL = withLang("/privacy", v.Chosen)
	}
	v.HomeURL = withLang("/", v.Chosen)
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, v); err != nil {
		s.logger.Error("site: template", "name", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// writeError sends the error page with status, never cached.
func (s *Site) writeError(w http.ResponseWriter, status int, lang, title, body string) {
	s.write(w, lang, status, &pageView{Title: title, Description: body}, "error.html")
}

// failed answers a request whose handling failed with 500 (503 when the
// database cannot be reached), logging the error.
func (s *Site) failed(w http.ResponseWriter, r *http.Request, lang string, err error) {
	key, status := "error", http.StatusInternalServerError
	if errors.Is(err, model.ErrUnavailable) {
		key, status = "unavailable", http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	}
	s.logger.Error("site: subscription", "route", r.Pattern, "err", err)
	s.writeError(w, status, lang, i18n.T(lang, key+".title"), i18n.T(lang, key+".body"))
}

// readForm reads a small urlencoded form; false when it could not be read
// (the answer is sent).
func (s *Site) readForm(w http.ResponseWriter, r *http.Request, lang string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxSubscribeBody)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, http.StatusBadRequest, lang, i18n.T(lang, "error.title"), i18n.T(lang, "sub.error.form"))
		return false
	}
	return true
}

// Subscribe handles the subscribe form, POST /@{handle}/subscribe with
// the fields email, frequency and tag. Its answer is the same whether or
// not the address is subscribed already.
func (s *Site) Subscribe(w http.ResponseWriter, r *http.Request) {
	chosen := chosenLang(r)
	o, _, err := s.orgs.Resolve(r.Context(), r.PathValue("handle"))
	if errors.Is(err, org.ErrUnknownHandle) {
		lang := i18n.Pick(chosen, "")
		s.writeError(w, http.StatusNotFound, lang, i18n.T(lang, "notfound.title"), i18n.T(lang, "notfound.body"))
		return
	}
	lang := i18n.Pick(chosen, "")
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	lang = i18n.Pick(chosen, o.Language)
	if !s.readForm(w, r, lang) {
		return
	}
	client := middleware.ClientAddr(r, s.proxies).String()
	if !s.throttle.Attempt(client) {
		w.Header().Set("Retry-After", "900")
		s.writeError(w, http.StatusTooManyRequests, lang, i18n.T(lang, "sub.busy.title"), i18n.T(lang, "sub.busy.body"))
		return
	}
	email, tag, freq := r.PostForm.Get("email"), r.PostForm.Get("tag"), r.PostForm.Get("frequency")
	err = s.subs.Subscribe(r.Context(), o, subscription.Request{Email: email, Tag: tag, Frequency: freq, Lang: lang})
	if err == nil {
		v := &pageView{Chosen: chosen, Title: i18n.T(lang, "sub.sent.title"), Org: s.orgView(o, chosen),
			PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen),
			Sub:        &subView{Lang: lang, Paragraphs: []string{i18n.T(lang, "sub.sent.body", o.DisplayName)}}}
		s.write(w, lang, http.StatusOK, v, "notice.html")
		return
	}
	v, _ := s.subscribeForm(o, lang, chosen, "")
	sv := v.Sub
	sv.Email, sv.Tag = email, tag
	if f, ferr := subscription.ParseFrequency(freq); ferr == nil {
		sv.Frequencies = frequencies(lang, f)
	}
	switch {
	case errors.Is(err, subscription.ErrInvalidAddress):
		sv.EmailError = i18n.T(lang, "sub.error.email")
	case errors.Is(err, subscription.ErrInvalidTag):
		sv.TagError = i18n.T(lang, "sub.error.tag")
	case errors.Is(err, subscription.ErrInvalidFrequency):
		sv.FrequencyError = i18n.T(lang, "sub.error.frequency")
	case errors.Is(err, subscription.ErrUnavailable):
		s.write(w, lang, http.StatusNotFound, v, "subscribe.html")
		return
	default:
		s.failed(w, r, lang, err)
		return
	}
	sv.Error = i18n.T(lang, "sub.error")
	s.write(w, lang, http.StatusUnprocessableEntity, v, "subscribe.html")
}

// linkPage answers a confirm, manage or unsubscribe link whose token does
// not work (any more): 404 with why. It reports whether err was such.
func (s *Site) linkPage(w http.ResponseWriter, r *http.Request, lang string, err error) bool {
	if errors.Is(err, subscription.ErrInvalidToken) || errors.Is(err, subscription.ErrEnded) {
		s.writeError(w, http.StatusNotFound, lang, i18n.T(lang, "sub.invalid.title"), i18n.T(lang, "sub.invalid.body"))
		return true
	}
	return false
}

// subscriptionPage is a page about the subscription of v.
func (s *Site) subscriptionPage(v *subscription.View, chosen, title string) *pageView {
	p := &pageView{Chosen: chosen, Title: title, Sub: &subView{}}
	if v != nil && v.Org != nil {
		p.Org = s.orgView(v.Org, chosen)
		p.PrivacyURL = withLang("/@"+v.Org.Handle+"/privacy", chosen)
	}
	return p
}

// tokenURL is path with the token t and the chosen language.
func tokenURL(path, t, chosen string) string {
	q := url.Values{"t": {t}}
	if chosen != "" {
		q.Set("lang", chosen)
	}
	return path + "?" + q.Encode()
}

// pageLang is the language of a page about a subscription of v.
func pageLang(chosen string, v *subscription.View) string {
	if v != nil && v.Org != nil {
		return i18n.Pick(chosen, v.Org.Language)
	}
	return i18n.Pick(chosen, "")
}

// ShowConfirm answers GET /mail/confirm?t=…, the link in the confirmation
// mail: a page with the button that confirms. Opening the link confirms
// nothing, so that programs checking links in mail do not subscribe
// anyone.
func (s *Site) ShowConfirm(w http.ResponseWriter, r *http.Request) {
	chosen, t := chosenLang(r), r.URL.Query().Get("t")
	v, err := s.subs.ToConfirm(r.Context(), t)
	lang := pageLang(chosen, v)
	if s.linkPage(w, r, lang, err) {
		return
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	if v.State == model.SubscriptionActive {
		p := s.subscriptionPage(v, chosen, i18n.T(lang, "sub.confirmed.title"))
		p.Sub.Paragraphs = []string{i18n.T(lang, "sub.confirmed.body", v.Org.DisplayName)}
		s.write(w, lang, http.StatusOK, p, "notice.html")
		return
	}
	p := s.subscriptionPage(v, chosen, i18n.T(lang, "sub.confirm.title"))
	p.Sub.Paragraphs = []string{i18n.T(lang, "sub.confirm.body", v.Org.DisplayName)}
	p.Sub.Action, p.Sub.Button = tokenURL("/mail/confirm", t, chosen), i18n.T(lang, "sub.confirm.button")
	s.write(w, lang, http.StatusOK, p, "notice.html")
}

// Confirm handles POST /mail/confirm?t=…, the button of the confirmation
// page.
func (s *Site) Confirm(w http.ResponseWriter, r *http.Request) {
	chosen, t := chosenLang(r), r.URL.Query().Get("t")
	v, err := s.subs.Confirm(r.Context(), t)
	lang := pageLang(chosen, v)
	if s.linkPage(w, r, lang, err) {
		return
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	p := s.subscriptionPage(v, chosen, i18n.T(lang, "sub.confirmed.title"))
	p.Sub.Paragraphs = []string{i18n.T(lang, "sub.confirmed.body", v.Org.DisplayName)}
	p.Sub.ManageURL = tokenURL("/mail/manage", v.Token, chosen)
	s.write(w, lang, http.StatusOK, p, "notice.html")
}

// manageForm renders the form to change or end the subscription of v.
func (s *Site) manageForm(w http.ResponseWriter, v *subscription.View, chosen string, status int, fill func(lang string, sv *subView)) {
	lang := pageLang(chosen, v)
	p := s.subscriptionPage(v, chosen, i18n.T(lang, "sub.manage.title", v.Org.DisplayName))
	p.Sub = &subView{Lang: lang, Action: tokenURL("/mail/manage", v.Token, chosen), Tag: v.Tag,
		Frequencies: frequencies(lang, v.Frequency), UnsubscribeURL: tokenURL("/mail/unsubscribe", v.Token, chosen)}
	if v.State == model.SubscriptionSuspended {
		p.Sub.Suspended = i18n.T(lang, "sub.manage.suspended")
	}
	if fill != nil {
		fill(lang, p.Sub)
	}
	s.write(w, lang, status, p, "manage.html")
}

// ShowManage answers GET /mail/manage?t=…, the link in every mail: the
// subscription's frequency and topic, to change, and the button to end it.
func (s *Site) ShowManage(w http.ResponseWriter, r *http.Request) {
	chosen := chosenLang(r)
	v, err := s.subs.Manage(r.Context(), r.URL.Query().Get("t"))
	lang := pageLang(chosen, v)
	if s.linkPage(w, r, lang, err) {
		return
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	s.manageForm(w, v, chosen, http.StatusOK, nil)
}

// Manage handles POST /mail/manage?t=…: a new frequency and topic.
func (s *Site) Manage(w http.ResponseWriter, r *http.Request) {
	chosen, t := chosenLang(r), r.URL.Query().Get("t")
	if !s.readForm(w, r, i18n.Pick(chosen, "")) {
		return
	}
	freq, tag := r.PostForm.Get("frequency"), r.PostForm.Get("tag")
	v, err := s.subs.Change(r.Context(), t, freq, tag)
	invalid := err
	if errors.Is(invalid, subscription.ErrInvalidTag) || errors.Is(invalid, subscription.ErrInvalidFrequency) {
		v, err = s.subs.Manage(r.Context(), t) // the form again, as it was
	} else {
		invalid = nil
	}
	lang := pageLang(chosen, v)
	if s.linkPage(w, r, lang, err) {
		return
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	if invalid != nil {
		s.manageForm(w, v, chosen, http.StatusUnprocessableEntity, func(lang string, sv *subView) {
			sv.Tag, sv.Error = tag, i18n.T(lang, "sub.error")
			if errors.Is(invalid, subscription.ErrInvalidTag) {
				sv.TagError = i18n.T(lang, "sub.error.tag")
			} else {
				sv.FrequencyError = i18n.T(lang, "sub.error.frequency")
			}
		})
		return
	}
	s.manageForm(w, v, chosen, http.StatusOK, func(lang string, sv *subView) { sv.Saved = i18n.T(lang, "sub.manage.saved") })
}

// ShowUnsubscribe answers GET /mail/unsubscribe?t=…, the address of
// List-Unsubscribe opened in a browser: a page with the button that ends
// the subscription. Opening it ends nothing.
func (s *Site) ShowUnsubscribe(w http.ResponseWriter, r *http.Request) {
	chosen, t := chosenLang(r), r.URL.Query().Get("t")
	v, err := s.subs.Manage(r.Context(), t)
	lang := pageLang(chosen, v)
	if errors.Is(err, subscription.ErrEnded) {
		s.unsubscribed(w, nil, chosen)
		return
	}
	if s.linkPage(w, r, lang, err) {
		return
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	p := s.subscriptionPage(v, chosen, i18n.T(lang, "sub.unsubscribe.title"))
	p.Sub.Paragraphs = []string{i18n.T(lang, "sub.unsubscribe.body", v.Org.DisplayName)}
	p.Sub.Action, p.Sub.Button, p.Sub.OneClick = tokenURL("/mail/unsubscribe", t, chosen), i18n.T(lang, "sub.unsubscribe.button"), true
	s.write(w, lang, http.StatusOK, p, "notice.html")
}

// Unsubscribe handles POST /mail/unsubscribe?t=…: the one-click
// unsubscribe of RFC 8058 (a mail program posting
// List-Unsubscribe=One-Click, without cookie, login or CSRF token) and
// the button of the unsubscribe and manage pages. It answers 200 with a
// short page, also when the subscription had ended already; never a
// redirect.
func (s *Site) Unsubscribe(w http.ResponseWriter, r *http.Request) {
	chosen, t := chosenLang(r), r.URL.Query().Get("t")
	r.Body = http.MaxBytesReader(w, r.Body, maxSubscribeBody) // the body is not needed
	v, err := s.subs.Unsubscribe(r.Context(), t)
	lang := pageLang(chosen, v)
	if s.linkPage(w, r, lang, err) {
		return
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	s.unsubscribed(w, v, chosen)
}

func (s *Site) unsubscribed(w http.ResponseWriter, v *subscription.View, chosen string) {
	lang := pageLang(chosen, v)
	p := s.subscriptionPage(v, chosen, i18n.T(lang, "sub.unsubscribed.title"))
	p.Sub.Paragraphs = []string{i18n.T(lang, "sub.unsubscribed.body")}
	s.write(w, lang, http.StatusOK, p, "notice.html")
}
