package web_test

// Staff and visitor in a real browser: headless Chromium driven through
// chromedp. Each browser has its own profile, so the visitor shares
// nothing with the editor.

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the staff screens to this folder (e.g. ../../docs/screenshots)")

// browserDo runs actions with a time limit, failing the test on error.
func browserDo(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func browserText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func browserHTML(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.OuterHTML("html"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// submit clicks a button that submits a form and waits for the page that
// answers, which must have the status want (after redirects).
func submit(t *testing.T, ctx context.Context, button string, want int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(button))
	if err != nil {
		t.Fatalf("submit with %s: %v", button, err)
	}
	if resp.Status != want {
		t.Fatalf("submit with %s: status %d, want %d", button, resp.Status, want)
	}
}

func browserLogin(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	browserDo(t, ctx,
		chromedp.Navigate(base+"/staff/login?lang=nl"),
		chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", password),
		chromedp.Click("button.primary"),
		chromedp.WaitVisible(chromedp.CSS("nav.sections, #second-factor-later")),
	)
	// An administrator without a second factor is first led to set one
	// up, which may be put off during the grace.
	later, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("second-factor-later") !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if later {
		browserDo(t, ctx, chromedp.Click("#second-factor-later"), chromedp.WaitVisible("nav.sections"))
	}
}

func TestBrowserEditorPublishesAndVisitorReads(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	editor := pleintest.NewBrowser(t)
	base := f.srv.URL
	browserLogin(t, editor, base, "editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])

	img := filepath.Join(t.TempDir(), "brug.png")
	if err := os.WriteFile(img, pngImage(t, 640, 420), 0o644); err != nil {
		t.Fatal(err)
	}
	browserDo(t, editor,
		chromedp.Navigate(base+"/staff/orgs/rotterdam/compose"),
		chromedp.WaitVisible("#text"),
		chromedp.SendKeys("#text", "De **Willemsbrug** is vanavond dicht voor onderhoud."),
		chromedp.SetUploadFiles("#image1", []string{img}),
		chromedp.SendKeys("#alt1", "De Willemsbrug bij avond met afzethekken"),
		// The live preview renders while typing, before any button.
		chromedp.WaitVisible("#preview-body strong"),
	)
	submit(t, editor, `button[value="preview"]`, 200)
	shoot(t, editor, "", "compose")
	if got := browserText(t, editor, "#preview-body strong"); got != "Willemsbrug" {
		t.Fatalf("preview shows %q", got)
	}
	submit(t, editor, `button[value="publish"]`, 200)
	if got := browserText(t, editor, "p.flash"); !strings.Contains(got, "gepubliceerd") {
		t.Fatalf("after publishing: %q", got)
	}
	shoot(t, editor, base+"/staff/orgs/rotterdam/posts", "posts")

	// An editor schedules a post; it appears on the public page at its time.
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := time.Now().Add(4 * time.Second).In(loc).Truncate(time.Second)
	browserDo(t, editor,
		chromedp.Navigate(base+"/staff/orgs/rotterdam/compose"),
		chromedp.WaitVisible("#text"),
		chromedp.SendKeys("#text", "Gepland: de markt verhuist naar de Binnenrotte."),
		chromedp.SetValue("#at", at.Format("2006-01-02T15:04:05")),
	)
	submit(t, editor, `button[value="schedule"]`, 200)
	if got := browserText(t, editor, "p.flash"); !strings.Contains(got, "ingepland") {
		t.Fatalf("after scheduling: %q", got)
	}

	// A visitor in a separate browser reads the post and keeps nothing.
	visitor := pleintest.NewBrowser(t)
	browserDo(t, visitor, chromedp.Navigate(base+"/@rotterdam"), chromedp.WaitVisible("main"))
	page := browserHTML(t, visitor)
	if !strings.Contains(page, "<strong>Willemsbrug</strong>") || !strings.Contains(page, `alt="De Willemsbrug bij avond met afzethekken"`) {
		t.Fatal("the visitor does not see the published post with its alt text")
	}
	pleintest.Eventually(t, 20*time.Second, func() error {
		if strings.Contains(browserHTML(t, visitor), "de markt verhuist") {
			return nil
		}
		browserDo(t, visitor, chromedp.Reload(), chromedp.WaitVisible("main"))
		return errors.New("the scheduled post does not show yet")
	})
	if early := at.Sub(time.Now()); early > 0 {
		t.Fatalf("the scheduled post appeared %v before its time", early)
	}
	cookies, err := chromedp.CallBrowser(visitor, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cookies.Cookies) != 0 {
		t.Fatalf("the visitor's browser holds cookies: %+v", cookies.Cookies)
	}
	staffCookies, err := chromedp.CallBrowser(editor, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range staffCookies.Cookies {
		if c.Path != "/staff" && c.Path != "/staff/login" {
			t.Errorf("staff cookie %s has path %s, outside the staff screens", c.Name, c.Path)
		}
	}
}

func TestBrowserAnalystCannotPublish(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	analyst := pleintest.NewBrowser(t)
	base := f.srv.URL
	browserLogin(t, analyst, base, "analyst@rotterdam.nl", f.passwords["analyst@rotterdam.nl"])
	page := browserHTML(t, analyst)
	if strings.Contains(page, "/compose") || strings.Contains(page, `value="publish"`) {
		t.Fatal("the analyst is offered a way to write posts")
	}
	resp, err := chromedp.RunResponse(analyst, chromedp.Navigate(base+"/staff/orgs/rotterdam/compose"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 403 {
		t.Fatalf("analyst opening compose: %d, want 403", resp.Status)
	}
}

func TestBrowserFormWithoutCSRFTokenIsRefused(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	editor := pleintest.NewBrowser(t)
	base := f.srv.URL
	browserLogin(t, editor, base, "editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"])
	browserDo(t, editor,
		chromedp.Navigate(base+"/staff/orgs/rotterdam/compose"),
		chromedp.WaitVisible("#text"),
		chromedp.SendKeys("#text", "Dit formulier mist zijn token"),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("input[name=csrf]").forEach(e => e.remove())`),
	)
	submit(t, editor, `button[value="publish"]`, 403)
	if posts, _ := f.srv.App.Posts.List(context.Background(), f.org.ID); len(posts) != 0 {
		t.Fatal("the refused form made a post")
	}
}

func TestBrowserTenWrongPasswordsLock(t *testing.T) {
	f := newStaffFixture(t, storetest.Engines()[0])
	b := pleintest.NewBrowser(t)
	base := f.srv.URL
	for i := range 10 {
		browserDo(t, b,
			chromedp.Navigate(base+"/staff/login?lang=nl"),
			chromedp.WaitVisible("#email"),
			chromedp.SendKeys("#email", "editor@rotterdam.nl"),
			chromedp.SendKeys("#password", "wrong-"+strings.Repeat("x", i)),
			chromedp.Click("button.primary"),
			chromedp.WaitVisible("p.form-error"),
		)
	}
	browserDo(t, b,
		chromedp.Navigate(base+"/staff/login?lang=nl"),
		chromedp.WaitVisible("#email"),
		chromedp.SendKeys("#email", "editor@rotterdam.nl"),
		chromedp.SendKeys("#password", f.passwords["editor@rotterdam.nl"]),
		chromedp.Click("button.primary"),
		chromedp.WaitVisible("p.form-error"),
	)
	if msg := browserText(t, b, "p.form-error"); !strings.Contains(msg, "Te veel mislukte pogingen") {
		t.Fatalf("the right password after ten wrong ones: %q", msg)
	}
}

// shoot saves screenshots of url (empty: the page shown now) at 1280 and
// 375 px wide when -screenshots names a folder.
func shoot(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	for _, width := range []int64{1280, 375} {
		browserDo(t, ctx, chromedp.EmulateViewport(width, 900, chromedp.EmulateScale(1)))
		if url != "" {
			browserDo(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible("main"))
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(*screenshots, name+"-"+strconv.FormatInt(width, 10)+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	browserDo(t, ctx, chromedp.EmulateReset())
}
