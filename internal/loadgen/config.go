package loadgen

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout is the per-request timeout used when Config.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Config describes one open-loop run.
type Config struct {
	// Targets are http URLs on one host, requested round-robin.
	Targets []string
	// Rate is the overall number of requests per second, fixed in advance.
	Rate float64
	// Connections is the number of HTTP/1.1 keep-alive connections held open;
	// each carries one request at a time.
	Connections int
	// Duration is the measured period, after Warmup.
	Duration time.Duration
	// Warmup is a period before Duration whose requests are sent but not
	// recorded.
	Warmup time.Duration
	// Header is added to every request, e.g. Accept-Encoding: gzip. A Host
	// entry replaces the targets' host in the Host header.
	Header http.Header
	// Timeout bounds each request, counted from its scheduled send time
	// (DefaultTimeout when zero).
	Timeout time.Duration
}

// plan is a validated Config ready to run.
type plan struct {
	cfg      Config
	addr     string   // host:port to dial
	requests [][]byte // one serialised GET per target
}

// prepare validates cfg and serialises the requests.
func prepare(cfg Config) (*plan, error) {
	switch {
	case len(cfg.Targets) == 0:
		return nil, errors.New("loadgen: no targets")
	case !(cfg.Rate > 0) || math.IsInf(cfg.Rate, 1):
		return nil, fmt.Errorf("loadgen: rate must be a positive number of requests per second, got %v", cfg.Rate)
	case cfg.Connections < 1:
		return nil, fmt.Errorf("loadgen: connections must be at least 1, got %d", cfg.Connections)
	case cfg.Duration <= 0:
		return nil, fmt.Errorf("loadgen: duration must be positive, got %v", cfg.Duration)
	case cfg.Warmup < 0:
		return nil, fmt.Errorf("loadgen: warmup must not be negative, got %v", cfg.Warmup)
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("loadgen: timeout must not be negative, got %v", cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	p := &plan{cfg: cfg}
	for _, target := range cfg.Targets {
		u, err := url.Parse(target)
		if err != nil {
			return nil, fmt.Errorf("loadgen: target %q: %w", target, err)
		}
		if u.Scheme != "http" {
			return nil, fmt.Errorf("loadgen: target %q: only http URLs are supported", target)
		}
		if u.Host == "" {
			return nil, fmt.Errorf("loadgen: target %q: no host", target)
		}
		if u.User != nil {
			return nil, fmt.Errorf("loadgen: target %q: user information is not supported", target)
		}
		addr := u.Host
		if u.Port() == "" {
			addr = net.JoinHostPort(u.Hostname(), "80")
		}
		addr = strings.ToLower(addr)
		if p.addr == "" {
			p.addr = addr
		} else if addr != p.addr {
			return nil, fmt.Errorf("loadgen: targets must share one host: %q is on %s, not %s", target, addr, p.addr)
		}
		req, err := serialise(u, cfg.Header)
		if err != nil {
			return nil, fmt.Errorf("loadgen: target %q: %w", target, err)
		}
		p.requests = append(p.requests, req)
	}
	return p, nil
}

// serialise writes the GET request for u with header h.
func serialise(u *url.URL, h http.Header) ([]byte, error) {
	host := u.Host
	if v := h.Get("Host"); v != "" {
		host = v
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), host)
	if h.Get("User-Agent") == "" {
		b.WriteString("User-Agent: plein-loadgen\r\n")
	}
	if err := h.WriteSubset(&b, map[string]bool{"Host": true}); err != nil {
		return nil, fmt.Errorf("writing header: %w", err)
	}
	b.WriteString("\r\n")
	return []byte(b.String()), nil
}
