package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// The people at the test provider.
var (
	ssoAnna = pleintest.OIDCUser{Subject: "anna-7d1f", Username: "anna", Password: "anna-at-the-provider",
		Email: "anna@rotterdam.nl", Name: "Anna de Vries", Groups: []string{"communicatie"}}
	ssoBram = pleintest.OIDCUser{Subject: "bram-90ce", Username: "bram", Password: "bram-at-the-provider",
		Email: "bram@rotterdam.nl", Name: "Bram Jansen"}
	// ssoCarla's address is that of an account in the staff fixture.
	ssoCarla = pleintest.OIDCUser{Subject: "carla-3b2a", Username: "carla", Password: "carla-at-the-provider",
		Email: "admin@rotterdam.nl", Name: "Carla", Groups: []string{"/beheer"}}
)

// ssoFixture is the staff fixture with single sign-on at a real OpenID
// provider on loopback.
type ssoFixture struct {
	*staffFixture
	idp *pleintest.OIDCProvider
}

func newSSOFixture(t *testing.T, e storetest.Engine, configure ...func(*config.Config)) *ssoFixture {
	idp := pleintest.NewOIDCProvider(t, ssoAnna, ssoBram, ssoCarla)
	f := newStaffFixtureWith(t, e, pleintest.Options{Configure: append([]func(*config.Config){idp.Configure}, configure...)})
	idp.Start(t, f.srv.URL)
	return &ssoFixture{staffFixture: f, idp: idp}
}

var providerFormID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// ssoThrough follows a single sign-on from its first address at Plein
// (start) through the provider's log-in form, as a browser does, and
// returns Plein's callback address with the provider's answer, not yet
// visited.
func (c *staffClient) ssoThrough(start string, user pleintest.OIDCUser) string {
	c.t.Helper()
	resp, _ := c.get(start)
	return c.ssoFollow(resp, user)
}

// ssoFollow is ssoThrough from Plein's redirect to the provider.
func (c *staffClient) ssoFollow(resp *http.Response, user pleintest.OIDCUser) string {
	c.t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("start of single sign-on: %d", resp.StatusCode)
	}
	return c.ssoFollowURL(resp.Header.Get("Location"), user)
}

var continueLink = regexp.MustCompile(`id="sso-continue" href="([^"]+)"`)

// ssoLink begins linking c's account and follows the page that leads on
// to the provider, returning Plein's callback address.
func (c *staffClient) ssoLink(user pleintest.OIDCUser) string {
	c.t.Helper()
	resp, page := c.post("/staff/sso/link", url.Values{})
	m := continueLink.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		c.t.Fatalf("link: %d, no link on to the provider", resp.StatusCode)
	}
	return c.ssoFollowURL(html.UnescapeString(m[1]), user)
}

// ssoFollowURL is ssoThrough from the provider's authorization address.
func (c *staffClient) ssoFollowURL(loc string, user pleintest.OIDCUser) string {
	c.t.Helper()
	if !strings.Contains(loc, "code_challenge_method=S256") || !strings.Contains(loc, "nonce=") || !strings.Contains(loc, "state=") {
		c.t.Fatalf("authorization address %q lacks PKCE, nonce or state", loc)
	}
	for range 5 { // the provider's own redirects, to its log-in form
		req, _ := http.NewRequest(http.MethodGet, loc, nil)
		resp, page := c.do(req)
		if resp.StatusCode == http.StatusOK {
			m := providerFormID.FindStringSubmatch(page)
			if m == nil {
				c.t.Fatalf("no log-in form at the provider: %s", page)
			}
			u, _ := url.Parse(loc)
			form := url.Values{"id": {m[1]}, "username": {user.Username}, "password": {user.Password}}
			req, _ := http.NewRequest(http.MethodPost, u.Scheme+"://"+u.Host+"/login/username", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, _ = c.do(req)
		}
		next, err := resp.Location()
		if err != nil {
			c.t.Fatalf("provider answered %d without a redirect", resp.StatusCode)
		}
		loc = next.String()
		if strings.HasPrefix(loc, c.srv.URL+"/staff/login/sso/callback") {
			return loc
		}
	}
	c.t.Fatal("the provider did not return to Plein")
	return ""
}

// ssoLogin logs in through the provider and returns Plein's answer.
func (c *staffClient) ssoLogin(user pleintest.OIDCUser) (*http.Response, string) {
	c.t.Helper()
	back := c.ssoThrough("/staff/login/sso?next=/staff/sessions", user)
	req, _ := http.NewRequest(http.MethodGet, back, nil)
	return c.do(req)
}

func TestSSOLinkedAccountLogsIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newSSOFixture(t, e)
		ctx := context.Background()
		if err := f.srv.App.Auth.LinkIdentity(ctx, auth.Operator(), "editor@rotterdam.nl", f.idp.Issuer, ssoAnna.Subject); err != nil {
			t.Fatal(err)
		}
		c := newStaffClient(t, f.srv)
		_, page := c.get("/staff/login")
		if !strings.Contains(page, "Inloggen met Test-IdP") {
			t.Fatal("the log-in page has no single sign-on button")
		}
		resp, _ := c.ssoLogin(ssoAnna)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/sessions" {
			t.Fatalf("callback: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, page = c.get("/staff/sessions")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "editor@rotterdam.nl") || !strings.Contains(page, "eenmalige aanmelding") {
			t.Fatalf("sessions after single sign-on: %d", resp.StatusCode)
		}
		if !strings.Contains(page, "Uw account is gekoppeld aan Test-IdP") {
			t.Error("the sessions screen does not say the account is linked")
		}
		log, err := f.srv.App.Auth.AuditLog(ctx, auth.Operator(), "", 20)
		if err != nil {
			t.Fatal(err)
		}
		if !hasAudit(log, "user.login", "editor@rotterdam.nl", "oidc") || !hasAudit(log, "sso.link", "editor@rotterdam.nl", "") {
			t.Errorf("audit log lacks the link or the log-in: %v", auditActions(log))
		}
	})
}

func TestSSOUnlinkedIdentityRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newSSOFixture(t, e)
		ctx := context.Background()
		users, _ := f.srv.App.Auth.ListUsers(ctx, auth.Operator())
		c := newStaffClient(t, f.srv)
		resp, page := c.ssoLogin(ssoBram)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "aan geen account van Plein gekoppeld") ||
			!strings.Contains(page, ssoBram.Subject) {
			t.Fatalf("unlinked identity: %d\n%s", resp.StatusCode, page)
		}
		if m := goText.FindString(page); m != "" {
			t.Errorf("the refusal shows %q", m)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == "plein_staff" && ck.Value != "" {
				t.Error("an unlinked identity got a session cookie")
			}
		}
		if after, _ := f.srv.App.Auth.ListUsers(ctx, auth.Operator()); len(after) != len(users) {
			t.Errorf("%d accounts after the refusal, want %d: none is created", len(after), len(users))
		}
		log, err := f.srv.App.Auth.AuditLog(ctx, auth.Operator(), "", 20)
		if err != nil {
			t.Fatal(err)
		}
		if !hasAudit(log, "login.failed", "", "") || !hasAudit(log, "sso.unlinked", ssoBram.Subject, f.idp.Issuer) {
			t.Errorf("audit log lacks the failed log-in: %v", auditActions(log))
		}
		lines, err := f.srv.App.Auth.AuditLines(ctx, auth.Operator(), "", 20)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(lines[0].Sentence.In("en"), "linked to no account (subject "+ssoBram.Subject) {
			t.Errorf("audit sentence %q", lines[0].Sentence.In("en"))
		}
		// The English page, in the language the log-in began in.
		en := newStaffClient(t, f.srv)
		back := en.ssoThrough("/staff/login/sso?lang=en", ssoBram)
		req, _ := http.NewRequest(http.MethodGet, back, nil)
		if _, page := en.do(req); !strings.Contains(page, "linked to no Plein account") {
			t.Error("the refusal is not in English when the log-in began in English")
		}
	})
}

func TestSSOTamperedStateRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newSSOFixture(t, e)
		if err := f.srv.App.Auth.LinkIdentity(context.Background(), auth.Operator(), "editor@rotterdam.nl", f.idp.Issuer, ssoAnna.Subject); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			tamper func(c *staffClient, back *url.URL)
		}{
			{"state changed", func(_ *staffClient, back *url.URL) {
				q := back.Query()
				q.Set("state", q.Get("state")+"x")
				back.RawQuery = q.Encode()
			}},
			{"state removed", func(_ *staffClient, back *url.URL) {
				q := back.Query()
				q.Del("state")
				back.RawQuery = q.Encode()
			}},
			{"another browser", func(c *staffClient, _ *url.URL) {
				*c = *newStaffClient(t, f.srv)
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := newStaffClient(t, f.srv)
				back, err := url.Parse(c.ssoThrough("/staff/login/sso", ssoAnna))
				if err != nil {
					t.Fatal(err)
				}
				tc.tamper(c, back)
				req, _ := http.NewRequest(http.MethodGet, back.String(), nil)
				resp, page := c.do(req)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "hoort niet bij een aanmelding") {
					t.Fatalf("tampered return: %d", resp.StatusCode)
				}
				if m := goText.FindString(page); m != "" {
					t.Errorf("the refusal shows %q", m)
				}
				if resp, _ := c.get("/staff/sessions"); resp.StatusCode != http.StatusSeeOther {
					t.Errorf("logged in after a tampered return: %d", resp.StatusCode)
				}
			})
		}
	})
}

func TestSSORoleMappingCreatesAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newSSOFixture(t, e, func(c *config.Config) {
			c.OIDC.CreateAccounts = true
			c.OIDC.RoleMap = "communicatie=rotterdam:editor, /beheer=rotterdam:admin"
		})
		ctx := context.Background()
		c := newStaffClient(t, f.srv)
		resp, _ := c.ssoLogin(ssoAnna)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first log-in with account creation: %d", resp.StatusCode)
		}
		u, err := f.srv.App.Auth.User(ctx, ssoAnna.Email)
		if err != nil {
			t.Fatalf("no account made: %v", err)
		}
		if u.Name != ssoAnna.Name || u.MustChangePassword || u.IsAdmin {
			t.Errorf("account made: %+v", u)
		}
		role, ok, err := f.srv.App.Auth.Role(ctx, auth.ActorOf(u), f.org.ID)
		if err != nil || !ok || role != model.RoleEditor {
			t.Errorf("mapped role = %q, %v, %v; want editor", role, ok, err)
		}
		if resp, page := c.get("/staff/orgs/rotterdam/compose"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Nieuw bericht") {
			t.Errorf("the mapped editor cannot write: %d", resp.StatusCode)
		}
		// A second log-in finds the linked account and makes no other.
		again := newStaffClient(t, f.srv)
		if resp, _ := again.ssoLogin(ssoAnna); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("second log-in: %d", resp.StatusCode)
		}
		users, _ := f.srv.App.Auth.ListUsers(ctx, auth.Operator())
		if len(users) != 5 {
			t.Errorf("%d accounts, want the fixture's 4 and one made", len(users))
		}
		lines, err := f.srv.App.Auth.AuditLines(ctx, auth.Operator(), f.org.ID, 10)
		if err != nil || len(lines) == 0 || !strings.Contains(lines[0].Sentence.In("en"), "single sign-on gave") {
			t.Errorf("organisation audit log: %v", err)
			for _, l := range lines {
				t.Log(l.Sentence.In("en"))
			}
		}
		// Out of the group at the provider, out of the organisation at the
		// next log-in.
		f.idp.SetGroups(ssoAnna.Subject)
		if resp, _ := newStaffClient(t, f.srv).ssoLogin(ssoAnna); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log-in without the group: %d", resp.StatusCode)
		}
		if _, ok, _ := f.srv.App.Auth.Role(ctx, auth.ActorOf(u), f.org.ID); ok {
			t.Error("the role stays after the person left the group")
		}
		f.idp.SetGroups(ssoAnna.Subject, "communicatie", "/beheer")
		if resp, _ := newStaffClient(t, f.srv).ssoLogin(ssoAnna); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log-in in both groups: %d", resp.StatusCode)
		}
		if role, _, _ := f.srv.App.Auth.Role(ctx, auth.ActorOf(u), f.org.ID); role != model.RoleAdmin {
			t.Errorf("in two mapped groups the role is %q, want the stronger, admin", role)
		}
		// An address that already has an account is never taken over by a
		// new identity: that account's owner links it.
		if resp, _ := newStaffClient(t, f.srv).ssoLogin(ssoCarla); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an identity with the address of an unlinked account: %d, want 403", resp.StatusCode)
		}
		if ids, _ := f.srv.App.Auth.Identities(ctx, f.userID(t, "admin@rotterdam.nl")); len(ids) != 0 {
			t.Errorf("the existing account was linked by its address: %+v", ids)
		}
	})
}

func TestSSOLinkFromOwnSettings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newSSOFixture(t, e)
		c := f.client(t, "analyst@rotterdam.nl")
		_, page := c.get("/staff/sessions")
		if !strings.Contains(page, "Mijn account koppelen") {
			t.Fatal("no link button on the sessions screen")
		}
		back := c.ssoLink(ssoBram)
		req, _ := http.NewRequest(http.MethodGet, back, nil)
		resp, _ := c.do(req)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/sessions?done=sso-linked" {
			t.Fatalf("return of the link: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, page := c.get("/staff/sessions?done=sso-linked"); !strings.Contains(page, "Uw account is gekoppeld.") {
			t.Error("no confirmation of the link")
		}
		// From now on the identity logs in to the analyst's account.
		other := newStaffClient(t, f.srv)
		if resp, _ := other.ssoLogin(ssoBram); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log-in with the linked identity: %d", resp.StatusCode)
		}
		if _, page := other.get("/staff/sessions"); !strings.Contains(page, "analyst@rotterdam.nl") {
			t.Error("the linked identity did not log in to the analyst's account")
		}
		// A link flow cannot be finished by another login.
		resp, _ = c.post("/staff/sso/unlink", url.Values{})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlink: %d", resp.StatusCode)
		}
		back = c.ssoLink(ssoBram)
		thief := newStaffClient(t, f.srv)
		thief.login("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
		req, _ = http.NewRequest(http.MethodGet, back, nil)
		if resp, _ := thief.do(req); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("another login finishing the link: %d, want 400", resp.StatusCode)
		}
		if ids, _ := f.srv.App.Auth.Identities(context.Background(), f.userID(t, "editor@rotterdam.nl")); len(ids) != 0 {
			t.Errorf("the other login was linked: %+v", ids)
		}
	})
}

func hasAudit(log []*model.AuditEntry, action, target, detail string) bool {
	for _, e := range log {
		if e.Action == action && (target == "" || e.Target == target) && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

func auditActions(log []*model.AuditEntry) []string {
	var out []string
	for _, e := range log {
		out = append(out, e.Action+" "+e.Target+" "+e.Detail)
	}
	return out
}

func (f *staffFixture) userID(t *testing.T, email string) string {
	t.Helper()
	u, err := f.srv.App.Auth.User(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestSSOProviderOnPrivateNetworkNeedsPermission: the provider is reached
// through Plein's outbound client, which refuses loopback unless private
// networks are allowed; the person reads that the provider could not be
// reached.
func TestSSOProviderOnPrivateNetworkNeedsPermission(t *testing.T) {
	f := newSSOFixture(t, storetest.Engines()[0], func(c *config.Config) { c.AllowPrivateNetworks = false })
	c := newStaffClient(t, f.srv)
	resp, page := c.get("/staff/login/sso")
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(page, "Test-IdP kon de aanmelding niet bevestigen") {
		t.Fatalf("single sign-on to a loopback provider without --allow-private-networks: %d", resp.StatusCode)
	}
	if m := goText.FindString(page); m != "" {
		t.Errorf("the page shows %q", m)
	}
}
