package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestDirectMessageIsAQuestion sends private messages to an organisation
// from the test Fediverse and answers one: a direct Note to the
// organisation only, also one that replies to a post, lands in the inbox
// as a question (the sender's actor and @user@server to answer, text
// without markup or the leading mention, the BSN masked) and never among
// the replies; a Note to the organisation and someone else, or a public
// one, is no question. The answer goes back as a signed direct Note that
// the sender's server receives in its own inbox: to the sender only (no
// Public, no followers anywhere), in reply to their message, mentioning
// them, in the language of the message.
func TestDirectMessageIsAQuestion(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			kim, lea := fed.NewActor(t, "kim"), fed.NewActor(t, "lea")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De markt verhuist naar het Stadhuisplein.")
			noteID, orgActor := srv.URL+"/posts/"+p.ID, srv.URL+"/orgs/"+o.ID

			dm := kim.DirectMessage([]string{orgActor}, noteID, `<p><span class="h-card"><a href="`+srv.URL+`/@almere" class="u-url mention">@<span>almere</span></a></span> `+
				`Mijn BSN is 111222333. Wanneer <b>gaat</b> de markt open?</p><p>Groet, Kim</p>`)
			dm.Object.(*activity.Note).ContentMap = map[string]string{"en": dm.Object.(*activity.Note).Content}
			notOnly := lea.DirectMessage([]string{orgActor, kim.ID}, "", "<p>@almere @kim wat vinden jullie?</p>")
			public := lea.Reply(noteID, "<p>Openbaar antwoord</p>")
			for _, tc := range []struct {
				from *pleintest.RemoteActor
				a    activity.Activity
			}{{kim, dm}, {lea, notOnly}, {lea, public}} {
				if status := tc.from.Send(t, srv.URL+"/inbox", tc.a); status != http.StatusAccepted {
					t.Fatalf("send %s: %d", tc.a.ID, status)
				}
			}

			items, err := srv.App.Contact.Inbox(ctx, auth.Operator(), o.ID)
			if err != nil || len(items) != 1 {
				t.Fatalf("inbox: %+v, %v; want the direct message only", items, err)
			}
			q := items[0]
			if q.Source != model.QuestionFromFediverse || q.ActorID != kim.ID || q.NoteID != dm.Object.ObjectID() ||
				q.ReplyTo != "@kim@"+fed.Host || q.Lang != "en" || q.State != model.QuestionNew || q.Sensitive != "bsn" {
				t.Errorf("question: %+v", q.Question)
			}
			if want := "Mijn BSN is •••••••••. Wanneer gaat de markt open?\nGroet, Kim"; q.Text != want || !q.Masked {
				t.Errorf("text %q (masked %v), want %q", q.Text, q.Masked, want)
			}
			replies, err := srv.App.Federation.Replies(ctx, p.ID)
			if err != nil || len(replies) != 1 || replies[0].ID != public.Object.ObjectID() {
				t.Errorf("replies to the post: %+v, %v; want the public one only", replies, err)
			}

			a, err := srv.App.Contact.Answer(ctx, auth.Operator(), q.ID, "De markt gaat om 9 uur open.\n\nMet vriendelijke groet")
			if err != nil {
				t.Fatal(err)
			}
			answerID := srv.URL + "/answers/" + a.ID
			got := fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == answerID
			})
			if !got.Verified || got.Inbox != kim.Inbox {
				t.Fatalf("answer received as %s", got)
			}
			var create struct {
				Actor  string   `json:"actor"`
				To     []string `json:"to"`
				Cc     []string `json:"cc"`
				Object struct {
					To         []string          `json:"to"`
					Cc         []string          `json:"cc"`
					InReplyTo  string            `json:"inReplyTo"`
					Content    string            `json:"content"`
					ContentMap map[string]string `json:"contentMap"`
					Tag        []activity.Tag    `json:"tag"`
				} `json:"object"`
			}
			if err := json.Unmarshal(got.Raw, &create); err != nil {
				t.Fatal(err)
			}
			n := create.Object
			for _, list := range [][]string{create.To, create.Cc, n.To, n.Cc} {
				if slices.ContainsFunc(list, func(s string) bool {
					return s == activity.Public || s == "as:Public" || s == "Public" || strings.HasSuffix(s, "/followers")
				}) {
					t.Errorf("the answer is addressed to %v", list)
				}
			}
			if !slices.Equal(create.To, []string{kim.ID}) || !slices.Equal(n.To, []string{kim.ID}) || len(create.Cc)+len(n.Cc) != 0 {
				t.Errorf("addressed to %v / %v, cc %v / %v; want the sender only", create.To, n.To, create.Cc, n.Cc)
			}
			if create.Actor != orgActor || n.InReplyTo != dm.Object.ObjectID() {
				t.Errorf("actor %s, inReplyTo %s", create.Actor, n.InReplyTo)
			}
			if len(n.Tag) != 1 || n.Tag[0].Href != kim.ID || n.Tag[0].Name != "@kim@"+fed.Host {
				t.Errorf("tags %+v", n.Tag)
			}
			for _, want := range []string{`class="u-url mention">@<span>kim</span>`, " De markt gaat om 9 uur open.</p>",
				"<p>Met vriendelijke groet</p>", "Reference number: " + q.Reference} {
				if !strings.Contains(n.Content, want) {
					t.Errorf("content lacks %q:\n%s", want, n.Content)
				}
			}
			if n.ContentMap["en"] != n.Content {
				t.Errorf("contentMap %v", n.ContentMap)
			}
			pleintest.Eventually(t, 10*time.Second, func() error {
				it, err := srv.App.Contact.Question(ctx, auth.Operator(), q.ID, false)
				if err != nil {
					return err
				}
				if it.State != model.QuestionAnswered || len(it.Answers) != 1 || it.Answers[0].SentAt.IsZero() {
					return fmt.Errorf("question %s, answers %+v", it.State, it.Answers)
				}
				return nil
			})
			lines, err := srv.App.Auth.AuditLines(ctx, auth.Operator(), o.ID, 5)
			if err != nil || len(lines) == 0 || !strings.Contains(lines[0].Sentence.In("en"), "answered question "+q.Reference+" by direct message") {
				t.Errorf("audit: %+v %v", lines, err)
			}
		})
	}
}

// TestDirectAnswerToStatementIsAComplaint proves that a direct message
// that answers a statement of reasons, addressed to the organisation only
// as Mastodon sends a reply to a direct Note, is a complaint about the
// decision for moderation and not a question in the inbox.
func TestDirectAnswerToStatementIsAComplaint(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			lea := fed.NewActor(t, "lea")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De markt verhuist naar het Stadhuisplein.")
			bad := lea.Reply(srv.URL+"/posts/"+p.ID, "<p>Koop horloges bij mij</p>")
			if status := lea.Send(t, srv.URL+"/inbox", bad); status != http.StatusAccepted {
				t.Fatalf("reply: %d", status)
			}
			st, err := srv.App.Moderation.Refuse(ctx, auth.Operator(), bad.Object.ObjectID(), moderation.Reasons{Ground: model.GroundIncompatible,
				Explanation: "Reclame hoort niet onder onze berichten."})
			if err != nil {
				t.Fatal(err)
			}
			complaint := lea.DirectMessage([]string{srv.URL + "/orgs/" + o.ID}, srv.URL+"/statements/"+st.ID, "<p>@almere Het was geen reclame.</p>")
			if status := lea.Send(t, srv.URL+"/inbox", complaint); status != http.StatusAccepted {
				t.Fatalf("complaint: %d", status)
			}
			complaints, err := srv.App.Moderation.Complaints(ctx, auth.Operator(), o.ID, "")
			if err != nil || len(complaints) != 1 || complaints[0].Complaint.Author != lea.ID || complaints[0].Complaint.StatementID != st.ID {
				t.Fatalf("complaints %+v %v", complaints, err)
			}
			if items, err := srv.App.Contact.Inbox(ctx, auth.Operator(), o.ID, model.QuestionStates...); err != nil || len(items) != 0 {
				t.Errorf("the complaint is in the inbox: %+v %v", items, err)
			}
		})
	}
}

// TestFormQuestionAnsweredByDirectMessage answers a question from the
// contact form whose answer address is a Fediverse address: the actor is
// found through WebFinger on its server, and the answer arrives there as a
// signed direct Note to that actor only, in reply to nothing.
func TestFormQuestionAnsweredByDirectMessage(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			kim := fed.NewActor(t, "kim")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			now := time.Now().UTC()
			q := &model.Question{ID: model.NewID(now), OrgID: o.ID, Reference: "V-FORM-0001", Topic: "general",
				ReplyTo: "@kim@" + fed.Host, Text: "Wanneer is de markt?", Lang: "nl", State: model.QuestionNew, ReceivedAt: now, UpdatedAt: now}
			if err := srv.App.Store.CreateQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
			a, err := srv.App.Contact.Answer(ctx, auth.Operator(), q.ID, "Op zaterdag.")
			if err != nil {
				t.Fatal(err)
			}
			got := fed.WaitFor(t, 20*time.Second, func(r pleintest.Received) bool {
				return r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == srv.URL+"/answers/"+a.ID
			})
			n := got.Activity.Object.Note
			if !got.Verified || got.Inbox != kim.Inbox || !slices.Equal(n.To, []string{kim.ID}) || len(n.Cc) != 0 || n.InReplyTo != "" ||
				!strings.Contains(n.Content, "Op zaterdag.") || !strings.Contains(n.Content, "Referentienummer: V-FORM-0001") {
				t.Errorf("answer %s: %+v", got, n)
			}
		})
	}
}
