package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"plein/internal/activity"
	"plein/internal/federation"
	"plein/internal/feed"
	"plein/internal/i18n"
	"plein/internal/insights"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/post"
)

// PageSize is the number of posts on one page of an organisation.
const PageSize = 20

// feedSize is the number of posts in a feed.
const feedSize = 20

// renderTimeout bounds one rendering, which may serve many waiting requests.
const renderTimeout = 10 * time.Second

// publicRequest is what a public response depends on: nothing about the
// visitor, only the path and the two query parameters that change the page.
type publicRequest struct {
	path   string
	lang   string // requested interface language: "", "nl" or "en"
	before string // pagination cursor
	page   bool   // a collection page rather than the collection
	ap     bool   // an ActivityPub client asks, not a browser
}

func (p publicRequest) key() string {
	k := p.path + "\x00" + p.lang + "\x00" + p.before
	if p.page {
		k += "\x00page"
	}
	if p.ap {
		k += "\x00ap"
	}
	return k
}

func parsePublicRequest(r *http.Request) publicRequest {
	p := publicRequest{path: r.URL.Path}
	if accept := r.Header.Get("Accept"); accept != "" && strings.Contains(accept, "json") {
		p.ap = activity.IsActivityPubAccept(accept)
	}
	if r.URL.RawQuery == "" {
		return p
	}
	q := r.URL.Query()
	p.before = q.Get("before")
	p.page = q.Get("page") == "true"
	if l := q.Get("lang"); l == "nl" || l == "en" {
		p.lang = l
	}
	if !model.ValidID(p.before) {
		p.before = ""
	}
	return p
}

// showPublic serves every public page and feed from the page cache.
func (s *Server) showPublic(w http.ResponseWriter, r *http.Request) {
	s.lastRead.Store(time.Now().UnixNano())
	req := parsePublicRequest(r)
	resp, err := s.cache.get(req.key(), func() (*response, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), renderTimeout)
		defer cancel()
		return s.render(ctx, req)
	})
	if err != nil {
		s.logger.Error("web: render", "path", req.path, "err", err)
		resp = s.errorPage(http.StatusInternalServerError, i18n.Pick(req.lang, ""))
	}
	if negotiated(req.path) {
		w.Header()["Vary"] = varyAcceptValue
	}
	if strings.HasPrefix(req.path, "/@") {
		r.Pattern = atPattern(req.path) // a route label for metrics, never the path
	}
	resp.write(w, r)
	if c := resp.counted; c.orgID != "" && s.insights != nil {
		s.count(r, c)
	}
}

// atPattern names the kind of an /@ path as a route pattern, such as
// "GET /@{handle}/{post}".
func atPattern(path string) string {
	_, rest, _ := strings.Cut(path[2:], "/")
	id, sub, _ := strings.Cut(rest, "/")
	switch {
	case rest == "":
		return "GET /@{handle}"
	case strings.HasPrefix(rest, "feed."):
		return "GET /@{handle}/feed.{kind}"
	case id == "tags":
		return "GET /@{handle}/tags/{tag}"
	case rest == "privacy":
		return "GET /@{handle}/privacy"
	case sub == "history":
		return "GET /@{handle}/{post}/history"
	case sub == "":
		return "GET /@{handle}/{post}"
	}
	return "GET /@{handle}/other"
}

// count records a view or a feed fetch. The visitor's address and user
// agent only enter the day's salted sketch of distinct visitors. Neither
// path allocates: the address is formatted into a buffer on the stack.
func (s *Server) count(r *http.Request, c counted) {
	if c.feed {
		s.insights.FeedFetch(c.orgID, c.kind)
		return
	}
	if len(s.trustedProxies) > 0 {
		var buf [64]byte
		addr := clientAddr(r, s.trustedProxies).AppendTo(buf[:0])
		s.insights.View(c.orgID, c.postID, string(addr), r.UserAgent(), r.Referer())
		return
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	s.insights.View(c.orgID, c.postID, host, r.UserAgent(), r.Referer())
}

// render builds the response for a public request.
func (s *Server) render(ctx context.Context, req publicRequest) (*response, error) {
	path := req.path
	switch {
	case path == "/":
		return s.renderDirectory(ctx, req)
	case path == "/privacy":
		return s.renderPrivacy(ctx, nil, i18n.Pick(req.lang, ""))
	case strings.HasPrefix(path, "/orgs/"):
		return s.renderOrgID(ctx, req, strings.TrimPrefix(path, "/orgs/"))
	case strings.HasPrefix(path, "/posts/"):
		id, sub, _ := strings.Cut(strings.TrimPrefix(path, "/posts/"), "/")
		switch {
		case sub != "" && sub != "activity":
			return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
		case req.ap:
			return s.renderNoteByID(ctx, id, sub == "activity")
		}
		return s.redirectPost(ctx, req, id)
	case strings.HasPrefix(path, "/@"):
	default:
		return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
	}
	handle, rest, _ := strings.Cut(strings.TrimPrefix(path, "/@"), "/")
	o, former, err := s.orgs.Resolve(ctx, handle)
	if errors.Is(err, org.ErrUnknownHandle) {
		return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
	}
	if err != nil {
		return nil, err
	}
	if former || handle != o.Handle { // a former handle, or another spelling
		target := "/@" + o.Handle
		if rest != "" {
			target += "/" + rest
		}
		return redirect(http.StatusMovedPermanently, withQuery(target, req)), nil
	}
	lang := i18n.Pick(req.lang, o.Language)
	switch {
	case rest == "" && req.ap:
		return s.renderActivity(s.federation.Actor(ctx, o))
	case rest == "":
		return s.renderOrg(ctx, o, lang, req)
	case rest == "feed.atom", rest == "feed.rss", rest == "feed.json":
		return s.renderFeed(ctx, o, strings.TrimPrefix(rest, "feed."))
	case rest == "privacy":
		return s.renderPrivacy(ctx, o, lang)
	case strings.HasPrefix(rest, "tags/"):
		return s.renderTag(ctx, o, lang, strings.TrimPrefix(rest, "tags/"))
	}
	id, sub, _ := strings.Cut(rest, "/")
	if !model.ValidID(id) || (sub != "" && sub != "history") {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	p, err := s.posts.Get(ctx, id)
	if errors.Is(err, post.ErrNotFound) || err == nil && (p.OrgID != o.ID || !visible(p)) {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	if err != nil {
		return nil, err
	}
	if p.State == model.StateDeleted {
		return s.renderGone(o, p, lang)
	}
	if sub == "history" {
		return s.renderHistory(ctx, o, p, lang, req)
	}
	if req.ap {
		return s.renderActivity(s.federation.Note(ctx, o, p))
	}
	return s.renderPost(ctx, o, p, lang, req)
}

// negotiated reports whether a path answers browsers with HTML and
// ActivityPub clients with JSON, so that caches must vary on Accept.
func negotiated(path string) bool {
	return strings.HasPrefix(path, "/@") || strings.HasPrefix(path, "/orgs/") || strings.HasPrefix(path, "/posts/")
}

// activityContentType is the media type of every ActivityPub document.
const activityContentType = activity.ContentType + "; charset=utf-8"

// renderActivity encodes an ActivityPub document.
func (s *Server) renderActivity(doc any, err error) (*response, error) {
	if errors.Is(err, federation.ErrNotFound) {
		return newResponse(http.StatusNotFound, activityContentType, []byte(`{"error":"not found"}`)), nil
	}
	if err != nil {
		return nil, err
	}
	b, err := activity.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return newResponse(http.StatusOK, activityContentType, b), nil
}

// renderOrgID serves /orgs/{id} and its collections: the actor and its
// outbox, followers and featured posts for ActivityPub clients; browsers
// asking for the actor are sent to the organisation's page.
func (s *Server) renderOrgID(ctx context.Context, req publicRequest, rest string) (*response, error) {
	id, collection, _ := strings.Cut(rest, "/")
	if !model.ValidID(id) {
		return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
	}
	o, err := s.orgs.ByID(ctx, id)
	if errors.Is(err, org.ErrUnknownHandle) {
		return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
	}
	if err != nil {
		return nil, err
	}
	switch collection {
	case "":
		if !req.ap {
			return redirect(http.StatusFound, withQuery("/@"+o.Handle, req)), nil
		}
		return s.renderActivity(s.federation.Actor(ctx, o))
	case "outbox":
		resp, err := s.renderActivity(s.federation.Outbox(ctx, o, req.page, req.before))
		if err == nil && resp.status == http.StatusOK {
			resp.counted = counted{orgID: o.ID, feed: true, kind: insights.FeedOutbox}
		}
		return resp, err
	case "followers":
		return s.renderActivity(s.federation.Followers(ctx, o))
	case "featured":
		return s.renderActivity(s.federation.Featured(ctx, o))
	}
	return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
}

// renderNoteByID serves a post's Note at its permanent id; a deleted post
// answers 410 with a Tombstone.
func (s *Server) renderNoteByID(ctx context.Context, id string, create bool) (*response, error) {
	p, err := s.posts.Get(ctx, id)
	if errors.Is(err, post.ErrNotFound) || err == nil && !visible(p) {
		return s.renderActivity(nil, federation.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if p.State == model.StateDeleted {
		b, err := activity.Marshal(activity.Tombstone{ID: s.federation.NoteID(p.ID), Type: activity.TypeTombstone})
		if err != nil {
			return nil, err
		}
		return newResponse(http.StatusGone, activityContentType, b), nil
	}
	o, err := s.orgs.ByID(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	if create {
		return s.renderActivity(s.federation.Create(ctx, o, p))
	}
	return s.renderActivity(s.federation.Note(ctx, o, p))
}

// visible reports whether a post's page exists publicly: published, or
// deleted (which answers 410 Gone). Drafts and scheduled posts do not exist
// for the public.
func visible(p *model.Post) bool {
	return p.State == model.StatePublished || p.State == model.StateDeleted
}

func withQuery(path string, req publicRequest) string {
	q := url.Values{}
	if req.lang != "" {
		q.Set("lang", req.lang)
	}
	if req.before != "" {
		q.Set("before", req.before)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func (s *Server) redirectPost(ctx context.Context, req publicRequest, id string) (*response, error) {
	p, err := s.posts.Get(ctx, id)
	if errors.Is(err, post.ErrNotFound) || err == nil && !visible(p) {
		return s.errorPage(http.StatusNotFound, i18n.Pick(req.lang, "")), nil
	}
	if err != nil {
		return nil, err
	}
	o, err := s.orgs.ByID(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	return redirect(http.StatusFound, withQuery("/@"+o.Handle+"/"+p.ID, req)), nil
}

// --- view models ---

type pageView struct {
	Lang         string
	Title        string
	Description  string
	CanonicalURL string
	SwitchURL    string // the same page in the other language
	SwitchLang   string
	Feeds        *feedLinks
	OG           *openGraph
	Org          *orgView
	Orgs         []*orgView
	Posts        []*postView
	Pinned       []*postView
	Post         *postView
	Revisions    []*revisionView
	NextURL      string
	FirstURL     string
	Gone         string
	Status       int
	Privacy      template.HTML // the processing register, on a privacy page
	PrivacyURL   string        // the privacy page that applies to this page
}

type feedLinks struct{ Atom, RSS, JSON string }

type openGraph struct {
	Type, Title, Description, URL, Image, ImageAlt, Locale string
}

type orgView struct {
	Handle, Name, Description, URL, Lang string
	Links                                []model.Link
}

type postView struct {
	ID           string
	URL          string
	HistoryURL   string
	Lang         string
	HTML         template.HTML
	Summary      string
	Published    string // in the organisation's zone and the reader's language
	PublishedISO string
	Edited       bool
	EditedText   string
	Pinned       bool
	Images       []imageView
	Heading      string // for screen readers: "Post by X, date"
	UI           string // interface language of the page
}

type imageView struct {
	Src, SrcSet, Alt string
	Width, Height    int
}

type revisionView struct {
	Number  int
	When    string
	ISO     string
	Editor  string
	HTML    template.HTML
	Summary string
	Lang    string
}

func (s *Server) abs(path string) string { return s.baseURL + path }

func newOrgView(o *model.Org) *orgView {
	return &orgView{Handle: o.Handle, Name: o.DisplayName, Description: o.Description,
		URL: "/@" + o.Handle, Lang: o.Language, Links: o.Links}
}

func zone(o *model.Org) *time.Location {
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func (s *Server) postViews(ctx context.Context, o *model.Org, lang string, posts []*model.Post) ([]*postView, error) {
	ms, err := s.posts.Media(ctx, posts...)
	if err != nil {
		return nil, err
	}
	loc, links := zone(o), s.federation.Links(o)
	out := make([]*postView, 0, len(posts))
	for _, p := range posts {
		html, err := markup.HTMLWith(p.Text, links)
		if err != nil {
			return nil, fmt.Errorf("render post %s: %w", p.ID, err)
		}
		when := i18n.DateTime(lang, p.PublishAt.In(loc))
		v := &postView{ID: p.ID, URL: "/@" + o.Handle + "/" + p.ID, Lang: p.Language, HTML: html,
			Summary: p.Summary, Published: when, PublishedISO: p.PublishAt.UTC().Format(time.RFC3339),
			Edited: p.Edited(), Pinned: p.Pinned, UI: lang, Heading: i18n.T(lang, "post.by", o.DisplayName) + ", " + when}
		v.HistoryURL = v.URL + "/history"
		if v.Edited {
			v.EditedText = i18n.DateTime(lang, p.UpdatedAt.In(loc))
		}
		for _, a := range p.Attachments {
			m, ok := ms[a.MediaID]
			if !ok {
				continue // purged
			}
			v.Images = append(v.Images, s.imageView(m, a.Alt))
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) imageView(m *model.Media, alt string) imageView {
	medium := m.Variant("medium")
	var srcset []string
	seen := map[int]bool{}
	for _, name := range []string{"small", "medium", "large"} {
		v := m.Variant(name)
		if v.Key == "" || seen[v.Width] {
			continue
		}
		seen[v.Width] = true
		srcset = append(srcset, fmt.Sprintf("/media/%s %dw", v.Key, v.Width))
	}
	return imageView{Src: "/media/" + medium.Key, SrcSet: strings.Join(srcset, ", "), Alt: alt,
		Width: medium.Width, Height: medium.Height}
}

func (s *Server) page(lang string, status int, v *pageView, name string) (*response, error) {
	v.Lang, v.Status = lang, status
	v.SwitchLang = "en"
	if lang == "en" {
		v.SwitchLang = "nl"
	}
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, v); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return newResponse(status, "text/html; charset=utf-8", b.Bytes()), nil
}

func (s *Server) renderDirectory(ctx context.Context, req publicRequest) (*response, error) {
	lang := i18n.Pick(req.lang, "")
	orgs, err := s.orgs.List(ctx)
	if err != nil {
		return nil, err
	}
	v := &pageView{Title: i18n.T(lang, "directory.title"), CanonicalURL: s.abs("/"), SwitchURL: "/?lang=" + otherLang(lang)}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, newOrgView(o))
	}
	return s.page(lang, http.StatusOK, v, "directory.html")
}

func otherLang(lang string) string {
	if lang == "en" {
		return "nl"
	}
	return "en"
}

func (s *Server) feedLinks(o *model.Org) *feedLinks {
	base := "/@" + o.Handle + "/feed."
	return &feedLinks{Atom: base + "atom", RSS: base + "rss", JSON: base + "json"}
}

func (s *Server) renderOrg(ctx context.Context, o *model.Org, lang string, req publicRequest) (*response, error) {
	tl, err := s.posts.PublicTimeline(ctx, o.ID, req.before, PageSize)
	if errors.Is(err, post.ErrNotFound) {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	if err != nil {
		return nil, err
	}
	v := &pageView{Title: o.DisplayName, Description: markup.PlainText(o.Description), Org: newOrgView(o),
		CanonicalURL: s.abs("/@" + o.Handle), Feeds: s.feedLinks(o)}
	v.SwitchURL = withQuery("/@"+o.Handle, publicRequest{lang: otherLang(lang), before: req.before})
	if v.Pinned, err = s.postViews(ctx, o, lang, tl.Pinned); err != nil {
		return nil, err
	}
	if v.Posts, err = s.postViews(ctx, o, lang, tl.Posts); err != nil {
		return nil, err
	}
	if tl.Next != "" {
		v.NextURL = withQuery("/@"+o.Handle, publicRequest{lang: req.lang, before: tl.Next})
	}
	if req.before != "" {
		v.FirstURL = withQuery("/@"+o.Handle, publicRequest{lang: req.lang})
	}
	v.OG = &openGraph{Type: "profile", Title: o.DisplayName, Description: v.Description, URL: v.CanonicalURL, Locale: o.Language}
	return s.countedPage(lang, v, "org.html", o.ID, "")
}

// renderPrivacy renders the privacy page of an organisation, or of the
// installation when o is nil, generated from the running configuration.
func (s *Server) renderPrivacy(ctx context.Context, o *model.Org, lang string) (*response, error) {
	if s.retention == nil {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	reg, err := s.retention.Register(ctx, lang, o)
	if err != nil {
		return nil, err
	}
	path := "/privacy"
	v := &pageView{Title: i18n.T(lang, "privacy.title.installation"), Privacy: reg.HTML()}
	if o != nil {
		path = "/@" + o.Handle + "/privacy"
		v.Title, v.Org = i18n.T(lang, "privacy.title", o.DisplayName), newOrgView(o)
	}
	v.CanonicalURL, v.SwitchURL = s.abs(path), withQuery(path, publicRequest{lang: otherLang(lang)})
	return s.page(lang, http.StatusOK, v, "privacy.html")
}

// tagPostsScanned is how many of an organisation's latest posts a hashtag
// page looks through.
const tagPostsScanned = 500

// renderTag lists an organisation's recent posts that carry a hashtag.
func (s *Server) renderTag(ctx context.Context, o *model.Org, lang, tag string) (*response, error) {
	if _, tags := markup.Tags("#" + tag); len(tags) != 1 || tags[0] != tag {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	if lower := strings.ToLower(tag); lower != tag {
		return redirect(http.StatusMovedPermanently, "/@"+o.Handle+"/tags/"+url.PathEscape(lower)), nil
	}
	posts, err := s.posts.Latest(ctx, o.ID, tagPostsScanned)
	if err != nil {
		return nil, err
	}
	var tagged []*model.Post
	for _, p := range posts {
		_, tags := markup.Tags(p.Text)
		if slices.ContainsFunc(tags, func(t string) bool { return strings.ToLower(t) == tag }) {
			tagged = append(tagged, p)
		}
	}
	path := "/@" + o.Handle + "/tags/" + url.PathEscape(tag)
	v := &pageView{Title: i18n.T(lang, "tag.title", tag, o.DisplayName), Org: newOrgView(o),
		CanonicalURL: s.abs(path), Feeds: s.feedLinks(o), SwitchURL: withQuery(path, publicRequest{lang: otherLang(lang)})}
	if v.Posts, err = s.postViews(ctx, o, lang, tagged); err != nil {
		return nil, err
	}
	return s.countedPage(lang, v, "tag.html", o.ID, "")
}

func (s *Server) renderPost(ctx context.Context, o *model.Org, p *model.Post, lang string, req publicRequest) (*response, error) {
	views, err := s.postViews(ctx, o, lang, []*model.Post{p})
	if err != nil {
		return nil, err
	}
	pv := views[0]
	title := markup.Title(p.Text, 70)
	if p.Summary != "" {
		title = p.Summary
	}
	v := &pageView{Title: title + " – " + o.DisplayName, Org: newOrgView(o), Post: pv,
		CanonicalURL: s.abs(pv.URL), Feeds: s.feedLinks(o),
		SwitchURL: withQuery(pv.URL, publicRequest{lang: otherLang(lang)})}
	desc := markup.PlainText(p.Text)
	if p.Summary != "" {
		desc = p.Summary // a content warning hides the text in previews too
	}
	v.Description = cut(desc, 200)
	v.OG = &openGraph{Type: "article", Title: title, Description: v.Description, URL: v.CanonicalURL, Locale: p.Language}
	if len(pv.Images) > 0 && p.Summary == "" {
		v.OG.Image, v.OG.ImageAlt = s.abs(pv.Images[0].Src), pv.Images[0].Alt
	}
	return s.countedPage(lang, v, "post.html", o.ID, p.ID)
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (s *Server) renderHistory(ctx context.Context, o *model.Org, p *model.Post, lang string, req publicRequest) (*response, error) {
	revs, err := s.posts.PublicHistory(ctx, p)
	if err != nil {
		return nil, err
	}
	views, err := s.postViews(ctx, o, lang, []*model.Post{p})
	if err != nil {
		return nil, err
	}
	loc := zone(o)
	v := &pageView{Title: i18n.T(lang, "post.historyof", o.DisplayName), Org: newOrgView(o), Post: views[0],
		CanonicalURL: s.abs(views[0].HistoryURL), SwitchURL: withQuery(views[0].HistoryURL, publicRequest{lang: otherLang(lang)})}
	links := s.federation.Links(o)
	for i := len(revs) - 1; i >= 0; i-- { // newest first
		r := revs[i]
		html, err := markup.HTMLWith(r.Text, links)
		if err != nil {
			return nil, err
		}
		when := r.CreatedAt
		if i == 0 && when.Before(p.PublishAt) {
			when = p.PublishAt // the version as published
		}
		v.Revisions = append(v.Revisions, &revisionView{Number: len(v.Revisions), When: i18n.DateTime(lang, when.In(loc)),
			ISO: when.UTC().Format(time.RFC3339), HTML: html, Summary: r.Summary, Lang: r.Language})
	}
	for i, r := range v.Revisions {
		r.Number = len(v.Revisions) - i
	}
	return s.page(lang, http.StatusOK, v, "history.html")
}

func (s *Server) renderGone(o *model.Org, p *model.Post, lang string) (*response, error) {
	when := i18n.DateTime(lang, p.DeletedAt.In(zone(o)))
	v := &pageView{Title: i18n.T(lang, "post.gone"), Org: newOrgView(o),
		Gone: i18n.T(lang, "post.gonebody", o.DisplayName, when)}
	return s.page(lang, http.StatusGone, v, "gone.html")
}

func (s *Server) errorPage(status int, lang string) *response {
	key := "notfound"
	if status >= 500 {
		key = "error"
	}
	v := &pageView{Title: i18n.T(lang, key+".title"), Description: i18n.T(lang, key+".body")}
	r, err := s.page(lang, status, v, "error.html")
	if err != nil {
		s.logger.Error("web: error page", "err", err)
		return newResponse(status, "text/plain; charset=utf-8", []byte(http.StatusText(status)+"\n"))
	}
	return r
}

// --- feeds ---

func (s *Server) renderFeed(ctx context.Context, o *model.Org, kind string) (*response, error) {
	posts, err := s.posts.Latest(ctx, o.ID, feedSize)
	if err != nil {
		return nil, err
	}
	ms, err := s.posts.Media(ctx, posts...)
	if err != nil {
		return nil, err
	}
	links, hashtags := s.feedLinks(o), s.federation.Links(o)
	f := feed.Feed{ID: s.abs("/orgs/" + o.ID), Title: o.DisplayName, Description: markup.PlainText(o.Description),
		Language: o.Language, HomeURL: s.abs("/@" + o.Handle), AtomURL: s.abs(links.Atom), RSSURL: s.abs(links.RSS),
		JSONURL: s.abs(links.JSON), Author: o.DisplayName, Updated: o.UpdatedAt}
	for _, p := range posts {
		html, err := markup.HTMLWith(p.Text, hashtags)
		if err != nil {
			return nil, err
		}
		it := feed.Item{ID: s.abs("/posts/" + p.ID), URL: s.abs("/@" + o.Handle + "/" + p.ID),
			Title: markup.Title(p.Text, 80), ContentHTML: string(html), Summary: p.Summary, Language: p.Language,
			Published: p.PublishAt, Updated: p.PublishAt}
		if p.Edited() {
			it.Updated = p.UpdatedAt
		}
		if it.Updated.After(f.Updated) {
			f.Updated = it.Updated
		}
		for _, a := range p.Attachments {
			m, ok := ms[a.MediaID]
			if !ok {
				continue
			}
			v := m.Variant("large")
			it.Images = append(it.Images, feed.Image{URL: s.abs("/media/" + v.Key), ContentType: v.ContentType,
				Alt: a.Alt, Length: v.Size, Width: v.Width, Height: v.Height})
		}
		f.Items = append(f.Items, it)
	}
	var b bytes.Buffer
	var contentType string
	var fk insights.FeedKind
	switch kind {
	case "atom":
		err, contentType, fk = feed.WriteAtom(&b, f), feed.AtomContentType, insights.FeedAtom
	case "rss":
		err, contentType, fk = feed.WriteRSS(&b, f), feed.RSSContentType, insights.FeedRSS
	default:
		err, contentType, fk = feed.WriteJSON(&b, f), feed.JSONContentType, insights.FeedJSON
	}
	if err != nil {
		return nil, err
	}
	resp := newResponse(http.StatusOK, contentType, b.Bytes())
	resp.counted = counted{orgID: o.ID, feed: true, kind: fk}
	return resp, nil
}

// countedPage renders a page and marks it as a view of an organisation
// (postID empty) or one of its posts.
func (s *Server) countedPage(lang string, v *pageView, name, orgID, postID string) (*response, error) {
	resp, err := s.page(lang, http.StatusOK, v, name)
	if err == nil {
		resp.counted = counted{orgID: orgID, postID: postID}
	}
	return resp, err
}

var templateFuncs = template.FuncMap{
	"auditView": func(lang string, rows []auditRow) any {
		return struct {
			Lang string
			Data []auditRow
		}{lang, rows}
	},
	"t": func(lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
	"feedsSentence": func(lang string, f *feedLinks) template.HTML {
		a := func(href, label string) string {
			return `<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(label) + `</a>`
		}
		return template.HTML(i18n.T(lang, "org.feeds", a(f.Atom, "Atom"), a(f.RSS, "RSS"), a(f.JSON, "JSON Feed")))
	},
}
