package staff

import (
	"net/http"
	"strings"
	"time"

	"plein/internal/accessibility"
	"plein/internal/auth"
	"plein/internal/i18n"
)

// statementPath is the staff screen of the accessibility statement.
const statementPath = "/staff/admin/accessibility"

// statementData is the form of the accessibility statement.
type statementData struct {
	Statuses                           []policyChoice
	Body, Domains, AuditDate, Evidence string
	SignedBy, Role, Date, Register     string
	Contacts                           []policyChoice
	Email, Measures                    string
	Updated                            string
}

func (s *App) statementRoutes(mux *http.ServeMux) {
	mux.Handle("GET "+statementPath, s.staff(s.showStatement))
	mux.Handle("POST "+statementPath, s.staff(s.submitStatement))
}

// statementView fills the form with st, or with what was typed (days as
// typed in auditDate and date, when given).
func (s *App) statementView(r *http.Request, sr *staffRequest, st *accessibility.Statement, auditDate, date string) (*staffView, error) {
	v := s.view(sr, i18n.T(sr.lang, "staff.a11y.title"), "admin")
	d := statementData{Body: st.Body, Domains: strings.Join(st.Domains, "\n"), AuditDate: formDay(st.AuditDate, auditDate),
		Evidence: st.EvidenceURL, SignedBy: st.SignedBy, Role: st.SignedRole, Date: formDay(st.SignedOn, date),
		Register: st.RegisterURL, Email: st.Email, Measures: st.Measures}
	d.Statuses = append(d.Statuses, policyChoice{Value: "", Label: i18n.T(sr.lang, "staff.a11y.status.none"), Selected: st.Status == ""})
	for _, status := range accessibility.Statuses {
		d.Statuses = append(d.Statuses, policyChoice{Value: string(status), Label: string(status) + " – " + status.Name().In(sr.lang),
			Selected: status == st.Status})
	}
	orgs, err := s.a11y.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	d.Contacts = append(d.Contacts, policyChoice{Value: "", Label: i18n.T(sr.lang, "staff.a11y.contact.none"), Selected: st.ContactHandle == ""})
	for _, o := range orgs {
		d.Contacts = append(d.Contacts, policyChoice{Value: o.Handle, Label: o.DisplayName + " (@" + o.Handle + ")", Selected: o.Handle == st.ContactHandle})
	}
	if !st.UpdatedAt.IsZero() {
		d.Updated = i18n.T(sr.lang, "a11y.updated", i18n.Date(sr.lang, st.UpdatedAt))
	}
	v.Data = d
	return v, nil
}

// formDay writes t as a form's date field does, or typed when it is not
// empty.
func formDay(t time.Time, typed string) string {
	if typed != "" {
		return typed
	}
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (s *App) showStatement(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.a11y == nil || auth.RequireAdmin(sr.actor()) != nil {
		s.staffForbidden(w, r, sr)
		return
	}
	st, err := s.a11y.Statement(r.Context())
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v, err := s.statementView(r, sr, st, "", "")
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.Flash = flash(r, sr.lang)
	s.renderStaff(w, http.StatusOK, "staff_accessibility.html", v)
}

func (s *App) submitStatement(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.a11y == nil || auth.RequireAdmin(sr.actor()) != nil {
		s.staffForbidden(w, r, sr)
		return
	}
	auditDate, date := strings.TrimSpace(r.PostFormValue("audit-date")), strings.TrimSpace(r.PostFormValue("date"))
	st := accessibility.Statement{Status: accessibility.Status(r.PostFormValue("status")), Body: r.PostFormValue("body"),
		Domains:     strings.FieldsFunc(r.PostFormValue("domains"), func(c rune) bool { return c == ',' || c == '\n' || c == '\r' || c == ' ' }),
		EvidenceURL: r.PostFormValue("evidence"), SignedBy: r.PostFormValue("signed-by"), SignedRole: r.PostFormValue("role"),
		RegisterURL: r.PostFormValue("register"), ContactHandle: r.PostFormValue("contact"), Email: r.PostFormValue("email"),
		Measures: r.PostFormValue("measures")}
	var err error
	st.AuditDate, err = accessibility.ParseDay("audit-date", auditDate)
	if err == nil {
		st.SignedOn, err = accessibility.ParseDay("date", date)
	}
	if err == nil {
		err = s.a11y.SetStatement(r.Context(), sr.actor(), st)
	}
	if err != nil {
		v, verr := s.statementView(r, sr, &st, auditDate, date)
		if verr != nil || !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderStaff(w, http.StatusUnprocessableEntity, "staff_accessibility.html", v)
		return
	}
	seeOther(w, r, statementPath, "saved")
}
