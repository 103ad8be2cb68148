package retention_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/insights"
	"plein/internal/library"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/privacy"
	"plein/internal/retention"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

// clock is a time the test moves forward.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSweepDeletesExactlyWhatIsOlder puts records just older and just
// younger than each limit, sweeps, checks that exactly the older ones
// went, then moves the clock forward and sweeps again.
func TestSweepDeletesExactlyWhatIsOlder(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			files, err := media.NewLocalStore(t.TempDir())
			must(t, err)
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			clk := &clock{now}
			cfg := config.Default()
			limits := cfg.Retention
			svc := retention.New(st, library.New(files), cfg, "https://plein.example", clk.now, nil)

			// Each record is a minute older, or a minute younger, than its limit.
			older := func(limit time.Duration) time.Time { return now.Add(-limit - time.Minute) }
			younger := func(limit time.Duration) time.Time { return now.Add(-limit + time.Minute) }

			o := &model.Org{ID: model.NewID(now), Handle: "almere", DisplayName: "Almere", Language: "nl",
				TimeZone: "Europe/Amsterdam", CreatedAt: now, UpdatedAt: now}
			must(t, st.CreateOrg(ctx, o))

			for _, r := range []*model.Reply{
				{ID: "https://social.example/notes/old", ReceivedAt: older(limits.Replies)},
				{ID: "https://social.example/notes/new", ReceivedAt: younger(limits.Replies)},
			} {
				r.PostID, r.ActorID, r.ContentHTML, r.State = "post-1", "https://social.example/users/eva", "<p>Dank</p>", model.ReplyPending
				must(t, st.PutReply(ctx, r))
			}
			for key, at := range map[string]time.Time{"old-like": older(limits.Reactions), "new-like": younger(limits.Reactions)} {
				_, err := st.AddReaction(ctx, key, "post-1", "like", at)
				must(t, err)
			}
			for id, at := range map[string]time.Time{"https://social.example/users/old": older(limits.RemoteActors),
				"https://social.example/users/new": younger(limits.RemoteActors)} {
				must(t, st.PutRemoteActor(ctx, &model.RemoteActor{ID: id, Inbox: id + "/inbox", KeyID: id + "#main-key",
					PublicKeyPEM: "pem", FetchedAt: at}))
			}
			for hash, at := range map[string]time.Time{"old-activity": older(limits.SeenActivities), "new-activity": younger(limits.SeenActivities)} {
				_, err := st.MarkSeen(ctx, hash, at)
				must(t, err)
			}
			for id, at := range map[string]time.Time{"old-entry": older(limits.AuditLog), "new-entry": younger(limits.AuditLog)} {
				must(t, st.AddAudit(ctx, &model.AuditEntry{ID: id, OrgID: o.ID, Actor: "Ans", Action: "post.publish", At: at}))
			}
			for key, at := range map[string]time.Time{"old-failure": older(config.LoginThrottleAge), "new-failure": younger(config.LoginThrottleAge)} {
				_, err := st.AddLoginFailures(ctx, []string{key}, at, at.Add(-config.LoginThrottleAge))
				must(t, err)
			}
			day := func(t time.Time) string { return t.Format(model.DayFormat) }
			oldDay, newDay := day(now.Add(-limits.Insights-config.Day)), day(now.Add(-limits.Insights+config.Day))
			must(t, st.AddInsightCounts(ctx, []model.InsightCount{
				{OrgID: o.ID, Day: oldDay, Metric: insights.MetricViews, Value: 3},
				{OrgID: o.ID, Day: newDay, Metric: insights.MetricViews, Value: 4},
			}))
			// Visitor sketches: the day before yesterday loses its sketch,
			// yesterday keeps it; both keep their estimate.
			dayBefore, yesterday, today := day(now.Add(-2*config.Day)), day(now.Add(-config.Day)), day(now)
			for _, d := range []string{dayBefore, yesterday} {
				must(t, st.PutVisitors(ctx, model.VisitorEstimate{OrgID: o.ID, Day: d, Estimate: 42}, []byte("sketch")))
			}
			must(t, st.AddReferrers(ctx, []model.ReferrerCount{
				{OrgID: o.ID, Day: dayBefore, Host: "news.example", Visits: 10},
				{OrgID: o.ID, Day: dayBefore, Host: "blog.example", Visits: 2},
				{OrgID: o.ID, Day: dayBefore, Host: "wiki.example", Visits: 3},
				{OrgID: o.ID, Day: yesterday, Host: "blog.example", Visits: 2},
			}))
			// Followers on a server failing for longer than the limit, and on one failing for less.
			noPause := func(int) time.Time { return time.Time{} }
			_, err = st.DeliveryFailed(ctx, "down.example", older(limits.FailingFollowers), noPause)
			must(t, err)
			_, err = st.DeliveryFailed(ctx, "flaky.example", younger(limits.FailingFollowers), noPause)
			must(t, err)
			for _, server := range []string{"https://down.example", "https://flaky.example"} {
				actor := server + "/users/a"
				must(t, st.PutFollower(ctx, &model.Follower{OrgID: o.ID, ActorID: actor, FollowID: actor + "#follow",
					Inbox: server + "/inbox", CreatedAt: now}))
			}
			// Uploads: never attached and old, never attached and new, old but the avatar.
			upload := func(name string, at time.Time) *model.Media {
				key := name + "/large.jpg"
				must(t, files.Put(ctx, key, media.TypeJPEG, []byte("jpeg")))
				m := &model.Media{ID: name, OrgID: o.ID, ContentType: media.TypeJPEG, Width: 1, Height: 1, CreatedAt: at,
					Variants: []model.MediaVariant{{Name: "large", Key: key, ContentType: media.TypeJPEG, Width: 1, Height: 1, Size: 4}}}
				must(t, st.CreateMedia(ctx, m))
				return m
			}
			upload("oldupload", older(limits.Uploads))
			upload("newupload", younger(limits.Uploads))
			avatar := upload("avatar", older(limits.Uploads))
			o.AvatarID = avatar.ID
			must(t, st.UpdateOrg(ctx, o))

			for ref, at := range map[string]time.Time{"V-OLD": older(limits.Questions), "V-NEW": younger(limits.Questions)} {
				must(t, st.CreateQuestion(ctx, &model.Question{ID: ref, OrgID: o.ID, Reference: ref, Topic: "general",
					ReplyTo: "a@example.org", Text: "Vraag", Lang: "nl", State: model.QuestionNew, ReceivedAt: at, UpdatedAt: at}))
			}

			res, err := svc.Sweep(ctx)
			must(t, err)
			want := retention.Result{"questions": 1, "replies": 1, "reactions": 1, "remote_actors": 1, "seen_activities": 1, "audit_log": 1,
				"login_throttle": 1, "insights": 1, "visitor_estimate": 1, "referrers": 2, "followers": 1, "uploads": 1}
			for k, v := range want {
				if res[k] != v {
					t.Errorf("%s: removed %d, want %d", k, res[k], v)
				}
			}

			if _, err := st.QuestionByID(ctx, "V-NEW"); err != nil {
				t.Errorf("a question within the limit: %v", err)
			}
			if _, err := st.Reply(ctx, "https://social.example/notes/old"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("old reply: %v, want deleted", err)
			}
			if _, err := st.Reply(ctx, "https://social.example/notes/new"); err != nil {
				t.Errorf("new reply: %v", err)
			}
			counts, err := st.ReactionCounts(ctx, "post-1")
			if err != nil || counts["like"] != 2 {
				t.Errorf("likes after folding: %v %v, want 2", counts, err)
			}
			if removed, _ := st.RemoveReaction(ctx, "old-like"); removed {
				t.Error("the hash of an old like is still kept")
			}
			if _, err := st.RemoteActor(ctx, "https://social.example/users/old"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("old remote actor: %v", err)
			}
			if _, err := st.RemoteActor(ctx, "https://social.example/users/new"); err != nil {
				t.Errorf("new remote actor: %v", err)
			}
			if first, _ := st.MarkSeen(ctx, "new-activity", now); first {
				t.Error("a recent activity hash was deleted")
			}
			if entries, _ := st.ListAudit(ctx, o.ID, 10); len(entries) != 1 || entries[0].ID != "new-entry" {
				t.Errorf("audit log after the sweep: %d entries", len(entries))
			}
			if c, _ := st.LoginFailureCount(ctx, "old-failure"); c.Failures != 0 {
				t.Errorf("failed log-ins whose window ended: %+v, want deleted", c)
			}
			if c, _ := st.LoginFailureCount(ctx, "new-failure"); c.Failures != 1 {
				t.Errorf("failed log-ins within their window: %+v, want kept", c)
			}
			if c, _ := st.InsightCounts(ctx, o.ID, "2000-01-01", today); len(c) != 1 || c[0].Day != newDay {
				t.Errorf("insight counts after the sweep: %+v", c)
			}
			if _, err := st.VisitorSketch(ctx, o.ID, dayBefore); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("sketch of the day before yesterday: %v, want deleted", err)
			}
			if _, err := st.VisitorSketch(ctx, o.ID, yesterday); err != nil {
				t.Errorf("sketch of yesterday: %v", err)
			}
			if v, _ := st.VisitorEstimates(ctx, o.ID, dayBefore, today); len(v) != 2 || v[0].Estimate != 42 {
				t.Errorf("estimates after the sweep: %+v, want both days kept", v)
			}
			refs, _ := st.Referrers(ctx, o.ID, dayBefore, today)
			wantRefs := []model.ReferrerCount{
				{OrgID: o.ID, Day: dayBefore, Host: insights.OtherReferrers, Visits: 5},
				{OrgID: o.ID, Day: dayBefore, Host: "news.example", Visits: 10},
				{OrgID: o.ID, Day: yesterday, Host: "blog.example", Visits: 2},
			}
			if !slices.Equal(refs, wantRefs) {
				t.Errorf("referrers after the sweep:\n got %+v\nwant %+v", refs, wantRefs)
			}
			if inboxes, _ := st.FollowerInboxes(ctx, o.ID); !slices.Equal(inboxes, []string{"https://flaky.example/inbox"}) {
				t.Errorf("follower inboxes after the sweep: %v", inboxes)
			}
			if _, err := st.MediaByID(ctx, "oldupload"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("old upload: %v, want deleted", err)
			}
			if _, err := files.Open(ctx, "oldupload/large.jpg"); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("old upload's file: %v, want deleted", err)
			}
			for _, id := range []string{"newupload", "avatar"} {
				if _, err := st.MediaByID(ctx, id); err != nil {
					t.Errorf("%s: %v, want kept", id, err)
				}
			}

			// Nothing left is older than a limit: sweeping again removes nothing.
			if res, err := svc.Sweep(ctx); err != nil || res.Total() != 0 {
				t.Errorf("second sweep at the same time removed %v (%v)", res, err)
			}
			// Two minutes later the younger records are past their limits too.
			clk.t = now.Add(2 * time.Minute)
			res, err = svc.Sweep(ctx)
			must(t, err)
			for _, k := range []string{"replies", "reactions", "remote_actors", "seen_activities", "audit_log", "login_throttle", "uploads"} {
				if res[k] != 1 {
					t.Errorf("after two minutes, %s: removed %d, want 1", k, res[k])
				}
			}
		})
	}
}

// TestRegisterNamesProcessors builds the installation's register with and
// without a mail relay and an object store: each configured one is named
// as a recipient, and none is named when it is not configured.
func TestRegisterNamesProcessors(t *testing.T) {
	e := storetest.Engines()[0]
	st := e.Open(t, e.NewDatabase(t), nil)
	files, err := media.NewLocalStore(t.TempDir())
	must(t, err)
	tests := []struct {
		name             string
		configure        func(*config.Config)
		wantMail, wantS3 string
	}{
		{"nothing configured", func(*config.Config) {}, "", ""},
		{"mail relay", func(c *config.Config) { c.Mail.SMTPAddr = "smtp.voorbeeld.nl:587" }, "smtp.voorbeeld.nl", ""},
		{"mail relay and object store", func(c *config.Config) {
			c.Mail.SMTPAddr = "mail.voorbeeld.nl:465"
			c.S3.Endpoint, c.S3.Bucket = "s3.voorbeeld.nl", "plein"
		}, "mail.voorbeeld.nl", "s3.voorbeeld.nl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			tt.configure(&cfg)
			svc := retention.New(st, library.New(files), cfg, "https://plein.example", time.Now, nil)
			reg, err := svc.Register(context.Background(), "en", nil)
			must(t, err)
			hosts := map[string]string{}
			for _, r := range reg.Recipients {
				hosts[r.Kind] = r.Host
			}
			if hosts[privacy.RecipientMail] != tt.wantMail || hosts[privacy.RecipientMedia] != tt.wantS3 {
				t.Errorf("mail relay %q, object store %q; want %q, %q", hosts[privacy.RecipientMail],
					hosts[privacy.RecipientMedia], tt.wantMail, tt.wantS3)
			}
		})
	}
}
