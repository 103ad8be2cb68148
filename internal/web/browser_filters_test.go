package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestBrowserFiltersAndBlocksWithoutJavaScript works the filter and block
// screens in Chromium with scripts turned off: a refuse filter is added, a
// server is blocked to hide its replies, and a Mastodon blocklist is
// uploaded, with its skipped and invalid lines reported.
func TestBrowserFiltersAndBlocksWithoutJavaScript(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	ctx := context.Background()
	admin := pleintest.NewBrowser(t)
	if _, err := chromedp.Call(admin, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	base := f.srv.URL
	browserLogin(t, admin, base, "admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])

	browserDo(t, admin, chromedp.Navigate(base+"/staff/orgs/rotterdam/filters?lang=nl"), chromedp.WaitVisible("main"),
		chromedp.SendKeys("#phrase", "koop nu"), chromedp.Click(`input[name="action"][value="refuse"]`))
	submit(t, admin, "form.form button.primary", 200)
	if msg := browserText(t, admin, "p.flash"); !strings.Contains(msg, "toegevoegd") {
		t.Fatalf("after adding a filter: %q", msg)
	}
	if fs, err := f.srv.App.Moderation.Filters(ctx, auth.Operator(), f.org.ID); err != nil || len(fs) != 1 || fs[0].Action != model.FilterRefuse {
		t.Fatalf("filters %+v %v", fs, err)
	}

	browserDo(t, admin, chromedp.Navigate(base+"/staff/orgs/rotterdam/blocks"))
	browserDo(t, admin, chromedp.WaitVisible("#target"))
	browserDo(t, admin, chromedp.SendKeys("#target", "loud.example"))
	browserDo(t, admin, chromedp.Click(`input[name="mode"][value="hide-replies"]`))
	submit(t, admin, "form.form button.primary", 200)
	if msg := browserText(t, admin, "p.flash"); !strings.Contains(msg, "ingesteld") {
		t.Fatalf("after blocking: %q", msg)
	}

	list := filepath.Join(t.TempDir(), "domain_blocks.csv")
	if err := os.WriteFile(list, []byte("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n"+
		"spam.example,suspend,true,true,Spam,false\nte**.example,suspend,false,false,,true\nnot a domain,silence,false,false,,false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	browserDo(t, admin, chromedp.SetUploadFiles("#file", []string{list}))
	submit(t, admin, `form[enctype="multipart/form-data"] button`, 200)
	if text := browserText(t, admin, "main"); !strings.Contains(text, "1 toegevoegd, 1 overgeslagen, 1 ongeldig") ||
		!strings.Contains(text, "regel 3: te**.example") || !strings.Contains(text, "regel 4: not a domain") {
		t.Fatalf("after the import:\n%s", text)
	}
	blocks, err := f.srv.App.Moderation.Blocks(ctx, auth.Operator(), f.org.ID)
	if err != nil || len(blocks) != 2 {
		t.Fatalf("blocks %+v %v", blocks, err)
	}
}
