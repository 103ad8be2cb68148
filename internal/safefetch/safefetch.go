// Package safefetch is Plein's only outbound HTTP client. It fetches remote
// actors and keys and delivers activities, and it refuses to connect to
// loopback, private, link-local and other non-public addresses unless the
// operator allows private networks.
//
// The address check runs when a connection is made, after DNS resolution, so
// neither DNS rebinding nor a redirect can get around it.
package safefetch

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// Default values for the zero fields of Options.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxRedirects = 3
	DefaultUserAgent    = "Plein"
)

const (
	dialTimeout         = 5 * time.Second
	tlsHandshakeTimeout = 5 * time.Second
	maxIdleConnsPerHost = 16
	// maxIdleConns keeps a connection to each of a large fan-out's servers
	// open for the next post.
	maxIdleConns = 2000
	// discardLimit is how much of an unwanted response body is read so that
	// the connection can be reused; larger bodies close the connection.
	discardLimit = 64 << 10
)

var (
	// ErrBlocked reports a connection refused because its address is not
	// public. The error also wraps the address check's own error.
	ErrBlocked = errors.New("safefetch: non-public address blocked")
	// ErrTooLarge reports a response body larger than Options.MaxBodyBytes.
	ErrTooLarge = errors.New("safefetch: response body too large")
	// ErrContentType reports a response whose Content-Type matches none of
	// the accepted media types.
	ErrContentType = errors.New("safefetch: unexpected content type")
	// ErrTooManyRedirects reports a chain longer than Options.MaxRedirects.
	ErrTooManyRedirects = errors.New("safefetch: too many redirects")
	// ErrScheme reports a URL, or a redirect target, that is not http or https.
	ErrScheme = errors.New("safefetch: unsupported URL scheme")
	// ErrStatus reports a Get answered with a status other than 2xx; the
	// error is a *StatusError.
	ErrStatus = errors.New("safefetch: unexpected status")
)

// Options configures a Client. Zero fields take the defaults.
type Options struct {
	// AllowPrivateNetworks turns the address check off, so that Plein can
	// reach loopback and private addresses (an intranet, or tests). Off by
	// default.
	AllowPrivateNetworks bool
	// Timeout bounds a whole request, body included. Zero means
	// DefaultTimeout.
	Timeout time.Duration
	// MaxBodyBytes bounds the body Get returns. Zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxRedirects bounds the redirects Get follows. Zero means
	// DefaultMaxRedirects; a negative value follows none.
	MaxRedirects int
	// UserAgent is sent with every request. Empty means DefaultUserAgent.
	UserAgent string
}

// StatusError is returned by Get when the final response is not 2xx.
type StatusError struct {
	URL        string
	StatusCode int
}

// Error describes the status.
func (e *StatusError) Error() string {
	return fmt.Sprintf("safefetch: GET %s: status %d", e.URL, e.StatusCode)
}

// Is makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Client makes outbound requests. It is safe for concurrent use; a process
// needs one.
type Client struct {
	http         *http.Client
	timeout      time.Duration
	maxBody      int64
	maxRedirects int
	userAgent    string
	private      bool // private networks allowed
}

// PrivateNetworksAllowed reports whether the client may reach loopback and
// private addresses (Options.AllowPrivateNetworks).
func (c *Client) PrivateNetworksAllowed() bool { return c.private }

// New returns a Client configured by opts.
func New(opts Options) *Client {
	return newClient(opts)
}

// newClient builds a Client; guardOpts adjust the address check (tests use
// them to treat one loopback address as public).
func newClient(opts Options, guardOpts ...ssrf.Option) *Client {
	c := &Client{
		timeout:      opts.Timeout,
		maxBody:      opts.MaxBodyBytes,
		maxRedirects: opts.MaxRedirects,
		userAgent:    opts.UserAgent,
		private:      opts.AllowPrivateNetworks,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	switch {
	case c.maxRedirects == 0:
		c.maxRedirects = DefaultMaxRedirects
	case c.maxRedirects < 0:
		c.maxRedirects = 0
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}

	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivateNetworks {
		dialer.Control = control(guardOpts...)
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, past the address check
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          maxIdleConns,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: c.timeout,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	c.http = &http.Client{
		Transport: transport,
		Timeout:   c.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return c
}

// control returns the net.Dialer Control hook that refuses non-public
// addresses. It sees the resolved address of every connection attempt.
func control(guardOpts ...ssrf.Option) func(network, address string, rc syscall.RawConn) error {
	guard := ssrf.New(append([]ssrf.Option{ssrf.WithAnyPort()}, guardOpts...)...)
	return func(network, address string, rc syscall.RawConn) error {
		if err := guard.Safe(network, address, rc); err != nil {
			return &blockedError{address: address, err: err}
		}
		return nil
	}
}

// blockedError is the error of a connection refused by the address check.
type blockedError struct {
	address string
	err     error
}

func (e *blockedError) Error() string {
	return fmt.Sprintf("connection to %s refused, not a public address (%v); "+
		"plein serve --allow-private-networks permits non-public addresses", e.address, e.err)
}

func (e *blockedError) Unwrap() []error { return []error{ErrBlocked, e.err} }

// HTTPClient returns the underlying client. It follows no redirects and has
// the address check of c, but not the body limit or content type check.
func (c *Client) HTTPClient() *http.Client { return c.http }

// Get fetches rawURL, an http or https URL, sending accept as the Accept
// header, and returns the body and headers of the final response. Redirects
// are followed up to MaxRedirects. The response must be 2xx (else a
// *StatusError) with a Content-Type whose media type, ignoring parameters, is
// one of accept's (else ErrContentType); an empty accept takes any type. A
// body over MaxBodyBytes gives ErrTooLarge. sign, when not nil, is called on
// every request before it is sent, redirect hops included; each hop starts
// from fresh headers, so no signature of an earlier hop is sent on.
func (c *Client) Get(ctx context.Context, rawURL string, accept []string, sign func(*http.Request) error) ([]byte, http.Header, error) {
	body, header, err := c.get(ctx, rawURL, accept, sign)
	var se *StatusError
	if errors.As(err, &se) {
		return nil, nil, se // its message names the URL already
	}
	if err != nil {
		return nil, nil, fmt.Errorf("safefetch: GET %s: %w", rawURL, err)
	}
	return body, header, nil
}

func (c *Client) get(ctx context.Context, rawURL string, accept []string, sign func(*http.Request) error) ([]byte, http.Header, error) {
	if err := checkScheme(rawURL); err != nil {
		return nil, nil, err
	}
	wanted, err := mediaTypes(accept)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, err
	}
	acceptHeader := strings.Join(accept, ", ")
	c.prepare(req, acceptHeader)
	if sign != nil {
		if err := sign(req); err != nil {
			return nil, nil, fmt.Errorf("sign: %w", err)
		}
	}

	hc := *c.http
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > c.maxRedirects {
			return ErrTooManyRedirects
		}
		if err := checkScheme(req.URL.String()); err != nil {
			return err
		}
		req.Header = make(http.Header)
		c.prepare(req, acceptHeader)
		if sign != nil {
			if err := sign(req); err != nil {
				return fmt.Errorf("sign: %w", err)
			}
		}
		return nil
	}

	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, unwrapURLError(err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		discard(resp.Body)
		return nil, nil, &StatusError{URL: resp.Request.URL.String(), StatusCode: resp.StatusCode}
	}
	if len(wanted) > 0 {
		if err := checkContentType(resp.Header.Get("Content-Type"), wanted); err != nil {
			discard(resp.Body)
			return nil, nil, err
		}
	}
	if resp.ContentLength > c.maxBody {
		return nil, nil, fmt.Errorf("%w: Content-Length %d over %d bytes", ErrTooLarge, resp.ContentLength, c.maxBody)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > c.maxBody {
		return nil, nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, c.maxBody)
	}
	return body, resp.Header, nil
}

// Post sends body with contentType to rawURL, an http or https URL, and
// returns the response status; any status is returned without error.
// Redirects are not followed. sign, when not nil, is called on the request
// before it is sent. The response body is read up to a small limit and
// discarded, so that the connection can be reused.
func (c *Client) Post(ctx context.Context, rawURL, contentType string, body []byte, sign func(*http.Request) error) (int, error) {
	status, err := c.post(ctx, rawURL, contentType, body, sign)
	if err != nil {
		return 0, fmt.Errorf("safefetch: POST %s: %w", rawURL, err)
	}
	return status, nil
}

func (c *Client) post(ctx context.Context, rawURL, contentType string, body []byte, sign func(*http.Request) error) (int, error) {
	if err := checkScheme(rawURL); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	c.prepare(req, "")
	req.Header.Set("Content-Type", contentType)
	if sign != nil {
		if err := sign(req); err != nil {
			return 0, fmt.Errorf("sign: %w", err)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, unwrapURLError(err)
	}
	defer resp.Body.Close()
	discard(resp.Body)
	return resp.StatusCode, nil
}

// prepare sets the headers every request carries.
func (c *Client) prepare(req *http.Request, accept string) {
	req.Header.Set("User-Agent", c.userAgent)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
}

// unwrapURLError drops the *url.Error around err, whose message repeats the
// method and URL that Get and Post already name. A refusal by the address
// check is returned alone, as its message says all there is to say.
func unwrapURLError(err error) error {
	var be *blockedError
	if errors.As(err, &be) {
		return be
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// checkScheme refuses URLs that are not absolute http or https URLs.
func checkScheme(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %q", ErrScheme, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: no host in %q", ErrScheme, rawURL)
	}
	return nil
}

// mediaTypes returns the media types of accept, lower case, without
// parameters.
func mediaTypes(accept []string) ([]string, error) {
	out := make([]string, 0, len(accept))
	for _, a := range accept {
		mt, _, err := mime.ParseMediaType(a)
		if err != nil {
			return nil, fmt.Errorf("accept %q: %w", a, err)
		}
		out = append(out, mt)
	}
	return out, nil
}

// checkContentType reports ErrContentType unless the media type of header
// is in wanted.
func checkContentType(header string, wanted []string) error {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrContentType, header)
	}
	for _, w := range wanted {
		if mt == w {
			return nil
		}
	}
	return fmt.Errorf("%w: %q, want one of %s", ErrContentType, mt, strings.Join(wanted, ", "))
}

// discard reads what is left of body up to discardLimit.
func discard(body io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, discardLimit))
}
