package staff

import (
	"net/http"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/privacy"
)

// accountRoutes registers the screens of a staff member's own log-in
// (single sign-on, sessions) and the administrators' view of someone's
// sessions.
func (s *App) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /staff/login/sso", s.startSSO)
	mux.HandleFunc("GET /staff/login/sso/callback", s.finishSSO)
	mux.Handle("POST /staff/sso/link", s.staff(s.submitSSOLink))
	mux.Handle("POST /staff/sso/unlink", s.staff(s.submitSSOUnlink))
	mux.Handle("GET /staff/sessions", s.staff(s.showSessions))
	mux.Handle("POST /staff/sessions/end", s.staff(s.submitEndSession))
	mux.Handle("POST /staff/sessions/end-others", s.staff(s.submitEndOthers))
	mux.Handle("GET /staff/admin/users/{user}/sessions", s.staff(s.showUserSessions))
	mux.Handle("POST /staff/admin/users/{user}/sessions/end", s.staff(s.submitEndUserSessions))
}

// sessionStart describes the log-in of r for auth.OpenSession.
func (s *App) sessionStart(r *http.Request, lang, via string) auth.SessionStart {
	start := auth.SessionStart{Lang: lang, UserAgent: r.UserAgent(), Via: via}
	if c, err := r.Cookie(deviceCookie); err == nil {
		start.DeviceToken = c.Value
	}
	return start
}

// sessionCookieAge is the Max-Age of the session cookie: the absolute
// limit of a session.
func (s *App) sessionCookieAge() int { return int(s.auth.SessionLimits().Max.Seconds()) }

// sessionRow is one session in a table.
type sessionRow struct {
	Ref, Device, Via, Created, LastSeen string
	Current                             bool
}

func sessionRows(lang string, list []auth.SessionView) []sessionRow {
	rows := make([]sessionRow, 0, len(list))
	for _, v := range list {
		row := sessionRow{Ref: v.Ref, Device: v.Device, Current: v.Current,
			Created: i18n.DateTime(lang, v.CreatedAt.In(amsterdam)), LastSeen: i18n.DateTime(lang, v.LastSeenAt.In(amsterdam))}
		if row.Device == "" {
			row.Device = i18n.T(lang, string(i18n.SessionDeviceUnknown))
		}
		switch v.Via {
		case auth.ViaOIDC:
			row.Via = i18n.T(lang, "sessions.via.oidc")
		case auth.ViaPasskey:
			row.Via = i18n.T(lang, "sessions.via.passkey")
		case auth.ViaPassword:
			row.Via = i18n.T(lang, "sessions.via.password")
		}
		rows = append(rows, row)
	}
	return rows
}

// sessionsData is the screen of one's own log-in and sessions.
type sessionsData struct {
	Intro    string
	SSO      string // the provider's name; empty: no single sign-on
	Linked   string // when the account was linked; empty: not linked
	Sessions []sessionRow
	Others   bool // there are sessions besides the current one
}

func (s *App) showSessions(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	list, err := s.auth.OwnSessions(r.Context(), sr.login)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	limits := s.auth.SessionLimits()
	d := sessionsData{Intro: i18n.T(sr.lang, "sessions.intro", privacy.DurationWords(sr.lang, limits.Idle), privacy.DurationWords(sr.lang, limits.Max)),
		Sessions: sessionRows(sr.lang, list), Others: len(list) > 1}
	if p := s.auth.SSO(); p != nil {
		d.SSO = p.Name()
		ids, err := s.auth.Identities(r.Context(), sr.login.User.ID)
		if err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
		for _, id := range ids {
			if id.Issuer == p.Issuer() {
				d.Linked = i18n.DateTime(sr.lang, id.CreatedAt.In(amsterdam))
			}
		}
	}
	v := s.view(sr, i18n.T(sr.lang, "sessions.page"), "sessions")
	v.Flash = flash(r, sr.lang)
	v.Data = d
	s.renderStaff(w, http.StatusOK, "staff_sessions.html", v)
}

func (s *App) submitEndSession(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	ref := r.PostFormValue("session")
	if len(ref) > 64 {
		ref = ""
	}
	if err := s.auth.EndOwnSession(r.Context(), sr.login, ref); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if ref == auth.SessionRef(sr.login.Session.ID) {
		s.setCookie(w, sessionCookie, "", staffPath, -1)
		http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
		return
	}
	seeOther(w, r, "/staff/sessions", "session-ended")
}

func (s *App) submitEndOthers(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if err := s.auth.EndOtherSessions(r.Context(), sr.login); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/sessions", "sessions-ended")
}

// userSessionsData is an administrator's view of someone's sessions.
type userSessionsData struct {
	User     *model.User
	Sessions []sessionRow
}

// account returns the account the path names, for instance
// administrators; it answers the request itself when it cannot.
func (s *App) account(w http.ResponseWriter, r *http.Request, sr *staffRequest) (*model.User, bool) {
	if !sr.login.Actor.IsAdmin {
		s.staffForbidden(w, r, sr)
		return nil, false
	}
	u, err := s.auth.Account(r.Context(), sr.actor(), r.PathValue("user"))
	if _, ok := model.AsFieldError(err); ok {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return nil, false
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return nil, false
	}
	return u, true
}

func (s *App) showUserSessions(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	u, ok := s.account(w, r, sr)
	if !ok {
		return
	}
	_, list, err := s.auth.UserSessions(r.Context(), sr.actor(), u.Email)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "sessions.admin.title", u.Email), "admin")
	v.Flash = flash(r, sr.lang)
	v.Data = userSessionsData{User: u, Sessions: sessionRows(sr.lang, list)}
	s.renderStaff(w, http.StatusOK, "staff_user_sessions.html", v)
}

func (s *App) submitEndUserSessions(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	u, ok := s.account(w, r, sr)
	if !ok {
		return
	}
	if _, err := s.auth.EndUserSessions(r.Context(), sr.actor(), u.Email); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if u.ID == sr.login.User.ID {
		s.setCookie(w, sessionCookie, "", staffPath, -1)
		http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
		return
	}
	seeOther(w, r, "/staff/admin/users/"+u.ID+"/sessions", "user-sessions")
}

// sessionsView is the data of the "sessionlist" template: end is where a
// session's "End" button posts; empty: no buttons.
func sessionsView(lang, csrf, end string, rows []sessionRow) any {
	return struct {
		Lang, CSRF, End string
		Rows            []sessionRow
	}{lang, csrf, end, rows}
}
