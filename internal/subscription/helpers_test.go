package subscription_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// forEachEngine runs fn on both engines, in parallel.
func forEachEngine(t *testing.T, fn func(t *testing.T, e storetest.Engine)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// postForm sends a form to address as a browser without cookies would, and
// returns the response with its body.
func postForm(t testing.TB, address string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := client.PostForm(address, form)
	if err != nil {
		t.Fatalf("POST %s: %v", address, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// get fetches address.
func get(t testing.TB, address string) (*http.Response, string) {
	t.Helper()
	resp, err := client.Get(address)
	if err != nil {
		t.Fatalf("GET %s: %v", address, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// link returns the address of srv under path (such as /mail/confirm) that
// the text part of m holds.
func link(t testing.TB, srv *pleintest.Server, m *mail.Message, path string) string {
	t.Helper()
	return linkIn(t, srv, m.Text, path)
}

// linkIn returns the address of srv under path that text holds.
func linkIn(t testing.TB, srv *pleintest.Server, text, path string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(srv.URL+path) + `\?t=[A-Za-z0-9_-]+(&lang=[a-z]+)?`)
	found := re.FindString(text)
	if found == "" {
		t.Fatalf("no link to %s in %q", path, text)
	}
	return found
}

// texts returns the text parts of the mails address has got, from the
// server's SMTP sink when it sends through a relay, else from its
// MailSink; with n above 0 it first waits until there are n.
func texts(t testing.TB, srv *pleintest.Server, address string, n int) []string {
	t.Helper()
	var out []string
	if srv.SMTP != nil {
		msgs := srv.SMTP.To(address)
		if n > 0 {
			msgs = srv.SMTP.WaitFor(t, address, n)
		}
		for _, m := range msgs {
			out = append(out, m.Part("text/plain"))
		}
		return out
	}
	msgs := srv.Mail.To(address)
	if n > 0 {
		msgs = srv.Mail.WaitFor(t, address, n)
	}
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

// subscribe subscribes address to the organisation handle through the
// form and confirms it through the link in the confirmation mail, as a
// citizen does; form adds fields to the form.
func subscribe(t testing.TB, srv *pleintest.Server, handle, address string, form url.Values) {
	t.Helper()
	before := len(texts(t, srv, address, 0))
	if form == nil {
		form = url.Values{}
	}
	form.Set("email", address)
	resp, body := postForm(t, srv.URL+"/@"+handle+"/subscribe", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("subscribing %s: %d %s", address, resp.StatusCode, body)
	}
	confirm := linkIn(t, srv, texts(t, srv, address, before+1)[before], "/mail/confirm")
	if resp, body := postForm(t, confirm, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("confirming %s: %d %s", address, resp.StatusCode, body)
	}
}

// waitIdle waits until no job is waiting, running or to be retried.
func waitIdle(t testing.TB, srv *pleintest.Server) {
	t.Helper()
	pleintest.Eventually(t, 60*time.Second, func() error {
		counts, err := srv.App.Store.JobCounts(context.Background())
		if err != nil {
			return err
		}
		for _, state := range []string{"available", "running", "retryable", "pending"} {
			if counts[state] > 0 {
				return fmt.Errorf("%d jobs %s", counts[state], state)
			}
		}
		return nil
	})
}

// carrying returns the messages to address whose subject contains s.
func carrying(srv *pleintest.Server, address, s string) []*mail.Message {
	var out []*mail.Message
	for _, m := range srv.Mail.To(address) {
		if strings.Contains(m.Subject, s) {
			out = append(out, m)
		}
	}
	return out
}

// state returns the state of the subscription of address to o, or "" when
// it has none.
func state(t testing.TB, srv *pleintest.Server, o *model.Org, address string) model.SubscriptionState {
	t.Helper()
	ctx := context.Background()
	hash, err := srv.App.Subscriptions.AddressHash(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := srv.App.Store.SubscriptionByEmail(ctx, o.ID, hash)
	if err != nil {
		return ""
	}
	return sub.State
}
