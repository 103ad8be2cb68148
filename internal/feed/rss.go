package feed

import (
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"time"
)

// The element and attribute names with an atom: prefix are written as they
// are, with the prefix declared on the rss element: RSS readers that do not
// resolve namespaces must not mistake the self link for the channel's link.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	XMLNSAtom string     `xml:"xmlns:atom,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate"`
	SelfLink      *rssAtom  `xml:"atom:link"`
	Image         *rssImage `xml:"image"`
	Items         []rssItem `xml:"item"`
}

type rssAtom struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssItem struct {
	Title       string        `xml:"title,omitempty"`
	Link        string        `xml:"link,omitempty"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// WriteRSS writes f to w as an RSS 2.0 document. An item's guid is its
// permanent ID (isPermaLink="false"); its description is the HTML content,
// with the content warning, if any, in a paragraph before it and the images
// as img elements after it; its enclosure is the first image (RSS allows one
// per item). The channel description is the feed's Title when Description is
// empty. It returns an error wrapping ErrInvalid, before writing anything, if
// f lacks a required field.
func WriteRSS(w io.Writer, f Feed) error {
	if err := f.validate(); err != nil {
		return err
	}
	ch := rssChannel{
		Title:         f.Title,
		Link:          f.HomeURL,
		Description:   f.Description,
		Language:      f.Language,
		LastBuildDate: rfc1123z(f.Updated),
		Items:         make([]rssItem, len(f.Items)),
	}
	if ch.Description == "" {
		ch.Description = f.Title
	}
	if f.RSSURL != "" {
		ch.SelfLink = &rssAtom{Href: f.RSSURL, Rel: "self", Type: "application/rss+xml"}
	}
	if f.IconURL != "" {
		ch.Image = &rssImage{URL: f.IconURL, Title: f.Title, Link: f.HomeURL}
	}
	for i := range f.Items {
		it := &f.Items[i]
		item := &ch.Items[i]
		*item = rssItem{
			Title:   it.Title,
			Link:    it.URL,
			GUID:    rssGUID{IsPermaLink: "false", ID: it.ID},
			PubDate: rfc1123z(it.Published),
		}
		body := it.ContentHTML
		if it.Summary != "" {
			body = "<p><strong>" + html.EscapeString(it.Summary) + "</strong></p>" + body
		}
		item.Description = withImages(body, it.Images)
		if len(it.Images) > 0 {
			img := it.Images[0]
			item.Enclosure = &rssEnclosure{URL: img.URL, Length: img.Length, Type: img.ContentType}
		}
	}
	doc := rssDoc{Version: "2.0", XMLNSAtom: "http://www.w3.org/2005/Atom", Channel: ch}
	if err := writeXML(w, doc); err != nil {
		return fmt.Errorf("feed: write rss: %w", err)
	}
	return nil
}

// rfc1123z formats t in UTC for RSS.
func rfc1123z(t time.Time) string {
	return t.UTC().Format(time.RFC1123Z)
}
