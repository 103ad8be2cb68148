package feed

import (
	"encoding/json"
	"fmt"
	"io"
)

// jsonFeedVersion identifies JSON Feed 1.1.
const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors"`
	Items       []jsonItem   `json:"items"` // required, [] when empty
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	Title         string           `json:"title,omitempty"`
	ContentHTML   string           `json:"content_html"` // content_html or content_text is required
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Language      string           `json:"language,omitempty"`
	Authors       []jsonAuthor     `json:"authors,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL         string `json:"url"`
	MimeType    string `json:"mime_type"`
	Title       string `json:"title,omitempty"`
	SizeInBytes int64  `json:"size_in_bytes,omitempty"`
}

// WriteJSON writes f to w as a JSON Feed 1.1 document. An item's
// content_html is its HTML content followed by the images as img elements; a
// content warning is the item's summary; images are also attachments that
// carry their alt text as title, and the first image is the item's image. It
// returns an error wrapping ErrInvalid, before writing anything, if f lacks
// a required field.
func WriteJSON(w io.Writer, f Feed) error {
	if err := f.validate(); err != nil {
		return err
	}
	doc := jsonFeed{
		Version:     jsonFeedVersion,
		Title:       f.Title,
		HomePageURL: f.HomeURL,
		FeedURL:     f.JSONURL,
		Description: f.Description,
		Icon:        f.IconURL,
		Language:    f.Language,
		Authors:     []jsonAuthor{{Name: f.author(), URL: f.HomeURL}},
		Items:       make([]jsonItem, len(f.Items)),
	}
	for i := range f.Items {
		it := &f.Items[i]
		item := &doc.Items[i]
		*item = jsonItem{
			ID:            it.ID,
			URL:           it.URL,
			Title:         it.Title,
			ContentHTML:   withImages(it.ContentHTML, it.Images),
			Summary:       it.Summary,
			DatePublished: rfc3339(it.Published),
			DateModified:  rfc3339(it.updated()),
			Language:      it.Language,
		}
		if it.Author != "" {
			item.Authors = []jsonAuthor{{Name: it.Author}}
		}
		if len(it.Images) > 0 {
			item.Image = it.Images[0].URL
			item.Attachments = make([]jsonAttachment, len(it.Images))
			for j, img := range it.Images {
				item.Attachments[j] = jsonAttachment{URL: img.URL, MimeType: img.ContentType, Title: img.Alt, SizeInBytes: img.Length}
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feed: write json: %w", err)
	}
	return nil
}
