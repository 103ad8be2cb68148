package middleware

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"direct", "203.0.113.5:4000", nil, "203.0.113.5"},
		{"untrusted peer cannot claim an address", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted proxy", "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"rightmost untrusted hop wins", "10.1.2.3:4000", []string{"1.1.1.1, 198.51.100.1, 10.9.9.9"}, "198.51.100.1"},
		{"several headers", "10.1.2.3:4000", []string{"1.1.1.1", "198.51.100.2"}, "198.51.100.2"},
		{"garbage hop stops at last good", "10.1.2.3:4000", []string{"1.1.1.1, nonsense"}, "10.1.2.3"},
		{"only trusted hops", "10.1.2.3:4000", []string{"10.4.4.4"}, "10.4.4.4"},
		{"ipv6 proxy", "[::1]:4000", []string{"2001:db8::7"}, "2001:db8::7"},
		{"mapped ipv4", "[::ffff:203.0.113.9]:4000", nil, "203.0.113.9"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := ClientAddr(r, trusted); got.String() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
}
