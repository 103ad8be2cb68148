package staff

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/contact"
	"plein/internal/i18n"
	"plein/internal/model"
)

// questionTeam fills the team's part of a question's screen: who it may be
// assigned to, the internal notes and the saved answers to start from.
func (s *App) questionTeam(r *http.Request, sr *staffRequest, it *contact.Item, d *questionData) error {
	ctx := r.Context()
	d.Direct = len(it.ReplyTo) > 0 && it.ReplyTo[0] == '@'
	readers, err := s.contact.Readers(ctx, sr.org.ID)
	if err != nil {
		return err
	}
	d.Assignees = append(d.Assignees, stateOption{Value: "", Label: i18n.T(sr.lang, "staff.inbox.nobody"), Selected: it.Assignee == nil})
	for _, m := range readers {
		label := m.User.Email
		if m.User.Name != "" {
			label = m.User.Name + " (" + m.User.Email + ")"
		}
		d.Assignees = append(d.Assignees, stateOption{Value: m.User.Email, Label: label,
			Selected: it.Assignee != nil && it.Assignee.ID == m.User.ID})
	}
	loc := sr.org.Location()
	for _, n := range it.Notes {
		d.Notes = append(d.Notes, answerRow{Author: n.Author, When: i18n.DateTime(sr.lang, n.CreatedAt.In(loc)), Text: n.Text})
	}
	saved, err := s.contact.SavedAnswers(ctx, sr.actor(), sr.org.ID)
	if err != nil {
		return err
	}
	for _, a := range saved {
		d.Saved = append(d.Saved, stateOption{Value: a.ID, Label: a.Title})
	}
	return nil
}

// sendQuestionExport answers with the question id, of reference ref, and
// its answers as an .eml file for the organisation's case system. It is a
// POST because the export is written to the audit log.
func (s *App) sendQuestionExport(w http.ResponseWriter, r *http.Request, sr *staffRequest, id, ref string) {
	msg, err := s.contact.Export(r.Context(), sr.actor(), id, false)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ref+`.eml"`)
	w.Write(msg)
}

type savedData struct {
	Answers      []*model.SavedAnswer
	Title, Text  string // being written, kept after an error
	SettingsPath string // empty when the actor may not change the settings
}

// showSaved lists the organisation's saved answers with a form to add one.
func (s *App) showSaved(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.renderSaved(w, r, sr, http.StatusOK, "", "", nil)
}

func (s *App) renderSaved(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, title, text string, v *staffView) {
	if !s.inboxAllowed(w, r, sr) {
		return
	}
	list, err := s.contact.SavedAnswers(r.Context(), sr.actor(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if v == nil {
		v = s.view(sr, "", "inbox")
	}
	v.Title = i18n.T(sr.lang, "staff.inbox.saved") + " – " + sr.org.DisplayName
	v.Flash = flash(r, sr.lang)
	d := savedData{Answers: list, Title: title, Text: text}
	if sr.can(auth.PermManage) {
		d.SettingsPath = v.OrgPath + "/inbox/settings"
	}
	v.Data = d
	s.renderStaff(w, status, "staff_saved.html", v)
}

// submitSaved adds a saved answer.
func (s *App) submitSaved(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.inboxAllowed(w, r, sr) {
		return
	}
	title, text := r.PostFormValue("title"), r.PostFormValue("text")
	_, err := s.contact.AddSavedAnswer(r.Context(), sr.actor(), sr.org.ID, title, text)
	if err == nil {
		seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/inbox/saved", "savedanswer")
		return
	}
	v := s.view(sr, "", "inbox")
	if fieldErrors(v, err) {
		s.renderSaved(w, r, sr, http.StatusUnprocessableEntity, title, text, v)
		return
	}
	s.staffFailure(w, r, sr, err)
}

// submitSavedRemove removes a saved answer.
func (s *App) submitSavedRemove(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.inboxAllowed(w, r, sr) {
		return
	}
	err := s.contact.RemoveSavedAnswer(r.Context(), sr.actor(), sr.org.ID, r.PathValue("id"))
	if errors.Is(err, contact.ErrSavedNotFound) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/inbox/saved", "savedremoved")
}

type inboxSettingsData struct {
	Roles                          []stateOption
	Retention, Complaints          string // days; empty: the default
	DefaultRetention, DefaultAfter string
	Notify                         bool
	Topics                         string // one a line
}

// showInboxSettings shows the organisation's inbox settings to those who
// manage it.
func (s *App) showInboxSettings(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.contact == nil || !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	set, err := s.contact.Settings(r.Context(), auth.Operator(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	s.renderInboxSettings(w, r, sr, http.StatusOK, set, nil)
}

func (s *App) renderInboxSettings(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, set *model.InboxSettings, v *staffView) {
	if v == nil {
		v = s.view(sr, "", "inbox")
	}
	v.Title = i18n.T(sr.lang, "staff.inbox.settings") + " – " + sr.org.DisplayName
	v.Flash = flash(r, sr.lang)
	days := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return strconv.Itoa(int(d / config.Day))
	}
	d := inboxSettingsData{Retention: days(set.Retention), Complaints: days(set.ComplaintRetention), Notify: set.Notify,
		DefaultRetention: strconv.Itoa(int(s.contact.DefaultRetention() / config.Day)), DefaultAfter: strconv.Itoa(int(contact.DefaultComplaintRetention / config.Day)),
		Topics: strings.Join(set.Topics, "\n")}
	for _, role := range []model.Role{model.RoleEditor, model.RoleModerator, model.RoleAnalyst} {
		chosen := false
		for _, x := range set.Readers {
			chosen = chosen || x == role
		}
		d.Roles = append(d.Roles, stateOption{Value: string(role), Label: i18n.T(sr.lang, "staff.role."+string(role)), Selected: chosen})
	}
	v.Data = d
	s.renderStaff(w, status, "staff_inbox_settings.html", v)
}

// submitInboxSettings stores the organisation's inbox settings.
func (s *App) submitInboxSettings(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.contact == nil || !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	set := model.InboxSettings{OrgID: sr.org.ID, Notify: r.PostFormValue("notify") == "1"}
	for _, role := range r.PostForm["readers"] {
		set.Readers = append(set.Readers, model.Role(role))
	}
	v := s.view(sr, "", "inbox")
	for field, into := range map[string]*time.Duration{"retention": &set.Retention, "complaints": &set.ComplaintRetention} {
		raw := r.PostFormValue(field)
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			n = -1 // refused below, next to its field
		}
		*into = time.Duration(n) * config.Day
	}
	err := s.contact.SetSettings(r.Context(), sr.actor(), set)
	if err == nil {
		seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/inbox/settings", "inboxsettings")
		return
	}
	if fieldErrors(v, err) {
		s.renderInboxSettings(w, r, sr, http.StatusUnprocessableEntity, &set, v)
		return
	}
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	s.staffFailure(w, r, sr, err)
}
