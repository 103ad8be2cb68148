package loadgen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	// dialConcurrency bounds simultaneous connection attempts, so the
	// server's listen backlog does not overflow.
	dialConcurrency = 64
	// queueSize is the capacity of the channel of scheduled requests. When
	// it is full the scheduler waits, but the scheduled times do not move.
	queueSize = 4096
)

// Error kind indexes, counted without locks.
const (
	kind1xx = iota
	kind3xx
	kind4xx
	kind5xx
	kindTimeout
	kindOther
	numKinds
)

var kindNames = [numKinds]string{"1xx", "3xx", "4xx", "5xx", KindTimeout, KindOther}

// Run opens cfg.Connections connections, then sends requests at cfg.Rate for
// cfg.Warmup plus cfg.Duration, waits for the last ones (at most cfg.Timeout)
// and reports on those scheduled after the warmup. It fails before sending
// anything if not every connection could be opened. When ctx ends, Run stops
// and returns what it has recorded with ctx's error.
func Run(ctx context.Context, cfg Config) (Result, error) {
	p, err := prepare(cfg)
	if err != nil {
		return Result{}, err
	}
	conns, err := p.dialAll(ctx)
	if err != nil {
		return Result{Rate: cfg.Rate, ConnectionsOpen: len(conns)}, err
	}
	r := &runner{plan: p}
	return r.run(ctx, conns)
}

// dialAll opens the connections, at most dialConcurrency at a time. If any
// attempt fails it stops, closes what it opened and returns the count in the
// error.
func (p *plan) dialAll(ctx context.Context) ([]net.Conn, error) {
	n := p.cfg.Connections
	slots := make([]net.Conn, n)
	dialer := net.Dialer{Timeout: p.cfg.Timeout}
	var (
		next     atomic.Int64
		failed   atomic.Bool
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(dialConcurrency, n) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				c, err := dialer.DialContext(ctx, "tcp", p.addr)
				if err != nil {
					failed.Store(true)
					errOnce.Do(func() { firstErr = err })
					return
				}
				slots[i] = c
			}
		})
	}
	wg.Wait()
	var conns []net.Conn
	for _, c := range slots {
		if c != nil {
			conns = append(conns, c)
		}
	}
	if firstErr == nil {
		return conns, nil
	}
	for _, c := range conns {
		closeNow(c)
	}
	if ctx.Err() != nil {
		return conns, fmt.Errorf("loadgen: opening connections to %s: %w", p.addr, ctx.Err())
	}
	return conns, fmt.Errorf("loadgen: opened only %d of %d connections to %s: %w "+
		"(every connection takes a file descriptor, two when the server is in the same process; "+
		"the open-file limit here is %s)", len(conns), n, p.addr, firstErr, openFileLimit())
}

// closeNow closes c without leaving it in TIME_WAIT, so that repeated runs
// with thousands of connections do not exhaust local ports.
func closeNow(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		// SetLinger fails only on a closed connection, and then so does
		// Close; a connection being discarded has nothing left to report.
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// runner holds the state of one run shared by its workers.
type runner struct {
	plan      *plan
	start     time.Time // scheduled time of request 0
	n         int64     // requests scheduled in all
	firstRec  int64     // index of the first request after the warmup
	hist      histogram
	sent      atomic.Int64
	completed atomic.Int64
	errs      atomic.Int64
	kinds     [numKinds]atomic.Int64
	lastDone  atomic.Int64 // end of the last recorded request, ns after start
	reconnect atomic.Int64
}

// offset returns the scheduled time of request i relative to the start.
func (r *runner) offset(i int64) time.Duration {
	return time.Duration(math.Round(float64(i) * 1e9 / r.plan.cfg.Rate))
}

// countBefore returns how many requests are scheduled before d.
func (r *runner) countBefore(d time.Duration) int64 {
	i := max(int64(math.Ceil(d.Seconds()*r.plan.cfg.Rate)), 0)
	for i > 0 && r.offset(i-1) >= d {
		i--
	}
	for r.offset(i) < d {
		i++
	}
	return i
}

func (r *runner) run(ctx context.Context, conns []net.Conn) (Result, error) {
	cfg := r.plan.cfg
	r.n = r.countBefore(cfg.Warmup + cfg.Duration)
	r.firstRec = r.countBefore(cfg.Warmup)

	workers := make([]*worker, len(conns))
	for i, c := range conns {
		workers[i] = &worker{r: r, conn: c, br: bufio.NewReader(c)}
	}
	// Cancellation interrupts requests in flight through their deadlines.
	stop := context.AfterFunc(ctx, func() {
		for _, w := range workers {
			w.interrupt()
		}
	})
	defer stop()

	queue := make(chan int64, queueSize)
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() { w.loop(ctx, queue) })
	}
	r.start = time.Now()
	r.schedule(ctx, queue)
	wg.Wait()
	// Closing only now keeps thousands of closes from delaying the last
	// requests in flight.
	for _, w := range workers {
		w.drop()
	}

	res := r.result()
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("loadgen: run interrupted: %w", err)
	}
	return res, nil
}

// schedule puts each request index on queue at its scheduled time, all
// overdue ones at once after each wake-up, then closes queue.
func (r *runner) schedule(ctx context.Context, queue chan<- int64) {
	defer close(queue)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for i := int64(0); i < r.n; {
		if wait := time.Until(r.start.Add(r.offset(i))); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		now := time.Since(r.start)
		for ; i < r.n && r.offset(i) <= now; i++ {
			select {
			case queue <- i:
			case <-ctx.Done():
				return
			}
		}
	}
}

// outcome records request i, scheduled at sched, ended at done with an HTTP
// status or an error. Requests of the warmup are not recorded.
func (r *runner) outcome(i int64, sched, done time.Time, status int, err error) {
	if i < r.firstRec {
		return
	}
	r.hist.record(done.Sub(sched))
	end := int64(done.Sub(r.start))
	for {
		last := r.lastDone.Load()
		if end <= last || r.lastDone.CompareAndSwap(last, end) {
			break
		}
	}
	kind := -1
	switch {
	case err != nil && isTimeout(err):
		kind = kindTimeout
	case err != nil:
		kind = kindOther
	case status >= 200 && status < 300, status == http.StatusNotModified:
	case status < 200:
		kind = kind1xx
	case status < 400:
		kind = kind3xx
	case status < 500:
		kind = kind4xx
	default:
		kind = kind5xx
	}
	if kind < 0 {
		r.completed.Add(1)
		return
	}
	r.errs.Add(1)
	r.kinds[kind].Add(1)
}

func (r *runner) result() Result {
	res := Result{
		Rate:            r.plan.cfg.Rate,
		Sent:            r.sent.Load(),
		Completed:       r.completed.Load(),
		Errors:          r.errs.Load(),
		ErrorsByKind:    map[string]int64{},
		Latency:         r.hist.percentiles(),
		ConnectionsOpen: r.plan.cfg.Connections,
		Reconnects:      r.reconnect.Load(),
	}
	for k, name := range kindNames {
		if n := r.kinds[k].Load(); n > 0 {
			res.ErrorsByKind[name] = n
		}
	}
	if last := time.Duration(r.lastDone.Load()); last > r.plan.cfg.Warmup {
		res.Duration = last - r.plan.cfg.Warmup
		res.AchievedRate = float64(res.Completed) / res.Duration.Seconds()
	}
	return res
}

// isTimeout reports whether err is a deadline or timeout error.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// errExpired marks a request that waited past its deadline for a connection.
var errExpired = fmt.Errorf("waited for a free connection past the deadline: %w", os.ErrDeadlineExceeded)

// worker owns one connection and sends one request at a time on it.
type worker struct {
	r *runner
	// mu guards conn against interrupt; only the worker's own goroutine
	// changes conn, always holding mu.
	mu   sync.Mutex
	conn net.Conn
	br   *bufio.Reader
	used bool // conn has carried a request
}

// loop sends the requests it receives until queue is closed.
func (w *worker) loop(ctx context.Context, queue <-chan int64) {
	for i := range queue {
		if ctx.Err() != nil {
			continue // drain without sending
		}
		w.request(ctx, i)
	}
}

// request sends request i and records its outcome.
func (w *worker) request(ctx context.Context, i int64) {
	r := w.r
	sched := r.start.Add(r.offset(i))
	deadline := sched.Add(r.plan.cfg.Timeout)
	if now := time.Now(); !now.Before(deadline) {
		r.outcome(i, sched, now, 0, errExpired)
		return
	}
	if i >= r.firstRec {
		r.sent.Add(1)
	}
	req := r.plan.requests[i%int64(len(r.plan.requests))]
	status, err := w.exchange(ctx, req, deadline)
	if err != nil && ctx.Err() != nil {
		return // interrupted, not a server failure
	}
	r.outcome(i, sched, time.Now(), status, err)
}

// exchange sends req and reads the response, opening a connection if none
// is open. A request that fails on a reused connection as if the server had
// closed it while idle is retried once on a new connection.
func (w *worker) exchange(ctx context.Context, req []byte, deadline time.Time) (int, error) {
	for attempt := 0; ; attempt++ {
		if w.conn == nil {
			if err := w.redial(ctx, deadline); err != nil {
				return 0, err
			}
		}
		reused := w.used
		status, err := w.roundTrip(ctx, req, deadline)
		if err == nil {
			return status, nil
		}
		w.drop()
		if attempt > 0 || !reused || !closedByPeer(err) || ctx.Err() != nil {
			return 0, err
		}
	}
}

// roundTrip sends req on the open connection and reads the whole response.
func (w *worker) roundTrip(ctx context.Context, req []byte, deadline time.Time) (int, error) {
	w.mu.Lock()
	err := ctx.Err()
	if err == nil {
		err = w.conn.SetDeadline(deadline)
	}
	w.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("setting deadline: %w", err)
	}
	w.used = true
	if _, err := w.conn.Write(req); err != nil {
		return 0, fmt.Errorf("writing request: %w", err)
	}
	resp, err := http.ReadResponse(w.br, nil)
	// Skip informational responses such as 103 Early Hints.
	for err == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
		resp, err = http.ReadResponse(w.br, nil)
	}
	if err != nil {
		return 0, fmt.Errorf("reading response: %w", err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("reading response body: %w", err)
	}
	if resp.Close || resp.StatusCode == http.StatusSwitchingProtocols {
		w.drop()
	}
	return resp.StatusCode, nil
}

// redial replaces the connection.
func (w *worker) redial(ctx context.Context, deadline time.Time) error {
	dialer := net.Dialer{Deadline: deadline}
	c, err := dialer.DialContext(ctx, "tcp", w.r.plan.addr)
	if err != nil {
		return fmt.Errorf("reconnecting: %w", err)
	}
	w.r.reconnect.Add(1)
	w.mu.Lock()
	w.conn = c
	w.mu.Unlock()
	w.br.Reset(c)
	w.used = false
	return nil
}

// drop closes the connection, if any.
func (w *worker) drop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		closeNow(w.conn)
		w.conn = nil
	}
}

// interrupt makes the request in flight, if any, fail at once.
func (w *worker) interrupt() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		// SetDeadline fails only on a closed connection: nothing to stop.
		_ = w.conn.SetDeadline(time.Unix(1, 0))
	}
}

// closedByPeer reports whether err looks like the server closed the
// connection before answering.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
