package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"plein/internal/loadgen"
)

// change is one action of the staff member during the crisis run.
type change struct {
	kind  string        // "publish" or "edit"
	cli   time.Duration // how long the plein command took
	fresh time.Duration // from the command's return to the change on the page
	seen  bool
}

// watch holds the text the poller looks for and when it was first seen.
type watch struct {
	mu     sync.Mutex
	marker string
	since  time.Time
	seen   chan struct{}
	seenAt time.Time
}

// expect makes the poller look for marker in pages requested after since
// and returns a channel closed when one has it.
func (w *watch) expect(marker string, since time.Time) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.marker, w.since, w.seen, w.seenAt = marker, since, make(chan struct{}), time.Time{}
	return w.seen
}

// observe checks a page requested at started and read by done.
func (w *watch) observe(body []byte, started, done time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.marker == "" || !w.seenAt.IsZero() || started.Before(w.since) || !bytes.Contains(body, []byte(w.marker)) {
		return
	}
	w.seenAt = done
	close(w.seen)
}

// seenAfter returns how long after since the marker was seen.
func (w *watch) seenAfter() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seenAt.Sub(w.since)
}

// poll requests page every interval on a new connection each time, until
// ctx ends, passing each body to w. It returns the number of polls and
// of failed polls.
func poll(ctx context.Context, page string, interval time.Duration, w *watch) (int64, int64) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	t := time.NewTicker(interval)
	defer t.Stop()
	var polls, failed int64
	for {
		select {
		case <-ctx.Done():
			return polls, failed
		case <-t.C:
		}
		polls++
		started := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
		if err != nil {
			failed++
			continue
		}
		resp, err := client.Do(req)
		if err != nil {
			failed++
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			failed++
			continue
		}
		w.observe(body, started, time.Now())
	}
}

// freshnessLimit is how long the staff member waits to see a change on the
// page before counting it as not seen.
const freshnessLimit = 15 * time.Second

// staff publishes a post, then edits it every opts.editEvery until done is
// closed, waiting after each change until the poller sees it.
func staff(ctx context.Context, opts options, pl *pleinProc, w *watch, done <-chan struct{}) ([]change, error) {
	var changes []change
	id := ""
	run := fmt.Sprintf("%x", time.Now().UnixNano()%0xffffff)
	next := time.Now()
	for i := 0; ; i++ {
		select {
		case <-done:
			return changes, nil
		case <-ctx.Done():
			return changes, ctx.Err()
		case <-time.After(time.Until(next)):
		}
		marker := fmt.Sprintf("Crisisupdate%sx%d", run, i)
		text := marker + " Stremming Hoofdweg: volg de omleiding via de Dorpsstraat."
		c := change{kind: "edit"}
		var at time.Time
		var err error
		if id == "" {
			c.kind = "publish"
			id, c.cli, at, err = pl.publish(ctx, text)
		} else {
			c.cli, at, err = pl.edit(ctx, id, text)
		}
		if err != nil {
			return changes, err
		}
		seen := w.expect(marker, at)
		select {
		case <-seen:
			c.seen, c.fresh = true, w.seenAfter()
		case <-time.After(freshnessLimit):
		case <-ctx.Done():
			return changes, ctx.Err()
		}
		changes = append(changes, c)
		next = next.Add(opts.editEvery)
		if now := time.Now(); next.Before(now) {
			next = now
		}
	}
}

// crisisResult is the outcome of the crisis run against Plein.
type crisisResult struct {
	load               loadgen.Result
	changes            []change
	polls, pollsFailed int64
}

// crisis runs the open-loop load against Plein while the staff member
// works and the poller watches the organisation page.
func crisis(ctx context.Context, opts options, pl *pleinProc, cfg loadgen.Config) (crisisResult, error) {
	var res crisisResult
	w := &watch{}
	pollCtx, stopPoll := context.WithCancel(ctx)
	var polls, pollsFailed atomic.Int64
	var pollWG sync.WaitGroup
	pollWG.Go(func() {
		p, f := poll(pollCtx, pl.base+"/@demo", 50*time.Millisecond, w)
		polls.Store(p)
		pollsFailed.Store(f)
	})
	loadDone := make(chan struct{})
	var staffErr error
	var staffWG sync.WaitGroup
	staffWG.Go(func() {
		if !opts.edits {
			return
		}
		// Connections open before the first request; start once the load
		// is on (the warmup plus a margin for opening them).
		select {
		case <-time.After(cfg.Warmup + time.Duration(cfg.Connections)*100*time.Microsecond + 500*time.Millisecond):
		case <-loadDone:
			return
		}
		res.changes, staffErr = staff(ctx, opts, pl, w, loadDone)
	})
	load, err := loadgen.Run(ctx, cfg)
	close(loadDone)
	staffWG.Wait()
	stopPoll()
	pollWG.Wait()
	res.load, res.polls, res.pollsFailed = load, polls.Load(), pollsFailed.Load()
	if err != nil {
		return res, fmt.Errorf("crisis load: %w", err)
	}
	if staffErr != nil {
		return res, fmt.Errorf("staff member: %w", staffErr)
	}
	return res, nil
}

// errorKinds writes a loadgen result's errors by kind.
func errorKinds(r loadgen.Result) string {
	if r.Errors == 0 {
		return "0"
	}
	var parts []string
	for _, k := range []string{loadgen.KindTimeout, loadgen.KindOther, "1xx", "3xx", "4xx", "5xx"} {
		if n := r.ErrorsByKind[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
		}
	}
	return fmt.Sprintf("%d (%s)", r.Errors, strings.Join(parts, ", "))
}
