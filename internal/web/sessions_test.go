package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// The browsers of the sessions tests.
const (
	firefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
	safariIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
	edgeWindows  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)

// userAgent sends every request of a client with the User-Agent ua.
type userAgent struct{ ua string }

func (u userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", u.ua)
	return http.DefaultTransport.RoundTrip(req)
}

// browserClient is a staff client that presents itself as the browser ua.
func browserClient(t *testing.T, srv *pleintest.Server, ua string) *staffClient {
	c := newStaffClient(t, srv)
	c.http.Transport = userAgent{ua}
	return c
}

// logIn logs c in as email, failing the test otherwise.
func (f *staffFixture) logIn(t *testing.T, c *staffClient, email string) {
	t.Helper()
	if resp := c.login(email, f.passwords[email]); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: %d", email, resp.StatusCode)
	}
}

var sessionRefField = regexp.MustCompile(`name="session" value="([0-9a-f]+)"`)

// loggedIn reports whether c's login still works.
func loggedIn(t *testing.T, c *staffClient) bool {
	t.Helper()
	resp, _ := c.get("/staff/sessions")
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		return false
	}
	t.Fatalf("sessions screen: %d", resp.StatusCode)
	return false
}

func TestStaffSessionsListAndEnd(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		laptop, phone, tablet := browserClient(t, f.srv, firefoxLinux), browserClient(t, f.srv, safariIPhone), browserClient(t, f.srv, edgeWindows)
		for _, c := range []*staffClient{laptop, phone, tablet} {
			f.logIn(t, c, "editor@rotterdam.nl")
		}
		other := f.client(t, "analyst@rotterdam.nl")
		resp, page := laptop.get("/staff/sessions")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sessions screen: %d", resp.StatusCode)
		}
		for _, want := range []string{"Firefox (Linux)", "Safari (iOS)", "Edge (Windows)", "deze sessie", "wachtwoord", "Alle andere sessies beëindigen"} {
			if !strings.Contains(page, want) {
				t.Errorf("the sessions screen lacks %q", want)
			}
		}
		if strings.Contains(page, "127.0.0.1") || strings.Contains(page, "Go-http-client") {
			t.Error("the sessions screen shows an address or the whole User-Agent")
		}
		refs := sessionRefField.FindAllStringSubmatch(page, -1)
		if len(refs) != 2 { // every session but the current one has a button
			t.Fatalf("%d end buttons, want 2", len(refs))
		}
		// End the phone's session: the one listed after the laptop's own.
		phoneRef := ""
		for _, ref := range refs {
			if i := strings.Index(page, ref[0]); i > 0 && strings.LastIndex(page[:i], "Safari (iOS)") > strings.LastIndex(page[:i], "Edge (Windows)") {
				phoneRef = ref[1]
			}
		}
		if phoneRef == "" {
			t.Fatal("no end button for the phone")
		}
		resp, _ = laptop.post("/staff/sessions/end", url.Values{"session": {phoneRef}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("end a session: %d", resp.StatusCode)
		}
		if loggedIn(t, phone) || !loggedIn(t, laptop) || !loggedIn(t, tablet) {
			t.Fatal("ending the phone's session ended another, or not the phone's")
		}
		// A reference of no session of the account ends nothing.
		resp, _ = laptop.post("/staff/sessions/end", url.Values{"session": {"0123456789abcdef"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("ending an unknown session: %d, want 400", resp.StatusCode)
		}
		resp, _ = laptop.post("/staff/sessions/end-others", url.Values{})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("end other sessions: %d", resp.StatusCode)
		}
		if loggedIn(t, tablet) || !loggedIn(t, laptop) || !loggedIn(t, other) {
			t.Fatal("ending the other sessions ended the wrong ones")
		}
		log, err := f.srv.App.Auth.AuditLog(context.Background(), auth.Operator(), "", 30)
		if err != nil {
			t.Fatal(err)
		}
		if !hasAudit(log, "session.end", "editor@rotterdam.nl", "Safari (iOS)") || !hasAudit(log, "session.end-others", "editor@rotterdam.nl", "") {
			t.Errorf("audit log: %v", auditActions(log))
		}
	})
}

func TestStaffAdminEndsAllSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		laptop, phone := browserClient(t, f.srv, firefoxLinux), browserClient(t, f.srv, safariIPhone)
		f.logIn(t, laptop, "editor@rotterdam.nl")
		f.logIn(t, phone, "editor@rotterdam.nl")
		editorID := f.userID(t, "editor@rotterdam.nl")
		path := "/staff/admin/users/" + editorID + "/sessions"
		// Only instance administrators see someone else's sessions.
		if resp, _ := f.client(t, "admin@rotterdam.nl").get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an organisation admin reads someone's sessions: %d", resp.StatusCode)
		}
		root := f.client(t, "root@plein.nl")
		if _, page := root.get("/staff/admin"); !strings.Contains(page, `href="`+path+`"`) {
			t.Error("the administration does not link the account's sessions")
		}
		resp, page := root.get(path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Firefox (Linux)") || !strings.Contains(page, "Safari (iOS)") {
			t.Fatalf("an account's sessions: %d", resp.StatusCode)
		}
		resp, _ = root.post(path+"/end", url.Values{})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("end all sessions: %d", resp.StatusCode)
		}
		if loggedIn(t, laptop) || loggedIn(t, phone) || !loggedIn(t, root) {
			t.Fatal("the editor is still logged in, or the administrator is not")
		}
		_, page = root.get(path)
		if !strings.Contains(page, "Geen actieve sessies.") {
			t.Error("the account still lists sessions")
		}
		lines, err := f.srv.App.Auth.AuditLines(context.Background(), auth.Operator(), "", 5)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range lines {
			found = found || strings.Contains(l.Sentence.In("en"), "ended all sessions of editor@rotterdam.nl (2)")
		}
		if !found {
			t.Error("the audit log does not tell that all sessions were ended")
		}
	})
}

func TestStaffSessionTimeouts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		clock := pleintest.NewClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		f := newStaffFixtureWith(t, e, pleintest.Options{Now: clock.Now, Configure: []func(*config.Config){func(c *config.Config) {
			c.Sessions = config.Sessions{Idle: 30 * time.Minute, Max: 2 * time.Hour}
		}}})
		c := newStaffClient(t, f.srv)
		resp := c.login("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
		for _, ck := range resp.Cookies() {
			if ck.Name == "plein_staff" && ck.MaxAge != 7200 {
				t.Errorf("session cookie Max-Age %d, want the absolute limit 7200", ck.MaxAge)
			}
		}
		// Used every 25 minutes, the login stays until two hours after it
		// began, and no longer.
		for range 4 {
			clock.Advance(25 * time.Minute)
			if !loggedIn(t, c) {
				t.Fatalf("logged out while in use at %s", clock.Now().Format("15:04"))
			}
		}
		clock.Advance(21 * time.Minute) // 2h01m after logging in
		if loggedIn(t, c) {
			t.Fatal("still logged in past the absolute limit")
		}
		// Left alone for the idle limit, a login ends.
		f.logIn(t, c, "editor@rotterdam.nl")
		clock.Advance(29 * time.Minute)
		if !loggedIn(t, c) {
			t.Fatal("logged out before the idle limit")
		}
		clock.Advance(30 * time.Minute)
		if loggedIn(t, c) {
			t.Fatal("still logged in after 30 minutes without use")
		}
		// The limits are stated to staff.
		f.logIn(t, c, "editor@rotterdam.nl")
		if _, page := c.get("/staff/sessions"); !strings.Contains(page, "na 30 minuten zonder gebruik, en uiterlijk 2 uur na het inloggen") {
			t.Error("the sessions screen does not state the limits")
		}
	})
}

func TestStaffNewDeviceMail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		const editor = "editor@rotterdam.nl"
		laptop := browserClient(t, f.srv, firefoxLinux)
		f.logIn(t, laptop, editor)
		first := f.srv.Mail.WaitFor(t, editor, 1)[0]
		for _, want := range []string{"Firefox (Linux)", "wachtwoord", f.srv.URL + "/staff/sessions"} {
			if !strings.Contains(first.Text, want) {
				t.Errorf("new-device mail lacks %q:\n%s", want, first.Text)
			}
		}
		// The installation's own address is on loopback here; the client's
		// must not be in the mail.
		if text := strings.ReplaceAll(first.Text, f.srv.URL, ""); strings.Contains(text, "127.0.0.1") || strings.Contains(text, "Mozilla") {
			t.Errorf("the mail names an address or the whole User-Agent:\n%s", first.Text)
		}
		// The same browser again is known: no mail. Then a new one is.
		laptop.post("/staff/logout", url.Values{})
		f.logIn(t, laptop, editor)
		phone := browserClient(t, f.srv, safariIPhone)
		f.logIn(t, phone, editor)
		msgs := f.srv.Mail.WaitFor(t, editor, 2)
		if len(msgs) != 2 || !strings.Contains(msgs[1].Text, "Safari (iOS)") {
			for _, m := range msgs {
				t.Log(m.Text)
			}
			t.Fatalf("%d mails; want the first and the phone's, none for the known laptop", len(msgs))
		}
		// In English when the log-in was.
		en := browserClient(t, f.srv, edgeWindows)
		en.get("/staff/login?lang=en")
		resp, _ := en.post("/staff/login?lang=en", url.Values{"email": {editor}, "password": {f.passwords[editor]}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log in: %d", resp.StatusCode)
		}
		msgs = f.srv.Mail.WaitFor(t, editor, 3)
		if m := msgs[2]; m.Lang != "en" || !strings.Contains(m.Subject, "New log-in") || !strings.Contains(m.Text, "Edge (Windows)") {
			t.Errorf("English mail: %s %q\n%s", m.Lang, m.Subject, m.Text)
		}
	})
}
