// Package feed writes an organisation's posts as Atom 1.0 (RFC 4287),
// RSS 2.0 and JSON Feed 1.1 documents.
//
// The writers take a Feed value that already holds everything they show:
// sanitised HTML content, permanent ids and absolute URLs. They do no I/O
// other than writing to the given io.Writer, and they write times in UTC.
//
// An item's images go out twice: as the format's enclosures or attachments,
// and as img elements after the item's HTML content, so that readers which
// ignore enclosures still show them.
package feed

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"
)

// Content types to serve each format with.
const (
	AtomContentType = "application/atom+xml; charset=utf-8"
	RSSContentType  = "application/rss+xml; charset=utf-8"
	JSONContentType = "application/feed+json; charset=utf-8"
)

// ErrInvalid reports a Feed that lacks something a format requires: a feed
// ID, Title or Updated time, an item ID or Published time, or an image URL.
var ErrInvalid = errors.New("feed: invalid feed")

// Feed is one organisation's feed: its own description and its newest posts.
// The writers keep the order of Items, which should be newest first.
type Feed struct {
	ID          string // permanent, e.g. the organisation's permanent URL
	Title       string
	Description string
	Language    string // BCP 47, e.g. "nl"
	HomeURL     string // the organisation's web page
	// AtomURL, RSSURL and JSONURL are the feed's own addresses. Each writer
	// links to its own format's URL (rel="self") and ignores the others; an
	// empty URL leaves the self link out.
	AtomURL, RSSURL, JSONURL string
	IconURL                  string    // may be empty
	Author                   string    // the organisation's display name; Title when empty
	Updated                  time.Time // newest change of any item
	Items                    []Item
}

// Item is one post in a feed.
type Item struct {
	ID          string // permanent id URL of the post, never changes
	URL         string // the post's web page
	Title       string
	ContentHTML string // already sanitised HTML
	Summary     string // content warning, may be empty
	Language    string // BCP 47; may be empty
	// Author names the organisation of the item in a feed of several
	// organisations; empty: the feed's author. RSS has no place for it.
	Author    string
	Published time.Time
	Updated   time.Time // equals Published when never edited; zero means Published
	Images    []Image
}

// Image is an image attached to a post.
type Image struct {
	URL         string
	ContentType string // e.g. "image/jpeg"
	Alt         string // required alt text
	Length      int64  // size in bytes; 0 when unknown
	// Width and Height are the image's size in pixels; 0 when unknown. They
	// become the width and height attributes of the image's img element in
	// the item's content.
	Width, Height int
}

// validate checks that f has what every format requires.
func (f *Feed) validate() error {
	switch {
	case f.ID == "":
		return fmt.Errorf("%w: no ID", ErrInvalid)
	case f.Title == "":
		return fmt.Errorf("%w: no title", ErrInvalid)
	case f.Updated.IsZero():
		return fmt.Errorf("%w: no updated time", ErrInvalid)
	}
	for i := range f.Items {
		it := &f.Items[i]
		switch {
		case it.ID == "":
			return fmt.Errorf("%w: item %d: no ID", ErrInvalid, i)
		case it.Published.IsZero():
			return fmt.Errorf("%w: item %s: no published time", ErrInvalid, it.ID)
		}
		for j := range it.Images {
			if it.Images[j].URL == "" {
				return fmt.Errorf("%w: item %s: image %d: no URL", ErrInvalid, it.ID, j)
			}
		}
	}
	return nil
}

// author returns the name to show as the feed's author.
func (f *Feed) author() string {
	if f.Author != "" {
		return f.Author
	}
	return f.Title
}

// updated returns when the item last changed.
func (it *Item) updated() time.Time {
	if it.Updated.IsZero() {
		return it.Published
	}
	return it.Updated
}

// withImages returns body followed by one paragraph per image, each holding
// an img element with the image's URL, alt text and, when known, its width
// and height. body is sanitised HTML and is kept as it is; the URL and alt
// text are escaped as attribute values.
func withImages(body string, imgs []Image) string {
	if len(imgs) == 0 {
		return body
	}
	n := len(body)
	for i := range imgs {
		// The markup around the values, with room for two numbers.
		n += len(imgs[i].URL) + len(imgs[i].Alt) + 64
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(body)
	for i := range imgs {
		img := &imgs[i]
		b.WriteString(`<p><img src="`)
		b.WriteString(html.EscapeString(img.URL))
		b.WriteString(`" alt="`)
		b.WriteString(html.EscapeString(img.Alt))
		b.WriteByte('"')
		if img.Width > 0 {
			b.WriteString(` width="`)
			b.WriteString(strconv.Itoa(img.Width))
			b.WriteByte('"')
		}
		if img.Height > 0 {
			b.WriteString(` height="`)
			b.WriteString(strconv.Itoa(img.Height))
			b.WriteByte('"')
		}
		b.WriteString(`></p>`)
	}
	return b.String()
}

// rfc3339 formats t in UTC for Atom and JSON Feed.
func rfc3339(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
