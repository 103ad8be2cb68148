package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// JobCounts implements store.JobQueue.
func (q Queries) JobCounts(ctx context.Context) (map[string]int64, error) {
	rows, err := q.c.Query(ctx, `SELECT CAST(state AS TEXT), COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, wrap("job counts", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, wrap("job counts", err)
		}
		out[state] = n
	}
	return out, wrap("job counts", rows.Err())
}

// RequeueAbandonedJobs makes every job marked running that has attempts
// left available again, and returns how many. Only a caller that knows no
// process is working jobs may call it: StartJobs of the embedded engine,
// which holds the database's lock for working jobs.
func (q Queries) RequeueAbandonedJobs(ctx context.Context) (int, error) {
	n, err := q.c.Exec(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running' AND attempt < max_attempts`)
	if err != nil {
		return 0, wrap("requeue abandoned jobs", err)
	}
	return int(n), nil
}

// RetryJobs makes the scheduled and retryable jobs of kind whose string
// argument arg starts with one of prefixes runnable at once, through River's
// own JobRetry, at most limit of them, and returns how many. arg must be a
// plain name (letters, digits, underscores): it is written into the query.
// Both engines' job tables answer args ->> 'name' and substr.
func RetryJobs[TTx any](ctx context.Context, c *river.Client[TTx], kind, arg string, prefixes []string, limit int) (int, error) {
	if !plainName(arg) || len(prefixes) == 0 || limit <= 0 {
		return 0, fmt.Errorf("store: retry jobs: argument %q, %d prefixes, limit %d", arg, len(prefixes), limit)
	}
	conds := make([]string, len(prefixes))
	named := river.NamedArgs{}
	for i, p := range prefixes {
		conds[i] = fmt.Sprintf("substr(args ->> '%s', 1, @len%d) = @prefix%d", arg, i, i)
		named[fmt.Sprintf("len%d", i)] = len(p)
		named[fmt.Sprintf("prefix%d", i)] = p
	}
	params := river.NewJobListParams().Kinds(kind).
		States(rivertype.JobStateScheduled, rivertype.JobStateRetryable).
		Where("("+strings.Join(conds, " OR ")+")", named).
		First(min(limit, retryBatch))
	retried := 0
	for retried < limit {
		res, err := c.JobList(ctx, params.First(min(limit-retried, retryBatch)))
		if err != nil {
			return retried, fmt.Errorf("store: retry jobs: %w", err)
		}
		for _, j := range res.Jobs {
			if _, err := c.JobRetry(ctx, j.ID); err != nil && !errors.Is(err, river.ErrNotFound) {
				return retried, fmt.Errorf("store: retry job %d: %w", j.ID, err)
			}
			retried++
		}
		if len(res.Jobs) < retryBatch {
			break
		}
	}
	return retried, nil
}

// retryBatch is how many jobs RetryJobs lists at once.
const retryBatch = 500

func plainName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return s != ""
}

// cancelGrace bounds how long StopJobs waits, after cancelling the jobs
// still running, for them to return and be handed back to the queue.
const cancelGrace = 5 * time.Second

// StopJobs stops c gracefully: no new jobs are fetched and running ones may
// finish until ctx ends. Jobs still running then have their contexts
// cancelled (River's StopAndCancel); a job that returns because of it is
// made available again at once, with its attempt not counted, so another
// node or the next start takes it without waiting for River's rescue of
// stuck jobs. StopJobs waits at most cancelGrace more for them to return;
// one that ignores its context stays running until that rescue.
func StopJobs[TTx any](ctx context.Context, c *river.Client[TTx]) error {
	err := c.Stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("stop jobs: %w", err)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelGrace)
	defer cancel()
	if cerr := c.StopAndCancel(cctx); cerr != nil {
		return fmt.Errorf("stop jobs: cancelling running jobs after the grace: %w", cerr)
	}
	return nil
}
