// Package retention enforces how long Plein keeps each category of
// personal data: a periodic job deletes what is older than its configured
// limit, on either storage engine, and logs only how many records went.
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/accesslog"
	"plein/internal/config"
	"plein/internal/insights"
	"plein/internal/library"
	"plein/internal/model"
	"plein/internal/store"
)

// Service sweeps the store, and states what it enforces in the privacy
// register.
type Service struct {
	// AccessLog, when access logging is on, has its old files deleted by
	// the sweep. Set it before jobs start.
	AccessLog *accesslog.Log

	st      store.Store
	files   *library.Library
	cfg     config.Config
	baseURL string
	now     func() time.Time
	logger  *slog.Logger
}

// New returns a Service enforcing the retention of cfg for the
// installation at baseURL.
func New(st store.Store, files *library.Library, cfg config.Config, baseURL string, now func() time.Time, logger *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{st: st, files: files, cfg: cfg, baseURL: baseURL, now: now, logger: logger}
}

// Result counts what one sweep removed, by category.
type Result map[string]int64

// Total is the number of records removed.
func (r Result) Total() int64 {
	var n int64
	for _, v := range r {
		n += v
	}
	return n
}

// Sweep deletes everything older than its limit, as of now, and returns
// the counts. Each category is its own transaction, so that one failing
// does not keep the others.
func (s *Service) Sweep(ctx context.Context) (Result, error) {
	now, limits := s.now().UTC(), s.cfg.Retention
	day := func(age time.Duration) string { return now.Add(-age).Format(model.DayFormat) }
	steps := []struct {
		category string
		run      func(tx store.Tx) (int64, error)
	}{
		{"replies", func(tx store.Tx) (int64, error) { return tx.DeleteRepliesBefore(ctx, now.Add(-limits.Replies)) }},
		{"reactions", func(tx store.Tx) (int64, error) { return tx.FoldReactionsBefore(ctx, now.Add(-limits.Reactions)) }},
		{"remote_actors", func(tx store.Tx) (int64, error) {
			return tx.DeleteRemoteActorsBefore(ctx, now.Add(-limits.RemoteActors))
		}},
		{"seen_activities", func(tx store.Tx) (int64, error) {
			return tx.DeleteSeenBefore(ctx, now.Add(-limits.SeenActivities))
		}},
		{"audit_log", func(tx store.Tx) (int64, error) { return tx.DeleteAuditBefore(ctx, now.Add(-limits.AuditLog)) }},
		{"questions", func(tx store.Tx) (int64, error) { return sweepQuestions(ctx, tx, now, limits.Questions) }},
		// Failed log-ins count only within their window; then they go.
		{"login_throttle", func(tx store.Tx) (int64, error) {
			return tx.DeleteLoginFailuresBefore(ctx, now.Add(-config.LoginThrottleAge))
		}},
		{"insights", func(tx store.Tx) (int64, error) { return tx.DeleteInsightsBefore(ctx, day(limits.Insights)) }},
		// A day's sketch and its rare referrers are needed until the day
		// is over on every node; then only aggregates stay.
		{"visitor_estimate", func(tx store.Tx) (int64, error) {
			return tx.DeleteVisitorSketchesBefore(ctx, day(config.VisitorSketchAge-config.Day))
		}},
		{"referrers", func(tx store.Tx) (int64, error) {
			return tx.FoldReferrersBefore(ctx, day(config.ReferrerDetailAge-config.Day), s.cfg.ReferrerThreshold, insights.OtherReferrers)
		}},
		{"followers", func(tx store.Tx) (int64, error) {
			hosts, err := tx.FailingHostsSince(ctx, now.Add(-limits.FailingFollowers))
			if err != nil {
				return 0, err
			}
			var total int64
			for _, h := range hosts {
				n, err := tx.DeleteFollowersAtHost(ctx, h)
				if err != nil {
					return total, err
				}
				total += n
			}
			if total > 0 {
				return total, tx.MarkChanged(ctx) // follower counts are public
			}
			return total, nil
		}},
		// E-mail subscriptions: addresses never confirmed, subscriptions
		// suspended by bounces, and what sending keeps for a while.
		{"mail_unconfirmed", func(tx store.Tx) (int64, error) {
			return tx.DeleteUnconfirmedBefore(ctx, now.Add(-config.UnconfirmedSubscriptionAge))
		}},
		{"mail_subscribers", func(tx store.Tx) (int64, error) {
			return tx.DeleteSuspendedBefore(ctx, now.Add(-config.SuspendedSubscriptionAge))
		}},
		{"mail_reservations", func(tx store.Tx) (int64, error) { return tx.DeleteMailReservationsBefore(ctx, now) }},
		{"mail_outbox", func(tx store.Tx) (int64, error) { return tx.DeleteOutboxBefore(ctx, now.Add(-config.MailOutboxAge)) }},
		{"mail_suppression", func(tx store.Tx) (int64, error) {
			return tx.DeleteSuppressionsBefore(ctx, now.Add(-config.MailSuppressionAge))
		}},
		{"moderation", func(tx store.Tx) (int64, error) {
			return tx.DeleteModerationBefore(ctx, now.Add(-limits.Moderation))
		}},
	}
	res := Result{}
	var errs []error
	for _, step := range steps {
		err := s.st.InTx(ctx, func(tx store.Tx) error {
			n, err := step.run(tx)
			res[step.category] = n
			return err
		})
		if err != nil {
			res[step.category] = 0
			errs = append(errs, fmt.Errorf("retention: %s: %w", step.category, err))
		}
	}
	n, err := s.sweepUploads(ctx, now.Add(-limits.Uploads))
	res["uploads"] = n
	if err != nil {
		errs = append(errs, err)
	}
	if s.AccessLog != nil {
		files, err := s.AccessLog.Sweep(limits.AccessLog)
		res["access_log"] = int64(files)
		if err != nil {
			errs = append(errs, fmt.Errorf("retention: access log: %w", err))
		}
	}
	if len(errs) > 0 {
		return res, errs[0]
	}
	return res, nil
}

// sweepQuestions deletes each organisation's questions past its retention
// of questions (zero: def) and its complaints past its retention of
// complaints (zero: config.ComplaintAge).
func sweepQuestions(ctx context.Context, tx store.Tx, now time.Time, def time.Duration) (int64, error) {
	orgs, err := tx.ListOrgs(ctx)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, o := range orgs {
		set, err := tx.InboxSettings(ctx, o.ID)
		if err != nil {
			return total, err
		}
		questions, complaints := def, config.ComplaintAge
		if set.Retention > 0 {
			questions = set.Retention
		}
		if set.ComplaintRetention > 0 {
			complaints = set.ComplaintRetention
		}
		for complaint, age := range map[bool]time.Duration{false: questions, true: complaints} {
			n, err := tx.DeleteOrgQuestionsBefore(ctx, o.ID, complaint, now.Add(-age))
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// sweepUploads removes images no post or organisation uses, files first.
func (s *Service) sweepUploads(ctx context.Context, before time.Time) (int64, error) {
	ms, err := s.st.UnattachedMediaBefore(ctx, before)
	if err != nil {
		return 0, fmt.Errorf("retention: uploads: %w", err)
	}
	var n int64
	for _, m := range ms {
		if err := s.files.Remove(ctx, m); err != nil {
			return n, fmt.Errorf("retention: uploads: %w", err)
		}
		if err := s.st.DeleteMedia(ctx, m.ID); err != nil {
			return n, fmt.Errorf("retention: uploads: %w", err)
		}
		n++
	}
	return n, nil
}

// SweepArgs is the periodic job that runs Sweep.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "retention_sweep" }

// SweepJob runs the sweep every hour, and once when jobs start, on one
// node of the installation.
func SweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// SweepWorker runs SweepArgs jobs.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	svc *Service
}

// NewSweepWorker returns the worker for SweepArgs jobs.
func NewSweepWorker(svc *Service) *SweepWorker { return &SweepWorker{svc: svc} }

// Work sweeps and logs the counts, never what was deleted.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	res, err := w.svc.Sweep(ctx)
	if res.Total() > 0 {
		attrs := []any{"total", res.Total()}
		for k, v := range res {
			if v > 0 {
				attrs = append(attrs, k, v)
			}
		}
		w.svc.logger.Info("retention: deleted personal data past its limit", attrs...)
	}
	return err
}
