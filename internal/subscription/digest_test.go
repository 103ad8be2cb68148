package subscription_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

func TestPeriod(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ams)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		f         model.Frequency
		now, want string
	}{
		{model.FrequencyDaily, "2026-05-04 06:59", "2026-05-03 07:00"},
		{model.FrequencyDaily, "2026-05-04 07:00", "2026-05-04 07:00"},
		{model.FrequencyDaily, "2026-05-04 23:59", "2026-05-04 07:00"},
		{model.FrequencyWeekly, "2026-05-04 06:59", "2026-04-27 07:00"}, // a Monday before seven
		{model.FrequencyWeekly, "2026-05-04 07:00", "2026-05-04 07:00"},
		{model.FrequencyWeekly, "2026-05-10 23:00", "2026-05-04 07:00"}, // Sunday
		// Summer time starts on Sunday 29 March 2026 at 02:00.
		{model.FrequencyDaily, "2026-03-29 07:30", "2026-03-29 07:00"},
		{model.FrequencyDaily, "2026-03-29 06:30", "2026-03-28 07:00"},
		{model.FrequencyWeekly, "2026-03-30 08:00", "2026-03-30 07:00"},
		// Winter time starts on Sunday 25 October 2026 at 03:00.
		{model.FrequencyDaily, "2026-10-25 07:00", "2026-10-25 07:00"},
	} {
		until, name := subscription.Period(tc.f, at(tc.now), ams)
		if want := at(tc.want); !until.Equal(want) || name != tc.want[:10] {
			t.Errorf("%s at %s: %s (%s), want %s", tc.f, tc.now, until.In(ams), name, tc.want)
		}
	}
}

// digests returns the digests address got: mails whose text says they
// hold the posts since the previous one.
func digests(srv *pleintest.Server, address string) []*mail.Message {
	var out []*mail.Message
	for _, m := range srv.Mail.To(address) {
		if strings.Contains(m.Text, "sinds uw vorige overzicht") {
			out = append(out, m)
		}
	}
	return out
}

// TestDigestAtSevenOrgTime sends daily and weekly digests at 07:00 in the
// organisation's time zone, by a clock the test moves: not a minute
// before, each period once however often the job runs, with the posts
// published since each subscriber's previous digest and on its topic.
func TestDigestAtSevenOrgTime(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		// Sunday 3 May 2026, 10:00 in Amsterdam.
		clock := pleintest.NewClock(time.Date(2026, 5, 3, 10, 0, 0, 0, ams))
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o := srv.Org(t, "almere")
		daily, weekly, now, topic := "dag@example.org", "week@example.org", "direct@example.org", "afval@example.org"
		subscribe(t, srv, "almere", daily, url.Values{"frequency": {"daily"}})
		subscribe(t, srv, "almere", weekly, url.Values{"frequency": {"weekly"}})
		subscribe(t, srv, "almere", now, nil)
		subscribe(t, srv, "almere", topic, url.Values{"frequency": {"daily"}, "tag": {"#Afval"}})

		clock.Advance(time.Hour)
		srv.Post(t, o, "De containers worden maandag geleegd. #afval")
		clock.Advance(time.Minute)
		srv.Post(t, o, "De Stationsstraat is afgesloten.")
		waitIdle(t, srv)
		if got := carrying(srv, now, "containers"); len(got) != 1 {
			t.Fatalf("the subscriber of each post got %d mails of the first post", len(got))
		}

		digest := func() int {
			t.Helper()
			n, err := srv.App.Subscriptions.Digest(ctx)
			if err != nil {
				t.Fatal(err)
			}
			waitIdle(t, srv)
			return n
		}
		// Monday 4 May, 06:59: nothing yet.
		clock.Advance(time.Date(2026, 5, 4, 6, 59, 0, 0, ams).Sub(clock.Now()))
		digest()
		for _, who := range []string{daily, weekly, topic, now} {
			if got := digests(srv, who); len(got) != 0 {
				t.Fatalf("%s got a digest before seven", who)
			}
		}
		// 07:00: the daily and, on Monday, the weekly digest. The
		// installation's periodic digest job may run at the same moment and
		// start some of them itself, so the batches this call enqueued are
		// not counted; the mails below show each digest went out once.
		clock.Advance(time.Minute)
		digest()
		for _, tc := range []struct {
			who, subject string
			has, lacks   []string
		}{
			{daily, "Gemeente almere: berichten van 4 mei 2026", []string{"containers", "Stationsstraat"}, nil},
			{weekly, "Gemeente almere: berichten van de week tot 4 mei 2026", []string{"containers", "Stationsstraat"}, nil},
			{topic, "Gemeente almere: berichten van 4 mei 2026", []string{"containers"}, []string{"Stationsstraat"}},
		} {
			got := digests(srv, tc.who)
			if len(got) != 1 {
				t.Errorf("%s got %d digests, want 1", tc.who, len(got))
				continue
			}
			m := got[0]
			if m.Subject != tc.subject || m.Unsubscribe == "" || m.ListID == "" || m.HTML == "" {
				t.Errorf("%s: digest %q, List-Unsubscribe %q", tc.who, m.Subject, m.Unsubscribe)
			}
			for _, s := range tc.has {
				if !strings.Contains(m.Text, s) || !strings.Contains(m.HTML, s) {
					t.Errorf("%s: the digest lacks %q", tc.who, s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(m.Text, s) {
					t.Errorf("%s: the digest has %q, which is not on its topic", tc.who, s)
				}
			}
			if strings.Index(m.Text, "containers") > strings.Index(m.Text, "Stationsstraat") && len(tc.lacks) == 0 {
				t.Errorf("%s: the digest is not oldest first", tc.who)
			}
		}
		if got := digests(srv, now); len(got) != 0 {
			t.Errorf("the subscriber of each post got a digest")
		}
		// The job runs again in the same period: nothing more.
		clock.Advance(5 * time.Minute)
		if n := digest(); n != 0 {
			t.Errorf("%d batches when the period was started already", n)
		}

		// A post on Monday; Tuesday at seven only the daily subscribers get
		// a digest, with only that post; the topic's subscriber has none.
		clock.Advance(2 * time.Hour)
		srv.Post(t, o, "Het stadhuis is vandaag gesloten.")
		clock.Advance(time.Date(2026, 5, 5, 7, 0, 0, 0, ams).Sub(clock.Now()))
		digest()
		for who, want := range map[string]int{daily: 2, weekly: 1, topic: 1, now: 0} {
			if got := digests(srv, who); len(got) != want {
				t.Errorf("%s has %d digests on Tuesday, want %d", who, len(got), want)
			}
		}
		if got := digests(srv, daily); len(got) == 2 && (strings.Contains(got[1].Text, "containers") || !strings.Contains(got[1].Text, "stadhuis")) {
			t.Errorf("Tuesday's digest:\n%s", got[1].Text)
		}
	})
}
