package staff

import (
	"errors"
	"net/http"
	"strings"

	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/i18n"
	"plein/internal/model"
)

// inboxTopics returns the choices of the inbox's topic filter (none when
// the organisation has no topics) and the topic the request filters on:
// one of its topics, general or other; empty: every topic.
func (s *App) inboxTopics(r *http.Request, sr *staffRequest) ([]stateOption, string, error) {
	topics, err := s.contact.Topics(r.Context(), sr.org.ID)
	if err != nil {
		return nil, "", err
	}
	asked := r.URL.Query().Get("topic")
	if len(asked) > 4*contact.MaxTopicLength {
		asked = ""
	}
	if len(topics) == 0 {
		if asked != contact.TopicGeneral && asked != contact.TopicOther {
			asked = ""
		}
		return nil, asked, nil
	}
	chosen := ""
	opts := []stateOption{{Value: "", Label: i18n.T(sr.lang, "staff.inbox.topic.all")}}
	for _, t := range append(append(append([]string{}, topics...), contact.TopicOther), contact.TopicGeneral) {
		if t == asked {
			chosen = t
		}
		opts = append(opts, stateOption{Value: t, Label: contact.TopicLabel(sr.lang, t), Selected: t == asked})
	}
	if chosen == "" {
		opts[0].Selected = true
	}
	return opts, chosen, nil
}

// maxTopicsField is the most bytes the field of topics may hold: twenty
// topics of sixty characters of up to four bytes, one a line.
const maxTopicsField = contact.MaxTopics * (4*contact.MaxTopicLength + 2)

// submitInboxTopics stores the topics of the organisation's contact form,
// one a line; only admins may.
func (s *App) submitInboxTopics(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if s.contact == nil || !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return
	}
	raw := r.PostFormValue("topics")
	v := s.view(sr, "", "inbox")
	var err error
	if len(raw) > maxTopicsField {
		err = model.Invalid(contact.FieldTopics, i18n.M(i18n.ErrTopicCount, contact.MaxTopics))
	} else {
		err = s.contact.SetTopics(r.Context(), sr.actor(), sr.org.ID, strings.Split(raw, "\n"))
	}
	if err == nil {
		seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/inbox/settings", "inboxtopics")
		return
	}
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	if !fieldErrors(v, err) {
		s.staffFailure(w, r, sr, err)
		return
	}
	set, serr := s.contact.Settings(r.Context(), auth.Operator(), sr.org.ID)
	if serr != nil {
		s.staffFailure(w, r, sr, serr)
		return
	}
	if len(raw) <= maxTopicsField {
		set.Topics = strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n")
	}
	s.renderInboxSettings(w, r, sr, http.StatusUnprocessableEntity, set, v)
}
