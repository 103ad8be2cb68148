// Package analytics turns the in-memory counters of package insights into
// the stored daily aggregates, in batches, and reads them back as the
// insights an analyst sees: series per day, totals, the most read posts
// and referrer hosts, with small referrer counts folded into "other".
package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"plein/internal/auth"
	"plein/internal/insights"
	"plein/internal/model"
	"plein/internal/store"
)

// FlushInterval is how often counters are written to the database.
const FlushInterval = 30 * time.Second

// Service flushes a Recorder and answers insight questions.
type Service struct {
	st        store.Store
	auth      *auth.Service
	rec       *insights.Recorder
	threshold int
	now       func() time.Time
	logger    *slog.Logger

	mu      sync.Mutex     // one flush at a time
	pending insights.Batch // drained but not yet stored
}

// New returns a Service over rec. Referrer hosts with fewer than threshold
// visits in a period are reported as "other".
func New(st store.Store, authz *auth.Service, rec *insights.Recorder, threshold int, now func() time.Time, logger *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{st: st, auth: authz, rec: rec, threshold: threshold, now: now, logger: logger}
}

// Recorder is where views, feed fetches and Fediverse events are counted.
func (s *Service) Recorder() *insights.Recorder { return s.rec }

// Flush writes what the Recorder counted since the last flush in one
// transaction: counts and referrers are added, each day's visitor sketch
// is merged into the stored one and the estimate updated. A batch that
// fails to be stored is kept and written with the next flush.
func (s *Service) Flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.rec.Drain()
	b.Counts = append(s.pending.Counts, b.Counts...)
	b.Referrers = append(s.pending.Referrers, b.Referrers...)
	b.Visitors = append(s.pending.Visitors, b.Visitors...)
	s.pending = insights.Batch{}
	if len(b.Counts)+len(b.Referrers)+len(b.Visitors) == 0 {
		return nil
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		counts := make([]model.InsightCount, len(b.Counts))
		for i, c := range b.Counts {
			counts[i] = model.InsightCount{OrgID: c.OrgID, PostID: c.PostID, Day: c.Day.Format(model.DayFormat), Metric: c.Metric, Value: c.Value}
		}
		if err := tx.AddInsightCounts(ctx, counts); err != nil {
			return err
		}
		refs := make([]model.ReferrerCount, len(b.Referrers))
		for i, r := range b.Referrers {
			refs[i] = model.ReferrerCount{OrgID: r.OrgID, Day: r.Day.Format(model.DayFormat), Host: r.Host, Visits: r.Count}
		}
		if err := tx.AddReferrers(ctx, refs); err != nil {
			return err
		}
		for _, v := range b.Visitors {
			if err := mergeVisitors(ctx, tx, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.pending = b
		return fmt.Errorf("analytics: flush: %w", err)
	}
	return nil
}

// mergeVisitors merges a day's sketch into the stored one. Merging is
// idempotent, so the same visitors flushed twice count once.
func mergeVisitors(ctx context.Context, tx store.Tx, v insights.Visitors) error {
	day := v.Day.Format(model.DayFormat)
	var merged insights.Sketch
	if err := merged.UnmarshalBinary(v.Sketch); err != nil {
		return err
	}
	stored, err := tx.VisitorSketch(ctx, v.OrgID, day)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		var old insights.Sketch
		if err := old.UnmarshalBinary(stored); err != nil {
			return err
		}
		merged.Merge(&old)
	}
	b, err := merged.MarshalBinary()
	if err != nil {
		return err
	}
	return tx.PutVisitors(ctx, model.VisitorEstimate{OrgID: v.OrgID, Day: day, Estimate: int64(merged.Estimate())}, b)
}

// Run flushes every interval until ctx ends, then once more.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := s.Flush(flushCtx); err != nil {
				s.logger.Error("analytics: last flush", "err", err)
			}
			return
		case <-t.C:
			if err := s.Flush(ctx); err != nil {
				s.logger.Error("analytics: flush", "err", err)
			}
		}
	}
}
