package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/pleintest"
	"plein/internal/server"
	"plein/internal/store/storetest"
)

// TestMain keeps the developer's PLEIN_* variables out of the tests.
func TestMain(m *testing.M) {
	if mainAsPlein() {
		return
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "PLEIN_") && name != "PLEIN_TEST_POSTGRES" {
			os.Unsetenv(name)
		}
	}
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
}

// plein runs the command line in-process with stdin as standard input.
func plein(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Main(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// inst is an installation in a temporary folder, or on a database URL.
type inst struct {
	t        *testing.T
	data, db string
}

// newInst returns an installation with an empty database in a temporary
// folder.
func newInst(t *testing.T) *inst {
	t.Helper()
	in := &inst{t: t, data: t.TempDir()}
	in.ok("migrate")
	return in
}

// run runs a command on the installation; the data flags go last, which
// also checks that flags may follow positional arguments.
func (in *inst) run(stdin string, args ...string) result {
	in.t.Helper()
	args = append(append([]string(nil), args...), "--data", in.data)
	if in.db != "" {
		args = append(args, "--database", in.db)
	}
	return plein(in.t, stdin, args...)
}

// ok runs a command that must succeed and returns its output.
func (in *inst) ok(args ...string) string {
	in.t.Helper()
	r := in.run("", args...)
	if r.code != 0 {
		in.t.Fatalf("plein %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// fails checks that r failed with code and one line on standard error
// containing want, and returns that line.
func fails(t *testing.T, r result, code int, want string) string {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "plein: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one line starting with \"plein: \": %q", r.stderr)
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not contain %q", r.stderr, want)
	}
	for _, leak := range []string{"goroutine ", "panic", "SQLSTATE", "sql: ", "constraint"} {
		if strings.Contains(r.stderr, leak) {
			t.Errorf("stderr leaks %q: %q", leak, r.stderr)
		}
	}
	return r.stderr
}

var idPattern = regexp.MustCompile(`\b[0-9a-z]{26}\b`)

// postID returns the post id in the output of post create.
func postID(t *testing.T, out string) string {
	t.Helper()
	id := idPattern.FindString(out)
	if id == "" {
		t.Fatalf("no post id in %q", out)
	}
	return id
}

// writePNG writes a small PNG image and returns its path.
func writePNG(t *testing.T, name string) string {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range m.Pix {
		m.Pix[i] = 200
	}
	m.Set(3, 3, color.RGBA{255, 0, 0, 255})
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, m); err != nil {
		t.Fatal(err)
	}
	return path
}

// openApp opens the installation directly, to check what the commands
// stored.
func (in *inst) openApp() *server.App {
	in.t.Helper()
	cfg := config.Default()
	cfg.DataDir, cfg.Database = in.data, in.db
	app, err := server.Open(context.Background(), cfg, server.Options{})
	if err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(func() { app.Close() })
	return app
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"group without subcommand", []string{"post"}, "post needs a subcommand"},
		{"unknown subcommand", []string{"org", "delete"}, `unknown command "org delete"; run 'plein help org'`},
		{"unknown flag", []string{"org", "list", "--colour"}, "org list: flag provided but not defined: -colour"},
		{"flag without value", []string{"org", "list", "--data=" + dir, "--database"}, "flag needs an argument: -database"},
		{"missing positional", []string{"post", "edit", "--text", "x"}, "post edit needs the post id"},
		{"extra positional", []string{"post", "pin", "a", "b"}, `unexpected argument "b"`},
		{"missing required flags", []string{"org", "create"}, "org create needs --handle and --name"},
		{"missing text", []string{"post", "create", "--org", "demo"}, "post create needs --text"},
		{"bad role", []string{"user", "add-to-org", "--email", "a@b.example", "--org", "x", "--role", "boss"}, `unknown role "boss"`},
		{"bad state", []string{"post", "list", "--org", "x", "--state", "gone"}, `--state "gone"`},
		{"bad link", []string{"org", "create", "--handle", "x", "--name", "X", "--link", "https://x.example"}, "must be Label=https://"},
		{"alt without image", []string{"post", "create", "--org", "x", "--text", "t", "--alt", "A"}, `--alt "A" has no --image`},
		{"header and no header", []string{"org", "update", "--org", "x", "--header", "h.png", "--header-alt", "A", "--no-header"}, "give --header or --no-header, not both"},
		{"header alt without header", []string{"org", "update", "--org", "x", "--header-alt", "A"}, `--header-alt "A" has no --header it describes`},
		{"draft and at", []string{"post", "create", "--org", "x", "--text", "t", "--draft", "--at", "2099-01-01 10:00"}, "--draft and --at exclude each other"},
		{"edit without change", []string{"post", "edit", "06h0fgd52hj3eqcakygt46wnrg"}, "nothing to change"},
		{"bad proxies", []string{"serve", "--trusted-proxies", "10.0.0.0/8,nonsense"}, `"nonsense" is not an address or CIDR`},
		{"bad addr", []string{"serve", "--addr", "nohost"}, `--addr "nohost" is not host:port`},
		{"bad database", []string{"org", "list", "--database", "mysql://x"}, "--database must be empty"},
		{"purge without yes", []string{"post", "purge", "06h0fgd52hj3eqcakygt46wnrg"}, "cannot be undone"},
		{"backup without out", []string{"backup"}, "backup needs --out"},
		{"restore without file", []string{"restore"}, "restore needs the backup file"},
		{"restore with two files", []string{"restore", "a.tar.gz", "b.tar.gz"}, `unexpected argument "b.tar.gz"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var args []string
			if len(tt.args) > 0 && tt.name != "flag without value" {
				args = append(append(args, tt.args...), "--data="+dir)
			} else {
				args = tt.args
			}
			r := plein(t, "", args...)
			fails(t, r, ExitUsage, tt.want)
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
	// A usage error before the database is opened creates nothing.
	if _, err := os.Stat(filepath.Join(dir, "plein.db")); err == nil {
		t.Error("a usage error created the database")
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"Usage: plein <command>", "post purge", "user add-to-org", "PLEIN_DATABASE"}},
		{[]string{"-h"}, []string{"Usage: plein <command>"}},
		{[]string{"--help"}, []string{"Usage: plein <command>"}},
		{[]string{"help", "post"}, []string{"Usage: plein post <subcommand>", "unpin"}},
		{[]string{"post", "-h"}, []string{"Usage: plein post <subcommand>"}},
		{[]string{"help", "post", "create"}, []string{"Usage: plein post create", "--image file", "--alt text", "--as address", "(default \"plein-data\")"}},
		{[]string{"post", "create", "-h"}, []string{"Usage: plein post create", "--text string"}},
		{[]string{"serve", "--help"}, []string{"Usage: plein serve", "PLEIN_ADDR", "PLEIN_ADDR_FILE", "PLEIN_METRICS_ADDR_FILE", "plein: listening on http://", "plein: metrics on http://", "PLEIN_BASE_URL", "PLEIN_TRUSTED_PROXIES", "PLEIN_DEMO", "(default \"127.0.0.1:8080\")"}},
		{[]string{"post", "purge", "-h"}, []string{"cannot be undone", "--yes"}},
		{[]string{"help"}, []string{"backup", "write a backup", "restore", "restore a backup"}},
		{[]string{"backup", "-h"}, []string{"Usage: plein backup --out FILE", "pg_dump", "--out file", "--data"}},
		{[]string{"restore", "-h"}, []string{"Usage: plein restore FILE --data DIR", "must not exist or be empty", "--data folder"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := plein(t, "", tt.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("help does not contain %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	r := plein(t, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "plein dev\n") || !strings.Contains(r.stdout, "built with go") {
		t.Fatalf("version: exit %d, %q", r.code, r.stdout)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	for range 2 {
		out := in.ok("migrate")
		if !strings.Contains(out, "engine sqlite") || !strings.Contains(out, "schema is current") {
			t.Fatalf("migrate: %q", out)
		}
	}
}

func TestOrgs(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	out := in.ok("org", "create", "--handle", "demodorp", "--name", "Gemeente Demodorp", "--description", "Nieuws.",
		"--lang", "nl", "--timezone", "Europe/Amsterdam", "--link", "Website=https://www.demodorp.example/", "--link", "Contact=https://www.demodorp.example/contact")
	if !strings.Contains(out, "created organisation @demodorp (Gemeente Demodorp)") || !strings.Contains(out, "/@demodorp") {
		t.Errorf("org create: %q", out)
	}
	in.ok("org", "create", "--handle", "@Waterschap", "--name", "Waterschap Rivierland", "--lang", "en")

	t.Run("duplicate handle", func(t *testing.T) {
		fails(t, in.run("", "org", "create", "--handle", "demodorp", "--name", "Other"), ExitFailure, `handle: the handle "demodorp" is already taken`)
	})
	t.Run("invalid values", func(t *testing.T) {
		fails(t, in.run("", "org", "create", "--handle", "Bad Handle!", "--name", "X"), ExitFailure, "handle: ")
		fails(t, in.run("", "org", "create", "--handle", "admin", "--name", "X"), ExitFailure, `"admin" is reserved`)
		fails(t, in.run("", "org", "create", "--handle", "x", "--name", "X", "--timezone", "Mars/Olympus"), ExitFailure, "timezone: ")
		fails(t, in.run("", "org", "create", "--handle", "x", "--name", "X", "--link", "Site=ftp://x"), ExitFailure, "links: ")
	})

	list := in.ok("org", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "HANDLE") || !strings.Contains(lines[0], "LANGUAGE") {
		t.Fatalf("org list:\n%s", list)
	}
	if !regexp.MustCompile(`@demodorp\s+Gemeente Demodorp\s+nl\s+[0-9a-z]{26}`).MatchString(list) ||
		!regexp.MustCompile(`@waterschap\s+Waterschap Rivierland\s+en\s+[0-9a-z]{26}`).MatchString(list) {
		t.Errorf("org list lacks a row:\n%s", list)
	}

	out = in.ok("org", "rename", "--org", "demodorp", "--to", "demo-dorp")
	if !strings.Contains(out, "renamed @demodorp to @demo-dorp") {
		t.Errorf("org rename: %q", out)
	}
	if list := in.ok("org", "list"); !strings.Contains(list, "@demo-dorp ") || strings.Contains(list, "@demodorp ") {
		t.Errorf("org list after rename:\n%s", list)
	}
	if out := in.ok("post", "list", "--org", "@Demo-Dorp"); out != "@demo-dorp has no posts\n" {
		t.Errorf("post list --org @Demo-Dorp: %q", out)
	}
	// The old handle still finds the organisation, with a note.
	r := in.run("", "post", "list", "--org", "demodorp")
	if r.code != 0 || !strings.Contains(r.stdout, "@demo-dorp has no posts") || !strings.Contains(r.stderr, "@demodorp is now @demo-dorp") {
		t.Errorf("old handle: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	t.Run("old handle cannot be taken", func(t *testing.T) {
		fails(t, in.run("", "org", "rename", "--org", "waterschap", "--to", "demodorp"), ExitFailure, "handle: ")
	})
	t.Run("unknown handle", func(t *testing.T) {
		fails(t, in.run("", "org", "rename", "--org", "nergens", "--to", "ergens"), ExitFailure, `no organisation has the handle "nergens"`)
		fails(t, in.run("", "post", "list", "--org", "nergens"), ExitFailure, `no organisation has the handle "nergens"`)
		fails(t, in.run("", "post", "create", "--org", "nergens", "--text", "x"), ExitFailure, `no organisation has the handle "nergens"`)
	})
}

func TestUsers(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Demo")
	out := in.ok("user", "create", "--email", "Beheer@Demo.example", "--name", "Beheer", "--admin")
	pw := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if !strings.Contains(out, "created instance administrator beheer@demo.example") || pw == nil || len(pw[1]) < 20 {
		t.Fatalf("user create: %q", out)
	}
	out = in.ok("user", "create", "--email", "redactie@demo.example", "--password", "correct horse battery")
	if strings.Contains(out, "password") {
		t.Errorf("a given password is printed: %q", out)
	}
	fails(t, in.run("", "user", "create", "--email", "redactie@demo.example"), ExitFailure, "email: an account with e-mail address redactie@demo.example already exists")
	fails(t, in.run("", "user", "create", "--email", "not an address"), ExitFailure, "email: ")
	fails(t, in.run("", "user", "create", "--email", "kort@demo.example", "--password", "short"), ExitFailure, "password: must be 12 to 256 characters long")

	out = in.ok("user", "add-to-org", "--email", "redactie@demo.example", "--org", "demo", "--role", "editor")
	if out != "redactie@demo.example is now editor of @demo\n" {
		t.Errorf("add-to-org: %q", out)
	}
	fails(t, in.run("", "user", "add-to-org", "--email", "niemand@demo.example", "--org", "demo", "--role", "editor"), ExitFailure, "no staff account")

	list := in.ok("user", "list")
	if !regexp.MustCompile(`beheer@demo.example\s+Beheer\s+yes`).MatchString(list) ||
		!regexp.MustCompile(`redactie@demo.example\s+editor @demo`).MatchString(list) {
		t.Errorf("user list:\n%s", list)
	}

	out = in.ok("user", "reset-password", "--email", "redactie@demo.example")
	npw := regexp.MustCompile(`new password for redactie@demo.example: (\S+)`).FindStringSubmatch(out)
	if npw == nil {
		t.Fatalf("reset-password: %q", out)
	}
	app := in.openApp()
	if _, err := app.Auth.Authenticate(context.Background(), "redactie@demo.example", npw[1]); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if _, err := app.Auth.Authenticate(context.Background(), "redactie@demo.example", "correct horse battery"); err == nil {
		t.Error("the old password still works")
	}
	// Accounts the operator creates, and passwords the operator resets,
	// are replaced by their owners at the next log-in.
	for _, email := range []string{"beheer@demo.example", "redactie@demo.example"} {
		if u, err := app.Auth.User(context.Background(), email); err != nil || !u.MustChangePassword {
			t.Errorf("%s need not choose its own password: %+v %v", email, u, err)
		}
	}
}

func TestPosts(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	photo := writePNG(t, "dijk.png")
	notImage := filepath.Join(t.TempDir(), "notulen.txt")
	if err := os.WriteFile(notImage, []byte("Notulen van de raadsvergadering\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("refused posts store nothing", func(t *testing.T) {
		tests := []struct {
			name  string
			stdin string
			args  []string
			code  int
			want  string
		}{
			{"image without alt", "", []string{"--text", "Hoogwater", "--image", photo}, ExitFailure, "alt: " + photo + " has no --alt"},
			{"second image without alt", "", []string{"--text", "x", "--image", photo, "--alt", "Dijk", "--image", notImage}, ExitFailure, notImage + " has no --alt"},
			{"empty alt", "", []string{"--text", "x", "--image", photo, "--alt", " "}, ExitFailure, "has no alt text"},
			{"not an image", "", []string{"--text", "x", "--image", notImage, "--alt", "Notulen"}, ExitFailure, "image: " + notImage + " is not an image Plein can read (PNG, JPEG, GIF or WebP)"},
			{"missing file", "", []string{"--text", "x", "--image", "/nonexistent/a.png", "--alt", "A"}, ExitFailure, "image: cannot read /nonexistent/a.png: no such file or directory"},
			{"oversized text", strings.Repeat("é", 10001), []string{"--text", "-"}, ExitFailure, "text: the text is 10001 characters long; the limit is 10000"},
			{"empty text", "  \n", []string{"--text", "-"}, ExitFailure, "text: a post needs text"},
			{"past time", "", []string{"--text", "x", "--at", "2020-01-01 10:00"}, ExitFailure, "at: 1 January 2020, 10:00 is in the past"},
			{"unreadable time", "", []string{"--text", "x", "--at", "morgen"}, ExitUsage, `--at "morgen" is not a time`},
			{"bad language", "", []string{"--text", "x", "--lang", "not a language"}, ExitFailure, "language: "},
			{"unknown --as", "", []string{"--text", "x", "--as", "niemand@demo.example"}, ExitFailure, `as: no staff account with e-mail address "niemand@demo.example"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fails(t, in.run(tt.stdin, append([]string{"post", "create", "--org", "demo"}, tt.args...)...), tt.code, tt.want)
			})
		}
		if out := in.ok("post", "list", "--org", "demo"); out != "@demo has no posts\n" {
			t.Errorf("post list after refusals: %q", out)
		}
		entries, err := os.ReadDir(filepath.Join(in.data, "media"))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("refused posts left %d media entries", len(entries))
		}
	})

	app := in.openApp()
	ctx := context.Background()

	out := in.ok("post", "create", "--org", "demo", "--text", "**Hoogwater**\n\nDe dijk is veilig.", "--summary", "Hoogwater",
		"--image", photo, "--alt", "De dijk bij hoogwater")
	id := postID(t, out)
	if !strings.Contains(out, "published post "+id+": "+app.BaseURL+"/@demo/"+id) {
		t.Errorf("post create: %q", out)
	}
	p, err := app.Posts.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary != "Hoogwater" || p.Language != "nl" || len(p.Attachments) != 1 || p.Attachments[0].Alt != "De dijk bij hoogwater" {
		t.Errorf("stored post: %+v", p)
	}

	t.Run("text from stdin", func(t *testing.T) {
		r := in.run("Uit *standaardinvoer*\r\n", "post", "create", "--org", "demo", "--text", "-", "--lang", "en")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		p, err := app.Posts.Get(ctx, postID(t, r.stdout))
		if err != nil || p.Text != "Uit *standaardinvoer*" || p.Language != "en" {
			t.Errorf("post from stdin: %+v, %v", p, err)
		}
	})

	t.Run("edit keeps a revision and the images", func(t *testing.T) {
		second := writePNG(t, "kaart.png")
		out := in.ok("post", "edit", id, "--text", "**Hoogwater**\n\nUpdate: het water zakt.", "--image", second, "--alt", "Kaart van de uiterwaarden")
		if !strings.Contains(out, "edited post "+id+" (revision 2)") {
			t.Errorf("post edit: %q", out)
		}
		p, err := app.Posts.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Text != "**Hoogwater**\n\nUpdate: het water zakt." || p.Summary != "Hoogwater" || p.Revisions != 2 {
			t.Errorf("edited post: %+v", p)
		}
		if len(p.Attachments) != 2 || p.Attachments[0].Alt != "De dijk bij hoogwater" || p.Attachments[1].Alt != "Kaart van de uiterwaarden" {
			t.Errorf("attachments after edit: %+v", p.Attachments)
		}
		revs, err := app.Store.Revisions(ctx, id)
		if err != nil || len(revs) != 2 || revs[0].Text != "**Hoogwater**\n\nDe dijk is veilig." {
			t.Errorf("revisions: %+v, %v", revs, err)
		}
		// Only the summary changes; the text stays.
		in.ok("post", "edit", id, "--summary", "")
		if p, _ := app.Posts.Get(ctx, id); p.Summary != "" || p.Text != "**Hoogwater**\n\nUpdate: het water zakt." || p.Revisions != 3 {
			t.Errorf("after removing the summary: %+v", p)
		}
	})

	t.Run("draft, schedule, publish", func(t *testing.T) {
		draft := postID(t, in.ok("post", "create", "--org", "demo", "--text", "Concept", "--draft"))
		later := time.Now().Add(48 * time.Hour).In(mustLoc(t, "Europe/Amsterdam")).Format("2006-01-02 15:04")
		out := in.ok("post", "publish", draft, "--at", later)
		if !strings.Contains(out, "scheduled post "+draft+" for "+later+" (Europe/Amsterdam)") {
			t.Errorf("publish --at: %q", out)
		}
		list := in.ok("post", "list", "--org", "demo", "--state", "scheduled")
		if !regexp.MustCompile(draft + `\s+scheduled\s+` + later + `\s+Concept`).MatchString(list) {
			t.Errorf("scheduled list:\n%s", list)
		}
		if out := in.ok("post", "publish", draft); !strings.Contains(out, "published post "+draft) {
			t.Errorf("publish: %q", out)
		}
		fails(t, in.run("", "post", "publish", draft), ExitFailure, "post: only drafts and scheduled posts can be published")
	})

	t.Run("pin and unpin", func(t *testing.T) {
		in.ok("post", "pin", id)
		if !regexp.MustCompile(id + `\s+published\s+\S+ \S+\s+pinned\s+\*\*Hoogwater\*\*`).MatchString(in.ok("post", "list", "--org", "demo")) {
			t.Error("post list does not show the pinned post")
		}
		in.ok("post", "unpin", id)
		if p, _ := app.Posts.Get(ctx, id); p.Pinned {
			t.Error("still pinned after unpin")
		}
	})

	t.Run("roles with --as", func(t *testing.T) {
		in.ok("user", "create", "--email", "analist@demo.example", "--password", "analist-wachtwoord")
		in.ok("user", "add-to-org", "--email", "analist@demo.example", "--org", "demo", "--role", "analyst")
		in.ok("user", "create", "--email", "redactie@demo.example", "--password", "redactie-wachtwoord")
		in.ok("user", "add-to-org", "--email", "redactie@demo.example", "--org", "demo", "--role", "editor")

		fails(t, in.run("", "post", "create", "--org", "demo", "--text", "x", "--as", "analist@demo.example"),
			ExitFailure, "analist@demo.example may not write posts of @demo: the account's role does not allow it")
		fails(t, in.run("", "post", "delete", id, "--as", "analist@demo.example"), ExitFailure, "analist@demo.example may not delete posts of @demo")
		fails(t, in.run("", "post", "edit", id, "--text", "y", "--as", "analist@demo.example"), ExitFailure, "may not edit posts of @demo")

		out := in.ok("post", "create", "--org", "demo", "--text", "Van de redactie", "--as", "redactie@demo.example")
		revs, err := app.Store.Revisions(ctx, postID(t, out))
		if err != nil || len(revs) != 1 || revs[0].EditorID == "" {
			t.Errorf("revision by --as: %+v, %v", revs, err)
		}
		fails(t, in.run("", "post", "purge", id, "--yes", "--as", "redactie@demo.example"),
			ExitFailure, "redactie@demo.example may not purge posts (only instance administrators may)")
	})

	t.Run("delete and purge", func(t *testing.T) {
		victim := postID(t, in.ok("post", "create", "--org", "demo", "--text", "Per ongeluk gepubliceerd", "--image", photo, "--alt", "Foto"))
		out := in.ok("post", "delete", victim)
		if !strings.Contains(out, "post "+victim+" deleted") {
			t.Errorf("delete: %q", out)
		}
		if list := in.ok("post", "list", "--org", "demo", "--state", "published"); strings.Contains(list, victim) {
			t.Error("a deleted post is listed as published")
		}
		if list := in.ok("post", "list", "--org", "demo", "--state", "deleted"); !strings.Contains(list, victim+"  deleted") {
			t.Errorf("deleted list:\n%s", list)
		}
		fails(t, in.run("", "post", "delete", victim), ExitFailure, "post: the post is already deleted")

		fails(t, in.run("", "post", "purge", victim), ExitUsage, "purge removes the post, every revision of its edit history and its images for good")
		if _, err := app.Posts.Get(ctx, victim); err != nil {
			t.Fatalf("purge without --yes removed the post: %v", err)
		}
		if out := in.ok("post", "purge", victim, "--yes"); !strings.Contains(out, "post "+victim+" purged") {
			t.Errorf("purge: %q", out)
		}
		if _, err := app.Posts.Get(ctx, victim); err == nil {
			t.Error("the purged post still exists")
		}
		fails(t, in.run("", "post", "pin", victim), ExitFailure, `no post has the id "`+victim+`"`)
	})

	t.Run("unknown post", func(t *testing.T) {
		for _, cmd := range []string{"pin", "unpin", "delete", "publish"} {
			fails(t, in.run("", "post", cmd, "06h0fgd52hj3eqcakygt46wnrg"), ExitFailure, `no post has the id "06h0fgd52hj3eqcakygt46wnrg"`)
		}
		fails(t, in.run("", "post", "edit", "not-an-id", "--text", "x"), ExitFailure, `no post has the id "not-an-id"`)
		fails(t, in.run("", "post", "purge", "not-an-id", "--yes"), ExitFailure, `no post has the id "not-an-id"`)
	})

	t.Run("bad time", func(t *testing.T) {
		fails(t, in.run("", "post", "publish", id, "--at", "2030-13-45"), ExitUsage, "(Europe/Amsterdam)")
	})
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestUnreachablePostgres(t *testing.T) {
	t.Parallel()
	start := time.Now()
	r := plein(t, "", "org", "list", "--data", t.TempDir(), "--database", "postgres://postgres@127.0.0.1:1/x")
	fails(t, r, ExitFailure, "cannot reach")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to give up", d)
	}
}

// TestPostgresRefusesTheConfiguration tells a server that lacks the named
// database, or refuses the named user, apart from one that cannot be
// reached, and never repeats the database URL, which may hold a password.
func TestPostgresRefusesTheConfiguration(t *testing.T) {
	e := storetest.Engines()[1]
	if e.Name != "postgres" {
		t.Fatalf("engine %s, want postgres", e.Name)
	}
	server, err := url.Parse(e.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, user, database, want string
	}{
		{"no such database", "postgres", "geen_plein_database", "has no database of the name --database gives"},
		{"no such user", "geen_plein_gebruiker", "postgres", "refused the user or password --database gives"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := *server
			u.User = url.UserPassword(tc.user, "geheim-wachtwoord")
			u.Path = "/" + tc.database
			r := plein(t, "", "org", "list", "--data", t.TempDir(), "--database", u.String())
			fails(t, r, ExitFailure, tc.want)
			for _, leak := range []string{"geheim-wachtwoord", "cannot reach"} {
				if strings.Contains(r.stderr, leak) {
					t.Errorf("stderr %q contains %q", r.stderr, leak)
				}
			}
		})
	}
}

func TestEnvironment(t *testing.T) {
	envData := newInst(t).data
	flagData := newInst(t).data
	t.Setenv("PLEIN_DATA", envData)
	if r := plein(t, "", "org", "create", "--handle", "uitenv", "--name", "Uit de omgeving"); r.code != 0 {
		t.Fatalf("org create with PLEIN_DATA: %d %s", r.code, r.stderr)
	}
	if r := plein(t, "", "org", "list"); r.code != 0 || !strings.Contains(r.stdout, "uitenv") {
		t.Errorf("PLEIN_DATA not used: %q %q", r.stdout, r.stderr)
	}
	// The flag wins over the variable.
	if r := plein(t, "", "org", "list", "--data", flagData); r.code != 0 || strings.Contains(r.stdout, "uitenv") {
		t.Errorf("--data did not win over PLEIN_DATA: %q", r.stdout)
	}
	t.Setenv("PLEIN_DATABASE", "postgres://postgres@127.0.0.1:1/x")
	fails(t, plein(t, "", "org", "list", "--data", flagData), ExitFailure, "cannot reach")
	t.Setenv("PLEIN_DATABASE", "")

	t.Setenv("PLEIN_ADDR", "nohost")
	fails(t, plein(t, "", "serve"), ExitUsage, `--addr "nohost" is not host:port`)
	t.Setenv("PLEIN_ADDR", "")
	t.Setenv("PLEIN_DEMO", "maybe")
	fails(t, plein(t, "", "serve"), ExitUsage, `PLEIN_DEMO="maybe"`)
	t.Setenv("PLEIN_DEMO", "")
	t.Setenv("PLEIN_TRUSTED_PROXIES", "everyone")
	fails(t, plein(t, "", "serve"), ExitUsage, "--trusted-proxies")
	t.Setenv("PLEIN_TRUSTED_PROXIES", "")
	t.Setenv("PLEIN_BASE_URL", "ftp://x")
	fails(t, plein(t, "", "serve"), ExitUsage, "--base-url")
}

// cancelOn is a writer that cancels a context once the output contains a
// marker, so that a server stops as soon as it has started.
type cancelOn struct {
	mu     sync.Mutex
	b      strings.Builder
	marker string
	cancel context.CancelFunc
}

func (w *cancelOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.marker) {
		w.cancel()
	}
	return len(p), nil
}

func (w *cancelOn) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// serve runs plein serve on a free port until it has printed its address.
func serve(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // seeding is slow under -race
	defer cancel()
	stdout := &cancelOn{marker: "plein: listening on ", cancel: cancel}
	var stderr strings.Builder
	code := Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestServeDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errOut := serve(t, "--demo", "--data", dir, "--base-url", "https://plein.example.nl")
	if code != 0 {
		t.Fatalf("serve --demo: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Created the demo organisation https://plein.example.nl/@demo", "admin@demo.invalid", "redactie@demo.invalid",
		"Plein serves https://plein.example.nl (sqlite)"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --demo output lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = serve(t, "--demo", "--data", dir)
	if code != 0 {
		t.Fatalf("second serve --demo: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "admin@demo.invalid") || !strings.Contains(out, "already has an organisation") {
		t.Errorf("second serve --demo:\n%s", out)
	}
	if !strings.Contains(out, "Plein serves https://plein.example.nl ") {
		t.Errorf("the stored base URL is not used:\n%s", out)
	}
}

var (
	listening = regexp.MustCompile(`(?m)^plein: listening on http://(127\.0\.0\.1:([0-9]+))$`)
	metricsOn = regexp.MustCompile(`(?m)^plein: metrics on http://(127\.0\.0\.1:([0-9]+))$`)
)

// TestServeOnFreePort starts serve and its metrics on port 0: it reports
// the ports it took on standard output and in the address files, and the
// public URL stored on the first start has the port of --addr.
func TestServeOnFreePort(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := t.TempDir()
	addrFile, metricsFile := filepath.Join(files, "addr"), filepath.Join(files, "metrics-addr")
	code, out, errOut := serve(t, "--data", dir, "--addr-file", addrFile, "--metrics-addr", "127.0.0.1:0", "--metrics-addr-file", metricsFile)
	if code != 0 {
		t.Fatalf("serve: exit %d\n%s\n%s", code, out, errOut)
	}
	m, mm := listening.FindStringSubmatch(out), metricsOn.FindStringSubmatch(out)
	if m == nil || m[2] == "0" || mm == nil || mm[2] == "0" || m[1] == mm[1] {
		t.Fatalf("serve does not report the ports it took:\n%s", out)
	}
	for file, want := range map[string]string{addrFile: m[1] + "\n", metricsFile: mm[1] + "\n"} {
		if written, err := os.ReadFile(file); err != nil || string(written) != want {
			t.Errorf("%s holds %q (%v), want %q", filepath.Base(file), written, err, want)
		}
	}
	if want := "Plein serves http://" + m[1] + " (sqlite)"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	if entries, _ := os.ReadDir(files); len(entries) != 2 {
		t.Errorf("the address files' folder holds %d entries, want only the two files", len(entries))
	}
	if got := (&inst{t: t, data: dir}).openApp().BaseURL; got != "http://"+m[1] {
		t.Errorf("stored public URL %q, want the bound address http://%s", got, m[1])
	}
}

// TestServeAddrFileFromEnvironment reads --addr-file from PLEIN_ADDR_FILE.
func TestServeAddrFileFromEnvironment(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	t.Setenv("PLEIN_ADDR_FILE", addrFile)
	code, out, errOut := serve(t, "--data", t.TempDir(), "--base-url", "https://plein.example.nl")
	if code != 0 {
		t.Fatalf("serve: exit %d\n%s\n%s", code, out, errOut)
	}
	m := listening.FindStringSubmatch(out)
	if written, err := os.ReadFile(addrFile); m == nil || err != nil || string(written) != m[1]+"\n" {
		t.Errorf("address file holds %q (%v); serve printed:\n%s", written, err, out)
	}
}

func TestServeAddressInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := plein(t, "", "serve", "--data", t.TempDir(), "--addr", ln.Addr().String())
	fails(t, r, ExitFailure, "cannot listen on "+ln.Addr().String()+" (--addr): bind: address already in use")
}

func TestServeMetricsAddrFileNeedsMetricsAddr(t *testing.T) {
	t.Parallel()
	r := plein(t, "", "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr-file", filepath.Join(t.TempDir(), "addr"))
	fails(t, r, ExitUsage, "--metrics-addr-file needs --metrics-addr")
}

func TestServeAddrFileNotWritable(t *testing.T) {
	t.Parallel()
	r := plein(t, "", "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--addr-file", filepath.Join(t.TempDir(), "missing", "addr"))
	fails(t, r, ExitFailure, "cannot write the address to --addr-file")
}

// TestServeDataFolderInUse starts a second plein serve on the data folder
// of one that runs: it refuses, saying why, rather than work the same jobs.
func TestServeDataFolderInUse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out cancelOn // never matches: it only collects the output
	out.cancel = func() {}
	out.marker = "\x00"
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--drain-delay", "0"}, strings.NewReader(""), &out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("the first serve exited with %d:\n%s", code, out.String())
		}
	})
	// Ready: the first serve has started its jobs and holds the folder.
	pleintest.Eventually(t, 2*time.Minute, func() error {
		m := listening.FindStringSubmatch(out.String())
		if m == nil {
			return errors.New("not listening yet")
		}
		resp, err := http.Get("http://" + m[1] + "/readyz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/readyz: %d", resp.StatusCode)
		}
		return nil
	})
	r := plein(t, "", "serve", "--data", dir, "--addr", "127.0.0.1:0")
	fails(t, r, ExitFailure, "another plein serve uses the database in "+dir)
}
