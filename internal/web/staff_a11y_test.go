package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/fbimport"
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
	hold, err := f.srv.App.Moderation.AddFilter(ctx, auth.Operator(), f.org.ID, "informatie", model.FilterHold)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.srv.App.Store.PutFilterHits(ctx, "https://social.example/notes/1", []model.FilterHit{{ReplyID: "https://social.example/notes/1",
		FilterID: hold.ID, Phrase: hold.Phrase, Action: hold.Action, MatchedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Moderation.BlockWith(ctx, auth.Operator(), f.org.ID, "loud.example", "Luid", model.BlockHideReplies); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.Moderation.Block(ctx, auth.Operator(), "", "spam.example", "Spam"); err != nil {
		t.Fatal(err)
	}
	// A notice about the pending reply, which its reasons form offers.
	if err := f.srv.App.Store.AddNotice(ctx, &model.Notice{ID: model.NewID(time.Now()), OrgID: f.org.ID, Source: model.NoticeFromForm,
		Objects: []string{"https://social.example/notes/1"}, Content: "Spam", Ground: model.GroundIncompatible, Reference: "M-AAAA-BBBB",
		State: model.NoticeOpen, ReceivedAt: time.Now(), Lang: "nl"}); err != nil {
		t.Fatal(err)
	}
	// Two complaints about refusals: one open, one rejected.
	for i, n := range []string{"a11y-1", "a11y-2"} {
		st := refusedReply(t, f.srv, p, n, time.Now())
		c, err := f.srv.App.Moderation.ComplainFromFediverse(ctx, st.ID, "https://social.example/users/kim", "<p>Ik ben het er niet mee eens.</p>")
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			admin, err := f.srv.App.Auth.ActorFor(ctx, "admin@rotterdam.nl")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.srv.App.Moderation.DecideComplaint(ctx, admin, c.ID, model.ComplaintRejected, "Het besluit blijft."); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := f.srv.App.Posts.Create(ctx, auth.Operator(), f.org.ID, post.Input{Text: "Concept over de marathon"}, post.When{Draft: true}); err != nil {
		t.Fatal(err)
	}
	returned := approvalScreens(t, f, p)
	if _, err := f.srv.App.Subscriptions.Import(ctx, auth.Operator(), f.org.ID, strings.NewReader("email,tag,frequency\nkim@example.org,afval,weekly\nlonger.address.of.someone@subdomain.example.org,,\n"),
		subscription.ImportOptions{Consent: "Nieuwsbrief", ConsentAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(t.TempDir(), "facebook.zip") // an import with an image to describe
	if err := os.WriteFile(export, fbZip(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.App.FBImport.Import(ctx, auth.Operator(), f.org.ID, export, fbimport.Options{}); err != nil {
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
		org + "/replies", org + "/replies?state=shown", org + "/replies?complaints=rejected", org + "/inbox", org + "/filters", org + "/blocks",
		base + "/staff/second-factor", org + "/second-factor",
		org + "/approvals", org + "/posts?state=awaiting", org + "/posts/" + returned.ID, org + "/subscribers", org + "/import"}
	pleintest.CheckReflow(t, admin, screens...)
	pleintest.CheckAccessibility(t, admin, screens...)
	inbox := inboxScreens(t, f, org)
	pleintest.CheckReflow(t, admin, inbox...)
	pleintest.CheckAccessibility(t, admin, inbox...)

	analyst := pleintest.NewBrowser(t) // the subscribers screen with numbers only
	browserLogin(t, analyst, base, "analyst@rotterdam.nl", f.passwords["analyst@rotterdam.nl"])
	pleintest.CheckReflow(t, analyst, org+"/subscribers")
	pleintest.CheckAccessibility(t, analyst, org+"/subscribers")

	root := pleintest.NewBrowser(t)
	browserLogin(t, root, base, "root@plein.nl", f.passwords["root@plein.nl"])
	pleintest.CheckAccessibility(t, root, base+"/staff/admin", base+"/staff/admin/blocks", base+"/staff/admin/second-factor", base+"/staff/admin/accessibility")
	pleintest.CheckReflow(t, root, base+"/staff/admin/blocks", base+"/staff/admin/second-factor", base+"/staff/admin/accessibility")
}
