package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// Passkeys (WebAuthn). Plein is the relying party of its public URL's host
// name: passkeys work when that is a name such as plein.example.nl or
// localhost, not an IP address, which WebAuthn does not allow. A passkey
// is registered as a discoverable credential (a "resident key"), so that
// it logs in without an e-mail address or password; user verification (a
// PIN, fingerprint or face) is preferred when registering and when it is a
// second factor after a password, and required when a passkey logs in on
// its own, as it is then both factors.
const (
	// ChallengeAge is how long a log-in or registration in progress waits
	// for its browser: the passkey's answer or the second factor after a
	// password.
	ChallengeAge = 5 * time.Minute
	// MaxPasskeyNameLength is the longest name of a passkey, in characters.
	MaxPasskeyNameLength = 60
	// MaxPasskeyResponse bounds the browser's answer of a passkey, in
	// bytes.
	MaxPasskeyResponse = 64 << 10
	// MaxPasskeys is the most passkeys one account may have.
	MaxPasskeys = 20
	// MaxOpenPasskeyLogins bounds the passkey log-ins without an account
	// that may be in progress at once, so that anyone asking for
	// challenges cannot fill the database; past it, BeginPasskeyLogin
	// returns ErrBusy until some expire.
	MaxOpenPasskeyLogins = 1000
)

// The purposes of challenges.
const (
	purposeSecondFactor = "second-factor" // the password was right; a second factor is due
	purposeRegister     = "passkey-register"
	purposePasskeyLogin = "passkey-login"
)

// ErrNoPasskeys reports that passkeys cannot be used: the public URL's host
// is an IP address.
var ErrNoPasskeys = errors.New("auth: passkeys need a host name in the public URL")

// UsePublicURL makes the host of the installation's public URL the
// relying party of passkeys. When the host is an IP address, passkeys are
// unavailable and it returns ErrNoPasskeys; everything else works. Call it
// before use only.
func (s *Service) UsePublicURL(publicURL string) error {
	u, err := url.Parse(publicURL)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("auth: public URL %q: %w", publicURL, ErrNoPasskeys)
	}
	if _, err := netip.ParseAddr(u.Hostname()); err == nil {
		return ErrNoPasskeys
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          u.Hostname(),
		RPDisplayName: issuer,
		RPOrigins:     []string{u.Scheme + "://" + u.Host},
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: ChallengeAge},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: ChallengeAge},
		},
	})
	if err != nil {
		return fmt.Errorf("auth: passkeys: %w", err)
	}
	s.webAuthn = wa
	return nil
}

// PasskeysAvailable reports whether passkeys can be registered and used.
func (s *Service) PasskeysAvailable() bool { return s.webAuthn != nil }

// passkeyUser is an account as the WebAuthn library sees it. Its user
// handle is the account's id, which tells nothing about the person.
type passkeyUser struct {
	u     *model.User
	creds []webauthn.Credential
}

func (p *passkeyUser) WebAuthnID() []byte   { return []byte(p.u.ID) }
func (p *passkeyUser) WebAuthnName() string { return p.u.Email }
func (p *passkeyUser) WebAuthnDisplayName() string {
	if p.u.Name != "" {
		return p.u.Name
	}
	return p.u.Email
}
func (p *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return p.creds }

// loadPasskeyUser returns u with its passkeys' credentials.
func (s *Service) loadPasskeyUser(ctx context.Context, u *model.User) (*passkeyUser, error) {
	keys, err := s.st.Passkeys(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("auth: passkeys: %w", err)
	}
	pu := &passkeyUser{u: u}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(k.Credential), &c); err != nil {
			return nil, fmt.Errorf("auth: passkey %s: %w", k.ID, err)
		}
		pu.creds = append(pu.creds, c)
	}
	return pu, nil
}

// newChallenge stores a challenge and returns the token that finds it.
func (s *Service) newChallenge(ctx context.Context, userID, purpose string, data any) (string, error) {
	token := rand.Text() + rand.Text()
	b, err := json.Marshal(data)
	if err != nil {
		return "", fmt.Errorf("auth: challenge: %w", err)
	}
	c := &model.AuthChallenge{ID: sessionID(token), UserID: userID, Purpose: purpose, Data: string(b), ExpiresAt: s.now().Add(ChallengeAge)}
	if err := s.st.PutChallenge(ctx, c); err != nil {
		return "", fmt.Errorf("auth: challenge: %w", err)
	}
	return token, nil
}

// takeChallenge removes and returns the current challenge of token for
// purpose; ErrBadCode when there is none.
func (s *Service) takeChallenge(ctx context.Context, token, purpose string) (*model.AuthChallenge, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrBadCode
	}
	c, err := s.st.TakeChallenge(ctx, sessionID(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadCode
	}
	if err != nil {
		return nil, fmt.Errorf("auth: challenge: %w", err)
	}
	if c.Purpose != purpose || !s.now().Before(c.ExpiresAt) {
		return nil, ErrBadCode
	}
	return c, nil
}

// BeginPasskeyRegistration starts registering a passkey for the actor and
// returns the options for the browser's navigator.credentials.create, as
// JSON, and the token that finishes it.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, actor Actor) (json.RawMessage, string, error) {
	if s.webAuthn == nil {
		return nil, "", ErrNoPasskeys
	}
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return nil, "", err
	}
	pu, err := s.loadPasskeyUser(ctx, u)
	if err != nil {
		return nil, "", err
	}
	if len(pu.creds) >= MaxPasskeys {
		return nil, "", model.Invalid("name", i18n.M(i18n.ErrTooManyPasskeys, MaxPasskeys))
	}
	creation, session, err := s.webAuthn.BeginRegistration(pu,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationPreferred,
		}),
		webauthn.WithExclusions(webauthn.Credentials(pu.creds).CredentialDescriptors()),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation))
	if err != nil {
		return nil, "", fmt.Errorf("auth: begin passkey registration: %w", err)
	}
	token, err := s.newChallenge(ctx, u.ID, purposeRegister, session)
	if err != nil {
		return nil, "", err
	}
	options, err := json.Marshal(creation.Response)
	if err != nil {
		return nil, "", fmt.Errorf("auth: begin passkey registration: %w", err)
	}
	return options, token, nil
}

// FinishPasskeyRegistration checks the browser's answer to a registration
// begun with token and stores the passkey under name. It returns
// model.FieldErrors a person can act on.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, actor Actor, token, name string, response []byte) error {
	if s.webAuthn == nil {
		return ErrNoPasskeys
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxPasskeyNameLength {
		return model.Invalid("name", i18n.M(i18n.ErrPasskeyName, MaxPasskeyNameLength))
	}
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return err
	}
	c, err := s.takeChallenge(ctx, token, purposeRegister)
	if errors.Is(err, ErrBadCode) || err == nil && c.UserID != u.ID {
		return model.Invalid("passkey", i18n.M(i18n.ErrPasskeyExpired))
	}
	if err != nil {
		return err
	}
	var session webauthn.SessionData
	if err := json.Unmarshal([]byte(c.Data), &session); err != nil {
		return fmt.Errorf("auth: passkey registration: %w", err)
	}
	pu, err := s.loadPasskeyUser(ctx, u)
	if err != nil {
		return err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return model.Invalid("passkey", i18n.M(i18n.ErrPasskeyRefused))
	}
	cred, err := s.webAuthn.CreateCredential(pu, session, parsed)
	if err != nil {
		return model.Invalid("passkey", i18n.M(i18n.ErrPasskeyRefused))
	}
	b, err := json.Marshal(cred)
	if err != nil {
		return fmt.Errorf("auth: passkey registration: %w", err)
	}
	now := s.now()
	k := &model.Passkey{ID: base64.RawURLEncoding.EncodeToString(cred.ID), UserID: u.ID, Name: name, Credential: string(b), CreatedAt: now}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AddPasskey(ctx, k); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.passkey.add", u.Email, name, now)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return model.Invalid("passkey", i18n.M(i18n.ErrPasskeyTaken))
	}
	if err != nil {
		return fmt.Errorf("auth: passkey registration: %w", err)
	}
	return nil
}

// RemovePasskey removes one of the actor's passkeys. When no second factor
// is left, the recovery codes go too.
func (s *Service) RemovePasskey(ctx context.Context, actor Actor, id string) error {
	u, err := s.ownAccount(ctx, actor)
	if err != nil {
		return err
	}
	k, err := s.st.PasskeyByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && k.UserID != u.ID {
		return model.Invalid("passkey", i18n.M(i18n.ErrNoSuchPasskey))
	}
	if err != nil {
		return fmt.Errorf("auth: remove passkey: %w", err)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeletePasskey(ctx, u.ID, id); err != nil {
			return err
		}
		if err := dropCodesIfNoFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.passkey.remove", u.Email, k.Name, s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: remove passkey: %w", err)
	}
	return nil
}

// Passkeys returns the actor's passkeys.
func (s *Service) Passkeys(ctx context.Context, actor Actor) ([]*model.Passkey, error) {
	keys, err := s.st.Passkeys(ctx, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("auth: passkeys: %w", err)
	}
	return keys, nil
}

// PendingLogin is a log-in whose password was right and whose second
// factor is due, found by the token its browser holds.
type PendingLogin struct {
	User *model.User
	// Passkey and TOTP say which second factors the account has; a
	// recovery code works with either.
	Passkey, TOTP bool
}

// BeginSecondFactor records that u's password was right and a second
// factor is due, and returns the token for the browser; ChallengeAge later
// the browser must start again.
func (s *Service) BeginSecondFactor(ctx context.Context, u *model.User) (string, error) {
	return s.newChallenge(ctx, u.ID, purposeSecondFactor, struct{}{})
}

// PendingLogin returns the log-in of token that awaits its second factor;
// ErrNoSession when there is none (or it expired).
func (s *Service) PendingLogin(ctx context.Context, token string) (*PendingLogin, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrNoSession
	}
	c, err := s.st.Challenge(ctx, sessionID(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: pending log-in: %w", err)
	}
	if c.Purpose != purposeSecondFactor || !s.now().Before(c.ExpiresAt) {
		return nil, ErrNoSession
	}
	u, err := s.users.UserByID(ctx, c.UserID)
	if err != nil {
		return nil, fmt.Errorf("auth: pending log-in: %w", err)
	}
	p := &PendingLogin{User: u}
	f, err := s.st.TOTP(ctx, u.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("auth: pending log-in: %w", err)
	}
	p.TOTP = err == nil && !f.ConfirmedAt.IsZero()
	keys, err := s.st.Passkeys(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("auth: pending log-in: %w", err)
	}
	p.Passkey = len(keys) > 0 && s.webAuthn != nil
	return p, nil
}

// EndPendingLogin forgets the log-in of token awaiting its second factor,
// once it is done.
func (s *Service) EndPendingLogin(ctx context.Context, token string) error {
	if _, err := s.st.TakeChallenge(ctx, sessionID(token)); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("auth: end pending log-in: %w", err)
	}
	return nil
}

// BeginPasskeyLogin starts a log-in with a passkey and returns the options
// for the browser's navigator.credentials.get, as JSON, and the token that
// finishes it. With u, the passkey is u's second factor and must be one of
// its passkeys; without, any passkey logs in to its own account, with user
// verification.
func (s *Service) BeginPasskeyLogin(ctx context.Context, u *model.User) (json.RawMessage, string, error) {
	if s.webAuthn == nil {
		return nil, "", ErrNoPasskeys
	}
	var assertion *protocol.CredentialAssertion
	var session *webauthn.SessionData
	var err error
	userID := ""
	if u != nil {
		pu, lerr := s.loadPasskeyUser(ctx, u)
		if lerr != nil {
			return nil, "", lerr
		}
		assertion, session, err = s.webAuthn.BeginLogin(pu, webauthn.WithUserVerification(protocol.VerificationPreferred))
		userID = u.ID
	} else {
		open, cerr := s.st.CountChallenges(ctx, purposePasskeyLogin, "", s.now())
		if cerr != nil {
			return nil, "", fmt.Errorf("auth: begin passkey log-in: %w", cerr)
		}
		if open >= MaxOpenPasskeyLogins {
			return nil, "", fmt.Errorf("auth: begin passkey log-in: %w", ErrBusy)
		}
		assertion, session, err = s.webAuthn.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	}
	if err != nil {
		return nil, "", fmt.Errorf("auth: begin passkey log-in: %w", err)
	}
	token, err := s.newChallenge(ctx, userID, purposePasskeyLogin, session)
	if err != nil {
		return nil, "", err
	}
	options, err := json.Marshal(assertion.Response)
	if err != nil {
		return nil, "", fmt.Errorf("auth: begin passkey log-in: %w", err)
	}
	return options, token, nil
}

// FinishPasskeyLogin checks the browser's answer to a passkey log-in begun
// with token, within the log-in policy (the attempt is counted before the
// signature is checked, under the account the passkey names), and returns
// the account and a new device token for the browser. With want, the
// passkey must be that account's. It returns ErrBadCode when the passkey
// is unknown, refused or not the account's, or the log-in expired, and a
// *LockedError when the attempt is refused without checking.
func (s *Service) FinishPasskeyLogin(ctx context.Context, a LoginAttempt, token string, response []byte, want *model.User) (*model.User, string, error) {
	if s.webAuthn == nil {
		return nil, "", ErrNoPasskeys
	}
	c, err := s.takeChallenge(ctx, token, purposePasskeyLogin)
	if err != nil {
		return nil, "", err
	}
	if want != nil && c.UserID != want.ID || want == nil && c.UserID != "" {
		return nil, "", ErrBadCode
	}
	var session webauthn.SessionData
	if err := json.Unmarshal([]byte(c.Data), &session); err != nil {
		return nil, "", fmt.Errorf("auth: passkey log-in: %w", err)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, "", ErrBadCode
	}
	// The account the passkey names, found before its signature is
	// checked, so that the attempt counts against it.
	keyID := base64.RawURLEncoding.EncodeToString(parsed.RawID)
	k, err := s.st.PasskeyByID(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", ErrBadCode
	}
	if err != nil {
		return nil, "", fmt.Errorf("auth: passkey log-in: %w", err)
	}
	u, err := s.users.UserByID(ctx, k.UserID)
	if err != nil {
		return nil, "", fmt.Errorf("auth: passkey log-in: %w", err)
	}
	if want != nil && u.ID != want.ID || want == nil && !bytes.Equal(parsed.Response.UserHandle, []byte(u.ID)) {
		return nil, "", ErrBadCode
	}
	a.Email = u.Email
	r, err := s.Logins.Reserve(ctx, a)
	if err != nil {
		return nil, "", err
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	pu, err := s.loadPasskeyUser(ctx, u)
	if err != nil {
		_ = r.Refund(rctx)
		return nil, "", err
	}
	var cred *webauthn.Credential
	if want != nil {
		cred, err = s.webAuthn.ValidateLogin(pu, session, parsed)
	} else {
		cred, err = s.webAuthn.ValidateDiscoverableLogin(func(rawID, userHandle []byte) (webauthn.User, error) { return pu, nil }, session, parsed)
	}
	if err != nil {
		what := detailSecondFactor
		if want == nil {
			what = detailPasskey
		}
		if ferr := r.failed(rctx, u, what); ferr != nil {
			s.Logins.logger.Error("auth: recording a failed log-in", "err", ferr)
		}
		return nil, "", ErrBadCode
	}
	b, err := json.Marshal(cred)
	if err != nil {
		return nil, "", fmt.Errorf("auth: passkey log-in: %w", err)
	}
	if err := s.st.PasskeyUsed(rctx, k.ID, string(b), s.now()); err != nil {
		return nil, "", fmt.Errorf("auth: passkey log-in: %w", err)
	}
	device, err := r.Succeeded(rctx)
	if err != nil {
		return nil, "", err
	}
	return u, device, nil
}

// detailPasskey marks, in the audit log, a failed log-in with a passkey
// alone.
const detailPasskey = "the passkey was refused"
