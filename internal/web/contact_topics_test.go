package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestContactTopics sends questions through a contact form whose
// organisation defined topics: the form offers them and Other as a
// required choice; a question on one of them is stored with it; a topic
// not in the list (or none) is refused with the typed values kept; with
// the topics cleared the form offers a general question again.
func TestContactTopics(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		clock := pleintest.NewClock(time.Now())
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Now: clock.Now})
		o := srv.Org(t, "rotterdam")
		ctx := context.Background()
		path := "/@rotterdam/contact"
		if err := srv.App.Contact.SetTopics(ctx, auth.Operator(), o.ID, []string{"Afval & grondstoffen", "Parkeren"}); err != nil {
			t.Fatal(err)
		}

		_, body := srv.Get(t, path)
		page := string(body)
		for _, want := range []string{
			`value="Afval &amp; grondstoffen" required`, `<label for="topic-0">Afval &amp; grondstoffen</label>`,
			`value="Parkeren" required`, `value="other" required`, `<label for="topic-2">Anders</label>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the form lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, `value="general"`) || strings.Contains(page, " checked") {
			t.Errorf("the form offers general or a chosen topic:\n%s", page)
		}

		send := func(topic, email string) (*http.Response, string) {
			t.Helper()
			form := url.Values{"question": {"Wanneer wordt het grofvuil opgehaald?"}, "name": {"Piet Jansen"}, "email": {email},
				"token": {contactToken(t, srv, "rotterdam")}, "website": {""}}
			if topic != "-" {
				form.Set("topic", topic)
			}
			clock.Advance(10 * time.Second)
			resp, body := postForm(t, srv, path, form)
			return resp, string(body)
		}
		for _, tc := range []struct{ name, topic string }{
			{"unknown topic", "Belastingen"},
			{"another case", "parkeren"},
			{"general", "general"},
			{"no topic", "-"},
			{"too long", strings.Repeat("x", 5000)},
		} {
			resp, page := send(tc.topic, "piet@example.org")
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Kies een onderwerp uit de lijst") ||
				!strings.Contains(page, `id="topic-error"`) || !strings.Contains(page, "Wanneer wordt het grofvuil opgehaald?") ||
				!strings.Contains(page, `value="Piet Jansen"`) || !strings.Contains(page, `value="piet@example.org"`) {
				t.Errorf("%s: %d\n%s", tc.name, resp.StatusCode, page)
			}
		}
		if qs := questions(t, srv, o.ID); len(qs) != 0 {
			t.Fatalf("refused questions stored: %+v", qs)
		}
		// The English form names the error in English.
		form := url.Values{"question": {"When?"}, "email": {"jan@example.org"}, "topic": {"Sports"}, "website": {""}}
		_, body = srv.Get(t, path+"?lang=en")
		form.Set("token", html.UnescapeString(tokenField.FindStringSubmatch(string(body))[1]))
		clock.Advance(10 * time.Second)
		if resp, body := postForm(t, srv, path+"?lang=en", form); resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(string(body), "Choose a topic from the list") || !strings.Contains(string(body), `>Other</label>`) {
			t.Errorf("English refusal: %d\n%s", resp.StatusCode, body)
		}

		for _, tc := range []struct{ topic, email string }{{"Afval & grondstoffen", "anna@example.org"}, {"other", "kees@example.org"}} {
			resp, page := send(tc.topic, tc.email)
			if resp.StatusCode != http.StatusOK || !reference.MatchString(page) {
				t.Fatalf("topic %q: %d\n%s", tc.topic, resp.StatusCode, page)
			}
			if qs := questions(t, srv, o.ID); len(qs) == 0 || qs[0].Topic != tc.topic || qs[0].ReplyTo != tc.email {
				t.Errorf("stored for topic %q: %+v", tc.topic, qs)
			}
		}

		// Without topics the form asks a general question, as before.
		if err := srv.App.Contact.SetTopics(ctx, auth.Operator(), o.ID, nil); err != nil {
			t.Fatal(err)
		}
		_, body = srv.Get(t, path)
		if page := string(body); !strings.Contains(page, `value="general" checked>`) || strings.Contains(page, "Parkeren") || strings.Contains(page, `value="other"`) {
			t.Errorf("the form without topics:\n%s", page)
		}
		if resp, page := send("Parkeren", "jan@example.org"); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a removed topic: %d\n%s", resp.StatusCode, page)
		}
		if resp, _ := send("general", "jan@example.org"); resp.StatusCode != http.StatusOK {
			t.Errorf("general without topics: %d", resp.StatusCode)
		}
		if resp, _ := send("-", "jan2@example.org"); resp.StatusCode != http.StatusOK {
			t.Errorf("no topic without topics: %d", resp.StatusCode)
		}
		if qs := questions(t, srv, o.ID); len(qs) != 4 || qs[0].Topic != "general" || qs[1].Topic != "general" {
			t.Errorf("stored without topics: %+v", qs)
		}
	})
}
