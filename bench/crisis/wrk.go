package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what the harness reads from one wrk run.
type wrkResult struct {
	requests int64
	rps      float64
	p50, p99 time.Duration
	// errors counts socket errors and responses other than 2xx and 3xx.
	errors int64
}

// runWrk runs wrk against url with the given request headers.
func runWrk(ctx context.Context, opts options, url string, headers []string) (wrkResult, string, error) {
	args := []string{"-t" + strconv.Itoa(opts.wrkThreads), "-c" + strconv.Itoa(opts.wrkConns),
		"-d" + wrkDuration(opts.wrkDuration), "--latency"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	args = append(args, url)
	out, err := exec.CommandContext(ctx, "wrk", args...).CombinedOutput()
	if err != nil {
		return wrkResult{}, string(out), fmt.Errorf("wrk %s: %w: %s", strings.Join(args, " "), err, out)
	}
	res, err := parseWrk(string(out))
	if err != nil {
		return res, string(out), fmt.Errorf("wrk %s: %w", url, err)
	}
	return res, string(out), nil
}

// wrkDuration writes d as wrk's -d flag wants it: whole seconds.
func wrkDuration(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second/2)/time.Second))) + "s"
}

// parseWrk reads the output of `wrk --latency`.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	var haveRPS, haveP99 bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		fields := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Requests/sec:") && len(fields) == 2:
			v, err := strconv.ParseFloat(fields[1], 64)
			if err != nil {
				return r, fmt.Errorf("requests/s %q: %w", fields[1], err)
			}
			r.rps, haveRPS = v, true
		case len(fields) == 2 && (fields[0] == "50%" || fields[0] == "99%"):
			d, err := parseWrkDuration(fields[1])
			if err != nil {
				return r, err
			}
			if fields[0] == "50%" {
				r.p50 = d
			} else {
				r.p99, haveP99 = d, true
			}
		case len(fields) >= 3 && fields[1] == "requests" && fields[2] == "in":
			n, err := strconv.ParseInt(fields[0], 10, 64)
			if err != nil {
				return r, fmt.Errorf("request count %q: %w", fields[0], err)
			}
			r.requests = n
		case strings.HasPrefix(line, "Socket errors:"):
			// Socket errors: connect 0, read 0, write 0, timeout 0
			for i := 2; i+1 < len(fields); i += 2 {
				n, err := strconv.ParseInt(strings.TrimSuffix(fields[i+1], ","), 10, 64)
				if err != nil {
					return r, fmt.Errorf("socket errors %q: %w", line, err)
				}
				r.errors += n
			}
		case strings.HasPrefix(line, "Non-2xx or 3xx responses:") && len(fields) == 5:
			n, err := strconv.ParseInt(fields[4], 10, 64)
			if err != nil {
				return r, fmt.Errorf("non-2xx count %q: %w", line, err)
			}
			r.errors += n
		}
	}
	if !haveRPS || !haveP99 {
		return r, errors.New("no Requests/sec or 99% line in wrk's output (is --latency given?)")
	}
	return r, nil
}

// parseWrkDuration reads a latency as wrk prints it: 812.00us, 1.23ms,
// 2.01s, 1.50m.
func parseWrkDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("latency %q: %w", s, err)
	}
	return d, nil
}
