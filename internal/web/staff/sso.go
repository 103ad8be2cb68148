package staff

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/web/middleware"
)

// Single sign-on. "Log in with <provider>" on the log-in page leads to
// GET /staff/login/sso, which sends the browser to the provider with a
// signed flow cookie (ssoCookie) limited to the single sign-on paths; the
// provider returns it to GET /staff/login/sso/callback. Both sit under the
// log-in path, so the browser's device cookie reaches them as it reaches
// the log-in form. A logged-in staff member links their identity from the
// sessions screen (POST /staff/sso/link), through the same callback.
const (
	ssoCookie = "plein_sso"
	ssoPath   = "/staff/login/sso"
)

// ssoFailedData is the page of a single sign-on that did not log in.
type ssoFailedData struct {
	Messages []string
	Subject  string // the subject to pass on to an administrator, if any
	Again    string // where "log in again" leads
}

// ssoName is the single sign-on provider's name for the log-in button;
// empty when there is none.
func (s *App) ssoName() string {
	if p := s.auth.SSO(); p != nil {
		return p.Name()
	}
	return ""
}

// renderSSOFailed shows why single sign-on did not log in, outside the
// staff layout's menu (no one is logged in).
func (s *App) renderSSOFailed(w http.ResponseWriter, status int, lang string, d ssoFailedData) {
	d.Again = "/staff/login?lang=" + lang
	v := &staffView{Lang: lang, Title: i18n.T(lang, "sso.failed.title"), Errors: map[string]string{}, Data: d}
	s.renderStaff(w, status, "staff_sso_failed.html", v)
}

// startSSO sends the browser to the provider to log in.
func (s *App) startSSO(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	p := s.auth.SSO()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	s.beginSSO(w, r, lang, auth.SSOFlow{Purpose: auth.SSOLogIn, Next: safeNext(r.URL.Query().Get("next")), Lang: lang})
}

// beginSSO sets the flow cookie of f and redirects to the provider.
func (s *App) beginSSO(w http.ResponseWriter, r *http.Request, lang string, f auth.SSOFlow) {
	p := s.auth.SSO()
	to, cookie, err := p.Begin(r.Context(), f)
	if errors.Is(err, auth.ErrSSOProvider) {
		s.logger.Warn("web: staff: single sign-on provider", "err", err)
		s.renderSSOFailed(w, http.StatusBadGateway, lang, ssoFailedData{Messages: []string{i18n.T(lang, "sso.provider.body", p.Name())}})
		return
	}
	if err != nil {
		s.failed(w, r, nil, fmt.Errorf("single sign-on: %w", err))
		return
	}
	s.setCookie(w, ssoCookie, cookie, ssoPath, int(auth.SSOFlowAge/time.Second))
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// finishSSO takes the browser back from the provider: it logs in, or links
// the identity to the logged-in account.
func (s *App) finishSSO(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	q := r.URL.Query()
	lang := i18n.Pick(q.Get("lang"), acceptLanguage(r))
	p := s.auth.SSO()
	if p == nil {
		http.NotFound(w, r)
		return
	}
	var cookie string
	if c, err := r.Cookie(ssoCookie); err == nil {
		cookie = c.Value
	}
	s.setCookie(w, ssoCookie, "", ssoPath, -1) // a flow is used once
	if q.Get("error") != "" {
		// Refused or cancelled at the provider; nothing to check or change.
		s.renderSSOFailed(w, http.StatusForbidden, lang, ssoFailedData{Messages: []string{i18n.T(lang, "sso.denied.body", p.Name())}})
		return
	}
	id, flow, err := p.Finish(r.Context(), cookie, q.Get("state"), q.Get("code"))
	if flow.Lang != "" {
		lang = i18n.Pick(flow.Lang, lang)
	}
	switch {
	case errors.Is(err, auth.ErrSSOState):
		s.logger.Info("web: staff: single sign-on return without its flow")
		s.renderSSOFailed(w, http.StatusBadRequest, lang, ssoFailedData{Messages: []string{i18n.T(lang, "sso.state.body")}})
		return
	case errors.Is(err, auth.ErrSSOProvider):
		s.logger.Warn("web: staff: single sign-on provider", "err", err)
		s.renderSSOFailed(w, http.StatusBadGateway, lang, ssoFailedData{Messages: []string{i18n.T(lang, "sso.provider.body", p.Name())}})
		return
	case err != nil:
		s.failed(w, r, nil, fmt.Errorf("single sign-on: %w", err))
		return
	}
	if flow.Purpose == auth.SSOLink {
		s.finishLink(w, r, id, flow)
		return
	}
	attempt := auth.LoginAttempt{Addr: middleware.ClientAddr(r, s.trustedProxies)}
	if c, err := r.Cookie(deviceCookie); err == nil {
		attempt.Device = c.Value
	}
	u, device, err := s.auth.LogInWithIdentity(r.Context(), attempt, id)
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		s.renderSSOFailed(w, http.StatusTooManyRequests, lang, ssoFailedData{Messages: []string{
			i18n.T(lang, "sso.locked.body", locked.Until.In(amsterdam).Format("15:04"))}})
		return
	case errors.Is(err, auth.ErrIdentityUnlinked):
		s.renderSSOFailed(w, http.StatusForbidden, lang, ssoFailedData{Subject: id.Subject, Messages: []string{
			i18n.T(lang, "sso.unlinked.body", p.Name()), i18n.T(lang, "sso.unlinked.self")}})
		return
	case err != nil:
		s.failed(w, r, nil, fmt.Errorf("single sign-on: %w", err))
		return
	}
	// An account with a second factor passes the same second step as
	// after a password, and the policy's enrolment applies alike: the
	// provider's own checks are not known to Plein.
	if s.secondStepDue(w, r, u, lang, "", flow.Next) {
		return
	}
	to, err := s.startLogin(w, r, u, lang, flow.Next, device, auth.ViaOIDC)
	if err != nil {
		s.failed(w, r, nil, fmt.Errorf("single sign-on: %w", err))
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// finishLink links the identity to the account logged in in this browser,
// when it is the login that began the flow.
func (s *App) finishLink(w http.ResponseWriter, r *http.Request, id *auth.SSOIdentity, flow auth.SSOFlow) {
	sr, ok := s.resume(w, r)
	if !ok {
		return
	}
	if auth.SessionRef(sr.login.Session.ID) != flow.Session {
		s.staffError(w, r, sr, http.StatusBadRequest, i18n.T(sr.lang, "sso.state.body"))
		return
	}
	err := s.auth.LinkIdentity(r.Context(), sr.actor(), sr.login.User.Email, id.Issuer, id.Subject)
	if fe, ok := model.AsFieldError(err); ok && fe.Field == "subject" {
		s.staffError(w, r, sr, http.StatusConflict, i18n.T(sr.lang, "sso.linked.other", s.auth.SSO().Name()))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/sessions", "sso-linked")
}

// ssoContinueData is the step between the staff member's "link my
// account" and the provider.
type ssoContinueData struct{ Name, URL string }

// submitSSOLink begins linking the logged-in account to the provider. It
// answers with a page that leads on to the provider by a plain link: the
// staff screens' form-action policy allows forms to post to Plein only,
// and browsers hold a redirect that follows a form to it.
func (s *App) submitSSOLink(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	p := s.auth.SSO()
	if p == nil {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "sso.none"))
		return
	}
	to, cookie, err := p.Begin(r.Context(), auth.SSOFlow{Purpose: auth.SSOLink, Session: auth.SessionRef(sr.login.Session.ID), Lang: sr.lang})
	if errors.Is(err, auth.ErrSSOProvider) {
		s.logger.Warn("web: staff: single sign-on provider", "err", err)
		s.staffError(w, r, sr, http.StatusBadGateway, i18n.T(sr.lang, "sso.provider.body", p.Name()))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	s.setCookie(w, ssoCookie, cookie, ssoPath, int(auth.SSOFlowAge/time.Second))
	v := s.view(sr, i18n.T(sr.lang, "sso.title"), "sessions")
	v.Data = ssoContinueData{Name: p.Name(), URL: to}
	s.renderStaff(w, http.StatusOK, "staff_sso_continue.html", v)
}

// submitSSOUnlink removes the logged-in account's link to the provider.
func (s *App) submitSSOUnlink(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	p := s.auth.SSO()
	if p == nil {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "sso.none"))
		return
	}
	if err := s.auth.UnlinkIdentity(r.Context(), sr.actor(), sr.login.User.Email, p.Issuer()); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/sessions", "sso-unlinked")
}
