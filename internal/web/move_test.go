package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// TestMoveFollowersIn moves the 100 followers of a Mastodon-like account
// to an organisation: the organisation lists the old account as an earlier
// one, the old account sends its Move to its followers' server and to the
// organisation; the followers' server, as strict as Mastodon, fetches the
// organisation, resolves it through WebFinger, checks its alsoKnownAs and
// has all 100 follow it at once. Every Follow is accepted, and the profile
// screen shows the Move and the 100 follows.
func TestMoveFollowersIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		srv, o := f.srv, f.org
		oldServer, followerServer := pleintest.NewFediverse(t), pleintest.NewFediverse(t)
		old := oldServer.NewActor(t, "gemeente")
		followers := followerServer.NewActors(t, "inwoner", 100)
		followerServer.Follows(old.ID, followers...)
		actorID := srv.URL + "/orgs/" + o.ID

		admin := f.client(t, "admin@rotterdam.nl")
		_, page := admin.get("/staff/orgs/rotterdam/profile")
		if !strings.Contains(page, "@rotterdam@"+strings.TrimPrefix(srv.URL, "http://")) || !strings.Contains(page, "Nog geen eerder account") {
			t.Fatalf("the guide does not give the address to move to or the missing step 1:\n%s", page)
		}
		if _, err := srv.App.Orgs.UpdateProfile(ctx, auth.Operator(), o.ID, org.Profile{DisplayName: o.DisplayName,
			Language: o.Language, TimeZone: o.TimeZone, AlsoKnownAs: []string{old.ID}}); err != nil {
			t.Fatal(err)
		}
		srv.WaitFresh(t)
		// What Mastodon checks: the actor names the old account, and
		// WebFinger of its address leads back to the actor.
		status, doc := followerServer.Fetch(t, actorID)
		a, err := activity.ParseActor(doc)
		if status != http.StatusOK || err != nil || !slices.Contains(a.AlsoKnownAs, old.ID) {
			t.Fatalf("actor document %d %v: alsoKnownAs %q lacks %s", status, err, a.AlsoKnownAs, old.ID)
		}

		// A Move naming the organisation from an account it does not list
		// is refused; the real one is accepted and recorded.
		stranger := oldServer.NewActor(t, "vreemde")
		if status := stranger.Send(t, actorID+"/inbox", stranger.Move(actorID)); status != http.StatusBadRequest {
			t.Fatalf("Move from an account not listed: %d, want 400", status)
		}
		move := old.Move(actorID)
		if status := old.Send(t, actorID+"/inbox", move); status != http.StatusAccepted {
			t.Fatalf("Move to the organisation's inbox: %d", status)
		}
		if status := old.Send(t, followerServer.URL+"/inbox", move); status != http.StatusAccepted {
			t.Fatalf("Move to the followers' server: %d", status)
		}
		out := followerServer.WaitMove(t, time.Minute, old.ID)
		if out.Err != nil {
			t.Fatalf("the followers' server did not follow the organisation: %v", out.Err)
		}
		for i, st := range out.Statuses {
			if st != http.StatusAccepted {
				t.Fatalf("Follow %d of the burst answered %d", i, st)
			}
		}
		t.Logf("%s: 100 Follows sent at once, all answered 202 in %v", e.Name, out.Took)
		for _, follow := range out.Follows {
			followerServer.WaitFor(t, time.Minute, func(r pleintest.Received) bool {
				return r.Verified && r.Activity.Type == activity.TypeAccept && r.Activity.Actor == actorID && r.Activity.Object.ID == follow
			})
		}
		if n, err := srv.App.Store.FollowerCount(ctx, o.ID); err != nil || n != 100 {
			t.Fatalf("followers %d %v, want 100", n, err)
		}

		_, page = admin.get("/staff/orgs/rotterdam/profile")
		if !strings.Contains(page, "Verhuizing van "+old.ID) || !strings.Contains(page, "Sindsdien 100 nieuwe volgers") ||
			!strings.Contains(page, followers[0].ID) || !strings.Contains(page, followers[99].ID) {
			t.Fatalf("the profile screen does not show the Move and its 100 follows:\n%s", page)
		}
		st, err := srv.App.Federation.MoveIn(ctx, auth.Operator(), o.ID)
		if err != nil || len(st.Moves) != 1 || st.Moves[0].ActivityID != move.ID || st.Count != 100 || len(st.Followers) != 100 {
			t.Fatalf("move-in status %+v %v", st, err)
		}
		if _, err := srv.App.Federation.MoveIn(ctx, auth.Actor{UserID: "nobody"}, o.ID); !errors.Is(err, model.ErrForbidden) {
			t.Fatalf("move-in status for a stranger: %v, want forbidden", err)
		}
	})
}

// TestMoveIgnoredForNonFollower sends a Move from an account that follows
// nothing here: it is accepted and ignored, without fetching its target.
func TestMoveIgnoredForNonFollower(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		srv := pleintest.NewServer(t, e)
		srv.Org(t, "almere")
		fed := pleintest.NewFediverse(t)
		mover, target := fed.NewActor(t, "mover"), fed.NewActor(t, "target")
		target.SetAlsoKnownAs(t, mover.ID)
		if status := mover.Send(t, srv.URL+"/inbox", mover.Move(target.ID)); status != http.StatusAccepted {
			t.Fatalf("Move of an account that follows nothing: %d, want 202", status)
		}
		if n := fed.Requests("/users/target"); n != 0 {
			t.Fatalf("the target was fetched %d times for a Move that hands nothing over", n)
		}
	})
}

// TestMoveOut moves an organisation to an account on a Mastodon-like
// server that names it as an earlier account: its followers receive a
// signed Move and follow the new account, its actor names the new one in
// movedTo, its page says where it went in Dutch and English, and
// publishing is refused.
func TestMoveOut(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		srv, o := f.srv, f.org
		fed := pleintest.NewFediverse(t)
		actorID := srv.URL + "/orgs/" + o.ID
		var followers []*pleintest.RemoteActor
		for i := range 3 {
			a := fed.NewActor(t, fmt.Sprintf("volger%d", i))
			follow := a.Follow(actorID)
			if status := a.Send(t, actorID+"/inbox", follow); status != http.StatusAccepted {
				t.Fatalf("follow: %d", status)
			}
			fed.WaitFor(t, 30*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity.Type == activity.TypeAccept && r.Activity.Object.ID == follow.ID
			})
			followers = append(followers, a)
		}
		fed.Follows(actorID, followers...)
		newAccount := fed.NewActor(t, "rotterdam")
		srv.Post(t, o, "Het laatste bericht hier.")

		admin := f.client(t, "admin@rotterdam.nl")
		admin.get("/staff/orgs/rotterdam/profile")
		for _, tc := range []struct {
			name, to, confirm, want string
		}{
			{"no confirmation", newAccount.ID, "", "typ de handle"},
			{"not an account", "niets", "rotterdam", "is geen Fediverse-account"},
			{"earlier account not named", "@rotterdam@" + fed.Host, "rotterdam", "noemt deze organisatie niet als eerder account"},
		} {
			resp, page := admin.post("/staff/orgs/rotterdam/move", url.Values{"to": {tc.to}, "confirm": {tc.confirm}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, tc.want) {
				t.Fatalf("%s: %d, want 422 with %q:\n%s", tc.name, resp.StatusCode, tc.want, page)
			}
		}
		editor := f.client(t, "editor@rotterdam.nl")
		editor.get("/staff/orgs/rotterdam/posts")
		if resp, _ := editor.post("/staff/orgs/rotterdam/move", url.Values{"to": {newAccount.ID}, "confirm": {"rotterdam"}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an editor moved the organisation: %d", resp.StatusCode)
		}

		newAccount.SetAlsoKnownAs(t, actorID)
		resp, _ := admin.post("/staff/orgs/rotterdam/move", url.Values{"to": {"@rotterdam@" + fed.Host}, "confirm": {"rotterdam"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("move: %d", resp.StatusCode)
		}
		move := fed.WaitFor(t, time.Minute, func(r pleintest.Received) bool {
			return r.Activity != nil && r.Activity.Type == activity.TypeMove
		})
		if !move.Verified || move.Activity.Actor != actorID || move.Activity.Object.ID != actorID || move.Activity.Target != newAccount.ID {
			t.Fatalf("Move received: %s, target %s", move, move.Activity.Target)
		}
		out := fed.WaitMove(t, time.Minute, actorID)
		if out.Err != nil || len(out.Statuses) != 3 || slices.ContainsFunc(out.Statuses, func(s int) bool { return s != http.StatusAccepted }) {
			t.Fatalf("the followers did not follow the new account: %+v", out)
		}

		_, doc := fed.Fetch(t, actorID)
		a, err := activity.ParseActor(doc)
		if err != nil || a.MovedTo != newAccount.ID {
			t.Fatalf("actor movedTo %q %v, want %s", a.MovedTo, err, newAccount.ID)
		}
		srv.WaitFresh(t)
		for lang, want := range map[string]string{"nl": "is verhuisd en publiceert hier niet meer", "en": "has moved and no longer publishes here"} {
			_, body := srv.Get(t, "/@rotterdam?lang="+lang)
			if !strings.Contains(string(body), want) || !strings.Contains(string(body), `<a href="`+newAccount.ID+`">`) {
				t.Fatalf("the %s page does not say where the organisation moved:\n%s", lang, body)
			}
		}
		_, page := admin.get("/staff/orgs/rotterdam/profile")
		if !strings.Contains(page, "Deze organisatie is verhuisd naar "+newAccount.ID) {
			t.Fatalf("the profile screen does not say the organisation moved:\n%s", page)
		}

		_, err = srv.App.Posts.Create(ctx, auth.Operator(), o.ID, post.Input{Text: "Nog een bericht."}, post.When{})
		fe, ok := model.AsFieldError(err)
		if !ok || !strings.Contains(fe.In("nl"), "verhuisd naar "+newAccount.ID) || !strings.Contains(fe.In("en"), "moved to "+newAccount.ID) {
			t.Fatalf("publishing after the move: %v, want the bilingual refusal", err)
		}
		editor.get("/staff/orgs/rotterdam/compose")
		resp, page = editor.post("/staff/orgs/rotterdam/compose", url.Values{"text": {"Nog een bericht."}, "action": {"publish"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "publiceert hier niet meer") {
			t.Fatalf("compose after the move: %d:\n%s", resp.StatusCode, page)
		}
	})
}
