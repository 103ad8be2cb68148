package storetest

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

func testSecondFactors(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	u := &model.User{ID: model.NewID(epoch), Email: "beheer@example.org", PasswordHash: "x", CreatedAt: epoch}
	must(t, s.CreateUser(ctx, u))

	// An authenticator app: set up, confirmed, each step used once.
	if _, err := s.TOTP(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("TOTP of an account without one: %v", err)
	}
	f := &model.TOTPFactor{UserID: u.ID, Secret: "sealed", CreatedAt: epoch}
	must(t, s.PutTOTP(ctx, f))
	if ok, err := s.UseTOTPStep(ctx, u.ID, 5); err != nil || ok {
		t.Fatalf("a step of an unconfirmed app: %v, %v; want refused", ok, err)
	}
	must(t, s.ConfirmTOTP(ctx, u.ID, 10, epoch.Add(time.Minute)))
	if err := s.ConfirmTOTP(ctx, u.ID, 11, epoch); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("confirming twice: %v, want ErrNotFound", err)
	}
	got, err := s.TOTP(ctx, u.ID)
	want := &model.TOTPFactor{UserID: u.ID, Secret: "sealed", LastStep: 10, CreatedAt: epoch, ConfirmedAt: epoch.Add(time.Minute)}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("TOTP = %+v, %v; want %+v", got, err, want)
	}
	for _, tc := range []struct {
		step int64
		ok   bool
	}{{10, false}, {9, false}, {11, true}, {11, false}, {13, true}, {12, false}} {
		if ok, err := s.UseTOTPStep(ctx, u.ID, tc.step); err != nil || ok != tc.ok {
			t.Errorf("UseTOTPStep(%d) = %v, %v; want %v", tc.step, ok, err, tc.ok)
		}
	}
	// Two log-ins with the same code at once: one gets it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 4 {
		wg.Go(func() {
			ok, err := s.UseTOTPStep(ctx, u.ID, 20)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				won++
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("the same step used at once: %d accepted, want 1", won)
	}

	// Recovery codes: each once; replacing them voids the old ones.
	must(t, s.ReplaceRecoveryCodes(ctx, u.ID, []string{"h1", "h2", "h3"}, epoch))
	if n, err := s.RecoveryCodesLeft(ctx, u.ID); err != nil || n != 3 {
		t.Fatalf("RecoveryCodesLeft = %d, %v", n, err)
	}
	for _, tc := range []struct {
		hash string
		ok   bool
	}{{"h2", true}, {"h2", false}, {"nope", false}} {
		if ok, err := s.UseRecoveryCode(ctx, u.ID, tc.hash, epoch); err != nil || ok != tc.ok {
			t.Errorf("UseRecoveryCode(%s) = %v, %v; want %v", tc.hash, ok, err, tc.ok)
		}
	}
	must(t, s.ReplaceRecoveryCodes(ctx, u.ID, []string{"h4"}, epoch))
	if ok, _ := s.UseRecoveryCode(ctx, u.ID, "h1", epoch); ok {
		t.Error("a replaced code still works")
	}

	// Passkeys.
	p := &model.Passkey{ID: "cred-1", UserID: u.ID, Name: "laptop", Credential: `{"id":"x"}`, CreatedAt: epoch}
	must(t, s.AddPasskey(ctx, p))
	if err := s.AddPasskey(ctx, p); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("a taken credential id: %v", err)
	}
	must(t, s.AddPasskey(ctx, &model.Passkey{ID: "cred-2", UserID: u.ID, Name: "sleutel", Credential: "{}", CreatedAt: epoch.Add(time.Second)}))
	must(t, s.PasskeyUsed(ctx, "cred-1", `{"id":"y"}`, epoch.Add(time.Hour)))
	got1, err := s.PasskeyByID(ctx, "cred-1")
	if err != nil || got1.Credential != `{"id":"y"}` || !got1.LastUsedAt.Equal(epoch.Add(time.Hour)) || got1.Name != "laptop" {
		t.Fatalf("PasskeyByID = %+v, %v", got1, err)
	}
	list, err := s.Passkeys(ctx, u.ID)
	if err != nil || len(list) != 2 || list[0].ID != "cred-1" {
		t.Fatalf("Passkeys = %v, %v", list, err)
	}
	if err := s.DeletePasskey(ctx, "someone-else", "cred-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting another account's passkey: %v", err)
	}
	must(t, s.DeletePasskey(ctx, u.ID, "cred-2"))

	// Everything at once, as an operator's reset does.
	n, err := s.DeleteSecondFactors(ctx, u.ID)
	if err != nil || n != 2 {
		t.Fatalf("DeleteSecondFactors = %d, %v; want the app and one passkey", n, err)
	}
	if left, _ := s.RecoveryCodesLeft(ctx, u.ID); left != 0 {
		t.Errorf("%d recovery codes left after the reset", left)
	}
	if _, err := s.TOTP(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the app after the reset: %v", err)
	}

	// Challenges are taken once.
	c := &model.AuthChallenge{ID: "c1", UserID: u.ID, Purpose: "second-factor", Data: "{}", ExpiresAt: epoch.Add(5 * time.Minute)}
	must(t, s.PutChallenge(ctx, c))
	c.Data = `{"challenge":"abc"}`
	must(t, s.PutChallenge(ctx, c))
	if got, err := s.Challenge(ctx, "c1"); err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("Challenge = %+v, %v", got, err)
	}
	if got, err := s.TakeChallenge(ctx, "c1"); err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("TakeChallenge = %+v, %v", got, err)
	}
	if _, err := s.TakeChallenge(ctx, "c1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a challenge taken twice: %v", err)
	}
	must(t, s.PutChallenge(ctx, &model.AuthChallenge{ID: "old", Purpose: "passkey", ExpiresAt: epoch}))
	must(t, s.PutChallenge(ctx, &model.AuthChallenge{ID: "new", Purpose: "passkey", ExpiresAt: epoch.Add(time.Hour)}))
	if n, err := s.CountChallenges(ctx, "passkey", "", epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("CountChallenges = %d, %v; want the one not expired", n, err)
	}
	if n, err := s.DeleteChallengesBefore(ctx, epoch.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("DeleteChallengesBefore = %d, %v", n, err)
	}

	// The policy's grace is recorded once.
	if _, err := s.SecondFactorGrace(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("grace before any: %v", err)
	}
	if since, err := s.InitSecondFactorGrace(ctx, u.ID, epoch); err != nil || !since.Equal(epoch) {
		t.Errorf("InitSecondFactorGrace = %v, %v", since, err)
	}
	if since, err := s.InitSecondFactorGrace(ctx, u.ID, epoch.Add(time.Hour)); err != nil || !since.Equal(epoch) {
		t.Errorf("InitSecondFactorGrace again = %v, %v; want the first time", since, err)
	}
	must(t, s.DeleteSecondFactorGrace(ctx, u.ID))
	if _, err := s.SecondFactorGrace(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("grace after deleting: %v", err)
	}

	// Organisations that require a second factor.
	a, b := newOrg("a"), newOrg("b")
	must(t, s.CreateOrg(ctx, a))
	must(t, s.CreateOrg(ctx, b))
	must(t, s.SetOrgRequiresSecondFactor(ctx, a.ID, true))
	must(t, s.SetOrgRequiresSecondFactor(ctx, b.ID, true))
	must(t, s.SetOrgRequiresSecondFactor(ctx, b.ID, false))
	if ids, err := s.OrgsRequiringSecondFactor(ctx); err != nil || !reflect.DeepEqual(ids, []string{a.ID}) {
		t.Errorf("OrgsRequiringSecondFactor = %v, %v; want [%s]", ids, err, a.ID)
	}
}
