// Package loadgen is an open-loop HTTP load generator for crisis runs: it
// holds many keep-alive connections open to one server and sends requests at
// a fixed rate, whatever the server's speed. Each latency counts from the
// request's scheduled send time, so a stalled server is charged for the
// requests that should have been sent during the stall (no coordinated
// omission).
package loadgen

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Error kinds used as keys of Result.ErrorsByKind. Unexpected statuses are
// counted under their class: "1xx", "3xx" (except 304), "4xx" and "5xx".
const (
	// KindTimeout counts requests not answered within Config.Timeout of
	// their scheduled time, including those that waited that long for a
	// connection.
	KindTimeout = "timeout"
	// KindOther counts other transport errors: refused or reset
	// connections, malformed responses.
	KindOther = "other"
)

// Percentiles are latency percentiles, each within about 0.5 % of the exact
// value (Max is exact).
type Percentiles struct {
	P50, P90, P99, P999, Max time.Duration
}

// Result is the outcome of a run. Counts cover only requests scheduled after
// the warmup; each such request ends either in Completed or in Errors, unless
// the run was interrupted while it was in flight.
type Result struct {
	// Rate is the configured rate in requests per second.
	Rate float64
	// Sent counts requests written to a connection.
	Sent int64
	// Completed counts responses with a 2xx or 304 status.
	Completed int64
	// Errors counts all other outcomes; ErrorsByKind splits them.
	Errors       int64
	ErrorsByKind map[string]int64
	// Latency covers every recorded request, errors included, from its
	// scheduled send time to the end of its response body (or its failure).
	Latency Percentiles
	// Duration runs from the end of the warmup to the end of the last
	// recorded request.
	Duration time.Duration
	// AchievedRate is Completed per second of Duration.
	AchievedRate float64
	// ConnectionsOpen is the number of connections established before the
	// first request.
	ConnectionsOpen int
	// Reconnects counts connections opened during the run to replace ones
	// the server closed or that failed.
	Reconnects int64
}

// String returns a one-line summary.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%.0f req/s offered, %.0f achieved over %v: %d sent, %d ok, %d errors",
		r.Rate, r.AchievedRate, roundDuration(r.Duration), r.Sent, r.Completed, r.Errors)
	if len(r.ErrorsByKind) > 0 {
		var kinds []string
		for _, k := range slices.Sorted(maps.Keys(r.ErrorsByKind)) {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, r.ErrorsByKind[k]))
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(kinds, ", "))
	}
	fmt.Fprintf(&b, "; latency p50 %v p90 %v p99 %v p99.9 %v max %v; %d connections",
		roundDuration(r.Latency.P50), roundDuration(r.Latency.P90), roundDuration(r.Latency.P99),
		roundDuration(r.Latency.P999), roundDuration(r.Latency.Max), r.ConnectionsOpen)
	if r.Reconnects > 0 {
		fmt.Fprintf(&b, " (%d reconnects)", r.Reconnects)
	}
	return b.String()
}

// roundDuration keeps about three significant digits.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}
