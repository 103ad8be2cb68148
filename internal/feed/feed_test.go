package feed

import (
	"bytes"
	"encoding/json"
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

// imageItems are items with no, one and several images, and with alt text
// and URLs that need escaping, newest first.
func imageItems() []Item {
	published := func(day int) time.Time { return time.Date(2026, 3, day, 12, 0, 0, 0, cet) }
	return []Item{
		{
			ID:          "https://plein.example/@zeeendam/posts/img0",
			URL:         "https://plein.example/@zeeendam/img0",
			Title:       "Geen afbeeldingen",
			ContentHTML: "<p>Alleen tekst.</p>",
			Published:   published(9),
		},
		{
			ID:          "https://plein.example/@zeeendam/posts/img1",
			URL:         "https://plein.example/@zeeendam/img1",
			Title:       "Eén afbeelding",
			ContentHTML: "<p>De nieuwe brug.</p>",
			Published:   published(8),
			Images: []Image{
				{URL: "https://plein.example/media/brug.jpg", ContentType: "image/jpeg", Alt: "Een witte fietsbrug over het kanaal", Length: 2048, Width: 1600, Height: 900},
			},
		},
		{
			ID:          "https://plein.example/@zeeendam/posts/img3",
			URL:         "https://plein.example/@zeeendam/img3",
			Title:       "Drie afbeeldingen",
			ContentHTML: "<p>Werk aan de weg.</p><ul><li>Noord</li><li>Zuid</li></ul>",
			Published:   published(7),
			Updated:     published(8),
			Images: []Image{
				{URL: "https://plein.example/media/noord.jpg", ContentType: "image/jpeg", Alt: "Graafmachine aan de noordkant", Width: 800, Height: 600},
				{URL: "https://plein.example/media/zuid.png", ContentType: "image/png", Alt: "Afgezette rijbaan aan de zuidkant"},
				{URL: "https://plein.example/media/omleiding.webp", ContentType: "image/webp", Alt: "Omleidingsbord", Width: 640},
			},
		},
		{
			ID:          "https://plein.example/@zeeendam/posts/escape",
			URL:         "https://plein.example/@zeeendam/escape",
			Title:       `Alt-tekst met "tekens" & <haken>`,
			ContentHTML: "<p>Zie de foto&#39;s &amp; de kaart.</p>",
			Summary:     "Schokkende beelden & <schade>",
			Language:    "nl",
			Published:   published(6),
			Images: []Image{
				{URL: "https://plein.example/media/bord.jpg?v=2&s=groot", ContentType: "image/jpeg", Alt: `Bord "Dijk <dicht>" & 't veer uit de vaart`, Width: 1200, Height: 800},
				{URL: "https://plein.example/media/leeg.png", ContentType: "image/png", Alt: `"><script>alert(1)</script>&amp;`},
			},
		},
	}
}

// imageFeed is testFeed with imageItems as its items.
func imageFeed() Feed {
	f := testFeed()
	f.Items = imageItems()
	return f
}

func TestWithImages(t *testing.T) {
	tests := []struct {
		name string
		body string
		imgs []Image
		want string
	}{
		{
			name: "no images",
			body: "<p>Tekst.</p>",
			want: "<p>Tekst.</p>",
		},
		{
			name: "one image with its size",
			body: "<p>Tekst.</p>",
			imgs: []Image{{URL: "https://plein.example/media/a.jpg", Alt: "Een dijk", Width: 1600, Height: 1200}},
			want: `<p>Tekst.</p><p><img src="https://plein.example/media/a.jpg" alt="Een dijk" width="1600" height="1200"></p>`,
		},
		{
			name: "size unknown",
			body: "<p>Tekst.</p>",
			imgs: []Image{{URL: "https://plein.example/media/a.jpg", Alt: "Een dijk"}},
			want: `<p>Tekst.</p><p><img src="https://plein.example/media/a.jpg" alt="Een dijk"></p>`,
		},
		{
			name: "only the height known",
			body: "<p>Tekst.</p>",
			imgs: []Image{{URL: "https://plein.example/media/a.jpg", Alt: "Een dijk", Height: 300}},
			want: `<p>Tekst.</p><p><img src="https://plein.example/media/a.jpg" alt="Een dijk" height="300"></p>`,
		},
		{
			name: "several images in order",
			body: "<p>Tekst.</p>",
			imgs: []Image{
				{URL: "https://plein.example/media/a.jpg", Alt: "Eerste", Width: 10, Height: 20},
				{URL: "https://plein.example/media/b.png", Alt: "Tweede"},
			},
			want: `<p>Tekst.</p><p><img src="https://plein.example/media/a.jpg" alt="Eerste" width="10" height="20"></p><p><img src="https://plein.example/media/b.png" alt="Tweede"></p>`,
		},
		{
			name: "URL and alt text escaped",
			body: "<p>Tekst &amp; meer.</p>",
			imgs: []Image{{URL: "https://plein.example/media/a.jpg?v=2&s=groot", Alt: `Bord "Dijk <dicht>" & 't veer`}},
			want: `<p>Tekst &amp; meer.</p><p><img src="https://plein.example/media/a.jpg?v=2&amp;s=groot" alt="Bord &#34;Dijk &lt;dicht&gt;&#34; &amp; &#39;t veer"></p>`,
		},
		{
			name: "empty alt text kept",
			body: "",
			imgs: []Image{{URL: "https://plein.example/media/a.jpg"}},
			want: `<p><img src="https://plein.example/media/a.jpg" alt=""></p>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withImages(tt.body, tt.imgs); got != tt.want {
				t.Errorf("withImages() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestContentImages parses each format with a widely used feed parser and
// checks that every item's HTML content ends with its images, for readers
// that do not show enclosures, and that the enclosures are still there.
func TestContentImages(t *testing.T) {
	f := imageFeed()
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
			if len(got.Items) != len(f.Items) {
				t.Fatalf("%d items, want %d", len(got.Items), len(f.Items))
			}
			for i, want := range f.Items {
				t.Run(want.Title, func(t *testing.T) {
					item := got.Items[i]
					checkEqual(t, "item guid", item.GUID, want.ID)
					content := item.Content
					if format.name == "rss" {
						content = item.Description
					} else {
						checkEqual(t, "item summary", item.Description, want.Summary)
					}
					checkImagesAfter(t, content, wantBody(t, format.name, want), want.Images)

					wantEnclosures := len(want.Images)
					if format.name == "rss" {
						wantEnclosures = min(wantEnclosures, 1)
					}
					if len(item.Enclosures) != wantEnclosures {
						t.Fatalf("%d enclosures, want %d", len(item.Enclosures), wantEnclosures)
					}
					for j, enc := range item.Enclosures {
						checkEqual(t, "enclosure url", enc.URL, want.Images[j].URL)
					}
				})
			}
		})
	}
}

// parsedFeed is what the independent decoders below read from a document.
type parsedFeed struct {
	Title   string
	Updated time.Time // zero for JSON Feed, which has no such field
	Items   []parsedItem
}

type parsedItem struct {
	ID, Title  string
	Published  time.Time
	Updated    time.Time // zero for RSS, which has no such field
	Summary    string    // empty for RSS, which has no such field
	Content    string    // HTML
	Enclosures []string  // URLs
}

// decodeXML decodes the single root element of doc into v with a strict
// decoder and fails if anything but white space follows it.
func decodeXML(doc []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("after the root element: %w", err)
		}
		if cd, ok := tok.(xml.CharData); !ok || len(bytes.TrimSpace(cd)) != 0 {
			return fmt.Errorf("after the root element: unexpected %T", tok)
		}
	}
}

// parseTime parses s in layout and requires it to be in UTC, which Plein
// writes as suffix.
func parseTime(layout, suffix, s string) (time.Time, error) {
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, err
	}
	if !strings.HasSuffix(s, suffix) {
		return time.Time{}, fmt.Errorf("%q is not in UTC", s)
	}
	return t, nil
}

// decodeAtom reads an Atom document with encoding/xml alone.
func decodeAtom(doc []byte) (parsedFeed, error) {
	var v struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID        string  `xml:"id"`
			Title     string  `xml:"title"`
			Published string  `xml:"published"`
			Updated   string  `xml:"updated"`
			Summary   *string `xml:"summary"`
			Content   *struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
			Links []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := decodeXML(doc, &v); err != nil {
		return parsedFeed{}, fmt.Errorf("atom: %w", err)
	}
	if v.ID == "" || v.Title == "" {
		return parsedFeed{}, errors.New("atom: feed lacks id or title")
	}
	updated, err := parseTime(time.RFC3339, "Z", v.Updated)
	if err != nil {
		return parsedFeed{}, fmt.Errorf("atom: feed updated: %w", err)
	}
	pf := parsedFeed{Title: v.Title, Updated: updated}
	for i, e := range v.Entries {
		if e.ID == "" || e.Title == "" {
			return parsedFeed{}, fmt.Errorf("atom: entry %d lacks id or title", i)
		}
		if e.Content == nil || e.Content.Type != "html" {
			return parsedFeed{}, fmt.Errorf("atom: entry %d: no content of type html", i)
		}
		it := parsedItem{ID: e.ID, Title: e.Title, Content: e.Content.Body}
		if it.Published, err = parseTime(time.RFC3339, "Z", e.Published); err != nil {
			return parsedFeed{}, fmt.Errorf("atom: entry %d: published: %w", i, err)
		}
		if it.Updated, err = parseTime(time.RFC3339, "Z", e.Updated); err != nil {
			return parsedFeed{}, fmt.Errorf("atom: entry %d: updated: %w", i, err)
		}
		if e.Summary != nil {
			it.Summary = *e.Summary
		}
		for _, l := range e.Links {
			if l.Rel == "enclosure" {
				it.Enclosures = append(it.Enclosures, l.Href)
			}
		}
		pf.Items = append(pf.Items, it)
	}
	return pf, nil
}

// decodeRSS reads an RSS 2.0 document with encoding/xml alone.
func decodeRSS(doc []byte) (parsedFeed, error) {
	var v struct {
		XMLName xml.Name `xml:"rss"`
		Version string   `xml:"version,attr"`
		Channel *struct {
			Title string `xml:"title"`
			// encoding/xml matches link in any namespace, so this holds
			// the atom:link too.
			Links []struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			} `xml:"link"`
			Description   string `xml:"description"`
			LastBuildDate string `xml:"lastBuildDate"`
			Items         []struct {
				Title string `xml:"title"`
				GUID  struct {
					IsPermaLink string `xml:"isPermaLink,attr"`
					ID          string `xml:",chardata"`
				} `xml:"guid"`
				PubDate     string  `xml:"pubDate"`
				Description *string `xml:"description"`
				Enclosures  []struct {
					URL string `xml:"url,attr"`
				} `xml:"enclosure"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := decodeXML(doc, &v); err != nil {
		return parsedFeed{}, fmt.Errorf("rss: %w", err)
	}
	if v.Version != "2.0" {
		return parsedFeed{}, fmt.Errorf("rss: version %q, want 2.0", v.Version)
	}
	ch := v.Channel
	if ch == nil {
		return parsedFeed{}, errors.New("rss: no channel")
	}
	var link string
	for _, l := range ch.Links {
		if l.XMLName.Space == "" {
			link = l.Value
		}
	}
	if ch.Title == "" || link == "" || ch.Description == "" {
		return parsedFeed{}, errors.New("rss: channel lacks title, link or description")
	}
	updated, err := parseTime(time.RFC1123Z, "+0000", ch.LastBuildDate)
	if err != nil {
		return parsedFeed{}, fmt.Errorf("rss: lastBuildDate: %w", err)
	}
	pf := parsedFeed{Title: ch.Title, Updated: updated}
	for i, item := range ch.Items {
		if item.GUID.ID == "" || item.GUID.IsPermaLink != "false" {
			return parsedFeed{}, fmt.Errorf("rss: item %d: guid %+v, want a non-permalink id", i, item.GUID)
		}
		if item.Description == nil {
			return parsedFeed{}, fmt.Errorf("rss: item %d: no description", i)
		}
		it := parsedItem{ID: item.GUID.ID, Title: item.Title, Content: *item.Description}
		if it.Published, err = parseTime(time.RFC1123Z, "+0000", item.PubDate); err != nil {
			return parsedFeed{}, fmt.Errorf("rss: item %d: pubDate: %w", i, err)
		}
		for _, enc := range item.Enclosures {
			it.Enclosures = append(it.Enclosures, enc.URL)
		}
		pf.Items = append(pf.Items, it)
	}
	return pf, nil
}

// decodeJSON reads a JSON Feed 1.1 document with encoding/json alone.
// Unknown fields are allowed, as JSON Feed readers must allow them.
func decodeJSON(doc []byte) (parsedFeed, error) {
	var v struct {
		Version *string `json:"version"`
		Title   *string `json:"title"`
		Items   []struct {
			ID            *string `json:"id"`
			Title         string  `json:"title"`
			ContentHTML   *string `json:"content_html"`
			Summary       string  `json:"summary"`
			DatePublished string  `json:"date_published"`
			DateModified  string  `json:"date_modified"`
			Attachments   []struct {
				URL string `json:"url"`
			} `json:"attachments"`
		} `json:"items"`
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(&v); err != nil {
		return parsedFeed{}, fmt.Errorf("json: decode: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return parsedFeed{}, fmt.Errorf("json: data after the document (%v)", err)
	}
	if v.Version == nil || *v.Version != "https://jsonfeed.org/version/1.1" {
		return parsedFeed{}, fmt.Errorf("json: version %v, want JSON Feed 1.1", v.Version)
	}
	if v.Title == nil || *v.Title == "" {
		return parsedFeed{}, errors.New("json: no title")
	}
	if v.Items == nil {
		return parsedFeed{}, errors.New("json: no items array")
	}
	pf := parsedFeed{Title: *v.Title}
	for i, item := range v.Items {
		if item.ID == nil || *item.ID == "" {
			return parsedFeed{}, fmt.Errorf("json: item %d: no id", i)
		}
		if item.ContentHTML == nil {
			return parsedFeed{}, fmt.Errorf("json: item %s: no content_html", *item.ID)
		}
		it := parsedItem{ID: *item.ID, Title: item.Title, Summary: item.Summary, Content: *item.ContentHTML}
		var err error
		if it.Published, err = parseTime(time.RFC3339, "Z", item.DatePublished); err != nil {
			return parsedFeed{}, fmt.Errorf("json: item %s: date_published: %w", it.ID, err)
		}
		if it.Updated, err = parseTime(time.RFC3339, "Z", item.DateModified); err != nil {
			return parsedFeed{}, fmt.Errorf("json: item %s: date_modified: %w", it.ID, err)
		}
		for _, att := range item.Attachments {
			it.Enclosures = append(it.Enclosures, att.URL)
		}
		pf.Items = append(pf.Items, it)
	}
	return pf, nil
}

// TestIndependentParser reads each format with decoders written here on
// the standard library alone, independent of the feed parser the other
// tests use, and checks the same facts: titles, ids and times, and every
// item's HTML content followed by its images.
func TestIndependentParser(t *testing.T) {
	empty := testFeed()
	empty.Items = nil
	feeds := []struct {
		name string
		feed Feed
	}{
		{"golden feed", testFeed()},
		{"images", imageFeed()},
		{"no items", empty},
	}
	decoders := []struct {
		name   string
		write  writer
		decode func([]byte) (parsedFeed, error)
	}{
		{"atom", WriteAtom, decodeAtom},
		{"rss", WriteRSS, decodeRSS},
		{"json", WriteJSON, decodeJSON},
	}
	for _, tf := range feeds {
		for _, d := range decoders {
			t.Run(tf.name+"/"+d.name, func(t *testing.T) {
				f := tf.feed
				var buf bytes.Buffer
				if err := d.write(&buf, f); err != nil {
					t.Fatalf("write: %v", err)
				}
				got, err := d.decode(buf.Bytes())
				if err != nil {
					t.Fatalf("%v\n%s", err, buf.String())
				}
				checkEqual(t, "feed title", got.Title, f.Title)
				if d.name != "json" && !got.Updated.Equal(f.Updated) {
					t.Errorf("feed updated %v, want %v", got.Updated, f.Updated)
				}
				if len(got.Items) != len(f.Items) {
					t.Fatalf("%d items, want %d", len(got.Items), len(f.Items))
				}
				for i, want := range f.Items {
					item := got.Items[i]
					checkEqual(t, "item id", item.ID, want.ID)
					checkEqual(t, "item title", item.Title, want.Title)
					if !item.Published.Equal(want.Published) {
						t.Errorf("item %s published %v, want %v", want.ID, item.Published, want.Published)
					}
					if d.name != "rss" {
						if !item.Updated.Equal(want.updated()) {
							t.Errorf("item %s updated %v, want %v", want.ID, item.Updated, want.updated())
						}
						checkEqual(t, "item summary", item.Summary, want.Summary)
					}
					checkImagesAfter(t, item.Content, wantBody(t, d.name, want), want.Images)

					var wantEnclosures []string
					for _, img := range want.Images {
						wantEnclosures = append(wantEnclosures, img.URL)
					}
					if d.name == "rss" && len(wantEnclosures) > 1 {
						wantEnclosures = wantEnclosures[:1]
					}
					if fmt.Sprint(item.Enclosures) != fmt.Sprint(wantEnclosures) {
						t.Errorf("item %s enclosures %q, want %q", want.ID, item.Enclosures, wantEnclosures)
					}
				}
			})
		}
	}
}

// TestItemAuthor checks that an item of a feed of several organisations
// names its own author in Atom and JSON Feed, as gofeed reads them, and
// that an item without one has none of its own.
func TestItemAuthor(t *testing.T) {
	f := testFeed()
	f.Items[0].Author = "Waterschap Zuid"
	for _, tc := range []struct {
		name  string
		write func(io.Writer, Feed) error
	}{{"atom", WriteAtom}, {"json", WriteJSON}} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, f); err != nil {
				t.Fatal(err)
			}
			parsed, err := gofeed.NewParser().ParseString(b.String())
			if err != nil {
				t.Fatal(err)
			}
			if a := parsed.Items[0].Authors; len(a) != 1 || a[0].Name != "Waterschap Zuid" {
				t.Errorf("first item's authors %+v, want Waterschap Zuid", a)
			}
			if n := strings.Count(b.String(), "Waterschap Zuid"); n != 1 {
				t.Errorf("author named %d times, want once", n)
			}
		})
	}
}
