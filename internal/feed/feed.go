// Package feed writes an organisation's posts as Atom 1.0 (RFC 4287),
// RSS 2.0 and JSON Feed 1.1 documents.
//
// The writers take a Feed value that already holds everything they show:
// sanitised HTML content, permanent ids and absolute URLs. They do no I/O
// other than writing to the given io.Writer, and they write times in UTC.
package feed

import (
	"errors"
	"fmt"
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
	Published   time.Time
	Updated     time.Time // equals Published when never edited; zero means Published
	Images      []Image
}

// Image is an image attached to a post.
type Image struct {
	URL         string
	ContentType string // e.g. "image/jpeg"
	Alt         string // required alt text
	Length      int64  // size in bytes; 0 when unknown
	// Width and Height are the image's size in pixels. None of the three
	// formats has a place for them; they are here for callers that build
	// other representations from the same value.
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

// rfc3339 formats t in UTC for Atom and JSON Feed.
func rfc3339(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
