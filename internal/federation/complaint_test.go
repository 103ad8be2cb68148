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

// staffMember makes a staff account with role in the organisation o and
// returns it as an actor.
func staffMember(t *testing.T, srv *pleintest.Server, o *model.Org, email, name string, role model.Role) auth.Actor {
	t.Helper()
	ctx := context.Background()
	u, _, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email, Name: name, KeepPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), o.ID, email, role); err != nil {
		t.Fatal(err)
	}
	return auth.ActorOf(u)
}

// TestComplaintOverFederation proves the complaint route of the Digital
// Services Act (Art. 20) against the test Fediverse: a refused reply's
// author answers the statement of reasons, and that is a complaint; the
// admin who refused the reply may not decide it, with a message that says
// they are the only moderator, and then that another must decide; nor may
// the operator; another moderator upholds it, the reply is shown on the
// post's page again, the decision is in the audit log, and the author's
// server receives the outcome as a direct Note in the post's language.
// The statement Note is served at its id to the author's server only.
func TestComplaintOverFederation(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed, other := pleintest.NewFediverse(t), pleintest.NewFediverse(t)
			lea := fed.NewActor(t, "lea")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De markt verhuist naar het Stadhuisplein.")
			noteID := srv.URL + "/posts/" + p.ID
			admin := staffMember(t, srv, o, "beheer@almere.nl", "Anna Beheer", model.RoleAdmin)

			reply := lea.Reply(noteID, "<p>Het Stadhuisplein is te klein voor de markt.</p>")
			if status := lea.Send(t, srv.URL+"/inbox", reply); status != http.StatusAccepted {
				t.Fatalf("reply: %d", status)
			}
			replyID := reply.Object.ObjectID()
			st, err := srv.App.Moderation.Refuse(ctx, admin, replyID, moderation.Reasons{Ground: model.GroundIncompatible,
				Explanation: "Dit lijkt ons off-topic."})
			if err != nil {
				t.Fatal(err)
			}
			statementNote := srv.URL + "/statements/" + st.ID
			got := fed.WaitFor(t, 20*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Object.ID == statementNote
			})
			key, err := srv.App.Moderation.ComplaintKey(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			form := srv.URL + moderation.ComplaintPath(o.Handle, st.ID, key)
			if n := got.Activity.Object.Note; !strings.Contains(n.Content, `href="`+strings.ReplaceAll(form, "&", "&amp;")+`"`) ||
				!strings.Contains(n.Content, "gratis een klacht") {
				t.Fatalf("the statement does not link to the complaint form %s:\n%s", form, n.Content)
			}

			// The statement Note is at its id, for the author's server only.
			status, body := fed.Fetch(t, statementNote)
			var note activity.Note
			if err := json.Unmarshal(body, &note); status != http.StatusOK || err != nil || note.ID != statementNote ||
				!slices.Equal(note.To, []string{lea.ID}) || !strings.Contains(note.Content, "Dit lijkt ons off-topic.") {
				t.Fatalf("statement note for the author's server: %d %s", status, body)
			}
			if status, body := other.Fetch(t, statementNote); status != http.StatusNotFound {
				t.Fatalf("statement note for another server: %d %s", status, body)
			}
			if resp, _ := srv.Get(t, "/statements/"+st.ID, "Accept", activity.ContentType); resp.StatusCode != http.StatusNotFound {
				t.Fatalf("statement note unsigned: %d", resp.StatusCode)
			}

			// The author answers the statement: a complaint.
			if status := lea.Send(t, srv.URL+"/inbox", lea.Reply(statementNote, "<p>Het gaat juist over de markt.</p>")); status != http.StatusAccepted {
				t.Fatalf("complaint: %d", status)
			}
			items, err := srv.App.Moderation.Complaints(ctx, admin, o.ID, model.ComplaintOpen)
			if err != nil || len(items) != 1 {
				t.Fatalf("open complaints: %+v %v", items, err)
			}
			c := items[0].Complaint
			if c.Source != model.ComplaintFromFediverse || c.Author != lea.ID || c.StatementID != st.ID || c.ReplyID != replyID ||
				c.Content != "Het gaat juist over de markt." || items[0].Author != "@lea@"+fed.Host {
				t.Fatalf("complaint: %+v (%s)", c, items[0].Author)
			}

			refusedWith := func(who auth.Actor, want string) {
				t.Helper()
				_, err := srv.App.Moderation.DecideComplaint(ctx, who, c.ID, model.ComplaintUpheld, "Toch maar tonen.")
				r, ok := moderation.AsRefusal(err)
				if !ok || !strings.Contains(r.Message.In("en"), want) || r.Message.In("nl") == r.Message.In("en") {
					t.Fatalf("deciding as %s: %v, want a refusal saying %q", who.Name, err, want)
				}
			}
			refusedWith(admin, "you are the organisation's only moderator")
			refusedWith(auth.Operator(), "named staff member")
			mod := staffMember(t, srv, o, "moderatie@almere.nl", "Mo Deratie", model.RoleModerator)
			refusedWith(admin, "another moderator or admin of the organisation must review")
			if _, err := srv.App.Moderation.DecideComplaint(ctx, mod, c.ID, model.ComplaintUpheld, ""); err == nil {
				t.Fatal("an outcome without explanation was taken")
			}

			decided, err := srv.App.Moderation.DecideComplaint(ctx, mod, c.ID, model.ComplaintUpheld, "U hebt gelijk: het gaat over de markt.")
			if err != nil || decided.State != model.ComplaintUpheld {
				t.Fatalf("upheld: %+v %v", decided, err)
			}
			if _, err := srv.App.Moderation.DecideComplaint(ctx, mod, c.ID, model.ComplaintRejected, "Nee."); err == nil {
				t.Fatal("a complaint was decided twice")
			}
			if r, _ := srv.App.Store.Reply(ctx, replyID); r.State != model.ReplyShown || r.DecidedBy != mod.UserID {
				t.Fatalf("reply after the complaint was upheld: %+v", r)
			}
			srv.WaitFresh(t)
			if _, page := srv.Get(t, "/@almere/"+p.ID); !strings.Contains(string(page), "Het Stadhuisplein is te klein voor de markt.") {
				t.Fatalf("the reply is not on the post's page:\n%s", page)
			}
			outcome := fed.WaitFor(t, 20*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == activity.TypeCreate && r.Activity.Object.ID == statementNote+"/outcome"
			})
			if n := outcome.Activity.Object.Note; !strings.HasSuffix(outcome.Inbox, "/users/lea/inbox") || !slices.Equal(n.To, []string{lea.ID}) ||
				n.InReplyTo != statementNote || !strings.Contains(n.Content, "toegewezen") ||
				!strings.Contains(n.Content, "U hebt gelijk: het gaat over de markt.") || n.ContentMap["nl"] == "" {
				t.Fatalf("outcome note to %s: %+v", outcome.Inbox, n)
			}
			// The outcome Note is at its id too, for the author's server.
			status, body = fed.Fetch(t, statementNote+"/outcome")
			if err := json.Unmarshal(body, &note); status != http.StatusOK || err != nil || note.ID != statementNote+"/outcome" ||
				!strings.Contains(note.Content, "U hebt gelijk") {
				t.Fatalf("outcome note: %d %s", status, body)
			}
			if status, _ := other.Fetch(t, statementNote+"/outcome"); status != http.StatusNotFound {
				t.Fatalf("outcome note for another server: %d", status)
			}
			lines, err := srv.App.Auth.AuditLines(ctx, auth.Operator(), o.ID, 20)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, l := range lines {
				found = found || strings.Contains(l.Sentence.In("en"), "Mo Deratie (moderatie@almere.nl) upheld a complaint")
			}
			if !found {
				t.Errorf("the audit log does not tell the outcome: %+v", lines)
			}

			// A second answer is not a second complaint.
			if status := lea.Send(t, srv.URL+"/inbox", lea.Reply(statementNote, "<p>Nog iets.</p>")); status != http.StatusAccepted {
				t.Fatalf("second answer: %d", status)
			}
			if all, _ := srv.App.Moderation.Complaints(ctx, mod, o.ID, ""); len(all) != 1 {
				t.Fatalf("%d complaints after a second answer, want 1", len(all))
			}
		})
	}
}

// TestLateComplaintNote proves the Note that answers an author's
// complaint after the six months: addressed to them only, in the post's
// language, saying why it is no longer taken and where they can still go.
func TestLateComplaintNote(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			p := srv.Post(t, o, "De markt verhuist.")
			kim := &model.RemoteActor{ID: "https://social.example/users/kim", Inbox: "https://social.example/users/kim/inbox",
				Username: "kim", URL: "https://social.example/@kim", FetchedAt: time.Now()}
			if err := srv.App.Store.PutRemoteActor(ctx, kim); err != nil {
				t.Fatal(err)
			}
			r := &model.Reply{ID: "https://social.example/notes/1", PostID: p.ID, ActorID: kim.ID, ContentHTML: "<p>Nee</p>",
				State: model.ReplyPending, ReceivedAt: time.Now()}
			if err := srv.App.Store.PutReply(ctx, r); err != nil {
				t.Fatal(err)
			}
			st, err := srv.App.Moderation.Refuse(ctx, auth.Operator(), r.ID, moderation.Reasons{Ground: model.GroundIncompatible, Explanation: "Kort."})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := srv.App.Federation.ComplaintCreate(ctx, st, nil, kim)
			if err != nil {
				t.Fatal(err)
			}
			n, ok := doc.Object.(*activity.Note)
			statementNote := srv.URL + "/statements/" + st.ID
			if !ok || !strings.HasPrefix(n.ID, statementNote+"/late/") || !slices.Equal(n.To, []string{kim.ID}) || len(n.Cc) != 0 ||
				n.InReplyTo != statementNote || !strings.Contains(n.Content, "meer dan 6 maanden oud") || !strings.Contains(n.Content, "rechter") {
				t.Fatalf("late complaint note: %+v", doc.Object)
			}
		})
	}
}
