package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/server"
)

// blockScope reads --org or --instance: the organisation's id, or "" for
// the whole installation.
func (e *env) blockScope(app *server.App, handle string, instance bool) (string, error) {
	if instance == (handle != "") {
		return "", usageErrorf("give either --org HANDLE or --instance")
	}
	if instance {
		return "", nil
	}
	o, err := e.org(app, handle)
	if err != nil {
		return "", err
	}
	return o.ID, nil
}

func runModerationBlock(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ACCOUNT|SERVER (--org HANDLE | --instance) [--mode suspend|hide-replies] [--reason TEXT] [--as EMAIL] [flags]", `
Blocks an account (its actor id, https://server.example/users/name) or a
whole server (server.example) for one organisation, by its admins, or for
the whole installation (--instance), by instance administrators. With
--mode suspend (the default) every activity of what is blocked is refused
from then on, and its follows end at once; with --mode hide-replies it may
still follow, but each of its replies is refused automatically.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation the block is for")
	instance := f.Bool("instance", false, "block for the whole installation")
	reason := f.String("reason", "", "why, for the other staff")
	modeName := f.String("mode", string(model.BlockSuspend), "`suspend` (refuse everything) or hide-replies (never show its replies)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "account or server")
	if err != nil {
		return err
	}
	mode, err := moderation.ParseBlockMode(*modeName)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	orgID, err := e.blockScope(app, *handle, *instance)
	if err != nil {
		return err
	}
	actor, err := e.actor(app, *as)
	if err != nil {
		return err
	}
	b, err := app.Moderation.BlockWith(e.ctx, actor, orgID, pos[0], *reason, mode)
	if err != nil {
		return forbidden(err, *as, "block accounts and servers")
	}
	fmt.Fprintf(e.stdout, "blocked %s %s, %s (block %s)\n", b.Kind, b.Target, b.Mode, b.ID)
	return nil
}

func runModerationUnblock(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "BLOCK-ID (--org HANDLE | --instance) [--as EMAIL] [flags]", `
Lifts a block, by the id 'plein moderation blocks' shows.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation the block is for")
	instance := f.Bool("instance", false, "a block of the whole installation")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "block id")
	if err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	orgID, err := e.blockScope(app, *handle, *instance)
	if err != nil {
		return err
	}
	actor, err := e.actor(app, *as)
	if err != nil {
		return err
	}
	if err := app.Moderation.Unblock(e.ctx, actor, orgID, pos[0]); err != nil {
		if errors.Is(err, moderation.ErrNoBlock) {
			return &wrapped{msg: fmt.Sprintf("no block with id %q; 'plein moderation blocks' lists them", pos[0]), err: err}
		}
		return forbidden(err, *as, "lift blocks")
	}
	fmt.Fprintf(e.stdout, "lifted block %s\n", pos[0])
	return nil
}

func runModerationBlocks(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "(--org HANDLE | --instance) [--as EMAIL] [flags]", `
Lists the blocks of an organisation or of the whole installation, the id
first on each line.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation")
	instance := f.Bool("instance", false, "the blocks of the whole installation")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	orgID, err := e.blockScope(app, *handle, *instance)
	if err != nil {
		return err
	}
	actor, err := e.actor(app, *as)
	if err != nil {
		return err
	}
	blocks, err := app.Moderation.Blocks(e.ctx, actor, orgID)
	if err != nil {
		return forbidden(err, *as, "read the blocks")
	}
	if len(blocks) == 0 {
		fmt.Fprintln(e.stdout, "no blocks")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BLOCK ID\tKIND\tTARGET\tMODE\tSINCE (UTC)\tREASON")
	for _, b := range blocks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.ID, b.Kind, b.Target, blockModeName(b.Mode), b.CreatedAt.UTC().Format("2006-01-02 15:04"), b.Reason)
	}
	return tw.Flush()
}

func runModerationNotices(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--as EMAIL] [flags]", `
Lists the notices about an organisation's content, newest first, the id
first on each line, for 'plein reply refuse|hide --notice': reports from
the public report form and from the Fediverse (Flag).`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	notices, err := app.Moderation.Notices(e.ctx, actor, o.ID, 0)
	if err != nil {
		return forbidden(err, *as, "read notices")
	}
	if len(notices) == 0 {
		fmt.Fprintln(e.stdout, "no notices")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NOTICE ID\tSOURCE\tSTATE\tRECEIVED (UTC)\tREFERENCE\tABOUT\tTEXT")
	for _, n := range notices {
		ref := n.Reference
		if ref == "" {
			ref = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n.ID, n.Source, n.State, n.ReceivedAt.UTC().Format("2006-01-02 15:04"),
			ref, strings.Join(n.Objects, " "), excerpt(n.Content))
	}
	return tw.Flush()
}
