package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

func followers(t *testing.T, srv *pleintest.Server, o *model.Org) int {
	t.Helper()
	n, err := srv.App.Store.FollowerCount(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// seenFollowers is the number of followers of the organisation's actor as
// another server sees it: the size of the followers collection its actor
// advertises, once the node serves the latest change.
func seenFollowers(t *testing.T, srv *pleintest.Server, fed *pleintest.Fediverse, o *model.Org) int {
	t.Helper()
	srv.WaitFresh(t)
	return fed.FollowersCount(t, srv.URL+"/orgs/"+o.ID)
}

func received(fed *pleintest.Fediverse, typ, object string) int {
	n := 0
	for _, r := range fed.Received() {
		if r.Activity != nil && r.Activity.Type == typ && r.Activity.Object.ID == object {
			n++
		}
	}
	return n
}

// TestFollowPublishReact is a Mastodon-like server following an
// organisation, receiving its posts, edits and deletions, reacting, and
// undoing; every request in both directions is signed and verified.
func TestFollowPublishReact(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			alice, bob := fed.NewActor(t, "alice"), fed.NewActor(t, "bob")
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "almere")
			actorID := srv.URL + "/orgs/" + o.ID
			inbox := actorID + "/inbox"
			verified := func(typ string) func(pleintest.Received) bool {
				return func(r pleintest.Received) bool {
					return r.Verified && r.Activity != nil && r.Activity.Type == typ
				}
			}

			follow := alice.Follow(actorID)
			if status := alice.Send(t, inbox, follow); status != http.StatusAccepted {
				t.Fatalf("follow: %d", status)
			}
			accept := fed.WaitFor(t, 10*time.Second, verified("Accept"))
			if accept.Activity.Actor != actorID || accept.KeyID != actorID+"#main-key" || !strings.HasSuffix(accept.Inbox, "/users/alice/inbox") {
				t.Fatalf("accept %s", accept)
			}
			// The same Follow delivered again is processed once.
			if status := alice.Send(t, inbox, follow); status != http.StatusAccepted {
				t.Fatalf("repeated follow: %d", status)
			}
			if status := bob.Send(t, srv.URL+"/inbox", bob.Follow(actorID)); status != http.StatusAccepted {
				t.Fatalf("follow via the shared inbox: %d", status)
			}
			pleintest.Eventually(t, 10*time.Second, func() error {
				if n := len(filter(fed.Received(), verified("Accept"))); n != 2 {
					return pleintest.ErrNotYet
				}
				return nil
			})
			if n, seen := followers(t, srv, o), seenFollowers(t, srv, fed, o); n != 2 || seen != 2 {
				t.Fatalf("%d followers, the followers collection shows %d, want 2", n, seen)
			}

			// A changed profile reaches the followers as an Update of the actor.
			if _, err := srv.App.Orgs.UpdateProfile(ctx, auth.Operator(), o.ID, org.Profile{DisplayName: "Gemeente Almere",
				Description: "Nieuws", Language: "nl"}); err != nil {
				t.Fatal(err)
			}
			fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return verified("Update")(r) && r.Activity.Object.ID == actorID && strings.Contains(string(r.Raw), "Gemeente Almere")
			})

			// A new post reaches the server once, on its shared inbox.
			p := srv.Post(t, o, "De **brug** is weer open.")
			noteID := srv.URL + "/posts/" + p.ID
			create := fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return verified("Create")(r) && r.Activity.Object.ID == noteID
			})
			if !strings.HasSuffix(create.Inbox, fed.Host+"/inbox") || create.Activity.Object.Note == nil || !strings.Contains(create.Activity.Object.Note.Content, "<strong>brug</strong>") {
				t.Fatalf("create %s", create)
			}
			if _, err := srv.App.Posts.Edit(ctx, auth.Operator(), p.ID, post.Input{Text: "De brug is weer open, de fietsbrug nog niet."}); err != nil {
				t.Fatal(err)
			}
			fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return verified("Update")(r) && r.Activity.Object.ID == noteID && strings.Contains(r.Activity.Object.Note.Content, "fietsbrug")
			})

			// Reactions are counted; only a keyed hash of who is kept.
			like := alice.Like(noteID)
			for _, tc := range []struct {
				from *pleintest.RemoteActor
				a    activity.Activity
			}{{alice, like}, {alice, alice.Like(noteID)}, {bob, bob.Like(noteID)}, {bob, bob.Announce(noteID)}} {
				if status := tc.from.Send(t, srv.URL+"/inbox", tc.a); status != http.StatusAccepted {
					t.Fatalf("%s: %d", tc.a.Type, status)
				}
			}
			likes, boosts, err := srv.App.Federation.Reactions(ctx, p.ID)
			if err != nil || likes != 2 || boosts != 1 {
				t.Fatalf("likes %d boosts %d (%v), want 2 and 1: a second like of one actor counts once", likes, boosts, err)
			}
			// A reply is kept sanitised, pending moderation.
			reply := bob.Reply(noteID, `<p>Dank! <script>alert(1)</script><a href="javascript:x">klik</a></p>`)
			if status := bob.Send(t, srv.URL+"/inbox", reply); status != http.StatusAccepted {
				t.Fatalf("reply: %d", status)
			}
			replies, err := srv.App.Federation.Replies(ctx, p.ID)
			if err != nil || len(replies) != 1 || replies[0].State != model.ReplyPending ||
				strings.Contains(replies[0].ContentHTML, "script") || strings.Contains(replies[0].ContentHTML, "javascript") ||
				!strings.Contains(replies[0].ContentHTML, "Dank!") {
				t.Fatalf("replies %+v %v", replies, err)
			}
			// Staff answer a citizen who does not follow: the answer reaches
			// the citizen's server, mentions the citizen and replies to the note.
			carolFed := pleintest.NewFediverse(t)
			carol := carolFed.NewActor(t, "carol")
			question := carol.Reply(noteID, "<p>Geldt dit ook voor de fietsbrug?</p>")
			if status := carol.Send(t, srv.URL+"/inbox", question); status != http.StatusAccepted {
				t.Fatalf("question: %d", status)
			}
			questionNote := question.Object.ObjectID()
			answer, err := srv.App.Posts.Answer(ctx, auth.Operator(), questionNote, "De fietsbrug gaat vrijdag open.")
			if err != nil {
				t.Fatal(err)
			}
			got := carolFed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return verified("Create")(r) && r.Activity.Object.ID == srv.URL+"/posts/"+answer.ID
			})
			n := got.Activity.Object.Note
			if n.InReplyTo != questionNote || len(n.Tag) != 1 || n.Tag[0].Type != "Mention" || n.Tag[0].Href != carol.ID {
				t.Fatalf("answer note %+v", n)
			}
			alice.Send(t, srv.URL+"/inbox", alice.Undo(like))
			if likes, _, _ := srv.App.Federation.Reactions(ctx, p.ID); likes != 1 {
				t.Fatalf("likes after undo: %d", likes)
			}

			if _, err := srv.App.Posts.Delete(ctx, auth.Operator(), p.ID); err != nil {
				t.Fatal(err)
			}
			fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return verified("Delete")(r) && r.Activity.Object.ID == noteID
			})
			if n := received(fed, "Create", noteID); n != 1 {
				t.Fatalf("the post reached the server %d times, want once (one shared inbox)", n)
			}

			// An Undo naming the Follow by its id only, as Pleroma sends it.
			undo := alice.Undo(follow)
			undo.Object = activity.IRI(follow.ID)
			alice.Send(t, inbox, undo)
			if n, seen := followers(t, srv, o), seenFollowers(t, srv, fed, o); n != 1 || seen != 1 {
				t.Fatalf("%d followers after an undo, the followers collection shows %d, want 1", n, seen)
			}
			bob.Send(t, srv.URL+"/inbox", bob.DeleteSelf())
			if n, seen := followers(t, srv, o), seenFollowers(t, srv, fed, o); n != 0 || seen != 0 {
				t.Fatalf("%d followers after the follower deleted itself, the followers collection shows %d, want 0", n, seen)
			}
			if _, err := srv.App.Store.RemoteActor(ctx, bob.ID); err == nil {
				t.Fatal("a deleted actor is still stored")
			}
			replies, _ = srv.App.Federation.Replies(ctx, p.ID)
			for _, r := range replies {
				if r.ActorID == bob.ID {
					t.Fatalf("a reply of a deleted actor is still stored: %s", r.ID)
				}
			}
			if len(replies) != 1 {
				t.Fatalf("%d replies left, want carol's", len(replies))
			}
		})
	}
}

func filter(rs []pleintest.Received, match func(pleintest.Received) bool) []pleintest.Received {
	var out []pleintest.Received
	for _, r := range rs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// TestInboxRefusals sends what a hostile or broken server might; each is
// refused with the right status and nothing is stored.
func TestInboxRefusals(t *testing.T) {
	fed := pleintest.NewFediverse(t)
	alice, bob := fed.NewActor(t, "alice"), fed.NewActor(t, "bob")
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	o := srv.Org(t, "almere")
	actorID := srv.URL + "/orgs/" + o.ID
	inbox := actorID + "/inbox"
	otherHost := alice.Follow(actorID)
	otherHost.ID = "https://elsewhere.example/activities/1"
	for _, tc := range []struct {
		name   string
		send   func() int
		status int
	}{
		{"unsigned", func() int { return alice.Send(t, inbox, alice.Follow(actorID), pleintest.Unsigned()) }, 401},
		{"wrong key", func() int { return alice.Send(t, inbox, alice.Follow(actorID), pleintest.WrongKey()) }, 401},
		{"body changed after signing", func() int { return alice.Send(t, inbox, alice.Follow(actorID), pleintest.TamperBody()) }, 401},
		{"date too old", func() int { return alice.Send(t, inbox, alice.Follow(actorID), pleintest.DateOffset(-13*time.Hour)) }, 401},
		{"key of another actor", func() int { return alice.Send(t, inbox, alice.Follow(actorID), pleintest.WithKeyID(bob.KeyID)) }, 401},
		{"activity id on another host", func() int { return alice.Send(t, inbox, otherHost) }, 401},
		{"malformed JSON", func() int { return alice.Send(t, inbox, []byte(`{"type":"Follow",`)) }, 400},
		{"oversized body", func() int {
			return alice.Send(t, inbox, []byte(`{"x":"`+strings.Repeat("a", activity.MaxActivityBytes)+`"}`))
		}, 413},
		{"follow of nobody here", func() int { return alice.Send(t, inbox, alice.Follow(srv.URL+"/orgs/nobody")) }, 400},
	} {
		if got := tc.send(); got != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.status)
		}
		if n := followers(t, srv, o); n != 0 {
			t.Fatalf("%s: %d followers stored", tc.name, n)
		}
	}
	if n := len(fed.Received()); n != 0 {
		t.Fatalf("refused requests made Plein send %d activities", n)
	}

	// Without --allow-private-networks Plein does not fetch keys from a
	// server on a private address, so it cannot accept its requests.
	strict := pleintest.NewServer(t, storetest.Engines()[0], func(c *config.Config) { c.AllowPrivateNetworks = false })
	fetchesBefore := fed.Requests("/users/alice")
	so := strict.Org(t, "strict")
	if got := alice.Send(t, strict.URL+"/orgs/"+so.ID+"/inbox", alice.Follow(strict.URL+"/orgs/"+so.ID)); got != 401 {
		t.Errorf("follow from a private address: %d, want 401", got)
	}
	if n := fed.Requests("/users/alice") - fetchesBefore; n != 0 {
		t.Errorf("Plein fetched a private address %d times", n)
	}
	if n := followers(t, strict, so); n != 0 {
		t.Fatalf("%d followers stored from a private address", n)
	}
}

// TestKeyIDWithPath follows from an actor whose key id is a path of its
// own (actor/main-key), as GoToSocial signs.
func TestKeyIDWithPath(t *testing.T) {
	fed := pleintest.NewFediverse(t)
	gts := fed.NewActorWithKeyPath(t, "gts")
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	o := srv.Org(t, "almere")
	actorID := srv.URL + "/orgs/" + o.ID
	for range 2 { // the second follow uses the cached key
		if status := gts.Send(t, actorID+"/inbox", gts.Follow(actorID)); status != http.StatusAccepted {
			t.Fatalf("follow signed with %s: %d", gts.KeyID, status)
		}
	}
	if n := followers(t, srv, o); n != 1 {
		t.Fatalf("%d followers, want 1", n)
	}
	if n := fed.Requests("/users/gts/main-key"); n != 1 {
		t.Errorf("the key document was fetched %d times, want once (then cached)", n)
	}
	// A key id that names an owner on another server is refused.
	if status := gts.Send(t, actorID+"/inbox", gts.Follow(actorID), pleintest.WithKeyID("http://127.0.0.1:1/users/x#main-key")); status != http.StatusUnauthorized {
		t.Errorf("key on an unreachable server: %d", status)
	}
}
