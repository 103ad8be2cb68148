package main_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hashBudgetMiB is what the server may spend on password hashing at once
// (auth.HashMemoryBudget: four argon2id hashes of 64 MiB).
const hashBudgetMiB = 256

// floodHeadroomMiB is what 200 connections, their goroutines and buffers
// may add to the budget.
const floodHeadroomMiB = 128

// TestLoginFloodMemory sends 200 log-ins of made-up accounts at once, from
// 200 addresses, to a running plein serve and checks that its peak resident
// memory grows by less than the hashing budget and a stated headroom;
// before the budget, 40 such log-ins took a server from 55 MiB to 2.6 GiB.
// It logs the latency of the organisation page read meanwhile.
func TestLoginFloodMemory(t *testing.T) {
	srv := startServe(t, []string{"--data", t.TempDir()}, "--trusted-proxies", "127.0.0.1/32")
	pid := srv.cmd.Process.Pid
	get(t, srv.url+"/@demo")
	before := procStatusKiB(t, pid, "VmRSS")

	const logins = 200
	client := &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	var wg sync.WaitGroup
	statuses := make(chan int, logins)
	for i := range logins {
		wg.Go(func() {
			form := url.Values{"email": {fmt.Sprintf("nobody-%d@example.org", i)}, "password": {"not the password"}, "csrf": {"flood"}}
			req, err := http.NewRequest(http.MethodPost, srv.url+"/staff/login", strings.NewReader(form.Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", "plein_login=flood")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", i/250, i%250+1))
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("log-in %d: %v", i, err)
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	// Read the public page while the log-ins run.
	done := make(chan struct{})
	var latencies []time.Duration
	readers := make(chan struct{})
	go func() {
		defer close(readers)
		for {
			select {
			case <-done:
				return
			default:
			}
			start := time.Now()
			resp, err := client.Get(srv.url + "/@demo")
			if err != nil {
				t.Errorf("reading /@demo during the log-ins: %v", err)
				return
			}
			resp.Body.Close()
			latencies = append(latencies, time.Since(start))
		}
	}()
	wg.Wait()
	close(done)
	<-readers
	close(statuses)

	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[http.StatusUnauthorized] == 0 {
		t.Errorf("no log-in was evaluated (statuses %v)", counts)
	}
	for s := range counts {
		if s != http.StatusUnauthorized && s != http.StatusTooManyRequests {
			t.Errorf("log-ins answered %d (statuses %v); want 401 or 429", s, counts)
		}
	}
	peak := procStatusKiB(t, pid, "VmHWM")
	grew, bound := (peak-before)/1024, hashBudgetMiB*raceMemoryFactor+floodHeadroomMiB
	t.Logf("statuses %v; resident memory %d MiB before, peak %d MiB (+%d MiB; bound +%d MiB)",
		counts, before/1024, peak/1024, grew, bound)
	if grew > bound {
		t.Errorf("200 log-ins at once grew the peak resident memory by %d MiB; the bound is %d MiB", grew, bound)
	}
	if len(latencies) > 0 {
		slices.Sort(latencies)
		t.Logf("/@demo during the log-ins: %d reads, p50 %v, p99 %v", len(latencies),
			latencies[len(latencies)/2], latencies[len(latencies)*99/100])
	}
}

// procStatusKiB reads one memory figure, in KiB, of a process from
// /proc/PID/status.
func procStatusKiB(t *testing.T, pid int, field string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc on this system: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kib, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB"))
		if err != nil {
			t.Fatalf("reading %s: %v", field, err)
		}
		return kib
	}
	t.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}
