package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"plein/internal/config"
	"plein/internal/server"
)

// TestShutdownDrainsBeforeClosing stops a node under a steady stream of
// requests from a client that honours /readyz, as a load balancer does: it
// polls /readyz and sends no new request once it answers 503. No request
// fails, /readyz answers 503 before the connection is refused, and during
// the drain delay the node still serves pages.
func TestShutdownDrainsBeforeClosing(t *testing.T) {
	const drainDelay, healthInterval = 300 * time.Millisecond, 50 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := config.Config{Addr: ln.Addr().String(), BaseURL: base, DataDir: t.TempDir(), DrainDelay: drainDelay}
	app, err := server.Open(context.Background(), cfg, server.Options{Logger: slog.New(slog.DiscardHandler), Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, app, ln) }()

	// get fetches path; err is a transport error, status otherwise.
	get := func(c *http.Client, path string) (int, error) {
		resp, err := c.Get(base + path)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return 0, err
		}
		return resp.StatusCode, nil
	}
	// The poller opens a connection per check, as health checks do, so
	// that a closed listener shows as a refused connection.
	poller := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	clients := &http.Client{Timeout: 10 * time.Second}
	t.Cleanup(clients.CloseIdleConnections)

	// Wait until the node is ready.
	for {
		code, err := get(poller, "/readyz")
		if err == nil && code == http.StatusOK {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("serve ended before ready: %v", err)
		default:
		}
	}

	var (
		draining  atomic.Bool  // the poller saw /readyz answer 503
		sent, ok  atomic.Int64 // requests of the stream, and those answered 200
		failuresM sync.Mutex
		failures  []string
	)
	fail := func(s string) {
		failuresM.Lock()
		defer failuresM.Unlock()
		failures = append(failures, s)
	}
	flowing := make(chan struct{}) // closed at the 20th answer
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !draining.Load() {
				sent.Add(1)
				code, err := get(clients, "/livez")
				switch {
				case err != nil:
					fail(err.Error())
				case code != http.StatusOK:
					fail(http.StatusText(code))
				default:
					if ok.Add(1) == 20 {
						close(flowing)
					}
				}
			}
		})
	}
	// Shut down once the stream is flowing.
	select {
	case <-flowing:
	case err := <-served:
		t.Fatalf("serve ended early: %v", err)
	}
	stop()

	// The poller checks at an interval well under the drain delay, as a
	// load balancer's health checks do; the stream goes on in between.
	tick := time.NewTicker(healthInterval)
	defer tick.Stop()
	var saw503, servedWhileDraining bool
	var refused error
	var okBefore503 int64
	for ; refused == nil; <-tick.C {
		code, err := get(poller, "/readyz")
		switch {
		case err != nil:
			refused = err
		case code == http.StatusServiceUnavailable:
			if !saw503 {
				saw503 = true
				okBefore503 = ok.Load()
				draining.Store(true)
				// Draining is not closed: a page is still served.
				if code, err := get(poller, "/"); err != nil || code != http.StatusOK {
					t.Errorf("GET / while draining: %d, %v; want 200", code, err)
				} else {
					servedWhileDraining = true
				}
			}
		case code != http.StatusOK:
			t.Fatalf("/readyz answered %d", code)
		}
	}
	draining.Store(true) // also when no 503 came, so the stream ends
	wg.Wait()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}

	// A dial that races the closing listener may be reset instead, and a
	// connection the kernel accepted into the listener's queue just before
	// it closed ends without an answer (EOF): each tells the poller that
	// the node is gone, as a refused connection does.
	var op *net.OpError
	refusedAtDial := errors.As(refused, &op) && op.Op == "dial" &&
		(errors.Is(refused, syscall.ECONNREFUSED) || errors.Is(refused, syscall.ECONNRESET))
	if !refusedAtDial && !errors.Is(refused, io.EOF) {
		t.Errorf("/readyz after the drain: %v; want the connection refused", refused)
	}
	if !saw503 {
		t.Error("/readyz never answered 503 before the connection was refused")
	}
	if !servedWhileDraining {
		t.Error("no page served while draining")
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed, first: %s", len(failures), sent.Load(), failures[0])
	}
	t.Logf("%d requests, %d answered 200; %d of them after the first 503", sent.Load(), ok.Load(), ok.Load()-okBefore503)
}
