package cli

import (
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
)

func runUserCreate(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--email EMAIL [--name NAME] [--admin] [--password PASSWORD] [flags]", `
Creates a staff account. Without --password a random password is made and
printed once. Either way its owner chooses their own password at the first
log-in. An instance administrator (--admin) creates organisations and
accounts; other accounts get a role per organisation with
'plein user add-to-org'.`)
	f.dataFlags(&cfg)
	email := f.String("email", "", "e-mail `address` to log in with (required)")
	name := f.String("name", "", "the person's `name`, recorded with each revision they make")
	admin := f.Bool("admin", false, "make the account an instance administrator")
	password := f.String("password", "", fmt.Sprintf("`password` of at least %d characters; default: a random one, printed", auth.MinPasswordLength))
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"email": *email}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	u, pw, err := app.Auth.CreateUser(e.ctx, auth.Operator(), auth.NewUser{Email: *email, Name: *name, Password: *password, IsAdmin: *admin})
	if err != nil {
		return err
	}
	kind := "staff account"
	if u.IsAdmin {
		kind = "instance administrator"
	}
	fmt.Fprintf(e.stdout, "created %s %s\n", kind, u.Email)
	if *password == "" {
		fmt.Fprintf(e.stdout, "password: %s\n(shown only now; pass it on privately)\n", pw)
	}
	return nil
}

func runUserList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[flags]", "Lists every staff account with its roles.")
	f.dataFlags(&cfg)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	users, err := app.Auth.ListUsers(e.ctx, auth.Operator())
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "no staff accounts yet; create one with 'plein user create'")
		return nil
	}
	orgs, err := app.Orgs.List(e.ctx)
	if err != nil {
		return err
	}
	handles := map[string]string{}
	for _, o := range orgs {
		handles[o.ID] = "@" + o.Handle
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tNAME\tADMIN\tROLES")
	for _, u := range users {
		ms, err := app.Auth.Memberships(e.ctx, u.ID)
		if err != nil {
			return err
		}
		roles := make([]string, 0, len(ms))
		for _, m := range ms {
			roles = append(roles, fmt.Sprintf("%s %s", m.Role, handles[m.OrgID]))
		}
		admin := ""
		if u.IsAdmin {
			admin = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.Name, admin, strings.Join(roles, ", "))
	}
	return tw.Flush()
}

func runUserResetPassword(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--email EMAIL [flags]", `
Gives a staff account a new random password and prints it once. The old
password stops working, and the account's owner chooses their own password
at the next log-in.`)
	f.dataFlags(&cfg)
	email := f.String("email", "", "e-mail `address` of the account (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"email": *email}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	pw, err := app.Auth.ResetPassword(e.ctx, auth.Operator(), *email, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "new password for %s: %s\n(shown only now; pass it on privately)\n", auth.NormalizeEmail(*email), pw)
	return nil
}

func runUserAddToOrg(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--email EMAIL --org HANDLE --role ROLE [flags]", `
Gives a staff account a role in an organisation, replacing any role it had
there. Roles: admin (profile and members, and all an editor does),
approver (final editor: writes posts, and approves or returns the posts of
others where the organisation requires approval), editor (writes,
schedules, publishes, edits and deletes posts), moderator (moderates
replies), analyst (reads insights).`)
	f.dataFlags(&cfg)
	email := f.String("email", "", "e-mail `address` of the account (required)")
	handle := f.String("org", "", "`handle` of the organisation (required)")
	roleName := f.String("role", "", "admin, approver, editor, moderator or analyst (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"email": *email, "org": *handle, "role": *roleName}); err != nil {
		return err
	}
	role, err := model.ParseRole(*roleName)
	if err != nil {
		return usageErrorf("--role: %v", err)
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.Auth.AddToOrg(e.ctx, auth.Operator(), o.ID, *email, role); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is now %s of @%s\n", auth.NormalizeEmail(*email), role, o.Handle)
	return nil
}
