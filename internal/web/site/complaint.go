package site

import (
	"errors"
	"net/http"
	"net/url"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/web/middleware"
)

// complaintView is the data of the complaint form and its receipt.
type complaintView struct {
	Lang, Action, Token, Key string
	// Decision and Reason tell the decision complained about; Deadline
	// until when a complaint is taken.
	Decision, Reason, Deadline string
	Text                       string
	MaxLength                  int
	Error                      string
	Errors                     map[string]string // by field
	// Closed says why no complaint is taken (too late, or one received);
	// the form is not shown then.
	Closed    string
	Reference string // of the complaint received
}

// complaintPath is the path of the complaint form about statement id of
// the organisation handle, with the link's key and the chosen language.
func complaintPath(handle, id, key, lang string) string {
	q := url.Values{"key": {key}}
	if lang != "" {
		q.Set("lang", lang)
	}
	return "/@" + handle + "/complaint/" + id + "?" + q.Encode()
}

// complaintPage returns the page of o's complaint form about the subject,
// in lang, with a fresh token; or, when no complaint is taken, why not.
func (s *Site) complaintPage(r *http.Request, o *model.Org, sub *moderation.ComplaintSubject, key, lang, chosen string) (*pageView, error) {
	st := sub.Statement
	loc := o.Location()
	decision := "complaint.decision.refused"
	if st.Decision == model.ReplyHidden {
		decision = "complaint.decision.hidden"
	}
	cv := &complaintView{Lang: lang, Key: key, MaxLength: moderation.MaxComplaintText, Errors: map[string]string{},
		Action:   withLang("/@"+o.Handle+"/complaint/"+st.ID, chosen),
		Decision: i18n.T(lang, decision, st.ID, i18n.Date(lang, st.ApplicationDate.In(loc)), sub.PostTitle),
		Reason:   i18n.T(lang, "complaint.decision.reason", st.Explanation),
		Deadline: i18n.T(lang, "complaint.deadline", i18n.DateTime(lang, sub.Deadline.In(loc)))}
	title := i18n.T(lang, "complaint.title", o.DisplayName)
	if rf, ok := moderation.AsRefusal(sub.Refusal()); ok {
		cv.Closed, title = rf.Message.Sentence(lang), i18n.T(lang, "complaint.closed.title")
	} else {
		token, err := s.moderation.ComplaintFormToken(r.Context(), st.ID)
		if err != nil {
			return nil, err
		}
		cv.Token = token
	}
	return &pageView{Chosen: chosen, Title: title, SwitchURL: complaintPath(o.Handle, st.ID, key, otherLang(lang)),
		PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen), Org: s.orgView(o, chosen), Complaint: cv}, nil
}

// complaintSubject resolves the statement of the request's path with the
// link's key, answering 404 when the link is not one Plein made.
func (s *Site) complaintSubject(w http.ResponseWriter, r *http.Request, key string) (*model.Org, *moderation.ComplaintSubject, string, string, bool) {
	o, chosen, lang, ok := s.reportOrg(w, r)
	if !ok {
		return nil, nil, "", "", false
	}
	sub, err := s.moderation.Subject(r.Context(), o, r.PathValue("statement"), key)
	if errors.Is(err, moderation.ErrNoStatement) {
		s.writeError(w, http.StatusNotFound, lang, i18n.T(lang, "notfound.title"), i18n.T(lang, "notfound.body"))
		return nil, nil, "", "", false
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return nil, nil, "", "", false
	}
	if chosen == "" {
		lang = i18n.Pick(sub.Statement.Language, o.Language)
	}
	return o, sub, chosen, lang, true
}

// ComplaintForm serves GET /@{handle}/complaint/{statement}?key=KEY: the
// form with which the author of a refused or hidden reply complains about
// the decision, free of charge and without an account (Digital Services
// Act, Art. 20). The key, which the statement of reasons links with, is
// what admits them. It is rendered for each request, sets no cookie and
// holds no script.
func (s *Site) ComplaintForm(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	o, sub, chosen, lang, ok := s.complaintSubject(w, r, key)
	if !ok {
		return
	}
	v, err := s.complaintPage(r, o, sub, key, lang, chosen)
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	status := http.StatusOK
	if v.Complaint.Closed != "" {
		status = http.StatusGone
	}
	s.write(w, lang, status, v, "complaint.html")
}

// Complaint handles POST /@{handle}/complaint/{statement} with the fields
// key, complaint, the form token and the honeypot field website. It
// answers with the receipt, or the form again with what was typed and
// why, or the reason no complaint is taken.
func (s *Site) Complaint(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxContactBody)
	if err := r.ParseForm(); err != nil {
		lang := i18n.Pick(chosenLang(r), "")
		s.writeError(w, http.StatusBadRequest, lang, i18n.T(lang, "error.title"), i18n.T(lang, "sub.error.form"))
		return
	}
	f := r.PostForm
	key := f.Get("key")
	o, sub, chosen, lang, ok := s.complaintSubject(w, r, key)
	if !ok {
		return
	}
	in := moderation.ComplaintInput{StatementID: sub.Statement.ID, Key: key, Text: f.Get("complaint"), Token: f.Get("token"),
		Honeypot: f.Get("website"), Lang: lang, OverLimit: !s.reportLimit.Attempt(middleware.ClientAddr(r, s.proxies).String())}
	c, err := s.moderation.SubmitComplaint(r.Context(), o, in)
	if err == nil {
		v := &pageView{Chosen: chosen, Title: i18n.T(lang, "complaint.sent.title"), Org: s.orgView(o, chosen),
			PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen), Complaint: &complaintView{Lang: lang, Reference: c.ID}}
		s.write(w, lang, http.StatusOK, v, "complaint_sent.html")
		return
	}
	fe, invalid := model.AsFieldError(err)
	_, refused := moderation.AsRefusal(err)
	if !invalid && !refused {
		s.failed(w, r, lang, err)
		return
	}
	if refused { // the subject changed meanwhile: show why
		if sub, err = s.moderation.Subject(r.Context(), o, sub.Statement.ID, key); err != nil {
			s.failed(w, r, lang, err)
			return
		}
	}
	v, perr := s.complaintPage(r, o, sub, key, lang, chosen)
	if perr != nil {
		s.failed(w, r, lang, perr)
		return
	}
	cv := v.Complaint
	if rf, ok := moderation.AsRefusal(err); ok && cv.Closed == "" {
		cv.Closed = rf.Message.Sentence(lang)
	}
	if invalid {
		cv.Text = in.Text
		msg := fe.In(lang)
		if m, ok := fe.Message.(i18n.Message); ok {
			msg = m.Sentence(lang)
		}
		cv.Error = i18n.T(lang, "contact.error")
		cv.Errors[fe.Field] = msg
	}
	s.write(w, lang, http.StatusUnprocessableEntity, v, "complaint.html")
}
