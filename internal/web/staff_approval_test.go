package web_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// addApprover gives the fixture's organisation an approver.
func (f *staffFixture) addApprover(t *testing.T, email string) {
	t.Helper()
	ctx := context.Background()
	_, pw, err := f.srv.App.Auth.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email, Name: "Eindredactie", KeepPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	f.passwords[email] = pw
	if err := f.srv.App.Auth.AddToOrg(ctx, auth.Operator(), f.org.ID, email, model.RoleApprover); err != nil {
		t.Fatal(err)
	}
}

// newestPost returns the id of the organisation's newest post whose text
// has marker.
func (f *staffFixture) newestPost(t *testing.T, marker string) *model.Post {
	t.Helper()
	posts, err := f.srv.App.Posts.List(context.Background(), f.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if strings.Contains(p.Text, marker) {
			return p
		}
	}
	t.Fatalf("no post with %q", marker)
	return nil
}

// TestStaffApprovalFlow follows a post through the staff screens of an
// organisation that requires approval: a draft, submitted, returned with
// a note, changed and submitted again, approved and then public; with
// self-approval refused, forms without a CSRF token refused, and a crisis
// publication with a reason.
func TestStaffApprovalFlow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		f.addApprover(t, "eind@rotterdam.nl")
		admin, editor, approver := f.client(t, "admin@rotterdam.nl"), f.client(t, "editor@rotterdam.nl"), f.client(t, "eind@rotterdam.nl")
		const orgPath = "/staff/orgs/rotterdam"

		// The admin requires approval on the profile screen.
		admin.get(orgPath + "/profile")
		if resp, _ := admin.post(orgPath+"/approval-policy", url.Values{"require_approval": {"1"}, "correction_distance": {"0"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("set policy: %d", resp.StatusCode)
		}
		if _, page := admin.get(orgPath + "/profile?done=approvalpolicy"); !strings.Contains(page, `name="require_approval" value="1" checked`) {
			t.Fatal("the profile screen does not show approval required")
		}
		if resp, _ := editor.post(orgPath+"/approval-policy", url.Values{"csrf": {""}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("policy form without a CSRF token: %d", resp.StatusCode)
		}

		// Draft, then submitted.
		_, page := editor.get(orgPath + "/compose")
		if !strings.Contains(page, "alleen na goedkeuring") {
			t.Error("the compose screen does not say that approval is required")
		}
		if strings.Contains(page, `name="reason"`) {
			t.Error("an editor is offered the crisis reason")
		}
		editor.post(orgPath+"/compose", url.Values{"text": {"Kademuur Maashaven wordt hersteld"}, "action": {"draft"}})
		p := f.newestPost(t, "Kademuur")
		if p.State != model.StateDraft {
			t.Fatalf("draft: %s", p.State)
		}
		editor.get(orgPath + "/posts/" + p.ID)
		resp, _ := editor.post(orgPath+"/posts/"+p.ID, url.Values{"text": {p.Text}, "action": {"publish"}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "state=awaiting") || !strings.Contains(loc, "done=awaiting") {
			t.Fatalf("submit: %d %s", resp.StatusCode, loc)
		}
		if _, page := editor.get(orgPath + "/posts?state=awaiting"); !strings.Contains(page, "Kademuur Maashaven") || !strings.Contains(page, "Wacht op goedkeuring") {
			t.Error("the awaiting tab does not list the post")
		}
		if resp, _ := f.srv.Get(t, "/@rotterdam/"+p.ID); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("a post awaiting approval is public: %d", resp.StatusCode)
		}
		if resp, _ := editor.get(orgPath + "/approvals"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an editor sees the approvals: %d", resp.StatusCode)
		}

		// Returned with a note.
		_, page = approver.get(orgPath + "/approvals")
		if !strings.Contains(page, "Kademuur Maashaven") || !strings.Contains(page, "Goedkeuren en publiceren") {
			t.Fatalf("approvals screen:\n%s", page)
		}
		if resp, page := approver.post(orgPath+"/approvals/"+p.ID+"/return", url.Values{"note": {""}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Schrijf een opmerking") {
			t.Fatalf("return without a note: %d", resp.StatusCode)
		}
		if resp, _ := approver.post(orgPath+"/approvals/"+p.ID+"/return", url.Values{"note": {"Noem de duur van de werkzaamheden"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("return: %d", resp.StatusCode)
		}
		_, page = editor.get(orgPath + "/posts/" + p.ID)
		if !strings.Contains(page, "Noem de duur van de werkzaamheden") || !strings.Contains(page, "Teruggestuurd door Eindredactie") {
			t.Fatal("the author does not see the note")
		}
		if _, page := editor.get(orgPath + "/posts?state=returned"); !strings.Contains(page, "Kademuur Maashaven") {
			t.Error("the returned tab does not list the post")
		}

		// Changed and submitted again, then approved.
		resp, _ = editor.post(orgPath+"/posts/"+p.ID, url.Values{"text": {"Kademuur Maashaven wordt hersteld, van maart tot juni"}, "action": {"publish"}})
		if !strings.Contains(resp.Header.Get("Location"), "state=awaiting") {
			t.Fatalf("resubmit: %s", resp.Header.Get("Location"))
		}
		approver.get(orgPath + "/approvals")
		if resp, _ := approver.post(orgPath+"/approvals/"+p.ID+"/approve", url.Values{"csrf": {""}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("approve without a CSRF token: %d", resp.StatusCode)
		}
		if resp, _ := approver.post(orgPath+"/approvals/"+p.ID+"/approve", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", resp.StatusCode)
		}
		f.srv.WaitFresh(t)
		if resp, body := f.srv.Get(t, "/@rotterdam/"+p.ID); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "van maart tot juni") {
			t.Fatalf("the approved post is not public: %d", resp.StatusCode)
		}

		// Nobody approves their own post, admins included.
		admin.post(orgPath+"/compose", url.Values{"text": {"Bericht van de beheerder"}, "action": {"publish"}})
		own := f.newestPost(t, "Bericht van de beheerder")
		if own.State != model.StateAwaiting {
			t.Fatalf("an admin's post: %s", own.State)
		}
		_, page = admin.get(orgPath + "/approvals")
		if !strings.Contains(page, "U schreef dit zelf") {
			t.Error("the approvals screen does not say the admin wrote it")
		}
		resp, page = admin.post(orgPath+"/approvals/"+own.ID+"/approve", url.Values{})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "mag het daarom niet goedkeuren") {
			t.Fatalf("self-approval: %d", resp.StatusCode)
		}
		if st := f.newestPost(t, "Bericht van de beheerder").State; st != model.StateAwaiting {
			t.Fatalf("after the refused self-approval: %s", st)
		}

		// In a crisis an admin publishes directly, with a reason.
		_, page = admin.get(orgPath + "/compose")
		if !strings.Contains(page, `name="reason"`) {
			t.Fatal("an admin is not offered the crisis reason")
		}
		admin.post(orgPath+"/compose", url.Values{"text": {"Brand in de haven: sluit ramen en deuren"}, "action": {"publish"}, "reason": {"Rookwolk boven Waalhaven"}})
		if st := f.newestPost(t, "Brand in de haven").State; st != model.StatePublished {
			t.Fatalf("crisis publication: %s", st)
		}
		_, page = admin.get(orgPath + "/audit")
		for _, want := range []string{"Rookwolk boven Waalhaven", "Noem de duur van de werkzaamheden", "keurde het bericht"} {
			if !strings.Contains(page, want) {
				t.Errorf("audit screen lacks %q", want)
			}
		}
	})
}

// approvalScreens makes the fixture's organisation require approval and
// fills the screens of approval for the accessibility checks: a post of
// the editor awaiting approval, an edit of the published post pub awaiting
// approval, and a returned post, which it returns.
func approvalScreens(t *testing.T, f *staffFixture, pub *model.Post) *model.Post {
	t.Helper()
	ctx := context.Background()
	f.addApprover(t, "eind@rotterdam.nl")
	if err := f.srv.App.Posts.SetPolicy(ctx, auth.Operator(), f.org.ID, model.ApprovalPolicy{Required: true, CorrectionDistance: 2}); err != nil {
		t.Fatal(err)
	}
	editor, err := f.srv.App.Auth.ActorFor(ctx, "editor@rotterdam.nl")
	if err != nil {
		t.Fatal(err)
	}
	approver, err := f.srv.App.Auth.ActorFor(ctx, "eind@rotterdam.nl")
	if err != nil {
		t.Fatal(err)
	}
	img := post.ImageInput{Upload: bytes.NewReader(pngImage(t, 320, 200)), Name: "park.png", Alt: "Lampions in de bomen van het Museumpark"}
	if _, err := f.srv.App.Posts.Create(ctx, editor, f.org.ID, post.Input{Text: "Het **Museumpark** is zaterdag open tot 23 uur.",
		Summary: "Lichtshow", Images: []post.ImageInput{img}}, post.When{At: time.Now().Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Posts.Edit(ctx, editor, pub.ID, post.Input{Text: "Het **stadhuis** is de hele week gesloten."}); err != nil {
		t.Fatal(err)
	}
	r, err := f.srv.App.Posts.Create(ctx, editor, f.org.ID, post.Input{Text: "Nieuwe afvalkalender"}, post.When{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = f.srv.App.Posts.Return(ctx, approver, r.ID, "Zet de link naar de kalender erbij.\nEn de datum."); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestStaffApprovalMessagesInBothLanguages shows each refusal of approval
// in the page's language, never in the other one and never as Go text.
func TestStaffApprovalMessagesInBothLanguages(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	ctx := context.Background()
	if err := f.srv.App.Posts.SetPolicy(ctx, auth.Operator(), f.org.ID, model.ApprovalPolicy{Required: true}); err != nil {
		t.Fatal(err)
	}
	adminActor, err := f.srv.App.Auth.ActorFor(ctx, "admin@rotterdam.nl")
	if err != nil {
		t.Fatal(err)
	}
	own, err := f.srv.App.Posts.Create(ctx, adminActor, f.org.ID, post.Input{Text: "Eigen bericht"}, post.When{})
	if err != nil {
		t.Fatal(err)
	}
	const orgPath = "/staff/orgs/rotterdam"
	for _, tc := range []struct {
		name     string
		as       string
		send     func(c *staffClient) (*http.Response, string)
		nl, en   string
		wantCode int
	}{
		{"self-approval", "admin@rotterdam.nl", func(c *staffClient) (*http.Response, string) {
			c.get(orgPath + "/approvals")
			return c.post(orgPath+"/approvals/"+own.ID+"/approve", url.Values{})
		}, "U schreef (een deel van) dit bericht zelf", "You wrote (part of) this post yourself", http.StatusUnprocessableEntity},
		{"return without a note", "admin@rotterdam.nl", func(c *staffClient) (*http.Response, string) {
			c.get(orgPath + "/approvals")
			return c.post(orgPath+"/approvals/"+own.ID+"/return", url.Values{"note": {" "}})
		}, "Schrijf een opmerking voor de schrijver", "Write a note for the author", http.StatusUnprocessableEntity},
		{"crisis reason from an editor", "editor@rotterdam.nl", func(c *staffClient) (*http.Response, string) {
			c.get(orgPath + "/compose")
			return c.post(orgPath+"/compose", url.Values{"text": {"Snel"}, "action": {"publish"}, "reason": {"Haast"}})
		}, "Alleen beheerders mogen met een reden direct publiceren", "Only admins may publish directly", http.StatusUnprocessableEntity},
		{"correction distance", "admin@rotterdam.nl", func(c *staffClient) (*http.Response, string) {
			c.get(orgPath + "/profile")
			return c.post(orgPath+"/approval-policy", url.Values{"require_approval": {"1"}, "correction_distance": {"50"}})
		}, "Kies een aantal tekens van 0 tot en met 20", "Choose a number of characters from 0 to 20", http.StatusUnprocessableEntity},
	} {
		for _, lang := range []string{"nl", "en"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				c := f.client(t, tc.as)
				c.setLang(lang)
				resp, page := tc.send(c)
				want, other := tc.nl, tc.en
				if lang == "en" {
					want, other = tc.en, tc.nl
				}
				text := html.UnescapeString(page)
				if resp.StatusCode != tc.wantCode || !strings.Contains(text, want) || strings.Contains(text, other) || goText.MatchString(text) {
					t.Errorf("%d, want %d with %q:\n%s", resp.StatusCode, tc.wantCode, want, page)
				}
			})
		}
	}
}
