package site

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/web/pagecache"
)

// Directory renders / : the organisations of the installation.
func (s *Site) Directory(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	lang := i18n.Pick(req.Lang, "")
	orgs, err := s.orgs.List(ctx)
	if err != nil {
		return nil, err
	}
	v := &pageView{Chosen: req.Lang, Title: i18n.T(lang, "directory.title"), CanonicalURL: s.abs("/"),
		SwitchURL: withLang("/", otherLang(lang)), Feeds: feedLinksOf("/")}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, s.orgView(o, req.Lang))
	}
	return s.page(lang, http.StatusOK, v, "directory.html")
}

// Privacy renders /privacy: the privacy statement of the installation.
func (s *Site) Privacy(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	return s.privacy(ctx, nil, i18n.Pick(req.Lang, ""), req.Lang)
}

// OrgPrivacy renders /@{handle}/privacy.
func (s *Site) OrgPrivacy(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, lang, resp, err := s.orgOf(ctx, req, "/privacy")
	if o == nil {
		return resp, err
	}
	return s.privacy(ctx, o, lang, req.Lang)
}

// privacy renders the privacy page of an organisation, or of the
// installation when o is nil, generated from the running configuration.
func (s *Site) privacy(ctx context.Context, o *model.Org, lang, chosen string) (*pagecache.Response, error) {
	if s.retention == nil {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	reg, err := s.retention.Register(ctx, lang, o)
	if err != nil {
		return nil, err
	}
	path := "/privacy"
	v := &pageView{Chosen: chosen, Title: i18n.T(lang, "privacy.title.installation"), Privacy: reg.HTML()}
	if o != nil {
		path = "/@" + o.Handle + "/privacy"
		v.Title = i18n.T(lang, "privacy.title", o.DisplayName)
		v.Org = s.orgView(o, chosen)
	}
	v.CanonicalURL, v.SwitchURL, v.PrivacyURL = s.abs(path), withLang(path, otherLang(lang)), withLang(path, chosen)
	if s.moderation != nil {
		v.TransparencyURL = transparencyURL(o, chosen)
	}
	return s.page(lang, http.StatusOK, v, "privacy.html")
}

// Org renders /@{handle}: the organisation's page, pinned posts first,
// then the newest, PageSize at a time (?before=ID for older ones).
func (s *Site) Org(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, lang, resp, err := s.orgOf(ctx, req, "")
	if o == nil {
		return resp, err
	}
	tl, err := s.posts.PublicTimeline(ctx, o.ID, req.Before, PageSize)
	if err != nil {
		return nil, err
	}
	path := "/@" + o.Handle
	v := &pageView{Chosen: req.Lang, Title: o.DisplayName, Description: markup.PlainText(o.Description),
		CanonicalURL: s.abs(path), Feeds: feedLinksOf(path + "/"), PrivacyURL: withLang(path+"/privacy", req.Lang),
		SwitchURL: withQuery(path, otherLang(lang), req.Before)}
	v.Org = s.orgView(o, req.Lang)
	if err := s.addBluesky(ctx, v.Org, o); err != nil {
		return nil, err
	}
	if s.subs.Enabled() {
		v.SubscribeURL = withLang(path+"/subscribe", req.Lang)
	}
	if s.contact != nil {
		v.ContactURL = withLang(path+"/contact", req.Lang)
	}
	if err := s.addAvatar(ctx, v.Org, o); err != nil {
		return nil, err
	}
	if err := s.addHeader(ctx, v.Org, o); err != nil {
		return nil, err
	}
	if v.Pinned, err = s.postViews(ctx, o, lang, req.Lang, tl.Pinned); err != nil {
		return nil, err
	}
	if v.Posts, err = s.postViews(ctx, o, lang, req.Lang, tl.Posts); err != nil {
		return nil, err
	}
	if tl.Next != "" {
		v.NextURL = withQuery(path, req.Lang, tl.Next)
	}
	if req.Before != "" {
		v.FirstURL = withLang(path, req.Lang)
	}
	v.OG = &openGraph{Type: "profile", Title: o.DisplayName, Description: v.Description, URL: v.CanonicalURL, Locale: o.Language}
	if v.Org.AvatarSrc != "" {
		v.OG.Image, v.OG.ImageAlt = s.abs(v.Org.AvatarSrc), o.DisplayName
	}
	return s.countedPage(lang, v, "org.html", o.ID, "")
}

// tagPostsScanned is how many of an organisation's latest posts a hashtag
// page looks through.
const tagPostsScanned = 500

// tagged returns o's recent posts that carry tag (in lower case), newest
// first, or a response to send instead: 404 for what is not a hashtag, a
// redirect for one in capitals.
func (s *Site) tagged(ctx context.Context, o *model.Org, lang, chosen, tag, rest string) ([]*model.Post, *pagecache.Response, error) {
	if _, tags := markup.Tags("#" + tag); len(tags) != 1 || tags[0] != tag {
		return nil, s.errorPage(http.StatusNotFound, lang), nil
	}
	if lower := strings.ToLower(tag); lower != tag {
		return nil, pagecache.Redirect(http.StatusMovedPermanently, withLang("/@"+o.Handle+"/tags/"+url.PathEscape(lower)+rest, chosen)), nil
	}
	posts, err := s.posts.Latest(ctx, o.ID, tagPostsScanned)
	if err != nil {
		return nil, nil, err
	}
	var out []*model.Post
	for _, p := range posts {
		_, tags := markup.Tags(p.Text)
		if slices.ContainsFunc(tags, func(t string) bool { return strings.ToLower(t) == tag }) {
			out = append(out, p)
		}
	}
	return out, nil, nil
}

// Tag renders /@{handle}/tags/{tag}: the organisation's recent posts with
// a hashtag.
func (s *Site) Tag(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	tag := req.PathValue("tag")
	o, lang, resp, err := s.orgOf(ctx, req, "/tags/"+url.PathEscape(tag))
	if o == nil {
		return resp, err
	}
	posts, resp, err := s.tagged(ctx, o, lang, req.Lang, tag, "")
	if resp != nil || err != nil {
		return resp, err
	}
	path := "/@" + o.Handle + "/tags/" + url.PathEscape(tag)
	v := &pageView{Chosen: req.Lang, Title: i18n.T(lang, "tag.title", tag, o.DisplayName),
		CanonicalURL: s.abs(path), Feeds: feedLinksOf(path + "/"), SwitchURL: withLang(path, otherLang(lang)),
		PrivacyURL: withLang("/@"+o.Handle+"/privacy", req.Lang)}
	v.Org = s.orgView(o, req.Lang)
	v.Tag = tag
	if s.subs.Enabled() {
		v.SubscribeURL = withLang(path+"/subscribe", req.Lang)
	}
	if v.Posts, err = s.postViews(ctx, o, lang, req.Lang, posts); err != nil {
		return nil, err
	}
	return s.countedPage(lang, v, "tag.html", o.ID, "")
}

// Post renders /@{handle}/{post}: one post, or 410 Gone when it was
// deleted.
func (s *Site) Post(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	id := req.PathValue("post")
	o, lang, resp, err := s.orgOf(ctx, req, "/"+id)
	if o == nil {
		return resp, err
	}
	p, resp, err := s.postOf(ctx, o, id, lang)
	if p == nil {
		return resp, err
	}
	if p.State == model.StateDeleted {
		return s.gone(o, p, lang, req.Lang)
	}
	views, err := s.postViews(ctx, o, lang, req.Lang, []*model.Post{p})
	if err != nil {
		return nil, err
	}
	pv := views[0]
	title := markup.Title(p.Text, 70)
	if p.Summary != "" {
		title = p.Summary
	}
	path := "/@" + o.Handle + "/" + p.ID
	v := &pageView{Chosen: req.Lang, Title: title + " – " + o.DisplayName, Post: pv,
		CanonicalURL: s.abs(path), Feeds: feedLinksOf("/@" + o.Handle + "/"),
		SwitchURL: withLang(path, otherLang(lang)), PrivacyURL: withLang("/@"+o.Handle+"/privacy", req.Lang)}
	v.Org = s.orgView(o, req.Lang)
	if err := s.addAvatar(ctx, v.Org, o); err != nil {
		return nil, err
	}
	if s.moderation.TakesNotices() {
		v.ReportURL = reportURL(o.Handle, p.ID, "", req.Lang)
	}
	if v.Replies, err = s.replyViews(ctx, o, p, lang, req.Lang); err != nil {
		return nil, err
	}
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

// PostPart renders a page under a post, /@{handle}/{post}/{part}: today
// only its history. The parts share one route because ServeMux cannot
// tell "{post}/history" from "tags/{tag}".
func (s *Site) PostPart(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	id, part := req.PathValue("post"), req.PathValue("part")
	o, lang, resp, err := s.orgOf(ctx, req, "/"+id+"/"+part)
	if o == nil {
		return resp, err
	}
	if part != "history" {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	p, resp, err := s.postOf(ctx, o, id, lang)
	if p == nil {
		return resp, err
	}
	if p.State == model.StateDeleted {
		return s.gone(o, p, lang, req.Lang)
	}
	return s.history(ctx, o, p, lang, req.Lang)
}

func (s *Site) history(ctx context.Context, o *model.Org, p *model.Post, lang, chosen string) (*pagecache.Response, error) {
	revs, err := s.posts.PublicHistory(ctx, p)
	if err != nil {
		return nil, err
	}
	views, err := s.postViews(ctx, o, lang, chosen, []*model.Post{p})
	if err != nil {
		return nil, err
	}
	path := "/@" + o.Handle + "/" + p.ID + "/history"
	v := &pageView{Chosen: chosen, Title: i18n.T(lang, "post.historyof", o.DisplayName), Post: views[0],
		CanonicalURL: s.abs(path), SwitchURL: withLang(path, otherLang(lang)),
		PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen)}
	v.Org = s.orgView(o, chosen)
	loc, links := o.Location(), s.hashtagLinks(o, chosen)
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
		v.Revisions = append(v.Revisions, &revisionView{When: i18n.DateTime(lang, when.In(loc)),
			ISO: when.UTC().Format(time.RFC3339), HTML: html, Summary: r.Summary, Lang: r.Language})
	}
	for i, r := range v.Revisions {
		r.Number = len(v.Revisions) - i
	}
	return s.page(lang, http.StatusOK, v, "history.html")
}

// gone renders the 410 page of a deleted post.
func (s *Site) gone(o *model.Org, p *model.Post, lang, chosen string) (*pagecache.Response, error) {
	when := i18n.DateTime(lang, p.DeletedAt.In(o.Location()))
	v := &pageView{Chosen: chosen, Title: i18n.T(lang, "post.gone"), Gone: i18n.T(lang, "post.gonebody", o.DisplayName, when),
		PrivacyURL: withLang("/@"+o.Handle+"/privacy", chosen)}
	v.Org = s.orgView(o, chosen)
	return s.page(lang, http.StatusGone, v, "gone.html")
}

// OrgRedirect sends a browser asking for an organisation's permanent
// address, /orgs/{id}, to its page.
func (s *Site) OrgRedirect(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	lang := i18n.Pick(req.Lang, "")
	id := req.PathValue("id")
	if !model.ValidID(id) {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	o, err := s.orgs.ByID(ctx, id)
	if err != nil {
		return s.notFoundOr(err, lang)
	}
	return pagecache.Redirect(http.StatusFound, withQuery("/@"+o.Handle, req.Lang, req.Before)), nil
}

// PostRedirect sends a browser asking for a post's permanent address,
// /posts/{id}, to its page.
func (s *Site) PostRedirect(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	lang := i18n.Pick(req.Lang, "")
	id := req.PathValue("id")
	if !model.ValidID(id) {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	p, err := s.posts.Get(ctx, id)
	if err == nil && !visible(p) {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	if err != nil {
		return s.notFoundOr(err, lang)
	}
	o, err := s.orgs.ByID(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	return pagecache.Redirect(http.StatusFound, withLang("/@"+o.Handle+"/"+p.ID, req.Lang)), nil
}
