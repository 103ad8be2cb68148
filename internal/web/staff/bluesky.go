package staff

import (
	"errors"
	"net/http"

	"plein/internal/auth"
	"plein/internal/crosspost"
	"plein/internal/i18n"
	"plein/internal/model"
)

// blueskyData is the Bluesky part of the profile screen: the connected
// account, never its password, and the connect form as typed.
type blueskyData struct {
	Enabled             bool // the installation publishes to Bluesky
	Handle, PDS         string
	Policies            []stateOption
	FormPDS, FormHandle string
	connecting          bool // the form shows what was typed
}

// blueskyPostRow is what became of a post on Bluesky, for its screen.
type blueskyPostRow struct {
	State, Failure string
	URI, URL       string
}

// maxBlueskyField bounds each field of the connect form.
const maxBlueskyField = 2048

// fillBluesky fills d with the organisation's connection.
func (s *App) fillBluesky(r *http.Request, sr *staffRequest, d *blueskyData) error {
	if s.crosspost == nil {
		return nil
	}
	d.Enabled = true
	a, err := s.crosspost.Account(r.Context(), sr.org.ID)
	if err != nil {
		return err
	}
	policy := model.BlueskyEditReply
	if a != nil {
		d.Handle, d.PDS, policy = "@"+a.Handle, a.PDS, a.EditPolicy
		if !d.connecting {
			d.FormPDS, d.FormHandle = a.PDS, a.Handle
		}
	}
	for _, p := range []string{model.BlueskyEditReply, model.BlueskyEditRepublish} {
		d.Policies = append(d.Policies, stateOption{Value: p, Label: i18n.BlueskyPolicy(p).In(sr.lang), Selected: p == policy})
	}
	return nil
}

// fillBlueskyPost adds to the post screen what became of the post on
// Bluesky.
func (s *App) fillBlueskyPost(r *http.Request, sr *staffRequest, d *composeData) error {
	if s.crosspost == nil {
		return nil
	}
	bp, err := s.crosspost.PostState(r.Context(), d.Post.ID)
	if err != nil || bp == nil {
		return err
	}
	row := &blueskyPostRow{State: i18n.BlueskyState(bp.State).In(sr.lang), URI: bp.URI, URL: crosspost.PostURL(bp.URI)}
	if bp.Error != "" {
		row.Failure = i18n.BlueskyFailure(bp.Error).In(sr.lang)
	}
	d.Bluesky = row
	return nil
}

// submitBluesky connects the organisation's Bluesky account, sets its
// edit policy or disconnects it; only admins may.
func (s *App) submitBluesky(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.crosspost == nil || !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	pds, handle, password := r.PostFormValue("pds"), r.PostFormValue("bluesky_handle"), r.PostFormValue("app_password")
	var err error
	done := ""
	switch r.PathValue("action") {
	case "connect":
		if len(pds) > maxBlueskyField || len(handle) > maxBlueskyField || len(password) > maxBlueskyField {
			err = model.Invalid(crosspost.FieldPDS, i18n.M(i18n.ErrBlueskyPDS))
		} else {
			_, err = s.crosspost.Connect(r.Context(), sr.actor(), sr.org.ID, crosspost.Connection{PDS: pds, Handle: handle, Password: password})
		}
		done = "bluesky"
	case "policy":
		err, done = s.crosspost.SetEditPolicy(r.Context(), sr.actor(), sr.org.ID, r.PostFormValue("edit_policy")), "blueskypolicy"
	case "disconnect":
		err, done = s.crosspost.Disconnect(r.Context(), sr.actor(), sr.org.ID), "blueskyunlink"
	default:
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	if err == nil {
		seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/profile", done)
		return
	}
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.profile")+" – "+sr.org.DisplayName, "profile")
	if !fieldErrors(v, err) {
		s.staffFailure(w, r, sr, err)
		return
	}
	d := profileFromOrg(sr.org)
	if r.PathValue("action") == "connect" && len(pds) <= maxBlueskyField && len(handle) <= maxBlueskyField {
		d.Bluesky.connecting, d.Bluesky.FormPDS, d.Bluesky.FormHandle = true, pds, handle
	}
	s.renderProfile(w, r, sr, http.StatusUnprocessableEntity, d, v)
}
