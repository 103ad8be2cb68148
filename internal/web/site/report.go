package site

import (
	"net/http"
	"net/url"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/web/middleware"
)

// reportView is the data of the report form and its receipt.
type reportView struct {
	Lang, Action, Token string
	PostID, ReplyID     string
	Ground, Law, Text   string
	Name, Email         string
	GoodFaith           bool
	MaxLength, MaxLaw   int
	Error               string
	Errors              map[string]string // by field
	Reference           string
	Mailed              bool
}

// reportURL is the link to the report form about a post of the
// organisation handle, and about one of its replies when replyID is not
// empty, keeping the language the visitor chose.
func reportURL(handle, postID, replyID, chosen string) string {
	q := url.Values{}
	if replyID != "" {
		q.Set("reply", replyID)
	}
	if chosen != "" {
		q.Set("lang", chosen)
	}
	path := "/@" + handle + "/report/" + postID
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// reportForm returns the view of o's report form about a post (and a
// reply), with a fresh token.
func (s *Site) reportForm(r *http.Request, o *model.Org, lang, chosen, postID, replyID string) (*pageView, error) {
	token, err := s.moderation.NoticeToken(r.Context(), o.ID)
	if err != nil {
		return nil, err
	}
	path := "/@" + o.Handle + "/report/" + postID
	rv := &reportView{Lang: lang, Action: withLang(path, chosen), Token: token, PostID: postID, ReplyID: replyID,
		MaxLength: moderation.MaxNoticeText, MaxLaw: moderation.MaxLaw, Errors: map[string]string{}}
	return &pageView{Chosen: chosen, Title: i18n.T(lang, "report.title", o.DisplayName), CanonicalURL: s.abs(path),
		SwitchURL: withLang(path, otherLang(lang)), PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen),
		Org: s.orgView(o, chosen), Report: rv}, nil
}

// ReportForm serves GET /@{handle}/report/{post}[?reply=ID]: the form to
// report a post or a reply shown under it as illegal or against the
// organisation's rules (Digital Services Act, Art. 16). It is rendered for
// each request, sets no cookie and holds no script.
func (s *Site) ReportForm(w http.ResponseWriter, r *http.Request) {
	o, chosen, lang, ok := s.reportOrg(w, r)
	if !ok {
		return
	}
	v, err := s.reportForm(r, o, lang, chosen, r.PathValue("post"), r.URL.Query().Get("reply"))
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	s.write(w, lang, http.StatusOK, v, "report.html")
}

func (s *Site) reportOrg(w http.ResponseWriter, r *http.Request) (*model.Org, string, string, bool) {
	if !s.moderation.TakesNotices() {
		lang := i18n.Pick(chosenLang(r), "")
		s.writeError(w, http.StatusNotFound, lang, i18n.T(lang, "notfound.title"), i18n.T(lang, "notfound.body"))
		return nil, "", "", false
	}
	return s.contactOrg(w, r)
}

// Report handles POST /@{handle}/report/{post} with the fields reply,
// ground, law, explanation, name, email, goodfaith, the form token and the
// honeypot field website. It answers with the receipt and its reference,
// or the form again with what was typed and why.
func (s *Site) Report(w http.ResponseWriter, r *http.Request) {
	o, chosen, lang, ok := s.reportOrg(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxContactBody)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, http.StatusBadRequest, lang, i18n.T(lang, "error.title"), i18n.T(lang, "sub.error.form"))
		return
	}
	f := r.PostForm
	in := moderation.NoticeInput{PostID: r.PathValue("post"), ReplyID: f.Get("reply"), Ground: f.Get("ground"), Law: f.Get("law"),
		Text: f.Get("explanation"), Name: f.Get("name"), Email: f.Get("email"), GoodFaith: f.Get("goodfaith") != "",
		Token: f.Get("token"), Honeypot: f.Get("website"), Lang: lang,
		OverLimit: !s.reportLimit.Attempt(middleware.ClientAddr(r, s.proxies).String())}
	receipt, err := s.moderation.SubmitNotice(r.Context(), o, in)
	if err == nil {
		v := &pageView{Chosen: chosen, Title: i18n.T(lang, "report.sent.title"), Org: s.orgView(o, chosen),
			PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen),
			Report:     &reportView{Lang: lang, Reference: receipt.Reference, Mailed: receipt.Mailed}}
		s.write(w, lang, http.StatusOK, v, "report_sent.html")
		return
	}
	fe, invalid := model.AsFieldError(err)
	if !invalid {
		s.failed(w, r, lang, err)
		return
	}
	v, err := s.reportForm(r, o, lang, chosen, in.PostID, in.ReplyID)
	if err != nil {
		s.failed(w, r, lang, err)
		return
	}
	rv := v.Report
	rv.Ground, rv.Law, rv.Text, rv.Name, rv.Email, rv.GoodFaith = in.Ground, in.Law, in.Text, in.Name, in.Email, in.GoodFaith
	msg := fe.In(lang)
	if m, ok := fe.Message.(i18n.Message); ok {
		msg = m.Sentence(lang)
	}
	rv.Error = i18n.T(lang, "contact.error")
	rv.Errors[fe.Field] = msg
	s.write(w, lang, http.StatusUnprocessableEntity, v, "report.html")
}
