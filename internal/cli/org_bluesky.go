package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/crosspost"
	"plein/internal/model"
)

func runOrgBluesky(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--pds URL --bluesky-handle NAME --app-password-env VARIABLE] [--edit-policy reply|republish] [--disconnect] [--allow-private-networks] [flags]", `
Connects an organisation to its Bluesky account, so that each post it
publishes is also posted there. Make an app password for Plein in Bluesky
(Settings, Privacy and security, App passwords) and put it in an
environment variable; --app-password-env names that variable, so that the
password never appears on the command line. Plein logs in once to check
the connection, then keeps the password encrypted with the installation's
key (PLEIN_BLUESKY_KEY, or the file bluesky.key in --data) and never shows
it again.

--edit-policy says what an edit of a published post does on Bluesky, where
posts cannot be edited: reply (the default) posts the corrected text as a
reply to the original; republish deletes the original and posts it again.
Given alone, it changes the policy of the connected account.
--disconnect forgets the account and its password; posts already on
Bluesky stay there. With --org alone, the command shows the connection.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	pds := f.String("pds", "", "`URL` of the account's PDS, such as https://bsky.social")
	bskyHandle := f.String("bluesky-handle", "", "the account's Bluesky `handle`, such as gemeente.bsky.social")
	passwordEnv := f.String("app-password-env", "", "name of the environment `variable` holding an app password of the account")
	policy := f.String("edit-policy", "", "`policy` for edits: reply or republish")
	disconnect := f.Bool("disconnect", false, "forget the connected account")
	f.BoolVar(&cfg.AllowPrivateNetworks, "allow-private-networks", false,
		"let Plein reach a PDS on a loopback or private address, for an intranet or tests (env PLEIN_ALLOW_PRIVATE_NETWORKS)")
	f.bindEnv("allow-private-networks", "PLEIN_ALLOW_PRIVATE_NETWORKS")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	connecting := set["pds"] || set["bluesky-handle"] || set["app-password-env"]
	switch {
	case *disconnect && (connecting || set["edit-policy"]):
		return usageErrorf("give --disconnect alone, without --pds, --bluesky-handle, --app-password-env or --edit-policy")
	case connecting:
		if err := required(f, map[string]string{"pds": *pds, "bluesky-handle": *bskyHandle, "app-password-env": *passwordEnv}); err != nil {
			return err
		}
	}
	password := ""
	if connecting {
		password = e.getenv(*passwordEnv)
		if strings.TrimSpace(password) == "" {
			return usageErrorf("the environment variable %s named by --app-password-env is empty or not set", *passwordEnv)
		}
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	actor := auth.Operator()
	switch {
	case *disconnect:
		if err := app.Crosspost.Disconnect(e.ctx, actor, o.ID); err != nil {
			return blueskyError(err)
		}
		fmt.Fprintf(e.stdout, "disconnected @%s from Bluesky; its posts there stay\n", o.Handle)
		return nil
	case connecting:
		a, err := app.Crosspost.Connect(e.ctx, actor, o.ID, crosspost.Connection{PDS: *pds, Handle: *bskyHandle, Password: password, EditPolicy: *policy})
		if err != nil {
			return blueskyError(err)
		}
		fmt.Fprintf(e.stdout, "connected @%s to the Bluesky account %s (%s) on %s; edits: %s\n", o.Handle, a.Handle, a.DID, a.PDS, a.EditPolicy)
		return nil
	case set["edit-policy"]:
		if err := app.Crosspost.SetEditPolicy(e.ctx, actor, o.ID, *policy); err != nil {
			return blueskyError(err)
		}
		fmt.Fprintf(e.stdout, "edits of @%s's posts on Bluesky: %s\n", o.Handle, strings.TrimSpace(*policy))
		return nil
	}
	a, err := app.Crosspost.Account(e.ctx, o.ID)
	if err != nil {
		return err
	}
	if a == nil {
		fmt.Fprintf(e.stdout, "@%s has no Bluesky account connected\n", o.Handle)
		return nil
	}
	fmt.Fprintf(e.stdout, "@%s posts to the Bluesky account %s (%s) on %s since %s; edits: %s\n",
		o.Handle, a.Handle, a.DID, a.PDS, a.CreatedAt.Format("2006-01-02 15:04 MST"), a.EditPolicy)
	return nil
}

// blueskyError gives a refusal of a Bluesky connection in English and in
// Dutch, naming the flag it is about; other errors pass unchanged.
func blueskyError(err error) error {
	fe, ok := model.AsFieldError(err)
	if !ok {
		return err
	}
	flagName := map[string]string{crosspost.FieldPDS: "--pds", crosspost.FieldHandle: "--bluesky-handle",
		crosspost.FieldPassword: "--app-password-env", crosspost.FieldPolicy: "--edit-policy"}[fe.Field]
	if flagName == "" {
		flagName = "--org"
	}
	// Not wrapped: the command line shows this text, not the field's.
	return errors.New(flagName + ": " + fe.In("en") + " / " + fe.In("nl"))
}
