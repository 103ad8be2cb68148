package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// testInboxTopics checks the topics of the contact form: stored in order
// with the inbox settings, kept when the other settings change, cleared,
// and a filter on the list of questions.
func testInboxTopics(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))

	topics := []string{"Parkeren", "Afval & grondstoffen", "Belastingen"}
	must(t, s.PutInboxTopics(ctx, o.ID, topics)) // before any other setting
	for _, tc := range []struct {
		name   string
		change func()
		want   []string
	}{
		{"set first", func() {}, topics},
		{"other settings changed", func() {
			must(t, s.PutInboxSettings(ctx, &model.InboxSettings{OrgID: o.ID, Retention: 90 * 24 * time.Hour, Notify: false}))
		}, topics},
		{"reordered", func() { must(t, s.PutInboxTopics(ctx, o.ID, []string{"Belastingen", "Parkeren"})) }, []string{"Belastingen", "Parkeren"}},
		{"cleared", func() { must(t, s.PutInboxTopics(ctx, o.ID, nil)) }, nil},
	} {
		tc.change()
		got, err := s.InboxSettings(ctx, o.ID)
		if err != nil || !reflect.DeepEqual(got.Topics, tc.want) {
			t.Errorf("%s: topics = %q, %v; want %q", tc.name, got.Topics, err, tc.want)
		}
	}
	if got, err := s.InboxSettings(ctx, o.ID); err != nil || got.Retention != 90*24*time.Hour || got.Notify {
		t.Errorf("topics changed the other settings: %+v, %v", got, err)
	}
	if got, err := s.InboxSettings(ctx, other.ID); err != nil || got.Topics != nil {
		t.Errorf("another organisation's topics = %q, %v", got.Topics, err)
	}

	at := epoch
	for i, topic := range []string{"Parkeren", "general", "Parkeren"} {
		at = at.Add(time.Minute)
		must(t, s.CreateQuestion(ctx, &model.Question{ID: model.NewID(at), OrgID: o.ID, Reference: "V-TTTT-000" + string(rune('1'+i)),
			Topic: topic, ReplyTo: "anna@example.org", Text: "Vraag", Lang: "nl", State: model.QuestionNew, ReceivedAt: at, UpdatedAt: at}))
	}
	for topic, want := range map[string]int{"": 3, "Parkeren": 2, "general": 1, "parkeren": 0, "Afval": 0} {
		got, err := s.ListQuestions(ctx, store.QuestionFilter{OrgID: o.ID, Topic: topic})
		if err != nil || len(got) != want {
			t.Errorf("questions on topic %q: %d, %v; want %d", topic, len(got), err, want)
		}
		for _, q := range got {
			if topic != "" && q.Topic != topic {
				t.Errorf("topic %q lists a question on %q", topic, q.Topic)
			}
		}
	}
}
