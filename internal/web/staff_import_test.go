package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// fbZip returns a small Facebook export as a zip file: a post with a link
// and a post with an image that has no description.
func fbZip(t *testing.T) []byte {
	t.Helper()
	const dir = "this_profile's_activity_across_facebook/posts/"
	posts, err := json.Marshal([]any{
		map[string]any{"timestamp": 1556964000, "data": []any{map[string]any{"post": "Zie https://example.org/brug"}}},
		map[string]any{"timestamp": 1580551200, "data": []any{map[string]any{"post": "De markt."}},
			"attachments": []any{map[string]any{"data": []any{map[string]any{"media": map[string]any{"uri": dir + "media/m/1.png", "creation_timestamp": 1580551200}}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, data := range map[string][]byte{dir + "profile_posts_1.json": posts, dir + "media/m/1.png": pngImage(t, 64, 48)} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var describeMedia = regexp.MustCompile(`name="media" value="([0-9a-z]+)"`)

// TestStaffImport runs a dry run and an import of a Facebook export on
// the staff screen, refuses an export over the operator's limit and other
// roles than admin, lists the image without a description and describes
// it, and records the import in the audit log.
func TestStaffImport(t *testing.T) {
	t.Parallel()
	f := newStaffFixtureWith(t, storetest.Engines()[0], pleintest.Options{Configure: []func(*config.Config){
		func(c *config.Config) { c.ImportMaxMiB = 1 }}})
	ctx := context.Background()
	export := fbZip(t)
	posts := func() int {
		t.Helper()
		all, err := f.srv.App.Posts.List(ctx, f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}

	editor := f.client(t, "editor@rotterdam.nl")
	if resp, _ := editor.get("/staff/orgs/rotterdam/import"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor opened the import screen: %d", resp.StatusCode)
	}
	if resp, _ := editor.postMultipart("/staff/orgs/rotterdam/import", url.Values{"mode": {"run"}}, map[string][]byte{"export": export}); resp.StatusCode != http.StatusForbidden || posts() != 0 {
		t.Errorf("an editor imported: %d", resp.StatusCode)
	}

	admin := f.client(t, "admin@rotterdam.nl")
	resp, page := admin.get("/staff/orgs/rotterdam/import")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `href="/staff/orgs/rotterdam/import" aria-current="page"`) || !strings.Contains(page, "1 MiB") {
		t.Fatalf("import screen: %d\n%s", resp.StatusCode, page)
	}
	resp, page = admin.postMultipart("/staff/orgs/rotterdam/import", url.Values{"mode": {"run"}},
		map[string][]byte{"export": bytes.Repeat([]byte("x"), 1<<20+1)})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="export-error"`) || posts() != 0 {
		t.Errorf("an export over the limit: %d\n%s", resp.StatusCode, page)
	}
	resp, page = admin.postMultipart("/staff/orgs/rotterdam/import", url.Values{"mode": {"run"}}, map[string][]byte{"export": []byte("geen zip")})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="export-error"`) {
		t.Errorf("a file that is no export: %d\n%s", resp.StatusCode, page)
	}

	resp, page = admin.postMultipart("/staff/orgs/rotterdam/import", url.Values{"mode": {"dry"}}, map[string][]byte{"export": export})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "2 gevonden, 2 te importeren") || posts() != 0 {
		t.Fatalf("dry run: %d, %d posts\n%s", resp.StatusCode, posts(), page)
	}
	resp, page = admin.postMultipart("/staff/orgs/rotterdam/import", url.Values{"mode": {"run"}}, map[string][]byte{"export": export})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "2 gevonden, 2 geïmporteerd") || posts() != 2 {
		t.Fatalf("import: %d, %d posts\n%s", resp.StatusCode, posts(), page)
	}
	if _, list := admin.get("/staff/orgs/rotterdam/posts"); strings.Count(list, `<span class="badge">geïmporteerd van Facebook</span>`) != 2 ||
		!strings.Contains(list, `<a href="/staff/orgs/rotterdam/import">Afbeeldingen om te beschrijven</a>`) {
		t.Errorf("the list of posts does not mark the imported ones:\n%s", list)
	}
	m := describeMedia.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no image to describe on\n%s", page)
	}
	held, err := f.srv.App.Posts.HeldBack(ctx, auth.Operator(), f.org.ID)
	if err != nil || len(held) != 1 {
		t.Fatalf("held back: %v, %v", held, err)
	}
	resp, page = admin.post("/staff/orgs/rotterdam/import/describe", url.Values{"post": {held[0].ID}, "media": {m[1]}, "alt": {" "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="alt-`+m[1]+`-error"`) {
		t.Errorf("an empty description: %d\n%s", resp.StatusCode, page)
	}
	resp, _ = admin.post("/staff/orgs/rotterdam/import/describe", url.Values{"post": {held[0].ID}, "media": {m[1]}, "alt": {"Kramen op de markt"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("describe: %d", resp.StatusCode)
	}
	if _, page = admin.get(resp.Header.Get("Location")); !strings.Contains(page, "De afbeelding is beschreven") || describeMedia.MatchString(page) {
		t.Errorf("after the description:\n%s", page)
	}
	_, page = admin.get("/staff/orgs/rotterdam/audit")
	for _, want := range []string{"importeerde een Facebook-export: 2 berichten, 1 afbeeldingen", "beschreef een afbeelding"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}
