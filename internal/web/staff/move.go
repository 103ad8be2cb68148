package staff

import (
	"net/http"
	"strings"

	"plein/internal/i18n"
)

// --- moving followers in and out (on the profile screen) ---

// moveData is the profile screen's guide to moving followers.
type moveData struct {
	ActorID, Address string   // this organisation's account, as others name it
	Earlier          []string // its earlier accounts now
	Moves            []string // the Moves that arrived, as sentences, newest first
	Count            int      // follows since the newest Move
	Followers        []string // the newest of them (actor ids)
	MovedTo, MovedAt string   // where and when it moved out; empty while here
	To, Confirm      string   // as typed in the move-out form
}

// moveData fills the guide for the organisation of sr.
func (s *App) moveData(r *http.Request, sr *staffRequest, to, confirm string) (moveData, error) {
	o := sr.org
	d := moveData{ActorID: s.federation.ActorID(o.ID), Address: s.federation.Address(o), Earlier: o.AlsoKnownAs,
		MovedTo: o.MovedTo, To: to, Confirm: confirm}
	if o.Moved() {
		d.MovedAt = i18n.DateTime(sr.lang, o.MovedAt.In(o.Location()))
	}
	st, err := s.federation.MoveIn(r.Context(), sr.actor(), o.ID)
	if err != nil {
		return d, err
	}
	for _, m := range st.Moves {
		d.Moves = append(d.Moves, i18n.T(sr.lang, string(i18n.MoveInArrived), m.From, m.ReceivedAt.In(o.Location())))
	}
	d.Count = st.Count
	for _, f := range st.Followers {
		d.Followers = append(d.Followers, f.ActorID)
	}
	return d, nil
}

// submitMoveOut moves the organisation to another account, once its
// handle is typed to confirm.
func (s *App) submitMoveOut(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	to, confirm := strings.TrimSpace(r.PostFormValue("to")), strings.TrimSpace(r.PostFormValue("confirm"))
	v := s.view(sr, i18n.T(sr.lang, "staff.profile")+" – "+sr.org.DisplayName, "profile")
	if !strings.EqualFold(strings.TrimPrefix(confirm, "@"), sr.org.Handle) {
		v.Errors["confirm"], v.FormError = i18n.T(sr.lang, "move.out.noconfirm"), i18n.T(sr.lang, "staff.errors")
		s.renderProfileMove(w, r, sr, http.StatusUnprocessableEntity, v, to, confirm)
		return
	}
	o, err := s.federation.MoveOut(r.Context(), sr.actor(), sr.org.ID, to)
	if err != nil {
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderProfileMove(w, r, sr, http.StatusUnprocessableEntity, v, to, confirm)
		return
	}
	seeOther(w, r, "/staff/orgs/"+o.Handle+"/profile", "moved")
}

// renderProfileMove shows the profile screen again with the move-out
// form as typed.
func (s *App) renderProfileMove(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, v *staffView, to, confirm string) {
	d := profileFromOrg(sr.org)
	d.moveTo, d.moveConfirm = to, confirm
	s.renderProfile(w, r, sr, status, d, v)
}
