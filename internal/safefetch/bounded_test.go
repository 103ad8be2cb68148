package safefetch

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestBoundedHTTPClient: a body past MaxBodyBytes ends with ErrTooLarge,
// one within it is read whole, and the User-Agent is sent.
func TestBoundedHTTPClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.UserAgent() != "Plein/test" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		n := 100
		if r.URL.Path == "/large" {
			n = 5000
		}
		io.WriteString(w, strings.Repeat("x", n))
	}))
	defer srv.Close()
	c := New(Options{AllowPrivateNetworks: true, MaxBodyBytes: 1024, UserAgent: "Plein/test"}).BoundedHTTPClient()
	for _, tc := range []struct {
		path    string
		wantErr error
		wantLen int
	}{{"/small", nil, 100}, {"/large", ErrTooLarge, 1024}} {
		resp, err := c.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !errors.Is(err, tc.wantErr) || len(b) != tc.wantLen {
			t.Errorf("%s: status %d, %d bytes, %v; want %d bytes, %v", tc.path, resp.StatusCode, len(b), err, tc.wantLen, tc.wantErr)
		}
	}
	// Without private networks, loopback is refused as for every fetch.
	if _, err := New(Options{}).BoundedHTTPClient().Get(srv.URL); !errors.Is(err, ErrBlocked) {
		t.Errorf("loopback without --allow-private-networks: %v", err)
	}
}
