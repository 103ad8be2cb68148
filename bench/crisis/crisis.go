package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"plein/internal/loadgen"
)

// change is one action of the staff member during the crisis run, and
// what the first readers saw after it.
type change struct {
	kind    string        // "publish" or "edit"
	cli     time.Duration // how long the plein command took
	cliErr  error         // why the command failed; nothing else is then measured
	before  int64         // the node's change version just before the command
	version int64         // the version the node reached after it; 0: not within freshnessLimit
	reached time.Duration // from the command's return to the node's reaching version
	page    firstRead     // the first request for /@demo once the node reached it
	post    firstRead     // then the first request for the post's own page
	late    bool          // the load had ended before the checks did
}

// firstRead is one request made to check that a page shows a change.
type firstRead struct {
	after  time.Duration // from the command's return to the complete response
	took   time.Duration // from sending the request to the complete response
	status int           // the response's status; 0 when the request failed
	shown  bool          // the response held the change's marker
	err    error         // why the request failed
}

// String describes r for a failure report.
func (r firstRead) String() string {
	switch {
	case r.err != nil:
		return r.err.Error()
	case r.shown:
		return fmt.Sprintf("status %d, shows the change, %v after the command (the request took %v)",
			r.status, r.after.Round(time.Millisecond/10), r.took.Round(time.Millisecond/10))
	default:
		return fmt.Sprintf("status %d, without the change, %v after the command (the request took %v)",
			r.status, r.after.Round(time.Millisecond/10), r.took.Round(time.Millisecond/10))
	}
}

// readOnce requests url once on a connection of its own, as a browser
// does (gzip), and tells whether the page holds marker. since is the
// command's return.
func readOnce(ctx context.Context, url, marker string, since time.Time) firstRead {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return firstRead{err: fmt.Errorf("GET %s: %w", url, err)}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return firstRead{after: time.Since(since), took: time.Since(start), err: fmt.Errorf("GET %s: %w", url, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	r := firstRead{after: time.Since(since), took: time.Since(start), status: resp.StatusCode}
	if err != nil {
		r.err = fmt.Errorf("GET %s: reading body: %w", url, err)
		return r
	}
	r.shown = resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(marker))
	return r
}

// freshnessLimit is how long after a command the staff member waits for
// the node to reach the change before counting it as not reached.
const freshnessLimit = 15 * time.Second

// staff publishes a post, then edits it every opts.editEvery until done is
// closed. After each command it reads the node's change version every
// opts.versionInterval until it passes the one it had just before the
// command, then requests /@demo once and the post's page once, each as
// the first reader after the change, and checks that they show it. A
// command that fails is recorded, and the next one tried on schedule (a
// publication again if there is no post yet).
func staff(ctx context.Context, opts options, pl *pleinProc, nv *nodeVersion, done <-chan struct{}) ([]change, error) {
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
		if id == "" {
			c.kind = "publish"
		}
		var err error
		if c.before, err = nv.read(ctx); err != nil {
			return changes, fmt.Errorf("before %s %d: %w", c.kind, i, err)
		}
		if err := measure(ctx, opts, pl, nv, &c, &id, i, text, marker); err != nil {
			return changes, err
		}
		select {
		case <-done:
			c.late = true
		default:
		}
		changes = append(changes, c)
		next = next.Add(opts.editEvery)
		if now := time.Now(); next.Before(now) {
			next = now
		}
	}
}

// measure makes change i of the staff member (publishing a post when *id
// is empty, editing post *id otherwise) and fills in c: when the node
// reached it and what the first readers saw. It returns an error only
// when the run cannot go on.
func measure(ctx context.Context, opts options, pl *pleinProc, nv *nodeVersion, c *change, id *string, i int, text, marker string) error {
	var at time.Time
	var err error
	if *id == "" {
		*id, c.cli, at, err = pl.publish(ctx, text)
	} else {
		c.cli, at, err = pl.edit(ctx, *id, text)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.cliErr = err
		logf("FAILURE: %s %d: %v", c.kind, i, err)
		return nil
	}
	v, reachedAt, err := nv.await(ctx, c.before, opts.versionInterval, freshnessLimit)
	switch {
	case errors.Is(err, errNotReached):
		logf("FAILURE: %s %d: %v", c.kind, i, err)
		return nil
	case err != nil:
		return fmt.Errorf("after %s %d: %w", c.kind, i, err)
	}
	c.version, c.reached = v, reachedAt.Sub(at)
	c.page = readOnce(ctx, pl.base+"/@demo", marker, at)
	c.post = readOnce(ctx, pl.base+"/@demo/"+*id, marker, at)
	if !c.page.shown || !c.post.shown {
		logf("FAILURE: %s %d reached at version %d: first read of /@demo: %v; of the post's page: %v", c.kind, i, v, c.page, c.post)
	}
	return nil
}

// crisisResult is the outcome of the crisis run against Plein.
type crisisResult struct {
	load    loadgen.Result
	changes []change
	reads   []time.Duration // how long each read of the node's version took
}

// crisis runs the open-loop load against Plein while the staff member
// works and checks what the first reader after each change sees.
func crisis(ctx context.Context, opts options, pl *pleinProc, cfg loadgen.Config) (crisisResult, error) {
	var res crisisResult
	nv := newNodeVersion(pl.metrics)
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
		res.changes, staffErr = staff(ctx, opts, pl, nv, loadDone)
	})
	load, err := loadgen.Run(ctx, cfg)
	close(loadDone)
	staffWG.Wait()
	res.load, res.reads = load, nv.reads
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
