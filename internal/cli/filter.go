package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/moderation"
)

func runModerationFilterAdd(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --phrase TEXT --action hold|refuse [--as EMAIL] [flags]", `
Adds a keyword filter to an organisation, by its admins. It applies to
replies as they arrive or are edited, on whole words in any case: hold
keeps a matching reply pending, flagged in the queue with the filter;
refuse refuses it automatically, with a statement of reasons that says it
was detected and decided by automated means and how to object.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	phrase := f.String("phrase", "", "the word or `phrase` (required; at most 100 characters, 10 words)")
	action := f.String("action", "", "`hold` for review or refuse automatically (required)")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "phrase": *phrase, "action": *action}); err != nil {
		return err
	}
	a, err := moderation.ParseFilterAction(*action)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	flt, err := app.Moderation.AddFilter(e.ctx, actor, o.ID, *phrase, a)
	if err != nil {
		return forbidden(err, *as, "change the filters")
	}
	fmt.Fprintf(e.stdout, "added filter %s: %s %q\n", flt.ID, flt.Action, flt.Phrase)
	return nil
}

func runModerationFilterList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--as EMAIL] [flags]", `
Lists an organisation's keyword filters, oldest first, the id first on
each line, for 'plein moderation filter remove'.`)
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
	filters, err := app.Moderation.Filters(e.ctx, actor, o.ID)
	if err != nil {
		return forbidden(err, *as, "read the filters")
	}
	if len(filters) == 0 {
		fmt.Fprintln(e.stdout, "no filters")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILTER ID\tACTION\tSINCE (UTC)\tPHRASE")
	for _, flt := range filters {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", flt.ID, flt.Action, flt.CreatedAt.UTC().Format("2006-01-02 15:04"), flt.Phrase)
	}
	return tw.Flush()
}

func runModerationFilterRemove(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--as EMAIL] [flags]", `
Removes a keyword filter, by the id 'plein moderation filter list' shows.
Replies it flagged keep the flag.`)
	f.dataFlags(&cfg)
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "filter id")
	if err != nil {
		return err
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	flt, err := app.Moderation.RemoveFilter(e.ctx, actor, pos[0])
	if errors.Is(err, moderation.ErrNoFilter) {
		return &wrapped{msg: fmt.Sprintf("no filter with id %q; 'plein moderation filter list --org HANDLE' lists them", pos[0]), err: err}
	}
	if err != nil {
		return forbidden(err, *as, "change the filters")
	}
	fmt.Fprintf(e.stdout, "removed filter %s: %s %q\n", flt.ID, flt.Action, flt.Phrase)
	return nil
}

func runModerationImportBlocks(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--file PATH (--org HANDLE | --instance) [--as EMAIL] [flags]", `
Imports a blocklist of servers in Mastodon's domain-block CSV format
(#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate)
or one domain a line, for an organisation (--org, by its admins) or the
whole installation (--instance, by instance administrators). Severity
suspend suspends the server (its activities refused, its follows ended);
silence hides its replies; noop lines, domains obfuscated with '*' and
servers blocked already are skipped. Lines that cannot be read are
reported with their number; the rest is imported. At most 2 MiB.`)
	f.dataFlags(&cfg)
	file := f.String("file", "", "`path` of the blocklist (required; - for standard input)")
	handle := f.String("org", "", "`handle` of the organisation the blocks are for")
	instance := f.Bool("instance", false, "block for the whole installation")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"file": *file}); err != nil {
		return err
	}
	in := e.stdin
	if *file != "-" {
		fh, err := os.Open(*file)
		if err != nil {
			return fmt.Errorf("cannot open the blocklist: %w", err)
		}
		defer fh.Close()
		in = fh
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
	report, err := app.Moderation.ImportBlocks(e.ctx, actor, orgID, in)
	if err != nil {
		return forbidden(err, *as, "block servers")
	}
	fmt.Fprintf(e.stdout, "%d added, %d skipped, %d invalid\n", len(report.Added), len(report.Skipped), len(report.Invalid))
	for _, b := range report.Added {
		fmt.Fprintf(e.stdout, "line %d: added %s (%s)\n", b.Line, b.Domain, b.Mode)
	}
	for _, p := range report.Skipped {
		fmt.Fprintf(e.stdout, "line %d: skipped %s: %s\n", p.Line, p.Domain, p.Why.In("en"))
	}
	for _, p := range report.Invalid {
		fmt.Fprintf(e.stdout, "line %d: invalid %s: %s\n", p.Line, p.Domain, p.Why.In("en"))
	}
	return nil
}

// blockModeName is how the list of blocks names a mode.
func blockModeName(m model.BlockMode) string {
	if m == "" {
		return string(model.BlockSuspend)
	}
	return string(m)
}
