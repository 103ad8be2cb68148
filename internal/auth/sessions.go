package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// The ways of logging in a session records.
const (
	ViaPassword = "password"
	ViaPasskey  = "passkey"
	ViaOIDC     = "oidc"
)

// SessionStart describes a log-in that begins a session.
type SessionStart struct {
	Lang string
	// UserAgent is the browser's User-Agent header; only a short name of
	// the browser and system is kept (DeviceName).
	UserAgent string
	// DeviceToken is the device token the browser presented before this
	// log-in (its plein_device cookie), if any: when it is not a valid
	// token of the account, the browser is new to the account and its
	// owner is mailed.
	DeviceToken string
	// Via is how the person logged in: ViaPassword, ViaPasskey or ViaOIDC.
	Via string
}

// SessionLimits returns the idle and absolute limits of a session.
func (s *Service) SessionLimits() config.Sessions {
	l := s.Sessions
	if l.Idle == 0 {
		l.Idle = IdleTimeout
	}
	if l.Max == 0 {
		l.Max = MaxSessionAge
	}
	return l
}

// OpenSession begins a login for u and returns the token for the browser's
// cookie; the database keeps only its hash. It records the device's short
// name and how the person logged in, and, when the browser did not log in
// to the account before, enqueues a mail to the account's owner in the
// same transaction (when mail is configured).
func (s *Service) OpenSession(ctx context.Context, u *model.User, in SessionStart) (string, *Login, error) {
	token := rand.Text() + rand.Text()
	now := s.now().UTC()
	sess := &model.Session{ID: sessionID(token), UserID: u.ID, CSRFToken: rand.Text(), Lang: in.Lang,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.SessionLimits().Idle)}
	device := DeviceName(in.UserAgent)
	newDevice := false
	if s.mails != nil {
		secret, err := s.Logins.key(ctx)
		if err != nil {
			return "", nil, fmt.Errorf("auth: start session: %w", err)
		}
		newDevice = !validDevice(secret, NormalizeEmail(u.Email), in.DeviceToken, now)
	}
	detail := strings.TrimSpace(in.Via + " " + device)
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		if device != "" || in.Via != "" {
			if err := tx.SetSessionDevice(ctx, sess.ID, device, in.Via); err != nil {
				return err
			}
		}
		if newDevice {
			args := NewDeviceArgs{UserID: u.ID, Session: SessionRef(sess.ID), Device: device, Via: in.Via, At: now, Lang: in.Lang}
			if err := tx.EnqueueJob(ctx, args, nil); err != nil {
				return err
			}
		}
		return Audit(ctx, tx, ActorOf(u), "", "user.login", u.Email, detail, now)
	})
	if err != nil {
		return "", nil, fmt.Errorf("auth: start session: %w", err)
	}
	return token, &Login{Session: sess, User: u, Actor: ActorOf(u)}, nil
}

// SessionRef is how lists and forms name a session: a digest of its key,
// so that no page carries the key the cookie's token is looked up by.
func SessionRef(id string) string {
	sum := sha256.Sum256([]byte("session-ref\x00" + id))
	return hex.EncodeToString(sum[:8])
}

// SessionView is one current login of an account, as its owner and the
// administrators see it.
type SessionView struct {
	Ref        string // SessionRef of the session
	Device     string // short browser and system name; empty: unknown
	Via        string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool // the login asking
}

// sessionsOf returns the current logins of userID, marking current.
func (s *Service) sessionsOf(ctx context.Context, userID, current string) ([]SessionView, error) {
	now := s.now().UTC()
	entries, err := s.st.SessionsOfUser(ctx, userID, now, now.Add(-s.SessionLimits().Max))
	if err != nil {
		return nil, fmt.Errorf("auth: sessions: %w", err)
	}
	idle := s.SessionLimits().Idle
	out := make([]SessionView, 0, len(entries))
	for _, e := range entries {
		if now.Sub(e.LastSeenAt) >= idle {
			continue // past a shortened idle limit; Resume ends it
		}
		out = append(out, SessionView{Ref: SessionRef(e.ID), Device: e.Device, Via: e.Via, CreatedAt: e.CreatedAt,
			LastSeenAt: e.LastSeenAt, Current: e.ID == current})
	}
	return out, nil
}

// OwnSessions returns the current logins of the account of l, the one
// asking marked Current.
func (s *Service) OwnSessions(ctx context.Context, l *Login) ([]SessionView, error) {
	return s.sessionsOf(ctx, l.User.ID, l.Session.ID)
}

// UserSessions returns the current logins of the account with the e-mail
// address email; instance administrators and the operator may ask.
func (s *Service) UserSessions(ctx context.Context, actor Actor, email string) (*model.User, []SessionView, error) {
	if err := RequireAdmin(actor); err != nil {
		return nil, nil, err
	}
	u, err := s.user(ctx, email)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.sessionsOf(ctx, u.ID, "")
	return u, list, err
}

// EndOwnSession ends one login of the account of l, named by its
// SessionRef; a model.FieldError when the account has no such login.
func (s *Service) EndOwnSession(ctx context.Context, l *Login, ref string) error {
	now := s.now().UTC()
	entries, err := s.st.SessionsOfUser(ctx, l.User.ID, now, now.Add(-s.SessionLimits().Max))
	if err != nil {
		return fmt.Errorf("auth: end session: %w", err)
	}
	for _, e := range entries {
		if SessionRef(e.ID) != ref {
			continue
		}
		err := s.st.InTx(ctx, func(tx store.Tx) error {
			if err := tx.DeleteSessionOfUser(ctx, l.User.ID, e.ID); err != nil {
				return err
			}
			return Audit(ctx, tx, l.Actor, "", "session.end", l.User.Email, e.Device, s.now())
		})
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return fmt.Errorf("auth: end session: %w", err)
		}
		return nil
	}
	return model.Invalid("session", i18n.M(i18n.ErrNoSuchSession))
}

// EndOtherSessions ends every login of the account of l except l's own.
func (s *Service) EndOtherSessions(ctx context.Context, l *Login) error {
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteUserSessions(ctx, l.User.ID, l.Session.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, l.Actor, "", "session.end-others", l.User.Email, "", s.now())
	})
	if err != nil {
		return fmt.Errorf("auth: end sessions: %w", err)
	}
	return nil
}

// EndUserSessions ends every login of the account with the e-mail address
// email and returns how many there were; instance administrators and the
// operator may. The owner logs in again at once if they can: this is for
// a lost laptop or a stolen password, together with a new password.
func (s *Service) EndUserSessions(ctx context.Context, actor Actor, email string) (int, error) {
	_, list, err := s.UserSessions(ctx, actor, email)
	if err != nil {
		return 0, err
	}
	u, err := s.user(ctx, email)
	if err != nil {
		return 0, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return Audit(ctx, tx, actor, "", "session.end-all", u.Email, fmt.Sprint(len(list)), s.now())
	})
	if err != nil {
		return 0, fmt.Errorf("auth: end sessions: %w", err)
	}
	return len(list), nil
}

// DeviceName reduces a User-Agent header to a short name of the browser
// and the system, such as "Firefox (Linux)"; empty when it names neither.
// Nothing else of the header is kept.
func DeviceName(ua string) string {
	if len(ua) > 512 {
		ua = ua[:512]
	}
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"}, {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"},
		{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"}, {"Chromium/", "Chromium"}, {"CriOS/", "Chrome"},
		{"HeadlessChrome/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Android", "Android"}, {"CrOS", "ChromeOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " (" + system + ")"
	case browser != "":
		return browser
	}
	return system
}

// Account returns the account with the id; instance administrators and
// the operator may ask. A model.FieldError when there is none.
func (s *Service) Account(ctx context.Context, actor Actor, id string) (*model.User, error) {
	if err := RequireAdmin(actor); err != nil {
		return nil, err
	}
	u, err := s.users.UserByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, model.Invalid("member", i18n.M(i18n.ErrNoSuchAccount))
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return u, nil
}
