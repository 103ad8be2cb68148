package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/accessibility"
	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestAccessibilityStatementPage checks the statement at /toegankelijkheid:
// before an administrator entered anything it claims no status; what
// staff enter shows in Dutch and English as soon as it is saved, with
// what Plein knows itself; and the page passes axe-core and reflows at
// 320 CSS pixels.
func TestAccessibilityStatementPage(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	srv := f.srv
	host := strings.TrimPrefix(srv.URL, "http://")
	page := func(path string) string {
		t.Helper()
		resp, body := srv.Get(t, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	has := func(t *testing.T, body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("the page lacks %q", w)
			}
		}
	}

	nl := page("/toegankelijkheid")
	has(t, nl, "<h1>Toegankelijkheidsverklaring</h1>", "Hoofddomein</dt><dd>"+host+"</dd>", `href="/@rotterdam">Gemeente rotterdam</a>`,
		"heeft de status nog niet vastgesteld", "Plein kent zichzelf geen status toe", "Deze verklaring is nog niet ondertekend.",
		"Plein kent geen gepubliceerde afbeeldingen zonder beschrijving.", "axe-core", "320 pixels",
		`href="/toegankelijkheid?lang=en" lang="en"`)
	if strings.Contains(nl, "De status van deze website is") {
		t.Error("the page states a status nobody entered")
	}
	has(t, page("/@rotterdam"), `<a href="/toegankelijkheid">Toegankelijkheid</a>`)
	has(t, page("/@rotterdam?lang=en"), `<a href="/toegankelijkheid?lang=en">Accessibility</a>`)
	has(t, page("/toegankelijkheid?lang=en"), "<h1>Accessibility statement</h1>", "has not determined the status yet")

	// An administrator enters the statement in the staff screens; the
	// cached page is renewed.
	root := f.client(t, "root@plein.nl")
	admin := f.client(t, "admin@rotterdam.nl")
	if resp, _ := admin.get("/staff/admin/accessibility"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an organisation admin opening the statement: %d", resp.StatusCode)
	}
	if _, screen := root.get("/staff/admin/accessibility"); !strings.Contains(screen, `name="status"`) {
		t.Fatal("the staff screen has no status field")
	}
	form := url.Values{"status": {"B"}, "body": {"Gemeente Rotterdam"}, "domains": {"www.rotterdam.nl\nnieuws.rotterdam.nl"},
		"audit-date": {time.Now().AddDate(-4, 0, 0).Format(time.DateOnly)}, "evidence": {"https://www.rotterdam.nl/rapport.pdf"},
		"signed-by": {"Anna de Vries"}, "role": {"gemeentesecretaris"}, "date": {time.Now().AddDate(0, 0, -2).Format(time.DateOnly)},
		"contact": {"rotterdam"}, "email": {"toegankelijkheid@rotterdam.nl"}, "measures": {"Wij laten elk jaar onderzoek doen.\n\nDe redactie volgt een cursus."}}
	resp, screen := root.post("/staff/admin/accessibility", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(screen, "vraagt een onderzoek van minder dan 3 jaar oud") ||
		!strings.Contains(screen, `id="audit-date-error"`) || !strings.Contains(screen, "Anna de Vries") {
		t.Fatalf("status B with an audit four years old: %d", resp.StatusCode)
	}
	auditDate := time.Now().AddDate(-1, 0, 0)
	form.Set("audit-date", auditDate.Format(time.DateOnly))
	if resp, _ := root.post("/staff/admin/accessibility", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the statement: %d", resp.StatusCode)
	}
	pleintest.Eventually(t, 10*time.Second, func() error {
		if body := page("/toegankelijkheid"); !strings.Contains(body, "De status van deze website is B: voldoet gedeeltelijk.") {
			return fmt.Errorf("the page does not show the new status")
		}
		return nil
	})
	nl = page("/toegankelijkheid")
	has(t, nl, "Gemeente Rotterdam wil dat iedereen", "<dd>www.rotterdam.nl</dd><dd>nieuws.rotterdam.nl</dd>",
		`href="https://www.rotterdam.nl/rapport.pdf"`, "door Anna de Vries, gemeentesecretaris.",
		`href="/@rotterdam/contact">Het contactformulier van Gemeente rotterdam</a>`, `href="mailto:toegankelijkheid@rotterdam.nl"`,
		"<p>De redactie volgt een cursus.</p>", "onderzocht volgens WCAG-EM")
	has(t, page("/toegankelijkheid?lang=en"), "The status of this website is B: partially compliant.", "by Anna de Vries, gemeentesecretaris.",
		`href="/@rotterdam/contact?lang=en">The contact form of Gemeente rotterdam</a>`)

	// What Plein knows itself: images without a description, per
	// organisation, renew the page too.
	pleintest.PublishImagesWithoutAlt(t, srv, f.org, 3)
	srv.WaitFresh(t)
	has(t, page("/toegankelijkheid"), "<li>Gemeente rotterdam: 3 afbeeldingen zonder beschrijving</li>")
	has(t, page("/toegankelijkheid?lang=en"), "<li>Gemeente rotterdam: 3 images without a description</li>")

	// The statement of the register alone, from the command line's
	// service.
	if err := srv.App.Accessibility.SetStatement(context.Background(), auth.Operator(),
		accessibility.Statement{RegisterURL: "https://register.example/verklaring/12"}); err != nil {
		t.Fatal(err)
	}
	srv.WaitFresh(t)
	nl = page("/toegankelijkheid")
	has(t, nl, `href="https://register.example/verklaring/12">toegankelijkheidsverklaring in het register</a>`)
	if strings.Contains(nl, "nog niet vastgesteld") || strings.Contains(nl, "De status van deze website is") {
		t.Error("with only a link to the register, the page still speaks of a status")
	}

	browser := pleintest.NewBrowser(t)
	urls := []string{srv.URL + "/toegankelijkheid", srv.URL + "/toegankelijkheid?lang=en"}
	t.Run("reflow", func(t *testing.T) { pleintest.CheckReflow(t, browser, urls...) })
	t.Run("axe", func(t *testing.T) { pleintest.CheckAccessibility(t, browser, urls...) })
}
