package auth_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// codeAt is the code an authenticator app shows for secret at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCheckTOTP: a code is accepted from one step before the server's
// clock to one step after, in the forms people type it, and no other.
func TestCheckTOTP(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Date(2026, 12, 7, 10, 0, 15, 0, time.UTC)
	step := now.Unix() / 30
	tests := []struct {
		name     string
		code     string
		wantOK   bool
		wantStep int64
	}{
		{"now", codeAt(t, secret, now), true, step},
		{"one step early (phone clock behind)", codeAt(t, secret, now.Add(-30*time.Second)), true, step - 1},
		{"one step late (phone clock ahead)", codeAt(t, secret, now.Add(30*time.Second)), true, step + 1},
		{"two steps early", codeAt(t, secret, now.Add(-60*time.Second)), false, 0},
		{"two steps late", codeAt(t, secret, now.Add(60*time.Second)), false, 0},
		{"with a space", codeAt(t, secret, now)[:3] + " " + codeAt(t, secret, now)[3:], true, step},
		{"empty", "", false, 0},
		{"too short", codeAt(t, secret, now)[:5], false, 0},
		{"letters", "abcdef", false, 0},
		{"very long", strings.Repeat("1", 1000), false, 0},
	}
	// A wrong code: one that is none of the three accepted.
	wrong := "000000"
	for _, d := range []int{-1, 0, 1} {
		if codeAt(t, secret, now.Add(time.Duration(d)*30*time.Second)) == wrong {
			wrong = "999999"
		}
	}
	tests = append(tests, struct {
		name     string
		code     string
		wantOK   bool
		wantStep int64
	}{"wrong", wrong, false, 0})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := auth.CheckTOTP(secret, tt.code, now)
			if ok != tt.wantOK || got != tt.wantStep {
				t.Fatalf("CheckTOTP(%q) = %d, %v; want %d, %v", tt.code, got, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
}

// secondFactorEnv is an auth.Service on a real store with a clock the test
// moves, and an account with an authenticator app set up.
type secondFactorEnv struct {
	svc    *auth.Service
	clk    *pleintest.Clock
	user   *model.User
	actor  auth.Actor
	secret string
	codes  []string
}

func newSecondFactorEnv(t *testing.T, e storetest.Engine) *secondFactorEnv {
	t.Helper()
	ctx := context.Background()
	st := e.Open(t, e.NewDatabase(t), nil)
	clk := pleintest.NewClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	svc := auth.NewService(st, clk.Now)
	u, _, err := svc.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "beheer@almere.nl", Password: "een lang wachtwoord", KeepPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	env := &secondFactorEnv{svc: svc, clk: clk, user: u, actor: auth.ActorOf(u)}
	setup, err := svc.BeginTOTP(ctx, env.actor)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := svc.BeginTOTP(ctx, env.actor); err != nil || again.Secret != setup.Secret {
		t.Fatalf("the setup page shown again: %v, %v; want the same secret", again, err)
	}
	if !strings.HasPrefix(setup.URI, "otpauth://totp/Plein:") || !strings.Contains(setup.URI, "secret="+setup.Secret) {
		t.Fatalf("otpauth URI %q", setup.URI)
	}
	env.secret = setup.Secret
	if _, err := svc.ConfirmTOTP(ctx, env.actor, "000000x"); err == nil {
		t.Fatal("a wrong code confirmed the app")
	}
	if env.codes, err = svc.ConfirmTOTP(ctx, env.actor, codeAt(t, env.secret, clk.Now())); err != nil {
		t.Fatal(err)
	}
	if len(env.codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes, want %d", len(env.codes), auth.RecoveryCodeCount)
	}
	if _, err := svc.BeginTOTP(ctx, env.actor); err == nil {
		t.Fatal("a second app could be set up over the first; its secret would be shown again")
	}
	return env
}

var loginFrom = auth.LoginAttempt{Addr: netip.MustParseAddr("198.51.100.7")}

// TestSecondFactorCodesOnce logs in with app codes and recovery codes on
// both engines: a code of the current step works once (the confirmation's
// code is used already), a code of a step before the last one used is
// refused, a recovery code works once and in the forms people type it,
// and every refusal is a failed log-in in the audit log.
func TestSecondFactorCodesOnce(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := newSecondFactorEnv(t, e)
			confirmCode := codeAt(t, env.secret, env.clk.Now())
			env.clk.Advance(30 * time.Second)
			next := codeAt(t, env.secret, env.clk.Now())
			steps := []struct {
				name string
				code string
				ok   bool
			}{
				{"the code that confirmed the app", confirmCode, false},
				{"the current code", next, true},
				{"the current code again (replay)", next, false},
				{"a recovery code", env.codes[0], true},
				{"the same recovery code again", env.codes[0], false},
				{"another recovery code, upper case without the dash", strings.ToUpper(strings.ReplaceAll(env.codes[1], "-", "")), true},
				{"a made-up recovery code", "aaaaa-bbbbb", false},
				{"nothing", "", false},
			}
			for _, s := range steps {
				_, err := env.svc.LogInSecondFactor(ctx, loginFrom, env.user, s.code)
				if s.ok && err != nil || !s.ok && !errors.Is(err, auth.ErrBadCode) {
					t.Errorf("%s: %v; want ok=%v", s.name, err, s.ok)
				}
			}
			// A code of the next step works once the clock reaches it; one
			// of the step before the last used does not.
			env.clk.Advance(30 * time.Second)
			if _, err := env.svc.LogInSecondFactor(ctx, loginFrom, env.user, codeAt(t, env.secret, env.clk.Now())); err != nil {
				t.Errorf("the next step's code: %v", err)
			}
			if _, err := env.svc.LogInSecondFactor(ctx, loginFrom, env.user, next); !errors.Is(err, auth.ErrBadCode) {
				t.Errorf("an earlier step's code after a later one: %v", err)
			}
			lines, err := env.svc.AuditLines(ctx, auth.Operator(), "", 50)
			if err != nil {
				t.Fatal(err)
			}
			var failed, used, added int
			for _, l := range lines {
				switch l.Entry.Action {
				case "login.failed":
					failed++
					if s := l.Sentence.Sentence("en"); !strings.Contains(s, "wrong second factor") {
						t.Errorf("failed second factor told as %q", s)
					}
				case "secondfactor.codes.used":
					used++
				case "secondfactor.totp.add":
					added++
				}
			}
			if failed != 6 || used != 2 || added != 1 {
				t.Errorf("audit log: %d failed, %d recovery codes used, %d apps added; want 6, 2, 1", failed, used, added)
			}
		})
	}
}

// TestSecondFactorCountsTowardLockout: wrong codes after a right password
// count as failed log-ins of the pair, which is then refused without the
// code being checked, even a right one.
func TestSecondFactorCountsTowardLockout(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := newSecondFactorEnv(t, e)
			for range auth.PairMaxAttempts {
				if _, err := env.svc.LogInSecondFactor(ctx, loginFrom, env.user, "000000"); !errors.Is(err, auth.ErrBadCode) && !errors.Is(err, auth.ErrLocked) {
					t.Fatal(err)
				}
			}
			_, err := env.svc.LogInSecondFactor(ctx, loginFrom, env.user, env.codes[0])
			if !errors.Is(err, auth.ErrLocked) {
				t.Fatalf("after %d wrong codes: %v; want ErrLocked", auth.PairMaxAttempts, err)
			}
			if n, _ := env.svc.SecondFactorStatus(ctx, env.user); n.RecoveryCodesLeft != auth.RecoveryCodeCount {
				t.Errorf("a refused attempt used a recovery code: %d left", n.RecoveryCodesLeft)
			}
		})
	}
}

// TestSecondFactorPolicy: by default instance administrators and
// organisation admins need a second factor, with DefaultSecondFactorGrace
// from their first log-in under the policy; an organisation may require
// it of all its members; the operator's reset removes the factors.
func TestSecondFactorPolicy(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			clk := pleintest.NewClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
			svc := auth.NewService(st, clk.Now)
			o := &model.Org{ID: model.NewID(clk.Now()), Handle: "almere", DisplayName: "Almere", Language: "nl", TimeZone: "Europe/Amsterdam", CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
			if err := st.CreateOrg(ctx, o); err != nil {
				t.Fatal(err)
			}
			mk := func(email string, admin bool, role model.Role) *model.User {
				u, _, err := svc.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email, IsAdmin: admin, KeepPassword: true})
				if err != nil {
					t.Fatal(err)
				}
				if role != "" {
					if err := svc.AddToOrg(ctx, auth.Operator(), o.ID, email, role); err != nil {
						t.Fatal(err)
					}
				}
				return u
			}
			root, admin, editor := mk("root@plein.nl", true, ""), mk("admin@almere.nl", false, model.RoleAdmin), mk("editor@almere.nl", false, model.RoleEditor)
			for _, tc := range []struct {
				u      *model.User
				reason string
			}{{root, auth.ReasonInstanceAdmin}, {admin, auth.ReasonOrgAdmin}, {editor, ""}} {
				st, err := svc.SecondFactorStatus(ctx, tc.u)
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason != tc.reason || st.Required != (tc.reason != "") {
					t.Errorf("%s: required %v because %q; want %q", tc.u.Email, st.Required, st.Reason, tc.reason)
				}
				if st.Required && (!st.InGrace() || !st.Due.Equal(clk.Now().Add(auth.DefaultSecondFactorGrace))) {
					t.Errorf("%s: grace until %v, in grace %v", tc.u.Email, st.Due, st.InGrace())
				}
			}
			// The grace counts from the first time, not from each look.
			clk.Advance(auth.DefaultSecondFactorGrace)
			if st, _ := svc.SecondFactorStatus(ctx, admin); !st.EnrolOnly() {
				t.Errorf("after the grace: %+v; want enrol only", st)
			}
			// The organisation requires it of every member.
			if err := svc.SetOrgSecondFactor(ctx, auth.ActorOf(editor), o.ID, true); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("an editor set the organisation's policy: %v", err)
			}
			if err := svc.SetOrgSecondFactor(ctx, auth.ActorOf(admin), o.ID, true); err != nil {
				t.Fatal(err)
			}
			if st, _ := svc.SecondFactorStatus(ctx, editor); st.Reason != auth.ReasonOrg || !st.InGrace() {
				t.Errorf("editor of an organisation that requires it: %+v", st)
			}
			// The installation requires it of nobody: the organisation still does.
			if err := svc.SetSecondFactorPolicy(ctx, auth.Operator(), auth.SecondFactorPolicy{Require: auth.RequireNone, Grace: 7 * 24 * time.Hour}); err != nil {
				t.Fatal(err)
			}
			if st, _ := svc.SecondFactorStatus(ctx, root); st.Required {
				t.Errorf("root with policy none: %+v", st)
			}
			if st, _ := svc.SecondFactorStatus(ctx, admin); st.Reason != auth.ReasonOrg {
				t.Errorf("admin of an organisation that requires it, policy none: %+v", st)
			}
			if err := svc.SetSecondFactorPolicy(ctx, auth.Operator(), auth.SecondFactorPolicy{Require: "some", Grace: time.Hour}); err == nil {
				t.Error("an unknown requirement was accepted")
			}
			// The operator's reset.
			if _, err := svc.BeginTOTP(ctx, auth.ActorOf(admin)); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.ResetSecondFactors(ctx, auth.ActorOf(editor), admin.Email); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("an editor reset someone's factors: %v", err)
			}
			if n, err := svc.ResetSecondFactors(ctx, auth.Operator(), admin.Email); err != nil || n != 0 {
				t.Errorf("reset of an app never confirmed: %d, %v; want 0 factors", n, err)
			}
			lines, err := svc.AuditLines(ctx, auth.Operator(), "", 50)
			if err != nil {
				t.Fatal(err)
			}
			var told []string
			for _, l := range lines {
				told = append(told, l.Sentence.Sentence("en"))
			}
			all := strings.Join(told, "\n")
			for _, want := range []string{"removed the second factors of admin@almere.nl", "set that a second factor is required of: no account"} {
				if !strings.Contains(all, want) {
					t.Errorf("the audit log lacks %q:\n%s", want, all)
				}
			}
		})
	}
}

// TestPasskeyRelyingParty: passkeys need a host name in the public URL;
// passkey log-ins without an account in progress at once are bounded,
// so that asking for challenges cannot fill the database.
func TestPasskeyRelyingParty(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			clk := pleintest.NewClock(time.Now())
			svc := auth.NewService(st, clk.Now)
			if err := svc.UsePublicURL("http://127.0.0.1:8080"); !errors.Is(err, auth.ErrNoPasskeys) || svc.PasskeysAvailable() {
				t.Fatalf("an IP address as relying party: %v", err)
			}
			if _, _, err := svc.BeginPasskeyLogin(ctx, nil); !errors.Is(err, auth.ErrNoPasskeys) {
				t.Fatalf("a passkey log-in without a relying party: %v", err)
			}
			if err := svc.UsePublicURL("http://localhost:8080"); err != nil || !svc.PasskeysAvailable() {
				t.Fatalf("localhost as relying party: %v", err)
			}
			options, token, err := svc.BeginPasskeyLogin(ctx, nil)
			if err != nil || token == "" || !strings.Contains(string(options), `"rpId":"localhost"`) || !strings.Contains(string(options), `"userVerification":"required"`) {
				t.Fatalf("BeginPasskeyLogin = %s, %q, %v", options, token, err)
			}
			for range auth.MaxOpenPasskeyLogins - 1 {
				if _, _, err := svc.BeginPasskeyLogin(ctx, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := svc.BeginPasskeyLogin(ctx, nil); !errors.Is(err, auth.ErrBusy) {
				t.Fatalf("passkey log-in %d at once: %v; want ErrBusy", auth.MaxOpenPasskeyLogins+1, err)
			}
			clk.Advance(auth.ChallengeAge)
			if _, _, err := svc.BeginPasskeyLogin(ctx, nil); err != nil {
				t.Fatalf("once the others expired: %v", err)
			}
			// A challenge is used once, and not after it expired.
			if _, _, err := svc.FinishPasskeyLogin(ctx, loginFrom, token, []byte(`{}`), nil); !errors.Is(err, auth.ErrBadCode) {
				t.Fatalf("an expired challenge: %v", err)
			}
		})
	}
}
