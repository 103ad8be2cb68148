// Package org manages organisations: their permanent identity, handles that
// can change (the old one keeps redirecting) and their public profile.
package org

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/library"
	"plein/internal/model"
	"plein/internal/store"
)

// DefaultTimeZone is the time zone of a new organisation.
const DefaultTimeZone = "Europe/Amsterdam"

var handlePattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9_-]{0,38}[a-z0-9])?$`)

// reserved handles would collide with routes or mislead citizens.
var reserved = map[string]bool{
	"admin": true, "staff": true, "api": true, "static": true, "media": true, "feeds": true,
	"login": true, "logout": true, "plein": true, "instance": true, "actor": true, "inbox": true,
	"well-known": true, "nodeinfo": true, "privacy": true, "about": true, "settings": true,
}

// ValidateHandle checks that h can be a handle: 1 to 40 lower-case letters,
// digits, '-' or '_', starting and ending with a letter or digit.
func ValidateHandle(h string) error {
	if !handlePattern.MatchString(h) {
		return model.Invalid("handle", i18n.M(i18n.ErrHandleInvalid, h, 40))
	}
	if reserved[h] {
		return model.Invalid("handle", i18n.M(i18n.ErrHandleReserved, h))
	}
	return nil
}

// Service manages organisations.
type Service struct {
	st      store.Store
	auth    *auth.Service
	library *library.Library
	now     func() time.Time
}

// NewService returns a Service; avatars and header images are kept in lib.
func NewService(st store.Store, authz *auth.Service, lib *library.Library, now func() time.Time) *Service {
	return &Service{st: st, auth: authz, library: lib, now: now}
}

// Profile is the editable public profile of an organisation.
type Profile struct {
	DisplayName string
	Description string
	Links       []model.Link
	Language    string
	TimeZone    string
	// AlsoKnownAs are earlier Fediverse accounts (actor URLs) of the
	// organisation; an account listed here can move its followers to Plein.
	AlsoKnownAs []string
}

func (p *Profile) validate() error {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if p.DisplayName == "" || len([]rune(p.DisplayName)) > 100 {
		return model.Invalid("name", i18n.M(i18n.ErrDisplayName, 100))
	}
	if len([]rune(p.Description)) > 2000 {
		return model.Invalid("description", i18n.M(i18n.ErrDescriptionLong, 2000))
	}
	if p.Language == "" {
		p.Language = "nl"
	}
	tag, err := language.Parse(p.Language)
	if err != nil {
		return model.Invalid("language", i18n.M(i18n.ErrLanguageCode, p.Language))
	}
	p.Language = tag.String()
	if p.TimeZone == "" {
		p.TimeZone = DefaultTimeZone
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil {
		return model.Invalid("timezone", i18n.M(i18n.ErrTimeZone, p.TimeZone))
	}
	if len(p.Links) > 10 {
		return model.Invalid("links", i18n.M(i18n.ErrTooManyLinks, 10))
	}
	if len(p.AlsoKnownAs) > 5 {
		return model.Invalid("aka", i18n.M(i18n.ErrTooManyAka, 5))
	}
	for i, a := range p.AlsoKnownAs {
		a = strings.TrimSpace(a)
		u, err := url.Parse(a)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return model.Invalid("aka", i18n.M(i18n.ErrAkaInvalid, a))
		}
		p.AlsoKnownAs[i] = a
	}
	for _, l := range p.Links {
		u, err := url.Parse(l.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return model.Invalid("links", i18n.M(i18n.ErrLinkURL, l.URL))
		}
		if strings.TrimSpace(l.Label) == "" || len(l.Label) > 100 {
			return model.Invalid("links", i18n.M(i18n.ErrLinkLabel, 100))
		}
	}
	return nil
}

// Create makes a new organisation; only instance administrators may.
func (s *Service) Create(ctx context.Context, actor auth.Actor, handle string, p Profile) (*model.Org, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return nil, err
	}
	handle = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(handle, "@")))
	if err := ValidateHandle(handle); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	o := &model.Org{ID: model.NewID(now), Handle: handle, DisplayName: p.DisplayName, Description: p.Description,
		Links: p.Links, AlsoKnownAs: p.AlsoKnownAs, Language: p.Language, TimeZone: p.TimeZone, CreatedAt: now, UpdatedAt: now}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, o.ID, "org.create", "@"+handle, o.DisplayName, now); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, model.Invalid("handle", i18n.M(i18n.ErrHandleTaken, handle))
	}
	if err != nil {
		return nil, fmt.Errorf("org: create: %w", err)
	}
	return o, nil
}

// Rename changes an organisation's handle; the old handle redirects to the
// new one and cannot be taken by another organisation.
func (s *Service) Rename(ctx context.Context, actor auth.Actor, handle, newHandle string) (*model.Org, error) {
	o, err := s.ByHandle(ctx, handle)
	if err != nil {
		return nil, err
	}
	if err := s.requireManage(ctx, actor, o.ID); err != nil {
		return nil, err
	}
	newHandle = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(newHandle, "@")))
	if err := ValidateHandle(newHandle); err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.RenameOrg(ctx, o.ID, newHandle, s.now()); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, o.ID, "org.rename", "@"+newHandle, "from @"+o.Handle, s.now()); err != nil {
			return err
		}
		if err := tx.EnqueueJob(ctx, ProfileChangedArgs{OrgID: o.ID, At: s.now()}, nil); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, model.Invalid("handle", i18n.M(i18n.ErrHandleFormerly, newHandle))
	}
	if err != nil {
		return nil, fmt.Errorf("org: rename: %w", err)
	}
	return s.st.OrgByID(ctx, o.ID)
}

// UpdateProfile changes an organisation's public profile; its admins and
// instance administrators may.
func (s *Service) UpdateProfile(ctx context.Context, actor auth.Actor, orgID string, p Profile) (*model.Org, error) {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	var o *model.Org
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if o, err = tx.OrgByID(ctx, orgID); err != nil {
			return err
		}
		o.DisplayName, o.Description, o.Links, o.AlsoKnownAs = p.DisplayName, p.Description, p.Links, p.AlsoKnownAs
		o.Language, o.TimeZone, o.UpdatedAt = p.Language, p.TimeZone, s.now()
		if err := tx.UpdateOrg(ctx, o); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, o.ID, "org.profile", "@"+o.Handle, "", o.UpdatedAt); err != nil {
			return err
		}
		if err := tx.EnqueueJob(ctx, ProfileChangedArgs{OrgID: o.ID, At: o.UpdatedAt}, nil); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("org: update: %w", err)
	}
	return o, nil
}

// MaxHeaderAltLength is the longest alt text of a header image, in
// characters.
const MaxHeaderAltLength = 1500

// SetAvatar replaces an organisation's avatar with an uploaded image, or
// removes it when upload is nil. The old image's files are removed.
func (s *Service) SetAvatar(ctx context.Context, actor auth.Actor, orgID, name string, upload io.Reader) (*model.Org, error) {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	return s.setImage(ctx, actor, orgID, "avatar", name, upload, "", func(o *model.Org, mediaID string) string {
		old := o.AvatarID
		o.AvatarID = mediaID
		return old
	})
}

// SetHeader replaces an organisation's header image, the banner across the
// top of its page, with an uploaded image described by alt, or removes it
// when upload is nil (alt is then ignored). The old image's files are
// removed. Its admins and instance administrators may. An upload without
// alt text is refused with a model.FieldError on the field "header_alt"; an
// upload that is not a usable image, on the field "header".
func (s *Service) SetHeader(ctx context.Context, actor auth.Actor, orgID, name string, upload io.Reader, alt string) (*model.Org, error) {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	alt = strings.TrimSpace(alt)
	if upload != nil {
		if err := checkHeaderAlt(name, alt); err != nil {
			return nil, err
		}
	}
	return s.setImage(ctx, actor, orgID, "header", name, upload, alt, func(o *model.Org, mediaID string) string {
		old := o.HeaderID
		o.HeaderID, o.HeaderAlt = mediaID, alt
		if mediaID == "" {
			o.HeaderAlt = ""
		}
		return old
	})
}

// checkHeaderAlt refuses a header image without alt text or with too much.
func checkHeaderAlt(name, alt string) error {
	var named any = name
	if name == "" {
		named = i18n.M(i18n.ImageHeader)
	}
	if alt == "" {
		return model.Invalid("header_alt", i18n.M(i18n.ErrAltMissing, named))
	}
	if n := utf8.RuneCountInString(alt); n > MaxHeaderAltLength {
		return model.Invalid("header_alt", i18n.M(i18n.ErrAltTooLong, named, n, MaxHeaderAltLength))
	}
	return nil
}

// setImage replaces one of an organisation's profile images, named by
// field ("avatar" or "header"), with an upload, or removes it when upload
// is nil; the caller has checked the actor's permission. swap records the
// new media id ("" for none) in the organisation and returns the old one.
// The audit entry's detail is detail.
func (s *Service) setImage(ctx context.Context, actor auth.Actor, orgID, field, name string, upload io.Reader, detail string,
	swap func(o *model.Org, mediaID string) string) (*model.Org, error) {
	now := s.now().UTC()
	var m *model.Media
	if upload != nil {
		var err error
		if m, err = s.library.Save(ctx, orgID, field, name, upload, now); err != nil {
			return nil, err
		}
	}
	var o *model.Org
	var old *model.Media
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if o, err = tx.OrgByID(ctx, orgID); err != nil {
			return err
		}
		newID, action := "", "org."+field+".remove"
		if m != nil {
			if err := tx.CreateMedia(ctx, m); err != nil {
				return err
			}
			newID, action = m.ID, "org."+field+".set"
		}
		if oldID := swap(o, newID); oldID != "" {
			if old, err = tx.MediaByID(ctx, oldID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if old != nil {
				if err := tx.DeleteMedia(ctx, old.ID); err != nil {
					return err
				}
			}
		}
		o.UpdatedAt = now
		if err := tx.UpdateOrg(ctx, o); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, o.ID, action, "@"+o.Handle, detail, now); err != nil {
			return err
		}
		if err := tx.EnqueueJob(ctx, ProfileChangedArgs{OrgID: o.ID, At: now}, nil); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		if m != nil {
			s.library.Discard(m)
		}
		return nil, fmt.Errorf("org: %s: %w", field, err)
	}
	if old != nil {
		if err := s.library.Remove(ctx, old); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Avatar returns the media of an organisation's avatar, or nil.
func (s *Service) Avatar(ctx context.Context, o *model.Org) (*model.Media, error) {
	return s.image(ctx, o.AvatarID)
}

// Header returns the media of an organisation's header image, or nil; its
// alt text is o.HeaderAlt.
func (s *Service) Header(ctx context.Context, o *model.Org) (*model.Media, error) {
	return s.image(ctx, o.HeaderID)
}

// image returns the media with the id, or nil when id is empty or the
// media is gone.
func (s *Service) image(ctx context.Context, id string) (*model.Media, error) {
	if id == "" {
		return nil, nil
	}
	m, err := s.st.MediaByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("org: image %s: %w", id, err)
	}
	return m, nil
}

// requireManage returns model.ErrForbidden unless actor is an instance
// administrator, the operator or an admin of the organisation orgID.
func (s *Service) requireManage(ctx context.Context, actor auth.Actor, orgID string) error {
	if auth.RequireAdmin(actor) == nil {
		return nil
	}
	return s.auth.Require(ctx, actor, orgID, auth.PermManage)
}

// ErrUnknownHandle means no organisation has, or had, the handle.
var ErrUnknownHandle = errors.New("no organisation has this handle")

// ByHandle returns the organisation whose current handle is handle.
func (s *Service) ByHandle(ctx context.Context, handle string) (*model.Org, error) {
	o, err := s.st.OrgByHandle(ctx, strings.ToLower(strings.TrimPrefix(handle, "@")))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("org: %q: %w", handle, ErrUnknownHandle)
	}
	return o, err
}

// Resolve returns the organisation for handle and whether handle is a
// former one (callers redirect to the current handle).
func (s *Service) Resolve(ctx context.Context, handle string) (o *model.Org, former bool, err error) {
	handle = strings.ToLower(handle)
	o, err = s.st.OrgByHandle(ctx, handle)
	if err == nil {
		return o, false, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	o, err = s.st.OrgByFormerHandle(ctx, handle)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, fmt.Errorf("org: %q: %w", handle, ErrUnknownHandle)
	}
	return o, err == nil, err
}

// List returns every organisation.
func (s *Service) List(ctx context.Context) ([]*model.Org, error) {
	return s.st.ListOrgs(ctx)
}

// ByID returns the organisation with the permanent id.
func (s *Service) ByID(ctx context.Context, id string) (*model.Org, error) {
	o, err := s.st.OrgByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("org: %q: %w", id, ErrUnknownHandle)
	}
	return o, err
}

// ProfileChangedArgs is the durable job that announces a changed profile or
// handle to the organisation's followers. It is enqueued in the
// transaction of the change; its worker lives in package federation.
type ProfileChangedArgs struct {
	OrgID string    `json:"org_id"`
	At    time.Time `json:"at"` // distinguishes successive changes
}

// Kind implements river.JobArgs.
func (ProfileChangedArgs) Kind() string { return "org_profile_changed" }
