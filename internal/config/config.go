// Package config holds the settings of a Plein process. A Config value is
// built once by the command line and passed down; nothing reads globals.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Config is what an operator sets with flags or PLEIN_* variables.
type Config struct {
	Addr           string         // listen address of the public server
	BaseURL        string         // public URL; empty: the stored one, or http://Addr
	DataDir        string         // folder of the embedded database and local media
	Database       string         // empty: SQLite in DataDir; postgres://… : PostgreSQL
	TrustedProxies []netip.Prefix // proxies whose X-Forwarded-For is believed
	Demo           bool           // seed a demo organisation on an empty database
	// AllowPrivateNetworks lets federation reach loopback and private
	// addresses: for a government intranet, or tests. Off by default.
	AllowPrivateNetworks bool
	// NodeInfoCounts lets NodeInfo tell how many organisations the
	// installation has. Off by default: NodeInfo then gives no counts.
	NodeInfoCounts bool
	// Retention bounds how long each category of personal data is kept.
	Retention Retention
	// AccessLog writes one line per request, with the client address
	// truncated (IPv4 /24, IPv6 /48), to daily files in DataDir. Off by
	// default.
	AccessLog bool
	// ReferrerThreshold: referrer hosts with fewer visits in a day are
	// shown and kept as "other".
	ReferrerThreshold int
	// MetricsAddr is where Prometheus metrics are served, on a listener of
	// their own; empty: no metrics.
	MetricsAddr string
	// S3 stores media in an S3-compatible object store instead of DataDir,
	// so that several nodes share them. Empty Endpoint: local disk.
	S3 S3
	// PrivacyContact is how to reach the installation's operator about
	// personal data (an e-mail address or URL), for the privacy pages.
	PrivacyContact string
	// DrainDelay is how long, on shutdown, /readyz answers 503 while the
	// node still serves everything, so that a load balancer checking it
	// takes the node out before the listener closes; 0: close at once.
	DrainDelay time.Duration
	// Mail is the relay, sender address and DKIM keys of Plein's e-mail.
	Mail Mail
	// OIDC is the single sign-on provider of staff; zero: none.
	OIDC OIDC
	// BlueskyKey is the installation's key for the app passwords of
	// Bluesky accounts (PLEIN_BLUESKY_KEY, at least 32 characters); empty:
	// the key in BlueskyKeyPath, made when first needed.
	BlueskyKey string
	// Sessions bounds staff sessions; zero fields get the defaults.
	Sessions Sessions
	// ImportMaxMiB is the largest export, in MiB, staff may upload to
	// import a Facebook Page; 0: DefaultImportMaxMiB.
	ImportMaxMiB int
	Version      string // Plein's version, set by the command line from the build
}

// DefaultImportMaxMiB is the default of Config.ImportMaxMiB.
const DefaultImportMaxMiB = 512

// BlueskyKeyPath is the file of the key that seals Bluesky app passwords
// when BlueskyKey is empty.
func (c Config) BlueskyKeyPath() string { return filepath.Join(c.DataDir, "bluesky.key") }

// DefaultDrainDelay is a few intervals of a load balancer's health checks.
const DefaultDrainDelay = 5 * time.Second

// Default returns the configuration of a fresh laptop installation.
func Default() Config {
	return Config{Addr: "127.0.0.1:8080", DataDir: "plein-data", Retention: DefaultRetention(), ReferrerThreshold: 5,
		DrainDelay: DefaultDrainDelay, Mail: DefaultMail()}
}

// S3 is the object store of media.
type S3 struct {
	Endpoint     string // host:port, without a scheme
	Bucket       string
	Region       string
	AccessKey    string
	SecretKey    string
	Insecure     bool   // plain http, for a store on a private network or tests
	Prefix       string // prepended to every key, such as "media/"
	CreateBucket bool   // create the bucket when it is missing
}

// UsesS3 reports whether media are in an object store.
func (c Config) UsesS3() bool { return c.S3.Endpoint != "" }

// UsesPostgres reports whether the database is PostgreSQL.
func (c Config) UsesPostgres() bool {
	return strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://")
}

// SQLitePath is the embedded database file in DataDir.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "plein.db") }

// AccessLogDir is the folder of the daily access log files.
func (c Config) AccessLogDir() string { return filepath.Join(c.DataDir, "access-log") }

// MediaDir is the folder of locally stored media.
func (c Config) MediaDir() string { return filepath.Join(c.DataDir, "media") }

// Validate checks every field and normalises BaseURL; a zero Retention
// or ReferrerThreshold gets the default.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("--data must name a folder")
	}
	if c.Database != "" && !c.UsesPostgres() {
		return fmt.Errorf("--database must be empty (embedded SQLite) or a postgres:// URL, not %q", c.Database)
	}
	if c.UsesS3() && (c.S3.Bucket == "" || c.S3.AccessKey == "" || c.S3.SecretKey == "") {
		return fmt.Errorf("--s3-endpoint needs --s3-bucket, --s3-access-key and PLEIN_S3_SECRET_KEY")
	}
	if c.Retention == (Retention{}) {
		c.Retention = DefaultRetention()
	}
	if err := c.Retention.Validate(); err != nil {
		return err
	}
	if c.ReferrerThreshold == 0 {
		c.ReferrerThreshold = Default().ReferrerThreshold
	}
	if c.ReferrerThreshold < 1 {
		return fmt.Errorf("--referrer-threshold must be at least 1")
	}
	if c.ImportMaxMiB == 0 {
		c.ImportMaxMiB = DefaultImportMaxMiB
	}
	if c.ImportMaxMiB < 1 || c.ImportMaxMiB > 1<<20 {
		return fmt.Errorf("--import-max-mib must be between 1 and %d", 1<<20)
	}
	if c.DrainDelay < 0 {
		return fmt.Errorf("--drain-delay must not be negative")
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr %q is not host:port: %v", c.MetricsAddr, err)
		}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q is not host:port: %v", c.Addr, err)
	}
	if err := c.Mail.Validate(); err != nil {
		return err
	}
	if err := c.OIDC.Validate(); err != nil {
		return err
	}
	if err := c.Sessions.Validate(); err != nil {
		return err
	}
	if c.BaseURL != "" {
		u, err := ParseBaseURL(c.BaseURL)
		if err != nil {
			return err
		}
		c.BaseURL = u
	}
	return nil
}

// ParseBaseURL checks that s is an absolute http(s) URL without query or
// fragment and returns it without a trailing slash.
func ParseBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("--base-url %q must be an http:// or https:// address such as https://plein.example.nl", s)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// ParseProxies parses a comma-separated list of CIDRs or addresses.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR such as 10.0.0.0/8", part)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
