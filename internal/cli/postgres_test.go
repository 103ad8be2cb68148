package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"plein/internal/store/storetest"
)

// TestPostgres runs the common path on PostgreSQL: migrate, an
// organisation, a post with an image, an edit and the list.
func TestPostgres(t *testing.T) {
	t.Parallel()
	in := &inst{t: t, data: t.TempDir(), db: storetest.NewPostgresDatabase(t)}
	if out := in.ok("migrate"); !strings.Contains(out, "engine postgres") {
		t.Errorf("migrate: %q", out)
	}
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	fails(t, in.run("", "org", "create", "--handle", "demo", "--name", "Again"), ExitFailure, `handle: the handle "demo" is already taken`)
	id := postID(t, in.ok("post", "create", "--org", "demo", "--text", "Hallo", "--image", writePNG(t, "a.png"), "--alt", "Een grijs vlak"))
	in.ok("post", "edit", id, "--text", "Hallo, bijgewerkt")
	in.ok("org", "update", "--org", "demo", "--header", writePNG(t, "b.png"), "--header-alt", "Een grijs vlak met een rode stip")
	list := in.ok("post", "list", "--org", "demo")
	if !strings.Contains(list, id+"  published") || !strings.Contains(list, "Hallo, bijgewerkt") {
		t.Errorf("post list:\n%s", list)
	}
	out := filepath.Join(t.TempDir(), "backup.tar.gz")
	fails(t, in.run("", "backup", "--out", out), ExitFailure,
		"plein backup copies only the embedded database and local media, and this installation keeps its data in PostgreSQL: back it up with pg_dump")
	if _, err := os.Stat(out); err == nil {
		t.Error("backup wrote a file for PostgreSQL")
	}
	app := in.openApp()
	if app.Store.Engine() != "postgres" {
		t.Fatalf("engine %s", app.Store.Engine())
	}
	p, err := app.Posts.Get(context.Background(), id)
	if err != nil || p.Revisions != 2 || len(p.Attachments) != 1 {
		t.Errorf("stored post: %+v, %v", p, err)
	}
	o, err := app.Orgs.ByHandle(context.Background(), "demo")
	if err != nil || o.HeaderID == "" || o.HeaderAlt != "Een grijs vlak met een rode stip" {
		t.Errorf("stored header: %+v, %v", o, err)
	}
}
