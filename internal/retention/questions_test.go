package retention_test

import (
	"context"
	"errors"
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

// TestSweepQuestionsByOrganisation keeps each organisation's questions for
// its own retention (the installation's when it chose none) and questions
// marked as complaints for the retention of complaints (five years unless
// chosen): a question or complaint a minute past its limit goes, one a
// minute within it stays.
func TestSweepQuestionsByOrganisation(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			files, err := media.NewLocalStore(t.TempDir())
			must(t, err)
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			cfg := config.Default()
			svc := retention.New(st, library.New(files), cfg, "https://plein.example", func() time.Time { return now }, nil)
			org := func(handle string) *model.Org {
				o := &model.Org{ID: model.NewID(now), Handle: handle, DisplayName: handle, Language: "nl",
					TimeZone: "Europe/Amsterdam", CreatedAt: now, UpdatedAt: now}
				must(t, st.CreateOrg(ctx, o))
				return o
			}
			plain, own := org("almere"), org("zwolle")
			must(t, st.PutInboxSettings(ctx, &model.InboxSettings{OrgID: own.ID, Retention: 30 * config.Day,
				ComplaintRetention: 2 * 365 * config.Day, Notify: true}))

			type question struct {
				org       *model.Org
				limit     time.Duration
				complaint bool
			}
			kept, gone := map[string]bool{}, map[string]bool{}
			n := 0
			for _, q := range []question{
				{plain, cfg.Retention.Questions, false},
				{plain, config.ComplaintAge, true},
				{own, 30 * config.Day, false},
				{own, 2 * 365 * config.Day, true},
			} {
				for _, past := range []bool{true, false} {
					n++
					at := now.Add(-q.limit + time.Minute)
					if past {
						at = now.Add(-q.limit - time.Minute)
					}
					id := model.NewID(at)
					must(t, st.CreateQuestion(ctx, &model.Question{ID: id, OrgID: q.org.ID, Reference: "V-" + string(rune('A'+n)),
						Topic: "general", ReplyTo: "a@example.org", Text: "Vraag", Lang: "nl", State: model.QuestionNew,
						ReceivedAt: at, UpdatedAt: at, Complaint: q.complaint}))
					if past {
						gone[id] = true
					} else {
						kept[id] = true
					}
				}
			}
			res, err := svc.Sweep(ctx)
			must(t, err)
			if res["questions"] != int64(len(gone)) {
				t.Errorf("swept %d questions, want %d", res["questions"], len(gone))
			}
			for id := range gone {
				if _, err := st.QuestionByID(ctx, id); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("question %s past its limit is still there: %v", id, err)
				}
			}
			for id := range kept {
				if _, err := st.QuestionByID(ctx, id); err != nil {
					t.Errorf("question %s within its limit went: %v", id, err)
				}
			}
			// The register states each organisation's own retention.
			for o, want := range map[*model.Org]time.Duration{own: 30 * config.Day, plain: cfg.Retention.Questions} {
				reg, err := svc.Register(ctx, "en", o)
				must(t, err)
				found := false
				for _, a := range reg.Activities {
					if a.Category == "questions" {
						found = a.MaxAgeSeconds == int64(want/time.Second)
					}
				}
				if !found {
					t.Errorf("the register of %s does not state a retention of questions of %s", o.Handle, want)
				}
			}
		})
	}
}
