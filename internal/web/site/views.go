package site

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"plein/internal/crosspost"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
)

// pageView is the data of every public page; each page fills the fields it
// uses.
type pageView struct {
	Lang         string // interface language of the page
	Chosen       string // the language the visitor chose (?lang=), kept on every link; "" when none
	HomeURL      string
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
	// StatementURL is the accessibility statement; empty: none.
	StatementURL string
	// Statement is the accessibility statement, on its page.
	Statement *statementView
	// SubscribeURL is the form to get the page's posts by e-mail; empty
	// when the installation sends no e-mail.
	SubscribeURL string
	Tag          string   // the hashtag of a hashtag page
	Sub          *subView // the forms and answers of e-mail subscriptions
	// ContactURL is the organisation's contact form; empty when there is
	// none.
	ContactURL string
	Contact    *contactView   // the contact form and its confirmation
	Report     *reportView    // the report form and its receipt
	Complaint  *complaintView // the complaint form and its receipt
	// ReportURL is the report form about the page's post; empty: none.
	ReportURL string
	// Replies are the citizens' replies shown under a post, oldest first.
	Replies []replyView
	// Transparency is the transparency report, on its page.
	Transparency *transparencyView
	// TransparencyURL is the transparency report that goes with a privacy
	// page.
	TransparencyURL string
}

// replyView is a citizen's reply under a post: its author's name linking
// to the author's profile, and its sanitised content. Nothing of it is
// loaded from the author's server.
type replyView struct {
	ID, Author, AuthorURL, When, ISO, Summary string
	HTML                                      template.HTML
	ReportURL                                 string // the report form about it
}

// replyViews returns the replies shown under the post p of o, on a page
// in lang, their report links keeping the language the visitor chose.
func (s *Site) replyViews(ctx context.Context, o *model.Org, p *model.Post, lang, chosen string) ([]replyView, error) {
	if s.moderation == nil {
		return nil, nil
	}
	shown, err := s.moderation.Shown(ctx, o.ID, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]replyView, 0, len(shown))
	for _, r := range shown {
		out = append(out, replyView{ID: r.ID, Author: r.AuthorName, AuthorURL: r.AuthorURL,
			ReportURL: reportURL(o.Handle, p.ID, r.ID, chosen),
			When:      i18n.DateTime(lang, r.Published.In(o.Location())), ISO: r.Published.UTC().Format(time.RFC3339),
			Summary: markup.HTMLText(r.Summary), HTML: template.HTML(r.ContentHTML)}) // sanitised when received
	}
	return out, nil
}

// withLang keeps the visitor's chosen language on a link of the page.
func (v *pageView) withLang(path string) string { return withLang(path, v.Chosen) }

type openGraph struct {
	Type, Title, Description, URL, Image, ImageAlt, Locale string
}

// orgView is an organisation as its pages show it.
type orgView struct {
	Handle, Name, Description, URL, Lang string
	Links                                []model.Link
	// Address is the organisation's Fediverse address, @handle@domain, to
	// follow it from another server.
	Address string
	// Bluesky is the handle of its Bluesky account, and BlueskyURL its
	// profile; empty when none is connected.
	Bluesky, BlueskyURL string
	AvatarSrc           string // empty when it has no avatar
	Header              *imageView
	// MovedTo is the Fediverse account the organisation moved to; empty
	// while it publishes here.
	MovedTo string
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
	// Imported, for a post brought in from another platform, says which,
	// in the page's language; empty otherwise.
	Imported string
	Pinned   bool
	Images   []imageView
	Heading  string // for screen readers: "Post by X, date"
	UI       string // interface language of the page
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

// orgView returns the view of o on a page in the visitor's chosen
// language, without its images.
func (s *Site) orgView(o *model.Org, chosen string) *orgView {
	return &orgView{Handle: o.Handle, Name: o.DisplayName, Description: o.Description,
		URL: withLang("/@"+o.Handle, chosen), Lang: o.Language, Links: o.Links, Address: "@" + o.Handle + "@" + s.host,
		MovedTo: o.MovedTo}
}

// addBluesky sets the Bluesky account of v, the view of o, when o has one.
func (s *Site) addBluesky(ctx context.Context, v *orgView, o *model.Org) error {
	if s.crosspost == nil {
		return nil
	}
	a, err := s.crosspost.Account(ctx, o.ID)
	if err != nil || a == nil {
		return err
	}
	v.Bluesky, v.BlueskyURL = "@"+a.Handle, crosspost.ProfileURL(a.Handle)
	return nil
}

// addAvatar sets the avatar of v, the view of o, when o has one.
func (s *Site) addAvatar(ctx context.Context, v *orgView, o *model.Org) error {
	avatar, err := s.orgs.Avatar(ctx, o)
	if err != nil || avatar == nil {
		return err
	}
	v.AvatarSrc = "/media/" + avatar.Variant("small").Key
	return nil
}

// addHeader sets the header image of v, the view of o, when o has one.
func (s *Site) addHeader(ctx context.Context, v *orgView, o *model.Org) error {
	header, err := s.orgs.Header(ctx, o)
	if err != nil || header == nil {
		return err
	}
	img := s.imageView(header, o.HeaderAlt)
	v.Header = &img
	return nil
}

// hashtagLinks says where o's hashtags link to on a page in the visitor's
// chosen language.
func (s *Site) hashtagLinks(o *model.Org, chosen string) markup.Links {
	links := s.federation.Links(o)
	if chosen != "" {
		tagURL := links.Hashtag
		links.Hashtag = func(tag string) string { return withLang(tagURL(tag), chosen) }
	}
	return links
}

// postViews returns the views of posts of o on a page in lang; chosen is
// the language the visitor chose, kept on links.
func (s *Site) postViews(ctx context.Context, o *model.Org, lang, chosen string, posts []*model.Post) ([]*postView, error) {
	ms, err := s.posts.Media(ctx, posts...)
	if err != nil {
		return nil, err
	}
	loc, links := o.Location(), s.hashtagLinks(o, chosen)
	out := make([]*postView, 0, len(posts))
	for _, p := range posts {
		html, err := markup.HTMLWith(p.Text, links)
		if err != nil {
			return nil, fmt.Errorf("render post %s: %w", p.ID, err)
		}
		when := i18n.DateTime(lang, p.PublishAt.In(loc))
		path := "/@" + o.Handle + "/" + p.ID
		v := &postView{ID: p.ID, URL: withLang(path, chosen), HistoryURL: withLang(path+"/history", chosen), Lang: p.Language, HTML: html,
			Summary: p.Summary, Published: when, PublishedISO: p.PublishAt.UTC().Format(time.RFC3339),
			Edited: p.Edited(), Pinned: p.Pinned, UI: lang, Heading: i18n.T(lang, "post.by", o.DisplayName) + ", " + when}
		if v.Edited {
			v.EditedText = i18n.DateTime(lang, p.UpdatedAt.In(loc))
		}
		if p.ImportedFrom != "" {
			v.Imported = i18n.T(lang, "post.imported."+p.ImportedFrom)
		}
		for _, a := range p.Shown() {
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

func (s *Site) imageView(m *model.Media, alt string) imageView {
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
