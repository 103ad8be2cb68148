package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// The second-factor policy. The installation requires a second factor (an
// authenticator app or a passkey) of its administrators by default: the
// instance administrators and every organisation's admins, the accounts
// that can create accounts, give roles and change an organisation. An
// operator may require it of every account instead, or of none (for
// example when every log-in goes through single sign-on that asks for a
// second factor itself); an organisation may require it of all its
// members.
//
// Whoever the policy comes to apply to gets DefaultSecondFactorGrace to set
// one up, counted from their first log-in under the policy, not from when
// the policy changed, so that someone away for weeks does not come back to
// a locked screen. During the grace each log-in leads to the page where a
// second factor is set up, which may be put off; after it, the account can
// do nothing else until it has one.
const (
	// DefaultSecondFactorGrace is two weeks: time for everyone to be at
	// work at least once and install an app or get a security key, short
	// enough that an account with administrator rights does not stay on a
	// password alone for long.
	DefaultSecondFactorGrace = 14 * config.Day
	// MaxSecondFactorGrace bounds the grace an operator may set.
	MaxSecondFactorGrace = 90 * config.Day
)

// Requirement says of whom the installation requires a second factor.
type Requirement string

// The requirements an operator chooses from.
const (
	RequireAdmins   Requirement = "admins"   // instance administrators and organisation admins (the default)
	RequireEveryone Requirement = "everyone" // every staff account
	RequireNone     Requirement = "none"     // none, unless an organisation requires it of its members
)

// ParseRequirement reads a requirement as an operator writes it.
func ParseRequirement(s string) (Requirement, error) {
	switch r := Requirement(s); r {
	case RequireAdmins, RequireEveryone, RequireNone:
		return r, nil
	}
	return "", model.Invalid("require", i18n.M(i18n.ErrRequirement, s))
}

// SecondFactorPolicy is the installation's policy.
type SecondFactorPolicy struct {
	Require Requirement
	Grace   time.Duration
}

// Settings keys of the installation's policy.
const (
	settingRequireSecondFactor = "second_factor_require"
	settingSecondFactorGrace   = "second_factor_grace_hours"
)

// SecondFactorPolicy returns the installation's policy.
func (s *Service) SecondFactorPolicy(ctx context.Context) (SecondFactorPolicy, error) {
	p := SecondFactorPolicy{Require: RequireAdmins, Grace: DefaultSecondFactorGrace}
	v, err := s.st.Setting(ctx, settingRequireSecondFactor)
	switch {
	case err == nil:
		if r, perr := ParseRequirement(v); perr == nil {
			p.Require = r
		}
	case !errors.Is(err, store.ErrNotFound):
		return p, fmt.Errorf("auth: second factor policy: %w", err)
	}
	v, err = s.st.Setting(ctx, settingSecondFactorGrace)
	switch {
	case err == nil:
		if h, perr := strconv.Atoi(v); perr == nil && h >= 0 {
			p.Grace = time.Duration(h) * time.Hour
		}
	case !errors.Is(err, store.ErrNotFound):
		return p, fmt.Errorf("auth: second factor policy: %w", err)
	}
	return p, nil
}

// SetSecondFactorPolicy changes the installation's policy; instance
// administrators and the operator may.
func (s *Service) SetSecondFactorPolicy(ctx context.Context, actor Actor, p SecondFactorPolicy) error {
	if err := RequireAdmin(actor); err != nil {
		return err
	}
	if _, err := ParseRequirement(string(p.Require)); err != nil {
		return err
	}
	if p.Grace < 0 || p.Grace > MaxSecondFactorGrace {
		return model.Invalid("grace", i18n.M(i18n.ErrGrace, int(MaxSecondFactorGrace/config.Day)))
	}
	hours := strconv.Itoa(int(p.Grace / time.Hour))
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutSetting(ctx, settingRequireSecondFactor, string(p.Require)); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, settingSecondFactorGrace, hours); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.policy", string(p.Require), hours, s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: set second factor policy: %w", err)
	}
	return nil
}

// SetOrgSecondFactor sets whether an organisation requires a second factor
// of every member; its admins, instance administrators and the operator
// may. The organisation's audit log records it.
func (s *Service) SetOrgSecondFactor(ctx context.Context, actor Actor, orgID string, require bool) error {
	if RequireAdmin(actor) != nil {
		if err := s.Require(ctx, actor, orgID, PermManage); err != nil {
			return err
		}
	}
	detail := "off"
	if require {
		detail = "on"
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetOrgRequiresSecondFactor(ctx, orgID, require); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, orgID, "org.second-factor", "", detail, s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: organisation second factor: %w", err)
	}
	return nil
}

// OrgRequiresSecondFactor reports whether an organisation requires a
// second factor of every member.
func (s *Service) OrgRequiresSecondFactor(ctx context.Context, orgID string) (bool, error) {
	ids, err := s.st.OrgsRequiringSecondFactor(ctx)
	if err != nil {
		return false, fmt.Errorf("auth: %w", err)
	}
	return slices.Contains(ids, orgID), nil
}

// Why the policy requires a second factor of an account.
const (
	ReasonInstanceAdmin = "instance-admin"
	ReasonOrgAdmin      = "org-admin"
	ReasonEveryone      = "everyone"
	ReasonOrg           = "org"
)

// SecondFactorStatus is an account's second factors and what the policy
// asks of it.
type SecondFactorStatus struct {
	TOTP              bool // a confirmed authenticator app
	Passkeys          int
	RecoveryCodesLeft int
	// Required is set when the policy requires a second factor of the
	// account; Reason says why (one of the Reason constants).
	Required bool
	Reason   string
	// GraceSince is when the policy began to apply to the account without
	// a second factor, and Due when its grace ends; both zero when the
	// account has a second factor or the policy does not apply.
	GraceSince, Due time.Time
	// Overdue is set when the grace was over when the status was read.
	Overdue bool
}

// Enrolled reports whether the account has a second factor.
func (st *SecondFactorStatus) Enrolled() bool { return st.TOTP || st.Passkeys > 0 }

// EnrolOnly reports whether the account may do nothing but set up a
// second factor: it is required, there is none, and the grace is over.
func (st *SecondFactorStatus) EnrolOnly() bool { return st.Required && !st.Enrolled() && st.Overdue }

// InGrace reports whether the account should set up a second factor but
// may still put it off.
func (st *SecondFactorStatus) InGrace() bool { return st.Required && !st.Enrolled() && !st.Overdue }

// SecondFactorStatus returns u's second factors and what the policy asks
// of it. When the policy requires a second factor that u lacks, the start
// of its grace is recorded now unless it was before.
func (s *Service) SecondFactorStatus(ctx context.Context, u *model.User) (*SecondFactorStatus, error) {
	st := &SecondFactorStatus{}
	f, err := s.st.TOTP(ctx, u.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("auth: second factor status: %w", err)
	}
	st.TOTP = err == nil && !f.ConfirmedAt.IsZero()
	keys, err := s.st.Passkeys(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("auth: second factor status: %w", err)
	}
	st.Passkeys = len(keys)
	if st.RecoveryCodesLeft, err = s.st.RecoveryCodesLeft(ctx, u.ID); err != nil {
		return nil, fmt.Errorf("auth: second factor status: %w", err)
	}
	p, err := s.SecondFactorPolicy(ctx)
	if err != nil {
		return nil, err
	}
	if st.Reason, err = s.requiredBecause(ctx, u, p); err != nil {
		return nil, err
	}
	st.Required = st.Reason != ""
	if !st.Required || st.Enrolled() {
		return st, nil
	}
	// Read first: the staff screens ask on every request, and most times
	// the start is recorded already.
	st.GraceSince, err = s.st.SecondFactorGrace(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		st.GraceSince, err = s.st.InitSecondFactorGrace(ctx, u.ID, s.now())
	}
	if err != nil {
		return nil, fmt.Errorf("auth: second factor status: %w", err)
	}
	st.Due = st.GraceSince.Add(p.Grace)
	st.Overdue = !s.now().Before(st.Due)
	return st, nil
}

// requiredBecause returns why the policy p requires a second factor of u;
// empty when it does not.
func (s *Service) requiredBecause(ctx context.Context, u *model.User, p SecondFactorPolicy) (string, error) {
	switch {
	case p.Require == RequireEveryone:
		return ReasonEveryone, nil
	case p.Require == RequireAdmins && u.IsAdmin:
		return ReasonInstanceAdmin, nil
	}
	ms, err := s.users.MembershipsOfUser(ctx, u.ID)
	if err != nil {
		return "", fmt.Errorf("auth: second factor policy: %w", err)
	}
	if p.Require == RequireAdmins && slices.ContainsFunc(ms, func(m model.Membership) bool { return m.Role == model.RoleAdmin }) {
		return ReasonOrgAdmin, nil
	}
	if len(ms) == 0 {
		return "", nil
	}
	orgs, err := s.st.OrgsRequiringSecondFactor(ctx)
	if err != nil {
		return "", fmt.Errorf("auth: second factor policy: %w", err)
	}
	if slices.ContainsFunc(ms, func(m model.Membership) bool { return slices.Contains(orgs, m.OrgID) }) {
		return ReasonOrg, nil
	}
	return "", nil
}

// ResetSecondFactors removes every second factor of the account with the
// e-mail address and its recovery codes, and ends its log-ins: for an
// operator helping someone who lost their phone or key. The grace is not
// renewed: when it is over, the account's next log-in leads straight to
// setting up a new second factor. Instance administrators and the
// operator may. It returns how many factors were removed.
func (s *Service) ResetSecondFactors(ctx context.Context, actor Actor, email string) (int64, error) {
	if err := RequireAdmin(actor); err != nil {
		return 0, err
	}
	u, err := s.user(ctx, email)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if n, err = tx.DeleteSecondFactors(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "secondfactor.reset", u.Email, strconv.FormatInt(n, 10), s.now())
	})
	if err != nil {
		return 0, fmt.Errorf("auth: reset second factors: %w", err)
	}
	return n, nil
}

// secondFactor tells the audit entry of a second factor set up, removed,
// used or reset, or of the policy.
func (d *describer) secondFactor(ctx context.Context, e *model.AuditEntry, who Ref) (i18n.Message, error) {
	switch e.Action {
	case "secondfactor.totp.add":
		return i18n.M(i18n.AuditTOTPAdd, who), nil
	case "secondfactor.totp.remove":
		return i18n.M(i18n.AuditTOTPRemove, who), nil
	case "secondfactor.passkey.add":
		return i18n.M(i18n.AuditPasskeyAdd, who, e.Detail), nil
	case "secondfactor.passkey.remove":
		return i18n.M(i18n.AuditPasskeyRemove, who, e.Detail), nil
	case "secondfactor.codes.new":
		return i18n.M(i18n.AuditCodesNew, who), nil
	case "secondfactor.codes.used":
		return i18n.M(i18n.AuditCodesUsed, who, e.Detail), nil
	case "secondfactor.reset":
		a, err := d.account(ctx, e.Target, "")
		return i18n.M(i18n.AuditSecondFactorReset, who, a, e.Detail), err
	case "secondfactor.policy":
		days := e.Detail
		if h, err := strconv.Atoi(e.Detail); err == nil {
			days = strconv.FormatFloat(float64(h)/24, 'f', -1, 64)
		}
		return i18n.M(i18n.AuditSecondFactorPolicy, who, RequirementName(Requirement(e.Target)), days), nil
	case "org.second-factor":
		o, err := d.org(ctx, e)
		if e.Detail == "on" {
			return i18n.M(i18n.AuditOrgSecondFactorOn, who, o), err
		}
		return i18n.M(i18n.AuditOrgSecondFactorOff, who, o), err
	}
	return i18n.M(i18n.AuditOther, who, e.Action, strings.TrimSpace(e.Target+" "+e.Detail)), nil
}

// RequirementName names of whom a requirement asks a second factor, in
// the reader's language.
func RequirementName(r Requirement) any {
	switch r {
	case RequireAdmins:
		return i18n.M(i18n.RequireAdmins)
	case RequireEveryone:
		return i18n.M(i18n.RequireEveryone)
	case RequireNone:
		return i18n.M(i18n.RequireNone)
	}
	return string(r)
}
