package store

import (
	"context"
	"time"

	"plein/internal/model"
)

// SecondFactors stores the second factors of staff accounts (authenticator
// apps, recovery codes, passkeys), the challenges of log-ins in progress,
// and the second-factor policy's state: when it began to apply to an
// account, and which organisations require a second factor.
type SecondFactors interface {
	// PutTOTP stores an account's authenticator app, replacing the one it
	// had.
	PutTOTP(ctx context.Context, f *model.TOTPFactor) error
	// TOTP returns an account's authenticator app; ErrNotFound when none.
	TOTP(ctx context.Context, userID string) (*model.TOTPFactor, error)
	// ConfirmTOTP marks an account's app confirmed at at, with step as the
	// last step used; ErrNotFound when it has none that is unconfirmed.
	ConfirmTOTP(ctx context.Context, userID string, step int64, at time.Time) error
	// UseTOTPStep records that the code of step was used, when the last
	// step used is earlier; false when it is not (the code was used, or a
	// later one was).
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// DeleteTOTP removes an account's app; false when it had none.
	DeleteTOTP(ctx context.Context, userID string) (bool, error)
	// ReplaceRecoveryCodes replaces every recovery code of an account by
	// the codes with these hashes.
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, at time.Time) error
	// UseRecoveryCode marks the unused code with this hash used; false when
	// the account has no such unused code.
	UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) (bool, error)
	// RecoveryCodesLeft counts an account's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID string) (int, error)
	// AddPasskey stores a new passkey; ErrAlreadyExists when its id is
	// taken.
	AddPasskey(ctx context.Context, p *model.Passkey) error
	// Passkeys returns an account's passkeys, oldest first.
	Passkeys(ctx context.Context, userID string) ([]*model.Passkey, error)
	// PasskeyByID returns a passkey; ErrNotFound when there is none.
	PasskeyByID(ctx context.Context, id string) (*model.Passkey, error)
	// PasskeyUsed stores a passkey's credential after a log-in with it.
	PasskeyUsed(ctx context.Context, id, credential string, at time.Time) error
	// DeletePasskey removes an account's passkey; ErrNotFound when the
	// account has no passkey with this id.
	DeletePasskey(ctx context.Context, userID, id string) error
	// DeleteSecondFactors removes every second factor of an account: its
	// app, recovery codes and passkeys. It returns how many were removed.
	DeleteSecondFactors(ctx context.Context, userID string) (int64, error)
	// PutChallenge stores a challenge, replacing one with the same id.
	PutChallenge(ctx context.Context, c *model.AuthChallenge) error
	// Challenge returns a challenge; ErrNotFound when there is none.
	Challenge(ctx context.Context, id string) (*model.AuthChallenge, error)
	// TakeChallenge removes a challenge and returns it, so that it is used
	// once; ErrNotFound when there is none.
	TakeChallenge(ctx context.Context, id string) (*model.AuthChallenge, error)
	// CountChallenges counts the challenges for purpose of no account
	// (userID empty) or of one, that have not expired at now.
	CountChallenges(ctx context.Context, purpose, userID string, now time.Time) (int, error)
	// DeleteChallengesBefore removes the challenges that expired before t.
	DeleteChallengesBefore(ctx context.Context, t time.Time) (int64, error)
	// InitSecondFactorGrace records that the policy began to apply to an
	// account at since, unless it was recorded before, and returns the
	// time recorded.
	InitSecondFactorGrace(ctx context.Context, userID string, since time.Time) (time.Time, error)
	// SecondFactorGrace returns when the policy began to apply to an
	// account; ErrNotFound when it was not recorded.
	SecondFactorGrace(ctx context.Context, userID string) (time.Time, error)
	// DeleteSecondFactorGrace forgets when the policy began to apply to an
	// account.
	DeleteSecondFactorGrace(ctx context.Context, userID string) error
	// SetOrgRequiresSecondFactor sets whether every member of an
	// organisation needs a second factor.
	SetOrgRequiresSecondFactor(ctx context.Context, orgID string, require bool) error
	// OrgsRequiringSecondFactor returns the ids of the organisations that
	// require a second factor of every member.
	OrgsRequiringSecondFactor(ctx context.Context) ([]string, error)
}
