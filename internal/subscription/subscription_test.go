package subscription_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// syncBuffer is a log that the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestSubscribeConfirmSendUnsubscribe is a citizen's whole way: the form,
// the confirmation mail, a confirmation page that a GET does not confirm,
// the button that does, one mail per post with the list headers, the
// one-click unsubscribe, and no more mail after it. The server's whole log
// never holds an address.
func TestSubscribeConfirmSendUnsubscribe(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		logs := &syncBuffer{}
		srv := pleintest.NewServerWith(t, e, pleintest.Options{Log: logs})
		o := srv.Org(t, "almere")
		anna, bob, carol := "Anna.de.Vries@example.org", "bob@example.net", "carol@example.com"

		resp, body := postForm(t, srv.URL+"/@almere/subscribe", url.Values{"email": {anna}, "frequency": {"now"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Kijk in uw mailbox") {
			t.Fatalf("subscribe: %d %s", resp.StatusCode, body)
		}
		if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
			t.Fatalf("subscribe sets a cookie: %v", c)
		}
		confirmMail := srv.Mail.WaitFor(t, anna, 1)[0]
		if confirmMail.Unsubscribe != "" || confirmMail.ListID != "" || confirmMail.BounceToken == "" || confirmMail.ID == "" {
			t.Errorf("confirmation mail headers: %+v", confirmMail)
		}
		if !strings.Contains(confirmMail.Subject, "Gemeente almere") || confirmMail.FromName != "Gemeente almere" || confirmMail.HTML == "" {
			t.Errorf("confirmation mail: %+v", confirmMail)
		}
		confirm := link(t, srv, confirmMail, "/mail/confirm")

		// Opening the link, as a person or a program checking links does,
		// confirms nothing.
		for range 3 {
			resp, body := get(t, confirm)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<form method="post"`) {
				t.Fatalf("confirmation page: %d %s", resp.StatusCode, body)
			}
			if strings.Contains(body, "<script") || len(resp.Header.Values("Set-Cookie")) > 0 || resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("confirmation page: script, cookie or caching: %v", resp.Header)
			}
		}
		if got := state(t, srv, o, anna); got != model.SubscriptionPending {
			t.Fatalf("after GET: %q, want pending", got)
		}
		resp, body = postForm(t, confirm, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "bevestigd") {
			t.Fatalf("confirm: %d %s", resp.StatusCode, body)
		}
		if got := state(t, srv, o, anna); got != model.SubscriptionActive {
			t.Fatalf("after POST: %q, want active", got)
		}

		subscribe(t, srv, "almere", bob, nil)
		// Carol never confirms.
		postForm(t, srv.URL+"/@almere/subscribe", url.Values{"email": {carol}})
		srv.Mail.WaitFor(t, carol, 1)

		p := srv.Post(t, o, "Het nieuwe **afvalrooster** staat online. #afval")
		waitIdle(t, srv)
		for _, who := range []string{anna, bob} {
			got := carrying(srv, who, "Het nieuwe afvalrooster")
			if len(got) != 1 {
				t.Fatalf("%s got %d mails of the post, want 1", who, len(got))
			}
			m := got[0]
			if m.ListID != "Gemeente almere <almere.127.0.0.1>" || !strings.HasPrefix(m.Unsubscribe, srv.URL+"/mail/unsubscribe?t=") {
				t.Errorf("list headers of the mail to %s: List-Id %q, Unsubscribe %q", who, m.ListID, m.Unsubscribe)
			}
			if m.Text == "" || m.HTML == "" || m.BounceToken == "" || m.Lang != "nl" {
				t.Errorf("mail to %s lacks a part or header: %+v", who, m)
			}
			if !strings.Contains(m.Text, srv.URL+"/@almere/"+p.ID) || !strings.Contains(m.HTML, "<strong>afvalrooster</strong>") {
				t.Errorf("mail to %s: %s\n%s", who, m.Text, m.HTML)
			}
		}
		if got := carrying(srv, carol, "afvalrooster"); len(got) != 0 {
			t.Fatalf("an address never confirmed got the post")
		}

		// One click in the mail program: a POST without cookie, login or
		// token other than the link's, answered 200 without a redirect.
		m := carrying(srv, anna, "afvalrooster")[0]
		req, _ := http.NewRequest(http.MethodPost, m.Unsubscribe, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		uresp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		uresp.Body.Close()
		if uresp.StatusCode != http.StatusOK || len(uresp.Header.Values("Set-Cookie")) > 0 {
			t.Fatalf("one-click unsubscribe: %d %v", uresp.StatusCode, uresp.Header)
		}
		if got := state(t, srv, o, anna); got != "" {
			t.Fatalf("after unsubscribing: %q, want no subscription", got)
		}
		hash, _ := srv.App.Subscriptions.AddressHash(ctx, anna)
		if reason, err := srv.App.Store.Suppression(ctx, o.ID, hash); err != nil || reason != "unsubscribed" {
			t.Fatalf("suppression after unsubscribing: %q, %v", reason, err)
		}
		// The same click again still answers 200.
		if resp, _ := postForm(t, m.Unsubscribe, url.Values{"List-Unsubscribe": {"One-Click"}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("second one-click: %d", resp.StatusCode)
		}

		srv.Post(t, o, "Tweede bericht: de milieustraat is zaterdag open.")
		waitIdle(t, srv)
		if got := carrying(srv, bob, "Tweede bericht"); len(got) != 1 {
			t.Fatalf("bob got %d mails of the second post, want 1", len(got))
		}
		if got := carrying(srv, anna, "Tweede bericht"); len(got) != 0 {
			t.Fatalf("anna got the second post after unsubscribing")
		}

		log := strings.ToLower(logs.String())
		if log == "" {
			t.Fatal("no log captured")
		}
		for _, addr := range []string{anna, bob, carol} {
			if strings.Contains(log, strings.ToLower(addr)) {
				t.Errorf("the log holds %s", addr)
			}
			if strings.Contains(log, strings.ToLower(url.QueryEscape(addr))) {
				t.Errorf("the log holds %s, escaped", addr)
			}
		}
	})
}

// TestSubscribeAtOnce submits one new address many times at the same
// moment: every request succeeds, and the address has one subscription
// and one confirmation mail.
func TestSubscribeAtOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		srv := pleintest.NewServer(t, e)
		o := srv.Org(t, "almere")
		addr := "tegelijk@example.org"
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				errs <- srv.App.Subscriptions.Subscribe(context.Background(), o, subscription.Request{Email: addr})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("subscribe: %v", err)
			}
		}
		waitIdle(t, srv)
		if n := len(srv.Mail.To(addr)); n != 1 {
			t.Errorf("%d confirmation mails, want 1", n)
		}
		if got := state(t, srv, o, addr); got != model.SubscriptionPending {
			t.Errorf("state %q, want pending", got)
		}
	})
}
