package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

func newSubscription(orgID, hash string, state model.SubscriptionState, at time.Time) *model.Subscription {
	return &model.Subscription{ID: model.NewID(at), OrgID: orgID, Email: hash + "@example.org", EmailHash: hash,
		Frequency: model.FrequencyNow, Lang: "nl", State: state, CreatedAt: at}
}

func ids(subs []*model.Subscription) []string {
	out := []string{}
	for _, s := range subs {
		out = append(out, s.ID)
	}
	return out
}

func testSubscriptions(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))

	a := newSubscription(o.ID, "hash-a", model.SubscriptionActive, epoch)
	a.ConfirmedAt, a.DigestedAt = epoch.Add(time.Minute), epoch.Add(time.Minute)
	a.Consent, a.ConsentAt = "Aangemeld via de nieuwsbrief van 2025", epoch.Add(-time.Hour)
	must(t, s.CreateSubscription(ctx, a))
	if err := s.CreateSubscription(ctx, newSubscription(o.ID, "hash-a", model.SubscriptionPending, epoch)); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("second subscription of one address: %v, want ErrAlreadyExists", err)
	}
	// The same address may subscribe to another organisation.
	must(t, s.CreateSubscription(ctx, newSubscription(other.ID, "hash-a", model.SubscriptionActive, epoch)))

	got, err := s.SubscriptionByEmail(ctx, o.ID, "hash-a")
	must(t, err)
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, a)
	}
	if _, err := s.SubscriptionByEmail(ctx, o.ID, "hash-x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown address: %v", err)
	}

	a.Tag, a.Frequency, a.Lang, a.State, a.SoftBounces = "afval", model.FrequencyDaily, "en", model.SubscriptionSuspended, 3
	a.SuspendedAt = epoch.Add(time.Hour)
	must(t, s.UpdateSubscription(ctx, a))
	if got, err = s.SubscriptionByID(ctx, a.ID); err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("after update: %+v, %v", got, err)
	}

	// Selecting subscribers of a post.
	b := newSubscription(o.ID, "hash-b", model.SubscriptionActive, epoch.Add(time.Second))
	c := newSubscription(o.ID, "hash-c", model.SubscriptionActive, epoch.Add(2*time.Second))
	c.Tag = "verkeer"
	d := newSubscription(o.ID, "hash-d", model.SubscriptionActive, epoch.Add(3*time.Second))
	d.Frequency = model.FrequencyWeekly
	p := newSubscription(o.ID, "hash-p", model.SubscriptionPending, epoch.Add(4*time.Second))
	for _, x := range []*model.Subscription{b, c, d, p} {
		must(t, s.CreateSubscription(ctx, x))
	}
	active := []model.SubscriptionState{model.SubscriptionActive}
	for _, tc := range []struct {
		name string
		f    store.SubscriptionFilter
		want []string
	}{
		{"every state", store.SubscriptionFilter{OrgID: o.ID}, []string{a.ID, b.ID, c.ID, d.ID, p.ID}},
		{"active", store.SubscriptionFilter{OrgID: o.ID, States: active}, []string{b.ID, c.ID, d.ID}},
		{"at once, no tag", store.SubscriptionFilter{OrgID: o.ID, States: active, Frequency: model.FrequencyNow, Tags: []string{}}, []string{b.ID}},
		{"at once, #verkeer", store.SubscriptionFilter{OrgID: o.ID, States: active, Frequency: model.FrequencyNow, Tags: []string{"verkeer", "afval"}}, []string{b.ID, c.ID}},
		{"weekly", store.SubscriptionFilter{OrgID: o.ID, Frequency: model.FrequencyWeekly}, []string{d.ID}},
		{"page", store.SubscriptionFilter{OrgID: o.ID, AfterID: b.ID, Limit: 2}, []string{c.ID, d.ID}},
		{"by id", store.SubscriptionFilter{IDs: []string{d.ID, a.ID, "nothing"}}, []string{a.ID, d.ID}},
		{"no ids", store.SubscriptionFilter{IDs: []string{}}, []string{}},
	} {
		got, err := s.ListSubscriptions(ctx, tc.f)
		must(t, err)
		if !reflect.DeepEqual(ids(got), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids(got), tc.want)
		}
	}
	counts, err := s.SubscriptionCounts(ctx, o.ID)
	must(t, err)
	if want := (map[model.SubscriptionState]int{model.SubscriptionActive: 3, model.SubscriptionPending: 1, model.SubscriptionSuspended: 1}); !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}

	// The suppression list.
	if _, err := s.Suppression(ctx, o.ID, "hash-b"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("suppression of an address never suppressed: %v", err)
	}
	must(t, s.PutSuppression(ctx, o.ID, "hash-b", "unsubscribed", epoch))
	must(t, s.PutSuppression(ctx, o.ID, "hash-b", "complaint", epoch.Add(time.Hour)))
	if r, err := s.Suppression(ctx, o.ID, "hash-b"); err != nil || r != "complaint" {
		t.Fatalf("suppression: %q, %v", r, err)
	}
	if _, err := s.Suppression(ctx, other.ID, "hash-b"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("suppression is per organisation: %v", err)
	}
	must(t, s.PutSuppression(ctx, o.ID, "hash-old", "unsubscribed", epoch.Add(-time.Hour)))
	if n, err := s.DeleteSuppressionsBefore(ctx, epoch); err != nil || n != 1 {
		t.Fatalf("deleted %d old suppressions, %v; want 1", n, err)
	}
	must(t, s.DeleteSuppression(ctx, o.ID, "hash-b"))
	if _, err := s.Suppression(ctx, o.ID, "hash-b"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted suppression: %v", err)
	}

	// Reservations: one per key until it runs out.
	for i, tc := range []struct {
		key  string
		now  time.Time
		want bool
	}{
		{"k1", epoch, true},
		{"k1", epoch.Add(59 * time.Minute), false},
		{"k2", epoch.Add(59 * time.Minute), true},
		{"k1", epoch.Add(time.Hour), true},
		{"k1", epoch.Add(time.Hour + time.Minute), false},
	} {
		ok, err := s.ReserveMail(ctx, tc.key, tc.now, tc.now.Add(time.Hour))
		must(t, err)
		if ok != tc.want {
			t.Errorf("reservation %d (%s at %s): %v, want %v", i, tc.key, tc.now, ok, tc.want)
		}
	}
	if n, err := s.DeleteMailReservationsBefore(ctx, epoch.Add(2*time.Hour)); err != nil || n != 1 {
		t.Errorf("deleted %d reservations, %v; want 1 (k2)", n, err)
	}

	// Fan-outs are claimed once.
	for i, want := range []bool{true, false} {
		ok, err := s.ClaimFanout(ctx, "post:1", epoch)
		must(t, err)
		if ok != want {
			t.Errorf("claim %d: %v, want %v", i, ok, want)
		}
	}

	// The outbox keeps the first message of a subscription and item.
	m1 := &model.OutboxMessage{SubscriptionID: b.ID, Item: "post:1", OrgID: o.ID, PostID: "1", MessageID: "m1@x", State: model.OutboxPending, CreatedAt: epoch}
	m2 := &model.OutboxMessage{SubscriptionID: c.ID, Item: "post:1", OrgID: o.ID, PostID: "1", MessageID: "m2@x", State: model.OutboxPending, CreatedAt: epoch}
	must(t, s.AddOutbox(ctx, []*model.OutboxMessage{m1, m2}))
	again := *m1
	again.MessageID = "other@x"
	must(t, s.AddOutbox(ctx, []*model.OutboxMessage{&again}))
	msgs, err := s.Outbox(ctx, "post:1", []string{b.ID, c.ID, d.ID})
	must(t, err)
	if len(msgs) != 2 || !reflect.DeepEqual(msgs[0], m1) && !reflect.DeepEqual(msgs[1], m1) {
		t.Fatalf("outbox: %+v", msgs)
	}
	must(t, s.SetOutboxState(ctx, b.ID, "post:1", model.OutboxSent, epoch.Add(time.Minute)))
	got1, err := s.OutboxByMessageID(ctx, "m1@x")
	must(t, err)
	if got1.State != model.OutboxSent || !got1.DoneAt.Equal(epoch.Add(time.Minute)) || got1.SubscriptionID != b.ID {
		t.Fatalf("sent message: %+v", got1)
	}
	if err := s.SetOutboxState(ctx, d.ID, "post:1", model.OutboxSent, epoch); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("state of a message never stored: %v", err)
	}

	// Deleting a subscription deletes its messages.
	must(t, s.DeleteSubscription(ctx, c.ID))
	if _, err := s.OutboxByMessageID(ctx, "m2@x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("message of a deleted subscription: %v", err)
	}
	if err := s.DeleteSubscription(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}

	// Retention.
	if n, err := s.DeleteUnconfirmedBefore(ctx, epoch.Add(4*time.Second)); err != nil || n != 0 {
		t.Fatalf("unconfirmed before they were made: %d, %v", n, err)
	}
	if n, err := s.DeleteUnconfirmedBefore(ctx, epoch.Add(5*time.Second)); err != nil || n != 1 {
		t.Fatalf("unconfirmed: %d, %v", n, err)
	}
	if n, err := s.DeleteSuspendedBefore(ctx, epoch.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("suspended before: %d, %v", n, err)
	}
	if n, err := s.DeleteSuspendedBefore(ctx, epoch.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("suspended: %d, %v", n, err)
	}
	if n, err := s.DeleteOutboxBefore(ctx, epoch.Add(time.Second)); err != nil || n != 2 {
		t.Fatalf("outbox and fan-outs deleted: %d, %v; want 2", n, err)
	}
	left, err := s.ListSubscriptions(ctx, store.SubscriptionFilter{OrgID: o.ID})
	must(t, err)
	if want := []string{b.ID, d.ID}; !reflect.DeepEqual(ids(left), want) {
		t.Fatalf("left %v, want %v", ids(left), want)
	}
}
