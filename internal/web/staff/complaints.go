package staff

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/moderation"
)

// complaintRow is a complaint on the moderation screen: what it contests,
// its text, and its outcome or the form to decide it.
type complaintRow struct {
	ID, From, When, ISO, Via, Text string
	PostTitle, PostURL, Decision   string
	Reply                          template.HTML // sanitised when received; empty when gone
	Open                           bool
	// Own: the viewer took the decision complained about, and may not
	// decide the complaint.
	Own     bool
	Outcome string // of a decided complaint
	// The form's values and errors after a refused submission.
	Choice, Explanation string
	Error               string
	Errors              map[string]string
}

// complaintsOf fills d with the organisation's complaints in the state the
// query's complaints parameter names (open by default); failed, when not
// nil, is the row whose form was refused.
func (s *App) complaintsOf(r *http.Request, sr *staffRequest, v *staffView, d *repliesData, failed *complaintRow) error {
	state, err := moderation.ParseComplaintState(r.URL.Query().Get("complaints"))
	if err != nil {
		state = model.ComplaintOpen
	}
	items, err := s.moderation.Complaints(r.Context(), sr.actor(), sr.org.ID, state)
	if err != nil {
		return err
	}
	for _, each := range model.ComplaintStates {
		d.ComplaintTabs = append(d.ComplaintTabs, tab{State: string(each), Label: i18n.T(sr.lang, "complaint.state."+string(each)),
			URL: v.OrgPath + "/replies?complaints=" + string(each) + "#complaints", Current: each == state})
	}
	loc := sr.org.Location()
	for _, it := range items {
		c := it.Complaint
		row := complaintRow{ID: c.ID, From: it.Author, When: i18n.DateTime(sr.lang, c.ReceivedAt.In(loc)),
			ISO: c.ReceivedAt.UTC().Format(time.RFC3339), Via: i18n.T(sr.lang, "staff.complaint.via."+c.Source), Text: c.Content,
			Open: c.State == model.ComplaintOpen, Choice: string(model.ComplaintRejected), Errors: map[string]string{}}
		if it.Post != nil {
			row.PostTitle, row.PostURL = markup.Title(it.Post.Text, 80), v.OrgPath+"/posts/"+it.Post.ID
		}
		if st := it.Statement; st != nil {
			who := st.DecidedByName
			if who == "" {
				who = i18n.T(sr.lang, string(i18n.AuditOperator))
			}
			row.Decision = i18n.T(sr.lang, "staff.complaint.decision", i18n.T(sr.lang, "staff.moderation.state."+string(st.Decision)),
				who, st.Explanation)
			row.Own = st.DecidedBy != "" && st.DecidedBy == sr.actor().UserID
		}
		if it.Reply != nil {
			row.Reply = template.HTML(it.Reply.ContentHTML) // sanitised when received
		}
		if !row.Open {
			row.Outcome = i18n.T(sr.lang, "staff.complaint.decided", i18n.T(sr.lang, "complaint.state."+string(c.State)),
				c.DecidedByName, i18n.DateTime(sr.lang, c.DecidedAt.In(loc)), c.Explanation)
		}
		if failed != nil && failed.ID == row.ID {
			row.Choice, row.Explanation, row.Error, row.Errors = failed.Choice, failed.Explanation, failed.Error, failed.Errors
			v.FormError = i18n.T(sr.lang, "staff.errors")
		}
		d.Complaints = append(d.Complaints, row)
	}
	return nil
}

// submitComplaintDecision decides the complaint the form names.
func (s *App) submitComplaintDecision(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	id, outcome, explanation := r.PostFormValue("complaint"), r.PostFormValue("outcome"), r.PostFormValue("explanation")
	item, err := s.moderation.Complaint(r.Context(), sr.actor(), id)
	if err == nil && item.Complaint.OrgID != sr.org.ID {
		err = moderation.ErrNoComplaint
	}
	if errors.Is(err, moderation.ErrNoComplaint) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	failed := &complaintRow{ID: id, Choice: outcome, Explanation: explanation, Errors: map[string]string{}}
	o, err := moderation.ParseOutcome(outcome)
	if err == nil {
		_, err = s.moderation.DecideComplaint(r.Context(), sr.actor(), id, o, explanation)
	}
	if fe, ok := model.AsFieldError(err); ok {
		failed.Errors[fe.Field] = fieldMessage(fe, sr.lang)
		s.renderReplies(w, r, sr, http.StatusUnprocessableEntity, r.PostFormValue("state"), nil, failed)
		return
	}
	if rf, ok := moderation.AsRefusal(err); ok {
		failed.Error = rf.Message.Sentence(sr.lang)
		s.renderReplies(w, r, sr, http.StatusConflict, r.PostFormValue("state"), nil, failed)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/replies?complaints="+string(o), "complaint")
}
