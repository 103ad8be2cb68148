package auth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

func TestAccounts(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := pleintest.NewServer(t, e)
			a := srv.App.Auth
			u, pw, err := a.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: " Eva@Example.NL ", Name: "Eva"})
			if err != nil {
				t.Fatal(err)
			}
			if u.Email != "eva@example.nl" || len(pw) < auth.MinPasswordLength {
				t.Fatalf("created %q with password %q", u.Email, pw)
			}
			for _, tc := range []struct {
				name  string
				in    auth.NewUser
				field string
			}{
				{"duplicate", auth.NewUser{Email: "eva@example.nl"}, "email"},
				{"not an address", auth.NewUser{Email: "eva"}, "email"},
				{"short password", auth.NewUser{Email: "kort@example.nl", Password: "kort"}, "password"},
			} {
				_, _, err := a.CreateUser(ctx, auth.Operator(), tc.in)
				if fe, ok := model.AsFieldError(err); !ok || fe.Field != tc.field {
					t.Errorf("%s: %v, want a field error on %s", tc.name, err, tc.field)
				}
			}
			if got, err := a.Authenticate(ctx, "EVA@example.nl", pw); err != nil || got.ID != u.ID {
				t.Fatalf("log in: %v %v", got, err)
			}
			_, wrongPassword := a.Authenticate(ctx, "eva@example.nl", "wrong password!!")
			_, noAccount := a.Authenticate(ctx, "nobody@example.nl", "wrong password!!")
			if !errors.Is(wrongPassword, auth.ErrBadCredentials) || !errors.Is(noAccount, auth.ErrBadCredentials) ||
				wrongPassword.Error() != noAccount.Error() {
				t.Fatalf("failures differ: %v / %v", wrongPassword, noAccount)
			}
			newPW, err := a.ResetPassword(ctx, auth.Operator(), "eva@example.nl", "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Authenticate(ctx, "eva@example.nl", pw); err == nil {
				t.Fatal("old password still works after a reset")
			}
			if _, err := a.Authenticate(ctx, "eva@example.nl", newPW); err != nil {
				t.Fatalf("new password: %v", err)
			}
			if _, err := a.ResetPassword(ctx, auth.Actor{UserID: u.ID, Name: "Eva"}, "eva@example.nl", ""); !errors.Is(err, model.ErrForbidden) {
				t.Fatalf("a staff member resetting passwords: %v", err)
			}
		})
	}
}

func TestSessionSweep(t *testing.T) {
	ctx := context.Background()
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	a := srv.App.Auth
	u, _, err := a.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "sweep@example.nl"})
	if err != nil {
		t.Fatal(err)
	}
	token, login, err := a.StartSession(ctx, u, "nl")
	if err != nil {
		t.Fatal(err)
	}
	expired := *login.Session
	expired.ID, expired.ExpiresAt = "expired-session", time.Now().Add(-time.Minute)
	if err := srv.App.Store.CreateSession(ctx, &expired); err != nil {
		t.Fatal(err)
	}
	w := auth.NewSessionSweepWorker(a, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := w.Work(ctx, &river.Job[auth.SessionSweepArgs]{}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.App.Store.SessionByID(ctx, "expired-session"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session after the sweep: %v", err)
	}
	if _, err := a.Resume(ctx, token); err != nil {
		t.Fatalf("a current session did not survive the sweep: %v", err)
	}
}

// TestOwnPassword follows an account's duty to choose its own password:
// set when an administrator creates it or resets its password, cleared
// when its owner changes the password, and recorded in the audit log.
func TestOwnPassword(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := pleintest.NewServer(t, e)
			a := srv.App.Auth
			must := func(email string, want bool) {
				t.Helper()
				u, err := a.User(ctx, email)
				if err != nil {
					t.Fatal(err)
				}
				if u.MustChangePassword != want {
					t.Fatalf("%s must change password: %v, want %v", email, u.MustChangePassword, want)
				}
			}
			lastAction := func() string {
				t.Helper()
				log, err := a.AuditLog(ctx, auth.Operator(), "", 1)
				if err != nil || len(log) != 1 {
					t.Fatalf("audit log: %v %v", log, err)
				}
				return log[0].Action
			}
			u, pw, err := a.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "eva@example.nl"})
			if err != nil {
				t.Fatal(err)
			}
			must("eva@example.nl", true)
			if _, _, err := a.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "demo@example.nl", KeepPassword: true}); err != nil {
				t.Fatal(err)
			}
			must("demo@example.nl", false)

			eva := auth.ActorOf(u)
			if err := a.ChangePassword(ctx, eva, pw, "mijn eigen wachtwoord", ""); err != nil {
				t.Fatal(err)
			}
			must("eva@example.nl", false)
			if got := lastAction(); got != "user.choose-password" {
				t.Errorf("audit of the first choice: %s", got)
			}
			if err := a.ChangePassword(ctx, eva, "mijn eigen wachtwoord", "een later wachtwoord", ""); err != nil {
				t.Fatal(err)
			}
			if got := lastAction(); got != "user.change-password" {
				t.Errorf("audit of a later change: %s", got)
			}
			if _, err := a.ResetPassword(ctx, auth.Operator(), "eva@example.nl", ""); err != nil {
				t.Fatal(err)
			}
			must("eva@example.nl", true)
		})
	}
}
