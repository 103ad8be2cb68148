package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/federation"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// follow makes a follow the organisation o of srv and waits for the
// signed Accept on its server fed.
func follow(t *testing.T, srv *pleintest.Server, o *model.Org, fed *pleintest.Fediverse, a *pleintest.RemoteActor) {
	t.Helper()
	actorID := srv.URL + "/orgs/" + o.ID
	if status := a.Send(t, actorID+"/inbox", a.Follow(actorID)); status != http.StatusAccepted {
		t.Fatalf("follow: %d", status)
	}
	fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Accept" && r.Activity.Actor == actorID
	})
}

// TestMentionsAndHashtags publishes a post that names an account on a
// server that does not follow the organisation, and a hashtag: the account
// is found through WebFinger, its server receives the Create, and the Note
// tags both, with links in its content.
func TestMentionsAndHashtags(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			followersServer, otherServer := pleintest.NewFediverse(t), pleintest.NewFediverse(t)
			alice, carol := followersServer.NewActor(t, "alice"), otherServer.NewActor(t, "carol")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			follow(t, srv, o, followersServer, alice)

			p := srv.Post(t, o, "Vraag het @carol@"+otherServer.Host+" over #Hoogwater. E-mail kan ook: info@almere.example")
			noteID := srv.URL + "/posts/" + p.ID
			isCreate := func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == noteID
			}
			// The mentioned account's server gets the post though nobody there follows.
			got := otherServer.WaitFor(t, 10*time.Second, isCreate)
			followersServer.WaitFor(t, 10*time.Second, isCreate)

			var create struct {
				Cc     []string `json:"cc"`
				Object struct {
					Cc      []string       `json:"cc"`
					Content string         `json:"content"`
					Tag     []activity.Tag `json:"tag"`
				} `json:"object"`
			}
			if err := json.Unmarshal(got.Raw, &create); err != nil {
				t.Fatal(err)
			}
			tagURL := srv.URL + "/@almere/tags/hoogwater"
			wantTags := map[string]activity.Tag{
				"Mention": {Type: "Mention", Href: carol.ID, Name: "@carol@" + otherServer.Host},
				"Hashtag": {Type: "Hashtag", Href: tagURL, Name: "#hoogwater"},
			}
			if len(create.Object.Tag) != 2 {
				t.Fatalf("tags %+v, want a Mention and a Hashtag", create.Object.Tag)
			}
			for _, tag := range create.Object.Tag {
				if tag != wantTags[tag.Type] {
					t.Errorf("tag %+v, want %+v", tag, wantTags[tag.Type])
				}
			}
			if !strings.Contains(strings.Join(create.Object.Cc, " "), carol.ID) {
				t.Errorf("cc %v does not name the mentioned account", create.Object.Cc)
			}
			for _, want := range []string{
				`<a href="https://` + otherServer.Host + `/@carol" class="u-url mention"`,
				`<a href="` + tagURL + `" class="mention hashtag" rel="tag">#<span>Hoogwater</span></a>`,
				`<a href="mailto:info@almere.example"`,
			} {
				if !strings.Contains(create.Object.Content, want) {
					t.Errorf("content lacks %s:\n%s", want, create.Object.Content)
				}
			}

			// The hashtag's page lists the post; another tag's page does not.
			for _, tc := range []struct {
				path   string
				status int
				has    bool
			}{
				{"/@almere/tags/hoogwater", http.StatusOK, true},
				{"/@almere/tags/droogte", http.StatusOK, false},
				{"/@almere/tags/123", http.StatusNotFound, false},
			} {
				resp, body := srv.Get(t, tc.path)
				if resp.StatusCode != tc.status || strings.Contains(string(body), "/@almere/"+p.ID) != tc.has {
					t.Errorf("GET %s: %d, lists the post: %v; want %d, %v", tc.path, resp.StatusCode, !tc.has, tc.status, tc.has)
				}
			}
			if resp, _ := srv.Get(t, "/@almere/tags/HoogWater"); resp.StatusCode != http.StatusMovedPermanently {
				t.Errorf("GET a tag in capitals: %d, want a redirect to lower case", resp.StatusCode)
			}
		})
	}
}

// TestFollowerMoves is a follower moving to another account: refused
// until the new account names the old one, then the follow is the new
// account's and posts go to its server.
func TestFollowerMoves(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			oldServer, newServer := pleintest.NewFediverse(t), pleintest.NewFediverse(t)
			old, moved := oldServer.NewActor(t, "eva"), newServer.NewActor(t, "eva")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			follow(t, srv, o, oldServer, old)
			move := old.Move(moved.ID)
			if status := old.Send(t, srv.URL+"/inbox", move); status != http.StatusBadRequest {
				t.Fatalf("move to an account that does not name the old one: %d, want 400", status)
			}
			if inboxes, _ := srv.App.Store.FollowerInboxes(context.Background(), o.ID); len(inboxes) != 1 || inboxes[0] != old.SharedInbox {
				t.Fatalf("follower inboxes after a refused move: %v", inboxes)
			}
			// The same Move, sent again once the new account names the old one.
			moved.SetAlsoKnownAs(t, old.ID)
			if status := old.Send(t, srv.URL+"/inbox", move); status != http.StatusAccepted {
				t.Fatalf("move: %d", status)
			}
			if inboxes, _ := srv.App.Store.FollowerInboxes(context.Background(), o.ID); len(inboxes) != 1 || inboxes[0] != moved.SharedInbox {
				t.Fatalf("follower inboxes after the move: %v, want only %s", inboxes, moved.SharedInbox)
			}
			p := srv.Post(t, o, "Na de verhuizing.")
			newServer.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == srv.URL+"/posts/"+p.ID
			})
		})
	}
}

// TestFailingServerPaused is a server answering every delivery with 503:
// after PauseAfterFailures failures in a row it is paused, and the next
// delivery waits instead of trying it.
func TestFailingServerPaused(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			alice := fed.NewActor(t, "alice")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			follow(t, srv, o, fed, alice)
			fed.SetInboxStatus(http.StatusServiceUnavailable)
			for i := range federation.PauseAfterFailures {
				srv.Post(t, o, fmt.Sprintf("Bericht %d", i))
			}
			pleintest.Eventually(t, 20*time.Second, func() error {
				if _, until, err := srv.App.Store.DeliveryHost(ctx, fed.Host); err != nil || until.IsZero() {
					return pleintest.ErrNotYet
				}
				return nil
			})
			failures, until, err := srv.App.Store.DeliveryHost(ctx, fed.Host)
			if err != nil || failures < federation.PauseAfterFailures || until.Before(time.Now().Add(federation.MinPause/2)) {
				t.Fatalf("%d failures, paused until %v (%v)", failures, until, err)
			}
			// Once no job waits to run or runs, every delivery was taken
			// up and either put off or tried: a delivery that was already
			// sending when the pause began is counted before the post.
			idle := func() error {
				counts, err := srv.App.Store.JobCounts(ctx)
				if err != nil {
					return err
				}
				if n := counts["available"] + counts["running"]; n > 0 {
					return fmt.Errorf("%d jobs waiting to run or running", n)
				}
				return nil
			}
			pleintest.Eventually(t, 20*time.Second, idle)
			tried := fed.Requests("/inbox")
			// The post's job is queued with the post and queues the
			// delivery before it completes.
			srv.Post(t, o, "Tijdens de pauze")
			pleintest.Eventually(t, 20*time.Second, idle)
			if n := fed.Requests("/inbox"); n != tried {
				t.Fatalf("a paused server got %d more requests", n-tried)
			}
		})
	}
}
