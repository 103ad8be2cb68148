package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// browserSSOLogin logs in through the provider in a browser: the button on
// Plein's log-in page, the provider's own form, and back.
func browserSSOLogin(t *testing.T, ctx context.Context, base, lang string, user pleintest.OIDCUser) {
	t.Helper()
	browserDo(t, ctx,
		chromedp.Navigate(base+"/staff/login?lang="+lang),
		chromedp.WaitVisible(`a[href^="/staff/login/sso"]`),
		chromedp.Click(`a[href^="/staff/login/sso"]`),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user.Username),
		chromedp.SendKeys("#password", user.Password),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible("main h1"),
	)
}

// TestBrowserLogInWithOIDC logs a linked account in through a real OpenID
// provider in Chromium, and checks the browser ends on Plein, logged in.
func TestBrowserLogInWithOIDC(t *testing.T) {
	f := newSSOFixture(t, storetest.Engines()[0])
	if err := f.srv.App.Auth.LinkIdentity(context.Background(), auth.Operator(), "editor@rotterdam.nl", f.idp.Issuer, ssoAnna.Subject); err != nil {
		t.Fatal(err)
	}
	b := pleintest.NewBrowser(t)
	browserSSOLogin(t, b, f.srv.URL, "nl", ssoAnna)
	browserDo(t, b, chromedp.WaitVisible("nav.sections"))
	at, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(at, f.srv.URL+"/staff/orgs/rotterdam/posts") {
		t.Fatalf("after single sign-on the browser is at %s", at)
	}
	if who := browserText(t, b, ".account .who"); who != "editor@rotterdam.nl" {
		t.Errorf("logged in as %q", who)
	}
	// The session shows how it began.
	browserDo(t, b, chromedp.Navigate(f.srv.URL+"/staff/sessions"), chromedp.WaitVisible("main"))
	if page := browserHTML(t, b); !strings.Contains(page, "eenmalige aanmelding") || !strings.Contains(page, "Chrome (Linux)") {
		t.Error("the sessions screen does not show the single sign-on session")
	}

	// An identity linked to no account ends on Plein's refusal.
	other := pleintest.NewBrowser(t)
	browserSSOLogin(t, other, f.srv.URL, "en", ssoBram)
	if text := browserText(t, other, "main"); !strings.Contains(text, "linked to no Plein account") || !strings.Contains(text, ssoBram.Subject) {
		t.Errorf("refusal page: %q", text)
	}
}

// TestSSOAndSessionsAccessibility runs axe-core and the 320 px reflow check
// on the screens of single sign-on and sessions.
func TestSSOAndSessionsAccessibility(t *testing.T) {
	f := newSSOFixture(t, storetest.Engines()[0])
	base := f.srv.URL
	if err := f.srv.App.Auth.LinkIdentity(context.Background(), auth.Operator(), "editor@rotterdam.nl", f.idp.Issuer, ssoAnna.Subject); err != nil {
		t.Fatal(err)
	}
	anonymous := pleintest.NewBrowser(t)
	refused := base + "/staff/login/sso/callback?state=tampered&code=x"
	pleintest.CheckReflow(t, anonymous, base+"/staff/login", refused)
	pleintest.CheckAccessibility(t, anonymous, base+"/staff/login", base+"/staff/login?lang=en", refused)

	editor := pleintest.NewBrowser(t) // linked, with two sessions
	browserSSOLogin(t, editor, base, "nl", ssoAnna)
	browserLogin(t, pleintest.NewBrowser(t), base, "editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
	analyst := pleintest.NewBrowser(t) // not linked
	browserLogin(t, analyst, base, "analyst@rotterdam.nl", f.passwords["analyst@rotterdam.nl"])
	root := pleintest.NewBrowser(t)
	browserLogin(t, root, base, "root@plein.nl", f.passwords["root@plein.nl"])
	userSessions := base + "/staff/admin/users/" + f.userID(t, "editor@rotterdam.nl") + "/sessions"
	for _, c := range []struct {
		ctx  context.Context
		urls []string
	}{
		{editor, []string{base + "/staff/sessions"}},
		{analyst, []string{base + "/staff/sessions"}},
		{root, []string{userSessions}},
	} {
		pleintest.CheckReflow(t, c.ctx, c.urls...)
		pleintest.CheckAccessibility(t, c.ctx, c.urls...)
	}
}

// TestBrowserLinkOwnAccount links a password account to its identity at
// the provider in Chromium, from the sessions screen, under the staff
// screens' Content-Security-Policy.
func TestBrowserLinkOwnAccount(t *testing.T) {
	f := newSSOFixture(t, storetest.Engines()[0])
	b := pleintest.NewBrowser(t)
	browserLogin(t, b, f.srv.URL, "analyst@rotterdam.nl", f.passwords["analyst@rotterdam.nl"])
	browserDo(t, b,
		chromedp.Navigate(f.srv.URL+"/staff/sessions"),
		chromedp.WaitVisible(`form[action="/staff/sso/link"] button`),
	)
	submit(t, b, `form[action="/staff/sso/link"] button`, 200)
	browserDo(t, b,
		chromedp.Click("#sso-continue"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", ssoBram.Username),
		chromedp.SendKeys("#password", ssoBram.Password),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible("p.flash"),
	)
	if got := browserText(t, b, "p.flash"); !strings.Contains(got, "Uw account is gekoppeld.") {
		t.Fatalf("after linking: %q", got)
	}
	ids, err := f.srv.App.Auth.Identities(context.Background(), f.userID(t, "analyst@rotterdam.nl"))
	if err != nil || len(ids) != 1 || ids[0].Subject != ssoBram.Subject {
		t.Fatalf("links of the analyst: %+v, %v", ids, err)
	}
}
