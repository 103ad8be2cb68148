package subscription_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/insights"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// subscribers subscribes n addresses to o and returns them.
func subscribers(t *testing.T, srv *pleintest.Server, o *model.Org, n int) []string {
	var out []string
	for i := range n {
		addr := fmt.Sprintf("inwoner%d@example.org", i)
		subscribe(t, srv, o.Handle, addr, nil)
		out = append(out, addr)
	}
	return out
}

// errRelayDown is a failure the next attempt may not have.
var errRelayDown = errors.New("451 4.3.0 relay busy, try again later")

// TestSendFailureMidBatch has the relay fail in the middle of a batch: with
// a temporary error for one message, with the acceptance of one message
// lost on its way back, and with a refusal for good. After the job's
// retries every subscriber has the post once, except that the one whose
// acceptance was lost may have it twice with the same Message-ID, and the
// refused one has it not at all.
func TestSendFailureMidBatch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		logs := &syncBuffer{}
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Log: logs})
		o := srv.Org(t, "almere")
		addrs := subscribers(t, srv, o, 5)
		waitIdle(t, srv)

		for _, tc := range []struct {
			name  string
			fault pleintest.Fault
			// want is how many copies each subscriber gets, by index.
			want []int
		}{
			{"temporary failure of the third", failOnce(3, false, fmt.Errorf("452 4.2.2 mailbox of <%s> full", addrs[2])), []int{1, 1, 1, 1, 1}},
			{"acceptance of the second lost", failOnce(2, true, errRelayDown), []int{1, 2, 1, 1, 1}},
			{"fourth refused for good", failOnce(4, false, fmt.Errorf("550 5.1.1 no such user <%s>: %w", addrs[3], mail.ErrRejected)), []int{1, 1, 1, 0, 1}},
		} {
			srv.Mail.SetFault(tc.fault)
			text := "Bericht bij " + tc.name
			p := srv.Post(t, o, text)
			waitIdle(t, srv)
			srv.Mail.SetFault(nil)
			for i, addr := range addrs {
				got := carrying(srv, addr, text)
				if len(got) != tc.want[i] {
					t.Errorf("%s: %s got %d copies, want %d", tc.name, addr, len(got), tc.want[i])
					continue
				}
				for _, m := range got {
					if m.ID != got[0].ID {
						t.Errorf("%s: %s got copies with Message-IDs %s and %s", tc.name, addr, got[0].ID, m.ID)
					}
				}
			}
			var ids []string
			for _, addr := range addrs {
				for _, m := range carrying(srv, addr, text) {
					if !slices.Contains(ids, m.ID) {
						ids = append(ids, m.ID)
					}
				}
			}
			want := 0
			for _, n := range tc.want {
				want += min(n, 1)
			}
			if len(ids) != want {
				t.Errorf("%s: %d distinct Message-IDs, want %d", tc.name, len(ids), want)
			}
			sent := insightCount(t, srv, o, p.ID, insights.MetricMailsSent)
			if want := int64(len(ids)); sent != want {
				t.Errorf("%s: %d mails counted as sent, want %d", tc.name, sent, want)
			}
		}
		if n := insightCount(t, srv, o, "", insights.MetricMailFailures); n != 1 {
			t.Errorf("%d mails counted as refused, want 1", n)
		}
		// The relay's errors quoted addresses; the job's errors, which
		// the queue logs, do not.
		if log := logs.String(); !strings.Contains(log, "[address]") || strings.Contains(log, addrs[2]) || strings.Contains(log, addrs[3]) {
			t.Errorf("the log holds an address, or no redacted error:\n%s", log)
		}
	})
}

// failOnce fails the n-th message offered, once: delivered or not, with
// err.
func failOnce(n int, deliver bool, err error) pleintest.Fault {
	offered := 0
	return func(_ int, m *mail.Message) (bool, error) {
		offered++
		if offered == n {
			return deliver, err
		}
		return true, nil
	}
}

// insightCount sums a metric of o (of a post, or of everything when
// postID is "") over today.
func insightCount(t *testing.T, srv *pleintest.Server, o *model.Org, postID, metric string) int64 {
	t.Helper()
	day := srv.App.Now().UTC().Format(model.DayFormat)
	counts, err := srv.App.Store.InsightCounts(context.Background(), o.ID, day, day)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, c := range counts {
		if c.Metric == metric && (postID == "" || c.PostID == postID) {
			n += c.Value
		}
	}
	return n
}

// TestDeletedBeforeSending deletes a post while the relay is down: when the
// relay is back, the post's mail goes to no one.
func TestDeletedBeforeSending(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		srv := pleintest.NewServer(t, e)
		o := srv.Org(t, "almere")
		addrs := subscribers(t, srv, o, 2)
		waitIdle(t, srv)

		srv.Mail.SetFault(func(int, *mail.Message) (bool, error) { return false, errRelayDown })
		offered := srv.Mail.Offered()
		p := srv.Post(t, o, "Per ongeluk geplaatst")
		pleintest.Eventually(t, 20*time.Second, func() error {
			if srv.Mail.Offered() == offered {
				return pleintest.ErrNotYet // the batch has not tried yet
			}
			return nil
		})
		if _, err := srv.App.Posts.Delete(context.Background(), auth.Operator(), p.ID); err != nil {
			t.Fatal(err)
		}
		srv.Mail.SetFault(nil)
		waitIdle(t, srv)
		for _, addr := range addrs {
			if got := carrying(srv, addr, "Per ongeluk"); len(got) != 0 {
				t.Errorf("%s got the deleted post", addr)
			}
		}
	})
}

// TestPausedRelayPutsTheBatchBack has the relay paused when a post goes
// out: the batch meets the pause again and again, and each time it is put
// back until the pause ends without using up an attempt (no error is
// recorded for it). Once the relay works again, every subscriber gets the
// post once.
func TestPausedRelayPutsTheBatchBack(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		logs := &syncBuffer{}
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Log: logs})
		o := srv.Org(t, "almere")
		addrs := subscribers(t, srv, o, 3)
		waitIdle(t, srv)

		// A paused relay refuses at once, saying until when.
		srv.Mail.SetFault(func(int, *mail.Message) (bool, error) {
			return false, &mail.PauseError{Until: time.Now()}
		})
		offered := srv.Mail.Offered()
		srv.Post(t, o, "Geschreven terwijl de relay rust")
		pleintest.Eventually(t, 30*time.Second, func() error {
			if n := srv.Mail.Offered() - offered; n < 3 {
				return fmt.Errorf("the batch met the pause %d times, want 3", n)
			}
			return nil
		})
		srv.Mail.SetFault(nil)
		waitIdle(t, srv)
		for _, addr := range addrs {
			if got := carrying(srv, addr, "terwijl de relay rust"); len(got) != 1 {
				t.Errorf("%s got %d copies, want 1", addr, len(got))
			}
		}
		snoozed, errored := 0, 0
		for _, line := range strings.Split(logs.String(), "\n") {
			if !strings.Contains(line, "job_kind=subscription_send") {
				continue
			}
			switch {
			case strings.Contains(line, "Job snoozed"):
				snoozed++
			case strings.Contains(line, "Job errored"):
				errored++
				t.Errorf("the batch job errored, using up an attempt: %s", line)
			}
		}
		if snoozed < 3 {
			t.Errorf("the batch job was put back %d times, want at least 3", snoozed)
		}
	})
}

// TestPauseSnoozeLength checks how long a batch waits for a paused relay,
// by the service's clock: until the pause ends, at least a second, and the
// relay's shortest pause when the error does not say.
func TestPauseSnoozeLength(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		clock := pleintest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o := srv.Org(t, "almere")
		// The post goes out before anyone subscribes; its batch is then
		// sent here, by hand.
		p := srv.Post(t, o, "Een bericht voor later")
		waitIdle(t, srv)
		addrs := subscribers(t, srv, o, 2)
		waitIdle(t, srv)
		subs, err := srv.App.Store.ListSubscriptions(ctx, store.SubscriptionFilter{OrgID: o.ID})
		if err != nil {
			t.Fatal(err)
		}
		args := subscription.SendArgs{Item: "post:" + p.ID, OrgID: o.ID, PostID: p.ID}
		for _, sub := range subs {
			args.SubscriptionIDs = append(args.SubscriptionIDs, sub.ID)
		}
		for _, tc := range []struct {
			name string
			err  error
			want time.Duration
		}{
			{"until the end of the pause", &mail.PauseError{Until: clock.Now().Add(17 * time.Minute)}, 17 * time.Minute},
			{"a pause that just ended", &mail.PauseError{Until: clock.Now().Add(-time.Minute)}, time.Second},
			{"a pause of unknown length", fmt.Errorf("relay: %w", mail.ErrPaused), mail.DefaultPauseMin},
		} {
			srv.Mail.SetFault(func(int, *mail.Message) (bool, error) { return false, tc.err })
			err := srv.App.Subscriptions.SendBatch(ctx, args)
			var snooze *river.JobSnoozeError
			if !errors.As(err, &snooze) {
				t.Errorf("%s: SendBatch returned %v, want a snooze", tc.name, err)
				continue
			}
			if snooze.Duration != tc.want {
				t.Errorf("%s: snoozed for %v, want %v", tc.name, snooze.Duration, tc.want)
			}
		}
		srv.Mail.SetFault(nil)
		if err := srv.App.Subscriptions.SendBatch(ctx, args); err != nil {
			t.Fatalf("SendBatch once the relay works: %v", err)
		}
		for _, addr := range addrs {
			if got := carrying(srv, addr, "Een bericht voor later"); len(got) != 1 {
				t.Errorf("%s got %d copies, want 1", addr, len(got))
			}
		}
	})
}

// TestUnsubscribedMidChunk ends a subscription whose message went out a
// moment ago, while the rest of its chunk is still being sent: what became
// of the others is recorded all the same, so no one gets the post twice.
func TestUnsubscribedMidChunk(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		srv := pleintest.NewServer(t, e)
		o := srv.Org(t, "almere")
		addrs := subscribers(t, srv, o, 4)
		waitIdle(t, srv)
		hash, err := srv.App.Subscriptions.AddressHash(ctx, addrs[0])
		if err != nil {
			t.Fatal(err)
		}
		first, err := srv.App.Store.SubscriptionByEmail(ctx, o.ID, hash)
		if err != nil {
			t.Fatal(err)
		}
		// Subscriptions are sent in the order of their ids; the first
		// one's subscriber leaves while the third message goes out.
		offered := srv.Mail.Offered()
		srv.Mail.SetFault(func(n int, m *mail.Message) (bool, error) {
			if n == offered+3 {
				if err := srv.App.Store.DeleteSubscription(ctx, first.ID); err != nil {
					t.Errorf("ending a subscription: %v", err)
				}
			}
			return true, nil
		})
		srv.Post(t, o, "Bericht aan wie blijft")
		waitIdle(t, srv)
		srv.Mail.SetFault(nil)
		total := 0
		for _, addr := range addrs {
			got := len(carrying(srv, addr, "aan wie blijft"))
			if got > 1 {
				t.Errorf("%s got the post %d times", addr, got)
			}
			total += got
		}
		if total != len(addrs) {
			t.Errorf("%d messages went out, want %d", total, len(addrs))
		}
	})
}

// TestImportCountsGained imports subscribers, one of them subscribed
// already: the day's count of subscribers gained rises by those imported.
func TestImportCountsGained(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		srv := pleintest.NewServer(t, e)
		o := srv.Org(t, "almere")
		subscribers(t, srv, o, 1) // inwoner0@example.org, confirmed
		before := insightCount(t, srv, o, "", insights.MetricSubscribersGained)
		csv := "email\ninwoner0@example.org\nnieuw1@example.org\nnieuw2@example.org\nnieuw3@example.org\n"
		res, err := srv.App.Subscriptions.Import(ctx, auth.Operator(), o.ID, strings.NewReader(csv),
			subscription.ImportOptions{Consent: "aangemeld op de website", ConsentAt: srv.App.Now().Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 3 || res.Existing != 1 {
			t.Errorf("imported %d, existing %d; want 3 and 1", res.Imported, res.Existing)
		}
		if got := insightCount(t, srv, o, "", insights.MetricSubscribersGained) - before; got != 3 {
			t.Errorf("subscribers gained rose by %d, want 3", got)
		}
	})
}

// TestFanOutInSteps divides a post's sending into batches of one
// subscriber, one batch in the step that claims it and two in each later
// step: every subscriber gets the post once (five of the six only through
// the later steps) and the subscriber to a topic the post does not carry
// gets nothing, so every step kept the filter.
func TestFanOutInSteps(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		srv := pleintest.NewServer(t, e)
		subscription.SetBatches(srv.App.Subscriptions, 1, 1, 2)
		o := srv.Org(t, "almere")
		addrs := subscribers(t, srv, o, 6)
		topic := "afval@example.org"
		subscribe(t, srv, o.Handle, topic, url.Values{"tag": {"#Afval"}})
		waitIdle(t, srv)

		srv.Post(t, o, "De markt verhuist naar het plein")
		waitIdle(t, srv)
		for _, addr := range addrs {
			if got := carrying(srv, addr, "De markt verhuist"); len(got) != 1 {
				t.Errorf("%s got the post %d times, want once", addr, len(got))
			}
		}
		if got := carrying(srv, topic, "De markt verhuist"); len(got) != 0 {
			t.Errorf("the subscriber to #afval got a post without that tag")
		}
	})
}
