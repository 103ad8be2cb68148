package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/mail"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// TestStaffMail sends a test of a post being written to the editor
// alone, then the post, then its correction on purpose, once per
// version; the edit screen and the insights show how many mails went,
// and nothing about who opened them.
func TestStaffMail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		reader := "lezer@example.org"
		if resp, _ := postForm(t, f.srv, "/@rotterdam/subscribe", url.Values{"email": {reader}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("subscribe: %d", resp.StatusCode)
		}
		path := confirmLink.FindString(f.srv.Mail.WaitFor(t, reader, 1)[0].Text)
		if resp, _ := postForm(t, f.srv, path, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}

		c := f.client(t, "editor@rotterdam.nl")
		c.get("/staff/orgs/rotterdam/compose")
		resp, page := c.postMultipart("/staff/orgs/rotterdam/compose", url.Values{"text": {"De **Maastunnel** is dicht."},
			"language": {"nl"}, "action": {"testmail"}}, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Er is een proef gestuurd naar editor@rotterdam.nl") ||
			!strings.Contains(page, "De **Maastunnel** is dicht.") {
			t.Fatalf("test mail: %d\n%s", resp.StatusCode, page)
		}
		// The editor also gets the notice of their log-in from a new browser.
		var test *mail.Message
		pleintest.Eventually(t, 20*time.Second, func() error {
			for _, m := range f.srv.Mail.To("editor@rotterdam.nl") {
				if strings.HasPrefix(m.Subject, "[Proef]") {
					test = m
					return nil
				}
			}
			return pleintest.ErrNotYet
		})
		if test.Subject != "[Proef] De Maastunnel is dicht." || test.Unsubscribe != "" || !strings.Contains(test.HTML, "<strong>Maastunnel</strong>") {
			t.Errorf("test mail: %+v", test)
		}
		if posts, _ := f.srv.App.Posts.List(ctx, f.org.ID); len(posts) != 0 {
			t.Fatalf("a test mail saved a post")
		}

		p := f.srv.Post(t, f.org, "De Maastunnel is dicht.")
		f.srv.Mail.WaitFor(t, reader, 2)
		if _, err := f.srv.App.Posts.Edit(ctx, auth.Operator(), p.ID, post.Input{Text: "De Maastunnel is tot vrijdag dicht."}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the same version twice: one correction
			resp, _ = c.post("/staff/orgs/rotterdam/posts/"+p.ID+"/mail-correction", url.Values{})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("correction: %d", resp.StatusCode)
			}
		}
		got := f.srv.Mail.WaitFor(t, reader, 3)
		if m := got[2]; m.Subject != "Correctie: De Maastunnel is tot vrijdag dicht." || !strings.Contains(m.Text, "tot vrijdag") {
			t.Errorf("correction: %q\n%s", m.Subject, m.Text)
		}
		pleintest.Eventually(t, 10*time.Second, func() error {
			if _, page := c.get("/staff/orgs/rotterdam/posts/" + p.ID); !strings.Contains(page, "Abonnees kregen dit bericht 2 keer per e-mail") {
				return pleintest.ErrNotYet
			}
			return nil
		})
		if n := len(f.srv.Mail.To(reader)); n != 3 {
			t.Errorf("%d mails to the subscriber, want 3", n)
		}
		admin := f.client(t, "admin@rotterdam.nl")
		if _, log := admin.get("/staff/orgs/rotterdam/audit"); !strings.Contains(log, "post.mail-correction") {
			t.Errorf("the audit log lacks the correction")
		}

		analyst := f.client(t, "analyst@rotterdam.nl")
		_, page = analyst.get("/staff/orgs/rotterdam/insights")
		for _, want := range []string{
			`Nieuwe abonnees per e-mail <span class="total">(Totaal: 1)</span>`,
			`Berichten per e-mail bezorgd (openen en klikken worden niet gemeten) <span class="total">(Totaal: 2)</span>`,
			`<th scope="col" class="chart-num">Per e-mail</th>`,
			`Abonnees per e-mail (aan het eind van de dag)`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("insights lack %s", want)
			}
		}
		// The CSV ends with the subscribers at the end of each day: none
		// yesterday, one today.
		_, csv := analyst.get("/staff/orgs/rotterdam/insights.csv")
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		if !strings.HasSuffix(lines[0], ",subscribers") || !strings.HasSuffix(lines[len(lines)-1], ",1") || !strings.HasSuffix(lines[len(lines)-2], ",0") {
			t.Errorf("insights csv:\n%s", csv)
		}
		if strings.Contains(page, reader) {
			t.Error("the insights show a subscriber's address")
		}
		if resp, _ := analyst.post("/staff/orgs/rotterdam/posts/"+p.ID+"/mail-correction", url.Values{}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an analyst sending a correction: %d, want 403", resp.StatusCode)
		}
	})
}
