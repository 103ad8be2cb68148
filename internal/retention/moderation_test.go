package retention_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/library"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/retention"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

// TestSweepModerationRecords proves --retain-moderation: statements of
// reasons and complaints go that long after their decision or outcome,
// and nothing goes while a complaint about it is open, not even the reply;
// the privacy register states the setting and names complaints.
func TestSweepModerationRecords(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			files, err := media.NewLocalStore(t.TempDir())
			must(t, err)
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			cfg := config.Default()
			cfg.Retention.Moderation = 200 * config.Day
			cfg.Retention.Replies = 30 * config.Day
			must(t, cfg.Retention.Validate())
			svc := retention.New(st, library.New(files), cfg, "https://plein.example", func() time.Time { return now }, nil)
			o := &model.Org{ID: model.NewID(now), Handle: "almere", DisplayName: "Almere", Language: "nl",
				TimeZone: "Europe/Amsterdam", CreatedAt: now, UpdatedAt: now}
			must(t, st.CreateOrg(ctx, o))
			older, younger := now.Add(-200*config.Day-time.Minute), now.Add(-200*config.Day+time.Minute)
			statement := func(n string, applied time.Time) *model.Statement {
				r := &model.Reply{ID: "https://social.example/notes/" + n, PostID: "post-1", ActorID: "https://social.example/users/eva",
					ContentHTML: "<p>" + n + "</p>", State: model.ReplyRefused, ReceivedAt: applied.Add(-time.Hour)}
				must(t, st.PutReply(ctx, r))
				s := &model.Statement{ID: "st-" + n, OrgID: o.ID, ReplyID: r.ID, PostID: "post-1", Decision: model.ReplyRefused,
					Visibility: "DECISION_VISIBILITY_CONTENT_REMOVED", Ground: model.GroundIncompatible, Explanation: "x",
					Category: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", ContentType: []string{"CONTENT_TYPE_TEXT"}, ContentDate: applied,
					ApplicationDate: applied, Facts: "f", SourceType: "SOURCE_VOLUNTARY", AutomatedDecision: "AUTOMATED_DECISION_NOT_AUTOMATED",
					Language: "nl", CreatedAt: applied}
				must(t, st.AddStatement(ctx, s))
				return s
			}
			complaint := func(s *model.Statement, state model.ComplaintState, decided time.Time) {
				c := &model.Complaint{ID: "c-" + s.ID, OrgID: o.ID, StatementID: s.ID, ReplyID: s.ReplyID, Source: model.ComplaintFromForm,
					Author: "https://social.example/users/eva", Content: "Niet eens", State: model.ComplaintOpen, ReceivedAt: s.ApplicationDate}
				must(t, st.AddComplaint(ctx, c))
				if state != model.ComplaintOpen {
					must(t, st.DecideComplaint(ctx, c.ID, state, "u", "Mod", "Nee", decided))
				}
			}
			gone := statement("gone", older)       // no complaint: goes
			kept := statement("kept", younger)     // younger than the limit
			open := statement("open", older)       // open complaint: stays
			decided := statement("decided", older) // outcome older than the limit: goes
			recent := statement("recent", older)   // outcome younger than the limit: stays
			complaint(open, model.ComplaintOpen, time.Time{})
			complaint(decided, model.ComplaintRejected, older)
			complaint(recent, model.ComplaintUpheld, younger)
			res, err := svc.Sweep(ctx)
			must(t, err)
			if res["moderation"] != 3 { // gone; decided and its complaint; nothing else
				t.Errorf("moderation records removed: %d, want 3", res["moderation"])
			}
			for s, want := range map[*model.Statement]bool{gone: false, kept: true, open: true, decided: false, recent: true} {
				_, err := st.StatementByID(ctx, s.ID)
				if found := err == nil; found != want || err != nil && !errors.Is(err, store.ErrNotFound) {
					t.Errorf("statement %s kept %v (%v), want %v", s.ID, found, err, want)
				}
			}
			if _, err := st.ComplaintByID(ctx, "c-"+open.ID); err != nil {
				t.Errorf("the open complaint went: %v", err)
			}
			if _, err := st.Reply(ctx, open.ReplyID); err != nil {
				t.Errorf("the reply of the open complaint went: %v", err)
			}
			if _, err := st.Reply(ctx, gone.ReplyID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("an old reply without open complaint stayed: %v", err)
			}

			reg, err := svc.Register(ctx, "en", nil)
			must(t, err)
			found := false
			for _, a := range reg.Activities {
				if a.Category == "moderation" {
					found = true
					if a.MaxAgeSeconds != int64((200*config.Day)/time.Second) || !strings.Contains(a.Name, "complaints") ||
						!strings.Contains(a.Retention, "complaint") || !strings.Contains(a.Retention, "200 days") {
						t.Errorf("register: %+v", a)
					}
				}
			}
			if !found {
				t.Error("the register does not list moderation")
			}
		})
	}
}

// TestRetainModerationAtLeastSixMonths proves that --retain-moderation
// cannot be shorter than the six months in which authors may complain.
func TestRetainModerationAtLeastSixMonths(t *testing.T) {
	r := config.DefaultRetention()
	if r.Moderation != 190*config.Day {
		t.Errorf("default %s, want 190d", config.FormatAge(r.Moderation))
	}
	r.Moderation = 90 * config.Day
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "--retain-moderation") {
		t.Errorf("90 days: %v", err)
	}
}
