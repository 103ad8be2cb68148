package cli

import (
	"bytes"
	"crypto"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"

	plmail "plein/internal/mail"
	"plein/internal/pleintest"
)

var zoneLine = regexp.MustCompile(`(?m)^(\S+)\. IN TXT (.+)$`)

// zone reads the records of mail dns: name → the strings joined.
func zone(t *testing.T, out string) map[string]string {
	t.Helper()
	records := map[string]string{}
	for _, m := range zoneLine.FindAllStringSubmatch(out, -1) {
		var value strings.Builder
		for _, s := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(m[2], -1) {
			if len(s[1]) > 255 {
				t.Errorf("a TXT string of %d characters", len(s[1]))
			}
			value.WriteString(s[1])
		}
		records[m[1]] = value.String()
	}
	return records
}

func TestMailDNS(t *testing.T) {
	in := newInst(t)
	out := in.ok("mail", "dns", "--mail-from", "nieuws@gemeente.example", "--smtp-addr", "smtp.relay.example:587")
	records := zone(t, out)
	if len(records) != 4 {
		t.Fatalf("%d records in\n%s", len(records), out)
	}
	for name, want := range map[string]string{
		"gemeente.example":                     "v=spf1 a:smtp.relay.example ~all",
		"_dmarc.gemeente.example":              "v=DMARC1; p=quarantine",
		"plein._domainkey.gemeente.example":    "v=DKIM1; k=rsa; p=MIIB",
		"plein-ed._domainkey.gemeente.example": "v=DKIM1; k=ed25519; p=",
	} {
		if !strings.HasPrefix(records[name], want) {
			t.Errorf("%s: %q, want %q…", name, records[name], want)
		}
	}
	if !strings.Contains(out, `"v=DKIM1; k=rsa; p=MIIB`) || strings.Count(zoneLineFor(out, "plein._domainkey"), `"`) != 4 {
		t.Errorf("the RSA record is not two strings:\n%s", out)
	}
	// The keys are kept: the second time prints the same records.
	if again := in.ok("mail", "dns", "--mail-from", "nieuws@gemeente.example", "--smtp-addr", "smtp.relay.example:587"); again != out {
		t.Errorf("the records changed:\n%s", again)
	}
	// A relay given by address gets ip4:, and no relay a placeholder.
	if out := in.ok("mail", "dns", "--mail-from", "nieuws@gemeente.example", "--smtp-addr", "192.0.2.25:25"); !strings.Contains(out, `"v=spf1 ip4:192.0.2.25 ~all"`) {
		t.Errorf("SPF for an address:\n%s", out)
	}
	if out := in.ok("mail", "dns", "--mail-from", "nieuws@gemeente.example"); !strings.Contains(out, `"v=spf1 a:RELAY-HOST ~all"`) {
		t.Errorf("SPF without a relay:\n%s", out)
	}
	fails(t, in.run("", "mail", "dns"), ExitUsage, "mail dns needs --mail-from")
	fails(t, in.run("", "mail", "dns", "--mail-from", "Gemeente <nieuws@gemeente.example>"), ExitUsage, "--mail-from")

	// With a key file the database is not even opened.
	rsaKey, edKey, err := plmail.GenerateDKIMKeys()
	if err != nil {
		t.Fatal(err)
	}
	var pemText string
	for _, k := range []crypto.Signer{rsaKey, edKey} {
		text, err := plmail.EncodeDKIMKey(k)
		if err != nil {
			t.Fatal(err)
		}
		pemText += text
	}
	keyFile := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(keyFile, []byte(pemText), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	r := plein(t, "", "mail", "dns", "--mail-from", "nieuws@gemeente.example", "--dkim-key", keyFile, "--dkim-selector", "mei2026", "--data", empty)
	if r.code != 0 {
		t.Fatalf("mail dns --dkim-key: %d %s", r.code, r.stderr)
	}
	want, _ := plmail.DKIMRecord(edKey.Public())
	if got := zone(t, r.stdout)["mei2026-ed._domainkey.gemeente.example"]; got != want {
		t.Errorf("Ed25519 record %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(empty, "plein.db")); err == nil {
		t.Error("mail dns --dkim-key opened the database")
	}
	fails(t, plein(t, "", "mail", "dns", "--mail-from", "nieuws@gemeente.example", "--dkim-key", filepath.Join(empty, "none.pem")),
		ExitFailure, "--dkim-key "+filepath.Join(empty, "none.pem")+" cannot be read: no such file or directory")
}

// zoneLineFor returns the line of the record whose name starts with prefix.
func zoneLineFor(out, prefix string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}

func TestMailTest(t *testing.T) {
	sink := pleintest.NewSMTPSinkWith(t, pleintest.SMTPSinkOptions{User: "plein", Password: "geheim"})
	in := newInst(t)
	t.Setenv("PLEIN_SMTP_PASSWORD", "geheim")
	t.Setenv("PLEIN_SMTP_ADDR", sink.Addr)
	t.Setenv("PLEIN_MAIL_FROM", "nieuws@gemeente.example")
	t.Setenv("PLEIN_SMTP_USER", "plein")
	t.Setenv("PLEIN_SMTP_TLS", "none")
	out := in.ok("mail", "test", "--to", "jan@example.nl")
	if !strings.Contains(out, "The relay "+sink.Addr+" accepted the test message to jan@example.nl (Message-ID <") ||
		!strings.Contains(out, "signed with DKIM for gemeente.example (selectors plein and plein-ed)") {
		t.Errorf("output:\n%s", out)
	}
	messages := sink.Messages()
	if len(messages) != 1 || messages[0].From != "nieuws@gemeente.example" || messages[0].User != "plein" {
		t.Fatalf("%d messages received: %+v", len(messages), messages)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(messages[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "Testbericht van Plein / Test message from Plein" {
		t.Errorf("Subject %q", subject)
	}
	// The message verifies against the records mail dns prints.
	records := zone(t, in.ok("mail", "dns"))
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(messages[0].Data), &dkim.VerifyOptions{LookupTXT: func(name string) ([]string, error) {
		if v, ok := records[name]; ok {
			return []string{v}, nil
		}
		return nil, fmt.Errorf("no record %s", name)
	}})
	if err != nil || len(vs) != 2 {
		t.Fatalf("%d signatures, %v", len(vs), err)
	}
	for _, v := range vs {
		if v.Err != nil {
			t.Errorf("signature does not verify against the printed records: %v", v.Err)
		}
	}
}

func TestMailTestFailures(t *testing.T) {
	sink := pleintest.NewSMTPSinkWith(t, pleintest.SMTPSinkOptions{User: "plein", Password: "geheim"})
	tlsSink := pleintest.NewSMTPSinkWith(t, pleintest.SMTPSinkOptions{STARTTLS: true})
	refusing := pleintest.NewSMTPSink(t)
	refusing.SetFaults(map[int]pleintest.SMTPFault{1: pleintest.SMTPRejectRcpt})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	in := newInst(t)
	t.Setenv("PLEIN_MAIL_FROM", "nieuws@gemeente.example")
	for _, tc := range []struct {
		name, password string
		args           []string
		code           int
		want           string
	}{
		{"wrong password", "fout", []string{"--smtp-addr", sink.Addr, "--smtp-tls", "none", "--smtp-user", "plein"}, ExitFailure,
			"the relay " + sink.Addr + " refused the log-in of --smtp-user plein (535 5.7.8: Authentication failed); check the user and PLEIN_SMTP_PASSWORD"},
		{"nothing listens", "", []string{"--smtp-addr", closed, "--smtp-tls", "none"}, ExitFailure,
			"cannot reach the relay " + closed + ": the connection was refused"},
		{"untrusted certificate", "", []string{"--smtp-addr", tlsSink.Addr}, ExitFailure,
			"the relay " + tlsSink.Addr + " presented a certificate that is not trusted for 127.0.0.1"},
		{"no STARTTLS", "", []string{"--smtp-addr", sink.Addr}, ExitFailure,
			"the relay " + sink.Addr + " does not offer STARTTLS; use --smtp-tls tls"},
		{"recipient refused", "", []string{"--smtp-addr", refusing.Addr, "--smtp-tls", "none"}, ExitFailure,
			"the relay " + refusing.Addr + " refused the recipient jan@example.nl (550 5.1.1: no such mailbox)"},
		{"bad TLS mode", "", []string{"--smtp-addr", sink.Addr, "--smtp-tls", "ssl"}, ExitUsage, `--smtp-tls must be none, starttls or tls, not "ssl"`},
		{"user without password", "", []string{"--smtp-addr", sink.Addr, "--smtp-user", "plein"}, ExitUsage,
			"--smtp-user needs the password in the environment variable PLEIN_SMTP_PASSWORD"},
		{"bad relay address", "", []string{"--smtp-addr", "smtp.example.nl"}, ExitUsage, `--smtp-addr "smtp.example.nl" is not host:port`},
		{"no relay", "", nil, ExitUsage, "mail test needs --smtp-addr"},
		{"bad recipient", "", []string{"--smtp-addr", sink.Addr, "--to", "jan"}, ExitUsage, `--to "jan" is not an e-mail address`},
		{"bad rate", "", []string{"--smtp-addr", sink.Addr, "--mail-rate", "-2"}, ExitUsage, "--mail-rate must not be negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PLEIN_SMTP_PASSWORD", tc.password)
			args := append([]string{"mail", "test"}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--to") {
				args = append(args, "--to", "jan@example.nl")
			}
			line := fails(t, in.run("", args...), tc.code, tc.want)
			for _, leak := range []string{"SMTP error", "dial tcp", "x509:", "tls:", "mail: "} {
				if strings.Contains(line, leak) {
					t.Errorf("the message has Go error text %q: %s", leak, line)
				}
			}
		})
	}
}

func TestServeWithMail(t *testing.T) {
	code, out, errOut := serve(t, "--data", t.TempDir(), "--smtp-addr", "127.0.0.1:2525", "--smtp-tls", "none", "--mail-from", "nieuws@gemeente.example")
	if code != 0 || !strings.Contains(out, "E-mail goes from nieuws@gemeente.example through the relay 127.0.0.1:2525, signed with DKIM for gemeente.example") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	t.Setenv("PLEIN_SMTP_TLS", "ssl")
	fails(t, plein(t, "", "serve", "--data", t.TempDir()), ExitUsage, `--smtp-tls must be none, starttls or tls, not "ssl"`)
	t.Setenv("PLEIN_SMTP_TLS", "")
	t.Setenv("PLEIN_SMTP_ADDR", "smtp.example.nl:587")
	fails(t, plein(t, "", "serve", "--data", t.TempDir()), ExitUsage, "--smtp-addr needs --mail-from")
}
