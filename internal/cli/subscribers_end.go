package cli

import (
	"errors"
	"fmt"

	"plein/internal/config"
	"plein/internal/subscription"
)

func runSubscribersEnd(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --email ADDRESS [flags]", `
Ends the e-mail subscription of an address on its subscriber's behalf,
such as for a citizen who asked by telephone, as the staff's subscribers
screen does: the subscription and its address are erased, and only a
keyed hash of the address stays, so that no import subscribes it again.
The audit log records it without the address.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	email := f.String("email", "", "e-mail `address` of the subscriber (required)")
	as := f.String("as", "", "act as the staff account with this e-mail `address`, with its role; default: the operator")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "email": *email}); err != nil {
		return err
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	sub, err := app.Subscriptions.Find(e.ctx, actor, o.ID, *email)
	switch {
	case errors.Is(err, subscription.ErrInvalidAddress):
		return usageErrorf("--email %q is not an e-mail address", *email)
	case errors.Is(err, subscription.ErrEnded):
		return fmt.Errorf("@%s has no subscription with this address", o.Handle)
	case err != nil:
		return forbidden(err, *as, "end subscriptions of @"+o.Handle)
	}
	if err := app.Subscriptions.EndByStaff(e.ctx, actor, o.ID, sub.ID); err != nil {
		return forbidden(err, *as, "end subscriptions of @"+o.Handle)
	}
	fmt.Fprintf(e.stdout, "ended the subscription; the address is erased and will not be subscribed again by an import into @%s\n", o.Handle)
	return nil
}
