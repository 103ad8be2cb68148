package config

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestParseProxies(t *testing.T) {
	got, err := ParseProxies("10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("2001:db8::/32")}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := ParseProxies("10.0.0.0/8,proxy.local"); err == nil || !strings.Contains(err.Error(), "proxy.local") {
		t.Errorf("bad proxy: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mutate  func(*Config)
		wantErr string
		base    string
	}{
		{"default", func(*Config) {}, "", ""},
		{"base URL trailing slash", func(c *Config) { c.BaseURL = "https://plein.example.nl/" }, "", "https://plein.example.nl"},
		{"base URL without scheme", func(c *Config) { c.BaseURL = "plein.example.nl" }, "--base-url", ""},
		{"base URL with query", func(c *Config) { c.BaseURL = "https://x.nl/?a=1" }, "--base-url", ""},
		{"mysql database", func(c *Config) { c.Database = "mysql://x" }, "--database", ""},
		{"postgres database", func(c *Config) { c.Database = "postgres://postgres@127.0.0.1/plein" }, "", ""},
		{"access log kept 8 days", func(c *Config) { c.Retention.AccessLog = 8 * Day }, "--retain-access-log", ""},
		{"access log kept 7 days", func(c *Config) { c.Retention.AccessLog = 7 * Day }, "", ""},
		{"replies kept a minute", func(c *Config) { c.Retention.Replies = time.Minute }, "--retain-replies", ""},
		{"zero referrer threshold gets the default", func(c *Config) { c.ReferrerThreshold = 0 }, "", ""},
		{"negative referrer threshold", func(c *Config) { c.ReferrerThreshold = -1 }, "--referrer-threshold", ""},
		{"bad addr", func(c *Config) { c.Addr = "8080" }, "--addr", ""},
		{"no data", func(c *Config) { c.DataDir = "" }, "--data", ""},
	} {
		c := Default()
		tc.mutate(&c)
		err := c.Validate()
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.wantErr)
		}
		if tc.base != "" && c.BaseURL != tc.base {
			t.Errorf("%s: base URL %q, want %q", tc.name, c.BaseURL, tc.base)
		}
	}
}

func TestParseAge(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30d", 30 * Day, true},
		{"0d", 0, true},
		{"12h", 12 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"d", 0, false},
		{"-1d", 0, false},
		{"thirty", 0, false},
		{"-5h", 0, false},
	} {
		got, err := ParseAge(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if tc.ok {
			if back, _ := ParseAge(FormatAge(got)); back != got {
				t.Errorf("FormatAge(%v) = %q does not parse back", got, FormatAge(got))
			}
		}
	}
}

func TestValidateMail(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mutate  func(*Mail)
		wantErr string
	}{
		{"none configured", func(*Mail) {}, ""},
		{"relay", func(m *Mail) { m.SMTPAddr, m.From = "smtp.example.nl:587", "nieuws@gemeente.nl" }, ""},
		{"relay with log-in", func(m *Mail) {
			m.SMTPAddr, m.From, m.SMTPUser, m.SMTPPassword = "smtp.example.nl:587", "nieuws@gemeente.nl", "plein", "x"
		}, ""},
		{"log-in in plain text on loopback", func(m *Mail) {
			m.SMTPAddr, m.From, m.SMTPUser, m.SMTPPassword, m.SMTPTLS = "127.0.0.1:25", "nieuws@gemeente.nl", "plein", "x", "none"
		}, ""},
		{"only a sender, for the DNS records", func(m *Mail) { m.From = "nieuws@gemeente.nl" }, ""},
		{"bad TLS mode", func(m *Mail) { m.SMTPTLS = "ssl" }, `--smtp-tls must be none, starttls or tls, not "ssl"`},
		{"address without port", func(m *Mail) { m.SMTPAddr, m.From = "smtp.example.nl", "nieuws@gemeente.nl" }, `--smtp-addr "smtp.example.nl" is not host:port`},
		{"address without host", func(m *Mail) { m.SMTPAddr, m.From = ":587", "nieuws@gemeente.nl" }, "--smtp-addr"},
		{"relay without sender", func(m *Mail) { m.SMTPAddr = "smtp.example.nl:587" }, "--smtp-addr needs --mail-from"},
		{"sender with a name", func(m *Mail) { m.From = "Gemeente <nieuws@gemeente.nl>" }, "--mail-from"},
		{"sender not an address", func(m *Mail) { m.From = "gemeente.nl" }, "--mail-from"},
		{"user without password", func(m *Mail) {
			m.SMTPAddr, m.From, m.SMTPUser = "smtp.example.nl:587", "nieuws@gemeente.nl", "plein"
		}, "--smtp-user needs the password in the environment variable PLEIN_SMTP_PASSWORD"},
		{"password without user", func(m *Mail) {
			m.SMTPAddr, m.From, m.SMTPPassword = "smtp.example.nl:587", "nieuws@gemeente.nl", "x"
		}, "PLEIN_SMTP_PASSWORD is set, but --smtp-user is not"},
		{"password in plain text", func(m *Mail) {
			m.SMTPAddr, m.From, m.SMTPUser, m.SMTPPassword, m.SMTPTLS = "smtp.example.nl:25", "nieuws@gemeente.nl", "plein", "x", "none"
		}, "would send the password unencrypted to smtp.example.nl"},
		{"bad selector", func(m *Mail) { m.DKIMSelector = "plein;x" }, "--dkim-selector"},
		{"negative rate", func(m *Mail) { m.Rate = -1 }, "--mail-rate"},
	} {
		c := Default()
		tc.mutate(&c.Mail)
		err := c.Validate()
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.wantErr)
		}
	}
	m := Mail{From: "Nieuws@Gemeente.NL"}
	if err := m.Validate(); err != nil || m.SMTPTLS != "starttls" || m.DKIMSelector != "plein" || m.Domain() != "gemeente.nl" {
		t.Errorf("defaults: %+v, %v", m, err)
	}
}
