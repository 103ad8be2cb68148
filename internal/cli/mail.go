package cli

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"plein/internal/config"
	"plein/internal/mail"
	"plein/internal/server"
)

// mailFlags adds the relay, the sender address and DKIM to f; serve and
// the mail commands share them.
func (f *flags) mailFlags(cfg *config.Config) {
	m := &cfg.Mail
	f.StringVar(&m.SMTPAddr, "smtp-addr", m.SMTPAddr,
		"`host:port` of the SMTP relay Plein sends e-mail through, such as smtp.example.nl:587; empty: no e-mail (env PLEIN_SMTP_ADDR)")
	f.StringVar(&m.SMTPTLS, "smtp-tls", m.SMTPTLS,
		"`mode` that protects the connection to the relay: none, starttls (port 587) or tls (port 465) (env PLEIN_SMTP_TLS)")
	f.StringVar(&m.SMTPUser, "smtp-user", m.SMTPUser,
		"`name` to log in to the relay with; the password is read from PLEIN_SMTP_PASSWORD only (env PLEIN_SMTP_USER)")
	f.StringVar(&m.From, "mail-from", m.From,
		"`address` Plein's e-mail comes from and bounces return to, such as nieuws@gemeente.nl; its domain signs with DKIM (env PLEIN_MAIL_FROM)")
	f.StringVar(&m.DKIMSelector, "dkim-selector", m.DKIMSelector,
		"`name` of the DKIM key's DNS record; the Ed25519 key's is the name with -ed (env PLEIN_DKIM_SELECTOR)")
	f.StringVar(&m.DKIMKeyFile, "dkim-key", m.DKIMKeyFile,
		"PEM `file` with the DKIM private keys, an RSA key, an Ed25519 key or one of each; empty: keys Plein makes once and keeps in the database (env PLEIN_DKIM_KEY)")
	f.Float64Var(&m.Rate, "mail-rate", m.Rate, "`messages` a second sent to the relay at most; 0: no limit (env PLEIN_MAIL_RATE)")
	for flagName, variable := range map[string]string{
		"smtp-addr": "PLEIN_SMTP_ADDR", "smtp-tls": "PLEIN_SMTP_TLS", "smtp-user": "PLEIN_SMTP_USER",
		"mail-from": "PLEIN_MAIL_FROM", "dkim-selector": "PLEIN_DKIM_SELECTOR", "dkim-key": "PLEIN_DKIM_KEY",
		"mail-rate": "PLEIN_MAIL_RATE",
	} {
		f.bindEnv(flagName, variable)
	}
	f.secrets = append(f.secrets, func(getenv func(string) string) { m.SMTPPassword = getenv("PLEIN_SMTP_PASSWORD") })
}

func runMailDNS(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--mail-from ADDRESS [flags]", `
Prints the DNS records that let receivers trust the e-mail Plein sends
from the domain of --mail-from: SPF (which servers may send for the
domain), DKIM (the public keys of Plein's signatures, RSA and Ed25519) and
DMARC (what receivers do with mail that fails both), as lines of a zone
file. Without --dkim-key the keys are the ones kept in the database, made
now if there are none yet; every node and every later start uses them.`)
	f.dataFlags(&cfg)
	f.mailFlags(&cfg)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"mail-from": cfg.Mail.From}); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return &usageError{msg: err.Error()}
	}
	signer, err := e.dkimSigner(cfg)
	if err != nil {
		return err
	}
	domain := cfg.Mail.Domain()
	w := e.stdout
	fmt.Fprintf(w, "; DNS records for e-mail from %s. Add them at the DNS provider of %s.\n", cfg.Mail.From, domain)
	fmt.Fprintf(w, "\n; SPF: the servers that may send for %s. The relay must be one of them; if the\n", domain)
	fmt.Fprintf(w, "; domain has an SPF record already, add the relay to it: a domain has one SPF record.\n")
	fmt.Fprintf(w, "; A hosted relay names what to add (an include:); ~all marks other servers' mail as\n")
	fmt.Fprintf(w, "; suspect without refusing it, and DMARC below decides.\n")
	relay := "a:RELAY-HOST"
	if host := cfg.Mail.SMTPHost(); host != "" {
		relay = spfMechanism(host)
	} else {
		fmt.Fprintf(w, "; Replace RELAY-HOST with the relay's host name, or give --smtp-addr.\n")
	}
	fmt.Fprintln(w, mail.TXTRecord{Name: domain, Value: "v=spf1 " + relay + " ~all"}.Zone())
	fmt.Fprintf(w, "\n; DKIM: the public keys of Plein's signatures, one RSA (which every receiver checks)\n")
	fmt.Fprintf(w, "; and one Ed25519 (RFC 8463). Long values are split in strings of 255 characters.\n")
	for _, r := range signer.Records() {
		fmt.Fprintln(w, r.Zone())
	}
	fmt.Fprintf(w, "\n; DMARC: mail that claims to come from %s but passes neither SPF nor DKIM\n", domain)
	fmt.Fprintf(w, "; for it goes to the spam folder (quarantine): not refused outright, since forwarding\n")
	fmt.Fprintf(w, "; can break both, but no forged message in the organisation's name reaches the inbox.\n")
	fmt.Fprintf(w, "; Plein's mail passes both, aligned to %s. Keep an existing DMARC record of the\n", domain)
	fmt.Fprintf(w, "; domain if it has one; add rua=mailto:ADDRESS to receive the receivers' daily reports.\n")
	fmt.Fprintln(w, mail.TXTRecord{Name: "_dmarc." + domain, Value: "v=DMARC1; p=quarantine"}.Zone())
	return nil
}

// spfMechanism returns the SPF mechanism that allows the relay host.
func spfMechanism(host string) string {
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Is4() {
			return "ip4:" + ip.String()
		}
		return "ip6:" + ip.String()
	}
	return "a:" + host
}

// dkimSigner returns the signer of cfg: from the key file without opening
// the database, else with the keys kept in it.
func (e *env) dkimSigner(cfg config.Config) (*mail.DKIMSigner, error) {
	if cfg.Mail.DKIMKeyFile != "" {
		return server.DKIMSigner(e.ctx, nil, cfg.Mail)
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return nil, err
	}
	defer app.Close()
	return server.DKIMSigner(e.ctx, app.Store, cfg.Mail)
}

// mailTestTimeout bounds the whole test send.
const mailTestTimeout = 2 * time.Minute

func runMailTest(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--to ADDRESS --smtp-addr HOST:PORT --mail-from ADDRESS [flags]", `
Sends a short test message, in Dutch and English, to --to through the
relay that serve uses, with the same flags and PLEIN_* variables, signed
with the installation's DKIM keys. It prints whether the relay accepted
the message; whether it arrives, and in which folder, is for the
receiving mailbox to tell.`)
	f.dataFlags(&cfg)
	f.mailFlags(&cfg)
	to := f.String("to", "", "`address` to send the test message to")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"to": *to, "smtp-addr": cfg.Mail.SMTPAddr, "mail-from": cfg.Mail.From}); err != nil {
		return err
	}
	if !isAddress(*to) {
		return usageErrorf("--to %q is not an e-mail address such as jan@example.nl", *to)
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	m := testMessage(app, *to)
	ctx, cancel := context.WithTimeout(e.ctx, mailTestTimeout)
	defer cancel()
	if err := app.Mail.Send(ctx, m); err != nil {
		if e.ctx.Err() != nil {
			return err
		}
		return &wrapped{msg: describeSend(err, app.Config.Mail, *to), err: err}
	}
	fmt.Fprintf(e.stdout, "The relay %s accepted the test message to %s (Message-ID <%s>), signed with DKIM for %s (selectors %s).\n",
		cfg.Mail.SMTPAddr, *to, m.ID, app.DKIM.Domain(), strings.Join(app.DKIM.Selectors(), " and "))
	fmt.Fprintln(e.stdout, "If it does not arrive, look in the spam folder, and check the DNS records that 'plein mail dns' prints.")
	return nil
}

// isAddress reports whether s is one bare ASCII address.
func isAddress(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && !strings.ContainsAny(s, " <>\"") &&
		strings.IndexFunc(s, func(r rune) bool { return r > 0x7f }) < 0
}

// testMessage is the bilingual message of mail test.
func testMessage(app *server.App, to string) *mail.Message {
	c := app.Config.Mail
	selectors := strings.Join(app.DKIM.Selectors(), ", ")
	return &mail.Message{
		ID:       strings.ToLower(rand.Text()) + "@" + c.Domain(),
		FromName: "Plein",
		To:       to,
		Subject:  "Testbericht van Plein / Test message from Plein",
		Lang:     "nl",
		Text: fmt.Sprintf(`Dit is een testbericht van Plein op %[1]s.

Het is verstuurd via de relay %[2]s, van %[3]s, en ondertekend met DKIM
voor %[4]s (selectors %[5]s). Is het aangekomen, dan kan Plein e-mail
versturen. In de kopregels van dit bericht (Authentication-Results) ziet u
of SPF, DKIM en DMARC "pass" zeggen.

--

This is a test message from Plein at %[1]s.

It was sent through the relay %[2]s, from %[3]s, and signed with DKIM for
%[4]s (selectors %[5]s). If it arrived, Plein can send e-mail. This
message's headers (Authentication-Results) show whether SPF, DKIM and
DMARC say "pass".
`, app.BaseURL, c.SMTPAddr, c.From, app.DKIM.Domain(), selectors),
	}
}

// describeSend turns a failed send into a sentence for the operator.
func describeSend(err error, c config.Mail, to string) string {
	var se *mail.SendError
	switch {
	case errors.Is(err, mail.ErrPaused):
		return "sending is paused after repeated failures of the relay; try again later"
	case errors.Is(err, mail.ErrInvalid):
		return "the test message could not be composed: check --mail-from and --to"
	case !errors.As(err, &se):
		return "the test message could not be sent"
	}
	relay := "the relay " + c.SMTPAddr
	reply := strconv.Itoa(se.Code)
	if se.EnhancedCode != "" {
		reply += " " + se.EnhancedCode
	}
	if msg := strings.TrimSpace(se.Message); msg != "" {
		reply += ": " + strings.Join(strings.Fields(msg), " ")
	}
	var cv *tls.CertificateVerificationError
	var rh tls.RecordHeaderError
	var dns *net.DNSError
	switch {
	case errors.Is(err, mail.ErrNoSTARTTLS):
		return relay + " does not offer STARTTLS; use --smtp-tls tls (usually port 465), or none on a private network"
	case errors.Is(err, mail.ErrNoAuth):
		return relay + " does not offer a log-in (AUTH PLAIN) on this connection; check --smtp-tls and --smtp-addr, or leave out --smtp-user"
	case errors.As(err, &cv):
		return relay + " presented a certificate that is not trusted for " + c.SMTPHost()
	case errors.As(err, &rh):
		return relay + " does not speak TLS on this port; use --smtp-tls starttls (usually port 587) or check --smtp-addr"
	case errors.As(err, &dns):
		return "cannot reach " + relay + ": the name " + c.SMTPHost() + " is not known"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "cannot reach " + relay + ": the connection was refused"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return relay + " did not answer in time"
	}
	switch se.Step {
	case mail.StepConnect:
		if se.Code != 0 {
			return relay + " refused the connection (" + reply + ")"
		}
		return "the connection to " + relay + " failed"
	case mail.StepAuth:
		if se.Code/100 == 5 {
			return relay + " refused the log-in of --smtp-user " + c.SMTPUser + " (" + reply + "); check the user and PLEIN_SMTP_PASSWORD"
		}
		return relay + " could not log in now (" + reply + "); try again later"
	case mail.StepMail:
		if se.Code/100 == 5 {
			return relay + " refused the sender " + c.From + " (" + reply + "); the relay must allow --mail-from for this log-in"
		}
	case mail.StepRcpt:
		if se.Code/100 == 5 {
			return relay + " refused the recipient " + to + " (" + reply + ")"
		}
	case mail.StepData:
		if se.Code/100 == 5 {
			return relay + " refused the message (" + reply + ")"
		}
		if se.Code == 0 {
			return "the connection to " + relay + " broke after the message was sent; it may or may not have been accepted"
		}
	}
	if se.Code/100 == 4 {
		return relay + " asked to try again later (" + reply + ")"
	}
	return "the connection to " + relay + " broke while sending"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
