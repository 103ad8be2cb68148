package cli

import (
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
)

// ssoFlags adds the single sign-on provider and the session limits to
// serve's flags. The client secret comes from PLEIN_OIDC_CLIENT_SECRET
// only.
func (f *flags) ssoFlags(cfg *config.Config) {
	f.StringVar(&cfg.OIDC.Issuer, "oidc-issuer", "",
		"issuer `URL` of an OpenID Connect provider staff may log in with, such as https://login.example.nl/realms/gemeente (env PLEIN_OIDC_ISSUER); its client secret is read from PLEIN_OIDC_CLIENT_SECRET only")
	f.StringVar(&cfg.OIDC.ClientID, "oidc-client-id", "", "Plein's client `id` at the provider (env PLEIN_OIDC_CLIENT_ID)")
	f.StringVar(&cfg.OIDC.Name, "oidc-name", "", "the provider's `name` on the log-in button, such as \"Gemeente-account\"; default: its host (env PLEIN_OIDC_NAME)")
	f.BoolVar(&cfg.OIDC.CreateAccounts, "oidc-create-accounts", false,
		"make an account for an identity that logs in without one, when the provider vouches for its e-mail address (env PLEIN_OIDC_CREATE_ACCOUNTS)")
	f.StringVar(&cfg.OIDC.RoleClaim, "oidc-role-claim", config.DefaultRoleClaim,
		"`claim` (a string or list of strings) that --oidc-role-map matches (env PLEIN_OIDC_ROLE_CLAIM)")
	f.StringVar(&cfg.OIDC.RoleMap, "oidc-role-map", "",
		"roles given at each single sign-on log-in, as value=org-handle:role,…, such as 'communicatie=gemeente:editor,webredactie=gemeente:admin' (env PLEIN_OIDC_ROLE_MAP)")
	for _, name := range []string{"issuer", "client-id", "name", "create-accounts", "role-claim", "role-map"} {
		f.bindEnv("oidc-"+name, "PLEIN_OIDC_"+upperSnake(name))
	}
	f.secrets = append(f.secrets, func(getenv func(string) string) { cfg.OIDC.ClientSecret = getenv("PLEIN_OIDC_CLIENT_SECRET") })
	f.DurationVar(&cfg.Sessions.Idle, "session-idle", config.DefaultSessionIdle,
		"`duration` without use after which a staff login ends (env PLEIN_SESSION_IDLE)")
	f.DurationVar(&cfg.Sessions.Max, "session-max", config.DefaultSessionMax,
		"`duration` after logging in at which a staff login ends, used or not (env PLEIN_SESSION_MAX)")
	f.bindEnv("session-idle", "PLEIN_SESSION_IDLE")
	f.bindEnv("session-max", "PLEIN_SESSION_MAX")
}

// checkSSO refuses a role map with a mistake, in both languages.
func checkSSO(cfg config.Config) error {
	if _, err := auth.ParseRoleMap(cfg.OIDC.RoleMap); err != nil {
		return &usageError{msg: "--oidc-role-map: " + bilingualText(err)}
	}
	return nil
}

func runUserLinkOIDC(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--user EMAIL --subject SUB [--oidc-issuer URL] [flags]", `
Links a staff account to its owner's identity at the OpenID Connect
provider: the provider's issuer and the subject it gives the person (the
"sub" of its ID tokens), never the e-mail address. The owner then logs in
with "Log in with ..." on the log-in page. A person whose identity is
linked to no account is refused there and shown the subject to pass on.
An account links one identity per provider; a new one replaces it.`)
	f.dataFlags(&cfg)
	email := f.String("user", "", "e-mail `address` of the account (required)")
	subject := f.String("subject", "", "the person's `subject` at the provider (required)")
	issuer := f.String("oidc-issuer", "", "issuer `URL` of the provider, as serve has it (env PLEIN_OIDC_ISSUER; required)")
	f.bindEnv("oidc-issuer", "PLEIN_OIDC_ISSUER")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"user": *email, "subject": *subject, "oidc-issuer": *issuer}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.Auth.LinkIdentity(e.ctx, auth.Operator(), *email, *issuer, *subject); err != nil {
		return inBothLanguages(err)
	}
	fmt.Fprintf(e.stdout, "%s is linked to subject %s at %s\n", auth.NormalizeEmail(*email), *subject, *issuer)
	return nil
}

func runUserUnlinkOIDC(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--user EMAIL [--oidc-issuer URL] [flags]", `
Removes the link of a staff account to its identity at the OpenID Connect
provider; its owner then logs in with their password only.`)
	f.dataFlags(&cfg)
	email := f.String("user", "", "e-mail `address` of the account (required)")
	issuer := f.String("oidc-issuer", "", "issuer `URL` of the provider, as serve has it (env PLEIN_OIDC_ISSUER; required)")
	f.bindEnv("oidc-issuer", "PLEIN_OIDC_ISSUER")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"user": *email, "oidc-issuer": *issuer}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.Auth.UnlinkIdentity(e.ctx, auth.Operator(), *email, *issuer); err != nil {
		return inBothLanguages(err)
	}
	fmt.Fprintf(e.stdout, "%s is no longer linked to %s\n", auth.NormalizeEmail(*email), *issuer)
	return nil
}

func runUserSessions(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--user EMAIL [flags]", `
Lists the current logins of a staff account: the browser and system each
was made with, how the person logged in, when, and when it was last used.
No address is kept.`)
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
	u, list, err := app.Auth.UserSessions(e.ctx, auth.Operator(), *email)
	if err != nil {
		return inBothLanguages(err)
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "%s has no current sessions\n", u.Email)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SESSION\tDEVICE\tVIA\tLOGGED IN\tLAST USED")
	for _, s := range list {
		device := s.Device
		if device == "" {
			device = "unknown browser"
		}
		via := s.Via
		if via == "" {
			via = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Ref, device, via, s.CreatedAt.UTC().Format(time.RFC3339), s.LastSeenAt.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}

func runUserEndSessions(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--user EMAIL [flags]", `
Ends every login of a staff account, at once on every node: after a lost
laptop or a stolen password (give it a new one with 'plein user
reset-password'). The owner can log in again.`)
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
	n, err := app.Auth.EndUserSessions(e.ctx, auth.Operator(), *email)
	if err != nil {
		return inBothLanguages(err)
	}
	fmt.Fprintf(e.stdout, "ended %d sessions of %s\n", n, auth.NormalizeEmail(*email))
	return nil
}

// upperSnake turns a flag name into the tail of its variable: "client-id"
// becomes "CLIENT_ID".
func upperSnake(name string) string { return strings.ToUpper(strings.ReplaceAll(name, "-", "_")) }

// inBothLanguages returns a domain refusal as an error that reads in
// English and Dutch; other errors as they are.
func inBothLanguages(err error) error {
	if _, ok := model.AsFieldError(err); ok {
		return fmt.Errorf("%s", bilingualText(err))
	}
	return err
}
