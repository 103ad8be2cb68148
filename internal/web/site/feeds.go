package site

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"plein/internal/feed"
	"plein/internal/i18n"
	"plein/internal/insights"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/web/pagecache"
)

// Feed formats, as the last part of a feed's path: feed.atom, feed.rss,
// feed.json.
const (
	Atom = "atom"
	RSS  = "rss"
	JSON = "json"
)

// FeedFormats are the formats every feed is published in.
var FeedFormats = []string{Atom, RSS, JSON}

// feedLinks are the addresses of one feed in its three formats.
type feedLinks struct{ Atom, RSS, JSON string }

// feedLinksOf returns the feeds under prefix, which ends in a slash.
func feedLinksOf(prefix string) *feedLinks {
	return &feedLinks{Atom: prefix + "feed.atom", RSS: prefix + "feed.rss", JSON: prefix + "feed.json"}
}

// OrgFeed returns the renderer of /@{handle}/feed.FORMAT: the
// organisation's latest posts.
func (s *Site) OrgFeed(format string) pagecache.RenderFunc {
	return func(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
		o, _, resp, err := s.orgOf(ctx, req, "/feed."+format)
		if o == nil {
			return resp, err
		}
		posts, err := s.posts.Latest(ctx, o.ID, feedSize)
		if err != nil {
			return nil, err
		}
		f := s.newFeed(o, "/@"+o.Handle, "/orgs/"+o.ID, o.DisplayName, markup.PlainText(o.Description), o.Language)
		return s.renderFeed(ctx, f, format, map[string]*model.Org{o.ID: o}, posts, o.ID)
	}
}

// TagFeed returns the renderer of /@{handle}/tags/{tag}/feed.FORMAT: the
// organisation's recent posts with a hashtag.
func (s *Site) TagFeed(format string) pagecache.RenderFunc {
	return func(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
		tag := req.PathValue("tag")
		o, lang, resp, err := s.orgOf(ctx, req, "/tags/"+url.PathEscape(tag)+"/feed."+format)
		if o == nil {
			return resp, err
		}
		posts, resp, err := s.tagged(ctx, o, lang, "", tag, "/feed."+format)
		if resp != nil || err != nil {
			return resp, err
		}
		posts = posts[:min(len(posts), feedSize)]
		path := "/@" + o.Handle + "/tags/" + url.PathEscape(tag)
		f := s.newFeed(o, path, path, i18n.T(o.Language, "tag.title", tag, o.DisplayName), "", o.Language)
		return s.renderFeed(ctx, f, format, map[string]*model.Org{o.ID: o}, posts, o.ID)
	}
}

// InstallationFeed returns the renderer of /feed.FORMAT: the latest posts
// of every organisation of the installation.
func (s *Site) InstallationFeed(format string) pagecache.RenderFunc {
	return func(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
		orgs, err := s.orgs.List(ctx)
		if err != nil {
			return nil, err
		}
		byID := make(map[string]*model.Org, len(orgs))
		var posts []*model.Post
		for _, o := range orgs {
			byID[o.ID] = o
			latest, err := s.posts.Latest(ctx, o.ID, feedSize)
			if err != nil {
				return nil, err
			}
			posts = append(posts, latest...)
		}
		slices.SortStableFunc(posts, func(a, b *model.Post) int { return b.PublishAt.Compare(a.PublishAt) })
		posts = posts[:min(len(posts), feedSize)]
		lang := i18n.Pick("", "")
		f := s.newFeed(nil, "", "/", i18n.T(lang, "directory.title")+" – "+s.host, i18n.T(lang, "directory.intro"), lang)
		return s.renderFeed(ctx, f, format, byID, posts, "")
	}
}

// newFeed returns a feed without items whose page is at path (the
// directory when o is nil) and whose id is the permanent address idPath.
func (s *Site) newFeed(o *model.Org, path, idPath, title, description, lang string) feed.Feed {
	links := feedLinksOf(path + "/")
	f := feed.Feed{ID: s.abs(idPath), Title: title, Description: description, Language: lang,
		HomeURL: s.abs(path + "/"), AtomURL: s.abs(links.Atom), RSSURL: s.abs(links.RSS), JSONURL: s.abs(links.JSON)}
	if o != nil {
		f.HomeURL, f.Author, f.Updated = s.abs(path), o.DisplayName, o.UpdatedAt
	}
	return f
}

// renderFeed adds posts to f and encodes it in format. A fetch of the feed
// of one organisation (orgID) counts for its insights.
func (s *Site) renderFeed(ctx context.Context, f feed.Feed, format string, orgs map[string]*model.Org, posts []*model.Post, orgID string) (*pagecache.Response, error) {
	ms, err := s.posts.Media(ctx, posts...)
	if err != nil {
		return nil, err
	}
	links := make(map[string]markup.Links, len(orgs))
	for _, p := range posts {
		o := orgs[p.OrgID]
		if _, ok := links[o.ID]; !ok {
			links[o.ID] = s.federation.Links(o)
		}
		html, err := markup.HTMLWith(p.Text, links[o.ID])
		if err != nil {
			return nil, fmt.Errorf("site: feed item %s: %w", p.ID, err)
		}
		it := feed.Item{ID: s.abs("/posts/" + p.ID), URL: s.abs("/@" + o.Handle + "/" + p.ID),
			Title: markup.Title(p.Text, 80), ContentHTML: string(html), Summary: p.Summary, Language: p.Language,
			Published: p.PublishAt, Updated: p.PublishAt}
		if orgID == "" {
			it.Author = o.DisplayName
		}
		if p.Edited() {
			it.Updated = p.UpdatedAt
		}
		if it.Updated.After(f.Updated) {
			f.Updated = it.Updated
		}
		for _, a := range p.Shown() {
			m, ok := ms[a.MediaID]
			if !ok {
				continue // purged
			}
			v := m.Variant("large")
			it.Images = append(it.Images, feed.Image{URL: s.abs("/media/" + v.Key), ContentType: v.ContentType,
				Alt: a.Alt, Length: v.Size, Width: v.Width, Height: v.Height})
		}
		f.Items = append(f.Items, it)
	}
	if f.Updated.IsZero() {
		f.Updated = time.Unix(0, 0)
	}
	var b bytes.Buffer
	var contentType string
	var kind insights.FeedKind
	switch format {
	case Atom:
		err, contentType, kind = feed.WriteAtom(&b, f), feed.AtomContentType, insights.FeedAtom
	case RSS:
		err, contentType, kind = feed.WriteRSS(&b, f), feed.RSSContentType, insights.FeedRSS
	default:
		err, contentType, kind = feed.WriteJSON(&b, f), feed.JSONContentType, insights.FeedJSON
	}
	if err != nil {
		return nil, fmt.Errorf("site: feed: %w", err)
	}
	resp := pagecache.NewResponse(http.StatusOK, contentType, b.Bytes())
	resp.SetModified(f.Updated)
	if orgID != "" {
		resp.Counted = pagecache.Counted{OrgID: orgID, Feed: true, Kind: kind}
	}
	return resp, nil
}
