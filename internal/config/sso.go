package config

import (
	"fmt"
	"net/url"
	"time"
)

// OIDC is the OpenID Connect provider staff may log in with (single
// sign-on), such as Microsoft Entra ID or Keycloak. Empty Issuer: none.
type OIDC struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer string
	// ClientID and ClientSecret are Plein's registration at the provider;
	// the secret comes from the environment only. An empty secret is a
	// public client, protected by PKCE alone.
	ClientID     string
	ClientSecret string
	// Name is the provider's name on the log-in button, such as
	// "Gemeente-account".
	Name string
	// CreateAccounts makes an account for an identity that logs in without
	// one. Off by default: an administrator links each identity.
	CreateAccounts bool
	// RoleClaim names the claim (a string or a list of strings) that
	// RoleMap matches; empty: "groups".
	RoleClaim string
	// RoleMap gives roles in organisations to the values of RoleClaim:
	// "value=org-handle:role,…" (parsed and checked by package auth).
	RoleMap string
}

// Enabled reports whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

// DefaultRoleClaim is the claim role mappings match unless set.
const DefaultRoleClaim = "groups"

// Validate checks the provider's settings.
func (o *OIDC) Validate() error {
	if !o.Enabled() {
		if o.ClientID != "" || o.RoleMap != "" || o.CreateAccounts {
			return fmt.Errorf("--oidc-client-id, --oidc-role-map and --oidc-create-accounts need --oidc-issuer")
		}
		return nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--oidc-issuer must be the provider's http(s) issuer URL, such as https://login.example.nl/realms/gemeente, not %q", o.Issuer)
	}
	if o.ClientID == "" {
		return fmt.Errorf("--oidc-issuer needs --oidc-client-id")
	}
	if o.Name == "" {
		o.Name = u.Host
	}
	if len([]rune(o.Name)) > 60 {
		return fmt.Errorf("--oidc-name must be at most 60 characters")
	}
	if o.RoleClaim == "" {
		o.RoleClaim = DefaultRoleClaim
	}
	return nil
}

// Sessions bounds the staff sessions.
type Sessions struct {
	// Idle ends a session not used for this long.
	Idle time.Duration
	// Max ends a session this long after its log-in, used or not.
	Max time.Duration
}

// The default session limits, after the inactivity and reauthentication
// limits of NIST SP 800-63B for multi-factor logins: an hour without use
// ends a login left open on an unattended desk, and twelve hours after
// logging in, one working day, every login ends, so that a stolen cookie
// lives at most that long. A browser tab with a form open keeps the login
// alive only while staff use it.
const (
	DefaultSessionIdle = time.Hour
	DefaultSessionMax  = 12 * time.Hour
)

// Limits of the session settings: an idle limit under five minutes logs
// staff out while they write; a login longer than thirty days is no
// longer a session.
const (
	MinSessionIdle = 5 * time.Minute
	MaxSessionMax  = 30 * Day
)

// Validate fills zero limits with the defaults and checks them.
func (s *Sessions) Validate() error {
	if s.Idle == 0 {
		s.Idle = DefaultSessionIdle
	}
	if s.Max == 0 {
		s.Max = DefaultSessionMax
	}
	if s.Idle < MinSessionIdle {
		return fmt.Errorf("--session-idle must be at least 5 minutes")
	}
	if s.Max > MaxSessionMax {
		return fmt.Errorf("--session-max must be at most 30 days")
	}
	if s.Idle > s.Max {
		return fmt.Errorf("--session-idle must not be longer than --session-max")
	}
	return nil
}
