package storetest

import (
	"context"
	"reflect"
	"testing"

	"plein/internal/model"
	"plein/internal/store"
)

// testSubscriptionGroups counts subscriptions by state, frequency and
// tag, of one organisation only.
func testSubscriptionGroups(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))
	if got, err := s.SubscriptionGroups(ctx, o.ID); err != nil || len(got) != 0 {
		t.Fatalf("no subscriptions: %v, %v", got, err)
	}
	for i, sub := range []struct {
		state model.SubscriptionState
		freq  model.Frequency
		tag   string
	}{
		{model.SubscriptionActive, model.FrequencyNow, ""},
		{model.SubscriptionActive, model.FrequencyNow, ""},
		{model.SubscriptionActive, model.FrequencyWeekly, "afval"},
		{model.SubscriptionActive, model.FrequencyNow, "afval"},
		{model.SubscriptionPending, model.FrequencyNow, ""},
		{model.SubscriptionSuspended, model.FrequencyDaily, "buurt"},
	} {
		n := newSubscription(o.ID, "hash-"+string(rune('a'+i)), sub.state, epoch)
		n.Frequency, n.Tag = sub.freq, sub.tag
		must(t, s.CreateSubscription(ctx, n))
	}
	must(t, s.CreateSubscription(ctx, newSubscription(other.ID, "hash-a", model.SubscriptionActive, epoch)))
	got, err := s.SubscriptionGroups(ctx, o.ID)
	must(t, err)
	want := []store.SubscriptionGroup{
		{State: model.SubscriptionActive, Frequency: model.FrequencyNow, Tag: "", Count: 2},
		{State: model.SubscriptionActive, Frequency: model.FrequencyNow, Tag: "afval", Count: 1},
		{State: model.SubscriptionActive, Frequency: model.FrequencyWeekly, Tag: "afval", Count: 1},
		{State: model.SubscriptionPending, Frequency: model.FrequencyNow, Tag: "", Count: 1},
		{State: model.SubscriptionSuspended, Frequency: model.FrequencyDaily, Tag: "buurt", Count: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups:\n%+v\nwant\n%+v", got, want)
	}
}
