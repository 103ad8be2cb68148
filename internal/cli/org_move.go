package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
)

func runOrgMove(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --to ACCOUNT [flags]", `
Moves an organisation to another Fediverse account, as Mastodon's "move to
a different account" does. ACCOUNT is the new account's address
(https://server/users/name) or @name@server.

First add this organisation's account to the new account's earlier
accounts ("alsoKnownAs", on Mastodon: Preferences > Account > Moving from
a different account): the command fetches the new account and refuses
unless it names the organisation there, as the followers' servers will
check. Then it sets movedTo on the organisation's actor, sends every
follower a Move, says on the public page where the organisation went, and
turns publishing off. It cannot be undone.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	to := f.String("to", "", "the new `account`: https://server/users/name or @name@server (required)")
	f.BoolVar(&cfg.AllowPrivateNetworks, "allow-private-networks", false,
		"let the new account be on a loopback or private address, on an intranet (env PLEIN_ALLOW_PRIVATE_NETWORKS)")
	f.bindEnv("allow-private-networks", "PLEIN_ALLOW_PRIVATE_NETWORKS")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "to": *to}); err != nil {
		return err
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	if o, err = app.Federation.MoveOut(e.ctx, auth.Operator(), o.ID, *to); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "@%s moved to %s; its followers are sent a Move and publishing is off\n", o.Handle, o.MovedTo)
	return nil
}

func runOrgMoveIn(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [flags]", `
Shows a move of followers to an organisation: its earlier accounts, the
Moves naming it that arrived (from one of those accounts), and the follows
that began since the newest Move, newest first.

To move followers here from Mastodon: give the old account with
'plein org update --org HANDLE --also-known-as URL', then on Mastodon
start the move (Preferences > Account > Move to a different account) to
@HANDLE@this-host.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	st, err := app.Federation.MoveIn(e.ctx, auth.Operator(), o.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "account: %s (%s)\n", app.Federation.Address(o), app.Federation.ActorID(o.ID))
	if len(o.AlsoKnownAs) == 0 {
		fmt.Fprintln(e.stdout, "earlier accounts: none; give one with 'plein org update --also-known-as URL'")
	}
	for _, a := range o.AlsoKnownAs {
		fmt.Fprintf(e.stdout, "earlier account: %s\n", a)
	}
	if len(st.Moves) == 0 {
		fmt.Fprintln(e.stdout, "no Move to this organisation has arrived yet")
		return nil
	}
	for _, m := range st.Moves {
		fmt.Fprintf(e.stdout, "Move from %s arrived %s\n", m.From, m.ReceivedAt.Format(time.RFC3339))
	}
	fmt.Fprintf(e.stdout, "new followers since: %d\n", st.Count)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, fl := range st.Followers {
		fmt.Fprintf(tw, "%s\t%s\n", fl.CreatedAt.Format(time.RFC3339), fl.ActorID)
	}
	return tw.Flush()
}
