package auth

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// SessionSweepArgs is the periodic job that deletes expired staff
// sessions, so that no login is kept longer than it can be used.
type SessionSweepArgs struct{}

// Kind implements river.JobArgs.
func (SessionSweepArgs) Kind() string { return "auth_session_sweep" }

// SessionSweepJob runs the sweep every hour, and once when jobs start.
func SessionSweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return SessionSweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// SessionSweepWorker deletes expired sessions.
type SessionSweepWorker struct {
	river.WorkerDefaults[SessionSweepArgs]
	svc    *Service
	logger *slog.Logger
}

// NewSessionSweepWorker returns the worker for SessionSweepArgs jobs.
func NewSessionSweepWorker(svc *Service, logger *slog.Logger) *SessionSweepWorker {
	return &SessionSweepWorker{svc: svc, logger: logger}
}

// Work deletes the sessions that are past their idle timeout or their
// maximum age, and logs how many.
func (w *SessionSweepWorker) Work(ctx context.Context, _ *river.Job[SessionSweepArgs]) error {
	now := w.svc.now().UTC()
	n, err := w.svc.st.DeleteExpiredSessions(ctx, now, now.Add(-w.svc.SessionLimits().Max))
	if err != nil {
		return fmt.Errorf("auth: session sweep: %w", err)
	}
	if n > 0 {
		w.logger.Info("deleted expired staff sessions", "count", n)
	}
	// Log-ins and passkey registrations that were never finished.
	if _, err := w.svc.st.DeleteChallengesBefore(ctx, now); err != nil {
		return fmt.Errorf("auth: session sweep: %w", err)
	}
	return nil
}
