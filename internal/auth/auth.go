// Package auth knows who may do what: staff accounts with argon2id
// passwords, instance administrators, and each member's role per
// organisation. It knows nothing of HTTP; the command line and the staff
// interface both act through an Actor.
//
// Log-ins through the staff form are limited by a policy that an attacker
// cannot turn against staff (LoginLimiter; the numbers are the constants
// beside it). Failures are counted in the database, for every node, under
// keyed hashes: per account and client address together, 10 in 15 minutes
// refuse that pair only, so that the account's owner elsewhere and the
// colleagues behind the same address still log in; per account from every
// address, 50 alert the instance administrators and slow unknown browsers
// down, but never lock the account; per address for every account, 100
// refuse the address (against password spraying) except in browsers that
// logged in to the account before. A browser that logs in gets a device
// token that keeps it known to the account and counts its failures apart.
// Every failure and lock is in the installation's audit log with the
// address cut to /24 or /48, and in metrics; password checks are bounded by
// a memory budget (HashMemoryBudget) and refused with ErrBusy past it.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/webauthn"

	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/keyring"
	"plein/internal/model"
	"plein/internal/store"
)

// Actor is who performs an action: a staff member, or the operator working
// on the command line with direct access to the data.
type Actor struct {
	UserID   string
	Name     string // for the archive: who made a revision
	IsAdmin  bool   // instance administrator
	Operator bool   // command line without --as: every permission
}

// Operator is the actor of command-line work done without naming a user.
func Operator() Actor { return Actor{Operator: true, Name: "operator (command line)"} }

// Permission is an action within an organisation.
type Permission int

// The permissions roles grant.
const (
	PermPublish  Permission = iota // write, schedule, publish, edit, pin, delete posts
	PermManage                     // edit the profile, manage members
	PermModerate                   // moderate and answer replies
	PermInsights                   // read insights
	PermApprove                    // approve or return others' posts where approval is required
)

var grants = map[model.Role][]Permission{
	model.RoleAdmin:     {PermPublish, PermManage, PermModerate, PermInsights, PermApprove},
	model.RoleApprover:  {PermPublish, PermApprove},
	model.RoleEditor:    {PermPublish},
	model.RoleModerator: {PermModerate},
	model.RoleAnalyst:   {PermInsights},
}

// Allows reports whether role grants p.
func Allows(role model.Role, p Permission) bool {
	for _, g := range grants[role] {
		if g == p {
			return true
		}
	}
	return false
}

// Service manages staff accounts and their logins, and decides
// permissions.
type Service struct {
	// HashWait is how long Authenticate waits for a free password-hashing
	// slot (see HashMemoryBudget) before giving up with ErrBusy;
	// NewService sets it to MaxHashWait. Set it before use only.
	HashWait time.Duration
	// Logins applies the log-in policy to LogIn. NewService sets one
	// without metrics that logs to slog.Default; replace it before use
	// only.
	Logins *LoginLimiter
	// Pause waits before a log-in's password is checked, when the policy
	// slows the account down (see AccountSlowdown), or until ctx ends.
	// NewService sets a timer; tests replace it before use only.
	Pause func(ctx context.Context, d time.Duration) error
	// Sessions bounds every login; zero fields are the defaults of
	// config.Sessions. Set it before use only.
	Sessions config.Sessions

	st    store.Store
	sso   *SSO         // single sign-on; nil: none (see UseSSO)
	mails *loginMailer // new-device notices; nil: none (see UseLoginMail)
	users store.Users
	now   func() time.Time

	factorSecret *keyring.Secret    // seals app secrets, keys recovery-code hashes
	webAuthn     *webauthn.WebAuthn // the relying party of passkeys; nil: none (see UsePublicURL)
}

// NewService returns a Service on st; now is the clock.
func NewService(st store.Store, now func() time.Time) *Service {
	return &Service{HashWait: MaxHashWait, Logins: NewLoginLimiter(st, now, nil, nil), Pause: pause,
		st: st, users: st, now: now, factorSecret: keyring.New(st, settingSecondFactorKey)}
}

// Require returns model.ErrForbidden unless actor may do p in the
// organisation orgID.
func (s *Service) Require(ctx context.Context, actor Actor, orgID string, p Permission) error {
	if actor.Operator {
		return nil
	}
	if actor.UserID == "" {
		return model.ErrForbidden
	}
	m, err := s.users.Membership(ctx, orgID, actor.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return model.ErrForbidden
	}
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if !Allows(m.Role, p) {
		return model.ErrForbidden
	}
	return nil
}

// RequireAdmin returns model.ErrForbidden unless actor is an instance
// administrator or the operator.
func RequireAdmin(actor Actor) error {
	if actor.Operator || actor.IsAdmin {
		return nil
	}
	return model.ErrForbidden
}

// ActorFor returns the actor for the account with the given e-mail address.
func (s *Service) ActorFor(ctx context.Context, email string) (Actor, error) {
	u, err := s.users.UserByEmail(ctx, NormalizeEmail(email))
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, model.Invalid("as", i18n.M(i18n.ErrNoAccount, email))
	}
	if err != nil {
		return Actor{}, fmt.Errorf("auth: %w", err)
	}
	return ActorOf(u), nil
}

// ActorOf returns the actor for a staff account.
func ActorOf(u *model.User) Actor {
	name := u.Name
	if name == "" {
		name = u.Email
	}
	return Actor{UserID: u.ID, Name: name, IsAdmin: u.IsAdmin}
}

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// MaxNameLength is the longest name of a staff account, in characters.
const MaxNameLength = 100

// NewUser describes an account to create.
type NewUser struct {
	Email    string
	Name     string
	Password string // empty: a random one is made and returned
	IsAdmin  bool
	// KeepPassword spares the account the choice of its own password at
	// its first log-in: for demonstration accounts, whose passwords are
	// printed for anyone trying Plein, and for test fixtures. Every other
	// account's owner must replace the password an administrator chose.
	KeepPassword bool
}

// CreateUser creates a staff account and returns it with the password it
// got (the one given, or a new random one to print once). Unless
// in.KeepPassword, the account must choose its own password at its first
// log-in.
func (s *Service) CreateUser(ctx context.Context, actor Actor, in NewUser) (*model.User, string, error) {
	if err := RequireAdmin(actor); err != nil {
		return nil, "", err
	}
	email := NormalizeEmail(in.Email)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return nil, "", model.Invalid("email", i18n.M(i18n.ErrEmailInvalid, in.Email))
	}
	password := in.Password
	if password == "" {
		password = RandomPassword()
	}
	if err := checkPassword(password); err != nil {
		return nil, "", err
	}
	if utf8.RuneCountInString(in.Name) > MaxNameLength {
		return nil, "", model.Invalid("name", i18n.M(i18n.ErrNameTooLong, MaxNameLength))
	}
	now := s.now()
	u := &model.User{ID: model.NewID(now), Email: email, Name: strings.TrimSpace(in.Name),
		PasswordHash: HashPassword(password), IsAdmin: in.IsAdmin, MustChangePassword: !in.KeepPassword, CreatedAt: now}
	detail := ""
	if u.IsAdmin {
		detail = "instance administrator"
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "user.create", email, detail, now)
	})
	if err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return nil, "", model.Invalid("email", i18n.M(i18n.ErrEmailTaken, email))
		}
		return nil, "", fmt.Errorf("auth: %w", err)
	}
	return u, password, nil
}

func checkPassword(p string) error {
	if n := len([]rune(p)); n < MinPasswordLength || n > MaxPasswordLength {
		return model.Invalid("password", i18n.M(i18n.ErrPasswordLength, MinPasswordLength, MaxPasswordLength))
	}
	return nil
}

// ResetPassword gives an account a new password (random when empty) and
// returns it. The account's logins end, and its owner must choose their
// own password at the next log-in.
func (s *Service) ResetPassword(ctx context.Context, actor Actor, email, password string) (string, error) {
	if err := RequireAdmin(actor); err != nil {
		return "", err
	}
	u, err := s.user(ctx, email)
	if err != nil {
		return "", err
	}
	if password == "" {
		password = RandomPassword()
	}
	if err := checkPassword(password); err != nil {
		return "", err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetPasswordHash(ctx, u.ID, HashPassword(password)); err != nil {
			return err
		}
		if err := tx.SetMustChangePassword(ctx, u.ID, true); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "user.reset-password", u.Email, "", s.now())
	})
	if err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	return password, nil
}

// ChangePassword sets a new password for the actor's own account after
// checking the current one, and ends the account's other logins. It
// clears the account's duty to choose its own password; the audit log
// records that choice as "user.choose-password", any later change as
// "user.change-password".
func (s *Service) ChangePassword(ctx context.Context, actor Actor, current, next, keepSession string) error {
	u, err := s.users.UserByID(ctx, actor.UserID)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	ok, err := VerifyPassword(ctx, u.PasswordHash, current, 0)
	if errors.Is(err, ErrBusy) {
		return fmt.Errorf("auth: check current password: %w", err)
	}
	if err != nil || !ok {
		return model.Invalid("current", i18n.M(i18n.ErrNotCurrent))
	}
	if err := checkPassword(next); err != nil {
		return &model.FieldError{Field: "new", Message: err.(*model.FieldError).Message} // the field of the new password
	}
	action := "user.change-password"
	if u.MustChangePassword {
		action = "user.choose-password"
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetPasswordHash(ctx, u.ID, HashPassword(next)); err != nil {
			return err
		}
		if u.MustChangePassword {
			if err := tx.SetMustChangePassword(ctx, u.ID, false); err != nil {
				return err
			}
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, keepSession); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", action, u.Email, "", s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// User returns the account with the e-mail address; a model.FieldError
// when there is none.
func (s *Service) User(ctx context.Context, email string) (*model.User, error) {
	return s.user(ctx, email)
}

func (s *Service) user(ctx context.Context, email string) (*model.User, error) {
	u, err := s.users.UserByEmail(ctx, NormalizeEmail(email))
	if errors.Is(err, store.ErrNotFound) {
		return nil, model.Invalid("email", i18n.M(i18n.ErrNoAccount, email))
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return u, nil
}

// ListUsers returns every staff account.
func (s *Service) ListUsers(ctx context.Context, actor Actor) ([]*model.User, error) {
	if err := RequireAdmin(actor); err != nil {
		return nil, err
	}
	users, err := s.users.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return users, nil
}

// Memberships returns the organisations a user belongs to, with roles.
func (s *Service) Memberships(ctx context.Context, userID string) ([]model.Membership, error) {
	ms, err := s.users.MembershipsOfUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return ms, nil
}

// AddToOrg gives the account with e-mail address email the role in the
// organisation orgID, replacing any role it had there. Instance
// administrators and the organisation's admins may do this.
func (s *Service) AddToOrg(ctx context.Context, actor Actor, orgID, email string, role model.Role) error {
	if RequireAdmin(actor) != nil {
		if err := s.Require(ctx, actor, orgID, PermManage); err != nil {
			return err
		}
	}
	u, err := s.user(ctx, email)
	if err != nil {
		return err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutMembership(ctx, model.Membership{OrgID: orgID, UserID: u.ID, Role: role}); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, orgID, "member.set-role", u.Email, string(role), s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// RemoveFromOrg takes a user out of an organisation. Instance
// administrators and the organisation's admins may; admins cannot remove
// themselves, so that an organisation is not left without one by mistake.
func (s *Service) RemoveFromOrg(ctx context.Context, actor Actor, orgID, userID string) error {
	if RequireAdmin(actor) != nil {
		if err := s.Require(ctx, actor, orgID, PermManage); err != nil {
			return err
		}
		if userID == actor.UserID {
			return model.Invalid("member", i18n.M(i18n.ErrRemoveSelf))
		}
	}
	u, err := s.users.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return model.Invalid("member", i18n.M(i18n.ErrNoSuchAccount))
	}
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteMembership(ctx, orgID, userID); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, orgID, "member.remove", u.Email, "", s.now())
	})
	if errors.Is(err, store.ErrNotFound) {
		return model.Invalid("member", i18n.M(i18n.ErrNotAMember))
	}
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// Members returns the members of an organisation with their accounts.
func (s *Service) Members(ctx context.Context, orgID string) ([]Member, error) {
	ms, err := s.users.MembersOfOrg(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	out := make([]Member, 0, len(ms))
	for _, m := range ms {
		u, err := s.users.UserByID(ctx, m.UserID)
		if err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
		out = append(out, Member{User: u, Role: m.Role})
	}
	return out, nil
}

// Member is a staff account with its role in one organisation.
type Member struct {
	User *model.User
	Role model.Role
}

// Role returns the actor's role in an organisation; ok is false when the
// actor is not a member.
func (s *Service) Role(ctx context.Context, actor Actor, orgID string) (model.Role, bool, error) {
	m, err := s.users.Membership(ctx, orgID, actor.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("auth: %w", err)
	}
	return m.Role, true, nil
}

// AuditLog returns the newest entries of an organisation's audit log (empty
// orgID: the installation's). Organisation admins and instance
// administrators may read it.
func (s *Service) AuditLog(ctx context.Context, actor Actor, orgID string, limit int) ([]*model.AuditEntry, error) {
	if RequireAdmin(actor) != nil {
		if orgID == "" {
			return nil, model.ErrForbidden
		}
		if err := s.Require(ctx, actor, orgID, PermManage); err != nil {
			return nil, err
		}
	}
	entries, err := s.st.ListAudit(ctx, orgID, limit)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return entries, nil
}

// Authenticate returns the account for email when password matches. Every
// failure is the same error, so that it does not tell whether the account
// exists; the time and memory spent are alike as well, as a dummy hash is
// verified for an unknown account. When too many passwords are being
// verified at once it waits up to s.HashWait and then returns an error
// wrapping ErrBusy, having verified nothing. It applies no log-in policy:
// the staff log-in form goes through LogIn.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*model.User, error) {
	u, ok, err := s.verify(ctx, email, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	return u, nil
}

// verify checks password against the account of email: it returns the
// account (nil when there is none) and whether the password is its own,
// after the same work either way.
func (s *Service) verify(ctx context.Context, email, password string) (*model.User, bool, error) {
	u, err := s.users.UserByEmail(ctx, NormalizeEmail(email))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, false, fmt.Errorf("auth: %w", err)
	}
	hash := dummyHash()
	if u != nil {
		hash = u.PasswordHash
	}
	ok, verr := VerifyPassword(ctx, hash, password, s.HashWait)
	if errors.Is(verr, ErrBusy) {
		return nil, false, fmt.Errorf("auth: log in: %w", verr)
	}
	return u, u != nil && ok && verr == nil, nil
}

// ErrBadCredentials is the one error for any failed log-in.
var ErrBadCredentials = errors.New("e-mail address or password is wrong")

// dummyHash is verified against when an account does not exist, so that a
// failed log-in takes as long either way.
var dummyHash = sync.OnceValue(func() string { return HashPassword(RandomPassword()) })
