package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/store/storetest"
)

// TestUserSSOAndSessions links an account to an identity and lists and
// ends its sessions from the command line, on both engines.
func TestUserSSOAndSessions(t *testing.T) {
	t.Parallel()
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			in := &inst{t: t, data: t.TempDir()}
			if e.Name == "postgres" {
				in.db = e.NewDatabase(t)
			}
			in.ok("migrate")
			in.ok("user", "create", "--email", "anna@demo.example", "--password", "correct horse battery")
			const issuer = "https://login.demo.example/realms/gemeente"
			out := in.ok("user", "link-oidc", "--user", "Anna@demo.example", "--subject", "6f1c2a", "--oidc-issuer", issuer)
			if out != "anna@demo.example is linked to subject 6f1c2a at "+issuer+"\n" {
				t.Errorf("link-oidc: %q", out)
			}
			fails(t, in.run("", "user", "link-oidc", "--user", "anna@demo.example", "--subject", "6f1c2a"), ExitUsage, "needs --oidc-issuer")
			in.ok("user", "create", "--email", "bram@demo.example", "--password", "correct horse battery")
			line := fails(t, in.run("", "user", "link-oidc", "--user", "bram@demo.example", "--subject", "6f1c2a", "--oidc-issuer", issuer),
				ExitFailure, "This identity is already linked to another account. / Deze identiteit is al aan een ander account gekoppeld.")
			_ = line
			if out := in.ok("user", "unlink-oidc", "--user", "anna@demo.example", "--oidc-issuer", issuer); out != "anna@demo.example is no longer linked to "+issuer+"\n" {
				t.Errorf("unlink-oidc: %q", out)
			}
			fails(t, in.run("", "user", "unlink-oidc", "--user", "anna@demo.example", "--oidc-issuer", issuer), ExitFailure,
				"This account is not linked to the provider. / Dit account is niet gekoppeld aan de provider.")
			in.ok("user", "link-oidc", "--user", "anna@demo.example", "--subject", "6f1c2a", "--oidc-issuer", issuer)

			app := in.openApp()
			ctx := context.Background()
			u, err := app.Auth.User(ctx, "anna@demo.example")
			if err != nil {
				t.Fatal(err)
			}
			for _, ua := range []string{"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", ""} {
				if _, _, err := app.Auth.OpenSession(ctx, u, auth.SessionStart{Lang: "nl", UserAgent: ua, Via: auth.ViaPassword}); err != nil {
					t.Fatal(err)
				}
			}
			list := in.ok("user", "sessions", "--user", "anna@demo.example")
			if !strings.Contains(list, "Firefox (Linux)") || !strings.Contains(list, "unknown browser") || strings.Count(list, "\n") != 3 {
				t.Errorf("user sessions:\n%s", list)
			}
			if out := in.ok("user", "end-sessions", "--user", "anna@demo.example"); out != "ended 2 sessions of anna@demo.example\n" {
				t.Errorf("end-sessions: %q", out)
			}
			if out := in.ok("user", "sessions", "--user", "anna@demo.example"); out != "anna@demo.example has no current sessions\n" {
				t.Errorf("sessions after ending: %q", out)
			}
			fails(t, in.run("", "user", "sessions", "--user", "niemand@demo.example"), ExitFailure,
				"/ Er is geen medewerkersaccount met e-mailadres")
			log, err := app.Auth.AuditLog(ctx, auth.Operator(), "", 10)
			if err != nil {
				t.Fatal(err)
			}
			actions := map[string]bool{}
			for _, e := range log {
				actions[e.Action] = true
			}
			if !actions["sso.link"] || !actions["sso.unlink"] || !actions["session.end-all"] {
				t.Errorf("audit log lacks the link or the ending: %v", actions)
			}
		})
	}
}

// TestServeRefusesBadRoleMap: a role map with a mistake stops serve with a
// usage error in English and Dutch, before anything is opened.
func TestServeRefusesBadRoleMap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ roleMap, want string }{
		{"communicatie=demo:owner", "The role mapping ‘communicatie=demo:owner’ is wrong: ‘owner’ is not a role (admin, editor, moderator or analyst). / De rolkoppeling ‘communicatie=demo:owner’ klopt niet: ‘owner’ is geen rol"},
		{"communicatie", "write it as value=organisation:role"},
	} {
		r := plein(t, "", "serve", "--data", filepath.Join(t.TempDir(), "data"), "--addr", "127.0.0.1:0",
			"--oidc-issuer", "https://login.demo.example", "--oidc-client-id", "plein", "--oidc-role-map", tc.roleMap)
		fails(t, r, ExitUsage, tc.want)
	}
	r := plein(t, "", "serve", "--data", filepath.Join(t.TempDir(), "data"), "--addr", "127.0.0.1:0", "--oidc-issuer", "https://login.demo.example")
	fails(t, r, ExitUsage, "--oidc-issuer needs --oidc-client-id")
	r = plein(t, "", "serve", "--data", filepath.Join(t.TempDir(), "data"), "--addr", "127.0.0.1:0", "--session-idle", "1m")
	fails(t, r, ExitUsage, "--session-idle must be at least 5 minutes")
}
