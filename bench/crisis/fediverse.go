package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// fediverse is a set of loopback inbox servers, one listener each, so that
// each is a host of its own (Plein keys hosts by host and port). They check
// only that a delivery is signed, never the signature, and answer 202
// after an injected latency.
type fediverse struct {
	latency time.Duration
	servers []*inbox
	total   atomic.Int64 // requests received
	first   atomic.Int64 // unix nanoseconds of the first answer
	last    atomic.Int64 // unix nanoseconds of the latest answer
	sample  atomic.Pointer[[]byte]
}

// inbox is one server's shared inbox.
type inbox struct {
	base     string // http://127.0.0.1:PORT
	url      string // base + "/inbox"
	srv      *http.Server
	requests atomic.Int64
	unsigned atomic.Int64
	down     bool

	mu      sync.Mutex
	creates map[string][]time.Time // Create's object id → when each was answered
}

// startFediverse starts n inbox servers.
func startFediverse(n int, latency time.Duration) (*fediverse, error) {
	f := &fediverse{latency: latency}
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.close()
			return nil, fmt.Errorf("inbox server %d of %d: %w", len(f.servers)+1, n, err)
		}
		in := &inbox{base: "http://" + ln.Addr().String(), creates: map[string][]time.Time{}}
		in.url = in.base + "/inbox"
		in.srv = &http.Server{Handler: f.handler(in), ReadHeaderTimeout: 10 * time.Second}
		f.servers = append(f.servers, in)
		go in.srv.Serve(ln) // returns ErrServerClosed when closed
	}
	return f, nil
}

// activityHead is the part of an incoming activity the harness reads.
type activityHead struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
}

// handler receives deliveries for in.
func (f *fediverse) handler(in *inbox) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/inbox" {
			http.NotFound(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "reading body", http.StatusBadRequest)
			return
		}
		in.requests.Add(1)
		f.total.Add(1)
		if r.Header.Get("Signature") == "" {
			in.unsigned.Add(1)
		}
		created := createdObject(body)
		if created != "" {
			f.sample.CompareAndSwap(nil, &body)
		}
		if f.latency > 0 {
			t := time.NewTimer(f.latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		now := time.Now()
		if created != "" {
			in.mu.Lock()
			in.creates[created] = append(in.creates[created], now)
			in.mu.Unlock()
		}
		f.first.CompareAndSwap(0, now.UnixNano())
		f.last.Store(now.UnixNano())
		w.WriteHeader(http.StatusAccepted)
	})
}

// createdObject returns the id of the object of a Create activity, or ""
// for anything else.
func createdObject(body []byte) string {
	var a activityHead
	if json.Unmarshal(body, &a) != nil || a.Type != "Create" {
		return ""
	}
	var obj struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(a.Object, &obj) != nil {
		return ""
	}
	return obj.ID
}

// deliveredAt returns when in first answered the Create of object, and
// how many Creates of it it received.
func (in *inbox) deliveredAt(object string) (time.Time, int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	times := in.creates[object]
	if len(times) == 0 {
		return time.Time{}, 0
	}
	return times[0], len(times)
}

// takeDown closes in's listener and connections: deliveries to it are
// refused from now on.
func (in *inbox) takeDown() error {
	in.down = true
	if err := in.srv.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", in.base, err)
	}
	return nil
}

// live returns the servers that are up.
func (f *fediverse) live() []*inbox {
	var up []*inbox
	for _, in := range f.servers {
		if !in.down {
			up = append(up, in)
		}
	}
	return up
}

// unsigned counts requests without a Signature header on every server.
func (f *fediverse) unsigned() int64 {
	var n int64
	for _, in := range f.servers {
		n += in.unsigned.Load()
	}
	return n
}

// waitFirst waits until some server has answered a delivery, at most
// limit.
func (f *fediverse) waitFirst(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for f.first.Load() == 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("no delivery reached the inbox servers within %v", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil
}

// waitQuiet waits until no request has arrived for quiet, at most limit,
// and returns how many requests had arrived by then.
func (f *fediverse) waitQuiet(ctx context.Context, quiet, limit time.Duration) (int64, error) {
	deadline := time.Now().Add(limit)
	count, changed := f.total.Load(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return count, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if n := f.total.Load(); n != count {
			count, changed = n, time.Now()
		}
		if time.Since(changed) >= quiet {
			return count, nil
		}
		if time.Now().After(deadline) {
			return count, fmt.Errorf("inbox servers still receiving after %v (%d requests so far)", limit, count)
		}
	}
}

// waitDelivered waits until every server in servers has answered a Create
// of object, at most limit, and returns when each did (zero where it did
// not) and the total of Creates of object they received.
func waitDelivered(ctx context.Context, servers []*inbox, object string, limit time.Duration) ([]time.Time, int, error) {
	deadline := time.Now().Add(limit)
	times := make([]time.Time, len(servers))
	for {
		missing, total := 0, 0
		for i, in := range servers {
			at, n := in.deliveredAt(object)
			times[i] = at
			total += n
			if n == 0 {
				missing++
			}
		}
		if missing == 0 {
			return times, total, nil
		}
		if time.Now().After(deadline) {
			return times, total, fmt.Errorf("%d of %d servers got no Create of %s within %v", missing, len(servers), object, limit)
		}
		select {
		case <-ctx.Done():
			return times, total, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// close stops every server.
func (f *fediverse) close() error {
	var errs []error
	for _, in := range f.servers {
		if !in.down {
			if err := in.srv.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
