package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// staffClient is a browser-like HTTP client of the staff interface.
type staffClient struct {
	t    *testing.T
	srv  *pleintest.Server
	http *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func newStaffClient(t *testing.T, srv *pleintest.Server) *staffClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &staffClient{t: t, srv: srv, http: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *staffClient) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return resp, string(b)
}

func (c *staffClient) get(path string) (*http.Response, string) {
	req, err := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form; the CSRF token of the last page is added unless the
// form has a "csrf" key (an empty value sends none).
func (c *staffClient) post(path string, form url.Values) (*http.Response, string) {
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	} else if form.Get("csrf") == "" {
		form.Del("csrf")
	}
	req, err := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postMultipart sends a form with files (field name → file bytes).
func (c *staffClient) postMultipart(path string, form url.Values, files map[string][]byte) (*http.Response, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	form.Set("csrf", c.csrf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, data := range files {
		w, err := mw.CreateFormFile(field, field+".png")
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.srv.URL+path, &b)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func (c *staffClient) login(email, password string) *http.Response {
	c.t.Helper()
	c.get("/staff/login")
	resp, _ := c.post("/staff/login", url.Values{"email": {email}, "password": {password}})
	return resp
}

// staffFixture has an organisation with an editor, an analyst and an
// instance administrator.
type staffFixture struct {
	srv       *pleintest.Server
	org       *model.Org
	passwords map[string]string
}

func newStaffFixture(t *testing.T, e storetest.Engine) *staffFixture {
	return newStaffFixtureWith(t, e, pleintest.Options{})
}

// newStaffFixtureWith is newStaffFixture on a server started with opts.
func newStaffFixtureWith(t *testing.T, e storetest.Engine, opts pleintest.Options) *staffFixture {
	ctx := context.Background()
	srv := pleintest.NewServerWith(t, e, opts)
	f := &staffFixture{srv: srv, org: srv.Org(t, "rotterdam"), passwords: map[string]string{}}
	for _, u := range []struct {
		email string
		role  model.Role
		admin bool
	}{{"editor@rotterdam.nl", model.RoleEditor, false}, {"analyst@rotterdam.nl", model.RoleAnalyst, false},
		{"admin@rotterdam.nl", model.RoleAdmin, false}, {"root@plein.nl", "", true}} {
		_, pw, err := srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: u.email, IsAdmin: u.admin, KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		f.passwords[u.email] = pw
		if u.role != "" {
			if err := srv.App.Auth.AddToOrg(ctx, auth.Operator(), f.org.ID, u.email, u.role); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func (f *staffFixture) client(t *testing.T, email string) *staffClient {
	c := newStaffClient(t, f.srv)
	if resp := c.login(email, f.passwords[email]); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: %d", email, resp.StatusCode)
	}
	return c
}

func TestStaffLogin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		c := newStaffClient(t, f.srv)
		resp, _ := c.get("/staff/orgs/rotterdam/posts")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/staff/login?next=") {
			t.Fatalf("anonymous staff page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		c.get("/staff/login")
		_, wrong := c.post("/staff/login", url.Values{"email": {"editor@rotterdam.nl"}, "password": {"wrong password!"}})
		_, unknown := c.post("/staff/login", url.Values{"email": {"nobody@rotterdam.nl"}, "password": {"wrong password!"}})
		if !strings.Contains(wrong, "onjuist") || !strings.Contains(unknown, "onjuist") {
			t.Fatal("failed log-ins do not show the generic message")
		}
		resp = c.login("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log in: %d", resp.StatusCode)
		}
		var session *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "plein_staff" {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.Path != "/staff" || session.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie %+v", session)
		}
		resp, page := c.get("/staff/orgs/rotterdam/posts")
		if resp.StatusCode != 200 || !strings.Contains(page, "Nieuw bericht") {
			t.Fatalf("posts after log-in: %d", resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("staff Cache-Control %q", cc)
		}
		// The public pages never see the staff cookie: it is scoped to /staff.
		u, _ := url.Parse(f.srv.URL + "/@rotterdam")
		if cookies := c.http.Jar.Cookies(u); len(cookies) != 0 {
			t.Errorf("public page would receive cookies %v", cookies)
		}
		c.post("/staff/logout", url.Values{})
		if resp, _ := c.get("/staff/orgs/rotterdam/posts"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after log-out: %d", resp.StatusCode)
		}
	})
}

func TestStaffCSRF(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	c := f.client(t, "editor@rotterdam.nl")
	c.get("/staff/orgs/rotterdam/compose")
	for _, tc := range []struct {
		name  string
		token string
	}{{"missing", ""}, {"wrong", "not-the-token"}} {
		resp, page := c.post("/staff/orgs/rotterdam/compose", url.Values{"csrf": {tc.token}, "text": {"Zonder token"}, "action": {"publish"}})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "verlopen") {
			t.Errorf("%s token: %d", tc.name, resp.StatusCode)
		}
	}
	// A cross-site browser request is refused before the token is read.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/staff/orgs/rotterdam/compose",
		strings.NewReader(url.Values{"csrf": {c.csrf}, "text": {"x"}, "action": {"publish"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, _ := c.do(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", resp.StatusCode)
	}
	// Log-in form without its token.
	anon := newStaffClient(t, f.srv)
	resp, _ := anon.post("/staff/login", url.Values{"csrf": {""}, "email": {"editor@rotterdam.nl"}, "password": {f.passwords["editor@rotterdam.nl"]}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("log-in without token: %d", resp.StatusCode)
	}
	if posts, _ := f.srv.App.Posts.List(context.Background(), f.org.ID); len(posts) != 0 {
		t.Fatalf("%d posts were made by refused forms", len(posts))
	}
}

func TestStaffRoles(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	analyst := f.client(t, "analyst@rotterdam.nl")
	resp, page := analyst.get("/staff/orgs/rotterdam/posts")
	if resp.StatusCode != 200 || strings.Contains(page, "/compose") {
		t.Errorf("analyst's post list: %d, offers compose: %v", resp.StatusCode, strings.Contains(page, "/compose"))
	}
	if resp, _ := analyst.get("/staff/orgs/rotterdam/compose"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst opening compose: %d", resp.StatusCode)
	}
	if resp, _ := analyst.post("/staff/orgs/rotterdam/compose", url.Values{"text": {"Mag niet"}, "action": {"publish"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("analyst publishing: %d", resp.StatusCode)
	}
	for _, path := range []string{"/staff/orgs/rotterdam/profile", "/staff/orgs/rotterdam/members", "/staff/orgs/rotterdam/audit", "/staff/admin"} {
		if resp, _ := analyst.get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst opening %s: %d", path, resp.StatusCode)
		}
	}
	f.srv.Org(t, "elders")
	editor := f.client(t, "editor@rotterdam.nl")
	if resp, _ := editor.get("/staff/orgs/elders/posts"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor opening another organisation: %d", resp.StatusCode)
	}
}

func TestStaffComposeAndEdit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		c := f.client(t, "editor@rotterdam.nl")
		c.get("/staff/orgs/rotterdam/compose")
		img := pngImage(t, 300, 200)

		// An image without alt text: refused, everything typed and the
		// uploaded image kept, the error next to the field.
		resp, page := c.postMultipart("/staff/orgs/rotterdam/compose",
			url.Values{"text": {"De Erasmusbrug is **dicht**."}, "summary": {""}, "language": {"nl"}, "action": {"publish"}},
			map[string][]byte{"image1": img})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="alt1-error"`) ||
			!strings.Contains(page, "De Erasmusbrug is **dicht**.") || !strings.Contains(page, `name="media1" value="`) {
			t.Fatalf("image without alt: %d\n%s", resp.StatusCode, page)
		}
		mediaID := regexp.MustCompile(`name="media1" value="([0-9a-z]+)"`).FindStringSubmatch(page)[1]

		// Preview shows the rendered text and keeps the form.
		resp, page = c.postMultipart("/staff/orgs/rotterdam/compose", url.Values{"text": {"De Erasmusbrug is **dicht**."},
			"language": {"nl"}, "media1": {mediaID}, "alt1": {"De Erasmusbrug met afzettingen"}, "action": {"preview"}}, nil)
		if resp.StatusCode != 200 || !strings.Contains(page, "<strong>dicht</strong>") || !strings.Contains(page, `alt="De Erasmusbrug met afzettingen"`) {
			t.Fatalf("preview: %d", resp.StatusCode)
		}
		// Publish.
		resp, _ = c.postMultipart("/staff/orgs/rotterdam/compose", url.Values{"text": {"De Erasmusbrug is **dicht**."},
			"language": {"nl"}, "media1": {mediaID}, "alt1": {"De Erasmusbrug met afzettingen"}, "action": {"publish"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", resp.StatusCode)
		}
		_, publicBody := f.srv.Get(t, "/@rotterdam")
		public := string(publicBody)
		if !strings.Contains(public, "<strong>dicht</strong>") || !strings.Contains(public, `alt="De Erasmusbrug met afzettingen"`) {
			t.Fatal("the published post is not on the public page")
		}
		if resp, page := c.get("/staff/orgs/rotterdam/posts"); resp.StatusCode != 200 || !strings.Contains(page, "De Erasmusbrug is dicht") {
			t.Fatalf("list of published posts: %d", resp.StatusCode)
		}
		posts, _ := f.srv.App.Posts.List(context.Background(), f.org.ID)
		if len(posts) != 1 {
			t.Fatalf("%d posts, want 1", len(posts))
		}
		p := posts[0]

		// A schedule time in the past is an error next to the field.
		resp, page = c.postMultipart("/staff/orgs/rotterdam/compose", url.Values{"text": {"Te laat"}, "language": {"nl"},
			"at": {"2020-01-01T10:00"}, "action": {"schedule"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="at-error"`) || !strings.Contains(page, "Te laat") {
			t.Fatalf("schedule in the past: %d", resp.StatusCode)
		}
		// Schedule in the organisation's time zone.
		loc, _ := time.LoadLocation("Europe/Amsterdam")
		at := time.Now().In(loc).Add(48 * time.Hour).Truncate(time.Minute)
		resp, _ = c.postMultipart("/staff/orgs/rotterdam/compose", url.Values{"text": {"Overmorgen"}, "language": {"nl"},
			"at": {at.Format("2006-01-02T15:04")}, "action": {"schedule"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("schedule: %d", resp.StatusCode)
		}
		scheduled, _ := f.srv.App.Posts.List(context.Background(), f.org.ID, model.StateScheduled)
		if len(scheduled) != 1 || !scheduled[0].PublishAt.Equal(at) {
			t.Fatalf("scheduled posts %v, want one at %v", scheduled, at)
		}
		if _, page := c.get("/staff/orgs/rotterdam/posts?state=scheduled"); !strings.Contains(page, at.Format("15:04")) {
			t.Error("the scheduled list does not show the time in the organisation's zone")
		}

		// Edit keeps a version; pin; delete.
		c.get("/staff/orgs/rotterdam/posts/" + p.ID)
		resp, _ = c.postMultipart("/staff/orgs/rotterdam/posts/"+p.ID, url.Values{"text": {"De Erasmusbrug is weer open."},
			"language": {"nl"}, "media1": {mediaID}, "alt1": {"De Erasmusbrug met afzettingen"}, "action": {"save"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if err := f.srv.App.Store.PutReply(context.Background(), &model.Reply{ID: "https://social.example/notes/9", PostID: p.ID,
			ActorID: "https://social.example/users/kim", ContentHTML: "<p>Goed nieuws voor fietsers</p>", State: model.ReplyPending,
			ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		_, page = c.get("/staff/orgs/rotterdam/posts/" + p.ID)
		if !strings.Contains(page, "<p>Goed nieuws voor fietsers</p>") || !strings.Contains(page, "0 keer leuk gevonden, 0 keer gedeeld") {
			t.Error("the edit screen does not show the Fediverse's reactions and replies")
		}
		// Answering the citizen: an empty answer is refused next to its
		// field; a real one is published as a post in reply.
		resp, page = c.post("/staff/orgs/rotterdam/posts/"+p.ID+"/answer", url.Values{"reply": {"https://social.example/notes/9"}, "text": {"  "}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="answer-0-error"`) {
			t.Errorf("empty answer: %d", resp.StatusCode)
		}
		resp, _ = c.post("/staff/orgs/rotterdam/posts/"+p.ID+"/answer", url.Values{"reply": {"https://social.example/notes/9"}, "text": {"Nog twee weken."}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("answer: %d", resp.StatusCode)
		}
		if posts, _ := f.srv.App.Posts.List(context.Background(), f.org.ID, model.StatePublished); len(posts) == 0 || posts[0].InReplyTo != "https://social.example/notes/9" {
			t.Error("the answer is not published in reply")
		}
		_, page = c.get("/staff/orgs/rotterdam/posts/" + p.ID)
		if !strings.Contains(page, "Versie 2") || !strings.Contains(page, "weer open") || !strings.Contains(page, "<strong>dicht</strong>") {
			t.Error("the edit screen does not show both versions")
		}
		if resp, _ := c.post("/staff/orgs/rotterdam/posts/"+p.ID+"/pin", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("pin: %d", resp.StatusCode)
		}
		if resp, _ := c.post("/staff/orgs/rotterdam/posts/"+p.ID+"/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("delete: %d", resp.StatusCode)
		}
		if resp, _ := f.srv.Get(t, "/@rotterdam/"+p.ID); resp.StatusCode != http.StatusGone {
			t.Errorf("deleted post: %d", resp.StatusCode)
		}

		// The organisation admin sees every action in the audit log, told
		// as sentences.
		admin := f.client(t, "admin@rotterdam.nl")
		_, page = admin.get("/staff/orgs/rotterdam/audit")
		page = html.UnescapeString(page)
		for _, action := range []string{"publiceerde het bericht ‘", "schreef het bericht ‘", "bewerkte het bericht ‘",
			"zette het bericht ‘", "verwijderde het bericht ‘", "beantwoordde een reactie met het bericht ‘",
			"gaf <a href=\"/staff/orgs/rotterdam/members\">editor@rotterdam.nl</a> de rol redacteur."} {
			if !strings.Contains(page, action) {
				t.Errorf("audit log lacks %s", action)
			}
		}
	})
}

func TestStaffAdministration(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	root := f.client(t, "root@plein.nl")
	root.get("/staff/admin")
	resp, page := root.post("/staff/admin/orgs", url.Values{"handle": {"rotterdam"}, "name": {"Dubbel"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="handle-error"`) || !strings.Contains(page, `value="Dubbel"`) {
		t.Errorf("duplicate handle: %d", resp.StatusCode)
	}
	if resp, _ := root.post("/staff/admin/orgs", url.Values{"handle": {"schiedam"}, "name": {"Gemeente Schiedam"}}); resp.StatusCode != 200 {
		t.Errorf("create org: %d", resp.StatusCode)
	}
	resp, page = root.post("/staff/admin/users", url.Values{"email": {"nieuw@schiedam.nl"}, "username": {"Nieuw"}})
	if resp.StatusCode != 200 || !strings.Contains(page, "nieuw@schiedam.nl aangemaakt") {
		t.Fatalf("create user: %d", resp.StatusCode)
	}
	admin := f.client(t, "admin@rotterdam.nl")
	admin.get("/staff/orgs/rotterdam/members")
	resp, page = admin.post("/staff/orgs/rotterdam/members", url.Values{"email": {"niemand@x.nl"}, "role": {"editor"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="email-error"`) {
		t.Errorf("adding an unknown account: %d", resp.StatusCode)
	}
	if resp, _ := admin.post("/staff/orgs/rotterdam/members", url.Values{"email": {"nieuw@schiedam.nl"}, "role": {"moderator"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("adding a member: %d", resp.StatusCode)
	}
	admin.get("/staff/orgs/rotterdam/profile")
	resp, page = admin.post("/staff/orgs/rotterdam/profile", url.Values{"name": {"Gemeente Rotterdam"}, "description": {"Nieuws"},
		"links": {"Website = rotterdam.nl"}, "language": {"nl"}, "timezone": {"Europe/Amsterdam"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="links-error"`) || !strings.Contains(page, "Website = rotterdam.nl") {
		t.Errorf("bad link: %d", resp.StatusCode)
	}
	resp, _ = admin.postMultipart("/staff/orgs/rotterdam/profile", url.Values{"name": {"Gemeente Rotterdam"}, "description": {"Nieuws"},
		"links": {"Website = https://www.rotterdam.nl"}, "language": {"nl"}, "timezone": {"Europe/Amsterdam"}},
		map[string][]byte{"avatar": pngImage(t, 200, 200)})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile: %d", resp.StatusCode)
	}
	o, err := f.srv.App.Orgs.ByHandle(context.Background(), "rotterdam")
	if err != nil || o.DisplayName != "Gemeente Rotterdam" || o.AvatarID == "" || len(o.Links) != 1 {
		t.Fatalf("profile not saved: %+v %v", o, err)
	}
	if _, page := admin.get("/staff/orgs/rotterdam/audit"); !strings.Contains(page, "een nieuw logo") ||
		!strings.Contains(page, "Nieuw (nieuw@schiedam.nl)</a> de rol moderator") {
		t.Error("audit log lacks the profile or member change")
	}
	// The installation's log names the new account and who made it.
	if _, page := root.get("/staff/admin"); !strings.Contains(page, "root@plein.nl maakte het account van Nieuw (nieuw@schiedam.nl) aan.") {
		t.Error("the installation's log lacks the new account")
	}
}

func TestStaffChangePassword(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	c := f.client(t, "editor@rotterdam.nl")
	other := f.client(t, "editor@rotterdam.nl") // a second login, elsewhere
	c.get("/staff/password")
	resp, page := c.post("/staff/password", url.Values{"current": {"not my password"}, "new": {"een nieuw lang wachtwoord"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="current-error"`) {
		t.Fatalf("wrong current password: %d", resp.StatusCode)
	}
	resp, page = c.post("/staff/password", url.Values{"current": {f.passwords["editor@rotterdam.nl"]}, "new": {"kort"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="new-error"`) {
		t.Fatalf("short new password: %d", resp.StatusCode)
	}
	resp, _ = c.post("/staff/password", url.Values{"current": {f.passwords["editor@rotterdam.nl"]}, "new": {"een nieuw lang wachtwoord"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/staff/orgs/rotterdam/posts"); resp.StatusCode != 200 {
		t.Errorf("this login ended with the change: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/staff/orgs/rotterdam/posts"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the other login survived the change: %d", resp.StatusCode)
	}
	if resp := newStaffClient(t, f.srv).login("editor@rotterdam.nl", "een nieuw lang wachtwoord"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("log in with the new password: %d", resp.StatusCode)
	}
}

func TestStaffInsights(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		p := f.srv.Post(t, f.org, "De Maasbrug is dicht. #verkeer")
		for range 4 {
			f.srv.Get(t, "/@rotterdam", "Referer", "https://nieuws.example/artikel")
		}
		f.srv.Get(t, "/@rotterdam/"+p.ID)
		f.srv.Get(t, "/@rotterdam/feed.atom")
		f.srv.Get(t, "/@rotterdam/feed.rss")
		if err := f.srv.App.Analytics.Flush(ctx); err != nil {
			t.Fatal(err)
		}

		analyst := f.client(t, "analyst@rotterdam.nl")
		resp, page := analyst.get("/staff/orgs/rotterdam/insights")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("analyst's insights: %d", resp.StatusCode)
		}
		for _, want := range []string{
			`<svg`, `role="img"`, `Paginaweergaven <span class="total">(Totaal: 5)</span>`,
			`Feeds opgehaald (Atom, RSS, JSON, ActivityPub) <span class="total">(Totaal: 2)</span>`,
			// One visitor (every request came from the same address and agent).
			`Bezoekers per dag (schatting) <span class="total">(Totaal: 1)</span>`,
			`<caption>Paginaweergaven</caption>`, `De Maasbrug is dicht.`,
			// Four visits from one host: under the threshold of 5, so "other".
			`overige (elk minder dan 5 bezoeken)`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("insights page lacks %s", want)
			}
		}
		if strings.Contains(page, "nieuws.example") {
			t.Error("a referrer host under the threshold is shown by name")
		}
		if strings.Contains(page, "127.0.0.1") {
			t.Error("the insights page shows a client address")
		}
		resp, csv := analyst.get("/staff/orgs/rotterdam/insights.csv?days=30")
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			len(lines) != 31 || !strings.HasPrefix(lines[0], "day,visitors,views,") || !strings.HasSuffix(lines[30][:len("2006-01-02,1,5")], ",1,5") {
			t.Errorf("csv: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), csv)
		}
		if resp, _ := analyst.get("/staff/orgs/rotterdam/insights?days=12"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a period of 12 days: %d, want 400", resp.StatusCode)
		}
		editor := f.client(t, "editor@rotterdam.nl")
		if resp, page := editor.get("/staff/orgs/rotterdam/posts"); strings.Contains(page, "/insights") || resp.StatusCode != 200 {
			t.Errorf("an editor's menu offers insights")
		}
		for _, path := range []string{"/staff/orgs/rotterdam/insights", "/staff/orgs/rotterdam/insights.csv"} {
			if resp, _ := editor.get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("editor opening %s: %d, want 403", path, resp.StatusCode)
			}
		}
	})
}

// TestStaffHeaderImage sets an organisation's header image from the
// profile screen: without alt text it is refused next to its field, with
// everything typed kept; with alt text the public page shows it, with that
// alt text, and the avatar beside the name and the Fediverse address.
func TestStaffHeaderImage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		admin := f.client(t, "admin@rotterdam.nl")
		admin.get("/staff/orgs/rotterdam/profile")
		form := url.Values{"name": {"Gemeente Rotterdam"}, "description": {"Nieuws uit de stad"}, "language": {"nl"},
			"timezone": {"Europe/Amsterdam"}}
		resp, page := admin.postMultipart("/staff/orgs/rotterdam/profile", form, map[string][]byte{"header": pngImage(t, 1200, 400)})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="header_alt-error"`) ||
			!strings.Contains(page, "Nieuws uit de stad") || !strings.Contains(page, "Beschrijf deze afbeelding") {
			t.Fatalf("header without alt text: %d, want 422 with the error at its field and the form kept", resp.StatusCode)
		}
		form.Set("header_alt", "De Erasmusbrug bij zonsondergang")
		resp, _ = admin.postMultipart("/staff/orgs/rotterdam/profile", form,
			map[string][]byte{"header": pngImage(t, 1200, 400), "avatar": pngImage(t, 200, 200)})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("header with alt text: %d", resp.StatusCode)
		}
		f.srv.WaitFresh(t)
		_, body := f.srv.Get(t, "/@rotterdam")
		for _, want := range []string{`class="banner"`, `alt="De Erasmusbrug bij zonsondergang"`, `class="avatar"`,
			"@rotterdam@" + strings.TrimPrefix(f.srv.URL, "http://")} {
			if !strings.Contains(string(body), want) {
				t.Errorf("organisation page lacks %s", want)
			}
		}
		_, page = admin.get("/staff/orgs/rotterdam/profile")
		if !strings.Contains(page, `alt="De Erasmusbrug bij zonsondergang"`) {
			t.Error("profile screen does not show the current header with its alt text")
		}
		resp, _ = admin.postMultipart("/staff/orgs/rotterdam/profile", url.Values{"name": {"Gemeente Rotterdam"},
			"language": {"nl"}, "timezone": {"Europe/Amsterdam"}, "remove_header": {"1"}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove header: %d", resp.StatusCode)
		}
		f.srv.WaitFresh(t)
		if _, body := f.srv.Get(t, "/@rotterdam"); strings.Contains(string(body), `class="banner"`) {
			t.Error("header still shown after removal")
		}
	})
}

// TestStaffURLEncodedForms posts staff forms as
// application/x-www-form-urlencoded, as a client without file fields may:
// a post without images is published, and a wrong value is a 4xx in the
// staff layout without Go error text.
func TestStaffURLEncodedForms(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	c := f.client(t, "editor@rotterdam.nl")
	c.get("/staff/orgs/rotterdam/compose")
	resp, page := c.post("/staff/orgs/rotterdam/compose", url.Values{"text": {"De Maastunnel is weer open."},
		"summary": {""}, "language": {"nl"}, "action": {"preview"}})
	if resp.StatusCode != 200 || !strings.Contains(page, "De Maastunnel is weer open.") {
		t.Fatalf("urlencoded preview: %d\n%s", resp.StatusCode, page)
	}
	resp, page = c.post("/staff/orgs/rotterdam/compose", url.Values{"text": {"De Maastunnel is weer open."},
		"summary": {""}, "language": {"nl"}, "action": {"publish"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("urlencoded publish: %d\n%s", resp.StatusCode, page)
	}
	posts, err := f.srv.App.Posts.List(context.Background(), f.org.ID)
	if err != nil || len(posts) != 1 || posts[0].State != model.StatePublished {
		t.Fatalf("posts after urlencoded publish: %+v %v", posts, err)
	}
	c.get("/staff/orgs/rotterdam/posts/" + posts[0].ID)
	resp, page = c.post("/staff/orgs/rotterdam/posts/"+posts[0].ID, url.Values{"text": {"De Maastunnel is weer open, ook voor fietsers."},
		"language": {"nl"}, "action": {"save"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("urlencoded edit: %d\n%s", resp.StatusCode, page)
	}

	admin := f.client(t, "admin@rotterdam.nl")
	admin.get("/staff/orgs/rotterdam/members")
	resp, page = admin.post("/staff/orgs/rotterdam/members", url.Values{"email": {"editor@rotterdam.nl"}, "role": {"keizer"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="role-error"`) ||
		strings.Contains(page, "unknown role") || !strings.Contains(page, `href="/staff/static/staff.css"`) {
		t.Errorf("unknown role: %d\n%s", resp.StatusCode, page)
	}
}
