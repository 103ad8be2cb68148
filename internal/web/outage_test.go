package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// TestDatabaseOutage cuts a running node's connections to PostgreSQL and
// restores them. While the database is cut, the node serves every public
// page it holds, answers 503 for pages it never rendered, stays ready for
// its load balancer, and tells staff plainly that nothing was saved,
// showing back what they typed. Once the connections are restored, the
// same node, not restarted, serves fresh pages and staff screens again.
//
// PostgreSQL only: SQLite is a file inside the process, with no
// connection to lose.
func TestDatabaseOutage(t *testing.T) {
	ctx := context.Background()
	db := pleintest.NewDatabaseProxy(t)
	srv := pleintest.NewServer(t, storetest.Engines()[1], db.Route)
	// Another node on the same database, past the proxy: it makes the
	// changes the cut node must catch up with.
	other := srv.Open(t, db.Direct)

	o := srv.Org(t, "utrecht")
	first := srv.Post(t, o, "De Domtoren is **gesloten** voor onderhoud.")
	second := srv.Post(t, o, "Het stadhuis is maandag dicht.")
	_, password, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "redactie@utrecht.example", KeepPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), o.ID, "redactie@utrecht.example", model.RoleEditor); err != nil {
		t.Fatal(err)
	}
	editor := newStaffClient(t, srv)
	if resp := editor.login("redactie@utrecht.example", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in: %d", resp.StatusCode)
	}
	if resp, _ := editor.get("/staff/orgs/utrecht/compose"); resp.StatusCode != http.StatusOK {
		t.Fatalf("compose screen: %d", resp.StatusCode)
	}

	// The node renders and holds the organisation's page and the first
	// post's page.
	orgPath, firstPath, secondPath := "/@utrecht", "/@utrecht/"+first.ID, "/@utrecht/"+second.ID
	srv.WaitFresh(t)
	for _, path := range []string{orgPath, firstPath} {
		if resp, body := srv.Get(t, path); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<strong>gesloten</strong>") {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
	}
	// Another node edits the first post; this node sees the change, so
	// the pages it holds are outdated, and cuts before rendering them
	// again.
	if _, err := other.Posts.Edit(ctx, auth.Operator(), first.ID, post.Input{Text: "De Domtoren is **gesloten**, de trap is open."}); err != nil {
		t.Fatal(err)
	}
	srv.WaitFresh(t)

	db.Cut()
	cutAt := time.Now()

	// (a) Pages held answer 200 with their last good version: rendering
	// the new one fails.
	for _, path := range []string{orgPath, firstPath} {
		resp, body := srv.Get(t, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<strong>gesloten</strong> voor onderhoud") {
			t.Errorf("GET %s during the cut: %d, want 200 with the last good version\n%s", path, resp.StatusCode, body)
		}
		if strings.Contains(string(body), "de trap is open") {
			t.Errorf("GET %s during the cut shows the edit, which needs the database: the cut did not hold", path)
		}
	}

	// (b) A page never rendered is unavailable, in either language.
	for _, tc := range []struct{ path, want string }{
		{secondPath, "Tijdelijk niet beschikbaar"},
		{secondPath + "?lang=en", "Temporarily unavailable"},
		{"/@utrecht/privacy", "Tijdelijk niet beschikbaar"},
	} {
		resp, body := srv.Get(t, tc.path)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s during the cut: %d, Retry-After %q, want 503 with Retry-After and %q\n%s",
				tc.path, resp.StatusCode, resp.Header.Get("Retry-After"), tc.want, body)
		}
	}

	// (c) The node stays ready for its load balancer; the database check
	// alerts.
	if resp, body := srv.Get(t, "/readyz"); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "database unreachable") {
		t.Errorf("/readyz during the cut: %d %q, want 200 saying the database is unreachable", resp.StatusCode, body)
	}
	if resp, _ := srv.Get(t, "/readyz/database"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz/database during the cut: %d, want 503", resp.StatusCode)
	}

	// (d) Staff screens say what happened instead of failing bare.
	resp, page := editor.get("/staff/orgs/utrecht/posts")
	checkDatabaseMessage(t, "staff posts during the cut", resp, page, "De database is op dit moment niet bereikbaar")
	typed := "Wegens <storing> is de **Domtoren** dicht & de trap ook."
	resp, page = editor.postMultipart("/staff/orgs/utrecht/compose",
		url.Values{"text": {typed}, "summary": {"Storing"}, "language": {"nl"}, "action": {"publish"}}, nil)
	checkDatabaseMessage(t, "compose during the cut", resp, page, "Er is niets opgeslagen")
	for _, want := range []string{"Wegens &lt;storing&gt; is de **Domtoren** dicht &amp; de trap ook.</textarea>", "Storing</textarea>"} {
		if !strings.Contains(page, want) {
			t.Errorf("compose during the cut does not show back %q\n%s", want, page)
		}
	}
	newcomer := newStaffClient(t, srv)
	if resp, _ := newcomer.get("/staff/login?lang=en"); resp.StatusCode != http.StatusOK {
		t.Errorf("log-in screen during the cut: %d", resp.StatusCode)
	}
	resp, page = newcomer.post("/staff/login?lang=en", url.Values{"email": {"redactie@utrecht.example"}, "password": {password}})
	checkDatabaseMessage(t, "log in during the cut", resp, page, "The database cannot be reached right now. Nothing was saved.")

	// Another node changes the first post during the outage.
	if _, err := other.Posts.Edit(ctx, auth.Operator(), first.ID, post.Input{Text: "De Domtoren is weer **open**."}); err != nil {
		t.Fatal(err)
	}
	if _, body := srv.Get(t, firstPath); !strings.Contains(string(body), "voor onderhoud") {
		t.Error("the cut node shows a change it cannot have read")
	}
	if posts, err := other.Posts.List(ctx, o.ID); err != nil || len(posts) != 2 {
		t.Errorf("%d posts after the cut, err %v: the compose during the cut saved something", len(posts), err)
	}

	// (e) Restored, the same node serves fresh pages: the first read
	// after it has seen the change shows the change.
	db.Restore()
	outage := time.Since(cutAt)
	srv.WaitFresh(t)
	t.Logf("cut for %v; the node saw the change made meanwhile %v after the restore", outage.Round(time.Millisecond),
		(time.Since(cutAt) - outage).Round(time.Millisecond))
	for _, path := range []string{firstPath, orgPath} {
		resp, body := srv.Get(t, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "weer <strong>open</strong>") {
			t.Errorf("first GET %s after the restore: %d, want the change made during the outage\n%s", path, resp.StatusCode, body)
		}
	}
	if resp, body := srv.Get(t, secondPath); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "stadhuis") {
		t.Errorf("GET %s after the restore: %d", secondPath, resp.StatusCode)
	}
	if resp, _ := srv.Get(t, "/readyz/database"); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz/database after the restore: %d", resp.StatusCode)
	}
	if resp, page := editor.get("/staff/orgs/utrecht/posts"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "weer open") {
		t.Errorf("staff posts after the restore: %d", resp.StatusCode)
	}
	resp, _ = editor.postMultipart("/staff/orgs/utrecht/compose",
		url.Values{"text": {"De storing is voorbij."}, "language": {"nl"}, "action": {"publish"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("compose after the restore: %d", resp.StatusCode)
	}
	srv.WaitFresh(t)
	if _, body := srv.Get(t, orgPath); !strings.Contains(string(body), "De storing is voorbij.") {
		t.Error("the post written after the restore is not on the organisation's page")
	}
}

// checkDatabaseMessage checks a staff response during the outage: 503 with
// Retry-After and the plain message, never a bare or technical error.
func checkDatabaseMessage(t *testing.T, what string, resp *http.Response, page, want string) {
	t.Helper()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("%s: %d, Retry-After %q; want 503 with Retry-After\n%s", what, resp.StatusCode, resp.Header.Get("Retry-After"), page)
	}
	if !strings.Contains(page, want) || !strings.Contains(page, `<link rel="stylesheet" href="/staff/static/staff.css">`) {
		t.Errorf("%s: the page lacks %q in the staff layout\n%s", what, want, page)
	}
	for _, never := range []string{"Internal Server Error", "failed to connect", "EOF", "postgres", "dial"} {
		if strings.Contains(page, never) {
			t.Errorf("%s: the page shows %q", what, never)
		}
	}
}
