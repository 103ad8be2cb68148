package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/server"
)

func TestReplyModerationAndExport(t *testing.T) {
	dir := newInst(t).data
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := Main(t.Context(), append(args, "--data", dir), strings.NewReader(""), &out, &errOut)
		if code != want {
			t.Fatalf("plein %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	run(0, "org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	out, _ := run(0, "post", "create", "--org", "ede", "--text", "De markt is verplaatst.")
	postID := strings.TrimSuffix(strings.Fields(out)[2], ":")
	run(0, "user", "create", "--email", "redactie@ede.nl")
	run(0, "user", "add-to-org", "--email", "redactie@ede.nl", "--org", "ede", "--role", "editor")

	cfg := config.Default()
	cfg.DataDir = dir
	app, err := server.Open(context.Background(), cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(app.Store.PutRemoteActor(context.Background(), &model.RemoteActor{ID: "https://social.example/users/kim",
		Inbox: "https://social.example/users/kim/inbox", Username: "kim", URL: "https://social.example/@kim", FetchedAt: time.Now()}))
	for _, n := range []string{"1", "2", "3"} {
		must(app.Store.PutReply(context.Background(), &model.Reply{ID: "https://social.example/notes/" + n, PostID: postID,
			ActorID: "https://social.example/users/kim", ContentHTML: "<p>Reactie " + n + " van rekening NL91ABNA0417164300</p>", State: model.ReplyPending,
			Published: time.Now().Add(-time.Hour), ReceivedAt: time.Now()}))
	}
	app.Close()

	out, _ = run(0, "reply", "list", "--org", "ede")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "https://social.example/notes/1 ") || !strings.Contains(lines[1], "@kim@social.example") {
		t.Fatalf("pending list:\n%s", out)
	}
	if !strings.Contains(lines[0], "SENSITIVE") || !strings.Contains(lines[1], " iban ") {
		t.Errorf("the list does not flag the IBAN:\n%s", out)
	}
	_, errOut := run(1, "reply", "approve", "https://social.example/notes/1", "--as", "redactie@ede.nl")
	if !strings.Contains(errOut, "may not moderate replies") {
		t.Errorf("editor approving: %q", errOut)
	}
	run(0, "reply", "approve", "https://social.example/notes/1")
	_, errOut = run(1, "reply", "refuse", "https://social.example/notes/1", "--ground", "incompatible", "--explanation", "Reclame")
	if !strings.Contains(errOut, "cannot refuse reply https://social.example/notes/1: it is shown") {
		t.Errorf("refusing a shown reply: %q", errOut)
	}
	_, errOut = run(1, "reply", "refuse", "https://social.example/notes/2", "--ground", "illegal", "--explanation", "Bedreiging")
	if !strings.Contains(errOut, "law") {
		t.Errorf("illegal without --law: %q", errOut)
	}
	run(2, "reply", "refuse", "https://social.example/notes/2", "--ground", "rude", "--explanation", "x")
	out, _ = run(0, "reply", "refuse", "https://social.example/notes/2", "--ground", "illegal", "--law", "art. 285 Sr", "--explanation", "Een bedreiging.")
	if !strings.Contains(out, "statement of reasons") {
		t.Errorf("refuse: %q", out)
	}
	run(0, "reply", "hide", "https://social.example/notes/1", "--ground", "incompatible", "--explanation", "Reclame voor een webwinkel.", "--category", "scams_and_fraud")
	run(1, "reply", "hide", "https://social.example/notes/404", "--ground", "incompatible", "--explanation", "x")

	for state, want := range map[string]string{"pending": "notes/3", "refused": "notes/2", "hidden": "notes/1"} {
		out, _ = run(0, "reply", "list", "--org", "ede", "--state", state)
		if !strings.Contains(out, want) || strings.Count(out, "\n") != 2 {
			t.Errorf("%s:\n%s", state, out)
		}
	}
	run(2, "reply", "list", "--org", "ede", "--state", "deleted")

	out, _ = run(0, "org", "log", "--org", "ede")
	for _, want := range []string{"approved a reply to the post", "refused a reply to the post", "as illegal", "hid a reply to the post"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit log lacks %q:\n%s", want, out)
		}
	}

	out, _ = run(0, "moderation", "export", "--org", "ede", "--format", "tdb")
	checkTDB(t, out, 2)
	today := time.Now().UTC().Format("2006-01-02")
	out, _ = run(0, "moderation", "export", "--org", "ede", "--format", "tdb", "--from", today, "--to", today)
	checkTDB(t, out, 2)
	out, _ = run(0, "moderation", "export", "--org", "ede", "--format", "tdb", "--to", time.Now().AddDate(0, 0, -2).Format("2006-01-02"))
	if out != "" {
		t.Errorf("export before the decisions: %q", out)
	}
	out, _ = run(0, "moderation", "export", "--org", "ede", "--format", "csv")
	if rows := strings.Split(strings.TrimSpace(out), "\n"); len(rows) != 3 || !strings.HasPrefix(rows[0], "puid,decision_visibility,") {
		t.Errorf("csv:\n%s", out)
	}
	run(2, "moderation", "export", "--org", "ede", "--format", "xml")
}

// checkTDB checks an export field by field against the Transparency
// Database's allowed values: required fields present, values from the
// allowed sets, unique puids, and no address or name in it.
func checkTDB(t *testing.T, out string, want int) {
	t.Helper()
	for _, personal := range []string{"kim", "social.example", "redactie", "operator", "@", "Ede"} {
		if strings.Contains(out, personal) {
			t.Errorf("export holds %q:\n%s", personal, out)
		}
	}
	puids := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var batch map[string][]map[string]any
		if err := json.Unmarshal(sc.Bytes(), &batch); err != nil {
			t.Fatalf("batch: %v\n%s", err, sc.Text())
		}
		if len(batch) != 1 || len(batch["statements"]) == 0 || len(batch["statements"]) > moderation.TDBBatchSize {
			t.Fatalf("batch of %d statements", len(batch["statements"]))
		}
		for _, st := range batch["statements"] {
			n++
			str := func(field string) string {
				v, ok := st[field].(string)
				if !ok || v == "" {
					t.Errorf("%s missing or empty in %v", field, st)
				}
				return v
			}
			list := func(field string, allowed []string) {
				v, ok := st[field].([]any)
				if !ok || len(v) == 0 {
					t.Errorf("%s missing in %v", field, st)
				}
				for _, x := range v {
					if s, _ := x.(string); !slices.Contains(allowed, s) {
						t.Errorf("%s: %v is not allowed", field, x)
					}
				}
			}
			oneOf := func(field string, allowed []string) {
				if v := str(field); !slices.Contains(allowed, v) {
					t.Errorf("%s: %q is not allowed", field, v)
				}
			}
			list("decision_visibility", moderation.Visibilities)
			list("content_type", moderation.ContentTypes)
			oneOf("category", moderation.Categories)
			oneOf("source_type", moderation.SourceTypes)
			oneOf("automated_detection", []string{"Yes", "No"})
			oneOf("automated_decision", moderation.AutomatedDecisions)
			switch str("decision_ground") {
			case moderation.GroundIllegalContent:
				str("illegal_content_legal_ground")
				str("illegal_content_explanation")
			case moderation.GroundIncompatibleContent:
				str("incompatible_content_ground")
				str("incompatible_content_explanation")
			default:
				t.Errorf("decision_ground %v", st["decision_ground"])
			}
			for _, date := range []string{"content_date", "application_date"} {
				if _, err := time.Parse("2006-01-02", str(date)); err != nil {
					t.Errorf("%s: %v", date, err)
				}
			}
			if facts := str("decision_facts"); len([]rune(facts)) > moderation.MaxFacts {
				t.Errorf("decision_facts longer than %d", moderation.MaxFacts)
			}
			puid := str("puid")
			if puids[puid] || len(puid) > 500 {
				t.Errorf("puid %q repeated or too long", puid)
			}
			puids[puid] = true
		}
	}
	if n != want {
		t.Errorf("%d statements, want %d", n, want)
	}
}

func TestModerationBlocks(t *testing.T) {
	dir := newInst(t).data
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := Main(t.Context(), append(args, "--data", dir), strings.NewReader(""), &out, &errOut)
		if code != want {
			t.Fatalf("plein %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	run(0, "org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	run(0, "user", "create", "--email", "beheer@ede.nl")
	run(0, "user", "add-to-org", "--email", "beheer@ede.nl", "--org", "ede", "--role", "admin")

	run(2, "moderation", "block", "spam.example")
	run(2, "moderation", "block", "spam.example", "--org", "ede", "--instance")
	_, errOut := run(1, "moderation", "block", "spam.example", "--instance", "--as", "beheer@ede.nl")
	if !strings.Contains(errOut, "may not block") {
		t.Errorf("an organisation's admin blocking for the installation: %q", errOut)
	}
	_, errOut = run(1, "moderation", "block", "not a server", "--org", "ede")
	if !strings.Contains(errOut, "not an account") {
		t.Errorf("bad target: %q", errOut)
	}
	out, _ := run(0, "moderation", "block", "https://social.example/users/troll", "--org", "ede", "--as", "beheer@ede.nl", "--reason", "herhaald schelden")
	if !strings.HasPrefix(out, "blocked account https://social.example/users/troll") {
		t.Errorf("block: %q", out)
	}
	run(0, "moderation", "block", "Spam.Example", "--instance")
	out, _ = run(0, "moderation", "blocks", "--instance")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "server") || !strings.Contains(lines[1], "spam.example") {
		t.Fatalf("installation blocks:\n%s", out)
	}
	id := strings.Fields(strings.Split(out, "\n")[1])[0]
	run(1, "moderation", "unblock", id, "--org", "ede")
	run(0, "moderation", "unblock", id, "--instance")
	if out, _ = run(0, "moderation", "blocks", "--instance"); out != "no blocks\n" {
		t.Errorf("after unblocking: %q", out)
	}
	if out, _ = run(0, "moderation", "blocks", "--org", "ede"); !strings.Contains(out, "herhaald schelden") {
		t.Errorf("organisation blocks: %q", out)
	}
	if out, _ = run(0, "moderation", "notices", "--org", "ede"); out != "no notices\n" {
		t.Errorf("notices: %q", out)
	}
	out, _ = run(0, "org", "log", "--org", "ede")
	if !strings.Contains(out, "blocked https://social.example/users/troll") {
		t.Errorf("audit log:\n%s", out)
	}
}
