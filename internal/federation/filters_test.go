package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
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

// TestFiltersAndBlockModesOverFederation proves keyword filters and the
// two modes of a server block against the test Fediverse, with signed
// requests both ways: a reply that matches a refuse filter is refused at
// once and its author's server receives a statement that says it was
// automated (and the export marks it so); a reply that matches a hold
// filter stays pending, flagged; an edit is screened again; a reply from
// a server blocked to hide replies is never shown, while its follows
// stay; a suspended server's Follow gets 403.
func TestFiltersAndBlockModesOverFederation(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed, loud, spam := pleintest.NewFediverse(t), pleintest.NewFediverse(t), pleintest.NewFediverse(t)
			kim, lea := fed.NewActor(t, "kim"), fed.NewActor(t, "lea")
			max, sam := loud.NewActor(t, "max"), spam.NewActor(t, "sam")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De markt verhuist naar het Stadhuisplein.")
			noteID := srv.URL + "/posts/" + p.ID
			mod := srv.App.Moderation
			if _, err := mod.AddFilter(ctx, auth.Operator(), o.ID, "Koop nu", model.FilterRefuse); err != nil {
				t.Fatal(err)
			}
			if _, err := mod.AddFilter(ctx, auth.Operator(), o.ID, "horloges", model.FilterHold); err != nil {
				t.Fatal(err)
			}

			// A refuse filter: refused on arrival, the statement sent.
			bad := lea.Reply(noteID, "<p>KOOP NU horloges bij mij!</p>")
			if status := lea.Send(t, srv.URL+"/inbox", bad); status != http.StatusAccepted {
				t.Fatalf("reply: %d", status)
			}
			badID := bad.Object.ObjectID()
			r, err := srv.App.Store.Reply(ctx, badID)
			if err != nil || r.State != model.ReplyRefused || r.DecidedBy != moderation.AutomatedDecider {
				t.Fatalf("reply matching a refuse filter: %+v %v", r, err)
			}
			statements, err := mod.Statements(ctx, auth.Operator(), o.ID, time.Time{}, time.Time{})
			if err != nil || len(statements) != 1 {
				t.Fatalf("statements %+v %v", statements, err)
			}
			st := statements[0]
			if !st.AutomatedDetection || st.AutomatedDecision != moderation.AutomatedFully || st.Ground != model.GroundIncompatible ||
				st.SourceType != moderation.SourceVoluntary || st.ReplyID != badID || strings.Contains(st.Explanation, "Koop nu") {
				t.Fatalf("automated statement %+v", st)
			}
			got := fed.WaitFor(t, 20*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == activity.TypeCreate &&
					r.Activity.Object.ID == srv.URL+"/statements/"+st.ID
			})
			n := got.Activity.Object.Note
			if !strings.HasSuffix(got.Inbox, "/users/lea/inbox") || n.InReplyTo != badID || !strings.Contains(n.Content, "automatisch") ||
				strings.Contains(n.Content, "geen geautomatiseerde") || !strings.Contains(n.Content, "bezwaar") || !strings.Contains(n.Content, "Koop nu") {
				t.Fatalf("statement note to %s: %s", got.Inbox, n.Content)
			}
			var export bytes.Buffer
			if err := moderation.WriteTDB(&export, statements); err != nil {
				t.Fatal(err)
			}
			var batch moderation.TDBBatch
			if err := json.Unmarshal(export.Bytes(), &batch); err != nil || len(batch.Statements) != 1 {
				t.Fatalf("export %s: %v", export.Bytes(), err)
			}
			if tdb := batch.Statements[0]; tdb.AutomatedDetection != "Yes" || tdb.AutomatedDecision != "AUTOMATED_DECISION_FULLY" ||
				tdb.DecisionGround != moderation.GroundIncompatibleContent || tdb.IncompatibleContentGround == "" || tdb.PUID != st.ID ||
				strings.Contains(export.String(), lea.ID) || strings.Contains(export.String(), "lea") || strings.Contains(export.String(), "Koop nu") {
				t.Fatalf("exported automated statement: %s", export.Bytes())
			}

			// A hold filter: pending, flagged with the phrase.
			held := kim.Reply(noteID, "<p>Mooie horloges daar.</p>")
			if status := kim.Send(t, srv.URL+"/inbox", held); status != http.StatusAccepted {
				t.Fatalf("reply: %d", status)
			}
			queue, err := mod.Queue(ctx, auth.Operator(), o.ID, model.ReplyPending)
			if err != nil || len(queue) != 1 || queue[0].Reply.ID != held.Object.ObjectID() || len(queue[0].Filters) != 1 ||
				queue[0].Filters[0].Phrase != "horloges" || queue[0].Filters[0].Action != model.FilterHold {
				t.Fatalf("queue %+v %v", queue, err)
			}

			// Its edit adds a refused phrase: refused when it arrives.
			edited := map[string]any{"@context": activity.DefaultContext(), "id": kim.ID + "#updates/1", "type": "Update", "actor": kim.ID,
				"to": []string{activity.Public}, "object": map[string]any{"id": held.Object.ObjectID(), "type": "Note",
					"attributedTo": kim.ID, "inReplyTo": noteID, "to": []string{activity.Public}, "content": "<p>Mooie horloges. Koop nu!</p>"}}
			if status := kim.Send(t, srv.URL+"/inbox", edited); status != http.StatusAccepted {
				t.Fatalf("update: %d", status)
			}
			if r, err := srv.App.Store.Reply(ctx, held.Object.ObjectID()); err != nil || r.State != model.ReplyRefused {
				t.Fatalf("edited reply matching a refuse filter: %+v %v", r, err)
			}

			// A server whose replies are hidden: it may follow, its replies
			// are refused and never shown, even when approved by hand.
			actorID := srv.URL + "/orgs/" + o.ID
			if _, err := mod.BlockWith(ctx, auth.Operator(), o.ID, loud.URL, "loud", model.BlockHideReplies); err != nil {
				t.Fatal(err)
			}
			if status := max.Send(t, actorID+"/inbox", max.Follow(actorID)); status != http.StatusAccepted {
				t.Fatalf("follow from a server whose replies are hidden: %d", status)
			}
			if n, _ := srv.App.Store.FollowerCount(ctx, o.ID); n != 1 {
				t.Fatalf("%d followers, want 1", n)
			}
			loudReply := max.Reply(noteID, "<p>Luidruchtig maar onschuldig.</p>")
			if status := max.Send(t, srv.URL+"/inbox", loudReply); status != http.StatusAccepted {
				t.Fatalf("reply from a server whose replies are hidden: %d", status)
			}
			if r, err := srv.App.Store.Reply(ctx, loudReply.Object.ObjectID()); err != nil || r.State != model.ReplyRefused {
				t.Fatalf("reply from a server whose replies are hidden: %+v %v", r, err)
			}
			if err := mod.Approve(ctx, auth.Operator(), loudReply.Object.ObjectID()); err != nil {
				t.Fatal(err)
			}
			srv.WaitFresh(t)
			if _, page := srv.Get(t, "/@almere/"+p.ID); strings.Contains(string(page), "Luidruchtig") {
				t.Fatalf("a reply from a server whose replies are hidden is on the page:\n%s", page)
			}
			if shown, err := mod.Shown(ctx, o.ID, p.ID); err != nil || len(shown) != 0 {
				t.Fatalf("shown replies %+v %v", shown, err)
			}

			// A suspended server: its Follow is refused.
			if _, err := mod.BlockWith(ctx, auth.Operator(), "", spam.URL, "spam", model.BlockSuspend); err != nil {
				t.Fatal(err)
			}
			if status := sam.Send(t, actorID+"/inbox", sam.Follow(actorID)); status != http.StatusForbidden {
				t.Fatalf("follow from a suspended server: %d, want 403", status)
			}
		})
	}
}
