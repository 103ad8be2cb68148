package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestBrowserModerationWithoutJavaScript moderates in Chromium with
// scripts turned off: the queue shows the pending replies, a refusal
// without an explanation is refused next to its field, a refusal with one
// and an approval are taken, and the approved reply is on the post's page.
// With -screenshots it saves the queue.
func TestBrowserModerationWithoutJavaScript(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	ctx := context.Background()
	p := f.srv.Post(t, f.org, "De Maasboulevard is zaterdag afgesloten voor de marathon.")
	if err := f.srv.App.Store.PutRemoteActor(ctx, &model.RemoteActor{ID: "https://social.example/users/kim",
		Inbox: "https://social.example/users/kim/inbox", Username: "kim", URL: "https://social.example/@kim", FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Succes met de organisatie!", "Koop goedkope horloges op mijn site"} {
		at := time.Now().Add(time.Duration(i-5) * time.Minute)
		if err := f.srv.App.Store.PutReply(ctx, &model.Reply{ID: "https://social.example/notes/" + text[:4], PostID: p.ID,
			ActorID: "https://social.example/users/kim", ContentHTML: "<p>" + text + "</p>", State: model.ReplyPending,
			Published: at, ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	admin := pleintest.NewBrowser(t)
	if _, err := chromedp.Call(admin, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL
	browserLogin(t, admin, base, "admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])
	queue := base + "/staff/orgs/rotterdam/replies?lang=nl"
	browserDo(t, admin, chromedp.Navigate(queue), chromedp.WaitVisible("main"))
	shoot(t, admin, "", "moderation")
	if html := browserHTML(t, admin); !strings.Contains(html, "Koop goedkope horloges") || !strings.Contains(html, "@kim@social.example") {
		t.Fatalf("queue:\n%s", html)
	}

	// The second reply's form: refuse as illegal without naming the law,
	// then as against the rules.
	browserDo(t, admin, chromedp.Click(`article:nth-of-type(2) input[value="illegal"]`),
		chromedp.SendKeys(`article:nth-of-type(2) textarea`, "Reclame hoort niet onder onze berichten."))
	submit(t, admin, `article:nth-of-type(2) button[value="refuse"]`, 422)
	if msg := browserText(t, admin, "p.field-error"); !strings.Contains(msg, "wettelijke bepaling") {
		t.Fatalf("error next to the law: %q", msg)
	}
	browserDo(t, admin, chromedp.Click(`article:nth-of-type(2) input[value="incompatible"]`))
	submit(t, admin, `article:nth-of-type(2) button[value="refuse"]`, 200)
	if msg := browserText(t, admin, "p.flash"); !strings.Contains(msg, "geweigerd") {
		t.Fatalf("after refusing: %q", msg)
	}
	submit(t, admin, `article:nth-of-type(1) button[value="approve"]`, 200)
	if msg := browserText(t, admin, "p.flash"); !strings.Contains(msg, "goedgekeurd") {
		t.Fatalf("after approving: %q", msg)
	}

	f.srv.WaitFresh(t)
	visitor := pleintest.NewBrowser(t)
	browserDo(t, visitor, chromedp.Navigate(base+"/@rotterdam/"+p.ID), chromedp.WaitVisible("section.replies"))
	if text := browserText(t, visitor, "section.replies"); !strings.Contains(text, "Succes met de organisatie!") || strings.Contains(text, "horloges") {
		t.Fatalf("replies on the post page: %q", text)
	}
}
