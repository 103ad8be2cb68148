package subscription_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/jackc/pgx/v5"

	"plein/internal/auth"
	"plein/internal/insights"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// The tests in this file send through Plein's own relay client (mail.Relay,
// with its pool, rate limit and DKIM signing) to a real SMTP server on
// loopback, and read what arrives on the wire.

// relayServer starts Plein on e sending its mail to a new SMTP sink; now,
// when set, is its clock.
func relayServer(t *testing.T, e storetest.Engine, now func() time.Time) (*pleintest.Server, *pleintest.SMTPSink) {
	t.Helper()
	sink := pleintest.NewSMTPSink(t)
	return pleintest.NewServerWith(t, e, pleintest.Options{SMTP: sink, Now: now}), sink
}

// verifyDKIM checks both signatures of m with go-msgauth, which shares no
// code with Plein's signer, against the DNS records of the keys the test
// gave the server, and that each signs the list headers.
func verifyDKIM(t testing.TB, m pleintest.SMTPMessage) {
	t.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(m.Data), &dkim.VerifyOptions{LookupTXT: pleintest.DKIMLookup})
	if err != nil {
		t.Fatalf("DKIM: %v", err)
	}
	if len(vs) != 2 {
		t.Fatalf("%d DKIM signatures, want 2 (RSA and Ed25519)", len(vs))
	}
	for _, v := range vs {
		if v.Err != nil {
			t.Errorf("DKIM signature of %s does not verify: %v", v.Domain, v.Err)
		}
		if v.Domain != "plein.example" {
			t.Errorf("DKIM d=%s, want the domain of From", v.Domain)
		}
		if m.Header().Get("List-Unsubscribe") == "" {
			continue
		}
		for _, h := range []string{"from", "list-unsubscribe", "list-unsubscribe-post", "list-id"} {
			if !slices.Contains(v.HeaderKeys, h) {
				t.Errorf("DKIM signature does not cover %s: h=%v", h, v.HeaderKeys)
			}
		}
	}
}

// onWire returns the messages sink kept for address whose subject
// contains s.
func onWire(sink *pleintest.SMTPSink, address, s string) []pleintest.SMTPMessage {
	var out []pleintest.SMTPMessage
	for _, m := range sink.To(address) {
		if strings.Contains(m.Subject(), s) {
			out = append(out, m)
		}
	}
	return out
}

// urls returns the web addresses a text holds.
func urls(text string) []string {
	return regexp.MustCompile(`https?://[^\s<>"]+`).FindAllString(text, -1)
}

// TestSubscriptionOverSMTP is a citizen's whole way, with the mail read from
// a real SMTP server: the form, the confirmation mail, a confirmation page
// that a GET does not confirm, the button that does; one mail of a post
// with text and HTML parts, signed with DKIM as an independent verifier
// checks, with the list headers and no tracking; the one-click
// unsubscribe of RFC 8058 at the List-Unsubscribe address; no mail after
// it.
func TestSubscriptionOverSMTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		srv, sink := relayServer(t, e, nil)
		o := srv.Org(t, "almere")
		anna, bob := "anna@example.org", "bob@example.net"

		resp, body := postForm(t, srv.URL+"/@almere/subscribe", url.Values{"email": {anna}})
		if resp.StatusCode != http.StatusOK || len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Fatalf("subscribe: %d %v %s", resp.StatusCode, resp.Header, body)
		}
		confirmMail := sink.WaitFor(t, anna, 1)[0]
		if got := confirmMail.To; len(got) != 1 || got[0] != anna {
			t.Errorf("envelope recipients %v, want %s", got, anna)
		}
		// The envelope sender names the subscription for bounces (VERP).
		if !strings.HasPrefix(confirmMail.From, "nieuws+b-") || !strings.HasSuffix(confirmMail.From, "@plein.example") ||
			mail.BounceTokenOf(confirmMail.From) == "" {
			t.Errorf("envelope sender %q is not a bounce address of %s", confirmMail.From, pleintest.SMTPFrom)
		}
		verifyDKIM(t, confirmMail)
		confirm := linkIn(t, srv, confirmMail.Part("text/plain"), "/mail/confirm")
		for range 2 {
			resp, body := get(t, confirm)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<form method="post"`) {
				t.Fatalf("confirmation page: %d %s", resp.StatusCode, body)
			}
		}
		if got := state(t, srv, o, anna); got != model.SubscriptionPending {
			t.Fatalf("after GET: %q, want pending", got)
		}
		if resp, body := postForm(t, confirm, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "bevestigd") {
			t.Fatalf("confirm: %d %s", resp.StatusCode, body)
		}
		if got := state(t, srv, o, anna); got != model.SubscriptionActive {
			t.Fatalf("after POST: %q, want active", got)
		}
		subscribe(t, srv, "almere", bob, nil)

		p := srv.Post(t, o, "Het nieuwe **afvalrooster** staat online. #afval")
		waitIdle(t, srv)
		postURL, tagURL := srv.URL+"/@almere/"+p.ID, srv.URL+"/@almere/tags/afval"
		// perRecipient are the links of each mail that no other mail has.
		perRecipient := map[string][]string{}
		shared := map[string][]string{}
		for _, who := range []string{anna, bob} {
			got := onWire(sink, who, "Het nieuwe afvalrooster")
			if len(got) != 1 {
				t.Fatalf("%s got %d mails of the post, want 1", who, len(got))
			}
			m := got[0]
			verifyDKIM(t, m)
			h := m.Header()
			if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "multipart/alternative" {
				t.Errorf("Content-Type %q, want multipart/alternative", h.Get("Content-Type"))
			}
			text, html := m.Part("text/plain"), m.Part("text/html")
			if !strings.Contains(text, "afvalrooster") || !strings.Contains(html, "<strong>afvalrooster</strong>") {
				t.Errorf("the parts of the mail to %s:\n%s\n%s", who, text, html)
			}
			unsubscribe := strings.Trim(h.Get("List-Unsubscribe"), "<>")
			if !strings.HasPrefix(unsubscribe, srv.URL+"/mail/unsubscribe?t=") || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" ||
				h.Get("List-Id") != "Gemeente almere <almere.127.0.0.1>" {
				t.Errorf("list headers of the mail to %s: %q, %q, %q", who, h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"), h.Get("List-Id"))
			}
			// No tracking: the HTML loads nothing, and every link is the
			// plain address of the post, its hashtag or the subscriber's
			// page to change or end the subscription.
			links := append(loadsNothing(t, html), urls(text)...)
			for _, l := range links {
				switch {
				case l == postURL || l == tagURL:
					shared[who] = append(shared[who], l)
				case strings.HasPrefix(l, srv.URL+"/mail/manage?t="):
					perRecipient[who] = append(perRecipient[who], l)
				default:
					t.Errorf("the mail to %s links to %q", who, l)
				}
			}
		}
		if !slices.Equal(shared[anna], shared[bob]) || len(shared[anna]) == 0 {
			t.Errorf("the shared links differ: %v and %v", shared[anna], shared[bob])
		}
		for _, who := range []string{anna, bob} {
			slices.Sort(perRecipient[who])
			perRecipient[who] = slices.Compact(perRecipient[who])
		}
		if a, b := perRecipient[anna], perRecipient[bob]; len(a) != 1 || len(b) != 1 || a[0] == b[0] {
			t.Errorf("the links of each subscriber's own: %v and %v; want one manage link each", a, b)
		}

		// One click in the mail program: a POST to the List-Unsubscribe
		// address, without cookie or login, answered without a redirect.
		annaMail := sink.To(anna)[len(sink.To(anna))-1]
		unsubscribe := strings.Trim(annaMail.Header().Get("List-Unsubscribe"), "<>")
		req, _ := http.NewRequest(http.MethodPost, unsubscribe, strings.NewReader("List-Unsubscribe=One-Click"))
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

		before := len(sink.To(anna))
		srv.Post(t, o, "Tweede bericht: de milieustraat is zaterdag open.")
		waitIdle(t, srv)
		sink.WaitFor(t, bob, 3) // confirmation, post, second post
		if n := len(sink.To(anna)); n != before {
			t.Errorf("anna got %d mails after unsubscribing", n-before)
		}
	})
}

// TestDigestOverSMTP sends a daily digest at 07:00 in the organisation's
// time zone, by a clock the test moves, through the relay: nothing at
// 06:59, one signed digest with both posts at seven, dated by that clock,
// and nothing more when the job runs again in the same period.
func TestDigestOverSMTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		// Sunday 3 May 2026, 10:00 in Amsterdam.
		clock := pleintest.NewClock(time.Date(2026, 5, 3, 10, 0, 0, 0, ams))
		srv, sink := relayServer(t, e, clock.Now)
		o := srv.Org(t, "almere")
		daily, each := "dag@example.org", "direct@example.org"
		subscribe(t, srv, "almere", daily, url.Values{"frequency": {"daily"}})
		subscribe(t, srv, "almere", each, nil)

		clock.Advance(time.Hour)
		srv.Post(t, o, "De containers worden maandag geleegd.")
		clock.Advance(time.Minute)
		srv.Post(t, o, "De Stationsstraat is afgesloten.")
		waitIdle(t, srv)
		sink.WaitFor(t, each, 3)
		if n := len(sink.To(daily)); n != 1 {
			t.Fatalf("the daily subscriber got %d mails before the digest, want only the confirmation", n)
		}

		digest := func() {
			t.Helper()
			if _, err := srv.App.Subscriptions.Digest(ctx); err != nil {
				t.Fatal(err)
			}
			waitIdle(t, srv)
		}
		clock.Advance(time.Date(2026, 5, 4, 6, 59, 0, 0, ams).Sub(clock.Now()))
		digest()
		if n := len(sink.To(daily)); n != 1 {
			t.Fatalf("%d mails to the daily subscriber at 06:59", n)
		}
		clock.Advance(time.Minute)
		digest()
		got := sink.WaitFor(t, daily, 2)
		if len(got) != 2 {
			t.Fatalf("%d mails to the daily subscriber at seven, want the confirmation and one digest", len(got))
		}
		m := got[1]
		verifyDKIM(t, m)
		if s := m.Subject(); s != "Gemeente almere: berichten van 4 mei 2026" {
			t.Errorf("digest subject %q", s)
		}
		if d, err := m.Header().Date(); err != nil || !d.Equal(clock.Now()) {
			t.Errorf("digest Date %v (%v), want the clock's %v", d, err, clock.Now())
		}
		text := m.Part("text/plain")
		if i, j := strings.Index(text, "containers"), strings.Index(text, "Stationsstraat"); i < 0 || j < i {
			t.Errorf("the digest does not hold both posts, oldest first:\n%s", text)
		}
		if !strings.Contains(m.Part("text/html"), "Stationsstraat") || m.Header().Get("List-Unsubscribe-Post") == "" {
			t.Errorf("the digest lacks its HTML part or list headers")
		}
		if n := len(sink.To(each)); n != 3 {
			t.Errorf("the subscriber of each post has %d mails, want 3: no digest", n)
		}
		clock.Advance(5 * time.Minute)
		digest()
		if n := len(sink.To(daily)); n != 2 {
			t.Errorf("%d mails to the daily subscriber after the job ran again, want 2", n)
		}
	})
}

// importActive subscribes n addresses to o at once, as an import with
// stated consent does, and returns them.
func importActive(t *testing.T, srv *pleintest.Server, o *model.Org, n int) []string {
	t.Helper()
	var csv strings.Builder
	csv.WriteString("email\n")
	var addrs []string
	for i := range n {
		addrs = append(addrs, fmt.Sprintf("inwoner%d@example.org", i))
		csv.WriteString(addrs[i] + "\n")
	}
	res, err := srv.App.Subscriptions.Import(context.Background(), auth.Operator(), o.ID, strings.NewReader(csv.String()),
		subscription.ImportOptions{Consent: "Nieuwsbrief, dubbele opt-in", ConsentAt: srv.App.Now()})
	if err != nil || res.Imported != n {
		t.Fatalf("import: %+v, %v", res, err)
	}
	return addrs
}

// waitSent waits until no job is waiting, running or to be retried,
// making sending jobs that wait for their retry runnable at once: River
// would run them after its backoff, which is longer than a test.
func waitSent(t *testing.T, srv *pleintest.Server) {
	t.Helper()
	ctx := context.Background()
	pleintest.Eventually(t, 60*time.Second, func() error {
		counts, err := srv.App.Store.JobCounts(ctx)
		if err != nil {
			return err
		}
		if counts["retryable"] > 0 {
			if _, err := srv.App.Store.RetryJobs(ctx, subscription.SendArgs{}.Kind(), "item", []string{"post:"}, 10); err != nil {
				return err
			}
		}
		for _, state := range []string{"available", "running", "retryable", "pending"} {
			if counts[state] > 0 {
				return fmt.Errorf("%d jobs %s", counts[state], state)
			}
		}
		return nil
	})
}

// TestRelayFailuresMidSend has the SMTP server fail in the middle of a
// post's batch the ways relays do. Temporary refusals (451 at RCPT and
// after the data) and a lost acceptance (the message kept, the connection
// dropped before the reply) end the job's run, and its retries send only
// what is left: in the end every subscriber has the post once, except
// that the one whose acceptance was lost may have it twice with the same
// Message-ID. Refusals for good (550 at RCPT, 554 after the data) are not
// tried again and are counted.
func TestRelayFailuresMidSend(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		srv, sink := relayServer(t, e, nil)
		o := srv.Org(t, "almere")
		addrs := importActive(t, srv, o, 8)

		for _, tc := range []struct {
			name   string
			faults map[int]pleintest.SMTPFault
			// refused is how many subscribers the relay refused for good.
			refused int
		}{
			{"temporary refusals and a lost acceptance", map[int]pleintest.SMTPFault{
				2: pleintest.SMTPTempFailRcpt, 4: pleintest.SMTPLoseAcceptance, 7: pleintest.SMTPTempFailData}, 0},
			{"refusals for good", map[int]pleintest.SMTPFault{
				3: pleintest.SMTPRejectRcpt, 6: pleintest.SMTPRejectData}, 2},
		} {
			sink.SetFaults(tc.faults)
			text := "Bericht bij " + tc.name
			p := srv.Post(t, o, text)
			waitSent(t, srv)
			sink.SetFaults(nil)

			var ids []string
			lost, missing := 0, 0
			for _, addr := range addrs {
				got := onWire(sink, addr, text)
				switch {
				case len(got) == 0:
					missing++
					continue
				case len(got) == 2 && got[0].AcceptanceLost && got[1].MessageID() == got[0].MessageID():
					lost++
				case len(got) != 1 || got[0].AcceptanceLost:
					t.Errorf("%s: %s got %d copies (acceptance lost: %v)", tc.name, addr, len(got), got[0].AcceptanceLost)
				}
				if id := got[0].MessageID(); id == "" || slices.Contains(ids, id) {
					t.Errorf("%s: %s got Message-ID %q, empty or another's", tc.name, addr, id)
				} else {
					ids = append(ids, id)
				}
			}
			wantLost := 0
			for _, f := range tc.faults {
				if f == pleintest.SMTPLoseAcceptance {
					wantLost++
				}
			}
			if lost != wantLost || missing != tc.refused {
				t.Errorf("%s: %d sent again after a lost acceptance, %d missing; want %d and %d", tc.name, lost, missing, wantLost, tc.refused)
			}
			if sent := insightCount(t, srv, o, p.ID, insights.MetricMailsSent); sent != int64(len(ids)) {
				t.Errorf("%s: %d mails counted as sent, want %d", tc.name, sent, len(ids))
			}
		}
		if n := insightCount(t, srv, o, "", insights.MetricMailFailures); n != 2 {
			t.Errorf("%d mails counted as refused, want 2", n)
		}
	})
}

// TestDatabaseFailureMidSend has PostgreSQL drop every connection of the
// installation right after the relay accepted a message and before Plein
// recorded that: the run fails, and its retry sends what is left. No one
// is missing, no one has the post twice but the subscriber whose
// acceptance went unrecorded, and then with the same Message-ID. (SQLite
// has no such failure that a test can cause cleanly: its file is local.)
func TestDatabaseFailureMidSend(t *testing.T) {
	e := storetest.Engines()[1]
	if e.Name != "postgres" {
		t.Fatalf("engine %s, want postgres", e.Name)
	}
	ctx := context.Background()
	srv, sink := relayServer(t, e, nil)
	o := srv.Org(t, "almere")
	addrs := importActive(t, srv, o, 6)
	admin, err := pgx.Connect(ctx, srv.Conf.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	terminated := 0
	sink.SetFaults(nil)
	sink.OnAccept(func(n int) {
		if n != 3 {
			return
		}
		err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&terminated)
		if err != nil {
			t.Errorf("terminating the connections: %v", err)
		}
	})
	text := "Bericht terwijl de database wegvalt"
	srv.Post(t, o, text)
	waitSent(t, srv)
	if terminated == 0 {
		t.Fatal("no connection was terminated")
	}
	var ids []string
	for _, addr := range addrs {
		got := onWire(sink, addr, text)
		if len(got) == 0 || len(got) > 2 || len(got) == 2 && got[1].MessageID() != got[0].MessageID() {
			t.Errorf("%s got %d copies", addr, len(got))
			continue
		}
		if id := got[0].MessageID(); slices.Contains(ids, id) {
			t.Errorf("%s got another's Message-ID %s", addr, id)
		} else {
			ids = append(ids, id)
		}
	}
}
