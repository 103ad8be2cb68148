package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
	"plein/internal/subscription"
)

// returnedHeaders is the header of a message as a bounce or complaint
// returns it: with the Return-Path the receiving server added, which is
// the envelope sender Plein's relay used, when withReturnPath.
func returnedHeaders(m pleintest.SMTPMessage, withReturnPath bool) string {
	header, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
	h := strings.ReplaceAll(string(header), "\r\n", "\n")
	if withReturnPath {
		h = "Return-Path: <" + m.From + ">\n" + h
	}
	return h
}

// dsn is a delivery status notification as Postfix sends it to the
// envelope sender to (RFC 3464), about the delivery of m to its recipient,
// with the returned message's headers.
func dsn(to string, m pleintest.SMTPMessage, action, status string, withReturnPath bool) string {
	rcpt := m.To[0]
	return fmt.Sprintf(`Return-Path: <>
X-Original-To: %[1]s
Delivered-To: %[1]s
Date: Mon,  4 May 2026 09:01:00 +0200 (CEST)
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: %[1]s
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Z1B7A1.1777878060/mx.example.org"
Message-Id: <20260504070100.4Z1B7A1@mx.example.org>

This is a MIME-encapsulated message.

--4Z1B7A1.1777878060/mx.example.org
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<%[2]s>: host mx.example.org said: %[4]s <%[2]s>

--4Z1B7A1.1777878060/mx.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org
X-Postfix-Queue-ID: 4Z1B7A1
Arrival-Date: Mon,  4 May 2026 09:00:58 +0200 (CEST)

Final-Recipient: rfc822; %[2]s
Original-Recipient: rfc822;%[2]s
Action: %[3]s
Status: %[4]s
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 %[4]s <%[2]s>: Recipient address rejected

--4Z1B7A1.1777878060/mx.example.org
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

%[5]s

--4Z1B7A1.1777878060/mx.example.org--
`, to, rcpt, action, status, returnedHeaders(m, withReturnPath))
}

// arf is an abuse report (RFC 5965) as a mailbox provider's feedback loop
// sends it to to, about m, returned whole; mailFrom, when set, is its
// Original-Mail-From.
func arf(to, mailFrom string, m pleintest.SMTPMessage) string {
	origin := ""
	if mailFrom != "" {
		origin = "Original-Mail-From: <" + mailFrom + ">\n"
	}
	return fmt.Sprintf(`From: Feedback Loop <fbl@mail.example.net>
To: %s
Subject: Abuse report
Date: Mon, 4 May 2026 10:00:00 +0000
Message-ID: <fbl.1777888800@mail.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="fbl-part"

--fbl-part
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP
192.0.2.25 on Mon, 4 May 2026 09:00:58 +0000.

--fbl-part
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
%sArrival-Date: Mon, 4 May 2026 09:00:58 +0000
Source-IP: 192.0.2.25
Reported-Domain: plein.example

--fbl-part
Content-Type: message/rfc822
Content-Disposition: inline

%s
--fbl-part--
`, to, origin, strings.ReplaceAll(string(m.Data), "\r\n", "\n"))
}

// TestMailBounce pipes delivery reports into plein mail bounce, as a mail
// server does, on both engines. The reports are about real mail: a Plein
// server sends a post through its relay to an SMTP server on loopback,
// and each report returns what arrived there. A hard bounce suspends the
// subscription, a soft one is counted, a complaint ends it (found by the
// bounce address or only by the Message-ID); a message that is no report
// and a report about nothing of ours change nothing and exit 0.
func TestMailBounce(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			sink := pleintest.NewSMTPSink(t)
			srv := pleintest.NewServerWith(t, e, pleintest.Options{SMTP: sink})
			o := srv.Org(t, "almere")
			in := &inst{t: t, data: srv.Dir, db: srv.Conf.Database}
			hard, soft, complains, spam, stays := "weg@example.org", "vol@example.org", "klaagt@example.org", "spam@example.org", "blijft@example.org"
			addrs := []string{hard, soft, complains, spam, stays}
			if r := in.run("email\n"+strings.Join(addrs, "\n")+"\n", "subscribers", "import", "--org", "almere",
				"--consent", "Nieuwsbrief, dubbele opt-in", "--consent-date", "2026-01-05"); r.code != 0 || !strings.Contains(r.stdout, "imported 5 subscribers") {
				t.Fatalf("import: %+v", r)
			}
			srv.Post(t, o, "Het nieuwe afvalrooster staat online.")
			sent := map[string]pleintest.SMTPMessage{}
			for _, a := range addrs {
				sent[a] = sink.WaitFor(t, a, 1)[0]
			}
			bounceTo := sent[hard].From // the envelope sender: the bounce address of the subscription

			want := map[string]model.SubscriptionState{}
			for _, a := range addrs {
				want[a] = model.SubscriptionActive
			}
			for _, tc := range []struct {
				name, report, out string
				who               string
				state             model.SubscriptionState
			}{
				{"hard bounce", dsn(bounceTo, sent[hard], "failed", "5.1.1", true),
					"Handled a hard bounce (status 5.1.1): the subscription is suspended.", hard, model.SubscriptionSuspended},
				// Delivered to the plain address (the bounce address's
				// extension dropped on the way): the token is read from
				// the returned Return-Path.
				{"soft bounce, token only in the returned headers", dsn(srv.Conf.Mail.From, sent[soft], "failed", "4.2.2", true),
					fmt.Sprintf("Handled a soft bounce (status 4.2.2): counted; %d in a row suspend the subscription.", subscription.SoftBouncesToSuspend),
					soft, model.SubscriptionActive},
				{"complaint", arf(srv.Conf.Mail.From, sent[complains].From, sent[complains]),
					"Handled a complaint: the subscription has ended and the address gets no more mail.", complains, ""},
				// A feedback loop that names neither the envelope sender
				// nor a Return-Path: the Message-ID finds the subscription.
				{"complaint with only the Message-ID", arf("abuse@plein.example", "", pleintest.SMTPMessage{To: sent[spam].To,
					Data: []byte(returnedHeaders(sent[spam], false) + "\n\n(body removed)\n")}),
					"Handled a complaint: the subscription has ended and the address gets no more mail.", spam, ""},
				{"no report", "From: Jan <jan@example.org>\nTo: " + srv.Conf.Mail.From + "\nSubject: Afwezig\nAuto-Submitted: auto-replied\n\nIk ben tot 11 mei afwezig.\n",
					"The message is no bounce or complaint; nothing changed.", "", ""},
				{"report about nothing of ours", dsn("nieuws+b-Zm9yZ2Vk@plein.example", pleintest.SMTPMessage{From: "nieuws+b-Zm9yZ2Vk@plein.example",
					To: []string{stays}, Data: []byte("Message-ID: <elders@example.net>\r\nSubject: Iets anders\r\n\r\n")}, "failed", "5.1.1", true),
					"The report names no subscription of this installation; nothing changed.", "", ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if out := in.run(tc.report, "mail", "bounce"); out.code != 0 || strings.TrimSpace(out.stdout) != tc.out || out.stderr != "" {
						t.Fatalf("exit %d\nstdout: %q, want %q\nstderr: %s", out.code, out.stdout, tc.out, out.stderr)
					}
					if tc.who != "" {
						want[tc.who] = tc.state
					}
					for _, a := range addrs {
						if got := subscriptionState(t, srv, o, a); got != want[a] {
							t.Errorf("%s: %q, want %q", a, got, want[a])
						}
					}
				})
			}
			for _, a := range []string{complains, spam} {
				hash, _ := srv.App.Subscriptions.AddressHash(ctx, a)
				if reason, err := srv.App.Store.Suppression(ctx, o.ID, hash); err != nil || reason != subscription.ReasonComplaint {
					t.Errorf("%s after a complaint: suppressed %q, %v", a, reason, err)
				}
			}
			// When the database cannot be reached, the mail server is told
			// to try again later (EX_TEMPFAIL), and the report is kept.
			r := plein(t, dsn(bounceTo, sent[stays], "failed", "5.1.1", true), "mail", "bounce",
				"--data", t.TempDir(), "--database", "postgres://postgres@127.0.0.1:1/plein")
			fails(t, r, ExitTempFail, "the database cannot be reached; the mail server should try again later")
		})
	}
}

// subscriptionState returns the state of the subscription of address to
// o, or "" when it has none.
func subscriptionState(t *testing.T, srv *pleintest.Server, o *model.Org, address string) model.SubscriptionState {
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
