package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// setLang switches the client's staff session to lang.
func (c *staffClient) setLang(lang string) {
	c.t.Helper()
	c.get("/staff/password") // a page with the session's CSRF token
	if resp, _ := c.post("/staff/lang", url.Values{"lang": {lang}, "next": {"/staff/"}}); resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("switch to %s: %d", lang, resp.StatusCode)
	}
}

// goText finds text no person should read: Go and decoder error text,
// message keys, formatting mistakes.
var goText = regexp.MustCompile(`png:|jpeg:|gif:|webp:|invalid format|media:|auth:|post:|model\.|%!|\berror\.[a-z]|\bvalue\.[a-z]`)

// TestStaffMessagesInBothLanguages posts bad input to the staff forms in
// Dutch and in English: each refusal is shown next to its field in the
// page's language, never in the other one and never as Go or decoder
// text.
func TestStaffMessagesInBothLanguages(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	broken := pleintest.BrokenPNG(t)
	// staff are the clients of one language.
	type staff struct{ editor, admin, root *staffClient }
	type bad struct {
		name    string
		send    func(c staff) (*http.Response, string)
		errorID string            // id of the message next to the field
		want    map[string]string // by language
	}
	compose := func(form url.Values, files map[string][]byte) func(c staff) (*http.Response, string) {
		return func(c staff) (*http.Response, string) {
			c.editor.get("/staff/orgs/rotterdam/compose")
			return c.editor.postMultipart("/staff/orgs/rotterdam/compose", form, files)
		}
	}
	cases := []bad{
		{"empty text", compose(url.Values{"text": {"  "}, "language": {"nl"}, "action": {"publish"}}, nil), "text-error",
			map[string]string{"nl": "Een bericht heeft tekst nodig.", "en": "A post needs text."}},
		{"text too long", compose(url.Values{"text": {strings.Repeat("a", 99999)}, "language": {"nl"}, "action": {"draft"}}, nil), "text-error",
			map[string]string{"nl": "De tekst is 99999 tekens lang; het maximum is 10000.", "en": "The text is 99999 characters long; the limit is 10000."}},
		{"schedule in the past", compose(url.Values{"text": {"Te laat"}, "language": {"nl"}, "at": {"2020-01-01T10:00"}, "action": {"schedule"}}, nil), "at-error",
			map[string]string{"nl": "1 januari 2020 om 10:00 ligt in het verleden.", "en": "1 January 2020, 10:00 is in the past."}},
		{"damaged PNG", compose(url.Values{"text": {"Kijk"}, "language": {"nl"}, "alt1": {"Een kaart"}, "action": {"publish"}},
			map[string][]byte{"image1": broken}), "image1-error",
			map[string]string{"nl": "image1.png is beschadigd of onvolledig; sla de afbeelding opnieuw op als PNG, JPEG, GIF of WebP.",
				"en": "image1.png is damaged or incomplete; save the image again as PNG, JPEG, GIF or WebP."}},
		{"not an image", compose(url.Values{"text": {"Kijk"}, "language": {"nl"}, "alt1": {"Een brief"}, "action": {"publish"}},
			map[string][]byte{"image1": []byte("%PDF-1.7 een brief")}), "image1-error",
			map[string]string{"nl": "image1.png is geen afbeelding die Plein kan lezen (PNG, JPEG, GIF of WebP).",
				"en": "image1.png is not an image Plein can read (PNG, JPEG, GIF or WebP)."}},
		{"unknown e-mail address", func(c staff) (*http.Response, string) {
			c.admin.get("/staff/orgs/rotterdam/members")
			return c.admin.post("/staff/orgs/rotterdam/members", url.Values{"email": {"niemand@rotterdam.nl"}, "role": {"editor"}})
		}, "email-error", map[string]string{"nl": `Er is geen medewerkersaccount met e-mailadres "niemand@rotterdam.nl".`,
			"en": `No staff account with e-mail address "niemand@rotterdam.nl".`}},
		{"bad link", func(c staff) (*http.Response, string) {
			c.admin.get("/staff/orgs/rotterdam/profile")
			return c.admin.post("/staff/orgs/rotterdam/profile", url.Values{"name": {"Gemeente Rotterdam"},
				"links": {"Website = rotterdam.nl"}, "language": {"nl"}, "timezone": {"Europe/Amsterdam"}})
		}, "links-error", map[string]string{"nl": `"rotterdam.nl" is geen webadres.`, "en": `"rotterdam.nl" is not a web address.`}},
		{"subscriber import without consent", func(c staff) (*http.Response, string) {
			c.admin.get("/staff/orgs/rotterdam/subscribers")
			return c.admin.postMultipart("/staff/orgs/rotterdam/subscribers/import", url.Values{"consent": {""}, "consent_date": {"2024-06-01"}},
				map[string][]byte{"file": []byte("email\nkim@example.org\n")})
		}, "consent-error", map[string]string{"nl": "Beschrijf de toestemming die de abonnees gaven: wie, hoe en wanneer. Er is niets geïmporteerd.",
			"en": "Describe the consent the subscribers gave: who, how and when. Nothing was imported."}},
		{"subscriber file without email column", func(c staff) (*http.Response, string) {
			c.admin.get("/staff/orgs/rotterdam/subscribers")
			return c.admin.postMultipart("/staff/orgs/rotterdam/subscribers/import", url.Values{"consent": {"Nieuwsbrief"}, "consent_date": {"2024-06-01"}},
				map[string][]byte{"file": []byte("adres\nkim@example.org\n")})
		}, "file-error", map[string]string{"nl": "De kopregel heeft geen kolom email.", "en": "The header row has no column email."}},
		{"bad handle", func(c staff) (*http.Response, string) {
			c.root.get("/staff/admin")
			return c.root.post("/staff/admin/orgs", url.Values{"handle": {"Rotterdam Zuid"}, "name": {"Rotterdam-Zuid"}})
		}, "handle-error", map[string]string{"nl": `"rotterdam zuid" is geen geldige handle`, "en": `"rotterdam zuid" is not a valid handle`}},
	}
	for _, lang := range []string{"nl", "en"} {
		other := map[string]string{"nl": "en", "en": "nl"}[lang]
		t.Run(lang, func(t *testing.T) {
			c := staff{f.client(t, "editor@rotterdam.nl"), f.client(t, "admin@rotterdam.nl"), f.client(t, "root@plein.nl")}
			for _, cl := range []*staffClient{c.editor, c.admin, c.root} {
				cl.setLang(lang)
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					resp, page := tc.send(c)
					if resp.StatusCode != http.StatusUnprocessableEntity {
						t.Fatalf("%d, want 422", resp.StatusCode)
					}
					text := html.UnescapeString(page)
					if !strings.Contains(page, `id="`+tc.errorID+`"`) || !strings.Contains(text, tc.want[lang]) {
						t.Errorf("the page lacks %q at %s:\n%s", tc.want[lang], tc.errorID, fieldErrorsOf(text))
					}
					if strings.Contains(text, tc.want[other]) {
						t.Errorf("the %s page shows the %s message %q", lang, other, tc.want[other])
					}
					if m := goText.FindString(text); m != "" {
						t.Errorf("the page shows %q:\n%s", m, fieldErrorsOf(text))
					}
				})
			}
		})
	}
}

var fieldError = regexp.MustCompile(`class="(?:field-error|form-error)"[^>]*>([^<]*)<`)

// fieldErrorsOf returns the messages of a page, for a failure report.
func fieldErrorsOf(page string) string {
	var out []string
	for _, m := range fieldError.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, "\n")
}
