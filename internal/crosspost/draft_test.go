package crosspost_test

import (
	"strings"
	"testing"
	"time"

	"plein/internal/crosspost"
	"plein/internal/model"
)

// TestDraftKeepsMarkdownLinks checks that a link written in Markdown keeps
// its address on Bluesky, which shows plain text: the address follows the
// link's text and is marked as a link.
func TestDraftKeepsMarkdownLinks(t *testing.T) {
	p := &model.Post{ID: "01HX", Text: "Lees [de nieuwe regels](https://www.kampen.nl/regels) voor #afval.",
		Language: "nl", CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	d := crosspost.Draft(p, &model.Org{DisplayName: "Kampen"}, "https://plein.example")
	if want := "Lees de nieuwe regels (https://www.kampen.nl/regels) voor #afval."; d.Text != want {
		t.Fatalf("text %q, want %q", d.Text, want)
	}
	rec, _ := d.Record()
	start := strings.Index(d.Text, "https://")
	for _, f := range rec.Facets {
		for _, feat := range f.Features {
			if feat.URI == "https://www.kampen.nl/regels" && f.Index.ByteStart == start &&
				f.Index.ByteEnd == start+len("https://www.kampen.nl/regels") {
				return
			}
		}
	}
	t.Errorf("no link facet over the address: %+v", rec.Facets)
}
