// Package jobs configures Plein's durable job queue, River, the same way on
// both storage engines. Job kinds and their workers live with the domain
// package that needs them; the composition root registers them in one
// river.Workers bundle before the store starts working jobs.
package jobs

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// QueueDelivery is the queue of outgoing federation deliveries.
const QueueDelivery = "delivery"

// DeliveryWorkers is how many deliveries one process runs at once.
const DeliveryWorkers = 500

// QueueMail is the queue of e-mail to subscribers.
const QueueMail = "mail"

// MailWorkers is how many mail jobs one process runs at once: each sends
// its messages one after another, so this bounds the connections to the
// mail relay.
const MailWorkers = 4

// PollOnlyInterval is how often the mail queue's workers look for new
// jobs on an engine whose driver cannot tell them of one (SQLite): River
// then learns of a job enqueued in a transaction only by polling, so this
// is the longest the first batches of a post's mail wait before they are
// sent. Polling costs CPU even when idle (about 1.7 ms a poll here),
// so the other queues keep River's pace of a second.
const PollOnlyInterval = 200 * time.Millisecond

// Config returns River's configuration: the default queue, the shared
// workers bundle, the periodic jobs and a logger. Retries follow River's
// exponential backoff. Periodic jobs run once per installation, on the
// elected leader, however many nodes serve.
func Config(workers *river.Workers, periodic []*river.PeriodicJob, logger *slog.Logger) *river.Config {
	if logger == nil {
		logger = slog.Default()
	}
	return &river.Config{
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 20},
			// Deliveries wait on the network, not the CPU: many run at
			// once, in their own queue so that a large fan-out never
			// delays scheduled posts.
			QueueDelivery: {MaxWorkers: DeliveryWorkers},
			// Mail waits on the relay; its own queue keeps a slow relay
			// from holding up the rest.
			QueueMail: {MaxWorkers: MailWorkers},
		},
		Workers:      workers,
		PeriodicJobs: periodic,
		Logger:       logger.With("component", "jobs"),
		// On PostgreSQL, LISTEN/NOTIFY tells the workers of a new job at
		// once; the poll only catches a job whose notice was merged into an
		// earlier fetch. Each poll is a query per queue, so it runs at
		// River's default pace. Engines that cannot notify poll the mail
		// queue faster (PollOnlyInterval).
		FetchCooldown:     50 * time.Millisecond,
		FetchPollInterval: time.Second,
		// A job running when its process died is handed to another worker
		// after RescueStuckJobsAfter (on SQLite, where one process works the
		// jobs, at once when it starts again); no job runs longer than
		// JobTimeout.
		JobTimeout:           time.Minute,
		RescueStuckJobsAfter: 90 * time.Second,
		SkipUnknownJobCheck:  false,
	}
}
