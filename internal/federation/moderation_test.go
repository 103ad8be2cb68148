package federation_test

import (
	"context"
	"encoding/json"
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

// TestModerationOverFederation proves moderation against the test
// Fediverse, with signed requests both ways: an approved reply is on the
// post's page and in its Note's replies collection; a refused reply is
// not, and its author's server receives the statement of reasons as a
// direct Note, and its answer to it is a complaint; a Flag becomes a notice for the organisation's staff; a
// blocked server's Follow is refused and its follows end.
func TestModerationOverFederation(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			kim, lea := fed.NewActor(t, "kim"), fed.NewActor(t, "lea")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De markt verhuist naar het Stadhuisplein.")
			noteID := srv.URL + "/posts/" + p.ID

			good, bad := kim.Reply(noteID, "<p>Fijn, dichterbij!</p>"), lea.Reply(noteID, "<p>Koop horloges bij mij</p>")
			for _, tc := range []struct {
				from *pleintest.RemoteActor
				a    activity.Activity
			}{{kim, good}, {lea, bad}} {
				if status := tc.from.Send(t, srv.URL+"/inbox", tc.a); status != http.StatusAccepted {
					t.Fatalf("reply: %d", status)
				}
			}
			goodID, badID := good.Object.ObjectID(), bad.Object.ObjectID()
			queue, err := srv.App.Moderation.Queue(ctx, auth.Operator(), o.ID, model.ReplyPending)
			if err != nil || len(queue) != 2 || queue[0].Server != fed.Host {
				t.Fatalf("queue %+v %v", queue, err)
			}

			// The Note names its replies collection; it lists nothing yet.
			var note struct {
				Replies string `json:"replies"`
			}
			status, body := fed.Fetch(t, noteID)
			if err := json.Unmarshal(body, &note); status != http.StatusOK || err != nil || note.Replies != noteID+"/replies" {
				t.Fatalf("note %d: %s", status, body)
			}
			repliesOf := func() []string {
				t.Helper()
				var c activity.OrderedCollection
				status, body := fed.Fetch(t, note.Replies)
				if err := json.Unmarshal(body, &c); status != http.StatusOK || err != nil || c.TotalItems != len(c.OrderedItems) {
					t.Fatalf("replies collection %d: %s", status, body)
				}
				return c.OrderedItems
			}
			if items := repliesOf(); len(items) != 0 {
				t.Fatalf("replies before moderation: %v", items)
			}

			if err := srv.App.Moderation.Approve(ctx, auth.Operator(), goodID); err != nil {
				t.Fatal(err)
			}
			st, err := srv.App.Moderation.Refuse(ctx, auth.Operator(), badID, moderation.Reasons{Ground: model.GroundIncompatible,
				Explanation: "Reclame hoort niet onder onze berichten."})
			if err != nil {
				t.Fatal(err)
			}
			srv.WaitFresh(t)
			if items := repliesOf(); !slices.Equal(items, []string{goodID}) {
				t.Fatalf("replies collection %v, want the approved reply only", items)
			}
			_, page := srv.Get(t, "/@almere/"+p.ID)
			if !strings.Contains(string(page), "Fijn, dichterbij!") || strings.Contains(string(page), "horloges") ||
				!strings.Contains(string(page), "@kim@"+fed.Host) {
				t.Fatalf("post page:\n%s", page)
			}

			// The refused reply's author gets the statement, directly.
			got := fed.WaitFor(t, 20*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == activity.TypeCreate &&
					r.Activity.Object.ID == srv.URL+"/statements/"+st.ID
			})
			n := got.Activity.Object.Note
			if !strings.HasSuffix(got.Inbox, "/users/lea/inbox") || !slices.Equal(n.To, []string{lea.ID}) || len(n.Cc) != 0 ||
				n.InReplyTo != badID || !strings.Contains(n.Content, "Reclame hoort niet onder onze berichten.") ||
				!strings.Contains(n.Content, "zes maanden") || !strings.Contains(n.Content, st.ID) {
				t.Fatalf("statement note to %s: %+v", got.Inbox, n)
			}

			// The author complains by answering the statement; others'
			// answers are not kept.
			statementNote := srv.URL + "/statements/" + st.ID
			for _, from := range []*pleintest.RemoteActor{kim, lea} {
				if status := from.Send(t, srv.URL+"/inbox", from.Reply(statementNote, "<p>Het was geen reclame.</p>")); status != http.StatusAccepted {
					t.Fatalf("complaint: %d", status)
				}
			}
			complaints, err := srv.App.Moderation.Complaints(ctx, auth.Operator(), o.ID, "")
			if err != nil || len(complaints) != 1 || complaints[0].Complaint.Source != model.ComplaintFromFediverse ||
				complaints[0].Complaint.Author != lea.ID || complaints[0].Complaint.Content != "Het was geen reclame." {
				t.Fatalf("complaints %+v %v", complaints, err)
			}

			// A Flag of the post becomes a notice.
			flag := map[string]any{"@context": activity.DefaultContext(), "id": kim.ID + "#flags/1", "type": "Flag",
				"actor": kim.ID, "object": []string{noteID, lea.ID}, "content": "Dit bericht klopt niet."}
			if status := kim.Send(t, srv.URL+"/inbox", flag); status != http.StatusAccepted {
				t.Fatalf("flag: %d", status)
			}
			notices, err := srv.App.Moderation.Notices(ctx, auth.Operator(), o.ID, 1)
			if err != nil || len(notices) != 1 || notices[0].Source != "flag" || notices[0].Reporter != kim.ID || !slices.Equal(notices[0].Objects, []string{noteID}) ||
				notices[0].Content != "Dit bericht klopt niet." {
				t.Fatalf("notices %+v %v", notices, err)
			}

			// A blocked server: its follows end, its Follow is refused.
			actorID := srv.URL + "/orgs/" + o.ID
			if status := kim.Send(t, actorID+"/inbox", kim.Follow(actorID)); status != http.StatusAccepted {
				t.Fatalf("follow: %d", status)
			}
			if n, _ := srv.App.Store.FollowerCount(ctx, o.ID); n != 1 {
				t.Fatalf("%d followers, want 1", n)
			}
			if _, err := srv.App.Moderation.Block(ctx, auth.Operator(), "", fed.URL, "spam"); err != nil {
				t.Fatal(err)
			}
			if n, _ := srv.App.Store.FollowerCount(ctx, o.ID); n != 0 {
				t.Fatalf("%d followers after the server was blocked, want 0", n)
			}
			if status := lea.Send(t, actorID+"/inbox", lea.Follow(actorID)); status != http.StatusForbidden {
				t.Fatalf("follow from a blocked server: %d, want 403", status)
			}
			if n, _ := srv.App.Store.FollowerCount(ctx, o.ID); n != 0 {
				t.Fatalf("%d followers after a blocked Follow, want 0", n)
			}
		})
	}
}
