package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	jsonfeed "github.com/mmcdole/gofeed/json"
	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// cet is a zone other than UTC, to show that every writer converts to UTC.
var cet = time.FixedZone("CET", 3600)

// testFeed is the fixed feed behind the golden files: two items, newest
// first; the first has an image and a content warning, the second was
// edited and is in English.
func testFeed() Feed {
	return Feed{
		ID:          "https://plein.example/@zeeendam",
		Title:       "Gemeente Zeeënd & <Dam>",
		Description: "Nieuws van de gemeente Zeeënd & Dam",
		Language:    "nl",
		HomeURL:     "https://plein.example/@zeeendam",
		AtomURL:     "https://plein.example/@zeeendam/feed.atom",
		RSSURL:      "https://plein.example/@zeeendam/feed.rss",
		JSONURL:     "https://plein.example/@zeeendam/feed.json",
		IconURL:     "https://plein.example/media/zeeendam-icon.png",
		Author:      "Gemeente Zeeënd & Dam",
		Updated:     time.Date(2026, 3, 2, 10, 15, 0, 0, cet),
		Items: []Item{
			{
				ID:          "https://plein.example/@zeeendam/posts/01J8Z4",
				URL:         "https://plein.example/@zeeendam/01J8Z4",
				Title:       "Dijk bij Zeeënd < 1 m boven water",
				ContentHTML: `<p>De dijk is <strong>gesloten</strong> &amp; bewaakt. Zie <a href="https://plein.example/kaart" rel="noopener noreferrer">de kaart</a>.</p>`,
				Summary:     "Beelden van overstroming & schade",
				Language:    "nl",
				Published:   time.Date(2026, 3, 2, 9, 30, 0, 0, cet),
				Updated:     time.Date(2026, 3, 2, 9, 30, 0, 0, cet),
				Images: []Image{
					{
						URL:         "https://plein.example/media/dijk.jpg",
						ContentType: "image/jpeg",
						Alt:         "Water tot vlak onder de kruin van de dijk; een geel hek sluit het fietspad af",
						Length:      184320,
						Width:       1600,
						Height:      1200,
					},
					{
						URL:         "https://plein.example/media/kaart.png",
						ContentType: "image/png",
						Alt:         "Kaart met de afgesloten wegen in rood",
						Length:      40960,
					},
				},
			},
			{
				ID:          "https://plein.example/@zeeendam/posts/01J8Y1",
				URL:         "https://plein.example/@zeeendam/01J8Y1",
				Title:       "Town hall open on Saturday",
				ContentHTML: "<p>The town hall is open on Saturday from 10:00 to 14:00.</p>",
				Language:    "en",
				Published:   time.Date(2026, 3, 1, 16, 0, 0, 0, cet),
				Updated:     time.Date(2026, 3, 2, 8, 5, 0, 0, cet),
			},
		},
	}
}

type writer func(io.Writer, Feed) error

var formats = []struct {
	name   string
	write  writer
	golden string
}{
	{"atom", WriteAtom, "feed.atom"},
	{"rss", WriteRSS, "feed.rss"},
	{"json", WriteJSON, "feed.json"},
}

func TestGolden(t *testing.T) {
	for _, format := range formats {
		t.Run(format.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := format.write(&buf, testFeed()); err != nil {
				t.Fatalf("write: %v", err)
			}
			path := filepath.Join("testdata", format.golden)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", path, buf.Bytes())
			}
		})
	}
}

// TestParseBack parses each format with a widely used feed parser and
// checks that what Plein put in comes back out.
func TestParseBack(t *testing.T) {
	f := testFeed()
	for _, format := range formats {
		t.Run(format.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := format.write(&buf, f); err != nil {
				t.Fatalf("write: %v", err)
			}
			got, err := gofeed.NewParser().ParseString(buf.String())
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, buf.String())
			}
			if got.FeedType != format.name {
				t.Errorf("feed type %q, want %q", got.FeedType, format.name)
			}
			checkEqual(t, "feed title", got.Title, f.Title)
			checkEqual(t, "feed link", got.Link, f.HomeURL)
			checkEqual(t, "feed language", got.Language, f.Language)
			selfURL := map[string]string{"atom": f.AtomURL, "rss": f.RSSURL, "json": f.JSONURL}[format.name]
			checkEqual(t, "feed self link", got.FeedLink, selfURL)
			if got.Image == nil || got.Image.URL != f.IconURL {
				t.Errorf("feed image %+v, want %q", got.Image, f.IconURL)
			}
			if format.name != "rss" {
				if len(got.Authors) != 1 || got.Authors[0].Name != f.Author {
					t.Errorf("feed authors %+v, want %q", got.Authors, f.Author)
				}
			}
			// JSON Feed has no updated time for the feed as a whole.
			if format.name != "json" && (got.UpdatedParsed == nil || !got.UpdatedParsed.Equal(f.Updated)) {
				t.Errorf("feed updated %v, want %v", got.UpdatedParsed, f.Updated)
			}

			if len(got.Items) != len(f.Items) {
				t.Fatalf("%d items, want %d", len(got.Items), len(f.Items))
			}
			for i, want := range f.Items {
				item := got.Items[i]
				checkEqual(t, "item title", item.Title, want.Title)
				checkEqual(t, "item link", item.Link, want.URL)
				checkEqual(t, "item guid", item.GUID, want.ID)
				if item.PublishedParsed == nil || !item.PublishedParsed.Equal(want.Published) {
					t.Errorf("item %d published %v, want %v", i, item.PublishedParsed, want.Published)
				}
				if item.PublishedParsed != nil && item.PublishedParsed.Location() != time.UTC && item.PublishedParsed.Format("-0700") != "+0000" {
					t.Errorf("item %d published %v not in UTC", i, item.PublishedParsed)
				}
				if format.name != "rss" {
					if item.UpdatedParsed == nil || !item.UpdatedParsed.Equal(want.Updated) {
						t.Errorf("item %d updated %v, want %v", i, item.UpdatedParsed, want.Updated)
					}
				}

				content := item.Content
				if format.name == "rss" {
					content = item.Description
				}
				checkImagesAfter(t, content, wantBody(t, format.name, want), want.Images)
				if format.name != "rss" {
					checkEqual(t, "item summary", item.Description, want.Summary)
				}

				wantImages := want.Images
				if format.name == "rss" && len(wantImages) > 1 {
					wantImages = wantImages[:1]
				}
				if len(item.Enclosures) != len(wantImages) {
					t.Fatalf("item %d has %d enclosures, want %d", i, len(item.Enclosures), len(wantImages))
				}
				for j, img := range wantImages {
					enc := item.Enclosures[j]
					checkEqual(t, "enclosure url", enc.URL, img.URL)
					checkEqual(t, "enclosure type", enc.Type, img.ContentType)
					// The parser maps a JSON attachment's duration, not its
					// size, to the length; TestFormatDetails checks the size.
					if format.name != "json" {
						checkEqual(t, "enclosure length", enc.Length, fmt.Sprint(img.Length))
					}
				}
			}
		})
	}
}

func checkEqual(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// rssWarnings holds, for each content warning used in these tests, the
// paragraph that RSS puts before the item's content, written out by hand.
var rssWarnings = map[string]string{
	"Beelden van overstroming & schade": "<p><strong>Beelden van overstroming &amp; schade</strong></p>",
	"Schokkende beelden & <schade>":     "<p><strong>Schokkende beelden &amp; &lt;schade&gt;</strong></p>",
}

// wantBody returns the HTML that the format's content of it must start with:
// the item's own content, after the content warning in RSS.
func wantBody(t *testing.T, format string, it Item) string {
	t.Helper()
	if format != "rss" || it.Summary == "" {
		return it.ContentHTML
	}
	warning, ok := rssWarnings[it.Summary]
	if !ok {
		t.Fatalf("no expected RSS paragraph for content warning %q", it.Summary)
	}
	return warning + it.ContentHTML
}

// checkImagesAfter checks that content is body followed by exactly the
// images in want, in order, each as an img element in a paragraph of its
// own, with no text around them. It parses the HTML after body with an
// HTML5 parser, so the attribute values it compares are unescaped.
func checkImagesAfter(t *testing.T, content, body string, want []Image) {
	t.Helper()
	tail, ok := strings.CutPrefix(content, body)
	if !ok {
		t.Errorf("content does not start with the item's HTML\ncontent: %q\nwant prefix: %q", content, body)
		return
	}
	if len(want) == 0 {
		if tail != "" {
			t.Errorf("content of an item without images ends with %q", tail)
		}
		return
	}
	doc, err := html.Parse(strings.NewReader(tail))
	if err != nil {
		t.Fatalf("parse the HTML after the content: %v", err)
	}
	var got []map[string]string
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.Data == "img":
			attrs := make(map[string]string, len(n.Attr))
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			got = append(got, attrs)
			if p := n.Parent; p == nil || p.Data != "p" || p.FirstChild != n || p.LastChild != n {
				t.Errorf("img %q is not alone in a paragraph: %q", attrs["src"], tail)
			}
		case n.Type == html.ElementNode && n.Data != "html" && n.Data != "head" && n.Data != "body" && n.Data != "p":
			t.Errorf("unexpected <%s> after the content: %q", n.Data, tail)
		case n.Type == html.TextNode && strings.TrimSpace(n.Data) != "":
			t.Errorf("text %q after the content: %q", n.Data, tail)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d img elements after the content, want %d: %q", len(got), len(want), tail)
	}
	for i, img := range want {
		wantAttrs := map[string]string{"src": img.URL, "alt": img.Alt}
		if img.Width > 0 {
			wantAttrs["width"] = strconv.Itoa(img.Width)
		}
		if img.Height > 0 {
			wantAttrs["height"] = strconv.Itoa(img.Height)
		}
		if !maps.Equal(got[i], wantAttrs) {
			t.Errorf("img %d attributes %q, want %q", i, got[i], wantAttrs)
		}
	}
}

// TestFormatDetails checks what the generic parse-back cannot: alt text
// travels with images where the format has a place for it, entries carry
// their language, and JSON attachments their size.
func TestFormatDetails(t *testing.T) {
	f := testFeed()
	imgs := f.Items[0].Images

	t.Run("atom", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteAtom(&buf, f); err != nil {
			t.Fatal(err)
		}
		doc, err := (&atom.Parser{}).Parse(&buf)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, l := range doc.Entries[0].Links {
			if l.Rel == "enclosure" {
				titles = append(titles, l.Title)
			}
		}
		if len(titles) != len(imgs) || titles[0] != imgs[0].Alt || titles[1] != imgs[1].Alt {
			t.Errorf("enclosure titles %q, want the alt texts", titles)
		}
		// The parser does not report xml:lang on entries; decode it here.
		var langs struct {
			Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Entries []struct {
				Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			} `xml:"entry"`
		}
		buf.Reset()
		_ = WriteAtom(&buf, f)
		if err := xml.Unmarshal(buf.Bytes(), &langs); err != nil {
			t.Fatal(err)
		}
		if langs.Lang != "nl" || len(langs.Entries) != 2 || langs.Entries[0].Lang != "nl" || langs.Entries[1].Lang != "en" {
			t.Errorf("xml:lang = %+v, want nl on the feed, nl and en on the entries", langs)
		}
	})

	t.Run("json", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, f); err != nil {
			t.Fatal(err)
		}
		doc, err := (&jsonfeed.Parser{}).Parse(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Items[0].Attachments == nil || len(*doc.Items[0].Attachments) != len(imgs) {
			t.Fatalf("attachments %+v, want %d", doc.Items[0].Attachments, len(imgs))
		}
		for j, att := range *doc.Items[0].Attachments {
			if att.Title != imgs[j].Alt || att.SizeInBytes != imgs[j].Length {
				t.Errorf("attachment %d: title %q, size %d; want %q, %d", j, att.Title, att.SizeInBytes, imgs[j].Alt, imgs[j].Length)
			}
		}
		if doc.Items[0].Image != imgs[0].URL {
			t.Errorf("item image %q, want %q", doc.Items[0].Image, imgs[0].URL)
		}
		if doc.Version != "https://jsonfeed.org/version/1.1" || doc.Items[0].Language != "nl" || doc.Items[1].Language != "en" {
			t.Errorf("version %q, languages %q %q", doc.Version, doc.Items[0].Language, doc.Items[1].Language)
		}
	})
}

func TestEmptyFeed(t *testing.T) {
	f := testFeed()
	f.Items = nil
	for _, format := range formats {
		t.Run(format.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := format.write(&buf, f); err != nil {
				t.Fatalf("write: %v", err)
			}
			got, err := gofeed.NewParser().ParseString(buf.String())
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, buf.String())
			}
			if got.Title != f.Title || len(got.Items) != 0 {
				t.Errorf("title %q, %d items; want %q, 0 items", got.Title, len(got.Items), f.Title)
			}
			switch format.name {
			case "json":
				if !strings.Contains(buf.String(), `"items": []`) {
					t.Errorf("JSON Feed requires an items array:\n%s", buf.String())
				}
			case "atom":
				// RFC 4287 requires id, title, updated and an author on a
				// feed whose entries have none.
				for _, el := range []string{"<id>", "<title>", "<updated>", "<author>"} {
					if !strings.Contains(buf.String(), el) {
						t.Errorf("empty Atom feed lacks %s:\n%s", el, buf.String())
					}
				}
			case "rss":
				for _, el := range []string{"<title>", "<link>", "<description>"} {
					if !strings.Contains(buf.String(), el) {
						t.Errorf("empty RSS channel lacks %s:\n%s", el, buf.String())
					}
				}
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	f := testFeed()
	f.Author = ""
	f.Description = ""
	f.IconURL = ""
	f.Items = f.Items[1:2]
	f.Items[0].Updated = time.Time{}

	var atomBuf, rssBuf, jsonBuf bytes.Buffer
	if err := WriteAtom(&atomBuf, f); err != nil {
		t.Fatal(err)
	}
	if err := WriteRSS(&rssBuf, f); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&jsonBuf, f); err != nil {
		t.Fatal(err)
	}
	for name, buf := range map[string]*bytes.Buffer{"atom": &atomBuf, "rss": &rssBuf, "json": &jsonBuf} {
		got, err := gofeed.NewParser().Parse(buf)
		if err != nil {
			t.Fatalf("%s: parse: %v", name, err)
		}
		item := got.Items[0]
		if name != "rss" {
			// Author falls back to the title; Updated to Published.
			if len(got.Authors) != 1 || got.Authors[0].Name != f.Title {
				t.Errorf("%s: authors %+v, want %q", name, got.Authors, f.Title)
			}
			if item.UpdatedParsed == nil || !item.UpdatedParsed.Equal(f.Items[0].Published) {
				t.Errorf("%s: item updated %v, want published %v", name, item.UpdatedParsed, f.Items[0].Published)
			}
		} else if got.Description != f.Title {
			t.Errorf("rss: channel description %q, want the title %q", got.Description, f.Title)
		}
		if got.Image != nil {
			t.Errorf("%s: image %+v without IconURL", name, got.Image)
		}
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Feed)
	}{
		{"no ID", func(f *Feed) { f.ID = "" }},
		{"no title", func(f *Feed) { f.Title = "" }},
		{"no updated", func(f *Feed) { f.Updated = time.Time{} }},
		{"item without ID", func(f *Feed) { f.Items[1].ID = "" }},
		{"item without published", func(f *Feed) { f.Items[0].Published = time.Time{} }},
		{"image without URL", func(f *Feed) { f.Items[0].Images[1].URL = "" }},
	}
	for _, tt := range tests {
		for _, format := range formats {
			t.Run(tt.name+"/"+format.name, func(t *testing.T) {
				f := testFeed()
				tt.change(&f)
				var buf bytes.Buffer
				err := format.write(&buf, f)
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("err = %v, want ErrInvalid", err)
				}
				if buf.Len() != 0 {
					t.Errorf("wrote %d bytes for an invalid feed", buf.Len())
				}
			})
		}
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteError(t *testing.T) {
	for _, format := range formats {
		t.Run(format.name, func(t *testing.T) {
			err := format.write(failingWriter{}, testFeed())
			if !errors.Is(err, errWrite) {
				t.Errorf("err = %v, want it to wrap %v", err, errWrite)
			}
		})
	}
}

func BenchmarkWriteAtom(b *testing.B) {
	f := testFeed()
	items := make([]Item, 20)
	for i := range items {
		items[i] = f.Items[i%len(f.Items)]
		items[i].ID = fmt.Sprintf("https://plein.example/@zeeendam/posts/%d", i)
		items[i].ContentHTML = strings.Repeat(items[i].ContentHTML, 5)
	}
	f.Items = items
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteAtom(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}
