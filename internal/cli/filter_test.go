package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/server"
	"plein/internal/store"
)

// realisticBlocklist is a blocklist as Mastodon's admin export writes it
// (Moderation › Federation › Export), with a line whose severity is not
// one, an obfuscated domain, a no-op, and a comment with a comma.
const realisticBlocklist = `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
spam.example,suspend,true,true,Spam and scams,false
loud.example,silence,false,false,"Harassment, repeatedly",false
bad.example,banish,false,false,,false
ha**ss.example,suspend,true,true,Harassment,true
fine.example,noop,false,false,,false
`

func TestModerationImportBlocks(t *testing.T) {
	in := newInst(t)
	in.ok("org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	in.ok("user", "create", "--email", "redactie@ede.nl")
	in.ok("user", "add-to-org", "--email", "redactie@ede.nl", "--org", "ede", "--role", "editor")
	file := filepath.Join(t.TempDir(), "domain_blocks.csv")
	if err := os.WriteFile(file, []byte(realisticBlocklist), 0o600); err != nil {
		t.Fatal(err)
	}

	fails(t, in.run("", "moderation", "import-blocks", "--file", file, "--org", "ede", "--as", "redactie@ede.nl"), 1, "may not block servers")
	fails(t, in.run("", "moderation", "import-blocks", "--file", file), 2, "--org HANDLE or --instance")

	out := in.ok("moderation", "import-blocks", "--file", file, "--org", "ede")
	for _, want := range []string{"2 added, 2 skipped, 1 invalid", "line 2: added spam.example (suspend)",
		"line 3: added loud.example (hide-replies)", "line 4: invalid bad.example: unknown severity ‘banish’",
		"line 5: skipped ha**ss.example: domain obfuscated with *", "line 6: skipped fine.example: severity noop"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	out = in.ok("moderation", "blocks", "--org", "ede")
	if !strings.Contains(out, "spam.example") || !strings.Contains(out, "suspend") || !strings.Contains(out, "Spam and scams") ||
		!strings.Contains(out, "loud.example") || !strings.Contains(out, "hide-replies") || strings.Contains(out, "fine.example") {
		t.Errorf("blocks after import:\n%s", out)
	}

	// Again, and the older form on standard input: what is blocked is
	// skipped.
	if out := in.ok("moderation", "import-blocks", "--file", file, "--org", "ede"); !strings.Contains(out, "0 added, 4 skipped, 1 invalid") ||
		!strings.Contains(out, "line 2: skipped spam.example: blocked already") {
		t.Errorf("second import:\n%s", out)
	}
	r := in.run("spam.example\nnew.example\n", "moderation", "import-blocks", "--file", "-", "--instance")
	if r.code != 0 || !strings.Contains(r.stdout, "2 added, 0 skipped, 0 invalid") {
		t.Errorf("instance import from standard input: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if out := in.ok("moderation", "blocks", "--instance"); strings.Count(out, "suspend") != 2 {
		t.Errorf("instance blocks:\n%s", out)
	}

	// A block that only hides replies, by hand.
	if out := in.ok("moderation", "block", "quiet.example", "--org", "ede", "--mode", "hide-replies"); !strings.Contains(out, "hide-replies") {
		t.Errorf("block with a mode: %s", out)
	}
	fails(t, in.run("", "moderation", "block", "x.example", "--org", "ede", "--mode", "mute"), 2, "not a kind of block")
}

func TestModerationFilters(t *testing.T) {
	in := newInst(t)
	in.ok("org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	in.ok("user", "create", "--email", "moderator@ede.nl")
	in.ok("user", "add-to-org", "--email", "moderator@ede.nl", "--org", "ede", "--role", "moderator")

	fails(t, in.run("", "moderation", "filter", "add", "--org", "ede", "--phrase", "koop nu", "--action", "delete"), 2, "not a filter action")
	fails(t, in.run("", "moderation", "filter", "add", "--org", "ede", "--phrase", "koop nu", "--action", "refuse", "--as", "moderator@ede.nl"),
		1, "may not change the filters")
	fails(t, in.run("", "moderation", "filter", "add", "--org", "ede", "--phrase", strings.Repeat("x", 101), "--action", "hold"), 1, "limit is 100")
	out := in.ok("moderation", "filter", "add", "--org", "ede", "--phrase", "Koop  nu", "--action", "refuse")
	id := idPattern.FindString(out)
	if id == "" || !strings.Contains(out, `refuse "Koop nu"`) {
		t.Fatalf("add: %s", out)
	}
	fails(t, in.run("", "moderation", "filter", "add", "--org", "ede", "--phrase", "koop nu!", "--action", "hold"), 1, "already")
	in.ok("moderation", "filter", "add", "--org", "ede", "--phrase", "horloges", "--action", "hold")

	// A reply that a hold filter matched is flagged in the queue.
	postID := postID(t, in.ok("post", "create", "--org", "ede", "--text", "De markt is verplaatst."))
	cfg := config.Default()
	cfg.DataDir = in.data
	app, err := server.Open(context.Background(), cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := app.Posts.Get(ctx, postID)
	if err != nil {
		t.Fatal(err)
	}
	err = app.Store.InTx(ctx, func(tx store.Tx) error {
		r := &model.Reply{ID: "https://social.example/notes/1", PostID: postID, ActorID: "https://social.example/users/kim",
			ContentHTML: "<p>Mooie Horloges!</p>", State: model.ReplyPending, ReceivedAt: time.Now()}
		if err := tx.PutReply(ctx, r); err != nil {
			return err
		}
		return app.Moderation.ScreenReply(ctx, tx, r.ID, p)
	})
	app.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out := in.ok("reply", "list", "--org", "ede"); !strings.Contains(out, "FILTERS") || !strings.Contains(out, `"horloges"`) {
		t.Errorf("the queue does not flag the filter:\n%s", out)
	}

	r := in.run("", "moderation", "filter", "list", "--org", "ede", "--as", "moderator@ede.nl")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[1], id+" ") || !strings.Contains(lines[2], "horloges") {
		t.Fatalf("list: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	fails(t, in.run("", "moderation", "filter", "remove", id, "--as", "moderator@ede.nl"), 1, "may not change the filters")
	if out := in.ok("moderation", "filter", "remove", id); !strings.Contains(out, "removed filter "+id) {
		t.Errorf("remove: %s", out)
	}
	fails(t, in.run("", "moderation", "filter", "remove", id), 1, "no filter with id")
	if out := in.ok("org", "log", "--org", "ede"); !strings.Contains(out, "Koop nu") {
		t.Errorf("the audit log does not tell the filters:\n%s", out)
	}
}
