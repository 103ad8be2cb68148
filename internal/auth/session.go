package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/store"
)

// Default session lifetimes: a login ends after IdleTimeout without use,
// and at the latest MaxSessionAge after it began, unless Service.Sessions
// sets others.
const (
	IdleTimeout   = config.DefaultSessionIdle
	MaxSessionAge = config.DefaultSessionMax
)

// ErrNoSession means the token names no current login.
var ErrNoSession = errors.New("auth: not logged in")

// Login is a staff member's current session with the account behind it.
type Login struct {
	Session *model.Session
	User    *model.User
	Actor   Actor
}

func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StartSession begins a login for u and returns the token for the
// browser's cookie; the database keeps only its hash. OpenSession does
// the same and also records the device and mails a new one.
func (s *Service) StartSession(ctx context.Context, u *model.User, lang string) (string, *Login, error) {
	return s.OpenSession(ctx, u, SessionStart{Lang: lang})
}

// Resume returns the login for a cookie token, extending its idle timeout;
// ErrNoSession when it is unknown or expired.
func (s *Service) Resume(ctx context.Context, token string) (*Login, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	sess, err := s.st.SessionByID(ctx, sessionID(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: resume: %w", err)
	}
	now := s.now().UTC()
	limits := s.SessionLimits()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= limits.Idle || now.Sub(sess.CreatedAt) > limits.Max {
		if err := s.st.DeleteSession(ctx, sess.ID); err != nil {
			return nil, fmt.Errorf("auth: end expired session: %w", err)
		}
		return nil, ErrNoSession
	}
	u, err := s.users.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, fmt.Errorf("auth: resume: %w", err)
	}
	// Write the new expiry at most once a minute, not on every request.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(limits.Idle)
		if err := s.st.UpdateSession(ctx, sess); err != nil {
			return nil, fmt.Errorf("auth: resume: %w", err)
		}
	}
	return &Login{Session: sess, User: u, Actor: ActorOf(u)}, nil
}

// SetSessionLanguage stores the interface language of a login.
func (s *Service) SetSessionLanguage(ctx context.Context, sess *model.Session, lang string) error {
	sess.Lang = lang
	if err := s.st.UpdateSession(ctx, sess); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// EndSession logs out.
func (s *Service) EndSession(ctx context.Context, l *Login) error {
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSession(ctx, l.Session.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, l.Actor, "", "user.logout", l.User.Email, "", s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: end session: %w", err)
	}
	return nil
}
