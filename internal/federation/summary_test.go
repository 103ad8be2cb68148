package federation_test

import (
	"context"
	"encoding/json"
	"testing"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// TestNoteSummaryEscaped checks that a content warning, which is text in
// Plein, reaches the Fediverse HTML-escaped: ActivityStreams reads a
// Note's summary as HTML, in the Note itself and in its Create and Update.
func TestNoteSummaryEscaped(t *testing.T) {
	ctx := context.Background()
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	o := srv.Org(t, "delft")
	const cw = `<b>Let op</b> & "x"`
	const want = `&lt;b&gt;Let op&lt;/b&gt; &amp; &#34;x&#34;`
	p, err := srv.App.Posts.Create(ctx, auth.Operator(), o.ID, post.Input{Text: "De Oostpoort is dicht.", Summary: cw}, post.When{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary != cw {
		t.Fatalf("stored content warning %q, want the text %q", p.Summary, cw)
	}
	n, err := srv.App.Federation.Note(ctx, o, p)
	if err != nil {
		t.Fatal(err)
	}
	if !n.Sensitive {
		t.Error("a note with a content warning is not sensitive")
	}
	for name, v := range map[string]any{
		"note":   n,
		"create": activity.NewCreate(n.ID+"/activity", *n),
		"update": activity.NewUpdate(n.ID+"#updates/1", *n),
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Summary string `json:"summary"`
			Object  struct {
				Summary string `json:"summary"`
			} `json:"object"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		s := got.Summary
		if name != "note" {
			s = got.Object.Summary
		}
		if s != want {
			t.Errorf("%s: summary %q, want %q", name, s, want)
		}
	}
}
