package staff

import (
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/sensitive"
)

// repliesData is the moderation screen: one state's replies, and the
// organisation's choice whether replies are shown.
type repliesData struct {
	State      string
	Tabs       []tab
	Replies    []moderationRow
	Display    string
	CanManage  bool
	Categories []string
	Notices    []noticeRow
	// Complaints about decisions, in the state ComplaintTabs marks.
	Complaints    []complaintRow
	ComplaintTabs []tab
}

// noticeRow is a notice or objection, newest first, below the replies.
type noticeRow struct {
	Source, From, When, ISO, Text string
	Objects                       []string
	// Of a report form: the ground and law the reporter chose, and the
	// receipt's reference.
	Ground, Law, Reference string
}

// moderationRow is one reply in the moderation screen, with the reasons
// typed into its form kept after an error.
type moderationRow struct {
	ID, From, Server, URL, When, ISO, PostTitle, PostURL, Decided string
	Summary                                                       string
	Sensitive                                                     string // the warning when it seems to hold a BSN, IBAN or ID number
	Filtered                                                      string // the keyword filters that matched it
	HTML                                                          template.HTML
	Ground, Law, Explanation, Category                            string
	Errors                                                        map[string]string
	// Notices are those about the reply, that a decision may follow;
	// Notice is the one chosen.
	Notices []noticeOption
	Notice  string
}

// noticeOption is a notice a decision on a reply may name.
type noticeOption struct {
	ID, Label string
}

// noticesShown is how many of the newest notices the screen lists.
const noticesShown = 50

func (s *App) showReplies(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.renderReplies(w, r, sr, http.StatusOK, r.URL.Query().Get("state"), nil, nil)
}

// renderReplies shows the replies in state and the complaints; failed and
// failedComplaint, when not nil, are the row whose form was refused, with
// its values and errors.
func (s *App) renderReplies(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, state string, failed *moderationRow, failedComplaint *complaintRow) {
	st, err := moderation.ParseState(state)
	if err != nil {
		st = model.ReplyPending
	}
	items, err := s.moderation.Queue(r.Context(), sr.actor(), sr.org.ID, st)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	display, err := s.moderation.ReplyDisplay(r.Context(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.moderation")+" – "+sr.org.DisplayName, "replies")
	v.Flash = flash(r, sr.lang)
	d := repliesData{State: string(st), Display: string(display), CanManage: v.CanManage, Categories: moderation.Categories}
	for _, each := range model.ReplyStates {
		d.Tabs = append(d.Tabs, tab{State: string(each), Label: i18n.T(sr.lang, "staff.moderation.state."+string(each)),
			URL: v.OrgPath + "/replies?state=" + string(each), Current: each == st})
	}
	notices, err := s.moderation.Notices(r.Context(), sr.actor(), sr.org.ID, noticesShown)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	loc := sr.org.Location()
	for _, it := range items {
		row := moderationRow{ID: it.Reply.ID, From: it.AuthorName(), Server: it.Server, URL: it.Reply.URL,
			When: i18n.DateTime(sr.lang, it.Reply.ReceivedAt.In(loc)), ISO: it.Reply.ReceivedAt.UTC().Format(time.RFC3339),
			PostTitle: markup.Title(it.Post.Text, 80), PostURL: v.OrgPath + "/posts/" + it.Post.ID,
			Summary: markup.HTMLText(it.Reply.Summary), HTML: template.HTML(it.Reply.ContentHTML), // sanitised when received
			Ground: string(model.GroundIncompatible)}
		if len(it.Sensitive) > 0 {
			row.Sensitive = i18n.M(i18n.StaffModerationSensitive, i18n.SensitiveKinds(sensitive.Names(it.Sensitive))).Sentence(sr.lang)
		}
		if len(it.Filters) > 0 {
			phrases := make([]string, len(it.Filters))
			for i, h := range it.Filters {
				phrases[i] = "‘" + h.Phrase + "’ (" + i18n.T(sr.lang, "staff.filters.action."+string(h.Action)) + ")"
			}
			row.Filtered = i18n.T(sr.lang, "staff.moderation.filtered", strings.Join(phrases, ", "))
		}
		if it.Reply.DecidedBy == moderation.AutomatedDecider {
			row.Decided = i18n.T(sr.lang, "staff.moderation.automated", i18n.DateTime(sr.lang, it.Reply.DecidedAt.In(loc)))
		} else if !it.Reply.DecidedAt.IsZero() {
			who := it.Reply.DecidedByName
			if who == "" {
				who = i18n.T(sr.lang, string(i18n.AuditOperator))
			}
			row.Decided = i18n.T(sr.lang, "staff.moderation.decided", who, i18n.DateTime(sr.lang, it.Reply.DecidedAt.In(loc)))
		}
		for _, n := range notices {
			if slices.Contains(n.Objects, it.Reply.ID) {
				label := i18n.T(sr.lang, "staff.notice.source."+n.Source) + ", " + i18n.DateTime(sr.lang, n.ReceivedAt.In(loc))
				if n.Reference != "" {
					label = n.Reference + " – " + label
				}
				row.Notices = append(row.Notices, noticeOption{ID: n.ID, Label: label})
			}
		}
		if failed != nil && failed.ID == row.ID {
			row.Ground, row.Law, row.Explanation, row.Category, row.Errors = failed.Ground, failed.Law, failed.Explanation, failed.Category, failed.Errors
			row.Notice = failed.Notice
			v.FormError = i18n.T(sr.lang, "staff.errors")
		}
		d.Replies = append(d.Replies, row)
	}
	for _, n := range notices {
		row := noticeRow{Source: i18n.T(sr.lang, "staff.notice.source."+n.Source), From: n.Reporter,
			When: i18n.DateTime(sr.lang, n.ReceivedAt.In(loc)), ISO: n.ReceivedAt.UTC().Format(time.RFC3339), Text: n.Content,
			Objects: n.Objects, Law: n.Law, Reference: n.Reference}
		if n.Source == model.NoticeFromForm {
			row.From = strings.TrimSpace(n.Name + " " + n.Email)
			row.Ground = i18n.T(sr.lang, "staff.notice.ground."+string(n.Ground))
		}
		d.Notices = append(d.Notices, row)
	}
	if err := s.complaintsOf(r, sr, v, &d, failedComplaint); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.Data = d
	s.renderStaff(w, status, "staff_replies.html", v)
}

// submitReplyDecision approves, refuses or hides the reply the form names.
func (s *App) submitReplyDecision(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	id, action, state := r.PostFormValue("reply"), r.PostFormValue("action"), r.PostFormValue("state")
	back := "/staff/orgs/" + sr.org.Handle + "/replies?state=" + state
	item, err := s.moderation.Reply(r.Context(), sr.actor(), id)
	if err == nil && item.Post.OrgID != sr.org.ID {
		err = moderation.ErrNoReply
	}
	if errors.Is(err, moderation.ErrNoReply) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	rs := moderation.Reasons{Ground: model.Ground(r.PostFormValue("ground")), Law: r.PostFormValue("law"),
		Explanation: r.PostFormValue("explanation"), Category: r.PostFormValue("category"), NoticeID: r.PostFormValue("notice")}
	done := ""
	switch action {
	case "approve":
		err, done = s.moderation.Approve(r.Context(), sr.actor(), id), "approved"
	case "refuse":
		_, err = s.moderation.Refuse(r.Context(), sr.actor(), id, rs)
		done = "refused"
	case "hide":
		_, err = s.moderation.Hide(r.Context(), sr.actor(), id, rs)
		done = "hidden"
	default:
		s.staffError(w, r, sr, http.StatusBadRequest, i18n.T(sr.lang, "staff.badform"))
		return
	}
	var se *moderation.StateError
	if errors.As(err, &se) {
		v := s.view(sr, i18n.T(sr.lang, "staff.moderation"), "replies")
		v.FormError = i18n.T(sr.lang, "staff.moderation.decided.already", i18n.T(sr.lang, "staff.moderation.state."+string(se.State)))
		s.renderStaff(w, http.StatusConflict, "staff_message.html", v)
		return
	}
	if fe, ok := model.AsFieldError(err); ok {
		s.renderReplies(w, r, sr, http.StatusUnprocessableEntity, state, &moderationRow{ID: id, Ground: string(rs.Ground),
			Law: rs.Law, Explanation: rs.Explanation, Category: rs.Category, Notice: rs.NoticeID,
			Errors: map[string]string{fe.Field: fieldMessage(fe, sr.lang)}}, nil)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, back, done)
}

// submitReplyDisplay sets whether the organisation shows replies.
func (s *App) submitReplyDisplay(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	err := s.moderation.SetReplyDisplay(r.Context(), sr.actor(), sr.org.ID, model.ReplyDisplay(r.PostFormValue("display")))
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/replies", "display")
}
