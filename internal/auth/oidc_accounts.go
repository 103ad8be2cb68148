package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// RoleMapping gives everyone whose role claim holds Value the role Role in
// the organisation with the handle Org.
type RoleMapping struct {
	Value string
	Org   string
	Role  model.Role
}

// Limits of a role map.
const (
	maxRoleMapLength = 4096
	maxRoleMappings  = 100
	maxClaimValue    = 255
)

var handleSyntax = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9_-]{0,38}[a-z0-9])?$`)

// ParseRoleMap reads a role map: mappings separated by commas, each
// "value=org-handle:role", such as
//
//	communicatie=gemeente:editor,webredactie=gemeente:admin
//
// The value is everything before the last "=" (so it may hold "/", as
// Keycloak's group paths do, but no comma); a value may map to roles in
// several organisations, one mapping each. Spaces around the parts are
// ignored. A mistake is a *model.FieldError of the field "oidc-role-map"
// that names the mapping.
func ParseRoleMap(s string) ([]RoleMapping, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	bad := func(entry string, key i18n.Key, args ...any) error {
		return model.Invalid("oidc-role-map", i18n.M(i18n.ErrRoleMapEntry, entry, i18n.M(key, args...)))
	}
	if len(s) > maxRoleMapLength {
		return nil, model.Invalid("oidc-role-map", i18n.M(i18n.ErrRoleMapLong, maxRoleMapLength))
	}
	var out []RoleMapping
	seen := map[[2]string]bool{}
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		i := strings.LastIndex(entry, "=")
		if i < 0 {
			return nil, bad(entry, i18n.ErrRoleMapSyntax)
		}
		value, target := strings.TrimSpace(entry[:i]), strings.TrimSpace(entry[i+1:])
		handle, roleName, ok := strings.Cut(target, ":")
		handle, roleName = strings.TrimPrefix(strings.TrimSpace(handle), "@"), strings.TrimSpace(roleName)
		switch {
		case !ok || value == "":
			return nil, bad(entry, i18n.ErrRoleMapSyntax)
		case len(value) > maxClaimValue:
			return nil, bad(entry, i18n.ErrRoleMapValue, maxClaimValue)
		case !handleSyntax.MatchString(handle):
			return nil, bad(entry, i18n.ErrRoleMapHandle, handle)
		}
		role, err := model.ParseRole(roleName)
		if err != nil {
			return nil, bad(entry, i18n.ErrRoleMapRole, roleName)
		}
		if seen[[2]string{value, handle}] {
			return nil, bad(entry, i18n.ErrRoleMapTwice, value, handle)
		}
		seen[[2]string{value, handle}] = true
		out = append(out, RoleMapping{Value: value, Org: handle, Role: role})
		if len(out) > maxRoleMappings {
			return nil, model.Invalid("oidc-role-map", i18n.M(i18n.ErrRoleMapMany, maxRoleMappings))
		}
	}
	return out, nil
}

// rolesFor returns the role per organisation handle the mappings give to
// groups; of several roles in one organisation, the most powerful.
func rolesFor(mappings []RoleMapping, groups []string) map[string]model.Role {
	out := map[string]model.Role{}
	for _, m := range mappings {
		for _, g := range groups {
			if g != m.Value {
				continue
			}
			if cur, ok := out[m.Org]; !ok || rank(m.Role) < rank(cur) {
				out[m.Org] = m.Role
			}
		}
	}
	return out
}

func rank(r model.Role) int {
	for i, each := range model.Roles {
		if each == r {
			return i
		}
	}
	return len(model.Roles)
}

// SSOActor is the audit log's actor of what single sign-on does by itself:
// accounts it creates and roles it gives.
func SSOActor() Actor { return Actor{Name: "single sign-on"} }

// ErrIdentityUnlinked is the refusal of an identity that is linked to no
// account, when accounts are not created on first log-in (or cannot be).
var ErrIdentityUnlinked = errors.New("auth: single sign-on: the identity is linked to no account")

// LogInWithIdentity logs in the account linked to the verified identity
// id, within the log-in policy (see LoginLimiter): a attempt's Email is
// ignored. It returns the account and a new device token for the browser.
// An identity linked to no account gets one when the configuration
// creates accounts and the provider vouches for an e-mail address no
// account has; otherwise it is refused with ErrIdentityUnlinked, counted
// and audited as a failed log-in. The role map is applied on every
// log-in (see applyRoles).
func (s *Service) LogInWithIdentity(ctx context.Context, a LoginAttempt, id *SSOIdentity) (*model.User, string, error) {
	p := s.sso
	if p == nil {
		return nil, "", fmt.Errorf("auth: single sign-on is not configured")
	}
	link, err := s.st.IdentityBySubject(ctx, id.Issuer, id.Subject)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, "", fmt.Errorf("auth: single sign-on: %w", err)
	}
	var u *model.User
	if link != nil {
		if u, err = s.users.UserByID(ctx, link.UserID); err != nil {
			return nil, "", fmt.Errorf("auth: single sign-on: %w", err)
		}
		a.Email = u.Email
	} else {
		a.Email = "oidc\x00" + id.Issuer + "\x00" + id.Subject
	}
	r, err := s.Logins.Reserve(ctx, a)
	if err != nil {
		return nil, "", err
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if u == nil && p.cfg.CreateAccounts && id.Email != "" {
		u, err = s.createFromIdentity(ctx, id)
		if err != nil && !errors.Is(err, ErrIdentityUnlinked) {
			if rerr := r.Refund(rctx); rerr != nil {
				s.Logins.logger.Warn("auth: an attempt that was not checked still counts", "err", rerr)
			}
			return nil, "", err
		}
	}
	if u == nil {
		if err := r.Failed(rctx, nil); err != nil {
			s.Logins.logger.Error("auth: recording a failed log-in", "err", err)
		}
		err := s.st.InTx(rctx, func(tx store.Tx) error {
			return Audit(rctx, tx, Actor{Name: clientActorPrefix + r.network}, "", "sso.unlinked", id.Subject, id.Issuer, s.now())
		})
		if err != nil {
			s.Logins.logger.Error("auth: recording a refused identity", "err", err)
		}
		return nil, "", ErrIdentityUnlinked
	}
	if err := s.applyRoles(ctx, u, id.Groups); err != nil {
		return nil, "", err
	}
	device, err := r.Succeeded(rctx)
	if err != nil {
		return nil, "", err
	}
	return u, device, nil
}

// createFromIdentity makes an account for an identity, linked to it, with
// a random password nobody knows (its owner logs in at the provider). An
// e-mail address that already has an account is refused: only its owner,
// logged in with the password, links it.
func (s *Service) createFromIdentity(ctx context.Context, id *SSOIdentity) (*model.User, error) {
	if addr, err := mail.ParseAddress(id.Email); err != nil || addr.Address != id.Email {
		return nil, ErrIdentityUnlinked
	}
	if _, err := s.users.UserByEmail(ctx, id.Email); err == nil {
		return nil, ErrIdentityUnlinked
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("auth: single sign-on: %w", err)
	}
	name := strings.TrimSpace(id.Name)
	if len([]rune(name)) > MaxNameLength {
		name = string([]rune(name)[:MaxNameLength])
	}
	now := s.now()
	u := &model.User{ID: model.NewID(now), Email: id.Email, Name: name, PasswordHash: HashPassword(RandomPassword()), CreatedAt: now}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.LinkIdentity(ctx, &model.Identity{Issuer: id.Issuer, Subject: id.Subject, UserID: u.ID, CreatedAt: now}); err != nil {
			return err
		}
		if err := Audit(ctx, tx, SSOActor(), "", "user.create", u.Email, "", now); err != nil {
			return err
		}
		return Audit(ctx, tx, SSOActor(), "", "sso.link", u.Email, id.Issuer, now)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, ErrIdentityUnlinked // made by a log-in at the same moment
	}
	if err != nil {
		return nil, fmt.Errorf("auth: single sign-on: create account: %w", err)
	}
	return u, nil
}

// applyRoles makes u's roles in the organisations the role map names
// those the map gives its groups: a role is set where it differs, and
// taken away where the groups give none (the person left the group).
// Organisations the map does not name are left alone.
func (s *Service) applyRoles(ctx context.Context, u *model.User, groups []string) error {
	if len(s.sso.roles) == 0 {
		return nil
	}
	roles := rolesFor(s.sso.roles, groups)
	named := map[string]bool{}
	for _, m := range s.sso.roles {
		if named[m.Org] {
			continue
		}
		named[m.Org] = true
		o, err := s.st.OrgByHandle(ctx, m.Org)
		if errors.Is(err, store.ErrNotFound) {
			s.sso.logger.Warn("auth: single sign-on: the role map names an organisation that does not exist", "org", m.Org)
			continue
		}
		if err != nil {
			return fmt.Errorf("auth: single sign-on: roles: %w", err)
		}
		cur, err := s.users.Membership(ctx, o.ID, u.ID)
		member := err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("auth: single sign-on: roles: %w", err)
		}
		role, mapped := roles[m.Org]
		switch {
		case mapped && member && cur.Role == role, !mapped && !member:
			continue
		}
		err = s.st.InTx(ctx, func(tx store.Tx) error {
			if !mapped {
				if err := tx.DeleteMembership(ctx, o.ID, u.ID); err != nil {
					return err
				}
				return Audit(ctx, tx, SSOActor(), o.ID, "member.remove", u.Email, "", s.now())
			}
			if err := tx.PutMembership(ctx, model.Membership{OrgID: o.ID, UserID: u.ID, Role: role}); err != nil {
				return err
			}
			return Audit(ctx, tx, SSOActor(), o.ID, "member.set-role", u.Email, string(role), s.now())
		})
		if err != nil {
			return fmt.Errorf("auth: single sign-on: roles: %w", err)
		}
	}
	return nil
}

// LinkIdentity links the account with the e-mail address email to the
// subject of the configured provider. Instance administrators and the
// operator may link any account; a staff member links their own, after
// logging in at the provider (the staff interface's "link my account").
func (s *Service) LinkIdentity(ctx context.Context, actor Actor, email, issuer, subject string) error {
	u, err := s.user(ctx, email)
	if err != nil {
		return err
	}
	if RequireAdmin(actor) != nil && actor.UserID != u.ID {
		return model.ErrForbidden
	}
	subject = strings.TrimSpace(subject)
	if subject == "" || len(subject) > MaxSubjectLength {
		return model.Invalid("subject", i18n.M(i18n.ErrSubject, MaxSubjectLength))
	}
	if issuer == "" {
		return model.Invalid("subject", i18n.M(i18n.ErrSSONotConfigured))
	}
	now := s.now()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.LinkIdentity(ctx, &model.Identity{Issuer: issuer, Subject: subject, UserID: u.ID, CreatedAt: now}); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "sso.link", u.Email, issuer, now)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return model.Invalid("subject", i18n.M(i18n.ErrSubjectTaken))
	}
	if err != nil {
		return fmt.Errorf("auth: link identity: %w", err)
	}
	return nil
}

// UnlinkIdentity removes the link of the account with the e-mail address
// email to issuer, for the same actors as LinkIdentity.
func (s *Service) UnlinkIdentity(ctx context.Context, actor Actor, email, issuer string) error {
	u, err := s.user(ctx, email)
	if err != nil {
		return err
	}
	if RequireAdmin(actor) != nil && actor.UserID != u.ID {
		return model.ErrForbidden
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.UnlinkIdentity(ctx, u.ID, issuer); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "sso.unlink", u.Email, issuer, s.now())
	})
	if errors.Is(err, store.ErrNotFound) {
		return model.Invalid("subject", i18n.M(i18n.ErrNotLinked))
	}
	if err != nil {
		return fmt.Errorf("auth: unlink identity: %w", err)
	}
	return nil
}

// Identities returns the identities linked to an account.
func (s *Service) Identities(ctx context.Context, userID string) ([]*model.Identity, error) {
	ids, err := s.st.IdentitiesOfUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: identities: %w", err)
	}
	return ids, nil
}
