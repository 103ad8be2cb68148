package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"plein/internal/federation"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// followersShown fetches the followers collection of an organisation as a
// Fediverse server does and returns its totalItems.
func followersShown(t *testing.T, srv *pleintest.Server, o *model.Org) int {
	t.Helper()
	resp, body := srv.Get(t, "/orgs/"+o.ID+"/followers", "Accept", "application/activity+json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("followers collection: %d", resp.StatusCode)
	}
	var c struct {
		TotalItems int `json:"totalItems"`
	}
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatalf("followers collection: %v", err)
	}
	return c.TotalItems
}

// followAccepted makes a follow an organisation and waits for its Accept.
func followAccepted(t *testing.T, fed *pleintest.Fediverse, srv *pleintest.Server, o *model.Org, a *pleintest.RemoteActor) {
	t.Helper()
	actorID := srv.URL + "/orgs/" + o.ID
	f := a.Follow(actorID)
	if status := a.Send(t, actorID+"/inbox", f); status != http.StatusAccepted {
		t.Fatalf("follow: %d", status)
	}
	fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Accept" && r.Activity.Object.ID == f.ID
	})
}

// idle waits until no job waits to run or runs.
func idle(t *testing.T, srv *pleintest.Server) {
	t.Helper()
	pleintest.Eventually(t, 20*time.Second, func() error {
		counts, err := srv.App.Store.JobCounts(context.Background())
		if err != nil {
			return err
		}
		if n := counts["available"] + counts["running"]; n > 0 {
			return fmt.Errorf("%d jobs waiting to run or running", n)
		}
		return nil
	})
}

func cancelledJobs(t *testing.T, srv *pleintest.Server) int64 {
	t.Helper()
	counts, err := srv.App.Store.JobCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return counts["cancelled"]
}

// TestGoneFollowers: a follower whose own inbox answers 410 Gone is removed
// after one delivery; a shared inbox answering 410 removes nobody; an actor
// document answering 410 ends that actor's follows.
func TestGoneFollowers(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			t.Run("own inbox", func(t *testing.T) {
				fed := pleintest.NewFediverse(t)
				alice, bob := fed.NewActorWithoutSharedInbox(t, "alice"), fed.NewActor(t, "bob")
				srv := pleintest.NewServer(t, e)
				o := srv.Org(t, "almere")
				followAccepted(t, fed, srv, o, alice)
				followAccepted(t, fed, srv, o, bob)
				srv.WaitFresh(t)
				if n := followersShown(t, srv, o); n != 2 {
					t.Fatalf("followers collection shows %d, want 2", n)
				}

				alice.Gone()
				srv.Post(t, o, "Het gemeentehuis is maandag gesloten.")
				pleintest.Eventually(t, 20*time.Second, func() error {
					if n := followers(t, srv, o); n != 1 {
						return fmt.Errorf("%d followers, want 1 once alice's inbox answered 410", n)
					}
					return nil
				})
				if n := fed.Requests("/users/alice/inbox"); n != 2 { // the Accept, then the Create
					t.Errorf("alice's inbox got %d requests, want 2: a delivery to a gone inbox is not retried", n)
				}
				srv.WaitFresh(t)
				if n := followersShown(t, srv, o); n != 1 {
					t.Fatalf("followers collection shows %d after a follower is gone, want 1", n)
				}

				// The next post goes to bob's server only.
				p := srv.Post(t, o, "Het gemeentehuis is weer open.")
				fed.WaitFor(t, 20*time.Second, func(r pleintest.Received) bool {
					return r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == srv.URL+"/posts/"+p.ID
				})
				if n := fed.Requests("/users/alice/inbox"); n != 2 {
					t.Errorf("alice's inbox got %d requests after she was gone", n)
				}
			})
			t.Run("shared inbox", func(t *testing.T) {
				fed := pleintest.NewFediverse(t)
				bob, cas := fed.NewActor(t, "bob"), fed.NewActor(t, "cas")
				srv := pleintest.NewServer(t, e)
				o := srv.Org(t, "zwolle")
				followAccepted(t, fed, srv, o, bob)
				followAccepted(t, fed, srv, o, cas)
				before := cancelledJobs(t, srv)

				fed.SetInboxStatus(http.StatusGone)
				srv.Post(t, o, "Afvalkalender 2027 staat online.")
				pleintest.Eventually(t, 20*time.Second, func() error {
					if n := cancelledJobs(t, srv); n != before+1 {
						return fmt.Errorf("%d cancelled jobs, want %d once the shared inbox answered 410", n, before+1)
					}
					return nil
				})
				if n := fed.Requests("/inbox"); n != 1 {
					t.Errorf("the shared inbox got %d requests, want 1: a 410 is not retried", n)
				}
				if n := followers(t, srv, o); n != 2 {
					t.Fatalf("%d followers after the shared inbox answered 410, want 2", n)
				}
			})
			t.Run("actor document", func(t *testing.T) {
				clock := pleintest.NewClock(time.Now())
				fed := pleintest.NewFediverse(t)
				alice := fed.NewActor(t, "alice")
				srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
				o := srv.Org(t, "delft")
				followAccepted(t, fed, srv, o, alice)

				// A day later alice's key is fetched again, and her account is gone.
				clock.Advance(25 * time.Hour)
				alice.Gone()
				actorID := srv.URL + "/orgs/" + o.ID
				if status := alice.Send(t, actorID+"/inbox", alice.Like(actorID), pleintest.DateOffset(25*time.Hour)); status == http.StatusAccepted {
					t.Fatalf("an activity of a gone actor was accepted")
				}
				if n := followers(t, srv, o); n != 0 {
					t.Fatalf("%d followers after alice's actor answered 410, want 0", n)
				}
			})
		})
	}
}

// TestRecoveredServer: a paused server that sends a signed activity gets
// its waiting deliveries at once, long before its pause would end.
func TestRecoveredServer(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := pleintest.NewClock(time.Now())
			fed := pleintest.NewFediverse(t)
			bob := fed.NewActor(t, "bob")
			srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
			o := srv.Org(t, "leiden")
			followAccepted(t, fed, srv, o, bob)

			// The Accept made the server healthy for a while (once its
			// delivery job is done); later its deliveries failed often
			// enough to pause it.
			idle(t, srv)
			clock.Advance(time.Hour)
			now := clock.Now()
			for range federation.PauseAfterFailures {
				if _, err := srv.App.Store.DeliveryFailed(ctx, fed.Host, now, func(failures int) time.Time {
					if failures < federation.PauseAfterFailures {
						return time.Time{}
					}
					return now.Add(federation.MinPause)
				}); err != nil {
					t.Fatal(err)
				}
			}
			p := srv.Post(t, o, "Nieuwe openingstijden van de bibliotheek.")
			pleintest.Eventually(t, 20*time.Second, func() error {
				counts, err := srv.App.Store.JobCounts(ctx)
				if err != nil {
					return err
				}
				if counts["scheduled"] == 0 {
					return fmt.Errorf("job counts %v: the Create does not wait yet", counts)
				}
				return nil
			})
			create := func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == srv.URL+"/posts/"+p.ID
			}
			if n := len(filter(fed.Received(), create)); n != 0 {
				t.Fatalf("the Create reached a paused server")
			}

			// The server sends a Like: it is up again.
			if status := bob.Send(t, srv.URL+"/inbox", bob.Like(srv.URL+"/posts/"+p.ID)); status != http.StatusAccepted {
				t.Fatalf("like: %d", status)
			}
			fed.WaitFor(t, 20*time.Second, create)
			if failures, until, err := srv.App.Store.DeliveryHost(ctx, fed.Host); err != nil || failures != 0 || !until.IsZero() {
				t.Fatalf("delivery host after the Like: %d failures, paused until %v, %v", failures, until, err)
			}
		})
	}
}
