package cli

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestInboxTeam works an inbox on the command line on both engines:
// assigning only to colleagues who may read it, internal notes, the
// organisation's choice of who reads it, saved answers used for an
// answer, a complaint mark, and the .eml export with the question and its
// answer; every step is in the audit log.
func TestInboxTeam(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			in := &inst{t: t, data: t.TempDir()}
			if e.Name == "postgres" {
				in.db = storetest.NewPostgresDatabase(t)
			}
			in.ok("migrate")
			in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
			for email, role := range map[string]string{"mod@demo.example": "moderator", "red@demo.example": "editor"} {
				in.ok("user", "create", "--email", email)
				in.ok("user", "add-to-org", "--email", email, "--org", "demo", "--role", role)
			}
			app := in.openApp()
			ctx := context.Background()
			o, err := app.Orgs.ByHandle(ctx, "demo")
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			q := &model.Question{ID: model.NewID(now), OrgID: o.ID, Reference: "V-TEAM-0001", Topic: contact.TopicGeneral,
				ReplyTo: "anna@example.org", Text: "Mijn BSN is 111222333. Wanneer is de markt?", Lang: "nl",
				State: model.QuestionNew, ReceivedAt: now, UpdatedAt: now}
			if err := app.Store.CreateQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
			app.Close()

			fails(t, in.run("", "inbox", "assign", q.ID, "--to", "red@demo.example"), ExitFailure, "red@demo.example is not a colleague who may read the questions")
			fails(t, in.run("", "inbox", "assign", q.ID), ExitUsage, "needs --to ADDRESS")
			if out := in.ok("inbox", "assign", q.ID, "--to", "Mod@Demo.example", "--as", "mod@demo.example"); !strings.Contains(out, "assigned to mod@demo.example") {
				t.Errorf("assign: %s", out)
			}
			in.ok("inbox", "note", q.ID, "--text", "Bel eerst de marktmeester.", "--as", "mod@demo.example")
			fails(t, in.run("", "inbox", "note", q.ID, "--text", "x", "--as", "red@demo.example"), ExitFailure, "red@demo.example may not read this inbox")
			out := in.ok("inbox", "show", q.ID)
			for _, want := range []string{"Assigned:  mod@demo.example", "internal note by mod@demo.example", "(never sent)", "Bel eerst de marktmeester.", "in_progress"} {
				if !strings.Contains(out, want) {
					t.Errorf("show lacks %q:\n%s", want, out)
				}
			}

			// The organisation lets editors read the inbox; only an admin may.
			fails(t, in.run("", "inbox", "settings", "--org", "demo", "--readers", "editor", "--as", "mod@demo.example"), ExitFailure, "may not change the inbox settings")
			fails(t, in.run("", "inbox", "settings", "--org", "demo", "--readers", "boss"), ExitUsage, "use admin, editor, moderator or analyst")
			out = in.ok("inbox", "settings", "--org", "demo", "--readers", "editor", "--retain", "90d", "--notify", "false")
			if !strings.Contains(out, "readers:           admin, editor") || !strings.Contains(out, "retain questions:  90d") ||
				!strings.Contains(out, "retain complaints: 1825d (default)") || !strings.Contains(out, "notify the team:   false") {
				t.Errorf("settings:\n%s", out)
			}
			if out := in.ok("inbox", "list", "--org", "demo", "--as", "red@demo.example"); !strings.Contains(out, "mod@demo.example") {
				t.Errorf("inbox list lacks the assignee:\n%s", out)
			}
			fails(t, in.run("", "inbox", "list", "--org", "demo", "--as", "mod@demo.example"), ExitFailure, "may not read the inbox of @demo")

			out = in.ok("inbox", "saved", "add", "--org", "demo", "--title", "Markt", "--text", "De markt is op zaterdag van 9 tot 17 uur.")
			saved := regexp.MustCompile(`saved answer (\S+) `).FindStringSubmatch(out)
			if saved == nil {
				t.Fatalf("saved add: %s", out)
			}
			if out := in.ok("inbox", "saved", "list", "--org", "demo"); !strings.Contains(out, saved[1]) || !strings.Contains(out, "Markt") {
				t.Errorf("saved list:\n%s", out)
			}
			fails(t, in.run("", "inbox", "answer", q.ID, "--saved", saved[1], "--text", "x"), ExitUsage, "not both")
			in.ok("inbox", "answer", q.ID, "--saved", saved[1], "--as", "red@demo.example")
			in.ok("inbox", "complaint", q.ID)

			r := in.run("", "inbox", "export", q.ID, "--format", "eml")
			if r.code != 0 {
				t.Fatalf("export: %d %s", r.code, r.stderr)
			}
			m, err := mail.ReadMessage(strings.NewReader(r.stdout))
			if err != nil {
				t.Fatalf("export is not a message: %v\n%s", err, r.stdout)
			}
			body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Header.Get("Message-Id"); !strings.HasPrefix(got, "<question."+q.ID+"@") {
				t.Errorf("Message-ID %q", got)
			}
			if m.Header.Get("To") != "anna@example.org" || !strings.Contains(m.Header.Get("Subject"), "V-TEAM-0001") || m.Header.Get("Date") == "" {
				t.Errorf("headers %v", m.Header)
			}
			for _, want := range []string{"Referentienummer: V-TEAM-0001", "Klacht: ja", "Mijn BSN is •••••••••.", "De markt is op zaterdag van 9 tot 17 uur."} {
				if !bytes.Contains(body, []byte(want)) {
					t.Errorf("export lacks %q:\n%s", want, body)
				}
			}
			if bytes.Contains(body, []byte("111222333")) || bytes.Contains(body, []byte("marktmeester")) {
				t.Errorf("export holds the BSN or an internal note:\n%s", body)
			}
			fails(t, in.run("", "inbox", "export", q.ID, "--format", "pdf"), ExitUsage, `--format "pdf": use eml`)
			in.ok("inbox", "saved", "remove", saved[1], "--org", "demo")
			fails(t, in.run("", "inbox", "saved", "remove", saved[1], "--org", "demo"), ExitFailure, "has no saved answer with the id")

			app = in.openApp()
			defer app.Close()
			lines, err := app.Auth.AuditLines(ctx, auth.Operator(), o.ID, 20)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range lines {
				got = append(got, l.Sentence.In("en"))
			}
			all := strings.Join(got, "\n")
			for _, want := range []string{
				"removed the standard answer ‘Markt’",
				"exported question V-TEAM-0001",
				"marked question V-TEAM-0001 as a complaint",
				"answered question V-TEAM-0001 by e-mail",
				"saved the standard answer ‘Markt’",
				"changed the settings of the questions (read by: admin and editor)",
				"wrote an internal note on question V-TEAM-0001",
				"assigned question V-TEAM-0001 to",
			} {
				if !strings.Contains(all, want) {
					t.Errorf("audit log lacks %q:\n%s", want, all)
				}
			}
		})
	}
}
