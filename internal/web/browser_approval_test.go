package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestBrowserApprovalFlow runs four-eyes publishing in Chromium: the admin
// requires approval on the profile screen; an editor's post goes from
// draft to awaiting approval, is returned with a note (by an approver
// whose browser runs no scripts), changed and submitted again, approved
// and then public; the admin's attempt to approve the admin's own post is
// refused next to it.
func TestBrowserApprovalFlow(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	f.addApprover(t, "eind@rotterdam.nl")
	base := f.srv.URL
	org := base + "/staff/orgs/rotterdam"

	admin := pleintest.NewBrowser(t)
	browserLogin(t, admin, base, "admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])
	browserDo(t, admin, chromedp.Navigate(org+"/profile"), chromedp.WaitVisible("#require_approval"), chromedp.Click("#require_approval"))
	submit(t, admin, `form[action$="/approval-policy"] button`, 200)
	if got := browserText(t, admin, "p.flash"); !strings.Contains(got, "goedkeuring is opgeslagen") {
		t.Fatalf("after saving the policy: %q", got)
	}

	editor := pleintest.NewBrowser(t)
	browserLogin(t, editor, base, "editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
	browserDo(t, editor, chromedp.Navigate(org+"/compose"), chromedp.WaitVisible("#text"),
		chromedp.SendKeys("#text", "De Erasmusbrug gaat zondag open voor fietsers."))
	submit(t, editor, `button[value="draft"]`, 200)
	p := f.newestPost(t, "Erasmusbrug")
	if p.State != model.StateDraft {
		t.Fatalf("draft: %s", p.State)
	}
	browserDo(t, editor, chromedp.Navigate(org+"/posts/"+p.ID), chromedp.WaitVisible("#text"))
	submit(t, editor, `button[value="publish"]`, 200)
	if got := browserText(t, editor, "p.flash"); !strings.Contains(got, "ter goedkeuring aangeboden") {
		t.Fatalf("after submitting: %q", got)
	}

	approver := pleintest.NewBrowser(t)
	if _, err := chromedp.Call(approver, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, approver, base, "eind@rotterdam.nl", f.passwords["eind@rotterdam.nl"])
	returnForm := `form[action$="/approvals/` + p.ID + `/return"]`
	browserDo(t, approver, chromedp.Navigate(org+"/approvals"), chromedp.WaitVisible(returnForm+" textarea"),
		chromedp.SendKeys(returnForm+" textarea", "Vanaf hoe laat?"))
	shoot(t, approver, "", "approvals")
	submit(t, approver, returnForm+" button", 200)
	if got := browserText(t, approver, "p.flash"); !strings.Contains(got, "Teruggestuurd") {
		t.Fatalf("after returning: %q", got)
	}

	browserDo(t, editor, chromedp.Navigate(org+"/posts/"+p.ID), chromedp.WaitVisible("section.returned"))
	if note := browserText(t, editor, "section.returned"); !strings.Contains(note, "Vanaf hoe laat?") {
		t.Fatalf("the author does not see the note: %q", note)
	}
	browserDo(t, editor, chromedp.SetValue("#text", "De Erasmusbrug gaat zondag vanaf 10 uur open voor fietsers."))
	submit(t, editor, `button[value="publish"]`, 200)
	if got := browserText(t, editor, "p.flash"); !strings.Contains(got, "ter goedkeuring aangeboden") {
		t.Fatalf("after submitting again: %q", got)
	}

	// The admin writes a post and may not approve it.
	browserDo(t, admin, chromedp.Navigate(org+"/compose"), chromedp.WaitVisible("#text"),
		chromedp.SendKeys("#text", "Mededeling van de beheerder over de brug."))
	submit(t, admin, `button[value="publish"]`, 200)
	own := f.newestPost(t, "Mededeling van de beheerder")
	ownApprove := `form[action$="/approvals/` + own.ID + `/approve"] button`
	browserDo(t, admin, chromedp.Navigate(org+"/approvals"), chromedp.WaitVisible(ownApprove))
	submit(t, admin, ownApprove, 422)
	if got := browserText(t, admin, "p.field-error"); !strings.Contains(got, "mag het daarom niet goedkeuren") {
		t.Fatalf("self-approval refusal: %q", got)
	}
	if st := f.newestPost(t, "Mededeling van de beheerder").State; st != model.StateAwaiting {
		t.Fatalf("after the refusal: %s", st)
	}

	// The approver approves the editor's post; a visitor reads it.
	approve := `form[action$="/approvals/` + p.ID + `/approve"] button`
	browserDo(t, approver, chromedp.Navigate(org+"/approvals"), chromedp.WaitVisible(approve))
	submit(t, approver, approve, 200)
	if got := browserText(t, approver, "p.flash"); !strings.Contains(got, "Goedgekeurd") {
		t.Fatalf("after approving: %q", got)
	}
	f.srv.WaitFresh(t)
	visitor := pleintest.NewBrowser(t)
	browserDo(t, visitor, chromedp.Navigate(base+"/@rotterdam/"+p.ID), chromedp.WaitVisible("main"))
	if page := browserHTML(t, visitor); !strings.Contains(page, "vanaf 10 uur open voor fietsers") {
		t.Fatal("the visitor does not see the approved post")
	}
}
