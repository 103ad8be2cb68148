package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"plein/internal/store/storetest"
)

// TestStaffSensitiveConfirmation proves that the compose form does not
// publish a post holding a BSN, an IBAN or a passport number until the
// editor ticks the confirmation the re-shown form offers (no script
// needed), that the warning names what was found in the page's language
// without repeating the numbers, and that the audit log records the
// confirmation.
func TestStaffSensitiveConfirmation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		c := f.client(t, "editor@rotterdam.nl")
		c.get("/staff/orgs/rotterdam/compose")
		text := "Uw BSN 111222333 en IBAN NL91 ABNA 0417 1643 00 hoeven niet in een bericht."
		form := url.Values{"text": {text}, "language": {"nl"}, "action": {"publish"}}

		resp, page := c.post("/staff/orgs/rotterdam/compose", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("publish with a BSN: %d", resp.StatusCode)
		}
		warning := "De tekst lijkt een BSN (burgerservicenummer) en een IBAN (rekeningnummer) te bevatten."
		for _, want := range []string{warning, `id="sensitive-error"`, `name="allow_sensitive"`,
			html.EscapeString(text), `aria-describedby="text-hint sensitive-error"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the re-shown form lacks %q", want)
			}
		}
		if strings.Contains(page, `name="allow_sensitive" value="1" checked`) {
			t.Error("the confirmation is ticked before the editor ticks it")
		}
		if n, _ := f.srv.App.Posts.List(ctx, f.org.ID); len(n) != 0 {
			t.Fatalf("%d posts stored without the confirmation", len(n))
		}
		// In English the same warning reads in English.
		if resp, _ := c.post("/staff/lang", url.Values{"lang": {"en"}, "next": {"/staff/"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("choose English: %d", resp.StatusCode)
		}
		c.get("/staff/orgs/rotterdam/compose")
		resp, page = c.post("/staff/orgs/rotterdam/compose", form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "a BSN (citizen service number) and an IBAN (bank account number)") {
			t.Errorf("English warning: %d", resp.StatusCode)
		}

		form.Set("allow_sensitive", "1")
		if resp, _ := c.post("/staff/orgs/rotterdam/compose", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish with the confirmation: %d", resp.StatusCode)
		}
		posts, err := f.srv.App.Posts.List(ctx, f.org.ID)
		if err != nil || len(posts) != 1 {
			t.Fatalf("posts after the confirmation: %v %v", posts, err)
		}

		admin := f.client(t, "admin@rotterdam.nl")
		_, page = admin.get("/staff/orgs/rotterdam/audit")
		if want := "bevestigde na een waarschuwing dat het bericht"; !strings.Contains(page, want) ||
			!strings.Contains(page, "een BSN (burgerservicenummer) en een IBAN (rekeningnummer) mag bevatten") {
			t.Errorf("the audit log lacks the confirmation:\n%s", page)
		}
		if strings.Contains(page, "111222333") {
			t.Error("the audit log shows the BSN")
		}
	})
}
