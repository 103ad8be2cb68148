package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// Authenticator apps (TOTP, RFC 6238) as the apps in common use expect
// them: a six-digit code of HMAC-SHA1 every 30 seconds. A code is accepted
// from the step before to the step after the server's clock, to allow for
// a phone's clock that is a little off, and only once: the step of an
// accepted code, and every earlier one, is refused afterwards.
const (
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps before or after the server's clock a code
	// is accepted from.
	TOTPSkew = 1
	// RecoveryCodeCount is how many recovery codes an account gets at a
	// time; each logs in once, in place of a second factor.
	RecoveryCodeCount = 10
	// TOTPSetupAge is how long an app being set up keeps its secret: the
	// setup page shows the same code to scan until then.
	TOTPSetupAge = 30 * time.Minute
	// maxCodeLength bounds a code typed in, before anything is done with it.
	maxCodeLength = 64
)

// settingSecondFactorKey names the installation's secret that seals the
// secrets of authenticator apps and keys the hashes of recovery codes.
const settingSecondFactorKey = "second_factor_key"

// issuer names Plein in an authenticator app.
const issuer = "Plein"

// ErrBadCode is the one error for a wrong, used or expired second-factor
// code, whatever the reason.
var ErrBadCode = errors.New("auth: the code is wrong")

// TOTPSetup is what a person needs to add Plein to an authenticator app:
// the secret in base32, to type, and the otpauth URI a QR code carries.
type TOTPSetup struct {
	Secret string
	URI    string
}

// secondFactorKeys returns the AEAD that seals app secrets and the key of
// recovery-code hashes, both derived from the installation's secret.
func (s *Service) secondFactorKeys(ctx context.Context) (cipher.AEAD, []byte, error) {
	secret, err := s.factorSecret.Bytes(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: second factor key: %w", err)
	}
	sealKey := sha256.Sum256(append([]byte("totp-seal\x00"), secret...))
	block, err := aes.NewCipher(sealKey[:])
	if err != nil {
		return nil, nil, fmt.Errorf("auth: second factor key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: second factor key: %w", err)
	}
	codeKey := sha256.Sum256(append([]byte("recovery-code\x00"), secret...))
	return aead, codeKey[:], nil
}

// seal encrypts an app's secret for the account userID, which it is bound
// to.
func seal(aead cipher.AEAD, userID, plain string) string {
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand never fails
	return base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), []byte(userID)))
}

// unseal decrypts what seal made.
func unseal(aead cipher.AEAD, userID, sealed string) (string, error) {
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(b) < aead.NonceSize() {
		return "", errors.New("auth: sealed secret is damaged")
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte(userID))
	if err != nil {
		return "", fmt.Errorf("auth: open sealed secret: %w", err)
	}
	return string(plain), nil
}

var totpOpts = totp.ValidateOpts{Period: uint(TOTPPeriod / time.Second), Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpStep returns the 30-second step of t.
func totpStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// CheckTOTP reports whether code is the code of secret (base32) at one of
// the steps from TOTPSkew before now to TOTPSkew after, and which step.
// It only compares codes: that a step is used once is kept by the store.
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = normalizeCode(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	for d := -TOTPSkew; d <= TOTPSkew; d++ {
		t := now.Add(time.Duration(d) * TOTPPeriod)
		want, err := totp.GenerateCodeCustom(secret, t, totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return totpStep(t), true
		}
	}
	return 0, false
}

// normalizeCode drops the spaces and dashes people type or copy into a
// code, and lower-cases it.
func normalizeCode(code string) string {
	if len(code) > maxCodeLength {
		return ""
	}
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

// BeginTOTP returns the secret of the authenticator app the actor is
// setting up: the one being set up when it is younger than TOTPSetupAge,
// else a new one. The actor must have no confirmed app.
func (s *Service) BeginTOTP(ctx context.Context, actor Actor) (*TOTPSetup, error) {
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return nil, err
	}
	aead, _, err := s.secondFactorKeys(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	f, err := s.st.TOTP(ctx, u.ID)
	switch {
	case err == nil && !f.ConfirmedAt.IsZero():
		return nil, model.Invalid("code", i18n.M(i18n.ErrTOTPExists))
	case err == nil && now.Sub(f.CreatedAt) < TOTPSetupAge:
		secret, err := unseal(aead, u.ID, f.Secret)
		if err != nil {
			return nil, err
		}
		return totpSetup(u, secret), nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("auth: begin totp: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpOpts.Period,
		SecretSize: 20, Digits: totpOpts.Digits, Algorithm: totpOpts.Algorithm})
	if err != nil {
		return nil, fmt.Errorf("auth: begin totp: %w", err)
	}
	if err := s.st.PutTOTP(ctx, &model.TOTPFactor{UserID: u.ID, Secret: seal(aead, u.ID, key.Secret()), CreatedAt: now}); err != nil {
		return nil, fmt.Errorf("auth: begin totp: %w", err)
	}
	return totpSetup(u, key.Secret()), nil
}

func totpSetup(u *model.User, secret string) *TOTPSetup {
	key, err := otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=30",
		issuer, strings.ReplaceAll(u.Email, "@", "%40"), secret, issuer))
	uri := ""
	if err == nil {
		uri = key.URL()
	}
	return &TOTPSetup{Secret: secret, URI: uri}
}

// ConfirmTOTP confirms the app being set up with a code it shows, which
// makes it the actor's second factor. When the actor has no recovery codes
// left, it returns new ones to show once; otherwise none.
func (s *Service) ConfirmTOTP(ctx context.Context, actor Actor, code string) ([]string, error) {
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return nil, err
	}
	aead, _, err := s.secondFactorKeys(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.st.TOTP(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (!f.ConfirmedAt.IsZero() || s.now().Sub(f.CreatedAt) >= TOTPSetupAge) {
		return nil, model.Invalid("code", i18n.M(i18n.ErrTOTPNoSetup))
	}
	if err != nil {
		return nil, fmt.Errorf("auth: confirm totp: %w", err)
	}
	secret, err := unseal(aead, u.ID, f.Secret)
	if err != nil {
		return nil, err
	}
	step, ok := CheckTOTP(secret, code, s.now())
	if !ok {
		return nil, model.Invalid("code", i18n.M(i18n.ErrCodeWrong))
	}
	var codes []string
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.ConfirmTOTP(ctx, u.ID, step, s.now()); err != nil {
			return err
		}
		if codes, err = s.newCodesIfNone(ctx, tx, u.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.totp.add", u.Email, "", s.now())
	})
	if err != nil {
		return nil, fmt.Errorf("auth: confirm totp: %w", err)
	}
	return codes, nil
}

// RemoveTOTP removes the actor's authenticator app. When no second factor
// is left, the recovery codes go too.
func (s *Service) RemoveTOTP(ctx context.Context, actor Actor) error {
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		removed, err := tx.DeleteTOTP(ctx, u.ID)
		if err != nil || !removed {
			return err
		}
		if err := dropCodesIfNoFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.totp.remove", u.Email, "", s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: remove totp: %w", err)
	}
	return nil
}

// NewRecoveryCodes replaces the actor's recovery codes by RecoveryCodeCount
// new ones and returns them, to show once. The actor must have a second
// factor.
func (s *Service) NewRecoveryCodes(ctx context.Context, actor Actor) ([]string, error) {
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return nil, err
	}
	var codes []string
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		has, err := hasSecondFactor(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if !has {
			return model.Invalid("codes", i18n.M(i18n.ErrNoSecondFactor))
		}
		if codes, err = s.replaceCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.codes.new", u.Email, "", s.now())
	})
	if _, ok := model.AsFieldError(err); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("auth: new recovery codes: %w", err)
	}
	return codes, nil
}

// newCodesIfNone makes new recovery codes when the account has none
// unused, and returns them; nil when it has some.
func (s *Service) newCodesIfNone(ctx context.Context, q store.Queries, userID string) ([]string, error) {
	left, err := q.RecoveryCodesLeft(ctx, userID)
	if err != nil || left > 0 {
		return nil, err
	}
	return s.replaceCodes(ctx, q, userID)
}

// replaceCodes stores the hashes of RecoveryCodeCount new codes and returns
// the codes.
func (s *Service) replaceCodes(ctx context.Context, q store.Queries, userID string) ([]string, error) {
	_, codeKey, err := s.secondFactorKeys(ctx)
	if err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = codeHash(codeKey, userID, codes[i])
	}
	if err := q.ReplaceRecoveryCodes(ctx, userID, hashes, s.now()); err != nil {
		return nil, err
	}
	return codes, nil
}

// newRecoveryCode returns ten random letters and digits (50 bits) in two
// groups of five: "k3m9q-x2v7d".
func newRecoveryCode() string {
	b := make([]byte, 7)
	_, _ = rand.Read(b) // crypto/rand never fails
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
	return s[:5] + "-" + s[5:]
}

// codeHash is the keyed hash a recovery code is stored under.
func codeHash(key []byte, userID, code string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(userID + "\x00" + normalizeCode(code)))
	return hex.EncodeToString(m.Sum(nil))
}

// checkSecondFactorCode reports whether code is a current app code of u or
// one of its unused recovery codes, and uses it up; recovery says which.
func (s *Service) checkSecondFactorCode(ctx context.Context, u *model.User, code string) (ok, recovery bool, err error) {
	aead, codeKey, err := s.secondFactorKeys(ctx)
	if err != nil {
		return false, false, err
	}
	norm := normalizeCode(code)
	if len(norm) == TOTPDigits {
		f, err := s.st.TOTP(ctx, u.ID)
		if errors.Is(err, store.ErrNotFound) {
			return false, false, nil
		}
		if err != nil {
			return false, false, fmt.Errorf("auth: check code: %w", err)
		}
		if f.ConfirmedAt.IsZero() {
			return false, false, nil
		}
		secret, err := unseal(aead, u.ID, f.Secret)
		if err != nil {
			return false, false, err
		}
		step, ok := CheckTOTP(secret, norm, s.now())
		if !ok {
			return false, false, nil
		}
		used, err := s.st.UseTOTPStep(ctx, u.ID, step)
		if err != nil {
			return false, false, fmt.Errorf("auth: check code: %w", err)
		}
		return used, false, nil
	}
	if norm == "" {
		return false, false, nil
	}
	used, err := s.st.UseRecoveryCode(ctx, u.ID, codeHash(codeKey, u.ID, norm), s.now())
	if err != nil {
		return false, false, fmt.Errorf("auth: check code: %w", err)
	}
	return used, used, nil
}

// LogInSecondFactor checks code, an app code or a recovery code of the
// account u whose password was right, within the log-in policy: the
// attempt is counted before the code is checked, as a password is, and a
// wrong code counts as a failed log-in. It returns a new device token for
// the browser; *LockedError (ErrLocked) when the attempt is refused
// without checking, ErrBadCode for a wrong or used code.
func (s *Service) LogInSecondFactor(ctx context.Context, a LoginAttempt, u *model.User, code string) (string, error) {
	a.Email = u.Email
	r, err := s.Logins.Reserve(ctx, a)
	if err != nil {
		return "", err
	}
	ok, recovery, err := s.checkSecondFactorCode(ctx, u, code)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err != nil {
		if rerr := r.Refund(rctx); rerr != nil {
			s.Logins.logger.Warn("auth: an attempt that was not checked still counts", "err", rerr)
		}
		return "", err
	}
	if !ok {
		if err := r.failed(rctx, u, detailSecondFactor); err != nil {
			s.Logins.logger.Error("auth: recording a failed log-in", "err", err)
		}
		return "", ErrBadCode
	}
	if recovery {
		left, err := s.st.RecoveryCodesLeft(rctx, u.ID)
		if err != nil {
			return "", fmt.Errorf("auth: log in: %w", err)
		}
		if err := Audit(rctx, s.st, ActorOf(u), "", "secondfactor.codes.used", u.Email, fmt.Sprint(left), s.now()); err != nil {
			return "", err
		}
	}
	return r.Succeeded(rctx)
}

// ownAccount returns the actor's own account: second factors are only ever
// changed by their owner (the operator resets them, see
// ResetSecondFactors).
func (s *Service) ownAccount(ctx context.Context, actor Actor) (*model.User, error) {
	if actor.UserID == "" {
		return nil, model.ErrForbidden
	}
	u, err := s.users.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return u, nil
}

// hasSecondFactor reports whether an account has a confirmed app or a
// passkey.
func hasSecondFactor(ctx context.Context, q store.Queries, userID string) (bool, error) {
	f, err := q.TOTP(ctx, userID)
	if err == nil && !f.ConfirmedAt.IsZero() {
		return true, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	keys, err := q.Passkeys(ctx, userID)
	return len(keys) > 0, err
}

// dropCodesIfNoFactor removes the recovery codes of an account that has
// no second factor left: they would stand for nothing.
func dropCodesIfNoFactor(ctx context.Context, q store.Queries, userID string) error {
	has, err := hasSecondFactor(ctx, q, userID)
	if err != nil || has {
		return err
	}
	return q.ReplaceRecoveryCodes(ctx, userID, nil, time.Time{})
}
