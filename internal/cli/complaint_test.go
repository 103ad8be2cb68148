package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/server"
)

// TestModerationComplaints proves the complaint commands: complaints are
// listed with their id first and by state; the admin who refused a reply
// may not decide its complaint, told first that they are the only
// moderator and, once there is another, that another must decide; the
// other moderator upholds one (the reply is shown again) and rejects the
// other; nothing is decided twice; the audit log tells the outcomes.
func TestModerationComplaints(t *testing.T) {
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
	run(0, "user", "create", "--email", "beheer@ede.nl")
	run(0, "user", "add-to-org", "--email", "beheer@ede.nl", "--org", "ede", "--role", "admin")

	cfg := config.Default()
	cfg.DataDir = dir
	open := func() *server.App {
		t.Helper()
		app, err := server.Open(context.Background(), cfg, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return app
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	kim := "https://social.example/users/kim"
	app := open()
	must(app.Store.PutRemoteActor(context.Background(), &model.RemoteActor{ID: kim, Inbox: kim + "/inbox", Username: "kim",
		URL: "https://social.example/@kim", FetchedAt: time.Now()}))
	for _, n := range []string{"1", "2"} {
		must(app.Store.PutReply(context.Background(), &model.Reply{ID: "https://social.example/notes/" + n, PostID: postID,
			ActorID: kim, ContentHTML: "<p>Reactie " + n + "</p>", State: model.ReplyPending,
			Published: time.Now().Add(-time.Hour), ReceivedAt: time.Now()}))
	}
	app.Close()
	run(0, "reply", "refuse", "https://social.example/notes/1", "--ground", "incompatible", "--explanation", "Off-topic.", "--as", "beheer@ede.nl")
	run(0, "reply", "refuse", "https://social.example/notes/2", "--ground", "incompatible", "--explanation", "Reclame.", "--as", "beheer@ede.nl")

	app = open()
	o, err := app.Orgs.ByHandle(context.Background(), "ede")
	must(err)
	statements, err := app.Moderation.Statements(context.Background(), auth.Operator(), o.ID, time.Time{}, time.Time{})
	must(err)
	if len(statements) != 2 {
		t.Fatalf("%d statements", len(statements))
	}
	for _, st := range statements {
		_, err := app.Moderation.ComplainFromFediverse(context.Background(), st.ID, kim, "<p>Ik ben het er niet mee eens: "+st.Explanation+"</p>")
		must(err)
	}
	app.Close()

	out, _ = run(0, "moderation", "complaints", "--org", "ede")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "COMPLAINT ID") || !strings.Contains(lines[1], "open") ||
		!strings.Contains(lines[1], "@kim@social.example") || !strings.Contains(lines[1], "beheer@ede.nl") {
		t.Fatalf("complaints:\n%s", out)
	}
	first, second := strings.Fields(lines[1])[0], strings.Fields(lines[2])[0]
	if out, _ = run(0, "moderation", "complaints", "--org", "ede", "--state", "upheld"); out != "no complaints\n" {
		t.Errorf("upheld complaints before any decision: %q", out)
	}
	run(2, "moderation", "complaints", "--org", "ede", "--state", "pending")

	decide := []string{"moderation", "decide-complaint", first, "--outcome", "upheld", "--explanation", "U hebt gelijk."}
	_, errOut := run(1, append(decide, "--as", "beheer@ede.nl")...)
	if !strings.Contains(errOut, "only moderator") || !strings.Contains(errOut, "enige moderator") {
		t.Errorf("the only moderator deciding on their own decision: %q", errOut)
	}
	run(2, decide...) // --as is required
	run(2, "moderation", "decide-complaint", first, "--outcome", "maybe", "--explanation", "x", "--as", "beheer@ede.nl")
	run(0, "user", "create", "--email", "moderatie@ede.nl")
	run(0, "user", "add-to-org", "--email", "moderatie@ede.nl", "--org", "ede", "--role", "moderator")
	_, errOut = run(1, append(decide, "--as", "beheer@ede.nl")...)
	if !strings.Contains(errOut, "another moderator or admin") || !strings.Contains(errOut, "andere moderator") {
		t.Errorf("an admin deciding on their own decision: %q", errOut)
	}
	run(1, "moderation", "decide-complaint", "nothing", "--outcome", "upheld", "--explanation", "x", "--as", "moderatie@ede.nl")

	out, _ = run(0, append(decide, "--as", "moderatie@ede.nl")...)
	if !strings.Contains(out, "upheld") {
		t.Errorf("upheld: %q", out)
	}
	_, errOut = run(1, append(decide, "--as", "moderatie@ede.nl")...)
	if !strings.Contains(errOut, "already decided") {
		t.Errorf("deciding twice: %q", errOut)
	}
	run(0, "moderation", "decide-complaint", second, "--outcome", "rejected", "--explanation", "Het blijft reclame.", "--as", "moderatie@ede.nl")

	if out, _ = run(0, "reply", "list", "--org", "ede", "--state", "shown"); !strings.Contains(out, "notes/1") || strings.Contains(out, "notes/2") {
		t.Errorf("shown replies after the complaints:\n%s", out)
	}
	for state, want := range map[string]string{"upheld": first, "rejected": second} {
		out, _ = run(0, "moderation", "complaints", "--org", "ede", "--state", state)
		if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], want+" ") {
			t.Errorf("%s complaints:\n%s", state, out)
		}
	}
	out, _ = run(0, "org", "log", "--org", "ede")
	for _, want := range []string{"upheld a complaint about a decision on a reply", "rejected a complaint about a decision on a reply"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit log lacks %q:\n%s", want, out)
		}
	}
}

// TestReplyDecisionNamesNotice proves that 'plein moderation notices'
// lists form notices with their id first, and that 'plein reply hide
// --notice' takes only a notice about the reply; the statement then
// exports as SOURCE_ARTICLE_16 and the notice is handled.
func TestReplyDecisionNamesNotice(t *testing.T) {
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
	cfg := config.Default()
	cfg.DataDir = dir
	app, err := server.Open(context.Background(), cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	o, err := app.Orgs.ByHandle(ctx, "ede")
	if err != nil {
		t.Fatal(err)
	}
	kim := "https://social.example/users/kim"
	for _, n := range []string{"1", "2"} {
		if err := app.Store.PutReply(ctx, &model.Reply{ID: "https://social.example/notes/" + n, PostID: postID, ActorID: kim,
			ContentHTML: "<p>Reactie " + n + "</p>", State: model.ReplyShown, Published: time.Now(), ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	notice := &model.Notice{ID: model.NewID(time.Now()), OrgID: o.ID, Source: model.NoticeFromForm,
		Objects: []string{"https://social.example/notes/1"}, Content: "Scheldt een buurman uit", Ground: model.GroundIllegal,
		Law: "art. 261 Sr", State: model.NoticeOpen, ReceivedAt: time.Now(), Lang: "nl", Reference: "M-AAAA-BBBB"}
	if err := app.Store.AddNotice(ctx, notice); err != nil {
		t.Fatal(err)
	}
	app.Close()

	out, _ = run(0, "moderation", "notices", "--org", "ede")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], notice.ID+" ") || !strings.Contains(lines[1], "form") ||
		!strings.Contains(lines[1], "open") || !strings.Contains(lines[1], "M-AAAA-BBBB") {
		t.Fatalf("notices:\n%s", out)
	}
	hide := func(reply string) []string {
		return []string{"reply", "hide", "https://social.example/notes/" + reply, "--ground", "illegal", "--law", "art. 261 Sr",
			"--explanation", "Smaad.", "--notice", notice.ID}
	}
	_, errOut := run(1, hide("2")...)
	if !strings.Contains(errOut, "is not a notice of this organisation about this reply") || !strings.Contains(errOut, "over deze reactie") {
		t.Errorf("a notice about another reply: %q", errOut)
	}
	run(0, hide("1")...)
	out, _ = run(0, "moderation", "export", "--org", "ede", "--format", "tdb")
	checkTDB(t, out, 1)
	if !strings.Contains(out, `"source_type":"SOURCE_ARTICLE_16"`) {
		t.Errorf("export of a decision following a notice:\n%s", out)
	}
	if out, _ = run(0, "moderation", "notices", "--org", "ede"); !strings.Contains(out, "handled") {
		t.Errorf("the notice is not handled:\n%s", out)
	}
}

// TestComplaintHelp proves that the serve command offers
// --retain-moderation with its variable, and that the complaint commands
// document themselves.
func TestComplaintHelp(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"serve", "--help"}, []string{"--retain-moderation", "PLEIN_RETAIN_MODERATION", "never while a complaint is open"}},
		{[]string{"help", "moderation"}, []string{"complaints", "decide-complaint"}},
		{[]string{"moderation", "decide-complaint", "-h"}, []string{"--outcome", "--explanation", "--as", "did not take the decision"}},
		{[]string{"moderation", "complaints", "-h"}, []string{"--state", "--org"}},
		{[]string{"reply", "hide", "-h"}, []string{"--notice"}},
	} {
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
