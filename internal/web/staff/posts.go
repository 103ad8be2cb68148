package staff

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/subscription"
)

// --- the list of posts ---

type postListData struct {
	State string
	Tabs  []tab
	Posts []postRow
}

type tab struct {
	State, Label, URL string
	Current           bool
}

type postRow struct {
	ID, EditURL, PublicURL, When, ISO, Text string
	Pinned, Public                          bool
	// Imported names the platform the post came from, in the staff
	// member's language; HeldBack tells that an image awaits a
	// description.
	Imported string
	HeldBack bool
}

var listStates = []model.PostState{model.StatePublished, model.StateScheduled, model.StateDraft, model.StateDeleted}

// approvalStates are the tabs added where the organisation requires
// approval (or while posts are in these states).
var approvalStates = []model.PostState{model.StatePublished, model.StateScheduled, model.StateAwaiting, model.StateReturned,
	model.StateDraft, model.StateDeleted}

func (s *App) showPostList(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	state := model.PostState(r.URL.Query().Get("state"))
	listStates := listStates
	if pol, err := s.posts.Policy(r.Context(), sr.org.ID); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	} else if pol.Required || state == model.StateAwaiting || state == model.StateReturned {
		listStates = approvalStates
	}
	if !containsState(listStates, state) {
		state = model.StatePublished
	}
	posts, err := s.posts.List(r.Context(), sr.org.ID, state)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.posts")+" – "+sr.org.DisplayName, "posts")
	v.Flash = flash(r, sr.lang)
	d := postListData{State: string(state)}
	for _, st := range listStates {
		d.Tabs = append(d.Tabs, tab{State: string(st), Label: i18n.T(sr.lang, "staff.state."+string(st)),
			URL: v.OrgPath + "/posts?state=" + string(st), Current: st == state})
	}
	loc := sr.org.Location()
	for _, p := range posts {
		at := p.PublishAt
		if at.IsZero() {
			at = p.UpdatedAt
		}
		row := postRow{ID: p.ID, EditURL: v.OrgPath + "/posts/" + p.ID, When: i18n.DateTime(sr.lang, at.In(loc)),
			ISO: at.UTC().Format(time.RFC3339), Text: markup.Title(p.Text, 100), Pinned: p.Pinned, Public: p.Public(),
			HeldBack: p.HeldBack()}
		if p.ImportedFrom != "" {
			row.Imported = i18n.T(sr.lang, "post.imported."+p.ImportedFrom)
		}
		if row.Public {
			row.PublicURL = "/@" + sr.org.Handle + "/" + p.ID
		}
		d.Posts = append(d.Posts, row)
	}
	v.Data = d
	s.renderStaff(w, http.StatusOK, "staff_posts.html", v)
}

func containsState(list []model.PostState, s model.PostState) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// --- compose and edit ---

// maxSlots is the number of image slots in the form.
const maxSlots = post.MaxImages

// composeData is the post form, holding what was typed.
type composeData struct {
	Action    string // form action URL
	Post      *model.Post
	Text      string
	Summary   string
	Language  string
	At        string // datetime-local value in the organisation's zone
	TimeZone  string
	Slots     []imageSlot
	Preview   template.HTML
	PreviewOn bool
	Revisions []revisionRow
	Likes     int
	Boosts    int
	Replies   []replyRow
	answered  bool // Replies are filled already
	MaxText   int
	Languages []langOption
	// Mail is true when the installation sends e-mail: a test to oneself,
	// and for a published post how many subscribers got it and the
	// button that sends a correction.
	Mail      bool
	MailsSent int64
	// Bluesky is what became of the post on Bluesky; nil: never sent.
	Bluesky *blueskyPostRow
	// AllowSensitive is the ticked box that confirms a post holding
	// numbers the sensitive-data guard found.
	AllowSensitive bool
	// Required: the organisation publishes only after approval; CanCrisis:
	// the actor may publish without it by stating Reason. Pending is what
	// of the post awaits approval or was returned, if anything.
	Required  bool
	CanCrisis bool
	Reason    string
	Pending   *model.Approval
}

type imageSlot struct {
	N        int    // 1-based
	MediaID  string // an image already uploaded
	Src      string
	Alt      string
	AltError string
}

type replyRow struct {
	ID      string
	Answer  string // an answer being written, kept after an error
	Error   string
	From    string // the author's address, for moderators
	URL     string
	When    string
	Summary template.HTML
	HTML    template.HTML
}

type revisionRow struct {
	Label string
	Text  template.HTML
}

type langOption struct {
	Code, Label string
	Selected    bool
}

func (s *App) newCompose(sr *staffRequest, p *model.Post) *composeData {
	d := &composeData{Post: p, Language: sr.org.Language, TimeZone: sr.org.TimeZone, MaxText: post.MaxTextLength,
		Action: "/staff/orgs/" + sr.org.Handle + "/compose", Mail: s.subscriptions.Enabled()}
	for i := range maxSlots {
		d.Slots = append(d.Slots, imageSlot{N: i + 1})
	}
	if p != nil {
		d.Action = "/staff/orgs/" + sr.org.Handle + "/posts/" + p.ID
		d.Text, d.Summary, d.Language = p.Text, p.Summary, p.Language
		if p.State == model.StateScheduled {
			d.At = p.PublishAt.In(sr.org.Location()).Format("2006-01-02T15:04")
		}
		for i, a := range p.Attachments {
			if i < maxSlots {
				d.Slots[i].MediaID, d.Slots[i].Alt = a.MediaID, a.Alt
			}
		}
	}
	return d
}

func (d *composeData) fillLanguages(lang string) {
	known := false
	for _, code := range []string{"nl", "en", "fy", "de", "fr", "ar", "tr", "pl", "uk"} {
		d.Languages = append(d.Languages, langOption{Code: code, Label: languageName(code, lang), Selected: code == d.Language})
		known = known || code == d.Language
	}
	if !known {
		d.Languages = append(d.Languages, langOption{Code: d.Language, Label: d.Language, Selected: true})
	}
}

// languageName names a language in the interface language.
func languageName(code, lang string) string {
	names := map[string][2]string{
		"nl": {"Nederlands", "Dutch"}, "en": {"Engels", "English"}, "fy": {"Fries", "Frisian"},
		"de": {"Duits", "German"}, "fr": {"Frans", "French"}, "ar": {"Arabisch", "Arabic"},
		"tr": {"Turks", "Turkish"}, "pl": {"Pools", "Polish"}, "uk": {"Oekraïens", "Ukrainian"},
	}
	n, ok := names[code]
	if !ok {
		return code
	}
	if lang == "en" {
		return n[1]
	}
	return n[0]
}

func (s *App) renderCompose(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, d *composeData, v *staffView) {
	if v == nil {
		v = s.view(sr, "", "compose")
	}
	v.Title = i18n.T(sr.lang, "staff.compose") + " – " + sr.org.DisplayName
	if d.Post != nil {
		v.Title = i18n.T(sr.lang, "staff.edit.title") + " – " + sr.org.DisplayName
		v.Section = "posts"
		if err := s.fillRevisions(r, sr, d); err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
		if !d.answered {
			if err := s.fillInteractions(r, sr, d); err != nil {
				s.staffFailure(w, r, sr, err)
				return
			}
		}
		if d.Mail && d.Post.Public() {
			n, err := s.subscriptions.MailsSent(r.Context(), sr.actor(), d.Post)
			if err != nil {
				s.staffFailure(w, r, sr, err)
				return
			}
			d.MailsSent = n
		}
		if err := s.fillBlueskyPost(r, sr, d); err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
	}
	if err := s.fillApproval(r, sr, d); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	d.fillLanguages(sr.lang)
	if err := s.fillSlotImages(r, d); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	v.Data = d
	s.renderStaff(w, status, "staff_compose.html", v)
}

func (s *App) fillSlotImages(r *http.Request, d *composeData) error {
	var ids []string
	for _, sl := range d.Slots {
		if sl.MediaID != "" {
			ids = append(ids, sl.MediaID)
		}
	}
	ms, err := s.posts.MediaByIDs(r.Context(), ids)
	if err != nil {
		return err
	}
	for i := range d.Slots {
		if m, ok := ms[d.Slots[i].MediaID]; ok {
			d.Slots[i].Src = "/media/" + m.Variant("small").Key
		} else {
			d.Slots[i].MediaID = ""
		}
	}
	return nil
}

// fillInteractions adds the Fediverse's likes, boosts and replies of the
// post: counts, and the replies held for moderation.
func (s *App) fillInteractions(r *http.Request, sr *staffRequest, d *composeData) error {
	var err error
	if d.Likes, d.Boosts, err = s.federation.Reactions(r.Context(), d.Post.ID); err != nil {
		return err
	}
	replies, err := s.federation.Replies(r.Context(), d.Post.ID)
	if err != nil {
		return err
	}
	loc := sr.org.Location()
	for _, rp := range replies {
		d.Replies = append(d.Replies, replyRow{ID: rp.ID, From: rp.ActorID, URL: rp.URL, When: i18n.DateTime(sr.lang, rp.ReceivedAt.In(loc)),
			Summary: template.HTML(rp.Summary), HTML: template.HTML(rp.ContentHTML)}) // sanitised when received
	}
	return nil
}

func (s *App) fillRevisions(r *http.Request, sr *staffRequest, d *composeData) error {
	revs, err := s.posts.Revisions(r.Context(), d.Post.ID)
	if err != nil {
		return err
	}
	loc := sr.org.Location()
	for i := len(revs) - 1; i >= 0; i-- {
		rev := revs[i]
		html, err := markup.HTML(rev.Text)
		if err != nil {
			return err
		}
		editor := rev.Editor
		if editor == "" {
			editor = "?"
		}
		d.Revisions = append(d.Revisions, revisionRow{
			Label: i18n.T(sr.lang, "staff.history.by", rev.Number, i18n.DateTime(sr.lang, rev.CreatedAt.In(loc)), editor),
			Text:  html})
	}
	return nil
}

func (s *App) showCompose(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !sr.can(auth.PermPublish) {
		s.staffForbidden(w, r, sr)
		return
	}
	s.renderCompose(w, r, sr, http.StatusOK, s.newCompose(sr, nil), nil)
}

func (s *App) showEdit(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	p, ok := s.staffPost(w, r, sr)
	if !ok {
		return
	}
	if !sr.can(auth.PermPublish) {
		s.staffForbidden(w, r, sr)
		return
	}
	v := s.view(sr, "", "posts")
	v.Flash = flash(r, sr.lang)
	d := s.newCompose(sr, p)
	// An edit awaiting approval, or returned, is what its author goes on
	// with.
	if a, err := s.posts.Approval(r.Context(), p.ID); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	} else if a != nil && a.Kind == model.ApprovalEdit {
		d.Text, d.Summary, d.Language = a.Text, a.Summary, a.Language
		for i := range d.Slots {
			d.Slots[i].MediaID, d.Slots[i].Alt = "", ""
			if i < len(a.Attachments) {
				d.Slots[i].MediaID, d.Slots[i].Alt = a.Attachments[i].MediaID, a.Attachments[i].Alt
			}
		}
	}
	s.renderCompose(w, r, sr, http.StatusOK, d, v)
}

// staffPost loads the post the URL names, within the URL's organisation.
func (s *App) staffPost(w http.ResponseWriter, r *http.Request, sr *staffRequest) (*model.Post, bool) {
	p, err := s.posts.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, post.ErrNotFound) || err == nil && p.OrgID != sr.org.ID {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return nil, false
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return nil, false
	}
	return p, true
}

// readCompose reads the post form: it saves newly chosen image files at
// once, so that they stay with the form while it is previewed or
// corrected, and checks that every image has alt text.
func (s *App) readCompose(r *http.Request, sr *staffRequest, d *composeData, v *staffView) (post.Input, error) {
	d.Text = r.PostFormValue("text")
	d.Summary = r.PostFormValue("summary")
	d.Language = strings.TrimSpace(r.PostFormValue("language"))
	d.At = r.PostFormValue("at")
	d.AllowSensitive = r.PostFormValue("allow_sensitive") != ""
	d.Reason = r.PostFormValue("reason")
	in := post.Input{Text: d.Text, Summary: d.Summary, Language: d.Language, AllowSensitive: d.AllowSensitive, Reason: d.Reason}
	for i := range d.Slots {
		sl := &d.Slots[i]
		n := fmt.Sprint(sl.N)
		sl.MediaID, sl.Alt, sl.Src = r.PostFormValue("media"+n), strings.TrimSpace(r.PostFormValue("alt"+n)), ""
		if r.PostFormValue("remove"+n) != "" {
			sl.MediaID, sl.Alt = "", ""
			continue
		}
		if file, header, err := formFile(r, "image"+n); err == nil {
			m, err := s.posts.Upload(r.Context(), sr.actor(), sr.org.ID, post.ImageInput{Upload: file, Name: header.Filename})
			file.Close()
			if err != nil {
				if fe, ok := model.AsFieldError(err); ok {
					v.Errors["image"+n] = fieldMessage(fe, sr.lang)
					continue
				}
				return in, err
			}
			sl.MediaID = m.ID
		} else if !errors.Is(err, http.ErrMissingFile) {
			return in, fmt.Errorf("staff: read image %s: %w", n, err)
		}
		if sl.MediaID == "" {
			continue
		}
		if sl.Alt == "" {
			sl.AltError = i18n.T(sr.lang, "staff.alt.missing")
			v.Errors["alt"+n] = sl.AltError
		}
		in.Images = append(in.Images, post.ImageInput{MediaID: sl.MediaID, Alt: sl.Alt})
	}
	if len(v.Errors) > 0 {
		v.FormError = i18n.T(sr.lang, "staff.errors")
	}
	return in, nil
}

// scheduleTime reads the schedule field in the organisation's time zone.
func scheduleTime(sr *staffRequest, d *composeData, v *staffView) (time.Time, bool) {
	if strings.TrimSpace(d.At) == "" {
		v.Errors["at"] = i18n.T(sr.lang, "staff.schedule.missing")
		return time.Time{}, false
	}
	at, err := time.ParseInLocation("2006-01-02T15:04", d.At, sr.org.Location())
	if err != nil { // browsers send seconds when the value has them
		at, err = time.ParseInLocation("2006-01-02T15:04:05", d.At, sr.org.Location())
	}
	if err != nil {
		v.Errors["at"] = i18n.T(sr.lang, "staff.schedule.bad")
		return time.Time{}, false
	}
	return at, true
}

func (s *App) preview(d *composeData) {
	d.PreviewOn = true
	if html, err := markup.HTML(d.Text); err == nil {
		d.Preview = html
	}
}

func (s *App) submitCompose(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitPostForm(w, r, sr, nil, func(in post.Input, action string, when post.When) (*model.Post, string, error) {
		when.Draft = action == "draft" || action == "save" // a new post is only published on request
		p, err := s.posts.Create(r.Context(), sr.actor(), sr.org.ID, in, when)
		if err != nil {
			return nil, "", err
		}
		return p, string(p.State), nil
	})
}

func (s *App) submitEdit(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	p, ok := s.staffPost(w, r, sr)
	if !ok {
		return
	}
	s.submitPostForm(w, r, sr, p, func(in post.Input, action string, when post.When) (*model.Post, string, error) {
		edited, err := s.posts.Edit(r.Context(), sr.actor(), p.ID, in)
		if err == nil && edited.State == model.StatePublished {
			if a, err := s.posts.Approval(r.Context(), p.ID); err != nil {
				return nil, "", err
			} else if a != nil && a.Kind == model.ApprovalEdit && !a.Returned {
				return edited, "editawaiting", nil
			}
		}
		if err != nil || action != "publish" && action != "schedule" {
			return edited, "edited", err
		}
		published, err := s.posts.Publish(r.Context(), sr.actor(), p.ID, when)
		if err != nil {
			return nil, "", err
		}
		return published, string(published.State), nil
	})
}

// submitPostForm handles the post form of a new post (p nil) or of p: the
// Preview button shows the form again with the rendered post; the other
// buttons (draft, save, publish, schedule) call save, which returns the
// saved post and the key of the message to show. Errors are shown next to
// their fields with everything typed kept.
func (s *App) submitPostForm(w http.ResponseWriter, r *http.Request, sr *staffRequest, p *model.Post,
	save func(in post.Input, action string, when post.When) (*model.Post, string, error)) {
	if !sr.can(auth.PermPublish) {
		s.staffForbidden(w, r, sr)
		return
	}
	d := s.newCompose(sr, p)
	section := "compose"
	if p != nil {
		section = "posts"
	}
	v := s.view(sr, "", section)
	in, err := s.readCompose(r, sr, d, v)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	action := r.PostFormValue("action")
	when := post.When{Reason: d.Reason}
	switch action {
	case "testmail":
		if len(v.Errors) == 0 {
			s.sendTestMail(w, r, sr, d, v, in)
			return
		}
	case "draft", "save", "publish":
	case "schedule":
		at, ok := scheduleTime(sr, d, v)
		if !ok {
			v.FormError = i18n.T(sr.lang, "staff.errors")
		}
		when.At = at
	default:
		s.preview(d)
		s.renderCompose(w, r, sr, http.StatusOK, d, v)
		return
	}
	if len(v.Errors) > 0 {
		s.renderCompose(w, r, sr, http.StatusUnprocessableEntity, d, v)
		return
	}
	saved, done, err := save(in, action, when)
	if err != nil {
		if !fieldErrors(v, err) {
			s.staffFailure(w, r, sr, err)
			return
		}
		s.renderCompose(w, r, sr, http.StatusUnprocessableEntity, d, v)
		return
	}
	seeOther(w, r, v.OrgPath+"/posts?state="+string(saved.State), done)
}

// submitPostAction pins, unpins or deletes a post.
func (s *App) submitPostAction(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	p, ok := s.staffPost(w, r, sr)
	if !ok {
		return
	}
	var err error
	action := r.PathValue("action")
	switch action {
	case "pin":
		p, err = s.posts.Pin(r.Context(), sr.actor(), p.ID, true)
		action = "pinned"
	case "unpin":
		p, err = s.posts.Pin(r.Context(), sr.actor(), p.ID, false)
		action = "unpinned"
	case "delete":
		p, err = s.posts.Delete(r.Context(), sr.actor(), p.ID)
		action = "deleted"
	case "mail-correction":
		err = s.subscriptions.SendCorrection(r.Context(), sr.actor(), p.ID)
		switch fe, invalid := model.AsFieldError(err); {
		case err == nil:
			seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/posts/"+p.ID, "mailcorrection")
			return
		case errors.Is(err, model.ErrForbidden):
			s.staffForbidden(w, r, sr)
			return
		case invalid:
			s.staffError(w, r, sr, http.StatusBadRequest, fe.In(sr.lang))
			return
		}
	case "answer":
		s.submitAnswer(w, r, sr, p)
		return
	default:
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/posts?state="+string(p.State), action)
}

// submitPreview renders Markdown for the live preview of the compose
// screen's script; the form works without it.
func (s *App) submitPreview(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	text := r.PostFormValue("text")
	if len(text) > 4*post.MaxTextLength {
		// The script shows nothing then; the message is for anyone reading.
		msg := i18n.M(i18n.ErrTextTooLong, utf8.RuneCountInString(text), post.MaxTextLength)
		http.Error(w, msg.Sentence(sr.lang), http.StatusRequestEntityTooLarge)
		return
	}
	html, err := markup.HTML(text)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html))
}

// submitAnswer publishes the organisation's answer to a citizen's reply to
// post p; an error is shown next to that reply's answer field.
func (s *App) submitAnswer(w http.ResponseWriter, r *http.Request, sr *staffRequest, p *model.Post) {
	replyID, text := r.PostFormValue("reply"), r.PostFormValue("text")
	_, err := s.posts.Answer(r.Context(), sr.actor(), replyID, text)
	if err == nil {
		seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/posts/"+p.ID, "answered")
		return
	}
	if errors.Is(err, post.ErrNoReply) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.body"))
		return
	}
	fe, ok := model.AsFieldError(err)
	if !ok {
		s.staffFailure(w, r, sr, err)
		return
	}
	v := s.view(sr, "", "posts")
	v.FormError = i18n.T(sr.lang, "staff.errors")
	d := s.newCompose(sr, p)
	if err := s.fillInteractions(r, sr, d); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	for i := range d.Replies {
		if d.Replies[i].ID == replyID {
			d.Replies[i].Answer, d.Replies[i].Error = text, fieldMessage(fe, sr.lang)
		}
	}
	d.answered = true
	s.renderCompose(w, r, sr, http.StatusUnprocessableEntity, d, v)
}

// sendTestMail sends the post as written to the staff member's own
// address and shows the form again, saying where it went.
func (s *App) sendTestMail(w http.ResponseWriter, r *http.Request, sr *staffRequest, d *composeData, v *staffView, in post.Input) {
	to, err := s.subscriptions.SendTest(r.Context(), sr.actor(), sr.org.ID, in)
	switch {
	case err == nil:
		v.Flash = i18n.T(sr.lang, "staff.testmail.sent", to)
	case errors.Is(err, subscription.ErrUnavailable):
		v.FormError = i18n.T(sr.lang, "sub.unavailable")
	case fieldErrors(v, err):
	default:
		s.staffFailure(w, r, sr, err)
		return
	}
	s.preview(d)
	status := http.StatusOK
	if v.FormError != "" {
		status = http.StatusUnprocessableEntity
	}
	s.renderCompose(w, r, sr, status, d, v)
}
