// Package metrics collects Plein's operational metrics and serves them in
// the Prometheus text format, meant for a listener of its own that only
// operators can reach.
//
// No label carries personal data: routes are the patterns registered on
// the ServeMux (never request paths), statuses are reduced to their class,
// and every other label takes one of a fixed set of names.
//
// Every method is safe to call on a nil *Metrics, so callers run the same
// code with metrics switched off.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds Plein's metrics and the registry that exports them.
type Metrics struct {
	registry *prometheus.Registry
	handler  http.Handler

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	routes   routeTable

	cacheHit, cacheMiss, cacheStale prometheus.Counter
	changeVersion                   prometheus.Gauge

	deliveries map[string]prometheus.Counter

	login loginMetrics

	internal *internalCollector
}

// durationBuckets spans 50µs, a page served from memory, to 5s.
var durationBuckets = []float64{
	0.00005, 0.0001, 0.00025, 0.0005,
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1, 2.5, 5,
}

// deliveryOutcomes are the values of the outcome label of
// plein_deliveries_total; any other outcome is counted as "other".
var deliveryOutcomes = []string{"2xx", "3xx", "4xx", "5xx", "network_error", "paused", "other"}

// New returns Metrics registered on a registry of their own, together with
// the Go runtime and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "plein_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status class.",
		}, []string{"route", "method", "class"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "plein_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern and status class.",
			Buckets: durationBuckets,
		}, []string{"route", "class"}),
		internal: newInternalCollector(),
	}
	m.routes.init(m)

	cache := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "plein_page_cache_total",
		Help: "Public page cache lookups, by result.",
	}, []string{"result"})
	m.cacheHit = cache.WithLabelValues("hit")
	m.cacheMiss = cache.WithLabelValues("miss")
	m.cacheStale = cache.WithLabelValues("stale")

	m.changeVersion = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "plein_change_version",
		Help: "The change version of public content this node's cached pages reflect.",
	})

	deliveries := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "plein_deliveries_total",
		Help: "Federation delivery attempts, by outcome.",
	}, []string{"outcome"})
	m.deliveries = make(map[string]prometheus.Counter, len(deliveryOutcomes))
	for _, o := range deliveryOutcomes {
		m.deliveries[o] = deliveries.WithLabelValues(o)
	}

	var login []prometheus.Collector
	m.login, login = newLoginMetrics()

	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration, cache, m.changeVersion, deliveries, m.internal,
	)
	reg.MustRegister(login...)
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            reg,
		MaxRequestsInFlight: 2,
	})
	return m
}

// Handler serves the metrics in the Prometheus exposition format. A nil
// *Metrics serves 404.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return m.handler
}

// CacheHit counts a page served from the cache.
func (m *Metrics) CacheHit() {
	if m != nil {
		m.cacheHit.Inc()
	}
}

// CacheMiss counts a page that had to be rendered.
func (m *Metrics) CacheMiss() {
	if m != nil {
		m.cacheMiss.Inc()
	}
}

// SetChangeVersion records the change version the cached pages reflect.
func (m *Metrics) SetChangeVersion(v int64) {
	if m != nil {
		m.changeVersion.Set(float64(v))
	}
}

// CacheStale counts an outdated page served because rendering it failed or
// was slow.
func (m *Metrics) CacheStale() {
	if m != nil {
		m.cacheStale.Inc()
	}
}

// Delivery counts one delivery attempt. outcome is a status class ("2xx",
// "3xx", "4xx", "5xx"), "network_error" or "paused"; anything else is
// counted as "other".
func (m *Metrics) Delivery(outcome string) {
	if m == nil {
		return
	}
	c, ok := m.deliveries[outcome]
	if !ok {
		c = m.deliveries["other"]
	}
	c.Inc()
}
