package staff

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"plein/internal/contact"
	"plein/internal/i18n"
	"plein/internal/model"
)

// inboxStates are the tabs of the inbox, in order.
var inboxStates = []model.QuestionState{model.QuestionNew, model.QuestionInProgress, model.QuestionAnswered,
	model.QuestionClosed, model.QuestionHeld}

type inboxData struct {
	Tabs      []tab
	Questions []questionRow
	// State is the tab shown; Topics the choices of the topic filter,
	// shown when the organisation has topics.
	State  string
	Topics []stateOption
}

type questionRow struct {
	URL, Reference, When, ISO, From, Text string
	Topic                                 string
	Masked                                bool
	Assignee                              string
	Complaint                             bool
}

type questionData struct {
	Item     *contact.Item
	State    string // in the page's language
	Topic    string // in the page's language
	When     string
	Action   string // the question's address; actions are below it
	States   []stateOption
	Answer   string // being written, kept after an error
	Answers  []answerRow
	Revealed bool
	// Direct: the answer goes as a Fediverse direct message.
	Direct    bool
	Assignees []stateOption // the colleagues who may read the inbox
	Notes     []answerRow
	Note      string // being written, kept after an error
	Saved     []stateOption
}

type stateOption struct {
	Value, Label string
	Selected     bool
}

type answerRow struct {
	Author, When, Text, Sent string
}

// inboxAllowed answers 403 unless the request may read the inbox.
func (s *App) inboxAllowed(w http.ResponseWriter, r *http.Request, sr *staffRequest) bool {
	if s.contact == nil || !sr.inbox {
		s.staffForbidden(w, r, sr)
		return false
	}
	return true
}

func (s *App) showInbox(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.inboxAllowed(w, r, sr) {
		return
	}
	state, ok := contact.ParseState(r.URL.Query().Get("state"))
	if !ok {
		state = model.QuestionNew
	}
	topics, topic, err := s.inboxTopics(r, sr)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	items, err := s.contact.InboxOnTopic(r.Context(), sr.actor(), sr.org.ID, topic, state)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.inbox")+" – "+sr.org.DisplayName, "inbox")
	v.Flash = flash(r, sr.lang)
	d := inboxData{State: string(state), Topics: topics}
	for _, st := range inboxStates {
		u := v.OrgPath + "/inbox?state=" + string(st)
		if topic != "" {
			u += "&topic=" + url.QueryEscape(topic)
		}
		d.Tabs = append(d.Tabs, tab{State: string(st), Label: i18n.QuestionStateName(string(st)).In(sr.lang),
			URL: u, Current: st == state})
	}
	loc := sr.org.Location()
	for _, it := range items {
		d.Questions = append(d.Questions, questionRow{URL: v.OrgPath + "/inbox/" + it.ID, Reference: it.Reference,
			When: i18n.DateTime(sr.lang, it.ReceivedAt.In(loc)), ISO: it.ReceivedAt.UTC().Format(time.RFC3339),
			From: it.ReplyTo, Text: firstChars(it.Text, 120), Masked: it.Masked, Complaint: it.Complaint,
			Topic: contact.TopicLabel(sr.lang, it.Topic)})
		if u := it.Assignee; u != nil {
			d.Questions[len(d.Questions)-1].Assignee = u.Email
			if u.Name != "" {
				d.Questions[len(d.Questions)-1].Assignee = u.Name
			}
		}
	}
	v.Data = d
	s.renderStaff(w, http.StatusOK, "staff_inbox.html", v)
}

// firstChars returns the start of text, at most n characters, on one line.
func firstChars(text string, n int) string {
	r := []rune(text)
	for i, c := range r {
		if c == '\n' || c == '\r' {
			r[i] = ' '
		}
	}
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

func (s *App) showQuestion(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	answer := ""
	if id := r.URL.Query().Get("saved"); id != "" && s.contact != nil && sr.inbox {
		// A saved answer chosen to start from, without script.
		if a, err := s.contact.SavedAnswer(r.Context(), sr.actor(), sr.org.ID, id); err == nil {
			answer = a.Text
		}
	}
	s.renderQuestion(w, r, sr, false, http.StatusOK, answer, nil)
}

// renderQuestion shows one question, revealed or masked, with an answer
// being written and the staff view v (nil: a new one).
func (s *App) renderQuestion(w http.ResponseWriter, r *http.Request, sr *staffRequest, reveal bool, status int, answer string, v *staffView) {
	if !s.inboxAllowed(w, r, sr) {
		return
	}
	it, err := s.contact.Question(r.Context(), sr.actor(), r.PathValue("id"), reveal)
	if errors.Is(err, contact.ErrNotFound) || err == nil && it.OrgID != sr.org.ID {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if v == nil {
		v = s.view(sr, "", "inbox")
	}
	v.Title = i18n.T(sr.lang, "staff.inbox.question", it.Reference) + " – " + sr.org.DisplayName
	v.Flash = flash(r, sr.lang)
	loc := sr.org.Location()
	d := questionData{Item: it, State: i18n.QuestionStateName(string(it.State)).In(sr.lang), Answer: answer, Revealed: reveal,
		Topic: contact.TopicLabel(sr.lang, it.Topic),
		When:  i18n.DateTime(sr.lang, it.ReceivedAt.In(loc)), Action: v.OrgPath + "/inbox/" + it.ID}
	for _, st := range inboxStates {
		d.States = append(d.States, stateOption{Value: string(st), Label: i18n.QuestionStateName(string(st)).In(sr.lang), Selected: st == it.State})
	}
	if err := s.questionTeam(r, sr, it, &d); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	if v.Errors["note"] != "" {
		d.Note = r.PostFormValue("note")
	}
	for _, a := range it.Answers {
		row := answerRow{Author: a.Author, When: i18n.DateTime(sr.lang, a.CreatedAt.In(loc)), Text: a.Text,
			Sent: i18n.T(sr.lang, "staff.inbox.notsent")}
		if !a.SentAt.IsZero() {
			row.Sent = i18n.T(sr.lang, "staff.inbox.sent", i18n.DateTime(sr.lang, a.SentAt.In(loc)))
		}
		d.Answers = append(d.Answers, row)
	}
	v.Data = d
	s.renderStaff(w, status, "staff_question.html", v)
}

// submitQuestionAction reveals a question's hidden numbers, sets its state
// or answers it.
func (s *App) submitQuestionAction(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.inboxAllowed(w, r, sr) {
		return
	}
	id := r.PathValue("id")
	// The question must be the organisation's before anything changes.
	it, err := s.contact.Question(r.Context(), sr.actor(), id, false)
	if errors.Is(err, contact.ErrNotFound) || err == nil && it.OrgID != sr.org.ID {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	path := "/staff/orgs/" + sr.org.Handle + "/inbox/" + id
	switch r.PathValue("action") {
	case "reveal":
		s.renderQuestion(w, r, sr, true, http.StatusOK, "", nil)
		return
	case "state":
		st, _ := contact.ParseState(r.PostFormValue("state"))
		_, err = s.contact.SetState(r.Context(), sr.actor(), id, st)
		if err == nil {
			seeOther(w, r, path, "questionstate")
			return
		}
	case "answer":
		text := r.PostFormValue("text")
		_, err = s.contact.Answer(r.Context(), sr.actor(), id, text)
		if err == nil {
			done := "answeredmail"
			if strings.HasPrefix(it.ReplyTo, "@") {
				done = "answereddirect"
			}
			seeOther(w, r, path, done)
			return
		}
		v := s.view(sr, "", "inbox")
		if fieldErrors(v, err) {
			s.renderQuestion(w, r, sr, false, http.StatusUnprocessableEntity, text, v)
			return
		}
	case "export":
		s.sendQuestionExport(w, r, sr, it.ID, it.Reference)
		return
	case "assign":
		if _, err = s.contact.Assign(r.Context(), sr.actor(), id, r.PostFormValue("to")); err == nil {
			seeOther(w, r, path, "assigned")
			return
		}
	case "complaint":
		if _, err = s.contact.SetComplaint(r.Context(), sr.actor(), id, r.PostFormValue("complaint") == "1"); err == nil {
			seeOther(w, r, path, "complaintmark")
			return
		}
	case "note":
		if _, err = s.contact.AddNote(r.Context(), sr.actor(), id, r.PostFormValue("note")); err == nil {
			seeOther(w, r, path, "noted")
			return
		}
		v := s.view(sr, "", "inbox")
		if fieldErrors(v, err) {
			s.renderQuestion(w, r, sr, false, http.StatusUnprocessableEntity, "", v)
			return
		}
	default:
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	if fe, ok := model.AsFieldError(err); ok {
		s.staffError(w, r, sr, http.StatusBadRequest, fieldMessage(fe, sr.lang))
		return
	}
	s.staffFailure(w, r, sr, err)
}
