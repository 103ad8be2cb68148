package accesslog

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTruncate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"203.0.113.77", "203.0.113.0"},
		{"::ffff:203.0.113.77", "203.0.113.0"},
		{"2001:db8:aaaa:bbbb:cccc::1", "2001:db8:aaaa::"},
		{"::1", "::"},
	} {
		if got := Truncate(netip.MustParseAddr(tc.in)); got.String() != tc.want {
			t.Errorf("Truncate(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if Truncate(netip.Addr{}).IsValid() {
		t.Error("Truncate of no address is an address")
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLogWritesTruncatedAndSweeps(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{time.Date(2026, 11, 20, 23, 59, 0, 0, time.UTC)}
	l, err := Open(dir, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	h := l.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("tea"))
	}), func(r *http.Request) netip.Addr { return netip.MustParseAddrPort(r.RemoteAddr).Addr() })
	req := httptest.NewRequest(http.MethodGet, "/@demo?lang=en", nil)
	req.RemoteAddr = "203.0.113.77:5555"
	req.Header.Set("User-Agent", "secret-agent")
	req.Header.Set("Referer", "https://ref.example/private")
	h.ServeHTTP(httptest.NewRecorder(), req)
	clk.t = clk.t.Add(2 * time.Minute) // the next day
	req.RemoteAddr = "[2001:db8:aaaa:bbbb::1]:5555"
	h.ServeHTTP(httptest.NewRecorder(), req)
	if err := l.Flush(); err != nil {
		t.Fatal(err)
	}
	day1, err := os.ReadFile(filepath.Join(dir, "access-2026-11-20.log"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-11-20T23:59:00Z 203.0.113.0 GET \"/@demo\" 418 3\n"; string(day1) != want {
		t.Errorf("line %q, want %q", day1, want)
	}
	day2, err := os.ReadFile(filepath.Join(dir, "access-2026-11-21.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"203.0.113.77", "bbbb", "secret-agent", "ref.example", "lang=en"} {
		if strings.Contains(string(day1)+string(day2), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}

	// Nothing goes before its first line could be seven days old.
	clk.t = time.Date(2026, 11, 26, 22, 30, 0, 0, time.UTC)
	if n, err := l.Sweep(7 * 24 * time.Hour); err != nil || n != 0 {
		t.Fatalf("early sweep removed %d (%v), want 0", n, err)
	}
	// Within an hour of the 20th's first line turning seven days old, its
	// file goes; the 21st stays.
	clk.t = time.Date(2026, 11, 27, 0, 30, 0, 0, time.UTC)
	if n, err := l.Sweep(7 * 24 * time.Hour); err != nil || n != 1 {
		t.Fatalf("sweep removed %d (%v), want 1", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "access-2026-11-20.log")); !os.IsNotExist(err) {
		t.Errorf("the old file is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "access-2026-11-21.log")); err != nil {
		t.Errorf("the recent file: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}
