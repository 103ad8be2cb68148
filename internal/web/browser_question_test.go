package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestBrowserQuestionFlow runs the contact form and the inbox in Chromium,
// with and without JavaScript: a citizen writes a question with a BSN, is
// warned, removes the number and sends; the confirmation gives a
// reference. An admin opens the question in the inbox and answers it; the
// answer mail, with the reference and without the BSN, arrives at a real
// SMTP server on loopback, as do the acknowledgement and the team's
// notice, neither of which carries what the citizen typed.
func TestBrowserQuestionFlow(t *testing.T) {
	for _, tc := range []struct {
		name    string
		scripts bool
	}{{"with JavaScript", true}, {"without JavaScript", false}} {
		t.Run(tc.name, func(t *testing.T) {
			clock := pleintest.NewClock(time.Now())
			sink := pleintest.NewSMTPSink(t)
			f := newStaffFixtureWith(t, storetest.Engines()[0], pleintest.Options{Now: clock.Now, SMTP: sink})
			base := f.srv.URL
			citizen, admin := pleintest.NewBrowser(t), pleintest.NewBrowser(t)
			if !tc.scripts {
				for _, b := range []context.Context{citizen, admin} {
					if _, err := chromedp.Call(b, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
						t.Fatal(err)
					}
				}
			}

			const question = "Mijn BSN is 111222333. Wanneer wordt mijn paspoort verlengd?"
			browserDo(t, citizen, chromedp.Navigate(base+"/@rotterdam/contact"), chromedp.WaitVisible("#question"),
				chromedp.SendKeys("#question", question), chromedp.SendKeys("#email", "burger@example.org"))
			clock.Advance(time.Minute) // a person takes a while to write
			submit(t, citizen, `form.contact p > button[type="submit"]:not([name])`, 422)
			if warning := browserText(t, citizen, "#sensitive-warning"); !strings.Contains(warning, "BSN") {
				t.Fatalf("warning: %q", warning)
			}
			// The citizen takes the number out of the question.
			browserDo(t, citizen, chromedp.SetValue("#question", "Wanneer wordt mijn paspoort verlengd?"))
			clock.Advance(10 * time.Second) // the warning's form is a new form, read and changed
			submit(t, citizen, `form.contact p > button[type="submit"]:not([name])`, 200)
			confirmation := browserText(t, citizen, "p.notice")
			ref := strings.TrimSuffix(strings.Fields(confirmation[strings.Index(confirmation, "V-"):])[0], ".")
			if !strings.HasPrefix(ref, "V-") {
				t.Fatalf("confirmation: %q", confirmation)
			}

			browserLogin(t, admin, base, "admin@rotterdam.nl", f.passwords["admin@rotterdam.nl"])
			browserDo(t, admin, chromedp.Navigate(base+"/staff/orgs/rotterdam/inbox?lang=nl"), chromedp.WaitVisible("main"))
			if html := browserHTML(t, admin); !strings.Contains(html, ref) || strings.Contains(html, "111222333") {
				t.Fatalf("inbox:\n%s", html)
			}
			browserDo(t, admin, chromedp.Click(`a[href*="/inbox/"]:not([href$="/saved"]):not([href$="/settings"])`), chromedp.WaitVisible("#answer"),
				chromedp.SendKeys("#answer", "Uw paspoort is volgende week klaar."))
			submit(t, admin, `form[action$="/answer"] button[type="submit"]`, 200)
			if msg := browserText(t, admin, "p.flash"); !strings.Contains(msg, "e-mail") {
				t.Fatalf("after answering: %q", msg)
			}

			msgs := sink.WaitFor(t, "burger@example.org", 2)
			var answer string
			for _, m := range msgs {
				text := m.Part("text/plain")
				if strings.Contains(text, "paspoort") && !strings.Contains(text, "volgende week") {
					t.Errorf("the acknowledgement carries the question:\n%s", text)
				}
				if strings.Contains(text, "Uw paspoort is volgende week klaar.") {
					answer = text
					if !strings.Contains(m.Subject(), ref) {
						t.Errorf("answer subject %q lacks %s", m.Subject(), ref)
					}
				}
			}
			if answer == "" || strings.Contains(answer, "111222333") {
				t.Fatalf("answer mail:\n%v", answer)
			}
			notice := sink.WaitFor(t, "admin@rotterdam.nl", 1)[0].Part("text/plain")
			if !strings.Contains(notice, ref) || strings.Contains(notice, "paspoort") || strings.Contains(notice, "burger@example.org") {
				t.Errorf("team notice:\n%s", notice)
			}
		})
	}
}
