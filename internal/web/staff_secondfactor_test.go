package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

var totpSecret = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)

// TestStaffSecondFactorLogIn on both engines: an admin in the grace is led
// to the second-factor page after logging in and may go on; sets up an
// app; from then on the password leads to a second step, where a wrong
// code is refused with 401 and a right one starts the session; past the
// grace, an admin without a second factor is sent from every screen to
// set one up.
func TestStaffSecondFactorLogIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		clk := pleintest.NewClock(time.Now())
		f := newStaffFixtureWith(t, e, pleintest.Options{Now: clk.Now})
		// The instance administrator's grace begins at this first log-in.
		newStaffClient(t, f.srv).login("root@plein.nl", f.passwords["root@plein.nl"])
		c := newStaffClient(t, f.srv)
		resp := c.login("admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/staff/second-factor?next=%2Fstaff%2F" {
			t.Fatalf("log in during the grace: %d to %q", resp.StatusCode, loc)
		}
		if resp, _ := c.get("/staff/orgs/rotterdam/posts"); resp.StatusCode != http.StatusOK {
			t.Fatalf("during the grace another screen: %d", resp.StatusCode)
		}
		_, page := c.get("/staff/second-factor")
		m := totpSecret.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page, `id="second-factor-later"`) {
			t.Fatal("the second-factor page shows no key or no way to put it off")
		}
		secret := m[1]
		if resp, page := c.post("/staff/second-factor/totp", url.Values{"code": {"123"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "code-error") {
			t.Fatalf("a wrong confirmation code: %d", resp.StatusCode)
		}
		resp, page = c.post("/staff/second-factor/totp", url.Values{"code": {appCode(t, secret, clk.Now())}})
		if resp.StatusCode != http.StatusOK || strings.Count(page, "<li><code>") != auth.RecoveryCodeCount {
			t.Fatalf("confirming the app: %d, %d codes shown", resp.StatusCode, strings.Count(page, "<li><code>"))
		}

		// The next log-in has a second step.
		c2 := newStaffClient(t, f.srv)
		resp = c2.login("admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/staff/login/second-factor") {
			t.Fatalf("the password leads to %q, want the second step", loc)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == "plein_staff" || ck.Name == "plein_device" {
				t.Fatalf("the password alone set the cookie %s", ck.Name)
			}
		}
		c2.get(resp.Header.Get("Location"))
		if resp, page := c2.post("/staff/login/second-factor", url.Values{"code": {"000000"}}); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "onjuist") && !strings.Contains(page, "klopt niet") {
			t.Fatalf("a wrong code: %d", resp.StatusCode)
		}
		clk.Advance(30 * time.Second)
		resp, _ = c2.post("/staff/login/second-factor", url.Values{"code": {appCode(t, secret, clk.Now())}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/" {
			t.Fatalf("the right code: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := c2.get("/staff/orgs/rotterdam/members"); resp.StatusCode != http.StatusOK {
			t.Fatalf("after the second step: %d", resp.StatusCode)
		}

		// Past the grace, the instance administrator without one can only
		// set one up.
		clk.Advance(auth.DefaultSecondFactorGrace)
		root := newStaffClient(t, f.srv)
		root.login("root@plein.nl", f.passwords["root@plein.nl"])
		resp, _ = root.get("/staff/admin")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/staff/second-factor?next=%2Fstaff%2Fadmin" {
			t.Fatalf("past the grace: %d to %q", resp.StatusCode, loc)
		}
		if resp, _ := root.post("/staff/admin/orgs", url.Values{"handle": {"zwolle"}, "name": {"Zwolle"}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/second-factor" {
			t.Fatalf("a form past the grace: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, page := root.get("/staff/second-factor"); resp.StatusCode != http.StatusOK || strings.Contains(page, "second-factor-later") {
			t.Fatalf("the second-factor page past the grace: %d", resp.StatusCode)
		}
	})
}

// TestStaffSecondFactorPolicyScreens on both engines: an organisation's
// admin requires a second factor of every member, which an editor then
// needs; an editor may not; an instance administrator sets the
// installation's policy, and a grace too long is refused in both
// languages' sentence.
func TestStaffSecondFactorPolicyScreens(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		editor := f.client(t, "editor@rotterdam.nl")
		if resp, _ := editor.get("/staff/orgs/rotterdam/second-factor"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an editor opening the organisation's policy: %d", resp.StatusCode)
		}
		admin := f.client(t, "admin@rotterdam.nl")
		admin.get("/staff/orgs/rotterdam/second-factor")
		if resp, _ := admin.post("/staff/orgs/rotterdam/second-factor", url.Values{"require": {"1"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the admin saving the policy: %d", resp.StatusCode)
		}
		if _, page := admin.get("/staff/orgs/rotterdam/second-factor"); !strings.Contains(page, `value="1" checked`) {
			t.Fatal("the saved policy is not shown")
		}
		resp := newStaffClient(t, f.srv).login("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/staff/second-factor") {
			t.Fatalf("an editor of an organisation that requires it logs in to %q", loc)
		}

		root := f.client(t, "root@plein.nl")
		if resp, _ := admin.get("/staff/admin/second-factor"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an organisation admin opening the installation's policy: %d", resp.StatusCode)
		}
		root.get("/staff/admin/second-factor")
		if resp, page := root.post("/staff/admin/second-factor", url.Values{"require": {"everyone"}, "grace": {"400"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "ten hoogste 90 dagen") {
			t.Fatalf("a grace of 400 days: %d", resp.StatusCode)
		}
		if resp, _ := root.post("/staff/admin/second-factor", url.Values{"require": {"everyone"}, "grace": {"7"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the installation's policy: %d", resp.StatusCode)
		}
		p, err := f.srv.App.Auth.SecondFactorPolicy(t.Context())
		if err != nil || p.Require != auth.RequireEveryone || p.Grace != 7*24*time.Hour {
			t.Fatalf("stored policy %+v, %v", p, err)
		}
	})
}
