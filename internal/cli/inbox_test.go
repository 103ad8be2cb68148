package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/contact"
	"plein/internal/model"
)

// TestInbox reads and answers questions on the command line: the list
// masks sensitive numbers, --reveal shows them and is audited, an answer
// marks the question answered and waits for the serving process to mail
// it, a Fediverse address is answered by direct message, and an unknown
// id is refused.
func TestInbox(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	app := in.openApp()
	ctx := context.Background()
	o, err := app.Orgs.ByHandle(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	add := func(ref, replyTo, text string, state model.QuestionState) *model.Question {
		q := &model.Question{ID: model.NewID(now), OrgID: o.ID, Reference: ref, Topic: contact.TopicGeneral, ReplyTo: replyTo,
			Text: text, Lang: "nl", State: state, ReceivedAt: now, UpdatedAt: now}
		if err := app.Store.CreateQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	q := add("V-AAAA-0001", "anna@example.org", "Mijn BSN is 111222333, wanneer krijg ik mijn toeslag?", model.QuestionNew)
	fedi := add("V-AAAA-0002", "@piet@social.example", "Is de markt morgen open?", model.QuestionNew)
	held := add("V-AAAA-0003", "spam@example.org", "Koop nu", model.QuestionHeld)

	out := in.ok("inbox", "list", "--org", "demo")
	if !strings.Contains(out, q.ID) || !strings.Contains(out, "V-AAAA-0001") || !strings.Contains(out, fedi.ID) ||
		strings.Contains(out, held.ID) || strings.Contains(out, "111222333") || !strings.Contains(out, "•••••••••") {
		t.Errorf("inbox list:\n%s", out)
	}
	if out := in.ok("inbox", "list", "--org", "demo", "--state", "held"); !strings.Contains(out, held.ID) || strings.Contains(out, q.ID) {
		t.Errorf("inbox list --state held:\n%s", out)
	}
	fails(t, in.run("", "inbox", "list", "--org", "demo", "--state", "open"), ExitUsage, `--state "open": use new, in_progress`)

	if out := in.ok("inbox", "show", q.ID); strings.Contains(out, "111222333") || !strings.Contains(out, "--reveal") {
		t.Errorf("inbox show:\n%s", out)
	}
	if out := in.ok("inbox", "show", q.ID, "--reveal"); !strings.Contains(out, "Mijn BSN is 111222333") {
		t.Errorf("inbox show --reveal:\n%s", out)
	}

	in.ok("inbox", "answer", q.ID, "--text", "U krijgt de toeslag in maart.")
	if out := in.ok("inbox", "answer", fedi.ID, "--text", "Ja."); !strings.Contains(out, "as a direct message on the Fediverse") {
		t.Errorf("answer to a Fediverse address:\n%s", out)
	}
	fails(t, in.run("", "inbox", "answer", "nope", "--text", "Ja."), ExitFailure, `no question has the id "nope"`)
	in.ok("inbox", "state", held.ID, "--state", "closed")

	if out := in.ok("inbox", "show", q.ID); !strings.Contains(out, "answered") || !strings.Contains(out, "U krijgt de toeslag in maart.") ||
		!strings.Contains(out, "not sent yet") {
		t.Errorf("an answered question:\n%s", out)
	}
	lines, err := app.Auth.AuditLines(ctx, auth.Operator(), o.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.Sentence.In("en"))
	}
	want := []string{
		"The operator on the command line set question V-AAAA-0003 to ‘closed’",
		"The operator on the command line answered question V-AAAA-0002 by direct message",
		"The operator on the command line answered question V-AAAA-0001 by e-mail",
		"The operator on the command line revealed the hidden numbers in question V-AAAA-0001",
	}
	if strings.Join(got[:4], "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
