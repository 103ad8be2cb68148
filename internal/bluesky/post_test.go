package bluesky

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rivo/uniseg"
)

func TestFacetOffsets(t *testing.T) {
	t.Parallel()
	link := func(s, e int, uri string) Facet {
		return Facet{Index: ByteSlice{s, e}, Features: []Feature{{Type: typeLink, URI: uri}}}
	}
	tag := func(s, e int, name string) Facet {
		return Facet{Index: ByteSlice{s, e}, Features: []Feature{{Type: typeTag, Tag: name}}}
	}
	mention := Mention{Text: "@anna@social.example", URL: "https://social.example/@anna"}
	for _, tc := range []struct {
		name string
		text string
		tags []string
		want []Facet
	}{
		{"ascii", "Zie https://example.nl/a #water", []string{"water"},
			[]Facet{link(4, 24, "https://example.nl/a"), tag(25, 31, "water")}},
		{"accented letters count two bytes", "Café é https://e.nl #dijk", []string{"dijk"},
			// "Café é " is 9 bytes: C a f é(2) space é(2) space.
			[]Facet{link(9, 21, "https://e.nl"), tag(22, 27, "dijk")}},
		{"emoji count four bytes", "🌊🌊 #hoogwater https://e.nl.", []string{"hoogwater"},
			// two waves: 8 bytes, a space; the address leaves out the full stop.
			[]Facet{tag(9, 19, "hoogwater"), link(20, 32, "https://e.nl")}},
		{"emoji with joiner", "👩‍👩‍👧 #gezin", []string{"gezin"},
			// the family emoji is 18 bytes.
			[]Facet{tag(19, 25, "gezin")}},
		{"CJK", "東京 #防災 と https://e.jp/x", []string{"防災"},
			// 東京 is 6 bytes, #防災 is 7, と 3.
			[]Facet{tag(7, 14, "防災"), link(19, 33, "https://e.jp/x")}},
		{"hashtag as written, case ignored", "#Water en #WATER", []string{"water"},
			[]Facet{tag(0, 6, "Water"), tag(10, 16, "WATER")}},
		{"no tag inside a word or longer tag", "a#water #waterstand", []string{"water"}, nil},
		{"anchor in an address stays the address", "https://e.nl/p#water", []string{"water"},
			[]Facet{link(0, 20, "https://e.nl/p#water")}},
		{"mention becomes a link", "Dank @anna@social.example!", nil,
			[]Facet{link(5, 25, "https://social.example/@anna")}},
		{"parenthesised address", "(zie https://e.nl/a_(b) en https://e.nl/c)", nil,
			[]Facet{link(5, 23, "https://e.nl/a_(b)"), link(27, 41, "https://e.nl/c")}},
		{"scheme alone is no link", "http:// of https://", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Facets(tc.text, tc.tags, []Mention{mention})
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Facets(%q) =\n%+v\nwant\n%+v", tc.text, got, tc.want)
			}
			for _, f := range got {
				s := tc.text[f.Index.ByteStart:f.Index.ByteEnd]
				if ft := f.Features[0]; ft.Tag != "" && s != "#"+ft.Tag || ft.Tag == "" && !strings.HasPrefix(s, "http") && !strings.HasPrefix(s, "@") {
					t.Errorf("facet %+v covers %q", f, s)
				}
			}
		})
	}
}

func TestRecordCutsLongText(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	url := "https://plein.example/@gemeente/01"
	for _, tc := range []struct {
		name string
		text string
		cut  bool
	}{
		{"300 graphemes fit", strings.Repeat("é", 300), false},
		{"301 graphemes with words", strings.Repeat("ab ", 100) + "z", true},
		{"301 emoji", strings.Repeat("👩‍👩‍👧", 301), true},
		{"over 3,000 bytes in 168 graphemes", strings.Repeat("👩‍👩‍👧", 167) + " a", true},
		{"one long word", strings.Repeat("x", 400), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, cut := Draft{Text: tc.text, Lang: "nl", CreatedAt: at, URL: url, Title: "Gemeente"}.Record()
			if cut != tc.cut {
				t.Fatalf("cut = %v, want %v", cut, tc.cut)
			}
			if !Fits(r.Text) {
				t.Fatalf("text of %d graphemes, %d bytes is over the limits", uniseg.GraphemeClusterCount(r.Text), len(r.Text))
			}
			if !cut {
				if r.Text != tc.text || r.Embed != nil {
					t.Fatalf("uncut record changed: %+v", r)
				}
				return
			}
			opening := strings.TrimSuffix(r.Text, Ellipsis)
			if opening == r.Text || !strings.HasPrefix(tc.text, opening) {
				t.Fatalf("text %q is not an opening of the post with an ellipsis", r.Text)
			}
			if rest := tc.text[len(opening):]; strings.Contains(opening, " ") && !strings.HasPrefix(rest, " ") {
				t.Errorf("cut inside a word: ...%q | %q...", opening[max(0, len(opening)-10):], rest[:min(10, len(rest))])
			}
			last := r.Facets[len(r.Facets)-1]
			if last.Index.ByteEnd != len(r.Text) || last.Features[0].URI != url {
				t.Errorf("the ellipsis does not link the full post: %+v", r.Facets)
			}
			card, ok := r.Embed.(ExternalEmbed)
			if !ok || card.External.URI != url || card.Type != typeExternal {
				t.Errorf("embed = %+v, want a link card to %s", r.Embed, url)
			}
		})
	}
}

func TestRecordNeverCutsInsideAFacet(t *testing.T) {
	t.Parallel()
	link := "https://example.nl/" + strings.Repeat("a", 40)
	text := strings.Repeat("woord ", 45) + link + " en meer tekst daarna"
	r, cut := Draft{Text: text, URL: "https://plein.example/p"}.Record()
	if !cut {
		t.Fatal("not cut")
	}
	if strings.Contains(r.Text, "https://example.nl") {
		t.Errorf("text %q keeps part of a cut address", r.Text)
	}
	if len(r.Facets) != 1 {
		t.Errorf("facets = %+v, want only the ellipsis link", r.Facets)
	}
}

func TestRecordJSON(t *testing.T) {
	t.Parallel()
	blob := Blob(`{"$type":"blob","ref":{"$link":"bafkrei"},"mimeType":"image/jpeg","size":123}`)
	r, _ := Draft{Text: "Dijk dicht #water", Tags: []string{"water"}, Lang: "nl",
		CreatedAt: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		Images:    []Image{{Blob: blob, Alt: "De dijk bij Kampen", Width: 1920, Height: 1080}},
		Reply:     &ReplyRef{Root: Ref{"at://did:plc:x/app.bsky.feed.post/1", "bafyr"}, Parent: Ref{"at://did:plc:x/app.bsky.feed.post/1", "bafyr"}},
	}.Record()
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"$type":"app.bsky.feed.post","text":"Dijk dicht #water",` +
		`"facets":[{"index":{"byteStart":11,"byteEnd":17},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"water"}]}],` +
		`"langs":["nl"],` +
		`"embed":{"$type":"app.bsky.embed.images","images":[{"alt":"De dijk bij Kampen","image":` + string(blob) + `,"aspectRatio":{"width":1920,"height":1080}}]},` +
		`"reply":{"root":{"uri":"at://did:plc:x/app.bsky.feed.post/1","cid":"bafyr"},"parent":{"uri":"at://did:plc:x/app.bsky.feed.post/1","cid":"bafyr"}},` +
		`"createdAt":"2026-03-01T09:30:00.000Z"}`
	if string(got) != want {
		t.Errorf("record =\n%s\nwant\n%s", got, want)
	}
}
