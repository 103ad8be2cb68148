package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// changeVersionGauge is the gauge in which plein serve exports the change
// version its cached pages reflect.
const changeVersionGauge = "plein_change_version"

// nodeVersion reads the change version a plein serve node has reached from
// its metrics listener, and keeps how long each read took.
type nodeVersion struct {
	url    string // the node's /metrics
	client *http.Client
	reads  []time.Duration
}

// newNodeVersion returns a reader of the gauge served at metricsURL. It
// keeps its connection open between reads.
func newNodeVersion(metricsURL string) *nodeVersion {
	return &nodeVersion{url: metricsURL, client: &http.Client{Timeout: 5 * time.Second}}
}

// read scrapes the metrics once and returns the node's change version.
func (n *nodeVersion) read(ctx context.Context) (int64, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.url, nil)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", changeVersionGauge, err)
	}
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	resp, err := n.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", changeVersionGauge, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("reading %s: GET %s: %s", changeVersionGauge, n.url, resp.Status)
	}
	v, err := parseGauge(resp.Body, changeVersionGauge)
	if err != nil {
		return 0, fmt.Errorf("reading %s from %s: %w", changeVersionGauge, n.url, err)
	}
	n.reads = append(n.reads, time.Since(start))
	if v < 0 || v != math.Trunc(v) || v >= 1<<53 {
		return 0, fmt.Errorf("reading %s: %v is not a version", changeVersionGauge, v)
	}
	return int64(v), nil
}

// errNotReached is returned by await when the node did not reach the
// version in time.
var errNotReached = errors.New("the node did not reach the change")

// await reads the node's version every interval until it is above v, and
// returns that version and when the read that showed it completed. A read
// that fails is tried again; after limit it returns errNotReached, with
// the last read's error if it failed.
func (n *nodeVersion) await(ctx context.Context, above int64, interval, limit time.Duration) (int64, time.Time, error) {
	deadline := time.Now().Add(limit)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		v, err := n.read(ctx)
		if err == nil && v > above {
			return v, time.Now(), nil
		}
		if ctx.Err() != nil {
			return 0, time.Time{}, ctx.Err()
		}
		if time.Now().After(deadline) {
			if err != nil {
				return 0, time.Time{}, fmt.Errorf("%w above version %d within %v: %w", errNotReached, above, limit, err)
			}
			return 0, time.Time{}, fmt.Errorf("%w above version %d within %v: still at %d", errNotReached, above, limit, v)
		}
		select {
		case <-ctx.Done():
			return 0, time.Time{}, ctx.Err()
		case <-t.C:
		}
	}
}

// parseGauge returns the value of the unlabelled sample name in a
// Prometheus text exposition: the first line whose first field is name,
// followed by the value and an optional timestamp. Comments, other
// metrics and labelled series are skipped.
func parseGauge(r io.Reader, name string) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") || fields[0] != name {
			continue
		}
		if len(fields) < 2 || len(fields) > 3 {
			return 0, fmt.Errorf("malformed sample %q", sc.Text())
		}
		v, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			return 0, fmt.Errorf("sample %q: %w", sc.Text(), err)
		}
		return v, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading the exposition: %w", err)
	}
	return 0, fmt.Errorf("no sample of %s", name)
}
