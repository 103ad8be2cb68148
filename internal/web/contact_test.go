package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

var (
	tokenField = regexp.MustCompile(`name="token" value="([^"]+)"`)
	reference  = regexp.MustCompile(`V-[0-9A-Z]{4}-[0-9A-Z]{4}`)
)

// contactToken fetches the contact form of handle and returns its token,
// checking that the page sets no cookie, holds no script and is not
// stored.
func contactToken(t *testing.T, srv *pleintest.Server, handle string) string {
	t.Helper()
	resp, body := srv.Get(t, "/@"+handle+"/contact")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("contact form: %d", resp.StatusCode)
	}
	if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("the contact form sets a cookie: %v", c)
	}
	if strings.Contains(string(body), "<script") {
		t.Error("the contact form holds a script")
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	m := tokenField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no form token in the contact form:\n%s", body)
	}
	return html.UnescapeString(string(m[1]))
}

func questions(t *testing.T, srv *pleintest.Server, orgID string) []*model.Question {
	t.Helper()
	qs, err := srv.App.Store.ListQuestions(context.Background(), store.QuestionFilter{OrgID: orgID})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestContactForm sends questions through the contact form as a citizen
// without cookies or script does: a question with a BSN is warned about
// and sent anyway on request, gets a reference number and an
// acknowledgement mail holding nothing the citizen typed; a robot filling
// the honeypot is told the same but nothing is stored; a form sent faster
// than a person types is held for review without a mail; a damaged token
// or a bad address shows the form again with everything typed.
func TestContactForm(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		clock := pleintest.NewClock(time.Now())
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o := srv.Org(t, "rotterdam")
		path := "/@rotterdam/contact"
		if _, body := srv.Get(t, "/@rotterdam"); !strings.Contains(string(body), `href="/@rotterdam/contact"`) {
			t.Error("the organisation's page does not link to its contact form")
		}

		token := contactToken(t, srv, "rotterdam")
		clock.Advance(30 * time.Second)
		question := "Mijn BSN is 111222333. Wanneer wordt mijn paspoort verlengd?"
		form := url.Values{"question": {question}, "name": {"Anna de Vries"}, "email": {"anna@example.org"},
			"topic": {"general"}, "token": {token}, "website": {""}}
		resp, body := postForm(t, srv, path, form)
		page := string(body)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Dat hoeft u ons niet te sturen") ||
			!strings.Contains(page, "een BSN (burgerservicenummer)") || !strings.Contains(page, `name="send_anyway"`) ||
			!strings.Contains(page, html.EscapeString(question)) || !strings.Contains(page, `value="Anna de Vries"`) {
			t.Fatalf("a question with a BSN: %d\n%s", resp.StatusCode, page)
		}
		if n := len(questions(t, srv, o.ID)); n != 0 {
			t.Fatalf("%d questions stored before the citizen chose", n)
		}

		form.Set("send_anyway", "1")
		form.Set("token", tokenField.FindStringSubmatch(page)[1])
		clock.Advance(10 * time.Second)
		resp, body = postForm(t, srv, path, form)
		ref := reference.FindString(string(body))
		if resp.StatusCode != http.StatusOK || ref == "" {
			t.Fatalf("sending anyway: %d\n%s", resp.StatusCode, body)
		}
		qs := questions(t, srv, o.ID)
		if len(qs) != 1 || qs[0].Reference != ref || qs[0].State != model.QuestionNew || qs[0].Sensitive != "bsn" ||
			qs[0].Text != question || qs[0].Name != "Anna de Vries" || qs[0].ReplyTo != "anna@example.org" {
			t.Fatalf("stored: %+v", qs)
		}
		ack := srv.Mail.WaitFor(t, "anna@example.org", 1)[0]
		if !strings.Contains(ack.Subject, ref) || !strings.Contains(ack.Text, ref) {
			t.Errorf("the acknowledgement does not name the reference %s: %q %q", ref, ack.Subject, ack.Text)
		}
		for _, typed := range []string{"111222333", "paspoort", "Anna", "Vries"} {
			if strings.Contains(ack.Subject+ack.Text+ack.HTML+ack.FromName, typed) {
				t.Errorf("the acknowledgement carries %q, which the citizen typed", typed)
			}
		}

		// A robot fills the honeypot: told the same, nothing stored.
		bot := url.Values{"question": {"Buy now"}, "email": {"bot@example.org"}, "token": {contactToken(t, srv, "rotterdam")},
			"website": {"https://spam.example"}}
		clock.Advance(10 * time.Second)
		if resp, body := postForm(t, srv, path, bot); resp.StatusCode != http.StatusOK || !reference.Match(body) {
			t.Errorf("honeypot: %d", resp.StatusCode)
		}
		// Sent a second after the form was shown: held, no mail.
		fast := url.Values{"question": {"Is het zwembad open?"}, "email": {"snel@example.org"}, "token": {contactToken(t, srv, "rotterdam")}}
		if resp, _ := postForm(t, srv, path, fast); resp.StatusCode != http.StatusOK {
			t.Errorf("fast form: %d", resp.StatusCode)
		}
		qs = questions(t, srv, o.ID)
		if len(qs) != 2 || qs[0].ReplyTo != "snel@example.org" || qs[0].State != model.QuestionHeld {
			t.Fatalf("after the robot and the fast form: %+v", qs)
		}

		// A damaged token, an expired one, and a bad address.
		clock.Advance(10 * time.Second)
		for _, tc := range []struct {
			name, token, email, want string
		}{
			{"damaged token", "1.abc", "piet@example.org", "Het formulier stond te lang open of is beschadigd"},
			{"expired token", token, "piet@example.org", "Het formulier stond te lang open of is beschadigd"},
			{"bad address", "", "piet at example", "Vul een geldig e-mailadres in"},
		} {
			if tc.name == "expired token" {
				clock.Advance(5 * time.Hour)
			}
			if tc.token == "" {
				tc.token = contactToken(t, srv, "rotterdam")
				clock.Advance(10 * time.Second)
			}
			resp, body := postForm(t, srv, path, url.Values{"question": {"Waar kan ik parkeren?"}, "email": {tc.email}, "token": {tc.token}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), tc.want) ||
				!strings.Contains(string(body), "Waar kan ik parkeren?") {
				t.Errorf("%s: %d\n%s", tc.name, resp.StatusCode, body)
			}
		}
		if n := len(questions(t, srv, o.ID)); n != 2 {
			t.Errorf("%d questions after refusals, want 2", n)
		}
		if resp, _ := srv.Get(t, "/@nergens/contact"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("contact form of an unknown organisation: %d", resp.StatusCode)
		}
	})
}
