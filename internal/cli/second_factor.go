package cli

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/server"
)

// secondFactorCommands are the subcommands of "plein user second-factor".
func secondFactorCommands() []*command {
	return []*command{
		{name: "status", summary: "show a staff account's second factors and what the policy asks of it", run: runSecondFactorStatus},
		{name: "reset", summary: "remove every second factor of a staff account, for someone who lost theirs (audited)", run: runSecondFactorReset},
		{name: "policy", summary: "show or set of whom the installation requires a second factor, and the grace to set one up", run: runSecondFactorPolicy},
	}
}

func runSecondFactorStatus(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--user ADDRESS [flags]", `
Shows whether a staff account has an authenticator app and passkeys, how
many recovery codes it has left, and whether the second-factor policy
requires one of it, with the end of its grace to set one up.`)
	f.dataFlags(&cfg)
	email := f.String("user", "", "e-mail `address` of the account (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"user": *email}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	u, err := app.Auth.User(e.ctx, *email)
	if err != nil {
		return err
	}
	st, err := app.Auth.SecondFactorStatus(e.ctx, u)
	if err != nil {
		return err
	}
	yes := map[bool]string{true: "yes", false: "no"}
	fmt.Fprintf(e.stdout, "account:            %s\n", u.Email)
	fmt.Fprintf(e.stdout, "authenticator app:  %s\n", yes[st.TOTP])
	fmt.Fprintf(e.stdout, "passkeys:           %d\n", st.Passkeys)
	fmt.Fprintf(e.stdout, "recovery codes:     %d left\n", st.RecoveryCodesLeft)
	required := "no"
	if st.Required {
		required = "yes (" + reasonText(st.Reason) + ")"
	}
	fmt.Fprintf(e.stdout, "required:           %s\n", required)
	switch {
	case st.EnrolOnly():
		fmt.Fprintf(e.stdout, "grace:              ended %s; the account can only set up a second factor\n", st.Due.UTC().Format("2006-01-02 15:04 UTC"))
	case st.InGrace():
		fmt.Fprintf(e.stdout, "grace:              until %s\n", st.Due.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

func reasonText(r string) string {
	switch r {
	case auth.ReasonInstanceAdmin:
		return "instance administrator"
	case auth.ReasonOrgAdmin:
		return "admin of an organisation"
	case auth.ReasonEveryone:
		return "the installation requires it of every account"
	case auth.ReasonOrg:
		return "an organisation it is a member of requires it"
	}
	return r
}

func runSecondFactorReset(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--user ADDRESS [flags]", `
Removes every second factor of a staff account (its authenticator app,
passkeys and recovery codes) and ends its log-ins, for someone who lost
their phone or security key. The installation's audit log records it.
When the policy requires a second factor of the account and its grace is
over, its next log-in leads straight to setting up a new one.`)
	f.dataFlags(&cfg)
	email := f.String("user", "", "e-mail `address` of the account (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"user": *email}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	n, err := app.Auth.ResetSecondFactors(e.ctx, auth.Operator(), *email)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "removed %d second factors of %s and ended its log-ins\n", n, auth.NormalizeEmail(*email))
	return nil
}

func runSecondFactorPolicy(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[--require admins|everyone|none] [--grace-days N] [flags]", fmt.Sprintf(`
Shows the installation's second-factor policy, or sets it. --require says
of whom a second factor (an authenticator app or a passkey) is required:
admins (the default: instance administrators and organisation admins),
everyone, or none (organisations may still require it of their members
with 'plein org update --require-second-factor'). --grace-days is how long
an account gets to set one up from its first log-in under the policy
(default %d); during it each log-in leads to the page to set one up, which
may be put off; after it the account can do nothing else. Changes are in
the installation's audit log.`, int(auth.DefaultSecondFactorGrace/config.Day)))
	f.dataFlags(&cfg)
	require := f.String("require", "", "`whom`: admins, everyone or none")
	grace := f.Int("grace-days", -1, "`days` to set up a second factor")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	p, err := app.Auth.SecondFactorPolicy(e.ctx)
	if err != nil {
		return err
	}
	if f.given("require") || f.given("grace-days") {
		if f.given("require") {
			if p.Require, err = auth.ParseRequirement(strings.TrimSpace(*require)); err != nil {
				return err
			}
		}
		if f.given("grace-days") {
			p.Grace = time.Duration(*grace) * config.Day
		}
		if err := app.Auth.SetSecondFactorPolicy(e.ctx, auth.Operator(), p); err != nil {
			return err
		}
	}
	whom := fmt.Sprint(auth.RequirementName(p.Require))
	if m, ok := auth.RequirementName(p.Require).(i18n.Message); ok {
		whom = m.In("en")
	}
	fmt.Fprintf(e.stdout, "a second factor is required of: %s (%s)\n", whom, p.Require)
	fmt.Fprintf(e.stdout, "grace to set one up: %d days\n", int(p.Grace/config.Day))
	return nil
}

// orgSecondFactor applies --require-second-factor of 'plein org update'
// when it was given.
func (e *env) orgSecondFactor(app *server.App, f *flags, orgID, handle string, require bool) error {
	if !f.given("require-second-factor") {
		return nil
	}
	if err := app.Auth.SetOrgSecondFactor(e.ctx, auth.Operator(), orgID, require); err != nil {
		return err
	}
	if require {
		fmt.Fprintf(e.stdout, "every member of @%s now needs a second factor\n", handle)
	} else {
		fmt.Fprintf(e.stdout, "@%s no longer requires a second factor of every member\n", handle)
	}
	return nil
}
