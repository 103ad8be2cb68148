package analytics_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"plein/internal/analytics"
	"plein/internal/auth"
	"plein/internal/insights"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestFlushAndReport counts visits over two days, flushes in several
// batches (the same sketch twice among them), and reads the report back.
func TestFlushAndReport(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			day1 := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			clk := &clock{day1}
			o := &model.Org{ID: model.NewID(day1), Handle: "almere", DisplayName: "Almere", Language: "nl",
				TimeZone: "Europe/Amsterdam", CreatedAt: day1, UpdatedAt: day1}
			if err := st.CreateOrg(ctx, o); err != nil {
				t.Fatal(err)
			}
			rec := insights.NewRecorder(insights.Config{SelfHost: "plein.example", Now: clk.now})
			svc := analytics.New(st, auth.NewService(st, clk.now), rec, 5, clk.now, nil)

			// Day 1: 30 visitors, each viewing the page twice; 6 come from news.example, 2 from blog.example.
			for i := range 30 {
				ip := fmt.Sprintf("192.0.2.%d", i)
				ref := ""
				switch {
				case i < 6:
					ref = "https://news.example/artikel"
				case i < 8:
					ref = "https://blog.example/"
				}
				rec.View(o.ID, "", ip, "Firefox", ref)
				rec.View(o.ID, "post1", ip, "Firefox", "")
				if i == 14 {
					if err := svc.Flush(ctx); err != nil { // a flush in the middle of the day
						t.Fatal(err)
					}
				}
			}
			rec.FeedFetch(o.ID, insights.FeedAtom)
			rec.Add(o.ID, "post1", insights.MetricLikes, 3)
			rec.Add(o.ID, "", insights.MetricFollowersGained, 2)
			if err := svc.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			// Day 2: 10 visitors, 5 of whom came on day 1 too.
			clk.t = day1.Add(24 * time.Hour)
			for i := 25; i < 35; i++ {
				rec.View(o.ID, "post2", fmt.Sprintf("192.0.2.%d", i), "Firefox", "")
			}
			if err := svc.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			if err := svc.Flush(ctx); err != nil { // nothing new: nothing changes
				t.Fatal(err)
			}

			r, err := svc.Report(ctx, auth.Operator(), o.ID, 7)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Days) != 7 || r.Days[6] != "2026-11-23" || r.Days[5] != "2026-11-22" {
				t.Fatalf("days %v", r.Days)
			}
			if got := r.Series[insights.MetricViews][5:]; !slices.Equal(got, []int64{60, 10}) {
				t.Errorf("views per day %v, want [60 10]", got)
			}
			// The salts are random: two of 30 visitors share a register in
			// about one run in ten, so the estimate may be off by one or two.
			if got := r.Visitors[5:]; abs(got[0]-30) > 2 || abs(got[1]-10) > 2 {
				t.Errorf("visitors per day %v, want about [30 10]: the same people on day 2 are new people", got)
			}
			if r.Totals[insights.MetricFeedAtom] != 1 || r.Totals[insights.MetricLikes] != 3 || r.Totals[insights.MetricFollowersGained] != 2 {
				t.Errorf("totals %v", r.Totals)
			}
			if len(r.TopPosts) != 2 || r.TopPosts[0].PostID != "post1" || r.TopPosts[0].Views != 30 || r.TopPosts[0].Likes != 3 {
				t.Errorf("top posts %+v", r.TopPosts)
			}
			wantRefs := []model.ReferrerCount{{Host: "news.example", Visits: 6}, {Host: insights.OtherReferrers, Visits: 2}}
			if !slices.Equal(r.Referrers, wantRefs) {
				t.Errorf("referrers %+v, want %+v (blog.example under the threshold)", r.Referrers, wantRefs)
			}
			var csv strings.Builder
			if err := r.WriteCSV(&csv); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
			if len(lines) != 8 || !strings.HasPrefix(lines[0], "day,visitors,views,") ||
				!strings.HasPrefix(lines[6], fmt.Sprintf("2026-11-22,%d,60,1,", r.Visitors[5])) {
				t.Errorf("csv:\n%s", csv.String())
			}

			if _, err := svc.Report(ctx, auth.Actor{UserID: "someone", Name: "Kees"}, o.ID, 7); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("report for a non-member: %v, want ErrForbidden", err)
			}
			var fe *model.FieldError
			if _, err := svc.Report(ctx, auth.Operator(), o.ID, 12); !errors.As(err, &fe) {
				t.Errorf("report over 12 days: %v, want a field error", err)
			}
		})
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
