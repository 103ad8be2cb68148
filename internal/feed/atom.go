package feed

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// The lang attributes below are xml:lang: encoding/xml writes the XML
// namespace with its reserved xml prefix.

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Icon     string      `xml:"icon,omitempty"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Href   string `xml:"href,attr"`
	Title  string `xml:"title,attr,omitempty"`
	Length string `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Lang      string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Links     []atomLink  `xml:"link"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Author    *atomPerson `xml:"author,omitempty"`
	Summary   string      `xml:"summary,omitempty"`
	Content   atomContent `xml:"content"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// WriteAtom writes f to w as an Atom 1.0 document (RFC 4287). Entry content
// is escaped HTML (type="html"), followed by the images as img elements; a
// content warning is the entry's summary; images are also enclosure links
// that carry their alt text as title. It returns an error wrapping
// ErrInvalid, before writing anything, if f lacks a required field.
func WriteAtom(w io.Writer, f Feed) error {
	if err := f.validate(); err != nil {
		return err
	}
	doc := atomFeed{
		Lang:     f.Language,
		ID:       f.ID,
		Title:    f.Title,
		Subtitle: f.Description,
		Updated:  rfc3339(f.Updated),
		Icon:     f.IconURL,
		Author:   atomPerson{Name: f.author(), URI: f.HomeURL},
		Entries:  make([]atomEntry, len(f.Items)),
	}
	if f.HomeURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "alternate", Type: "text/html", Href: f.HomeURL})
	}
	if f.AtomURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: f.AtomURL})
	}
	for i := range f.Items {
		it := &f.Items[i]
		e := &doc.Entries[i]
		*e = atomEntry{
			Lang:      it.Language,
			ID:        it.ID,
			Title:     it.Title,
			Published: rfc3339(it.Published),
			Updated:   rfc3339(it.updated()),
			Summary:   it.Summary,
			Content:   atomContent{Type: "html", Body: withImages(it.ContentHTML, it.Images)},
			Links:     make([]atomLink, 0, 1+len(it.Images)),
		}
		if it.Author != "" {
			e.Author = &atomPerson{Name: it.Author}
		}
		if it.URL != "" {
			e.Links = append(e.Links, atomLink{Rel: "alternate", Type: "text/html", Href: it.URL})
		}
		for _, img := range it.Images {
			l := atomLink{Rel: "enclosure", Type: img.ContentType, Href: img.URL, Title: img.Alt}
			if img.Length > 0 {
				l.Length = strconv.FormatInt(img.Length, 10)
			}
			e.Links = append(e.Links, l)
		}
	}
	if err := writeXML(w, doc); err != nil {
		return fmt.Errorf("feed: write atom: %w", err)
	}
	return nil
}

// writeXML writes an XML declaration and v, indented, to w.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
