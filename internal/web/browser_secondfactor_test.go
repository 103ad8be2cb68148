package web_test

// Second factors in a real browser: an authenticator app with recovery
// codes, passkeys through Chromium's virtual authenticator, and the policy
// that leads administrators to set one up. Passkeys need a host name, so
// these servers' public URL is http://localhost:PORT.

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// newLocalhostFixture is the staff fixture on a server whose public URL is
// http://localhost:PORT, with the clock clk; it returns that URL.
func newLocalhostFixture(t *testing.T, clk *pleintest.Clock) (*staffFixture, string) {
	t.Helper()
	var base string
	f := newStaffFixtureWith(t, storetest.Engines()[0], pleintest.Options{Now: clk.Now, Configure: []func(*config.Config){
		func(c *config.Config) {
			_, port, _ := net.SplitHostPort(c.Addr)
			base = "http://localhost:" + port
			c.BaseURL = base
		},
	}})
	return f, base
}

// typePassword fills in the log-in form and sends it, leaving the browser
// on whatever page answers.
func typePassword(t *testing.T, b context.Context, base, email, password string) {
	t.Helper()
	browserDo(t, b,
		chromedp.Navigate(base+"/staff/login?lang=en"),
		chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", password),
		chromedp.Click("button.primary"),
	)
}

func appCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func browserPath(t *testing.T, b context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(loc[len("http://"):], "/")
	return loc[len("http://")+i:]
}

// TestBrowserTOTPEnrolAndLogIn: an organisation admin is led to set up a
// second factor after logging in, scans (here: reads) the key, confirms a
// code and gets ten recovery codes once; then logs in with a code from the
// app, a code used before is refused, and a recovery code works once.
func TestBrowserTOTPEnrolAndLogIn(t *testing.T) {
	clk := pleintest.NewClock(time.Now())
	f, base := newLocalhostFixture(t, clk)
	email, password := "admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"]

	b := pleintest.NewBrowser(t)
	typePassword(t, b, base, email, password)
	browserDo(t, b, chromedp.WaitVisible("#totp-secret"), chromedp.WaitVisible("#second-factor-later"))
	if p := browserPath(t, b); !strings.HasPrefix(p, "/staff/second-factor?next=") {
		t.Fatalf("after logging in the admin is at %s, want the second-factor page", p)
	}
	if svg := browserHTML(t, b); !strings.Contains(svg, `<svg class="qr"`) || !strings.Contains(svg, `role="img"`) {
		t.Fatal("the page shows no QR code")
	}
	shoot(t, b, base+"/staff/second-factor?next=%2Fstaff%2F", "second-factor")
	pleintest.CheckReflow(t, b, base+"/staff/second-factor")
	pleintest.CheckAccessibility(t, b, base+"/staff/second-factor", base+"/staff/second-factor?lang=en")
	secret := browserText(t, b, "#totp-secret")
	browserDo(t, b, chromedp.SendKeys("#code", appCode(t, secret, clk.Now())))
	submit(t, b, "#totp-confirm", 200)
	codes, err := chromedp.Run(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("ul.codes code")).map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown, want %d", len(codes), auth.RecoveryCodeCount)
	}
	browserDo(t, b, chromedp.Navigate(base+"/staff/second-factor"), chromedp.WaitVisible("#totp-remove"))
	if page := browserHTML(t, b); strings.Contains(page, secret) || strings.Contains(page, codes[0]) {
		t.Fatal("the secret or a recovery code is shown again")
	}

	// A code from the app, half a minute later.
	app := pleintest.NewBrowser(t)
	typePassword(t, app, base, email, password)
	browserDo(t, app, chromedp.WaitVisible("#code"))
	if p := browserPath(t, app); !strings.HasPrefix(p, "/staff/login/second-factor") {
		t.Fatalf("after the password the browser is at %s, want the second step", p)
	}
	shoot(t, app, base+"/staff/login/second-factor?lang=en", "login-second-step")
	pleintest.CheckReflow(t, app, base+"/staff/login/second-factor?lang=en")
	pleintest.CheckAccessibility(t, app, base+"/staff/login/second-factor?lang=en")
	clk.Advance(30 * time.Second)
	code := appCode(t, secret, clk.Now())
	browserDo(t, app, chromedp.Navigate(base+"/staff/login/second-factor?lang=en"), chromedp.WaitVisible("#code"),
		chromedp.SendKeys("#code", code), chromedp.Click("#code-submit"), chromedp.WaitVisible("nav.sections"))

	// The same code again, in another browser: refused.
	other := pleintest.NewBrowser(t)
	typePassword(t, other, base, email, password)
	browserDo(t, other, chromedp.WaitVisible("#code"), chromedp.SendKeys("#code", code), chromedp.Click("#code-submit"), chromedp.WaitVisible("p.form-error"))
	if msg := browserText(t, other, "p.form-error"); !strings.Contains(msg, "has been used") {
		t.Fatalf("a used code: %q", msg)
	}
	// A recovery code works, once.
	browserDo(t, other, chromedp.SendKeys("#code", codes[3]), chromedp.Click("#code-submit"), chromedp.WaitVisible("nav.sections"))
	again := pleintest.NewBrowser(t)
	typePassword(t, again, base, email, password)
	browserDo(t, again, chromedp.WaitVisible("#code"), chromedp.SendKeys("#code", codes[3]), chromedp.Click("#code-submit"), chromedp.WaitVisible("p.form-error"))

	lines, err := f.srv.App.Auth.AuditLines(context.Background(), auth.Operator(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var log []string
	for _, l := range lines {
		log = append(log, l.Entry.Action)
	}
	all := strings.Join(log, " ")
	for _, want := range []string{"secondfactor.totp.add", "secondfactor.codes.used", "login.failed"} {
		if !strings.Contains(all, want) {
			t.Errorf("the audit log lacks %s: %s", want, all)
		}
	}
}

// TestBrowserPolicyForcesEnrolment: an instance administrator without a
// second factor may put it off during the grace; once the grace is over,
// every screen leads to setting one up, and after that the account works
// again.
func TestBrowserPolicyForcesEnrolment(t *testing.T) {
	clk := pleintest.NewClock(time.Now())
	f, base := newLocalhostFixture(t, clk)
	email, password := "root@plein.nl", f.passwords["root@plein.nl"]
	b := pleintest.NewBrowser(t)
	typePassword(t, b, base, email, password)
	browserDo(t, b, chromedp.WaitVisible("#second-factor-later"), chromedp.Click("#second-factor-later"), chromedp.WaitVisible("nav.sections"))

	clk.Advance(auth.DefaultSecondFactorGrace)
	typePassword(t, b, base, email, password)
	browserDo(t, b, chromedp.WaitVisible("#totp-secret"))
	browserDo(t, b, chromedp.Navigate(base+"/staff/admin"), chromedp.WaitVisible("#totp-secret"))
	if p := browserPath(t, b); p != "/staff/second-factor?next=%2Fstaff%2Fadmin" {
		t.Fatalf("the admin screen after the grace leads to %s", p)
	}
	page := browserHTML(t, b)
	if strings.Contains(page, "second-factor-later") || strings.Contains(page, `class="sections"`) {
		t.Fatal("after the grace the page still offers a way around setting up a second factor")
	}
	if !strings.Contains(page, "the grace period has ended") {
		t.Fatal("the page does not say why")
	}
	secret := browserText(t, b, "#totp-secret")
	browserDo(t, b, chromedp.SendKeys("#code", appCode(t, secret, clk.Now())))
	submit(t, b, "#totp-confirm", 200)
	browserDo(t, b, chromedp.Navigate(base+"/staff/admin"), chromedp.WaitVisible("nav.sections"))
	if p := browserPath(t, b); p != "/staff/admin" {
		t.Fatalf("with a second factor the admin screen is at %s", p)
	}
}

// TestBrowserPasskey registers a passkey through Chromium's virtual
// authenticator, then logs in with it as the second factor after the
// password, and on its own with the "log in with a passkey" button.
func TestBrowserPasskey(t *testing.T) {
	clk := pleintest.NewClock(time.Now())
	f, base := newLocalhostFixture(t, clk)
	email, password := "editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"]
	b := pleintest.NewBrowser(t)
	if _, err := chromedp.Call(b, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
		Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
			Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, b, base, email, password)
	browserDo(t, b,
		chromedp.Navigate(base+"/staff/second-factor?lang=en"),
		chromedp.WaitVisible("#passkey-name"),
		chromedp.SendKeys("#passkey-name", "laptop"),
		chromedp.Click("#passkey-add"),
		chromedp.WaitVisible("ul.passkeys"),
	)
	if got := browserText(t, b, "ul.passkeys"); !strings.Contains(got, "laptop") {
		t.Fatalf("passkeys listed: %q", got)
	}
	logOut := func() {
		browserDo(t, b, chromedp.Click(`form[action="/staff/logout"] button`), chromedp.WaitVisible("#email"))
	}

	// The passkey as the second factor after the password.
	logOut()
	typePassword(t, b, base, email, password)
	browserDo(t, b, chromedp.WaitVisible("#passkey-login"), chromedp.Click("#passkey-login"), chromedp.WaitVisible("nav.sections"))

	// The passkey on its own.
	logOut()
	browserDo(t, b, chromedp.Navigate(base+"/staff/login?lang=en"), chromedp.WaitVisible("#passkey-login"),
		chromedp.Click("#passkey-login"), chromedp.WaitVisible("nav.sections"))
	if got := browserText(t, b, ".who"); got == "" {
		t.Fatal("no account shown after logging in with the passkey")
	}

	lines, err := f.srv.App.Auth.AuditLines(context.Background(), auth.Operator(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	logins, added := 0, 0
	for _, l := range lines {
		switch l.Entry.Action {
		case "user.login":
			logins++
		case "secondfactor.passkey.add":
			added++
		}
	}
	if logins != 3 || added != 1 {
		t.Errorf("audit log: %d log-ins and %d passkeys added; want 3 and 1", logins, added)
	}
}
