package staff

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"plein/internal/archive"
	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/org"
)

// --- profile ---

type profileData struct {
	Name, Description, Links, Language, TimeZone string
	AlsoKnownAs                                  string // one URL per line
	AvatarSrc                                    string
	HeaderSrc, HeaderAlt                         string // the current header image
	NewHeaderAlt                                 string // as typed with a new header image
	Policy                                       approvalPolicyData
	Move                                         moveData
	moveTo, moveConfirm                          string // as typed in the move-out form
	Bluesky                                      blueskyData
}

func profileFromOrg(o *model.Org) profileData {
	var links []string
	for _, l := range o.Links {
		links = append(links, l.Label+" = "+l.URL)
	}
	return profileData{Name: o.DisplayName, Description: o.Description, Links: strings.Join(links, "\n"),
		Language: o.Language, TimeZone: o.TimeZone, AlsoKnownAs: strings.Join(o.AlsoKnownAs, "\n")}
}

func (s *App) renderProfile(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, d profileData, v *staffView) {
	if m, err := s.orgs.Avatar(r.Context(), sr.org); err == nil && m != nil {
		d.AvatarSrc = "/media/" + m.Variant("small").Key
	}
	if m, err := s.orgs.Header(r.Context(), sr.org); err == nil && m != nil {
		d.HeaderSrc, d.HeaderAlt = "/media/"+m.Variant("small").Key, sr.org.HeaderAlt
	}
	var err error
	if d.Policy, err = s.policyData(r, sr); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if d.Move, err = s.moveData(r, sr, d.moveTo, d.moveConfirm); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if err := s.fillBluesky(r, sr, &d.Bluesky); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.Data = d
	s.renderStaff(w, status, "staff_profile.html", v)
}

func (s *App) showProfile(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.profile")+" – "+sr.org.DisplayName, "profile")
	v.Flash = flash(r, sr.lang)
	s.renderProfile(w, r, sr, http.StatusOK, profileFromOrg(sr.org), v)
}

// parseLinks reads "Label = https://…" lines.
func parseLinks(text string) ([]model.Link, error) {
	var links []model.Link
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		label, u, ok := strings.Cut(line, "=")
		if !ok {
			return nil, model.Invalid("links", i18n.M(i18n.ErrLinkFormat))
		}
		links = append(links, model.Link{Label: strings.TrimSpace(label), URL: strings.TrimSpace(u)})
	}
	return links, nil
}

func (s *App) submitProfile(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.view(sr, i18n.T(sr.lang, "staff.profile")+" – "+sr.org.DisplayName, "profile")
	d := profileData{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Links: r.PostFormValue("links"), Language: r.PostFormValue("language"), TimeZone: r.PostFormValue("timezone"),
		AlsoKnownAs: r.PostFormValue("aka"), NewHeaderAlt: r.PostFormValue("header_alt")}
	fail := func(err error) {
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderProfile(w, r, sr, http.StatusUnprocessableEntity, d, v)
	}
	links, err := parseLinks(d.Links)
	if err != nil {
		fail(err)
		return
	}
	if file, _, err := formFile(r, "header"); err == nil {
		file.Close()
		if strings.TrimSpace(d.NewHeaderAlt) == "" {
			// Checked before anything is saved, and said in the reader's language.
			v.Errors["header_alt"], v.FormError = i18n.T(sr.lang, "staff.alt.missing"), i18n.T(sr.lang, "staff.errors")
			s.renderProfile(w, r, sr, http.StatusUnprocessableEntity, d, v)
			return
		}
	}
	o, err := s.orgs.UpdateProfile(r.Context(), sr.actor(), sr.org.ID, org.Profile{DisplayName: d.Name,
		Description: d.Description, Links: links, Language: d.Language, TimeZone: d.TimeZone,
		AlsoKnownAs: strings.Fields(d.AlsoKnownAs)})
	if err != nil {
		fail(err)
		return
	}
	sr.org = o
	if file, header, err := formFile(r, "avatar"); err == nil {
		_, err = s.orgs.SetAvatar(r.Context(), sr.actor(), o.ID, header.Filename, file)
		file.Close()
		if err != nil {
			fail(err)
			return
		}
	} else if r.PostFormValue("remove_avatar") != "" {
		if _, err := s.orgs.SetAvatar(r.Context(), sr.actor(), o.ID, "", nil); err != nil {
			fail(err)
			return
		}
	}
	if file, header, err := formFile(r, "header"); err == nil {
		_, err = s.orgs.SetHeader(r.Context(), sr.actor(), o.ID, header.Filename, file, d.NewHeaderAlt)
		file.Close()
		if err != nil {
			fail(err)
			return
		}
	} else if r.PostFormValue("remove_header") != "" {
		if _, err := s.orgs.SetHeader(r.Context(), sr.actor(), o.ID, "", nil, ""); err != nil {
			fail(err)
			return
		}
	}
	seeOther(w, r, "/staff/orgs/"+o.Handle+"/profile", "saved")
}

// --- members ---

type membersData struct {
	Members []memberRow
	Roles   []roleOption
	Email   string
	Role    string
}

type memberRow struct {
	UserID, Email, Name, Role string
	Self                      bool
}

type roleOption struct {
	Value, Label string
	Selected     bool
}

func (s *App) renderMembers(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, d membersData, v *staffView) {
	members, err := s.auth.Members(r.Context(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	for _, m := range members {
		d.Members = append(d.Members, memberRow{UserID: m.User.ID, Email: m.User.Email, Name: m.User.Name,
			Role: i18n.T(sr.lang, "staff.role."+string(m.Role)), Self: m.User.ID == sr.login.User.ID})
	}
	if d.Role == "" {
		d.Role = string(model.RoleEditor)
	}
	for _, role := range model.Roles {
		d.Roles = append(d.Roles, roleOption{Value: string(role), Label: i18n.T(sr.lang, "staff.role."+string(role)),
			Selected: string(role) == d.Role})
	}
	v.Data = d
	s.renderStaff(w, status, "staff_members.html", v)
}

func (s *App) showMembers(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.members")+" – "+sr.org.DisplayName, "members")
	v.Flash = flash(r, sr.lang)
	s.renderMembers(w, r, sr, http.StatusOK, membersData{}, v)
}

func (s *App) submitMember(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.view(sr, i18n.T(sr.lang, "staff.members")+" – "+sr.org.DisplayName, "members")
	d := membersData{Email: r.PostFormValue("email"), Role: r.PostFormValue("role")}
	role, err := model.ParseRole(d.Role)
	if err != nil {
		v.Errors["role"] = i18n.T(sr.lang, "staff.role.unknown")
		s.renderMembers(w, r, sr, http.StatusUnprocessableEntity, d, v)
		return
	}
	if err := s.auth.AddToOrg(r.Context(), sr.actor(), sr.org.ID, d.Email, role); err != nil {
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderMembers(w, r, sr, http.StatusUnprocessableEntity, d, v)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/members", "saved")
}

func (s *App) submitRemoveMember(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if err := s.auth.RemoveFromOrg(r.Context(), sr.actor(), sr.org.ID, r.PathValue("user")); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/members", "saved")
}

// --- audit log ---

type auditRow struct {
	When, ISO string
	What      template.HTML // the sentence, with links
}

func (s *App) auditRows(lines []auth.AuditLine, lang string, loc *time.Location) []auditRow {
	rows := make([]auditRow, 0, len(lines))
	for _, l := range lines {
		rows = append(rows, auditRow{When: i18n.DateTime(lang, l.Entry.At.In(loc)), ISO: l.Entry.At.UTC().Format(time.RFC3339),
			What: auditSentence(l.Sentence, lang)})
	}
	return rows
}

// auditSentence writes an audit sentence in lang as HTML, each account,
// post and organisation it names linked to its staff page while it still
// exists.
func auditSentence(m i18n.Message, lang string) template.HTML {
	// The arguments are formatted as markers, the sentence escaped, and
	// the markers replaced by the arguments' own escaped HTML.
	args := make([]any, len(m.Args))
	parts := make([]string, 0, 2*len(m.Args))
	for i, a := range m.Args {
		marker := fmt.Sprintf("\x01%d\x01", i) // a control character, which escaping keeps
		args[i] = marker
		parts = append(parts, marker, auditArg(a, lang))
	}
	sentence := template.HTMLEscapeString(i18n.M(m.Key, args...).Sentence(lang))
	return template.HTML(strings.NewReplacer(parts...).Replace(sentence))
}

// auditArg writes one argument of an audit sentence as HTML.
func auditArg(a any, lang string) string {
	ref, ok := a.(auth.Ref)
	if !ok {
		if l, ok := a.(interface{ In(string) string }); ok {
			return template.HTMLEscapeString(l.In(lang))
		}
		return template.HTMLEscapeString(fmt.Sprint(a))
	}
	text := template.HTMLEscapeString(ref.In(lang))
	href := ""
	switch {
	case !ref.Exists || ref.Org == "":
	case ref.Kind == auth.RefPost:
		href = "/staff/orgs/" + url.PathEscape(ref.Org) + "/posts/" + url.PathEscape(ref.ID)
	case ref.Kind == auth.RefAccount:
		href = "/staff/orgs/" + url.PathEscape(ref.Org) + "/members"
	case ref.Kind == auth.RefOrg:
		href = "/staff/orgs/" + url.PathEscape(ref.Org) + "/profile"
	}
	if href == "" {
		return text
	}
	return `<a href="` + template.HTMLEscapeString(href) + `">` + text + `</a>`
}

func (s *App) showAudit(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	entries, err := s.auth.AuditLines(r.Context(), sr.actor(), sr.org.ID, 500)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.audit")+" – "+sr.org.DisplayName, "audit")
	v.Data = auditData{Rows: s.auditRows(entries, sr.lang, sr.org.Location()), CanArchive: s.archive != nil && sr.can(auth.PermManage)}
	s.renderStaff(w, http.StatusOK, "staff_audit.html", v)
}

// auditData is the audit screen: the log, and for administrators the
// button that downloads the organisation's archive.
type auditData struct {
	Rows       []auditRow
	CanArchive bool
}

// submitArchive streams the organisation's archive (without WARC files)
// as a zip file, for its administrators.
func (s *App) submitArchive(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.archive == nil || !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="archive-`+sr.org.Handle+`-`+s.now().UTC().Format(time.DateOnly)+`.zip"`)
	if _, err := s.archive.Export(r.Context(), sr.org.ID, w, archive.Options{}); err != nil {
		// The zip file is cut short, so the download fails visibly; the
		// status line has been sent already.
		s.logger.Error("staff: writing an archive", "org", sr.org.ID, "err", err)
	}
}

// --- installation administration ---

type adminData struct {
	Orgs     []*model.Org
	Users    []*model.User
	Handle   string
	Name     string
	Email    string
	UserName string
	IsAdmin  bool
	Created  string // message with a new account's password, shown once
	Audit    []auditRow
}

func (s *App) renderAdmin(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, d adminData, v *staffView) {
	orgs, err := s.orgs.List(r.Context())
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, o)
	}
	if d.Users, err = s.auth.ListUsers(r.Context(), sr.actor()); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	entries, err := s.auth.AuditLines(r.Context(), sr.actor(), "", 100)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	d.Audit = s.auditRows(entries, sr.lang, amsterdam)
	v.Data = d
	s.renderStaff(w, status, "staff_admin.html", v)
}

func (s *App) showAdmin(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if auth.RequireAdmin(sr.actor()) != nil {
		s.staffForbidden(w, r, sr)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.admin"), "admin")
	v.Flash = flash(r, sr.lang)
	s.renderAdmin(w, r, sr, http.StatusOK, adminData{}, v)
}

func (s *App) submitNewOrg(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.view(sr, i18n.T(sr.lang, "staff.admin"), "admin")
	d := adminData{Handle: r.PostFormValue("handle"), Name: r.PostFormValue("name")}
	o, err := s.orgs.Create(r.Context(), sr.actor(), d.Handle, org.Profile{DisplayName: d.Name, Language: sr.lang})
	if err != nil {
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderAdmin(w, r, sr, http.StatusUnprocessableEntity, d, v)
		return
	}
	v.Flash = i18n.T(sr.lang, "staff.admin.orgcreated", o.Handle)
	s.renderAdmin(w, r, sr, http.StatusOK, adminData{}, v)
}

func (s *App) submitNewUser(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.view(sr, i18n.T(sr.lang, "staff.admin"), "admin")
	d := adminData{Email: r.PostFormValue("email"), UserName: r.PostFormValue("username"), IsAdmin: r.PostFormValue("admin") != ""}
	u, password, err := s.auth.CreateUser(r.Context(), sr.actor(), auth.NewUser{Email: d.Email, Name: d.UserName, IsAdmin: d.IsAdmin})
	if err != nil {
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderAdmin(w, r, sr, http.StatusUnprocessableEntity, d, v)
		return
	}
	// Shown once, in this response only, which no cache keeps (no-store).
	s.renderAdmin(w, r, sr, http.StatusOK, adminData{Created: i18n.T(sr.lang, "staff.admin.created", u.Email, password)}, v)
}
