package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestStaffAuditLogReadsAsSentences reads an organisation's audit log in
// Dutch and English: each entry is a sentence naming who did it and what
// about, with a plain-text excerpt of a post rather than its Markdown,
// links to the post, member or organisation while it exists, and no
// action codes or ids.
func TestStaffAuditLogReadsAsSentences(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		f := newStaffFixture(t, e)
		a := f.srv.App.Auth
		if _, _, err := a.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "anna@rotterdam.nl", Name: "Redactie",
			Password: "het wachtwoord van anna", KeepPassword: true}); err != nil {
			t.Fatal(err)
		}
		if err := a.AddToOrg(ctx, auth.Operator(), f.org.ID, "anna@rotterdam.nl", model.RoleEditor); err != nil {
			t.Fatal(err)
		}
		anna := newStaffClient(t, f.srv)
		anna.login("anna@rotterdam.nl", "het wachtwoord van anna")
		anna.get("/staff/orgs/rotterdam/compose")
		text := "Opening **zwembad** De Wielewaal: vanaf zaterdag 1 juni weer open, met [de nieuwe tijden](https://www.rotterdam.nl/zwemmen) voor iedereen"
		if resp, _ := anna.post("/staff/orgs/rotterdam/compose", url.Values{"text": {text}, "language": {"nl"}, "action": {"publish"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", resp.StatusCode)
		}
		posts, err := f.srv.App.Posts.List(ctx, f.org.ID)
		if err != nil || len(posts) != 1 {
			t.Fatalf("posts: %v %v", posts, err)
		}
		p := posts[0]
		if _, err := f.srv.App.Posts.Pin(ctx, auth.Operator(), p.ID, true); err != nil {
			t.Fatal(err)
		}
		gone := f.srv.Post(t, f.org, "Een bericht dat voorgoed verdwijnt")
		if err := f.srv.App.Posts.Purge(ctx, auth.Operator(), gone.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.AddToOrg(ctx, auth.Operator(), f.org.ID, "analyst@rotterdam.nl", model.RoleModerator); err != nil {
			t.Fatal(err)
		}
		analyst, err := a.User(ctx, "analyst@rotterdam.nl")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.RemoveFromOrg(ctx, auth.Operator(), f.org.ID, analyst.ID); err != nil {
			t.Fatal(err)
		}

		postLink := `<a href="/staff/orgs/rotterdam/posts/` + p.ID + `">`
		annaLink := `<a href="/staff/orgs/rotterdam/members">Redactie (anna@rotterdam.nl)</a>`
		excerpt := "Opening zwembad De Wielewaal: vanaf zaterdag 1 juni weer…"
		want := map[string][]string{
			"nl": {
				annaLink + " publiceerde het bericht ‘" + postLink + excerpt + "</a>’.",
				"De beheerder op de opdrachtregel zette het bericht ‘" + postLink + excerpt + "</a>’ vast.",
				"De beheerder op de opdrachtregel wiste een bericht met zijn hele geschiedenis voorgoed.",
				// The analyst is no longer a member: named, not linked.
				"De beheerder op de opdrachtregel gaf analyst@rotterdam.nl de rol moderator.",
				"De beheerder op de opdrachtregel haalde analyst@rotterdam.nl uit de organisatie.",
				"De beheerder op de opdrachtregel gaf " + annaLink + " de rol redacteur.",
				`De beheerder op de opdrachtregel maakte de organisatie <a href="/staff/orgs/rotterdam/profile">Gemeente rotterdam (@rotterdam)</a> aan.`,
			},
			"en": {
				annaLink + " published the post ‘" + postLink + excerpt + "</a>’.",
				"The operator on the command line pinned the post ‘" + postLink + excerpt + "</a>’.",
				"The operator on the command line gave " + annaLink + " the role of editor.",
				"The operator on the command line removed analyst@rotterdam.nl from the organisation.",
			},
		}
		admin := f.client(t, "admin@rotterdam.nl")
		for _, lang := range []string{"nl", "en"} {
			admin.setLang(lang)
			resp, page := admin.get("/staff/orgs/rotterdam/audit")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s audit log: %d", lang, resp.StatusCode)
			}
			page = html.UnescapeString(page)
			for _, w := range want[lang] {
				if !strings.Contains(page, w) {
					t.Errorf("the %s audit log lacks %s", lang, w)
				}
			}
			for _, code := range []string{"post.create.published", "post.pin", "member.set-role", "member.remove", "org.create",
				p.ID + "<", "**zwembad**", "](https://", gone.ID} {
				if strings.Contains(page, code) {
					t.Errorf("the %s audit log shows %q", lang, code)
				}
			}
		}
	})
}
