package subscription

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/model"
	"plein/internal/store"
)

// DigestHour is the hour, in the organisation's time zone, at which daily
// digests go out, and weekly ones on Mondays.
const DigestHour = 7

// DigestCheck is how often the periodic job looks for digests that are due.
const DigestCheck = 5 * time.Minute

// DigestArgs is the periodic job that starts the digests that are due.
type DigestArgs struct{}

// Kind implements river.JobArgs.
func (DigestArgs) Kind() string { return "subscription_digest" }

// DigestJob runs Digest every DigestCheck, and once when jobs start, on
// one node of the installation.
func DigestJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(DigestCheck),
		func() (river.JobArgs, *river.InsertOpts) { return DigestArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// DigestWorker runs DigestArgs jobs.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	svc *Service
}

// NewDigestWorker returns the worker for DigestArgs jobs.
func NewDigestWorker(svc *Service) *DigestWorker { return &DigestWorker{svc: svc} }

// Work starts the digests that are due.
func (w *DigestWorker) Work(ctx context.Context, _ *river.Job[DigestArgs]) error {
	_, err := w.svc.Digest(ctx)
	return err
}

// Period returns the end of the latest digest period of frequency f at
// now, in the time zone loc, and the period's name: for daily digests
// DigestHour today, or yesterday before that hour; for weekly ones
// DigestHour on the latest Monday.
func Period(f model.Frequency, now time.Time, loc *time.Location) (time.Time, string) {
	local := now.In(loc)
	cut := time.Date(local.Year(), local.Month(), local.Day(), DigestHour, 0, 0, 0, loc)
	if local.Before(cut) {
		cut = cut.AddDate(0, 0, -1)
	}
	if f == model.FrequencyWeekly {
		for cut.Weekday() != time.Monday {
			cut = cut.AddDate(0, 0, -1)
		}
	}
	return cut.UTC(), cut.Format(model.DayFormat)
}

// Digest starts every daily and weekly digest whose period has ended and
// that was not started yet: one per organisation and period, each sent to
// a subscriber at most once (see SendBatch). A digest holds the posts
// published since the subscriber's previous one; a subscriber with none
// gets no mail. It returns the number of batch jobs enqueued.
func (s *Service) Digest(ctx context.Context) (int, error) {
	if !s.Enabled() {
		return 0, nil
	}
	orgs, err := s.st.ListOrgs(ctx)
	if err != nil {
		return 0, fmt.Errorf("subscription: digest: %w", err)
	}
	now, total := s.now(), 0
	for _, o := range orgs {
		for _, f := range []model.Frequency{model.FrequencyDaily, model.FrequencyWeekly} {
			until, name := Period(f, now, o.Location())
			item := "digest:" + string(f) + ":" + name
			n, err := s.fanOut(ctx, o.ID, item, "", until, store.SubscriptionFilter{OrgID: o.ID, States: active, Frequency: f})
			if err != nil {
				return total, err
			}
			total += n
		}
	}
	return total, nil
}
