package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// TestStaffAccessibility runs axe-core and the 320 px reflow check on every
// staff screen, as an organisation admin and as an instance administrator.
func TestStaffAccessibility(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	ctx := context.Background()
	p, err := f.srv.App.Posts.Create(ctx, auth.Operator(), f.org.ID, post.Input{Text: "Het **stadhuis** is maandag gesloten.\n\n- Afspraken verzet\n- Bel 14 010"}, post.When{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Posts.Edit(ctx, auth.Operator(), p.ID, post.Input{Text: "Het **stadhuis** is maandag en dinsdag gesloten."}); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.App.Store.PutReply(ctx, &model.Reply{ID: "https://social.example/notes/1", PostID: p.ID,
		ActorID: "https://social.example/users/kim", ContentHTML: "<p>Dank voor de informatie</p>", Summary: "Vraag",
		State: model.ReplyPending, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Posts.Create(ctx, auth.Operator(), f.org.ID, post.Input{Text: "Concept over de marathon"}, post.When{Draft: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Subscriptions.Import(ctx, auth.Operator(), f.org.ID, strings.NewReader("email,tag,frequency\nkim@example.org,afval,weekly\nlonger.address.of.someone@subdomain.example.org,,\n"),
		subscription.ImportOptions{Consent: "Nieuwsbrief", ConsentAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL
	for range 3 { // some views, so the insights charts have data
		f.srv.Get(t, "/@rotterdam")
		f.srv.Get(t, "/@rotterdam/"+p.ID)
	}
	if err := f.srv.App.Analytics.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	anonymous := pleintest.NewBrowser(t)
	pleintest.CheckAccessibility(t, anonymous, base+"/staff/login", base+"/staff/login?lang=en")

	admin := pleintest.NewBrowser(t)
	browserLogin(t, admin, base, "admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])
	org := base + "/staff/orgs/rotterdam"
	screens := []string{org + "/posts", org + "/posts?state=draft", org + "/compose", org + "/posts/" + p.ID,
		org + "/profile", org + "/members", org + "/audit", org + "/insights", org + "/insights?days=90", base + "/staff/password",
		org + "/replies", org + "/replies?state=shown", org + "/inbox", org + "/subscribers"}
	pleintest.CheckReflow(t, admin, screens...)
	pleintest.CheckAccessibility(t, admin, screens...)

	analyst := pleintest.NewBrowser(t) // the subscribers screen with numbers only
	browserLogin(t, analyst, base, "analyst@rotterdam.nl", f.passwords["analyst@rotterdam.nl"])
	pleintest.CheckReflow(t, analyst, org+"/subscribers")
	pleintest.CheckAccessibility(t, analyst, org+"/subscribers")

	root := pleintest.NewBrowser(t)
	browserLogin(t, root, base, "root@plein.nl", f.passwords["root@plein.nl"])
	pleintest.CheckAccessibility(t, root, base+"/staff/admin")
}
