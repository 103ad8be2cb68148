package metrics

import "github.com/prometheus/client_golang/prometheus"

// loginMetrics count staff log-ins that failed or were refused. No label
// names an account or an address: the labels take the fixed values below.
type loginMetrics struct {
	failures      prometheus.Counter
	pairLocked    prometheus.Counter
	addressLocked prometheus.Counter
	accountAlerts prometheus.Counter
	refusedLocked prometheus.Counter
	refusedBusy   prometheus.Counter
}

// newLoginMetrics makes the log-in counters and returns the collectors to
// register.
func newLoginMetrics() (loginMetrics, []prometheus.Collector) {
	failures := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "plein_login_failures_total",
		Help: "Staff log-ins whose password was checked and wrong (or whose account does not exist).",
	})
	lockouts := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "plein_login_lockouts_total",
		Help: "Staff log-in locks begun, by scope: pair (one account from one address or browser), address (one address, every account).",
	}, []string{"scope"})
	alerts := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "plein_login_account_alerts_total",
		Help: "Staff accounts that reached the ceiling of failed log-ins from all addresses together; their log-ins are slowed, never locked.",
	})
	refusals := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "plein_login_refusals_total",
		Help: "Staff log-ins refused without checking the password, by reason: locked, or busy (too many password checks at once).",
	}, []string{"reason"})
	return loginMetrics{
		failures:      failures,
		pairLocked:    lockouts.WithLabelValues("pair"),
		addressLocked: lockouts.WithLabelValues("address"),
		accountAlerts: alerts,
		refusedLocked: refusals.WithLabelValues("locked"),
		refusedBusy:   refusals.WithLabelValues("busy"),
	}, []prometheus.Collector{failures, lockouts, alerts, refusals}
}

// LoginFailed counts a staff log-in whose password was checked and wrong.
func (m *Metrics) LoginFailed() {
	if m != nil {
		m.login.failures.Inc()
	}
}

// LoginPairLocked counts a lock of one account from one address (or one
// browser) begun.
func (m *Metrics) LoginPairLocked() {
	if m != nil {
		m.login.pairLocked.Inc()
	}
}

// LoginAddressLocked counts a lock of one address, for every account,
// begun.
func (m *Metrics) LoginAddressLocked() {
	if m != nil {
		m.login.addressLocked.Inc()
	}
}

// LoginAccountAlert counts an account that reached the ceiling of failed
// log-ins from all addresses together.
func (m *Metrics) LoginAccountAlert() {
	if m != nil {
		m.login.accountAlerts.Inc()
	}
}

// LoginRefusedLocked counts a log-in refused because it was locked.
func (m *Metrics) LoginRefusedLocked() {
	if m != nil {
		m.login.refusedLocked.Inc()
	}
}

// LoginRefusedBusy counts a log-in refused because too many passwords were
// being checked at once.
func (m *Metrics) LoginRefusedBusy() {
	if m != nil {
		m.login.refusedBusy.Inc()
	}
}
