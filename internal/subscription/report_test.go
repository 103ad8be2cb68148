package subscription_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"plein/internal/insights"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// TestBouncesAndComplaints feeds delivery reports back: a hard bounce
// suspends a subscription, five soft bounces do, a complaint ends it for
// good, and reports that name nothing of ours are refused.
func TestBouncesAndComplaints(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		clock := pleintest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o := srv.Org(t, "almere")
		hard, soft, complains, pending := "weg@example.org", "vol@example.org", "klaagt@example.org", "nooit@example.org"
		for _, a := range []string{hard, soft, complains} {
			subscribe(t, srv, "almere", a, nil)
		}
		postForm(t, srv.URL+"/@almere/subscribe", url.Values{"email": {pending}})
		srv.Post(t, o, "Eerste bericht")
		waitIdle(t, srv)
		first := func(addr string) *mail.Message {
			t.Helper()
			got := carrying(srv, addr, "Eerste bericht")
			if len(got) != 1 {
				t.Fatalf("%s got %d mails of the first post", addr, len(got))
			}
			return got[0]
		}
		svc := srv.App.Subscriptions
		report := func(r mail.Report) {
			t.Helper()
			if err := svc.HandleReport(ctx, &r); err != nil {
				t.Fatalf("report %+v: %v", r, err)
			}
		}

		report(mail.Report{Kind: mail.HardBounce, BounceToken: first(hard).BounceToken, Status: "5.1.1"})
		if got := state(t, srv, o, hard); got != model.SubscriptionSuspended {
			t.Errorf("after a hard bounce: %q, want suspended", got)
		}
		for i := range subscription.SoftBouncesToSuspend {
			if got := state(t, srv, o, soft); got != model.SubscriptionActive {
				t.Fatalf("after %d soft bounces: %q, want active", i, got)
			}
			report(mail.Report{Kind: mail.SoftBounce, BounceToken: first(soft).BounceToken, Status: "4.2.2"})
		}
		if got := state(t, srv, o, soft); got != model.SubscriptionSuspended {
			t.Errorf("after %d soft bounces: %q, want suspended", subscription.SoftBouncesToSuspend, got)
		}
		// A complaint that names only the Message-ID.
		report(mail.Report{Kind: mail.Complaint, MessageID: first(complains).ID})
		if got := state(t, srv, o, complains); got != "" {
			t.Errorf("after a complaint: %q, want no subscription", got)
		}
		hash, _ := svc.AddressHash(ctx, complains)
		if reason, err := srv.App.Store.Suppression(ctx, o.ID, hash); err != nil || reason != subscription.ReasonComplaint {
			t.Errorf("suppression after a complaint: %q, %v", reason, err)
		}
		// The confirmation mail to an address never confirmed bounces: the
		// address is erased.
		report(mail.Report{Kind: mail.HardBounce, BounceToken: srv.Mail.To(pending)[0].BounceToken})
		if got := state(t, srv, o, pending); got != "" {
			t.Errorf("after its confirmation bounced: %q, want no subscription", got)
		}
		// A report about a subscription gone already changes nothing.
		report(mail.Report{Kind: mail.Complaint, BounceToken: first(complains).BounceToken})

		for _, r := range []mail.Report{
			{Kind: mail.HardBounce},
			{Kind: mail.HardBounce, BounceToken: first(hard).BounceToken[:26] + "AAAAAAAAAAAAAAAAAAAAAA"},
			{Kind: mail.HardBounce, BounceToken: "nonsense"},
			{Kind: mail.HardBounce, MessageID: "unknown@example.org"},
		} {
			if err := svc.HandleReport(ctx, &r); !errors.Is(err, subscription.ErrUnknownReport) {
				t.Errorf("report %+v: %v, want ErrUnknownReport", r, err)
			}
		}

		// Suspended and ended subscriptions get nothing.
		srv.Post(t, o, "Tweede bericht")
		waitIdle(t, srv)
		for _, a := range []string{hard, soft, complains} {
			if got := carrying(srv, a, "Tweede bericht"); len(got) != 0 {
				t.Errorf("%s got the second post", a)
			}
		}
		if n := insightCount(t, srv, o, "", insights.MetricSubscribersLost); n != 3 {
			t.Errorf("%d subscribers counted as lost, want 3", n)
		}

		// An hour later: who complained gets no confirmation mail when
		// someone subscribes the address again; who bounced does, and
		// confirming makes the subscription active again.
		clock.Advance(2 * subscription.NoticeEvery)
		before := len(srv.Mail.To(complains))
		if resp, _ := postForm(t, srv.URL+"/@almere/subscribe", url.Values{"email": {complains}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("subscribing after a complaint: %d", resp.StatusCode)
		}
		subscribe(t, srv, "almere", hard, nil)
		if got := state(t, srv, o, hard); got != model.SubscriptionActive {
			t.Errorf("subscribing again after bounces: %q, want active", got)
		}
		waitIdle(t, srv)
		if got := len(srv.Mail.To(complains)); got != before {
			t.Errorf("an address that complained got %d more mails", got-before)
		}
	})
}

// TestUnconfirmedErased sweeps an address never confirmed after 48 hours,
// not before; its link then no longer works.
func TestUnconfirmedErased(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		clock := pleintest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o := srv.Org(t, "almere")
		addr := "later@example.org"
		postForm(t, srv.URL+"/@almere/subscribe", url.Values{"email": {addr}})
		confirm := link(t, srv, srv.Mail.WaitFor(t, addr, 1)[0], "/mail/confirm")

		clock.Advance(subscription.ConfirmWithin - time.Minute)
		if _, err := srv.App.Retention.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if got := state(t, srv, o, addr); got != model.SubscriptionPending {
			t.Fatalf("before 48 hours: %q, want pending", got)
		}
		clock.Advance(2 * time.Minute)
		res, err := srv.App.Retention.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res["mail_unconfirmed"] != 1 {
			t.Errorf("sweep: %v, want one unconfirmed address", res)
		}
		if got := state(t, srv, o, addr); got != "" {
			t.Fatalf("after 48 hours: %q, want erased", got)
		}
		if resp, _ := postForm(t, confirm, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("confirming after 48 hours: %d, want 404", resp.StatusCode)
		}
	})
}

// TestNoConfirmationSpam submits the form for one address again and again:
// it gets at most one mail an hour, and once subscribed, never a second
// confirmation, only a note that it is subscribed, with its manage link.
func TestNoConfirmationSpam(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		clock := pleintest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		srv.Org(t, "almere")
		srv.Org(t, "lelystad")
		addr := "doelwit@example.org"
		form := url.Values{"email": {addr}}
		for range 5 {
			postForm(t, srv.URL+"/@almere/subscribe", form)
			postForm(t, srv.URL+"/@lelystad/subscribe", form) // the limit is per address, not per organisation
		}
		waitIdle(t, srv)
		if got := srv.Mail.To(addr); len(got) != 1 {
			t.Fatalf("%d mails after ten submissions in an hour, want 1", len(got))
		}
		confirm := link(t, srv, srv.Mail.To(addr)[0], "/mail/confirm")
		postForm(t, confirm, nil)
		for range 3 {
			postForm(t, srv.URL+"/@almere/subscribe", form)
		}
		waitIdle(t, srv)
		if got := srv.Mail.To(addr); len(got) != 1 {
			t.Fatalf("%d mails, want still 1", len(got))
		}
		clock.Advance(subscription.NoticeEvery)
		for range 3 {
			postForm(t, srv.URL+"/@almere/subscribe", form)
		}
		got := srv.Mail.WaitFor(t, addr, 2)
		waitIdle(t, srv)
		if got = srv.Mail.To(addr); len(got) != 2 || got[1].Subject != "U bent al aangemeld voor berichten van Gemeente almere" {
			t.Fatalf("after an hour: %d mails, the last %q", len(got), got[len(got)-1].Subject)
		}
		link(t, srv, got[1], "/mail/manage")
	})
}
