package config

import (
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
)

// Mail is how Plein sends e-mail: through an SMTP relay, from one address,
// signed with DKIM for that address's domain.
type Mail struct {
	// SMTPAddr is the relay's host:port; empty: Plein sends no e-mail.
	SMTPAddr string
	// SMTPTLS protects the connection: "none", "starttls" or "tls".
	SMTPTLS string
	// SMTPUser and SMTPPassword log in to the relay; the password comes
	// from the environment only.
	SMTPUser, SMTPPassword string
	// From is the address Plein's e-mail comes from, such as
	// nieuws@gemeente.nl; bounces come back to it.
	From string
	// DKIMSelector names the RSA key's DNS record; the Ed25519 key's is
	// DKIMSelector + DKIMEd25519Suffix.
	DKIMSelector string
	// DKIMKeyFile is a PEM file with the DKIM private keys (one RSA, one
	// Ed25519 or both); empty: keys Plein makes and keeps in the database.
	DKIMKeyFile string
	// Rate is how many messages a second go to the relay at most; 0: no
	// limit.
	Rate float64
}

// Defaults of Mail.
const (
	DefaultSMTPTLS      = "starttls"
	DefaultDKIMSelector = "plein"
	// DKIMEd25519Suffix makes the selector of the Ed25519 key.
	DKIMEd25519Suffix = "-ed"
	// DefaultMailRate is gentle enough for the relays of most providers
	// and still sends 10,000 messages in under 17 minutes.
	DefaultMailRate = 10
)

// DefaultMail returns the mail settings before any flag: no relay.
func DefaultMail() Mail {
	return Mail{SMTPTLS: DefaultSMTPTLS, DKIMSelector: DefaultDKIMSelector, Rate: DefaultMailRate}
}

// Enabled reports whether a relay is configured.
func (m Mail) Enabled() bool { return m.SMTPAddr != "" }

// Domain returns the domain of From, in lower case; "" without From.
func (m Mail) Domain() string {
	at := strings.LastIndexByte(m.From, '@')
	if at < 0 {
		return ""
	}
	return strings.ToLower(m.From[at+1:])
}

// SMTPHost returns the host of SMTPAddr.
func (m Mail) SMTPHost() string {
	host, _, _ := net.SplitHostPort(m.SMTPAddr)
	return host
}

// Validate checks the mail settings and fills in the defaults of empty
// ones. Every error is a sentence that names the flag.
func (m *Mail) Validate() error {
	if m.SMTPTLS == "" {
		m.SMTPTLS = DefaultSMTPTLS
	}
	if m.DKIMSelector == "" {
		m.DKIMSelector = DefaultDKIMSelector
	}
	m.SMTPTLS = strings.ToLower(m.SMTPTLS)
	switch m.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		return fmt.Errorf("--smtp-tls must be none, starttls or tls, not %q", m.SMTPTLS)
	}
	if m.SMTPAddr != "" {
		host, port, err := net.SplitHostPort(m.SMTPAddr)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return fmt.Errorf("--smtp-addr %q is not host:port, such as smtp.example.nl:587", m.SMTPAddr)
		}
		if m.From == "" {
			return fmt.Errorf("--smtp-addr needs --mail-from, the address Plein's e-mail comes from")
		}
	}
	if m.From != "" {
		a, err := mail.ParseAddress(m.From)
		if err != nil || a.Name != "" || a.Address != m.From || !strings.Contains(m.From, "@") || strings.ContainsAny(m.From, " <>\"") || !isASCII(m.From) {
			return fmt.Errorf("--mail-from %q is not an e-mail address such as nieuws@gemeente.nl", m.From)
		}
	}
	switch {
	case m.SMTPUser != "" && m.SMTPPassword == "":
		return fmt.Errorf("--smtp-user needs the password in the environment variable PLEIN_SMTP_PASSWORD")
	case m.SMTPUser == "" && m.SMTPPassword != "":
		return fmt.Errorf("PLEIN_SMTP_PASSWORD is set, but --smtp-user is not")
	case m.SMTPUser != "" && m.SMTPAddr == "":
		return fmt.Errorf("--smtp-user needs --smtp-addr")
	case m.SMTPUser != "" && m.SMTPTLS == "none" && !isLoopback(m.SMTPHost()):
		return fmt.Errorf("--smtp-user with --smtp-tls none would send the password unencrypted to %s; use starttls or tls", m.SMTPHost())
	}
	if !isSelector(m.DKIMSelector) {
		return fmt.Errorf("--dkim-selector %q must be letters, digits and hyphens, such as plein", m.DKIMSelector)
	}
	if m.Rate < 0 {
		return fmt.Errorf("--mail-rate must not be negative; 0 means no limit")
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isSelector reports whether s can be a DKIM selector: DNS labels of
// letters, digits and hyphens, with room for DKIMEd25519Suffix.
func isSelector(s string) bool {
	if s == "" || len(s)+len(DKIMEd25519Suffix) > 63 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
