package safefetch

import (
	"fmt"
	"io"
	"net/http"
)

// BoundedHTTPClient returns a client for libraries that make their own
// requests (such as an OpenID Connect client): it has the address check,
// timeout and no-redirect rule of c, and every response body it returns
// ends with an error wrapping ErrTooLarge past Options.MaxBodyBytes.
func (c *Client) BoundedHTTPClient() *http.Client {
	return &http.Client{
		Transport:     boundedTransport{next: c.http.Transport, max: c.maxBody, ua: c.userAgent},
		Timeout:       c.timeout,
		CheckRedirect: c.http.CheckRedirect,
	}
}

// boundedTransport limits response bodies and sets the User-Agent.
type boundedTransport struct {
	next http.RoundTripper
	max  int64
	ua   string
}

// RoundTrip implements http.RoundTripper.
func (t boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.ua)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &boundedBody{rc: resp.Body, left: t.max, url: req.URL.Redacted()}
	return resp, nil
}

// boundedBody reads at most left bytes, then fails.
type boundedBody struct {
	rc   io.ReadCloser
	left int64
	url  string
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w: %s", ErrTooLarge, b.url)
		}
		return b.rc.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *boundedBody) Close() error { return b.rc.Close() }
