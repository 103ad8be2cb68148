package middleware

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"testing/fstest"
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

func TestStaticFilesListsNoFolder(t *testing.T) {
	fsys := fstest.MapFS{
		"assets/static/plein.css":        {Data: []byte("body{}")},
		"assets/static/fonts/sans.woff2": {Data: []byte("font")},
		"assets/static/fonts/index.html": {Data: []byte("<p>index</p>")},
	}
	h := StaticFiles(fsys, "assets/static", "/static/")
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/static/plein.css", http.StatusOK},
		{"/static/fonts/sans.woff2", http.StatusOK},
		{"/static/", http.StatusNotFound},
		{"/static/fonts/", http.StatusNotFound},
		{"/static/fonts", http.StatusNotFound},
		{"/static/fonts/index.html", http.StatusOK},
		{"/static/./fonts/", http.StatusNotFound},
		{"/static/missing.css", http.StatusNotFound},
		{"/static/plein.css/", http.StatusNotFound},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
		if w.Code != tc.status {
			t.Errorf("GET %s: %d, want %d\n%s", tc.path, w.Code, tc.status, w.Body)
		}
		if tc.status == http.StatusNotFound && strings.Contains(w.Body.String(), "<a href") {
			t.Errorf("GET %s lists a folder:\n%s", tc.path, w.Body)
		}
	}
}
