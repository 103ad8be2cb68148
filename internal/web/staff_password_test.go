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
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffOwnPasswordFirst follows an account an administrator made in
// the staff interface: at its first log-in every staff page leads to the
// page where it chooses its own password, in either language, with the
// password rules and the CSRF check; once chosen it goes on to the page it
// asked for, and the audit log records the choice. A password reset asks
// for a new choice.
func TestStaffOwnPasswordFirst(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		root := f.client(t, "root@plein.nl")
		root.get("/staff/admin")
		resp, page := root.post("/staff/admin/users", url.Values{"email": {"nieuw@rotterdam.nl"}, "username": {"Nieuw"}})
		m := regexp.MustCompile(`het wordt niet nog eens getoond: (\S+?)<`).FindStringSubmatch(page)
		if resp.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("create user: %d\n%s", resp.StatusCode, page)
		}
		given := html.UnescapeString(m[1])
		if err := f.srv.App.Auth.AddToOrg(ctx, auth.Operator(), f.org.ID, "nieuw@rotterdam.nl", model.RoleEditor); err != nil {
			t.Fatal(err)
		}

		c := newStaffClient(t, f.srv)
		if resp := c.login("nieuw@rotterdam.nl", given); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log in with the given password: %d", resp.StatusCode)
		}
		for _, path := range []string{"/staff/", "/staff/orgs/rotterdam/posts", "/staff/orgs/rotterdam/compose", "/staff/admin"} {
			resp, _ := c.get(path)
			if want := "/staff/password?next=" + url.QueryEscape(path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("GET %s: %d to %q, want 303 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
		resp, page = c.get("/staff/password?next=" + url.QueryEscape("/staff/orgs/rotterdam/compose"))
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Kies uw eigen wachtwoord") || !strings.Contains(page, "Het wachtwoord dat u kreeg") ||
			strings.Contains(page, `href="/staff/orgs/rotterdam/posts"`) {
			t.Fatalf("the page to choose a password: %d\n%s", resp.StatusCode, page)
		}
		// Nothing else can be done first, not even with the session's token.
		resp, _ = c.post("/staff/orgs/rotterdam/compose", url.Values{"text": {"Eerst dit"}, "action": {"publish"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/password" {
			t.Errorf("POST compose before choosing: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if posts, _ := f.srv.App.Posts.List(ctx, f.org.ID); len(posts) != 0 {
			t.Fatalf("a post was made before the password was chosen")
		}
		// The form checks its token and the password rules, in the page's
		// language.
		c.get("/staff/password")
		if resp, _ := c.post("/staff/password", url.Values{"csrf": {"wrong"}, "current": {given}, "new": {"mijn eigen wachtwoord"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("choice with a wrong token: %d", resp.StatusCode)
		}
		resp, page = c.post("/staff/password", url.Values{"current": {given}, "new": {"kort"}, "next": {"/staff/orgs/rotterdam/compose"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Een wachtwoord is 12 tot 256 tekens lang.") {
			t.Errorf("a short password: %d\n%s", resp.StatusCode, fieldErrorsOf(page))
		}
		c.setLang("en")
		resp, page = c.get("/staff/password")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Choose your own password") || !strings.Contains(page, "An administrator chose your password.") {
			t.Errorf("the page in English: %d", resp.StatusCode)
		}
		resp, page = c.post("/staff/password", url.Values{"current": {"not what I got"}, "new": {"mijn eigen wachtwoord"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "This is not your current password.") {
			t.Errorf("a wrong given password: %d\n%s", resp.StatusCode, fieldErrorsOf(page))
		}
		resp, _ = c.post("/staff/password", url.Values{"current": {given}, "new": {"mijn eigen wachtwoord"}, "next": {"/staff/orgs/rotterdam/compose"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/orgs/rotterdam/compose" {
			t.Fatalf("choice: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := c.get("/staff/orgs/rotterdam/compose"); resp.StatusCode != http.StatusOK {
			t.Errorf("compose after choosing: %d", resp.StatusCode)
		}
		entries, err := f.srv.App.Auth.AuditLog(ctx, auth.Operator(), "", 1)
		if err != nil || len(entries) != 1 || entries[0].Action != "user.choose-password" || entries[0].Target != "nieuw@rotterdam.nl" {
			t.Errorf("audit of the choice: %+v %v", entries, err)
		}

		// After a reset the owner chooses again.
		reset, err := f.srv.App.Auth.ResetPassword(ctx, auth.Operator(), "nieuw@rotterdam.nl", "")
		if err != nil {
			t.Fatal(err)
		}
		c = newStaffClient(t, f.srv)
		c.login("nieuw@rotterdam.nl", reset)
		if resp, _ := c.get("/staff/orgs/rotterdam/posts"); resp.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(resp.Header.Get("Location"), "/staff/password") {
			t.Errorf("after a reset: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}
