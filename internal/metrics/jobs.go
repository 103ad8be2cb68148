package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// queueDepthTimeout bounds the query behind plein_jobs on each scrape.
const queueDepthTimeout = 2 * time.Second

// queueDepthFunc returns the number of jobs in each state, keyed by state
// name ("available", "running", ...).
type queueDepthFunc = func(ctx context.Context) (map[string]int64, error)

// SetQueueDepth makes every scrape call f, with a 2 s timeout, and export
// gauge plein_jobs{state} for each state it returns. When f fails the
// scrape exports no plein_jobs and plein_metrics_errors_total grows by
// one; so does a state that is not a short lower-case name, which is left
// out. A later call replaces f; a nil f stops the gauge.
func (m *Metrics) SetQueueDepth(f func(ctx context.Context) (map[string]int64, error)) {
	if m == nil {
		return
	}
	m.internal.setQueueDepth(f)
}

// internalCollector exports what is computed at scrape time: the job queue
// depth and the count of scrape-time errors. The error counter is exported
// by the same Collect that may increment it, so a scrape that fails
// already shows its own error.
type internalCollector struct {
	jobs   *prometheus.Desc
	errors prometheus.Counter

	mu         sync.Mutex
	queueDepth queueDepthFunc
}

func newInternalCollector() *internalCollector {
	return &internalCollector{
		jobs: prometheus.NewDesc("plein_jobs",
			"Background jobs, by state, at scrape time.", []string{"state"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "plein_metrics_errors_total",
			Help: "Errors met while collecting metrics at scrape time.",
		}),
	}
}

func (c *internalCollector) setQueueDepth(f queueDepthFunc) {
	c.mu.Lock()
	c.queueDepth = f
	c.mu.Unlock()
}

// Describe implements prometheus.Collector.
func (c *internalCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.jobs
	c.errors.Describe(ch)
}

// Collect implements prometheus.Collector.
func (c *internalCollector) Collect(ch chan<- prometheus.Metric) {
	c.collectJobs(ch)
	c.errors.Collect(ch)
}

func (c *internalCollector) collectJobs(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	f := c.queueDepth
	c.mu.Unlock()
	if f == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), queueDepthTimeout)
	defer cancel()
	counts, err := f(ctx)
	if err != nil {
		c.errors.Inc()
		return
	}
	for state, n := range counts {
		if !validState(state) {
			c.errors.Inc()
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.jobs, prometheus.GaugeValue, float64(n), state)
	}
}

// validState reports whether s is fit for the state label: 1 to 32
// lower-case letters and underscores, starting with a letter.
func validState(s string) bool {
	if len(s) == 0 || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < 'a' || s[i] > 'z') && s[i] != '_' {
			return false
		}
	}
	return true
}
