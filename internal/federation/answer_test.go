package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestAnswerMentionsCitizen answers a citizen's reply: the answer's Note
// starts with the citizen's h-card, linked to the actor's profile address,
// tags the citizen with a Mention and names the citizen in cc. An answer
// whose text already mentions the citizen gets no second mention.
func TestAnswerMentionsCitizen(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			carol := fed.NewActor(t, "carol")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De brug is weer open.")
			noteID := srv.URL + "/posts/" + p.ID

			question := carol.Reply(noteID, "<p>Geldt dit ook voor de fietsbrug?</p>")
			if status := carol.Send(t, srv.URL+"/inbox", question); status != http.StatusAccepted {
				t.Fatalf("question: %d", status)
			}
			questionID := question.Object.ObjectID()
			profile := fed.URL + "/@carol"
			hcard := `<span class="h-card" translate="no"><a href="` + profile + `" class="u-url mention">@<span>carol</span></a></span>`
			wantTag := activity.Tag{Type: activity.TypeMention, Href: carol.ID, Name: "@carol@" + fed.Host}

			for _, tc := range []struct {
				name, text, content string
			}{
				{"plain text", "De fietsbrug gaat **vrijdag** open.",
					"<p>" + hcard + " De fietsbrug gaat <strong>vrijdag</strong> open.</p>"},
				{"text that mentions the citizen", "Dank @carol@" + fed.Host + ", vrijdag.",
					// The text's own mention links to the profile address
					// that @user@host names, in the same markup.
					`<p>Dank <span class="h-card" translate="no"><a href="https://` + fed.Host + `/@carol" class="u-url mention">@<span>carol</span></a></span>, vrijdag.</p>`},
			} {
				answer, err := srv.App.Posts.Answer(ctx, auth.Operator(), questionID, tc.text)
				if err != nil {
					t.Fatal(err)
				}
				answerID := srv.URL + "/posts/" + answer.ID
				got := fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
					return r.Verified && r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == answerID
				})
				var create struct {
					Object struct {
						InReplyTo  string            `json:"inReplyTo"`
						Cc         []string          `json:"cc"`
						Content    string            `json:"content"`
						ContentMap map[string]string `json:"contentMap"`
						Tag        []activity.Tag    `json:"tag"`
					} `json:"object"`
				}
				if err := json.Unmarshal(got.Raw, &create); err != nil {
					t.Fatal(err)
				}
				n := create.Object
				if n.Content != tc.content {
					t.Errorf("%s: content\n got %s\nwant %s", tc.name, n.Content, tc.content)
				}
				if n.ContentMap["nl"] != n.Content {
					t.Errorf("%s: contentMap %v differs from content", tc.name, n.ContentMap)
				}
				if n.InReplyTo != questionID {
					t.Errorf("%s: inReplyTo %s, want %s", tc.name, n.InReplyTo, questionID)
				}
				if len(n.Tag) != 1 || n.Tag[0] != wantTag {
					t.Errorf("%s: tags %+v, want one %+v", tc.name, n.Tag, wantTag)
				}
				if named := slices.DeleteFunc(slices.Clone(n.Cc), func(s string) bool { return s != carol.ID }); len(named) != 1 {
					t.Errorf("%s: cc %v, want %s once", tc.name, n.Cc, carol.ID)
				}
			}
		})
	}
}
