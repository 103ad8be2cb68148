package cli

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, to count jobs

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// fbExport writes a synthetic Facebook Page export as Facebook writes it:
// text as mojibake, a post with a link, a post with two images (one
// described), an album with a photo of a post and two of its own, an
// unknown item, an empty post, a missing file and a damaged image. It
// returns the folder and the same export as a zip file.
func fbExport(t *testing.T) (dir, zipPath string) {
	t.Helper()
	dir = t.TempDir()
	const act = "this_profile's_activity_across_facebook/"
	ts := func(y int, m time.Month, d int) int64 { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC).Unix() }
	media := func(uri, desc string) map[string]any {
		m := map[string]any{"uri": uri, "creation_timestamp": ts(2019, 5, 1), "title": ""}
		if desc != "" {
			m["description"] = desc
		}
		return map[string]any{"media": m}
	}
	// mojibake writes the UTF-8 bytes of s as one character each.
	mojibake := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			b.WriteRune(rune(c))
		}
		return b.String()
	}
	posts := []any{
		map[string]any{"timestamp": ts(2019, 5, 4), "title": "Gemeente Løye", "data": []any{map[string]any{"post": mojibake("De brug in Løye gaat dicht. Lees meer:")}},
			"attachments": []any{map[string]any{"data": []any{map[string]any{"external_context": map[string]any{"url": "https://example.org/brug"}}}}}},
		map[string]any{"timestamp": ts(2020, 2, 1), "data": []any{map[string]any{"post": "Twee foto's van de markt."}},
			"attachments": []any{map[string]any{"data": []any{media(act+"posts/media/markt/1.png", mojibake("De markt op zaterdag")), media(act+"posts/media/markt/2.png", "")}}}},
		map[string]any{"timestamp": ts(2020, 3, 1), "data": []any{map[string]any{"post": "Foto kwijt."}},
			"attachments": []any{map[string]any{"data": []any{media(act+"posts/media/weg/3.png", "Weg")}}}},
		map[string]any{"timestamp": ts(2020, 4, 1), "attachments": []any{map[string]any{"data": []any{map[string]any{"event": map[string]any{"name": "Feest"}}}}}},
		map[string]any{"timestamp": ts(2020, 5, 1), "data": []any{map[string]any{"update_timestamp": ts(2020, 5, 2)}}},
		"een regel die geen bericht is",
		map[string]any{"timestamp": ts(2020, 6, 1), "data": []any{map[string]any{"post": "Kapotte foto."}},
			"attachments": []any{map[string]any{"data": []any{media(act+"posts/media/kapot/4.png", "Kapot")}}}},
	}
	album := map[string]any{"name": mojibake("Zomer in Løye"), "photos": []any{
		map[string]any{"uri": act + "posts/media/markt/1.png", "creation_timestamp": ts(2019, 5, 1)},
		map[string]any{"uri": act + "posts/media/zomer/5.png", "creation_timestamp": ts(2021, 7, 1), "description": "Het strand"},
		map[string]any{"uri": act + "posts/media/zomer/6.png", "creation_timestamp": ts(2021, 7, 2)},
	}}
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	write(act+"posts/profile_posts_1.json", js(posts))
	write(act+"posts/album/0.json", js(album))
	write(act+"posts/media/markt/1.png", pngBytes(64, 48, 1))
	write(act+"posts/media/markt/2.png", pngBytes(64, 48, 2))
	write(act+"posts/media/kapot/4.png", pleintest.BrokenPNG(t))
	write(act+"posts/media/zomer/5.png", pngBytes(64, 48, 5))
	write(act+"posts/media/zomer/6.png", pngBytes(64, 48, 6))

	zipPath = filepath.Join(t.TempDir(), "facebook-export.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	if err := zw.AddFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, zipPath
}

// TestImportFacebook imports a synthetic export on both engines: a dry run
// imports nothing, the import keeps dates and repairs the text, lists what
// it could not import, holds back images without a description from the
// page, the feed and the Note until one is described, enqueues nothing for
// followers or subscribers, and a second run imports nothing.
func TestImportFacebook(t *testing.T) {
	t.Parallel()
	dir, zipPath := fbExport(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := pleintest.NewServer(t, engine)
			o := srv.Org(t, "loye")
			in := &inst{t: t, data: srv.Dir, db: srv.Conf.Database}
			export := zipPath
			if engine.Name == "postgres" {
				export = dir // the folder on one engine, the zip on the other
			}
			srv.Post(t, o, "Een bericht uit Plein zelf.") // announced and sent: the count is read
			jobsBefore := jobTotal(t, srv)
			if jobsBefore == 0 {
				t.Fatal("publishing a post enqueued no job: the count reads nothing")
			}

			dry := in.ok("import", "facebook", "--org", "loye", "--dry-run", export)
			for _, want := range []string{"Dry run", "7 found, 5 to import, 0 imported before; 5 images, 2 of them hidden",
				"the file this_profile's_activity_across_facebook/posts/media/weg/3.png is not in the export",
				"not recognised: attachments.event", "empty post", `not recognised: "een regel die geen bericht is"`} {
				if !strings.Contains(dry, want) {
					t.Errorf("dry run report lacks %q:\n%s", want, dry)
				}
			}
			if posts, err := srv.App.Posts.List(ctx, o.ID); err != nil || len(posts) != 1 {
				t.Fatalf("the dry run imported %d posts, %v", len(posts), err)
			}

			rep := in.ok("import", "facebook", "--org", "loye", export)
			for _, want := range []string{"7 found, 5 imported, 0 imported before; 4 images, 2 of them hidden",
				"4.png is damaged", "posts/media/markt/2.png has no description", "zomer/6.png has no description"} {
				if !strings.Contains(rep, want) {
					t.Errorf("report lacks %q:\n%s", want, rep)
				}
			}
			posts, err := srv.App.Posts.List(ctx, o.ID)
			if err != nil || len(posts) != 6 {
				t.Fatalf("%d posts, %v; want 5 imported and 1 written", len(posts), err)
			}
			byText := map[string]*model.Post{}
			for _, p := range posts {
				if p.ImportedFrom == "" {
					continue // the post written in Plein
				}
				byText[strings.SplitN(p.Text, "\n", 2)[0]] = p
				if p.ImportedFrom != model.ImportFacebook || p.State != model.StatePublished || p.PublishAt.Year() >= 2026 {
					t.Errorf("imported post %+v", p)
				}
			}
			brug := byText["De brug in Løye gaat dicht. Lees meer:"]
			if brug == nil || !brug.PublishAt.Equal(time.Date(2019, 5, 4, 10, 0, 0, 0, time.UTC)) || !strings.HasSuffix(brug.Text, "https://example.org/brug") {
				t.Fatalf("the post with the link: %+v (texts %v)", brug, keys(byText))
			}
			markt := byText["Twee foto's van de markt."]
			if markt == nil || len(markt.Attachments) != 2 || markt.Attachments[0].Alt != "De markt op zaterdag" || markt.Attachments[1].Alt != "" {
				t.Fatalf("the post with two images: %+v", markt)
			}
			if byText["Zomer in Løye"] == nil || len(byText["Zomer in Løye"].Attachments) != 2 {
				t.Fatalf("the album: %+v", byText["Zomer in Løye"])
			}
			if got := jobTotal(t, srv); got != jobsBefore {
				t.Errorf("the import enqueued %d jobs (deliveries or e-mail)", got-jobsBefore)
			}

			// The page shows the post, its described image, the link and
			// where it came from; the held-back image nowhere public.
			ms, err := srv.App.Posts.Media(ctx, markt)
			if err != nil {
				t.Fatal(err)
			}
			shown, held := ms[markt.Attachments[0].MediaID].Variant("medium").Key, ms[markt.Attachments[1].MediaID].Variant("medium").Key
			heldLarge := ms[markt.Attachments[1].MediaID].Variant("large").Key
			srv.WaitFresh(t)
			_, page := srv.Get(t, "/@loye")
			for _, want := range []string{shown, "imported from Facebook", `href="https://example.org/brug"`, "Løye"} {
				if !strings.Contains(string(page), want) && !strings.Contains(string(page), strings.ReplaceAll(want, "imported from Facebook", "geïmporteerd van Facebook")) {
					t.Errorf("the page lacks %q", want)
				}
			}
			publicHas := func(key string) []string {
				var where []string
				for _, p := range []struct{ path, accept string }{{"/@loye", ""}, {"/@loye/" + markt.ID, ""}, {"/@loye/feed.atom", ""},
					{"/@loye/feed.json", ""}, {"/@loye/" + markt.ID, "application/activity+json"}, {"/orgs/" + o.ID + "/outbox?page=true", "application/activity+json"}} {
					var h []string
					if p.accept != "" {
						h = []string{"Accept", p.accept}
					}
					_, body := srv.Get(t, p.path, h...)
					if strings.Contains(string(body), key) {
						where = append(where, p.path+" "+p.accept)
					}
				}
				return where
			}
			if where := append(publicHas(held), publicHas(heldLarge)...); len(where) > 0 {
				t.Errorf("the image without a description is public on %v", where)
			}

			// Describing it shows it; nothing is announced.
			in.ok("post", "describe", markt.ID, "--image", "2", "--alt", "Kramen met groente")
			srv.WaitFresh(t)
			if where := publicHas(heldLarge); len(where) == 0 {
				t.Error("the described image is still hidden")
			}
			if got := jobTotal(t, srv); got != jobsBefore {
				t.Errorf("describing enqueued %d jobs", got-jobsBefore)
			}
			fails(t, in.run("", "post", "describe", markt.ID, "--image", "1", "--alt", "Opnieuw"), ExitFailure, "has a description already")

			// Again: nothing new, from the zip or the folder alike.
			again := in.ok("import", "facebook", "--org", "loye", dir)
			if !strings.Contains(again, "7 found, 0 imported, 5 imported before") {
				t.Errorf("second run:\n%s", again)
			}
			if posts, err := srv.App.Posts.List(ctx, o.ID); err != nil || len(posts) != 6 {
				t.Errorf("after the second run %d posts, %v", len(posts), err)
			}
			log := in.ok("org", "log", "--org", "loye")
			if !strings.Contains(log, "imported a Facebook export") || !strings.Contains(log, "imported the post") {
				t.Errorf("audit log:\n%s", log)
			}
		})
	}
}

// jobTotal counts the durable jobs that announce a post to followers or
// send it to subscribers, read from River's table in the database.
func jobTotal(t *testing.T, srv *pleintest.Server) int64 {
	t.Helper()
	driver, source := "sqlite", "file:"+srv.Conf.SQLitePath()+"?mode=ro&_pragma=busy_timeout(5000)"
	if srv.Conf.Database != "" {
		driver, source = "pgx", srv.Conf.Database
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind IN ('post_federate', 'post_mail')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, fmt.Sprintf("%q", k))
	}
	return out
}
