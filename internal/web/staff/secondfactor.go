package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode/qr"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/web/middleware"
)

// pendingCookie holds the token of a log-in whose password was right and
// whose second factor is due; it is sent to the log-in pages only.
const pendingCookie = "plein_second"

// maxJSONBody bounds the JSON a passkey ceremony posts.
const maxJSONBody = auth.MaxPasskeyResponse + 4<<10

func (s *App) secondFactorRoutes(mux *http.ServeMux) {
	mux.Handle("GET /staff/second-factor", s.staff(s.showSecondFactor))
	mux.Handle("POST /staff/second-factor/totp", s.staff(s.submitTOTP))
	mux.Handle("POST /staff/second-factor/totp/remove", s.staff(s.submitRemoveTOTP))
	mux.Handle("POST /staff/second-factor/codes", s.staff(s.submitNewCodes))
	mux.Handle("POST /staff/second-factor/passkeys", s.staff(s.submitPasskeyWithoutScript))
	mux.Handle("POST /staff/second-factor/passkeys/begin", s.staff(s.beginPasskeyRegistration))
	mux.Handle("POST /staff/second-factor/passkeys/finish", s.staff(s.finishPasskeyRegistration))
	mux.Handle("POST /staff/second-factor/passkeys/{id}/remove", s.staff(s.submitRemovePasskey))
	mux.HandleFunc("GET /staff/login/second-factor", s.showSecondStep)
	mux.Handle("POST /staff/login/second-factor", s.crossOrigin.Handler(http.HandlerFunc(s.submitSecondStep)))
	mux.Handle("POST /staff/login/passkey/begin", s.crossOrigin.Handler(http.HandlerFunc(s.beginPasskeyLogin)))
	mux.Handle("POST /staff/login/passkey/finish", s.crossOrigin.Handler(http.HandlerFunc(s.finishPasskeyLogin)))
	s.policyRoutes(mux)
}

// beforeSecondFactor are the routes an account that must set up a second
// factor now may use: the second-factor page and its forms (besides those
// of beforeOwnPassword).
var beforeSecondFactor = map[string]bool{
	"GET /staff/second-factor":                       true,
	"POST /staff/second-factor/totp":                 true,
	"POST /staff/second-factor/codes":                true,
	"POST /staff/second-factor/passkeys":             true,
	"POST /staff/second-factor/passkeys/begin":       true,
	"POST /staff/second-factor/passkeys/finish":      true,
	"POST /staff/second-factor/totp/remove":          true,
	"POST /staff/second-factor/passkeys/{id}/remove": true,
}

// secondFactorGate sends an account whose grace to set up a required
// second factor is over to the page where it does, and reports false;
// true lets the request through.
func (s *App) secondFactorGate(w http.ResponseWriter, r *http.Request, sr *staffRequest) bool {
	st, err := s.auth.SecondFactorStatus(r.Context(), sr.login.User)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return false
	}
	if !st.EnrolOnly() {
		return true
	}
	to := "/staff/second-factor"
	if r.Method == http.MethodGet {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return false
}

// enrolFirst returns where a browser goes after logging in: next, or the
// second-factor page first when the policy requires one that u lacks.
func (s *App) enrolFirst(r *http.Request, u *model.User, next string) (string, error) {
	st, err := s.auth.SecondFactorStatus(r.Context(), u)
	if err != nil {
		return "", err
	}
	if st.Required && !st.Enrolled() {
		return "/staff/second-factor?next=" + url.QueryEscape(next), nil
	}
	return next, nil
}

// secondStepDue starts the second step of a log-in whose password was
// right when the account has a second factor, and reports whether it did
// (or failed, having answered).
func (s *App) secondStepDue(w http.ResponseWriter, r *http.Request, u *model.User, lang, email, next string) bool {
	st, err := s.auth.SecondFactorStatus(r.Context(), u)
	if err != nil {
		s.loginFailed(w, r, lang, email, next, err)
		return true
	}
	if !st.Enrolled() {
		return false
	}
	token, err := s.auth.BeginSecondFactor(r.Context(), u)
	if err != nil {
		s.loginFailed(w, r, lang, email, next, err)
		return true
	}
	s.setCookie(w, pendingCookie, token, loginPath, int(auth.ChallengeAge.Seconds()))
	to := "/staff/login/second-factor?lang=" + lang
	if next = safeNext(next); next != "" {
		to += "&next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true
}

// --- the second step of logging in ---

type secondStepData struct {
	Next, Token string
	TOTP        bool
	Passkey     bool
}

func (s *App) pending(r *http.Request) (*auth.PendingLogin, string, error) {
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		return nil, "", auth.ErrNoSession
	}
	p, err := s.auth.PendingLogin(r.Context(), c.Value)
	return p, c.Value, err
}

func (s *App) showSecondStep(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	next := r.URL.Query().Get("next")
	p, _, err := s.pending(r)
	if errors.Is(err, auth.ErrNoSession) {
		s.renderLogin(w, r, http.StatusOK, lang, "", next, i18n.T(lang, "staff.sf.step.expired"))
		return
	}
	if err != nil {
		s.loginFailed(w, r, lang, "", next, err)
		return
	}
	s.renderSecondStep(w, http.StatusOK, lang, next, p, "")
}

func (s *App) renderSecondStep(w http.ResponseWriter, status int, lang, next string, p *auth.PendingLogin, msg string) {
	token := rand.Text()
	s.setCookie(w, loginCookie, token, loginPath, 3600)
	v := &staffView{Lang: lang, Title: i18n.T(lang, "staff.sf.step.title"), FormError: msg, Errors: map[string]string{},
		Data: secondStepData{Next: safeNext(next), Token: token, TOTP: p.TOTP, Passkey: p.Passkey}}
	s.renderStaff(w, status, "staff_second_step.html", v)
}

func (s *App) submitSecondStep(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, r, http.StatusBadRequest, lang, "", "", i18n.T(lang, "staff.csrf"))
		return
	}
	next := r.PostFormValue("next")
	if !s.loginToken(r, r.PostFormValue("csrf")) {
		s.renderLogin(w, r, http.StatusForbidden, lang, "", next, i18n.T(lang, "staff.csrf"))
		return
	}
	p, token, err := s.pending(r)
	if errors.Is(err, auth.ErrNoSession) {
		s.renderLogin(w, r, http.StatusUnauthorized, lang, "", next, i18n.T(lang, "staff.sf.step.expired"))
		return
	}
	if err != nil {
		s.loginFailed(w, r, lang, "", next, err)
		return
	}
	device, err := s.auth.LogInSecondFactor(r.Context(), s.attempt(r), p.User, r.PostFormValue("code"))
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		s.renderSecondStep(w, http.StatusTooManyRequests, lang, next, p, i18n.T(lang, "staff.locked", locked.Until.In(amsterdam).Format("15:04")))
		return
	case errors.Is(err, auth.ErrBadCode):
		s.renderSecondStep(w, http.StatusUnauthorized, lang, next, p, i18n.T(lang, "staff.sf.step.badcode"))
		return
	case err != nil:
		s.loginFailed(w, r, lang, "", next, fmt.Errorf("second factor: %w", err))
		return
	}
	to, err := s.finishSecondStep(w, r, p.User, token, lang, next, device)
	if err != nil {
		s.loginFailed(w, r, lang, "", next, err)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// finishSecondStep ends the pending log-in of token and starts the
// session of u.
func (s *App) finishSecondStep(w http.ResponseWriter, r *http.Request, u *model.User, token, lang, next, device string) (string, error) {
	if err := s.auth.EndPendingLogin(r.Context(), token); err != nil {
		return "", err
	}
	s.setCookie(w, pendingCookie, "", loginPath, -1)
	return s.startLogin(w, r, u, lang, next, device, auth.ViaPassword)
}

// loginToken reports whether token is the double-submit token of the
// log-in pages.
func (s *App) loginToken(r *http.Request, token string) bool {
	c, err := r.Cookie(loginCookie)
	return err == nil && token != "" && subtle.ConstantTimeCompare([]byte(c.Value), []byte(token)) == 1
}

// attempt is the log-in attempt of the request, for the log-in policy.
func (s *App) attempt(r *http.Request) auth.LoginAttempt {
	a := auth.LoginAttempt{Addr: middleware.ClientAddr(r, s.trustedProxies)}
	if c, err := r.Cookie(deviceCookie); err == nil {
		a.Device = c.Value
	}
	return a
}

// --- logging in with a passkey: the second step, or on its own ---

// ceremony is what the passkey script receives to start, and posts to
// finish.
type ceremony struct {
	Options    json.RawMessage `json:"options,omitempty"`
	Token      string          `json:"token"`
	Next       string          `json:"next,omitempty"`
	Name       string          `json:"name,omitempty"`
	Credential json.RawMessage `json:"credential,omitempty"`
}

// writeJSON answers the passkey script.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may have gone
}

// jsonError answers the passkey script with a message to show.
func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readCeremony reads the JSON a passkey script posts, within its limit.
func readCeremony(w http.ResponseWriter, r *http.Request) (ceremony, bool) {
	var c ceremony
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil || len(b) > 0 && json.Unmarshal(b, &c) != nil {
		return c, false
	}
	return c, true
}

func (s *App) beginPasskeyLogin(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	if !s.loginToken(r, r.Header.Get("X-CSRF-Token")) {
		jsonError(w, http.StatusForbidden, i18n.T(lang, "staff.csrf"))
		return
	}
	var u *model.User
	if p, _, err := s.pending(r); err == nil {
		u = p.User
	}
	options, token, err := s.auth.BeginPasskeyLogin(r.Context(), u)
	if errors.Is(err, auth.ErrBusy) {
		w.Header().Set("Retry-After", busyRetryAfter)
		jsonError(w, http.StatusTooManyRequests, i18n.T(lang, "staff.busy"))
		return
	}
	if err != nil {
		s.logger.Error("web: staff passkey log-in", "err", err)
		jsonError(w, http.StatusInternalServerError, i18n.T(lang, "staff.sf.failed"))
		return
	}
	writeJSON(w, http.StatusOK, ceremony{Options: options, Token: token})
}

func (s *App) finishPasskeyLogin(w http.ResponseWriter, r *http.Request) {
	staffHeaders(w)
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	if !s.loginToken(r, r.Header.Get("X-CSRF-Token")) {
		jsonError(w, http.StatusForbidden, i18n.T(lang, "staff.csrf"))
		return
	}
	in, ok := readCeremony(w, r)
	if !ok {
		jsonError(w, http.StatusBadRequest, i18n.T(lang, "staff.sf.failed"))
		return
	}
	var want *model.User
	p, pendingToken, err := s.pending(r)
	if err == nil {
		want = p.User
	}
	u, device, err := s.auth.FinishPasskeyLogin(r.Context(), s.attempt(r), in.Token, in.Credential, want)
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		jsonError(w, http.StatusTooManyRequests, i18n.T(lang, "staff.locked", locked.Until.In(amsterdam).Format("15:04")))
		return
	case errors.Is(err, auth.ErrBadCode):
		jsonError(w, http.StatusUnauthorized, i18n.T(lang, "staff.sf.failed"))
		return
	case err != nil:
		s.logger.Error("web: staff passkey log-in", "err", err)
		jsonError(w, http.StatusInternalServerError, i18n.T(lang, "staff.failed.body"))
		return
	}
	var to string
	if want != nil {
		to, err = s.finishSecondStep(w, r, u, pendingToken, lang, in.Next, device)
	} else {
		to, err = s.startLogin(w, r, u, lang, in.Next, device, auth.ViaPasskey)
	}
	if err != nil {
		s.logger.Error("web: staff passkey log-in", "err", err)
		jsonError(w, http.StatusInternalServerError, i18n.T(lang, "staff.failed.body"))
		return
	}
	writeJSON(w, http.StatusOK, ceremony{Next: to})
}

// --- the second-factor page ---

type secondFactorData struct {
	Status            *auth.SecondFactorStatus
	Due               string
	Next              string
	Setup             *auth.TOTPSetup
	QR                template.HTML
	Passkeys          []passkeyRow
	PasskeysAvailable bool
	Codes             []string
	MaxName           int
}

type passkeyRow struct {
	ID, Name, Added, Used string
}

// secondFactorView returns the second-factor page; while the account may
// do nothing else, without the menu, which would only lead back here.
func (s *App) secondFactorView(r *http.Request, sr *staffRequest, next string) (*staffView, error) {
	ctx := r.Context()
	st, err := s.auth.SecondFactorStatus(ctx, sr.login.User)
	if err != nil {
		return nil, err
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.sf.title"), "second-factor")
	if st.EnrolOnly() {
		v.Orgs, v.IsAdmin = nil, false
	}
	d := &secondFactorData{Status: st, Next: safeNext(next), PasskeysAvailable: s.auth.PasskeysAvailable(), MaxName: auth.MaxPasskeyNameLength}
	if !st.Due.IsZero() {
		d.Due = i18n.DateTime(sr.lang, st.Due.In(amsterdam))
	}
	if !st.TOTP {
		if d.Setup, err = s.auth.BeginTOTP(ctx, sr.actor()); err != nil {
			return nil, err
		}
		d.QR = qrSVG(d.Setup.URI, i18n.T(sr.lang, "staff.sf.app.qr"))
	}
	keys, err := s.auth.Passkeys(ctx, sr.actor())
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		row := passkeyRow{ID: k.ID, Name: k.Name, Added: i18n.DateTime(sr.lang, k.CreatedAt.In(amsterdam))}
		if !k.LastUsedAt.IsZero() {
			row.Used = i18n.DateTime(sr.lang, k.LastUsedAt.In(amsterdam))
		}
		d.Passkeys = append(d.Passkeys, row)
	}
	v.Data = d
	return v, nil
}

func (s *App) showSecondFactor(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v, err := s.secondFactorView(r, sr, r.URL.Query().Get("next"))
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.Flash = flash(r, sr.lang)
	s.renderStaff(w, http.StatusOK, "staff_secondfactor.html", v)
}

// afterSecondFactorChange shows the page again after a change: with the
// recovery codes when there are new ones (shown this once), else by a
// redirect with a message.
func (s *App) afterSecondFactorChange(w http.ResponseWriter, r *http.Request, sr *staffRequest, codes []string, done string) {
	next := safeNext(r.PostFormValue("next"))
	if len(codes) == 0 {
		to := "/staff/second-factor"
		if next != "" {
			to += "?next=" + url.QueryEscape(next)
		}
		seeOther(w, r, to, done)
		return
	}
	v, err := s.secondFactorView(r, sr, next)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.Flash = i18n.T(sr.lang, "staff.done."+done)
	v.Data.(*secondFactorData).Codes = codes
	s.renderStaff(w, http.StatusOK, "staff_secondfactor.html", v)
}

// failSecondFactor shows the page again with the field error of err, or
// the failure page for any other error.
func (s *App) failSecondFactor(w http.ResponseWriter, r *http.Request, sr *staffRequest, err error) {
	v, verr := s.secondFactorView(r, sr, r.PostFormValue("next"))
	if verr != nil {
		s.staffFailure(w, r, sr, verr)
		return
	}
	if !fieldErrors(v, err) {
		s.staffFailure(w, r, sr, err)
		return
	}
	s.renderStaff(w, http.StatusUnprocessableEntity, "staff_secondfactor.html", v)
}

func (s *App) submitTOTP(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	codes, err := s.auth.ConfirmTOTP(r.Context(), sr.actor(), r.PostFormValue("code"))
	if err != nil {
		s.failSecondFactor(w, r, sr, err)
		return
	}
	s.afterSecondFactorChange(w, r, sr, codes, "totp")
}

func (s *App) submitRemoveTOTP(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if err := s.auth.RemoveTOTP(r.Context(), sr.actor()); err != nil {
		s.failSecondFactor(w, r, sr, err)
		return
	}
	s.afterSecondFactorChange(w, r, sr, nil, "totpremoved")
}

func (s *App) submitNewCodes(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	codes, err := s.auth.NewRecoveryCodes(r.Context(), sr.actor())
	if err != nil {
		s.failSecondFactor(w, r, sr, err)
		return
	}
	s.afterSecondFactorChange(w, r, sr, codes, "codes")
}

func (s *App) submitRemovePasskey(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if err := s.auth.RemovePasskey(r.Context(), sr.actor(), r.PathValue("id")); err != nil {
		s.failSecondFactor(w, r, sr, err)
		return
	}
	s.afterSecondFactorChange(w, r, sr, nil, "passkeyremoved")
}

// submitPasskeyWithoutScript answers the passkey form sent without its
// script, which a passkey needs.
func (s *App) submitPasskeyWithoutScript(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v, err := s.secondFactorView(r, sr, r.PostFormValue("next"))
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.FormError = i18n.T(sr.lang, "staff.sf.needsjs")
	s.renderStaff(w, http.StatusUnprocessableEntity, "staff_secondfactor.html", v)
}

func (s *App) beginPasskeyRegistration(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	options, token, err := s.auth.BeginPasskeyRegistration(r.Context(), sr.actor())
	if fe, ok := model.AsFieldError(err); ok {
		jsonError(w, http.StatusUnprocessableEntity, fieldMessage(fe, sr.lang))
		return
	}
	if err != nil {
		s.logger.Error("web: staff passkey registration", "err", err)
		jsonError(w, http.StatusInternalServerError, i18n.T(sr.lang, "staff.sf.failed"))
		return
	}
	writeJSON(w, http.StatusOK, ceremony{Options: options, Token: token})
}

func (s *App) finishPasskeyRegistration(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	in, ok := readCeremony(w, r)
	if !ok {
		jsonError(w, http.StatusBadRequest, i18n.T(sr.lang, "staff.sf.failed"))
		return
	}
	err := s.auth.FinishPasskeyRegistration(r.Context(), sr.actor(), in.Token, in.Name, in.Credential)
	if fe, ok := model.AsFieldError(err); ok {
		jsonError(w, http.StatusUnprocessableEntity, fieldMessage(fe, sr.lang))
		return
	}
	if err != nil {
		s.logger.Error("web: staff passkey registration", "err", err)
		jsonError(w, http.StatusInternalServerError, i18n.T(sr.lang, "staff.sf.failed"))
		return
	}
	to := "/staff/second-factor?done=passkey"
	if next := safeNext(in.Next); next != "" {
		to += "&next=" + url.QueryEscape(next)
	}
	writeJSON(w, http.StatusOK, ceremony{Next: to})
}

// qrSVG draws the QR code of text as an inline SVG image labelled label:
// drawn here, so that the page loads nothing from elsewhere and the
// secret goes nowhere else.
func qrSVG(text, label string) template.HTML {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return ""
	}
	n := code.Bounds().Dx()
	const quiet = 4
	var path strings.Builder
	for y := range n {
		for x := range n {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	size := n + 2*quiet
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="220" height="220" role="img" aria-label="%s">`+
		`<rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		size, size, template.HTMLEscapeString(label), size, size, path.String()))
}

// --- the policy: an organisation's, and the installation's ---

type secondFactorPolicyData struct {
	Org     bool // an organisation's policy; else the installation's
	Require bool // the organisation requires a second factor of every member
	// The installation's policy.
	Requirement string
	Choices     []policyChoice
	GraceDays   int
	MaxDays     int
}

type policyChoice struct {
	Value, Label string
	Selected     bool
}

func (s *App) policyRoutes(mux *http.ServeMux) {
	mux.Handle("GET /staff/orgs/{org}/second-factor", s.staffOrg(s.showOrgPolicy))
	mux.Handle("POST /staff/orgs/{org}/second-factor", s.staffOrg(s.submitOrgPolicy))
	mux.Handle("GET /staff/admin/second-factor", s.staff(s.showInstallationPolicy))
	mux.Handle("POST /staff/admin/second-factor", s.staff(s.submitInstallationPolicy))
}

func (s *App) showOrgPolicy(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	require, err := s.auth.OrgRequiresSecondFactor(r.Context(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.sf.policy.org")+" – "+sr.org.DisplayName, "members")
	v.Flash = flash(r, sr.lang)
	v.Data = secondFactorPolicyData{Org: true, Require: require}
	s.renderStaff(w, http.StatusOK, "staff_sf_policy.html", v)
}

func (s *App) submitOrgPolicy(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	err := s.auth.SetOrgSecondFactor(r.Context(), sr.actor(), sr.org.ID, r.PostFormValue("require") == "1")
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/second-factor", "saved")
}

func (s *App) installationPolicyView(sr *staffRequest, p auth.SecondFactorPolicy) *staffView {
	v := s.view(sr, i18n.T(sr.lang, "staff.sf.policy.installation"), "admin")
	d := secondFactorPolicyData{Requirement: string(p.Require), GraceDays: int(p.Grace / (24 * time.Hour)), MaxDays: int(auth.MaxSecondFactorGrace / (24 * time.Hour))}
	for _, r := range []auth.Requirement{auth.RequireAdmins, auth.RequireEveryone, auth.RequireNone} {
		label := fmt.Sprint(auth.RequirementName(r))
		if m, ok := auth.RequirementName(r).(i18n.Message); ok {
			label = m.In(sr.lang)
		}
		d.Choices = append(d.Choices, policyChoice{Value: string(r), Label: label, Selected: r == p.Require})
	}
	v.Data = d
	return v
}

func (s *App) showInstallationPolicy(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if auth.RequireAdmin(sr.actor()) != nil {
		s.staffForbidden(w, r, sr)
		return
	}
	p, err := s.auth.SecondFactorPolicy(r.Context())
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.installationPolicyView(sr, p)
	v.Flash = flash(r, sr.lang)
	s.renderStaff(w, http.StatusOK, "staff_sf_policy.html", v)
}

func (s *App) submitInstallationPolicy(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if auth.RequireAdmin(sr.actor()) != nil {
		s.staffForbidden(w, r, sr)
		return
	}
	p := auth.SecondFactorPolicy{Require: auth.Requirement(r.PostFormValue("require"))}
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("grace")))
	if err != nil || days < 0 {
		days = -1
	}
	p.Grace = time.Duration(days) * 24 * time.Hour
	if err := s.auth.SetSecondFactorPolicy(r.Context(), sr.actor(), p); err != nil {
		v := s.installationPolicyView(sr, p)
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderStaff(w, http.StatusUnprocessableEntity, "staff_sf_policy.html", v)
		return
	}
	seeOther(w, r, "/staff/admin/second-factor", "saved")
}
