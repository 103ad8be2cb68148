package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/cli"
	"plein/internal/model"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

var endAction = regexp.MustCompile(`action="(/staff/orgs/rotterdam/subscribers/[0-9A-Za-z]+/end)"`)

// TestStaffSubscribers imports subscribers on the staff screen with a
// stated consent, reports each kind of line, refuses an import without
// consent, exports as the command line does, ends a subscription on a
// subscriber's request so that no more mail goes to it, keeps addresses
// from every role but the organisation's administrators, and writes
// each action to the audit log without an address.
func TestStaffSubscribers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		subs := f.srv.App.Subscriptions
		reader := "lezer@example.org" // subscribed here, with double opt-in
		if resp, _ := postForm(t, f.srv, "/@rotterdam/subscribe", url.Values{"email": {reader}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("subscribe: %d", resp.StatusCode)
		}
		path := confirmLink.FindString(f.srv.Mail.WaitFor(t, reader, 1)[0].Text)
		if resp, _ := postForm(t, f.srv, path, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
		gone, err := subs.AddressHash(ctx, "weg@example.org") // unsubscribed here before
		if err != nil {
			t.Fatal(err)
		}
		if err := f.srv.App.Store.PutSuppression(ctx, f.org.ID, gone, "unsubscribed", time.Now()); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			t.Helper()
			all, err := f.srv.App.Store.ListSubscriptions(ctx, store.SubscriptionFilter{OrgID: f.org.ID})
			if err != nil {
				t.Fatal(err)
			}
			return len(all)
		}

		admin := f.client(t, "admin@rotterdam.nl")
		resp, page := admin.get("/staff/orgs/rotterdam/subscribers")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(page, reader) ||
			!strings.Contains(page, `href="/staff/orgs/rotterdam/subscribers" aria-current="page"`) {
			t.Fatalf("subscribers screen: %d %q\n%s", resp.StatusCode, resp.Header.Get("Cache-Control"), page)
		}

		file := []byte("email,frequency,tag\n" +
			"nieuw@example.org,weekly,#Afval\n" + // 2: added
			reader + ",,\n" + // 3: subscribed already
			"weg@example.org,daily,\n" + // 4: unsubscribed here: left out
			"geen adres,,\n" + // 5: invalid
			"tweede@example.org,now,\n" + // 6: added
			"TWEEDE@example.org,daily,\n" + // 7: twice in the file
			"derde@example.org,now,\n" + // 8: added
			"vierde@example.org,hourly,\n") // 9: invalid frequency
		consent := "Aangemeld voor de nieuwsbrief op www.rotterdam.nl, dubbele opt-in"

		// Without a consent statement, or its date, nothing is imported.
		for _, form := range []url.Values{
			{"consent": {""}, "consent_date": {"2024-06-01"}},
			{"consent": {"  "}, "consent_date": {"2024-06-01"}},
			{"consent": {consent}, "consent_date": {""}},
			{"consent": {consent}, "consent_date": {"2999-01-01"}},
		} {
			resp, page := admin.postMultipart("/staff/orgs/rotterdam/subscribers/import", form, map[string][]byte{"file": file})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Er is niets geïmporteerd.") {
				t.Errorf("import with %v: %d\n%s", form, resp.StatusCode, page)
			}
			if n := count(); n != 1 {
				t.Fatalf("an import without consent stored %d subscriptions", n-1)
			}
		}
		for name, bad := range map[string][]byte{
			"no email column": []byte("adres\nx@example.org\n"),
			"too large":       bytes.Repeat([]byte("x"), 10<<20+1),
		} {
			resp, page := admin.postMultipart("/staff/orgs/rotterdam/subscribers/import",
				url.Values{"consent": {consent}, "consent_date": {"2024-06-01"}}, map[string][]byte{"file": bad})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="file-error"`) {
				t.Errorf("import of a file with %s: %d\n%s", name, resp.StatusCode, page)
			}
		}

		resp, page = admin.postMultipart("/staff/orgs/rotterdam/subscribers/import",
			url.Values{"consent": {consent}, "consent_date": {"2024-06-01"}}, map[string][]byte{"file": file})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("import: %d\n%s", resp.StatusCode, page)
		}
		for _, want := range []string{"Resultaat van de import", "Toegevoegd: 3", "Al aangemeld: 2",
			"Overgeslagen omdat ze zich hier afmeldden of klaagden: 1", "Ongeldig (geen geldig adres, onderwerp, frequentie of toestemming): 2",
			"Ongeldige regels: 5, 9", "nieuw@example.org", "In totaal 4 abonnementen."} {
			if !strings.Contains(page, want) {
				t.Errorf("import report lacks %q", want)
			}
		}
		hash, err := subs.AddressHash(ctx, "nieuw@example.org")
		if err != nil {
			t.Fatal(err)
		}
		sub, err := f.srv.App.Store.SubscriptionByEmail(ctx, f.org.ID, hash)
		if err != nil || sub.State != model.SubscriptionActive || sub.Consent != consent ||
			!sub.ConsentAt.Equal(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)) || sub.Tag != "afval" || sub.Frequency != model.FrequencyWeekly {
			t.Errorf("imported subscription: %+v, %v", sub, err)
		}
		if _, err := f.srv.App.Store.SubscriptionByEmail(ctx, f.org.ID, gone); err == nil {
			t.Error("an address that unsubscribed here was imported")
		}

		// The English screen tells the same in English.
		admin.post("/staff/lang", url.Values{"lang": {"en"}, "next": {"/staff/orgs/rotterdam/subscribers"}})
		_, page = admin.get("/staff/orgs/rotterdam/subscribers")
		for _, want := range []string{"E-mail subscribers", "4 subscriptions in all.", "Active subscribers by topic", "#afval", "Every post", "Weekly digest"} {
			if !strings.Contains(page, want) {
				t.Errorf("English screen lacks %q", want)
			}
		}
		admin.post("/staff/lang", url.Values{"lang": {"nl"}, "next": {"/staff/"}})

		// The export is the command line's export of the same data.
		admin.get("/staff/orgs/rotterdam/subscribers")
		resp, exported := admin.post("/staff/orgs/rotterdam/subscribers/export", url.Values{})
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="subscribers-rotterdam-`) ||
			resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
		}
		var stdout, stderr bytes.Buffer
		args := []string{"subscribers", "export", "--org", "rotterdam", "--data", f.srv.Dir}
		if f.srv.Conf.Database != "" {
			args = append(args, "--database", f.srv.Conf.Database)
		}
		if code := cli.Main(ctx, args, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("plein subscribers export: %d\n%s", code, stderr.String())
		}
		if exported != stdout.String() {
			t.Errorf("the screen's export differs from the command line's:\n%s\nwant\n%s", exported, stdout.String())
		}
		if lines := strings.Count(exported, "\n"); lines != 5 || !strings.HasPrefix(exported, "email,tag,frequency,lang,confirmed_at,consent,consent_at\n") ||
			!strings.Contains(exported, "nieuw@example.org,afval,weekly,nl,") || !strings.Contains(exported, `"`+consent+`",2024-06-01T00:00:00Z`) {
			t.Errorf("export:\n%s", exported)
		}

		// Other roles: an editor may not open the screen; an analyst sees
		// numbers only.
		editor := f.client(t, "editor@rotterdam.nl")
		analyst := f.client(t, "analyst@rotterdam.nl")
		_, _ = editor.get("/staff/orgs/rotterdam/posts")
		_, _ = analyst.get("/staff/orgs/rotterdam/posts")
		for _, c := range []*staffClient{editor, analyst} {
			for _, try := range []func() *http.Response{
				func() *http.Response {
					r, _ := c.postMultipart("/staff/orgs/rotterdam/subscribers/import",
						url.Values{"consent": {consent}, "consent_date": {"2024-06-01"}}, map[string][]byte{"file": []byte("email\nvijfde@example.org\n")})
					return r
				},
				func() *http.Response {
					r, _ := c.post("/staff/orgs/rotterdam/subscribers/export", url.Values{})
					return r
				},
				func() *http.Response {
					r, _ := c.post("/staff/orgs/rotterdam/subscribers/find", url.Values{"email": {reader}})
					return r
				},
				func() *http.Response {
					r, _ := c.post("/staff/orgs/rotterdam/subscribers/"+sub.ID+"/end", url.Values{})
					return r
				},
			} {
				if r := try(); r.StatusCode != http.StatusForbidden {
					t.Errorf("a non-administrator: %d, want 403", r.StatusCode)
				}
			}
		}
		if resp, page := editor.get("/staff/orgs/rotterdam/subscribers"); resp.StatusCode != http.StatusForbidden || strings.Contains(page, "@example.org") {
			t.Errorf("an editor opening the screen: %d", resp.StatusCode)
		}
		if _, page := editor.get("/staff/orgs/rotterdam/posts"); strings.Contains(page, "/subscribers") {
			t.Error("the editor's menu links to the subscribers screen")
		}
		resp, page = analyst.get("/staff/orgs/rotterdam/subscribers")
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "In totaal 4 abonnementen.") || !strings.Contains(page, "U ziet alleen aantallen.") ||
			strings.Contains(page, "@example.org") || strings.Contains(page, "/subscribers/export") {
			t.Errorf("an analyst's screen: %d\n%s", resp.StatusCode, page)
		}
		// An instance administrator who is no member of the organisation
		// sees no addresses either.
		root := f.client(t, "root@plein.nl")
		if resp, page := root.get("/staff/orgs/rotterdam/subscribers"); resp.StatusCode != http.StatusForbidden || strings.Contains(page, "@example.org") {
			t.Errorf("an instance administrator opening the screen: %d", resp.StatusCode)
		}
		if resp, page := root.post("/staff/orgs/rotterdam/subscribers/export", url.Values{}); resp.StatusCode != http.StatusForbidden || strings.Contains(page, "@example.org") {
			t.Errorf("an instance administrator exporting: %d", resp.StatusCode)
		}
		if n := count(); n != 4 {
			t.Errorf("%d subscriptions after the others' attempts, want 4", n)
		}

		// Every form needs the session's CSRF token.
		for _, path := range []string{"/import", "/export", "/find", "/" + sub.ID + "/end"} {
			if resp, page := admin.post("/staff/orgs/rotterdam/subscribers"+path, url.Values{"csrf": {"not-the-token"}, "email": {reader},
				"consent": {consent}, "consent_date": {"2024-06-01"}}); resp.StatusCode != http.StatusForbidden || strings.Contains(page, reader) {
				t.Errorf("%s with a wrong CSRF token: %d", path, resp.StatusCode)
			}
		}
		if n := count(); n != 4 {
			t.Errorf("%d subscriptions after forms without a token, want 4", n)
		}

		// A subscriber asks by telephone to end their subscription: the
		// administrator finds the address and ends it.
		admin.get("/staff/orgs/rotterdam/subscribers")
		resp, page = admin.post("/staff/orgs/rotterdam/subscribers/find", url.Values{"email": {"niemand@example.org"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Er is geen abonnement met dit adres.") {
			t.Errorf("finding an address without subscription: %d", resp.StatusCode)
		}
		if resp, _ := admin.post("/staff/orgs/rotterdam/subscribers/find", url.Values{"email": {"geen adres"}}); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("finding a non-address: %d", resp.StatusCode)
		}
		resp, page = admin.post("/staff/orgs/rotterdam/subscribers/find", url.Values{"email": {"Tweede@example.org"}})
		m := endAction.FindAllStringSubmatch(page, -1)
		if resp.StatusCode != http.StatusOK || len(m) == 0 {
			t.Fatalf("find: %d\n%s", resp.StatusCode, page)
		}
		resp, _ = admin.post(m[0][1], url.Values{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/orgs/rotterdam/subscribers?done=subended" {
			t.Fatalf("end: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, page := admin.get(resp.Header.Get("Location")); !strings.Contains(page, "Het abonnement is beëindigd") || strings.Contains(page, "tweede@example.org") {
			t.Error("after ending: no message, or the address is still listed")
		}
		if resp, _ := admin.post(m[0][1], url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("ending it again: %d, want 404", resp.StatusCode)
		}
		hash, _ = subs.AddressHash(ctx, "tweede@example.org")
		if reason, err := f.srv.App.Store.Suppression(ctx, f.org.ID, hash); err != nil || reason != "unsubscribed" {
			t.Errorf("suppression after ending: %q, %v", reason, err)
		}
		// The next post goes to those who get each post at once, and not
		// to the ended subscription.
		f.srv.Post(t, f.org, "De Erasmusbrug is zondag dicht.")
		f.srv.Mail.WaitFor(t, reader, 2)
		f.srv.Mail.WaitFor(t, "derde@example.org", 1)
		if got := f.srv.Mail.To("tweede@example.org"); len(got) != 0 {
			t.Errorf("%d mails to an ended subscription", len(got))
		}

		// The audit log tells each action, without an address.
		_, log := admin.get("/staff/orgs/rotterdam/audit")
		for _, want := range []string{
			"importeerde 3 e-mailabonnees (2 waren al aangemeld, 1 overgeslagen omdat ze zich hier afmeldden of klaagden, 2 ongeldige regels), met als toestemming ‘" + consent + "’",
			"exporteerde 4 e-mailabonnees als CSV",
			"beëindigde een e-mailabonnement op verzoek van de abonnee",
		} {
			if !strings.Contains(log, want) {
				t.Errorf("audit log lacks %q", want)
			}
		}
		if strings.Contains(log, "@example.org") {
			t.Error("the audit log shows a subscriber's address")
		}
	})
}
