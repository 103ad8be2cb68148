package store

import (
	"context"
	"time"

	"plein/internal/model"
)

// Identities links identities at an OpenID Connect provider to staff
// accounts.
type Identities interface {
	// LinkIdentity links id to its account, replacing the account's link
	// to another subject of the same issuer; ErrAlreadyExists when the
	// subject is linked to another account.
	LinkIdentity(ctx context.Context, id *model.Identity) error
	// IdentityBySubject returns the link of a subject; ErrNotFound when
	// there is none.
	IdentityBySubject(ctx context.Context, issuer, subject string) (*model.Identity, error)
	// IdentitiesOfUser returns an account's links, oldest first.
	IdentitiesOfUser(ctx context.Context, userID string) ([]*model.Identity, error)
	// UnlinkIdentity removes an account's link to issuer; ErrNotFound when
	// it has none.
	UnlinkIdentity(ctx context.Context, userID, issuer string) error
}

// SessionDevices lists and ends the logins of one account.
type SessionDevices interface {
	// SetSessionDevice records how a session was made: the short device
	// name and the way of logging in.
	SetSessionDevice(ctx context.Context, id, device, via string) error
	// SessionsOfUser returns the account's sessions that have not expired
	// at now, most recently used first.
	SessionsOfUser(ctx context.Context, userID string, now, oldest time.Time) ([]*model.SessionEntry, error)
	// DeleteSessionOfUser ends the session id if it belongs to userID;
	// ErrNotFound otherwise.
	DeleteSessionOfUser(ctx context.Context, userID, id string) error
}
