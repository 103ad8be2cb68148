package site

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"plein/internal/contact"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/privacy"
	"plein/internal/web/middleware"
)

// Contact forms a client may send in contactWindow before its next ones
// are held for review; counted per client address, in memory only.
const (
	contactLimit  = 10
	contactWindow = 15 * time.Minute
)

// maxContactBody bounds the body of a contact form: the question and a few
// short fields.
const maxContactBody = 64 << 10

func newContactThrottle(now func() time.Time) *formLimiter {
	if now == nil {
		now = time.Now
	}
	return &formLimiter{limit: contactLimit, window: contactWindow, now: now, clients: map[string]*formCount{}}
}

// contactView is the data of the contact form and its confirmation.
type contactView struct {
	Lang      string
	Action    string
	Token     string
	Question  string
	Name      string
	Email     string
	Topics    []topicChoice
	MaxLength int
	Retention string // how long questions are kept
	Error     string
	Errors    map[string]string // by field
	// Sensitive is the warning about sensitive numbers; the form then
	// offers to send anyway.
	Sensitive string
	Reference string
	Mailed    bool
}

// topicChoice is one topic of the form; ID is its position, as a topic
// may hold characters an id may not.
type topicChoice struct {
	ID, Value, Label  string
	Checked, Required bool
}

// topicChoices returns the topics the form offers: the organisation's own
// and Other, none chosen but the one named chosen, or when it has none the
// general topic, chosen.
func topicChoices(lang string, topics []string, chosen string) []topicChoice {
	if len(topics) == 0 {
		return []topicChoice{{ID: "0", Value: contact.TopicGeneral, Label: contact.TopicLabel(lang, contact.TopicGeneral), Checked: true}}
	}
	out := make([]topicChoice, 0, len(topics)+1)
	for i, t := range append(append([]string{}, topics...), contact.TopicOther) {
		out = append(out, topicChoice{ID: strconv.Itoa(i), Value: t, Label: contact.TopicLabel(lang, t), Checked: t == chosen, Required: true})
	}
	return out
}

// contactOrg resolves the organisation of a contact form request, writing
// the answer itself (404, a failure) when there is none.
func (s *Site) contactOrg(w http.ResponseWriter, r *http.Request) (*model.Org, string, string, bool) {
	chosen := chosenLang(r)
	lang := i18n.Pick(chosen, "")
	if s.contact == nil {
		s.writeError(w, http.StatusNotFound, lang, i18n.T(lang, "notfound.title"), i18n.T(lang, "notfound.body"))
		return nil, "", "", false
	}
	o, _, err := s.orgs.Resolve(r.Context(), r.PathValue("handle"))
	if errors.Is(err, org.ErrUnknownHandle) {
		s.writeError(w, http.StatusNotFound, lang, i18n.T(lang, "notfound.title"), i18n.T(lang, "notfound.body"))
		return nil, "", "", false
	}
	if err != nil {
		s.failed(w, r, lang, err)
		return nil, "", "", false
	}
	return o, chosen, i18n.Pick(chosen, o.Language), true
}

// contactForm returns the view of o's contact form with a fresh token.
func (s *Site) contactForm(r *http.Request, o *model.Org, lang, chosen string) (*pageView, error) {
	token, err := s.contact.FormToken(r.Context(), o.ID)
	if err != nil {
		return nil, err
	}
	path := "/@" + o.Handle + "/contact"
	topics, err := s.contact.Topics(r.Context(), o.ID)
	if err != nil {
		return nil, err
	}
	cv := &contactView{Lang: lang, Action: withLang(path, chosen), Token: token, MaxLength: contact.MaxQuestionLength,
		Errors: map[string]string{}, Topics: topicChoices(lang, topics, "")}
	if s.retention != nil {
		for _, p := range s.retention.Policies() {
			if p.Category == "questions" {
				cv.Retention = privacy.DurationWords(lang, p.MaxAge)
			}
		}
	}
	// The organisation may keep questions for a time of its own.
	if d, err := s.contact.Retention(r.Context(), o.ID); err != nil {
		return nil, err
	} else if d > 0 {
		cv.Retention = privacy.DurationWords(lang, d)
	}
	return &pageView{Chosen: chosen, Title: i18n.T(lang, "contact.title", o.DisplayName), CanonicalURL: s.abs(path),
		SwitchURL: withLang(path, otherLang(lang)), PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen),
		Org: s.orgView(o, chosen), Contact: cv}, nil
}

// ContactForm serves GET /@{handle}/contact: the form to ask the
// organisation a question. It is rendered for each request, as its token
// holds the time it was shown; it sets no cookie and holds no script.
func (s *Site) ContactForm(w http.ResponseWriter, r *http.Request) {
	o, chosen, lang, ok := s.contactOrg(w, r)
	if !ok {
		return
	}
	v, err := s.contactForm(r, o, lang, chosen)
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	s.write(w, lang, http.StatusOK, v, "contact.html")
}

// Contact handles POST /@{handle}/contact with the fields question, name,
// email, topic, the form token, the honeypot field website and, after a
// warning, send_anyway. It answers with the confirmation and a reference
// number, or the form again with what was typed and why.
func (s *Site) Contact(w http.ResponseWriter, r *http.Request) {
	o, chosen, lang, ok := s.contactOrg(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxContactBody)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, http.StatusBadRequest, lang, i18n.T(lang, "error.title"), i18n.T(lang, "sub.error.form"))
		return
	}
	f := r.PostForm
	in := contact.Input{Question: f.Get("question"), Name: f.Get("name"), ReplyTo: f.Get("email"), Topic: f.Get("topic"),
		Token: f.Get("token"), Honeypot: f.Get("website"), Lang: lang, AllowSensitive: f.Get("send_anyway") != "",
		OverLimit: !s.contactLimit.Attempt(middleware.ClientAddr(r, s.proxies).String())}
	receipt, err := s.contact.Submit(r.Context(), o, in)
	if err == nil {
		v := &pageView{Chosen: chosen, Title: i18n.T(lang, "contact.sent.title"), Org: s.orgView(o, chosen),
			PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen),
			Contact:    &contactView{Lang: lang, Reference: receipt.Reference, Mailed: receipt.Mailed}}
		s.write(w, lang, http.StatusOK, v, "contact_sent.html")
		return
	}
	fe, invalid := model.AsFieldError(err)
	if !invalid {
		s.failed(w, r, lang, err)
		return
	}
	v, err := s.contactForm(r, o, lang, chosen)
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	cv := v.Contact
	cv.Question, cv.Name, cv.Email = in.Question, in.Name, in.ReplyTo
	for i := range cv.Topics {
		if len(cv.Topics) > 1 || cv.Topics[i].Value != contact.TopicGeneral {
			cv.Topics[i].Checked = cv.Topics[i].Value == in.Topic
		}
	}
	msg := fe.In(lang)
	if m, ok := fe.Message.(i18n.Message); ok {
		msg = m.Sentence(lang)
	}
	if fe.Field == contact.FieldSensitive {
		cv.Sensitive = msg
	} else {
		cv.Error = i18n.T(lang, "contact.error")
		cv.Errors[fe.Field] = msg
	}
	s.write(w, lang, http.StatusUnprocessableEntity, v, "contact.html")
}
