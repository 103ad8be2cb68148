package model

import "time"

// TOTPFactor is a staff account's authenticator app: a shared secret from
// which both sides derive a six-digit code every 30 seconds (RFC 6238).
type TOTPFactor struct {
	UserID string
	// Secret is the shared secret sealed with the installation's key; the
	// store never holds it in the clear.
	Secret string
	// LastStep is the last 30-second step whose code was accepted: a code
	// of that step or an earlier one is refused, so that each code is used
	// once.
	LastStep  int64
	CreatedAt time.Time
	// ConfirmedAt is when the account confirmed the app with a first code;
	// zero while it is being set up, when it is no second factor yet.
	ConfirmedAt time.Time
}

// Passkey is a WebAuthn credential of a staff account: a key pair kept by
// the person's device or security key, of which Plein holds the public key.
type Passkey struct {
	ID     string // the credential id, base64url without padding
	UserID string
	Name   string // the name the person gave it, such as "laptop"
	// Credential is the public key with its flags and signature counter, as
	// JSON.
	Credential string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used to log in
}

// AuthChallenge is a log-in or registration in progress, found by the hash
// of a token its browser holds, until ExpiresAt.
type AuthChallenge struct {
	ID        string // SHA-256 of the token, hex
	UserID    string // empty before the account is known (passkey log-in)
	Purpose   string
	Data      string // what the step needs, such as a WebAuthn challenge as JSON
	ExpiresAt time.Time
}
