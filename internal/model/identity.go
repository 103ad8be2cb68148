package model

import "time"

// Identity is a person's identity at an OpenID Connect provider linked to
// a staff account: the provider's issuer and the subject it gives the
// person. An e-mail address alone never identifies anyone.
type Identity struct {
	Issuer    string
	Subject   string
	UserID    string
	CreatedAt time.Time
}

// SessionEntry is one login as a list of sessions shows it: never the
// token or its hash's lookup key in a form, and no address.
type SessionEntry struct {
	ID         string // the session's key (hash of the token); not shown
	UserID     string
	Device     string // short browser and system name, such as "Firefox on Linux"; empty: unknown
	Via        string // how the person logged in: "password", "oidc" or empty
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}
