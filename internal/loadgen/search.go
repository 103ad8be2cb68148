package loadgen

import (
	"context"
	"fmt"
	"math"
	"time"
)

// bisections is the number of runs FindMaxRate spends narrowing the bracket
// once a rate has failed; five halvings leave it at 1/32 of its width.
const bisections = 5

// FindMaxRate looks for the highest rate at which a run of base, lasting step
// (base.Duration when step is zero), has no errors and a p99 latency of at
// most maxP99. It runs at start, doubling the rate up to limit until a run
// fails, then bisects between the last passing and the first failing rate.
// It returns the highest passing rate (0 if none passed) and every run in
// order. A run that cannot take place (for instance, connections cannot be
// opened) ends the search with its error.
func FindMaxRate(ctx context.Context, base Config, maxP99 time.Duration, start, limit float64, step time.Duration) (float64, []Result, error) {
	return findMaxRate(ctx, base, maxP99, start, limit, step, Run)
}

// runFunc is the signature of Run, replaceable in tests of the search.
type runFunc func(context.Context, Config) (Result, error)

func findMaxRate(ctx context.Context, base Config, maxP99 time.Duration, start, limit float64, step time.Duration, run runFunc) (float64, []Result, error) {
	switch {
	case maxP99 <= 0:
		return 0, nil, fmt.Errorf("loadgen: maximum p99 must be positive, got %v", maxP99)
	case !(start > 0) || math.IsInf(start, 1):
		return 0, nil, fmt.Errorf("loadgen: start rate must be positive, got %v", start)
	case !(limit >= start) || math.IsInf(limit, 1):
		return 0, nil, fmt.Errorf("loadgen: rate limit %v must be finite and at least the start rate %v", limit, start)
	case step < 0:
		return 0, nil, fmt.Errorf("loadgen: step must not be negative, got %v", step)
	}
	if step > 0 {
		base.Duration = step
	}
	var runs []Result
	passes := func(rate float64) (bool, error) {
		cfg := base
		cfg.Rate = rate
		res, err := run(ctx, cfg)
		runs = append(runs, res)
		if err != nil {
			return false, fmt.Errorf("loadgen: run at %.0f req/s: %w", rate, err)
		}
		return res.Errors == 0 && res.Latency.P99 <= maxP99, nil
	}

	var best, failed float64
	for rate := start; ; rate = min(2*rate, limit) {
		ok, err := passes(rate)
		if err != nil {
			return best, runs, err
		}
		if !ok {
			failed = rate
			break
		}
		best = rate
		if rate >= limit {
			return best, runs, nil
		}
	}
	for range bisections {
		if failed-best <= 0.01*failed {
			break
		}
		mid := (best + failed) / 2
		ok, err := passes(mid)
		if err != nil {
			return best, runs, err
		}
		if ok {
			best = mid
		} else {
			failed = mid
		}
	}
	return best, runs, nil
}
