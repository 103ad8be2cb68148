package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/server"
)

func TestPostRepliesAndAnswer(t *testing.T) {
	dir := newInst(t).data
	data := []string{"--data", dir}
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := Main(t.Context(), append(args, data...), strings.NewReader(""), &out, &errOut)
		if code != want {
			t.Fatalf("plein %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	run(0, "org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	out, _ := run(0, "post", "create", "--org", "ede", "--text", "De markt is verplaatst.")
	postID := strings.TrimSuffix(strings.Fields(out)[2], ":")
	run(0, "user", "create", "--email", "analist@ede.nl")
	run(0, "user", "add-to-org", "--email", "analist@ede.nl", "--org", "ede", "--role", "analyst")

	// A reply as the inbox stores it.
	cfg := config.Default()
	cfg.DataDir = dir
	app, err := server.Open(context.Background(), cfg, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.PutReply(context.Background(), &model.Reply{ID: "https://social.example/notes/7", PostID: postID,
		ActorID: "https://social.example/users/kim", ContentHTML: "<p>Waarheen?</p>", State: model.ReplyPending, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	app.Close()

	out, _ = run(0, "post", "replies", postID)
	if !strings.Contains(out, "https://social.example/notes/7") || !strings.Contains(out, "pending") {
		t.Fatalf("replies:\n%s", out)
	}
	_, errOut := run(1, "post", "answer", "--reply", "https://social.example/notes/7", "--text", "Naar het Stadsplein.", "--as", "analist@ede.nl")
	if !strings.Contains(errOut, "may not answer replies") {
		t.Errorf("analyst answering: %q", errOut)
	}
	_, errOut = run(1, "post", "answer", "--reply", "https://social.example/notes/404", "--text", "x")
	if !strings.Contains(errOut, "no reply with id") {
		t.Errorf("unknown reply: %q", errOut)
	}
	out, _ = run(0, "post", "answer", "--reply", "https://social.example/notes/7", "--text", "Naar het Stadsplein.")
	if !strings.HasPrefix(out, "published answer ") {
		t.Fatalf("answer: %q", out)
	}
}
