package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

var (
	confirmLink = regexp.MustCompile(`/mail/confirm\?t=[A-Za-z0-9_-]+`)
	manageLink  = regexp.MustCompile(`href="(/mail/manage\?[^"]+)"`)
)

// postForm posts form to path of srv as a browser without cookies does.
func postForm(t testing.TB, srv *pleintest.Server, path string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	c := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(srv.URL+path, form)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// subscriptionPaths subscribes two addresses to the organisation handle,
// confirming one, and returns the pages their mails link to: the
// confirmation page of the pending one, and the manage and unsubscribe
// pages of the confirmed one.
func subscriptionPaths(t testing.TB, srv *pleintest.Server, handle string) (confirm, manage, unsubscribe string) {
	t.Helper()
	pending := func(addr string) string {
		t.Helper()
		if resp, body := postForm(t, srv, "/@"+handle+"/subscribe", url.Values{"email": {addr}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("subscribe %s: %d %s", addr, resp.StatusCode, body)
		}
		m := srv.Mail.WaitFor(t, addr, 1)[0]
		path := confirmLink.FindString(m.Text)
		if path == "" {
			t.Fatalf("no confirmation link in %q", m.Text)
		}
		return path
	}
	confirm = pending("pending@example.org")
	resp, body := postForm(t, srv, pending("confirmed@example.org"), nil)
	found := manageLink.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || found == nil {
		t.Fatalf("confirm: %d %s", resp.StatusCode, body)
	}
	manage = html.UnescapeString(string(found[1]))
	return confirm, manage, strings.Replace(manage, "/mail/manage", "/mail/unsubscribe", 1)
}

// TestSubscriptionAnswersArePrivate posts every subscription form and
// checks each answer as TestPrivacyHeaders checks pages: no cookie, the
// security headers, nothing loaded from another host, no script; and none
// is kept by a cache.
func TestSubscriptionAnswersArePrivate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		confirm, manage, unsubscribe := subscriptionPaths(t, f.srv, "almere")
		// The subscribe answer is the same for an address subscribed
		// already: nothing tells whether it was.
		_, first := postForm(t, f.srv, "/@almere/subscribe", url.Values{"email": {"confirmed@example.org"}})
		_, second := postForm(t, f.srv, "/@almere/subscribe", url.Values{"email": {"never-seen@example.org"}})
		if string(first) != string(second) {
			t.Errorf("the answer differs for a subscribed address:\n%s\n%s", first, second)
		}
		for _, tc := range []struct {
			path   string
			form   url.Values
			status int
			has    string
		}{
			{"/@almere/subscribe", url.Values{"email": {"someone@example.org"}, "frequency": {"daily"}}, 200, "Kijk in uw mailbox"},
			{"/@almere/subscribe?lang=en", url.Values{"email": {"someone@example.org"}, "tag": {"afval"}}, 200, "Check your inbox"},
			{"/@almere/subscribe", url.Values{"email": {"not an address"}}, 422, "Vul een geldig e-mailadres in"},
			{"/@almere/subscribe", url.Values{"email": {strings.Repeat("a", 250) + "@example.org"}}, 422, `aria-invalid="true"`},
			{"/@almere/subscribe", url.Values{"email": {"x@example.org"}, "tag": {"two words"}}, 422, "één hashtag"},
			{"/@almere/subscribe", url.Values{"email": {"x@example.org"}, "frequency": {"hourly"}}, 422, "Kies hoe vaak"},
			{"/@nobody/subscribe", url.Values{"email": {"x@example.org"}}, 404, ""},
			{confirm, nil, 200, "bevestigd"},
			{manage, url.Values{"frequency": {"weekly"}, "tag": {"verkeer"}}, 200, "opgeslagen"},
			{manage, url.Values{"frequency": {"weekly"}, "tag": {"#no good"}}, 422, "één hashtag"},
			{"/mail/confirm?t=forged", nil, 404, "Deze link werkt niet"},
			{"/mail/manage?t=forged", nil, 404, "Deze link werkt niet"},
			{unsubscribe, url.Values{"List-Unsubscribe": {"One-Click"}}, 200, "afgemeld"},
			{unsubscribe, url.Values{"List-Unsubscribe": {"One-Click"}}, 200, "afgemeld"},
			{manage, url.Values{"frequency": {"daily"}}, 404, "Deze link werkt niet"},
		} {
			resp, body := postForm(t, f.srv, tc.path, tc.form)
			if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.has) {
				t.Errorf("POST %s %v: %d, want %d with %q:\n%s", tc.path, tc.form, resp.StatusCode, tc.status, tc.has, body)
			}
			if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("POST %s sets a cookie: %v", tc.path, c)
			}
			if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Location") != "" {
				t.Errorf("POST %s: Cache-Control %q, Location %q", tc.path, resp.Header.Get("Cache-Control"), resp.Header.Get("Location"))
			}
			if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("POST %s: security headers %v", tc.path, resp.Header)
			}
			for _, ref := range subresources(t, body) {
				if u, err := url.Parse(ref); err != nil || u.Host != "" {
					t.Errorf("POST %s loads %q", tc.path, ref)
				}
			}
		}
	})
}

// TestSubscribeLimits refuses a subscribe form larger than a few fields,
// and a client that sends the form more than twenty times in a quarter of
// an hour; the count is kept in memory only.
func TestSubscribeLimits(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	srv.Org(t, "almere")
	if resp, body := postForm(t, srv, "/@almere/subscribe", url.Values{"email": {strings.Repeat("a", 9000) + "@example.org"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a form of 9 kB: %d, want 400\n%s", resp.StatusCode, body)
	}
	var resp *http.Response
	for i := range 21 {
		resp, _ = postForm(t, srv, "/@almere/subscribe", url.Values{"email": {fmt.Sprintf("a%d@example.org", i)}})
		if i < 19 && resp.StatusCode != http.StatusOK {
			t.Fatalf("form %d: %d", i+1, resp.StatusCode)
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the 21st form in a quarter of an hour: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
