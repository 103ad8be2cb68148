package insights

// Metric names of e-mail subscriptions, written by package subscription
// in the transaction of the change they count: aggregates only, never
// which subscriber, and nothing about opening or clicking.
const (
	MetricSubscribersGained = "subscribers_gained" // subscriptions confirmed (or imported)
	MetricSubscribersLost   = "subscribers_lost"   // subscriptions ended, suspended or complained about
	MetricMailsSent         = "mails_sent"         // messages the relay accepted, per post (digests count for the organisation)
	MetricMailFailures      = "mail_failures"      // messages the relay refused for good
)
