// Package crosspost publishes an organisation's posts to its Bluesky
// account: it keeps the connection (PDS, handle and the app password,
// sealed with the installation's key), and its worker brings the copy of
// each post there up to date when the post is published, edited or
// deleted. Package bluesky speaks the protocol; this package decides what
// to send.
package crosspost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"plein/internal/auth"
	"plein/internal/bluesky"
	"plein/internal/i18n"
	"plein/internal/keyring"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/store"
)

// Fields of a connection, for model.FieldError.
const (
	FieldPDS      = "pds"
	FieldHandle   = "bluesky_handle"
	FieldPassword = "app_password"
	FieldPolicy   = "edit_policy"
)

// Limits on what a connection may hold.
const (
	maxHandle   = 253
	maxPassword = 256
	maxPDS      = 2048
)

// ErrNotConnected means the organisation has no Bluesky account
// connected.
var ErrNotConnected = model.Invalid("bluesky", i18n.M(i18n.ErrBlueskyNotLinked))

// Config is what a Service needs.
type Config struct {
	Store  store.Store
	Auth   *auth.Service
	Client *bluesky.Client
	// Box seals app passwords with the installation's key.
	Box *keyring.Box
	// Media holds the images of posts.
	Media media.Store
	// BaseURL is the installation's public URL: the link cards of posts
	// cut for Bluesky point there.
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service connects organisations to Bluesky and publishes their posts
// there. It is safe for concurrent use.
type Service struct {
	c Config

	mu       sync.Mutex
	sessions map[string]*bluesky.Session // by organisation
	posts    map[string]*sync.Mutex      // a post is brought up to date by one job at a time
}

// New returns a Service.
func New(c Config) *Service {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return &Service{c: c, sessions: map[string]*bluesky.Session{}, posts: map[string]*sync.Mutex{}}
}

// Connection is what an admin gives to connect an account.
type Connection struct {
	PDS      string
	Handle   string
	Password string // an app password of the account
	// EditPolicy is model.BlueskyEditReply or model.BlueskyEditRepublish;
	// empty: reply.
	EditPolicy string
}

// Connect checks the connection by logging in to the PDS and stores it
// for the organisation orgID, replacing the one it had. A refused log-in
// or an unreachable PDS is a *model.FieldError and stores nothing.
func (s *Service) Connect(ctx context.Context, actor auth.Actor, orgID string, in Connection) (*model.BlueskyAccount, error) {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	pds, err := bluesky.NormalizePDS(in.PDS)
	if err != nil || len(in.PDS) > maxPDS {
		return nil, model.Invalid(FieldPDS, i18n.M(i18n.ErrBlueskyPDS))
	}
	handle := strings.TrimPrefix(strings.TrimSpace(in.Handle), "@")
	if handle == "" || len(handle) > maxHandle || strings.ContainsAny(handle, " /\t\n") {
		return nil, model.Invalid(FieldHandle, i18n.M(i18n.ErrBlueskyHandle))
	}
	password := strings.TrimSpace(in.Password)
	if password == "" || len(password) > maxPassword {
		return nil, model.Invalid(FieldPassword, i18n.M(i18n.ErrBlueskyPassword))
	}
	if in.EditPolicy == "" { // a new connection keeps the policy of the one it replaces
		if old, err := s.c.Store.BlueskyAccount(ctx, orgID); err == nil {
			in.EditPolicy = old.EditPolicy
		}
	}
	policy, err := checkPolicy(in.EditPolicy)
	if err != nil {
		return nil, err
	}
	sess, err := s.c.Client.CreateSession(ctx, pds, handle, password)
	if errors.Is(err, bluesky.ErrAuth) || errors.Is(err, bluesky.ErrRejected) {
		return nil, model.Invalid(FieldPassword, i18n.M(i18n.ErrBlueskyLogin))
	}
	if err != nil {
		s.c.Logger.Info("bluesky: checking a connection", "org", orgID, "err", err)
		return nil, model.Invalid(FieldPDS, i18n.M(i18n.ErrBlueskyReach))
	}
	sealed, err := s.c.Box.Seal(orgID, password)
	if err != nil {
		return nil, fmt.Errorf("crosspost: connect: %w", err)
	}
	now := s.c.Now().UTC()
	a := &model.BlueskyAccount{OrgID: orgID, PDS: pds, Handle: sess.Handle, DID: sess.DID, Password: sealed,
		EditPolicy: policy, CreatedAt: now, UpdatedAt: now}
	if a.Handle == "" {
		a.Handle = handle
	}
	err = s.c.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutBlueskyAccount(ctx, a); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, orgID, "bluesky.connect", orgID, a.Handle, now); err != nil {
			return err
		}
		return tx.MarkChanged(ctx) // the public page shows the handle
	})
	if err != nil {
		return nil, fmt.Errorf("crosspost: connect: %w", err)
	}
	s.mu.Lock()
	s.sessions[orgID] = sess
	s.mu.Unlock()
	return withoutPassword(a), nil
}

// SetEditPolicy chooses what an edit of a post does on Bluesky.
func (s *Service) SetEditPolicy(ctx context.Context, actor auth.Actor, orgID, policy string) error {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return err
	}
	policy, err := checkPolicy(policy)
	if err != nil {
		return err
	}
	return s.c.Store.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.BlueskyAccount(ctx, orgID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotConnected
		}
		if err != nil {
			return fmt.Errorf("crosspost: edit policy: %w", err)
		}
		a.EditPolicy, a.UpdatedAt = policy, s.c.Now().UTC()
		if err := tx.PutBlueskyAccount(ctx, a); err != nil {
			return fmt.Errorf("crosspost: edit policy: %w", err)
		}
		return auth.Audit(ctx, tx, actor, orgID, "bluesky.policy", orgID, policy, a.UpdatedAt)
	})
}

// Disconnect forgets the organisation's connection, its app password
// included. Posts already on Bluesky stay there.
func (s *Service) Disconnect(ctx context.Context, actor auth.Actor, orgID string) error {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return err
	}
	err := s.c.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteBlueskyAccount(ctx, orgID); errors.Is(err, store.ErrNotFound) {
			return ErrNotConnected
		} else if err != nil {
			return fmt.Errorf("crosspost: disconnect: %w", err)
		}
		if err := auth.Audit(ctx, tx, actor, orgID, "bluesky.disconnect", orgID, "", s.c.Now().UTC()); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.sessions, orgID)
	s.mu.Unlock()
	return nil
}

// Account returns the organisation's connection without its password;
// nil when it has none.
func (s *Service) Account(ctx context.Context, orgID string) (*model.BlueskyAccount, error) {
	a, err := s.c.Store.BlueskyAccount(ctx, orgID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("crosspost: account: %w", err)
	}
	return withoutPassword(a), nil
}

// PostState returns what became of a post on Bluesky; nil when it was
// never sent there.
func (s *Service) PostState(ctx context.Context, postID string) (*model.BlueskyPost, error) {
	p, err := s.c.Store.BlueskyPost(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("crosspost: post state: %w", err)
	}
	return p, nil
}

// ProfileURL is the address of a Bluesky account's profile on bsky.app.
func ProfileURL(handle string) string { return "https://bsky.app/profile/" + handle }

// PostURL is the address on bsky.app of the post whose record is at uri;
// "" for another URI.
func PostURL(uri string) string {
	repo, collection, rkey, err := bluesky.ParseURI(uri)
	if err != nil || collection != bluesky.CollectionPost {
		return ""
	}
	return "https://bsky.app/profile/" + repo + "/post/" + rkey
}

func withoutPassword(a *model.BlueskyAccount) *model.BlueskyAccount {
	c := *a
	c.Password = ""
	return &c
}

// checkPolicy returns the edit policy p names; empty: reply.
func checkPolicy(p string) (string, error) {
	switch strings.TrimSpace(p) {
	case "", model.BlueskyEditReply:
		return model.BlueskyEditReply, nil
	case model.BlueskyEditRepublish:
		return model.BlueskyEditRepublish, nil
	}
	return "", model.Invalid(FieldPolicy, i18n.M(i18n.ErrBlueskyPolicy))
}

// requireManage returns model.ErrForbidden unless actor is an instance
// administrator, the operator or an admin of the organisation orgID.
func (s *Service) requireManage(ctx context.Context, actor auth.Actor, orgID string) error {
	if auth.RequireAdmin(actor) == nil {
		return nil
	}
	return s.c.Auth.Require(ctx, actor, orgID, auth.PermManage)
}
