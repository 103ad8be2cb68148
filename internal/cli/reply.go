package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"plein/internal/config"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/sensitive"
	"plein/internal/server"
)

func runReplyList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--state pending|shown|refused|hidden] [flags]", `
Lists an organisation's replies from the Fediverse in one state of
moderation, oldest first: pending (the queue, the default), shown,
refused or hidden. The reply's id comes first on each line, for
'plein reply approve', 'refuse' and 'hide'.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	state := f.String("state", string(model.ReplyPending), "the `state` to list: pending, shown, refused or hidden")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	st, err := moderation.ParseState(*state)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	items, err := app.Moderation.Queue(e.ctx, actor, o.ID, st)
	if err != nil {
		return forbidden(err, *as, "moderate replies")
	}
	if len(items) == 0 {
		fmt.Fprintf(e.stdout, "no %s replies\n", st)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REPLY ID\tFROM\tSERVER\tRECEIVED (UTC)\tPOST\tSENSITIVE\tFILTERS\tTEXT")
	for _, it := range items {
		flags := "-"
		if len(it.Sensitive) > 0 {
			flags = strings.Join(sensitive.Names(it.Sensitive), ",")
		}
		filters := "-"
		if len(it.Filters) > 0 {
			phrases := make([]string, len(it.Filters))
			for i, h := range it.Filters {
				phrases[i] = fmt.Sprintf("%q", h.Phrase)
			}
			filters = strings.Join(phrases, ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Reply.ID, it.AuthorName(), it.Server,
			it.Reply.ReceivedAt.UTC().Format("2006-01-02 15:04"), it.Post.ID, flags, filters, excerpt(it.Reply.ContentHTML))
	}
	return tw.Flush()
}

// excerpt is the start of a reply's text on one line.
func excerpt(html string) string {
	t := markup.HTMLText(html)
	if r := []rune(t); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return t
}

func runReplyApprove(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--as EMAIL] [flags]", `
Approves a reply: it is shown under its post and in the post's replies
collection on the Fediverse (unless the organisation shows no replies). A
refused or hidden reply approved is shown again.`)
	f.dataFlags(&cfg)
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "reply id")
	if err != nil {
		return err
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.Moderation.Approve(e.ctx, actor, pos[0]); err != nil {
		return decisionError(err, pos[0], *as)
	}
	fmt.Fprintf(e.stdout, "approved %s: it is shown under its post\n", pos[0])
	return nil
}

func runReplyRefuse(e *env, path string, args []string) error {
	return runRestrict(e, path, args, "refuse", `
Refuses a pending reply: it is never shown. A statement of reasons is
stored and sent to the author as a direct message in the post's language,
and exported with 'plein moderation export'.`)
}

func runReplyHide(e *env, path string, args []string) error {
	return runRestrict(e, path, args, "hide", `
Hides a shown reply: it is taken off its post and its replies collection.
A statement of reasons is stored and sent to the author as a direct
message in the post's language, and exported with 'plein moderation export'.`)
}

func runRestrict(e *env, path string, args []string, decision, about string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --ground illegal|incompatible --explanation TEXT [--law TEXT] [--category NAME] [--notice NOTICE-ID] [--as EMAIL] [flags]", about)
	f.dataFlags(&cfg)
	ground := f.String("ground", "", "`ground`: illegal (against the law) or incompatible (against the organisation's rules for replies) (required)")
	explanation := f.String("explanation", "", "why, for the author and the Transparency Database, without personal data (required)")
	law := f.String("law", "", "the legal provision broken (required for illegal), or the rule of the organisation's terms")
	category := f.String("category", "", "Transparency Database `category`, such as scams_and_fraud; default: illegal_or_harmful_speech for illegal, other_violation_tc for incompatible")
	notice := f.String("notice", "", "the `id` of the notice the decision follows ('plein moderation notices' lists them); its reporter is told the decision by e-mail when they gave an address")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "reply id")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"ground": *ground, "explanation": *explanation}); err != nil {
		return err
	}
	g, err := moderation.ParseGround(*ground)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	rs := moderation.Reasons{Ground: g, Explanation: *explanation, Law: *law, Category: *category, NoticeID: *notice}
	restrict := app.Moderation.Refuse
	done := "refused"
	if decision == "hide" {
		restrict, done = app.Moderation.Hide, "hid"
	}
	st, err := restrict(e.ctx, actor, pos[0], rs)
	if fe, ok := model.AsFieldError(err); ok && fe.Field == "notice" {
		return errors.New(bilingualText(err)) // both languages, not the field error's English
	}
	if err != nil {
		return decisionError(err, pos[0], *as)
	}
	fmt.Fprintf(e.stdout, "%s %s; statement of reasons %s is sent to its author\n", done, pos[0], st.ID)
	return nil
}

// decisionError says why a decision on a reply was not taken.
func decisionError(err error, id, as string) error {
	var se *moderation.StateError
	switch {
	case errors.Is(err, moderation.ErrNoReply):
		return &wrapped{msg: fmt.Sprintf("no reply with id %q; 'plein reply list --org HANDLE' lists them", id), err: err}
	case errors.As(err, &se):
		return &wrapped{msg: fmt.Sprintf("cannot %s reply %s: it is %s", se.Decision, id, se.State), err: err}
	}
	return forbidden(err, as, "moderate replies")
}

func runModerationExport(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--from DATE] [--to DATE] --format tdb|csv [flags]", `
Writes an organisation's statements of reasons to standard output, without
personal data: tdb is the EU Transparency Database's JSON, one batch of at
most 100 statements per line, each ready to submit to its API; csv has the
same fields, one statement a row. --from and --to (YYYY-MM-DD, UTC) select
the days the decisions took effect; --to is included.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	from := f.String("from", "", "first `day` (YYYY-MM-DD)")
	to := f.String("to", "", "last `day` (YYYY-MM-DD)")
	format := f.String("format", "", "`format`: tdb or csv (required)")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "format": *format}); err != nil {
		return err
	}
	if *format != "tdb" && *format != "csv" {
		return usageErrorf("--format is tdb or csv, not %q", *format)
	}
	var start, end time.Time
	var err error
	if *from != "" {
		if start, err = time.Parse("2006-01-02", *from); err != nil {
			return usageErrorf("--from %q is not a day such as 2026-01-31", *from)
		}
	}
	if *to != "" {
		if end, err = time.Parse("2006-01-02", *to); err != nil {
			return usageErrorf("--to %q is not a day such as 2026-01-31", *to)
		}
		end = end.AddDate(0, 0, 1)
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	return exportStatements(e, app, *handle, *as, *format, start, end)
}

func exportStatements(e *env, app *server.App, handle, as, format string, from, to time.Time) error {
	o, err := e.org(app, handle)
	if err != nil {
		return err
	}
	actor, err := e.actor(app, as)
	if err != nil {
		return err
	}
	statements, err := app.Moderation.Statements(e.ctx, actor, o.ID, from, to)
	if err != nil {
		return forbidden(err, as, "export statements of reasons")
	}
	if format == "csv" {
		return moderation.WriteCSV(e.stdout, statements)
	}
	return moderation.WriteTDB(e.stdout, statements)
}
