package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"plein/internal/auth"
	"plein/internal/store/storetest"
)

// TestSecondFactorCommands runs 'plein user second-factor status, reset and
// policy' and 'plein org update --require-second-factor' on both engines.
func TestSecondFactorCommands(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			in := &inst{t: t, data: t.TempDir()}
			if e.Name == "postgres" {
				in.db = storetest.NewPostgresDatabase(t)
			}
			in.ok("migrate")
			in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
			in.ok("user", "create", "--email", "beheer@demodorp.nl", "--admin")
			in.ok("user", "create", "--email", "redactie@demodorp.nl")
			in.ok("user", "add-to-org", "--email", "redactie@demodorp.nl", "--org", "demo", "--role", "editor")

			out := in.ok("user", "second-factor", "status", "--user", "beheer@demodorp.nl")
			for _, want := range []string{"authenticator app:  no", "passkeys:           0", "required:           yes (instance administrator)", "grace:              until"} {
				if !strings.Contains(out, want) {
					t.Errorf("status of an administrator lacks %q:\n%s", want, out)
				}
			}
			if out := in.ok("user", "second-factor", "status", "--user", "redactie@demodorp.nl"); !strings.Contains(out, "required:           no") {
				t.Errorf("status of an editor:\n%s", out)
			}
			if out := in.ok("org", "update", "--org", "demo", "--require-second-factor"); !strings.Contains(out, "every member of @demo now needs a second factor") {
				t.Errorf("org update: %s", out)
			}
			if out := in.ok("user", "second-factor", "status", "--user", "redactie@demodorp.nl"); !strings.Contains(out, "an organisation it is a member of requires it") {
				t.Errorf("status of an editor of an organisation that requires it:\n%s", out)
			}

			out = in.ok("user", "second-factor", "policy")
			if !strings.Contains(out, "(admins)") || !strings.Contains(out, "14 days") {
				t.Errorf("default policy:\n%s", out)
			}
			out = in.ok("user", "second-factor", "policy", "--require", "everyone", "--grace-days", "7")
			if !strings.Contains(out, "every account (everyone)") || !strings.Contains(out, "7 days") {
				t.Errorf("policy after setting it:\n%s", out)
			}
			fails(t, in.run("", "user", "second-factor", "policy", "--require", "some"), ExitFailure, `"some" is not a choice`)
			fails(t, in.run("", "user", "second-factor", "policy", "--grace-days", "400"), ExitFailure, "at most 90 days")

			// The operator resets an administrator's app.
			app := in.openApp()
			ctx := context.Background()
			u, err := app.Auth.User(ctx, "beheer@demodorp.nl")
			if err != nil {
				t.Fatal(err)
			}
			setup, err := app.Auth.BeginTOTP(ctx, auth.ActorOf(u))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := app.Auth.ConfirmTOTP(ctx, auth.ActorOf(u), codeNow(t, setup.Secret)); err != nil {
				t.Fatal(err)
			}
			if out := in.ok("user", "second-factor", "status", "--user", "beheer@demodorp.nl"); !strings.Contains(out, "authenticator app:  yes") || !strings.Contains(out, "10 left") {
				t.Errorf("status after setting up an app:\n%s", out)
			}
			if out := in.ok("user", "second-factor", "reset", "--user", "beheer@demodorp.nl"); !strings.Contains(out, "removed 1 second factors of beheer@demodorp.nl") {
				t.Errorf("reset: %s", out)
			}
			if out := in.ok("user", "second-factor", "status", "--user", "beheer@demodorp.nl"); !strings.Contains(out, "authenticator app:  no") || !strings.Contains(out, "0 left") {
				t.Errorf("status after the reset:\n%s", out)
			}
			fails(t, in.run("", "user", "second-factor", "reset"), ExitUsage, "needs --user")
			fails(t, in.run("", "user", "second-factor", "reset", "--user", "niemand@demodorp.nl"), ExitFailure, "niemand@demodorp.nl")
			log := in.ok("org", "log")
			for _, want := range []string{"secondfactor.reset", "secondfactor.policy", "removed the second factors of beheer@demodorp.nl"} {
				if !strings.Contains(log, want) {
					t.Errorf("the installation's log lacks %q:\n%s", want, log)
				}
			}
			if log := in.ok("org", "log", "--org", "demo"); !strings.Contains(log, "required a second factor of every member of Gemeente Demodorp") {
				t.Errorf("the organisation's log:\n%s", log)
			}
		})
	}
}

// codeNow is the code an authenticator app shows now for secret.
func codeNow(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
