package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"plein/internal/activity"
	"plein/internal/httpsig"
	"plein/internal/jobs"
	"plein/internal/loadgen"
	"plein/internal/web/pagecache"
)

// target is one public path measured against its static copy.
type target struct {
	name   string
	path   string
	accept string // Accept header, or ""
	static string // the path of the same bytes on the static server
	mix    bool   // part of the open-loop crisis mix
}

// headers returns the request headers wrk sends for t: those of a browser
// or, for the actor, of a Fediverse server.
func (t target) headers() []string {
	h := []string{"Accept-Encoding: gzip"}
	if t.accept != "" {
		h = append(h, "Accept: "+t.accept)
	}
	return h
}

func (t target) httpHeader() http.Header {
	h := http.Header{"Accept-Encoding": {"gzip"}}
	if t.accept != "" {
		h.Set("Accept", t.accept)
	}
	return h
}

// run does every phase and prints the table, also when a phase fails
// halfway.
func run(ctx context.Context, opts options, command string) (err error) {
	limit, lerr := raiseFileLimit()
	if lerr != nil {
		logf("warning: %v", lerr)
	}
	if _, err := exec.LookPath("wrk"); err != nil && opts.closedLoop {
		return errors.New("wrk is needed for the closed-loop phase (Debian package wrk; or -closed-loop=false)")
	}
	if need := uint64(opts.conns + 4*opts.servers + 1000); limit != 0 && limit < need {
		logf("warning: the open-file limit %d is below the %d descriptors this run may need (raise ulimit -n)", limit, need)
	}
	work, err := os.MkdirTemp("", "plein-crisis-")
	if err != nil {
		return err
	}
	if opts.keep {
		defer logf("kept %s", work)
	} else {
		defer os.RemoveAll(work)
	}

	rep := &report{}
	rep.header = []string{
		"date: " + time.Now().Format("2006-01-02 15:04 MST"),
		fmt.Sprintf("machine: %d cores, %s/%s, %s, open-file limit %d", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), limit),
		"command: `" + command + "`",
	}
	defer func() {
		out := rep.markdown()
		fmt.Print(out)
		if opts.out != "" {
			if werr := os.WriteFile(opts.out, []byte(out), 0o644); werr != nil {
				err = errors.Join(err, fmt.Errorf("writing %s: %w", opts.out, werr))
			}
		}
	}()

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	logf("building plein")
	bin, err := buildPlein(ctx, root, work)
	if err != nil {
		return err
	}
	fed, err := startFediverse(opts.servers, opts.latency)
	if err != nil {
		return err
	}
	defer fed.close()
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	metricsAddr, err := freeAddr()
	if err != nil {
		return err
	}
	base := "http://" + addr
	data := []string{"--data", filepath.Join(work, "data")}
	if opts.database != "" {
		data = append(data, "--database", opts.database)
	}
	logf("seeding the demo and %d followers on %d inbox servers", opts.servers*opts.perServer, opts.servers)
	info, err := seed(ctx, opts, filepath.Join(work, "data"), addr, base, fed)
	if err != nil {
		return err
	}
	rep.header = append(rep.header, fmt.Sprintf("data: the demo organisation with %d posts, %d followers on %d servers (%d shared inboxes), %s; seeded in %v",
		info.posts, info.followers, opts.servers, info.inboxes, info.engine, info.took.Round(100*time.Millisecond)))
	rep.header = append(rep.header, versions(ctx, root, bin)...)
	logf("starting plein serve on %s, metrics on %s", base, metricsAddr)
	pl, err := startPlein(ctx, bin, data, addr, metricsAddr, base, filepath.Join(work, "plein.log"))
	if err != nil {
		return err
	}
	defer func() {
		if serr := pl.stop(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()

	// The demo's posts were written before the followers existed but are
	// announced when serve first works its jobs: one delivery per post
	// and server.
	logf("waiting for the demo's posts to reach the inbox servers")
	rep.section("Start: the demo's posts announced to every server")
	// The queue takes a while to turn the posts into deliveries: wait for
	// the first one, then for the last.
	if err := fed.waitFirst(ctx, 2*time.Minute); err != nil {
		return err
	}
	backlog, err := fed.waitQuiet(ctx, 3*time.Second, 10*time.Minute)
	if err != nil {
		return err
	}
	span := time.Duration(fed.last.Load() - fed.first.Load())
	workerRate := float64(jobs.DeliveryWorkers) / opts.latency.Seconds()
	rate := 0.0
	if span > 0 {
		rate = float64(backlog) / span.Seconds()
	}
	rep.add(fmt.Sprintf("delivery rate, %d deliveries (baseline: workers ÷ latency)", backlog), fmtRate(rate),
		fmtRate(workerRate), ratio(rate, workerRate))
	rep.note("start: plein serve works the demo posts' announcements once the followers exist, one delivery per post and server, "+
		"with %d delivery workers against servers answering after %v", jobs.DeliveryWorkers, opts.latency)

	targets, err := discover(ctx, base)
	if err != nil {
		return err
	}
	var responses []staticResponse
	for i := range targets {
		t := &targets[i]
		resp, body, err := fetch(ctx, base+t.path, t.httpHeader())
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", t.path, resp.Status)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			rep.note("%s is served without gzip (%d bytes), to both servers alike", t.name, len(body))
		}
		t.static = fmt.Sprintf("/r/%d", i)
		responses = append(responses, staticResponse{Path: t.static, Status: resp.StatusCode, Header: resp.Header, Body: body})
	}
	static, err := startStatic(filepath.Join(work, "static.json"), responses)
	if err != nil {
		return err
	}
	defer static.stop()
	for i, t := range targets {
		_, got, err := fetch(ctx, static.base+t.static, t.httpHeader())
		if err != nil {
			return err
		}
		if string(got) != string(responses[i].Body) {
			return fmt.Errorf("the static server's %s differs from Plein's", t.name)
		}
	}

	if opts.closedLoop {
		if err := closedLoop(ctx, opts, rep, work, base, static.base, targets); err != nil {
			return err
		}
	}
	if err := crisisPhase(ctx, opts, rep, pl, static.base, targets); err != nil {
		return err
	}
	if opts.fanOut {
		if err := fanOutPhase(ctx, opts, rep, pl, fed); err != nil {
			return err
		}
	}
	if n := len(rep.failures); n > 0 {
		return fmt.Errorf("%d failures: see FAILURES above the table", n)
	}
	return nil
}

var postLink = regexp.MustCompile(`href="(/@demo/[0-9a-z]{26})"`)

// discover finds the public paths to measure: the organisation page, its
// newest post, its feeds and its actor.
func discover(ctx context.Context, base string) ([]target, error) {
	resp, page, err := fetch(ctx, base+"/@demo", nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /@demo: %s", resp.Status)
	}
	m := postLink.FindSubmatch(page)
	if m == nil {
		return nil, errors.New("/@demo links to no post")
	}
	return []target{
		{name: "/@demo", path: "/@demo", mix: true},
		{name: "post page", path: string(m[1]), mix: true},
		{name: "/@demo/feed.atom", path: "/@demo/feed.atom", mix: true},
		{name: "/@demo/feed.rss", path: "/@demo/feed.rss", mix: true},
		{name: "/@demo/feed.json", path: "/@demo/feed.json", mix: true},
		{name: "actor JSON", path: "/@demo", accept: activity.ContentType},
	}, nil
}

// closedLoop runs wrk on each target, Plein first, then the static copy.
func closedLoop(ctx context.Context, opts options, rep *report, work, base, staticBase string, targets []target) error {
	rep.section(fmt.Sprintf("Closed loop: wrk -t%d -c%d -d%s", opts.wrkThreads, opts.wrkConns, wrkDuration(opts.wrkDuration)))
	rep.note("closed loop: wrk with Accept-Encoding: gzip (and Accept: %s for the actor) on each path of Plein, then on a static Go server "+
		"in another process serving the same bytes with the same headers", activity.ContentType)
	for i, t := range targets {
		logf("wrk %s", t.name)
		p, pout, err := runWrk(ctx, opts, base+t.path, t.headers())
		if err != nil {
			return err
		}
		s, sout, err := runWrk(ctx, opts, staticBase+t.static, t.headers())
		if err != nil {
			return err
		}
		for who, out := range map[string]string{"plein": pout, "static": sout} {
			if err := os.WriteFile(filepath.Join(work, fmt.Sprintf("wrk-%d-%s.txt", i, who)), []byte(out), 0o644); err != nil {
				return err
			}
		}
		rep.add(t.name+" req/s", fmt.Sprintf("%.0f", p.rps), fmt.Sprintf("%.0f", s.rps), ratio(p.rps, s.rps))
		rep.add(t.name+" p99", fmtDur(p.p99), fmtDur(s.p99), durRatio(p.p99, s.p99))
		if p.errors > 0 || s.errors > 0 {
			rep.note("wrk errors on %s: Plein %d, static %d", t.name, p.errors, s.errors)
		}
	}
	return nil
}

// crisisPhase runs the open-loop crisis load on Plein with a staff member
// at work, the same load on the static server, and the max-rate searches.
func crisisPhase(ctx context.Context, opts options, rep *report, pl *pleinProc, staticBase string, targets []target) error {
	cfg := loadgen.Config{Rate: opts.rate, Connections: opts.conns, Duration: opts.crisisDuration, Warmup: opts.warmup,
		Header: http.Header{"Accept-Encoding": {"gzip"}}}
	pleinCfg, staticCfg := cfg, cfg
	var mixNames []string
	for _, t := range targets {
		if t.mix {
			pleinCfg.Targets = append(pleinCfg.Targets, pl.base+t.path)
			staticCfg.Targets = append(staticCfg.Targets, staticBase+t.static)
			mixNames = append(mixNames, t.name)
		}
	}
	rep.section(fmt.Sprintf("Crisis: open loop, %d connections, %.0f req/s, %v", opts.conns, opts.rate, opts.crisisDuration))
	staffNote := "no staff member at work (-edits=false)"
	if opts.edits {
		staffNote = fmt.Sprintf("meanwhile a staff member publishes a post with plein post create, then edits it with plein post edit every %v", opts.editEvery)
	}
	rep.note("crisis: loadgen requests %s in turn with Accept-Encoding: gzip; %s; baseline: the same load on the static server",
		strings.Join(mixNames, ", "), staffNote)
	logf("crisis run on Plein: %d connections, %.0f req/s, %v", opts.conns, opts.rate, opts.crisisDuration)
	slowBefore, failedBefore := pl.logCount(logRenderSlow), pl.logCount(logRenderFailed)
	res, err := crisis(ctx, opts, pl, pleinCfg)
	if err != nil {
		return err
	}
	var st loadgen.Result
	if opts.staticCrisis {
		logf("crisis run on the static server")
		time.Sleep(time.Second) // let the closed connections go
		if st, err = loadgen.Run(ctx, staticCfg); err != nil {
			return fmt.Errorf("crisis load on the static server: %w", err)
		}
	}
	if opts.staticCrisis {
		rep.add("achieved rate", fmtRate(res.load.AchievedRate), fmtRate(st.AchievedRate), ratio(res.load.AchievedRate, st.AchievedRate))
		rep.add("errors", errorKinds(res.load), errorKinds(st), "")
	} else {
		rep.add("achieved rate", fmtRate(res.load.AchievedRate), "", "")
		rep.add("errors", errorKinds(res.load), "", "")
	}
	for _, p := range []struct {
		name  string
		value func(loadgen.Percentiles) time.Duration
	}{
		{"latency p50", func(p loadgen.Percentiles) time.Duration { return p.P50 }},
		{"latency p99", func(p loadgen.Percentiles) time.Duration { return p.P99 }},
		{"latency p99.9", func(p loadgen.Percentiles) time.Duration { return p.P999 }},
		{"latency max", func(p loadgen.Percentiles) time.Duration { return p.Max }},
	} {
		a, b := p.value(res.load.Latency), p.value(st.Latency)
		bs, rs := "", ""
		if opts.staticCrisis {
			bs, rs = fmtDur(b), durRatio(a, b)
		}
		rep.add(p.name, fmtDur(a), bs, rs)
	}
	if opts.edits {
		freshnessRows(rep, res, opts.versionInterval)
	}
	if slow, failed := pl.logCount(logRenderSlow)-slowBefore, pl.logCount(logRenderFailed)-failedBefore; slow > 0 || failed > 0 {
		rep.note("during the crisis run plein serve logged %d \"%s\" and %d \"%s\" lines: "+
			"it serves the last good page when a rendering fails or takes over %v",
			slow, logRenderSlow, failed, logRenderFailed, pagecache.StaleWait)
	}
	rep.note("crisis run on Plein: %v", res.load)
	if opts.staticCrisis {
		rep.note("crisis run on the static server: %v", st)
	}

	if !opts.maxRate {
		return nil
	}
	search := func(cfg loadgen.Config, who string) (float64, int, error) {
		cfg.Warmup = min(cfg.Warmup, time.Second)
		logf("max-rate search on %s", who)
		best, runs, err := loadgen.FindMaxRate(ctx, cfg, opts.maxP99, opts.maxRateStart, opts.maxRateLimit, opts.maxRateStep)
		if err != nil {
			return best, len(runs), fmt.Errorf("max-rate search on %s: %w", who, err)
		}
		return best, len(runs), nil
	}
	time.Sleep(time.Second)
	pb, pn, err := search(pleinCfg, "Plein")
	if err != nil {
		return err
	}
	time.Sleep(time.Second)
	sb, sn, err := search(staticCfg, "the static server")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("highest rate with p99 ≤ %v, no errors", opts.maxP99)
	if pb >= opts.maxRateLimit || sb >= opts.maxRateLimit {
		name += fmt.Sprintf(" (search stops at %.0f)", opts.maxRateLimit)
	}
	rep.add(name, fmtRate(pb), fmtRate(sb), ratio(pb, sb))
	rep.note("max-rate search: %d connections, runs of %v, from %.0f req/s doubling then bisecting; %d runs on Plein, %d on the static server",
		opts.conns, opts.maxRateStep, opts.maxRateStart, pn, sn)
	return nil
}

// freshnessRows adds the rows of the staff member's changes: when the node
// reached each change and what the first reader of /@demo and of the
// post's page saw. A change the node did not reach, or a first read that
// did not show it, is a failure.
func freshnessRows(rep *report, res crisisResult, interval time.Duration) {
	var reached, page, pageTook, post, clis []time.Duration
	var n, pageShown, postShown, late, cliFailed int
	var publish *change
	for i := range res.changes {
		c := &res.changes[i]
		switch {
		case c.cliErr != nil:
			rep.failure("%s %d: the command failed: %v", c.kind, i, c.cliErr)
			cliFailed++
			continue
		case c.version == 0:
			rep.failure("%s %d: the node did not reach the change within %v of the command (its version stayed at %d)",
				c.kind, i, freshnessLimit, c.before)
		case !c.page.shown || !c.post.shown:
			rep.failure("%s %d (version %d): first read of /@demo: %v; first read of the post's page: %v", c.kind, i, c.version, c.page, c.post)
		}
		if c.late {
			late++
			continue
		}
		n++
		clis = append(clis, c.cli)
		if c.kind == "publish" {
			publish = c
		}
		if c.version == 0 {
			continue
		}
		reached = append(reached, c.reached)
		pageTook = append(pageTook, c.page.took)
		if c.page.shown {
			pageShown++
			page = append(page, c.page.after)
		}
		if c.post.shown {
			postShown++
			post = append(post, c.post.after)
		}
	}
	for _, ds := range [][]time.Duration{reached, page, pageTook, post, clis} {
		slices.Sort(ds)
	}
	rep.add(fmt.Sprintf("node reached the change after the command, p50 / p99 / max (%d of %d changes)", len(reached), n),
		fmtDurs(percentile(reached, 50), percentile(reached, 99), percentile(reached, 100)), "", "")
	rep.add(fmt.Sprintf("first reader of /@demo sees the change after the command, p50 / p99 / max (%d changes)", len(page)),
		fmtDurs(percentile(page, 50), percentile(page, 99), percentile(page, 100)), "", "")
	rep.add("first reads of /@demo that showed the change", fmt.Sprintf("%d of %d", pageShown, n), "", "")
	rep.add(fmt.Sprintf("that first request for /@demo alone, sent → complete, p50 / p99 / max (%d changes)", len(pageTook)),
		fmtDurs(percentile(pageTook, 50), percentile(pageTook, 99), percentile(pageTook, 100)), "", "")
	rep.add(fmt.Sprintf("first reader of the post's page sees the change after the command, p50 / p99 / max (%d changes)", len(post)),
		fmtDurs(percentile(post, 50), percentile(post, 99), percentile(post, 100)), "", "")
	rep.add("first reads of the post's page that showed the change", fmt.Sprintf("%d of %d", postShown, n), "", "")
	if publish != nil && publish.version != 0 {
		rep.add("the publication alone: node reached / first reader of /@demo / of the post's page",
			fmtDurs(publish.reached, publish.page.after, publish.post.after), "", "")
	}
	rep.add("plein post create/edit command, p50 / max", fmtDurs(percentile(clis, 50), percentile(clis, 100)), "", "")
	if cliFailed > 0 {
		rep.add("plein post create/edit commands that failed", fmt.Sprintf("%d of %d", cliFailed, len(res.changes)), "", "")
	}
	reads := slices.Sorted(slices.Values(res.reads))
	rep.add(fmt.Sprintf("one read of %s (a scrape of /metrics), p50 / max (%d reads)", changeVersionGauge, len(reads)),
		fmtDurs(percentile(reads, 50), percentile(reads, 100)), "", "")
	rep.note("freshness: before each command the harness reads the node's change version (gauge %s on plein serve's metrics listener); "+
		"after the command returns it reads the gauge every %v (back to back when a read takes longer) until it is higher. "+
		"\"node reached\": from the command's return to the end of that read; an upper bound, since each read is a whole scrape of /metrics "+
		"(which also counts the job queue in the database) and the gauge is taken during it. "+
		"Then, once, a request for /@demo on a new connection with Accept-Encoding: gzip, and after its response one for the post's own page: "+
		"\"first reader … sees the change\" is from the command's return to that response's last byte, over the responses that held the change's text; "+
		"\"first reads … that showed the change\" counts them and must be every change; \"that first request … alone\" is its own latency. "+
		"/@demo is also in the load's mix, so its rendering may have been started by the load's own requests; "+
		"the post's page is not, so its first read is the one that renders it", changeVersionGauge, interval)
	if late > 0 {
		rep.note("%d change(s) whose checks ended after the load had stopped are left out of the figures (but not of the failures)", late)
	}
}

// fanOutPhase publishes one post to every server, then another with part
// of the servers down, and measures the signing of one delivery.
func fanOutPhase(ctx context.Context, opts options, rep *report, pl *pleinProc, fed *fediverse) error {
	logf("waiting for the deliveries of the crisis edits to finish")
	if _, err := fed.waitQuiet(ctx, 2*time.Second, 10*time.Minute); err != nil {
		return err
	}
	n := len(fed.servers)
	floor := time.Duration(math.Ceil(float64(n)/float64(jobs.DeliveryWorkers))) * opts.latency
	rep.section(fmt.Sprintf("Fan-out: one post, %d followers on %d servers", n*opts.perServer, n))
	rep.note("fan-out: each inbox server is a listener of its own (a host of its own for Plein) answering 202 after %v", opts.latency)
	logf("fan-out to %d servers", n)
	id, took, at, err := pl.publish(ctx, "Fan-out: alle servers bereikbaar")
	if err != nil {
		return err
	}
	note := pl.base + "/posts/" + id
	times, creates, err := waitDelivered(ctx, fed.servers, note, 5*time.Minute)
	if err != nil {
		return err
	}
	all := sinceSorted(times, at)
	rep.add("Create requests per server (shared inbox)", fmt.Sprintf("%.2f", float64(creates)/float64(n)), "1", ratio(float64(creates), float64(n)))
	rep.add("publish → first delivery", fmtDur(all[0]), "", "")
	rep.add("publish → p50 delivery", fmtDur(percentile(all, 50)), "", "")
	rep.add(fmt.Sprintf("publish → last delivery (baseline: %d workers' floor)", jobs.DeliveryWorkers), fmtDur(all[len(all)-1]), fmtDur(floor),
		durRatio(all[len(all)-1], floor))
	rep.add("plein post create command", fmtDur(took), "", "")

	// The same again with some servers refusing connections.
	downCount := int(math.Round(opts.down * float64(n)))
	if downCount > 0 && downCount < n {
		isDown := make([]bool, n)
		for k := range downCount {
			isDown[k*n/downCount] = true
		}
		var liveBefore []time.Time
		for i, in := range fed.servers {
			if isDown[i] {
				if err := in.takeDown(); err != nil {
					return err
				}
			} else {
				liveBefore = append(liveBefore, times[i])
			}
		}
		before := sinceSorted(liveBefore, at)
		time.Sleep(500 * time.Millisecond)
		logf("fan-out with %d of %d servers down", downCount, n)
		id, _, at2, err := pl.publish(ctx, "Fan-out: een deel van de servers onbereikbaar")
		if err != nil {
			return err
		}
		live := fed.live()
		times2, _, err := waitDelivered(ctx, live, pl.base+"/posts/"+id, 5*time.Minute)
		if err != nil {
			return err
		}
		after := sinceSorted(times2, at2)
		rep.section(fmt.Sprintf("Fan-out with %d of %d servers down", downCount, n))
		rep.note("servers down: their listeners are closed, so connections are refused; baseline: the same %d live servers in the fan-out with all up",
			len(live))
		rep.add("publish → p50 delivery, live servers", fmtDur(percentile(after, 50)), fmtDur(percentile(before, 50)),
			durRatio(percentile(after, 50), percentile(before, 50)))
		rep.add("publish → last delivery, live servers", fmtDur(after[len(after)-1]), fmtDur(before[len(before)-1]),
			durRatio(after[len(after)-1], before[len(before)-1]))
	}
	if u := fed.unsigned(); u > 0 {
		rep.note("%d deliveries came without a Signature header", u)
	} else {
		rep.note("every one of %d deliveries carried a Signature header (not verified by the harness)", fed.total.Load())
	}
	rep.note("deliveries are timed when the inbox server answers 202, after its latency; the post's job is picked up by plein serve's queue poll (River), which is part of the figure")

	cost, size, err := signingCost(fed, 200)
	if err != nil {
		return err
	}
	rep.add(fmt.Sprintf("signing one delivery (RSA-%d, %d-byte Create; mean of 200)", httpsig.KeyBits, size), fmt.Sprintf("%.0f µs", float64(cost)/float64(time.Microsecond)), "", "")
	rep.add(fmt.Sprintf("signing the whole fan-out (%d requests), CPU", n), fmtDur(cost*time.Duration(n)), "", "")
	return nil
}

// sinceSorted returns the durations from start to each time, sorted.
func sinceSorted(times []time.Time, start time.Time) []time.Duration {
	ds := make([]time.Duration, len(times))
	for i, t := range times {
		ds[i] = t.Sub(start)
	}
	slices.Sort(ds)
	return ds
}

// signingCost measures httpsig.SignRequest on a Create as Plein sends it
// (one the inbox servers received, when there was one).
func signingCost(fed *fediverse, n int) (time.Duration, int, error) {
	key, err := httpsig.GenerateKey()
	if err != nil {
		return 0, 0, err
	}
	body := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","object":{"type":"Note","content":"` +
		strings.Repeat("x", 1500) + `"}}`)
	if s := fed.sample.Load(); s != nil {
		body = *s
	}
	start := time.Now()
	for range n {
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/inbox", nil)
		if err != nil {
			return 0, 0, err
		}
		req.Header.Set("Content-Type", activity.ContentType)
		if err := httpsig.SignRequest(req, "http://127.0.0.1/orgs/bench#main-key", key, body, time.Now()); err != nil {
			return 0, 0, err
		}
	}
	return time.Since(start) / time.Duration(n), len(body), nil
}

// versions describes the source, the plein binary and wrk, for the
// header.
func versions(ctx context.Context, root, bin string) []string {
	var lines []string
	if out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		rev := "source: revision " + strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			rev += " with uncommitted changes"
		}
		lines = append(lines, rev)
	}
	if out, err := exec.CommandContext(ctx, bin, "version").Output(); err == nil {
		lines = append(lines, "plein: "+strings.Join(strings.Split(strings.TrimSpace(string(out)), "\n"), "; "))
	}
	// wrk -v prints its version and usage, and exits with status 1.
	out, _ := exec.CommandContext(ctx, "wrk", "-v").CombinedOutput()
	if first, _, _ := strings.Cut(string(out), "\n"); strings.HasPrefix(first, "wrk ") {
		lines = append(lines, "load generators: "+strings.TrimSpace(first)+" (closed loop); plein/internal/loadgen (open loop)")
	}
	return lines
}
