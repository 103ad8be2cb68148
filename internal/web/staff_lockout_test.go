package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// loginFrom sends the log-in form as if from the address from and keeps
// the form token of the page it gets back, as a browser would.
func (c *staffClient) loginFrom(email, password, from string) (*http.Response, string) {
	c.t.Helper()
	resp, page, err := c.postLogin(email, password, from)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindStringSubmatch(page); m != nil {
		c.csrf = m[1]
	}
	return resp, page
}

// failLogins sends n wrong passwords for email from the address from, each
// answered 401.
func failLogins(t *testing.T, c *staffClient, email, from string, n int) {
	t.Helper()
	for i := range n {
		if resp, _ := c.loginFrom(email, fmt.Sprint("wrong guess ", i), from); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d for %s from %s: %d, want 401", i+1, email, from, resp.StatusCode)
		}
	}
}

// failDirectly counts n failed log-ins of email from the address from
// through the server's log-in policy, without checking passwords (which
// costs a second each): a quick way to bring about a state that tests of
// the form then meet.
func failDirectly(t *testing.T, srv *pleintest.Server, email, from string, n int) {
	t.Helper()
	ctx := context.Background()
	u, err := srv.App.Auth.User(ctx, email)
	if err != nil {
		u = nil // an unknown account
	}
	for range n {
		r, err := srv.App.Auth.Logins.Reserve(ctx, auth.LoginAttempt{Email: email, Addr: netip.MustParseAddr(from)})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Failed(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStaffLockoutOnlyThePair guesses an administrator's password ten
// times from one address, through the log-in form: that address is refused
// for that account, and only it. The owner logs in from another address at
// once, and a colleague behind the same address (a town hall behind one
// NAT) logs in to their own account. Before the policy counted pairs, the
// guesses locked the account for everyone, and the address for everyone.
func TestStaffLockoutOnlyThePair(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	const townHall = "198.51.100.66"
	attacker := newStaffClient(t, f.srv)
	attacker.get("/staff/login")
	failLogins(t, attacker, "root@plein.nl", townHall, auth.PairMaxAttempts)
	if resp, page := attacker.loginFrom("root@plein.nl", f.passwords["root@plein.nl"], townHall); resp.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(page, "Te veel mislukte pogingen") {
		t.Fatalf("right password from the guessing address after %d failures: %d, want 429 and the lock message", auth.PairMaxAttempts, resp.StatusCode)
	}
	for _, tc := range []struct{ name, email, from string }{
		{"the owner from another address", "root@plein.nl", "203.0.113.5"},
		{"a colleague behind the same address", "analyst@rotterdam.nl", townHall},
	} {
		c := newStaffClient(t, f.srv)
		c.get("/staff/login")
		if resp, _ := c.loginFrom(tc.email, f.passwords[tc.email], tc.from); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: %d, want 303 (logged in)", tc.name, resp.StatusCode)
		}
	}
}

// lockMessage is the refusal a locked log-in page shows.
var lockMessage = regexp.MustCompile(`(Te veel mislukte pogingen|Too many failed attempts)[^<]*`)

// TestStaffLockedMessage: the refusal is in Dutch and English, the same
// for an account that exists and one that does not, and lifts when the
// window ends on the server's clock.
func TestStaffLockedMessage(t *testing.T) {
	clk := pleintest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	f := newStaffFixtureWith(t, storetest.Engines()[0], pleintest.Options{Now: clk.Now})
	const from = "198.51.100.30"
	c := newStaffClient(t, f.srv)
	for _, email := range []string{"editor@rotterdam.nl", "nobody@rotterdam.nl"} {
		failDirectly(t, f.srv, email, from, auth.PairMaxAttempts)
	}
	for _, tc := range []struct{ lang, want string }{
		{"nl", "Te veel mislukte pogingen. Probeer het na 10:15 opnieuw."},
		{"en", "Too many failed attempts. Try again after 10:15."},
	} {
		var pages []string
		for _, email := range []string{"editor@rotterdam.nl", "nobody@rotterdam.nl"} {
			c.get("/staff/login?lang=" + tc.lang)
			form := url.Values{"email": {email}, "password": {f.passwords["editor@rotterdam.nl"]}}
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/staff/login?lang="+tc.lang, strings.NewReader(form.Encode()+"&csrf="+c.csrf))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", from)
			resp, page := c.do(req)
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("%s, %s: %d, want 429", email, tc.lang, resp.StatusCode)
			}
			pages = append(pages, lockMessage.FindString(page))
		}
		if pages[0] != tc.want || pages[1] != tc.want {
			t.Errorf("%s: messages %q, want %q for an existing and an unknown account alike", tc.lang, pages, tc.want)
		}
	}
	clk.Advance(auth.LoginWindow)
	if resp, _ := c.loginFrom("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"], from); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password once the window ended: %d, want 303", resp.StatusCode)
	}
}

// TestStaffKnownBrowserBehindNAT: someone behind the town hall's address
// locks the editor's account from there; the editor's own browser, which
// logged in before (at home), still gets in from that address, a new
// browser does not.
func TestStaffKnownBrowserBehindNAT(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	const townHall = "192.0.2.10"
	editor := newStaffClient(t, f.srv)
	editor.get("/staff/login")
	if resp, _ := editor.loginFrom("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"], "203.0.113.50"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in at home: %d", resp.StatusCode)
	}
	u, _ := url.Parse(f.srv.URL + "/staff/login")
	var device *http.Cookie
	for _, c := range editor.http.Jar.Cookies(u) {
		if c.Name == "plein_device" {
			device = c
		}
	}
	if device == nil {
		t.Fatal("no device cookie after logging in")
	}
	if pub, _ := url.Parse(f.srv.URL + "/staff/"); len(cookieNamed(editor.http.Jar.Cookies(pub), "plein_device")) != 0 {
		t.Error("the device cookie is sent beyond the log-in form")
	}
	failDirectly(t, f.srv, "editor@rotterdam.nl", townHall, auth.PairMaxAttempts)
	neighbour := newStaffClient(t, f.srv)
	neighbour.get("/staff/login")
	if resp, _ := neighbour.loginFrom("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"], townHall); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a new browser at the locked address: %d, want 429", resp.StatusCode)
	}
	editor.get("/staff/login")
	if resp, _ := editor.loginFrom("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"], townHall); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the editor's own browser at the locked address: %d, want 303", resp.StatusCode)
	}
}

func cookieNamed(cookies []*http.Cookie, name string) []*http.Cookie {
	var out []*http.Cookie
	for _, c := range cookies {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// TestStaffFailedLoginsAudited: failed log-ins and the lock they cause are
// in the installation's audit log, shown to instance administrators, with
// the client's /24, never its full address, and an unknown account without
// the e-mail address typed; neither is anywhere in the database file. The
// metrics count them.
func TestStaffFailedLoginsAudited(t *testing.T) {
	f := newStaffFixtureWith(t, storetest.Engines()[0], pleintest.Options{Configure: []func(*config.Config){
		func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" },
	}})
	const from = "198.51.100.66"
	failDirectly(t, f.srv, "editor@rotterdam.nl", from, auth.PairMaxAttempts-1)
	c := newStaffClient(t, f.srv)
	c.get("/staff/login")
	failLogins(t, c, "editor@rotterdam.nl", from, 1) // the last before the lock, through the form
	failLogins(t, c, "ghost.account@rotterdam.nl", from, 2)
	if resp, _ := c.loginFrom("editor@rotterdam.nl", "one more guess", from); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after the limit: %d", resp.StatusCode)
	}

	entries, err := f.srv.App.Auth.AuditLog(context.Background(), auth.Operator(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, e := range entries {
		if !strings.HasPrefix(e.Action, "login.") {
			continue
		}
		n[e.Action+" "+e.Target]++
		if e.Actor != "client in 198.51.100.0/24" {
			t.Errorf("%s by %q, want the client's /24", e.Action, e.Actor)
		}
	}
	want := map[string]int{"login.failed editor@rotterdam.nl": auth.PairMaxAttempts, "login.locked editor@rotterdam.nl": 1,
		"login.failed an unknown account": 2}
	for k, v := range want {
		if n[k] != v {
			t.Errorf("audit log: %d × %q, want %d; all: %v", n[k], k, v, n)
		}
	}
	admin := f.client(t, "root@plein.nl")
	_, page := admin.get("/staff/admin")
	// The page is in Dutch: the lock and the failures as sentences.
	for _, sentence := range []string{
		"Inloggen als editor@rotterdam.nl door een client",
		" door een client in 198.51.100.0/24 geblokkeerd voor ten hoogste 15 minuten, na 10 pogingen vanaf dit adres of deze browser",
		"Mislukte inlogpoging als een onbekend account door een client in 198.51.100.0/24.",
	} {
		if !strings.Contains(page, sentence) {
			t.Errorf("the administration page does not show %q", sentence)
		}
	}
	if strings.Contains(page, "login.") {
		t.Error("the administration page shows an action code")
	}
	for _, secret := range []string{from, "ghost.account"} {
		if strings.Contains(page, secret) {
			t.Errorf("the administration page shows %q", secret)
		}
	}
	// Nothing in the database holds the address or the unknown address typed.
	for _, file := range []string{f.srv.Conf.SQLitePath(), f.srv.Conf.SQLitePath() + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		for _, secret := range []string{from, "ghost.account"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q", filepath.Base(file), secret)
			}
		}
	}

	rec := httptest.NewRecorder()
	f.srv.App.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	metrics := rec.Body.String()
	for _, series := range []string{
		fmt.Sprintf("plein_login_failures_total %d", auth.PairMaxAttempts+2),
		`plein_login_lockouts_total{scope="pair"} 1`,
		`plein_login_refusals_total{reason="locked"} 1`,
	} {
		if !strings.Contains(metrics, series+"\n") {
			t.Errorf("metrics lack %q", series)
		}
	}
	for _, secret := range []string{"198.51.100", "rotterdam.nl", "ghost"} {
		if strings.Contains(metrics, secret) {
			t.Errorf("metrics hold %q", secret)
		}
	}
}
