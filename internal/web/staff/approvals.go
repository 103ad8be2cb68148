package staff

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/post"
)

// --- the list of what awaits approval ---

type approvalsData struct {
	Awaiting []approvalRow
	Returned []approvalRow
}

type approvalImage struct{ Src, Alt string }

type approvalRow struct {
	ID, Title, Kind, By, AskedAt, Late string
	EditURL, PublicURL                 string
	Proposed, Published                template.HTML
	// Summary and Images are the content warning and the images of what
	// awaits approval, as readers would see them.
	Summary  string
	Images   []approvalImage
	Own      bool
	Returned string // "returned by …, when"
	Note     string
	// Error and NoteValue are a refusal of this row's forms and the note
	// as typed, shown again.
	Error, NoteValue string
}

func (s *App) showApprovals(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.view(sr, i18n.T(sr.lang, "staff.approvals.title")+" – "+sr.org.DisplayName, "approvals")
	v.Flash = flash(r, sr.lang)
	s.renderApprovals(w, r, sr, http.StatusOK, v, "", "", "")
}

// renderApprovals shows the list; failedID, msg and note are a refusal of
// one row's form, shown next to it with the note as typed.
func (s *App) renderApprovals(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, v *staffView, failedID, msg, note string) {
	if !sr.can(auth.PermApprove) {
		s.staffForbidden(w, r, sr)
		return
	}
	list, err := s.posts.Approvals(r.Context(), sr.actor(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	loc, now := sr.org.Location(), s.now()
	var ids []string
	for _, pd := range list {
		for _, a := range pendingAttachments(pd) {
			ids = append(ids, a.MediaID)
		}
	}
	media, err := s.posts.MediaByIDs(r.Context(), ids)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	var d approvalsData
	for _, pd := range list {
		row, err := s.approvalRow(sr, pd, loc, now)
		if err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
		for _, a := range pendingAttachments(pd) {
			if m, ok := media[a.MediaID]; ok {
				row.Images = append(row.Images, approvalImage{Src: "/media/" + m.Variant("small").Key, Alt: a.Alt})
			}
		}
		if row.ID == failedID {
			row.Error, row.NoteValue = msg, note
		}
		if pd.Returned {
			d.Returned = append(d.Returned, row)
		} else {
			d.Awaiting = append(d.Awaiting, row)
		}
	}
	v.Data = d
	s.renderStaff(w, status, "staff_approvals.html", v)
}

func (s *App) approvalRow(sr *staffRequest, pd post.Pending, loc *time.Location, now time.Time) (approvalRow, error) {
	p := pd.Post
	text := p.Text
	row := approvalRow{ID: p.ID, Kind: i18n.T(sr.lang, "staff.approvals.new"), EditURL: "/staff/orgs/" + sr.org.Handle + "/posts/" + p.ID,
		Own: pd.WrittenBy(sr.login.User.ID)}
	author := pd.Author
	if author == "" {
		author = i18n.T(sr.lang, string(i18n.AuditOperator))
	}
	row.By = i18n.T(sr.lang, "staff.approvals.by", author, i18n.DateTime(sr.lang, pd.SubmittedAt.In(loc)))
	if pd.Kind == model.ApprovalEdit {
		text = pd.Text
		row.Kind = i18n.T(sr.lang, "staff.approvals.edit")
		row.PublicURL = "/@" + sr.org.Handle + "/" + p.ID
		published, err := markup.HTML(p.Text)
		if err != nil {
			return row, err
		}
		row.Published = published
	} else if !p.PublishAt.IsZero() {
		row.AskedAt = i18n.T(sr.lang, "staff.approvals.at", i18n.DateTime(sr.lang, p.PublishAt.In(loc)))
		if !p.PublishAt.After(now) {
			row.Late = i18n.T(sr.lang, "staff.approvals.late")
		}
	} else {
		row.AskedAt = i18n.T(sr.lang, "staff.approvals.now")
	}
	row.Title, row.Summary = markup.Title(text, 80), p.Summary
	if pd.Kind == model.ApprovalEdit {
		row.Summary = pd.Summary
	}
	proposed, err := markup.HTML(text)
	if err != nil {
		return row, err
	}
	row.Proposed = proposed
	if pd.Returned {
		row.Returned = i18n.T(sr.lang, "staff.approvals.returned", pd.ReturnedByName, i18n.DateTime(sr.lang, pd.ReturnedAt.In(loc)))
		row.Note = pd.Note
	}
	return row, nil
}

// submitApproval approves a post or returns it with a note; a refusal,
// such as of one's own post, is shown next to it.
func (s *App) submitApproval(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	p, ok := s.staffPost(w, r, sr)
	if !ok {
		return
	}
	var err error
	done := "approvedpost"
	note := r.PostFormValue("note")
	switch r.PathValue("action") {
	case "approve":
		_, err = s.posts.Approve(r.Context(), sr.actor(), p.ID)
	case "return":
		_, err = s.posts.Return(r.Context(), sr.actor(), p.ID, note)
		done = "returnedtoauthor"
	default:
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	fe, invalid := model.AsFieldError(err)
	switch {
	case err == nil:
		seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/approvals", done)
	case invalid:
		v := s.view(sr, i18n.T(sr.lang, "staff.approvals.title")+" – "+sr.org.DisplayName, "approvals")
		v.FormError = fieldMessage(fe, sr.lang)
		s.renderApprovals(w, r, sr, http.StatusUnprocessableEntity, v, p.ID, v.FormError, note)
	default:
		s.staffFailure(w, r, sr, err)
	}
}

// --- the organisation's policy, on the profile screen ---

type approvalPolicyData struct {
	Required bool
	Distance string
	Max      int
}

func (s *App) policyData(r *http.Request, sr *staffRequest) (approvalPolicyData, error) {
	pol, err := s.posts.Policy(r.Context(), sr.org.ID)
	return approvalPolicyData{Required: pol.Required, Distance: strconv.Itoa(pol.CorrectionDistance), Max: post.MaxCorrectionDistance}, err
}

func (s *App) submitApprovalPolicy(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	distance, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("correction_distance")))
	if err != nil {
		distance = -1 // refused with the domain's message
	}
	if strings.TrimSpace(r.PostFormValue("correction_distance")) == "" {
		distance = 0
	}
	err = s.posts.SetPolicy(r.Context(), sr.actor(), sr.org.ID,
		model.ApprovalPolicy{Required: r.PostFormValue("require_approval") != "", CorrectionDistance: distance})
	if errors.Is(err, model.ErrForbidden) || err != nil && !isField(err) {
		s.staffFailure(w, r, sr, err)
		return
	}
	if err != nil {
		v := s.view(sr, i18n.T(sr.lang, "staff.profile")+" – "+sr.org.DisplayName, "profile")
		fieldErrors(v, err)
		s.renderProfile(w, r, sr, http.StatusUnprocessableEntity, profileFromOrg(sr.org), v)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/profile", "approvalpolicy")
}

func isField(err error) bool {
	_, ok := model.AsFieldError(err)
	return ok
}

// fillApproval adds to the post form what approval asks of it: whether
// the organisation requires it, whether the actor may publish without it
// in a crisis, and what of the post awaits approval or was returned.
func (s *App) fillApproval(r *http.Request, sr *staffRequest, d *composeData) error {
	pol, err := s.posts.Policy(r.Context(), sr.org.ID)
	if err != nil {
		return err
	}
	d.Required, d.CanCrisis = pol.Required, pol.Required && sr.can(auth.PermManage)
	if d.Post != nil {
		d.Pending, err = s.posts.Approval(r.Context(), d.Post.ID)
	}
	return err
}

// pendingAttachments are the images of what awaits approval: the post's,
// or the edit's.
func pendingAttachments(pd post.Pending) []model.Attachment {
	if pd.Kind == model.ApprovalEdit {
		return pd.Attachments
	}
	return pd.Post.Attachments
}

// approvalRequired reports whether the organisation requires approval,
// for the menu of its screens.
func (s *App) approvalRequired(r *http.Request, o *model.Org) (bool, error) {
	pol, err := s.posts.Policy(r.Context(), o.ID)
	return pol.Required, err
}
