package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"plein/internal/config"
	"plein/internal/contact"
	"plein/internal/model"
)

func runInboxAssign(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --to ADDRESS [flags]", `
Assigns a question to a colleague, by the e-mail address of their account;
the colleague must be allowed to read the inbox. --to "" takes the
question from whoever had it. A new question goes to in progress. The
audit log records it.`)
	f.dataFlags(&cfg)
	to := f.String("to", "", "e-mail `address` of the colleague (required; empty string: nobody)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	given := false
	f.Visit(func(fl *flag.Flag) { given = given || fl.Name == "to" })
	if !given {
		return usageErrorf("%s needs --to ADDRESS; run '%s -h' for its flags", f.name(), path)
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	q, err := app.Contact.Assign(e.ctx, actor, pos[0], *to)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	if *to == "" {
		fmt.Fprintf(e.stdout, "question %s (%s) is assigned to nobody\n", q.ID, q.Reference)
		return nil
	}
	fmt.Fprintf(e.stdout, "question %s (%s) is assigned to %s\n", q.ID, q.Reference, strings.ToLower(strings.TrimSpace(*to)))
	return nil
}

func runInboxNote(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --text TEXT [flags]", `
Adds an internal note to a question, for colleagues. A note is never sent
to the citizen; the audit log records that it was written. --text - reads
it from standard input.`)
	f.dataFlags(&cfg)
	text := f.String("text", "", "the note, or - to read it from standard input (required)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"text": *text}); err != nil {
		return err
	}
	body, err := e.readText(*text)
	if err != nil {
		return err
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	n, err := app.Contact.AddNote(e.ctx, actor, pos[0], body)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	fmt.Fprintf(e.stdout, "note %s added to question %s\n", n.ID, n.QuestionID)
	return nil
}

func runInboxComplaint(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--off] [flags]", `
Marks a question as a complaint, which is kept for the retention of
complaints (five years unless the organisation chose otherwise) instead of
that of questions; --off takes the mark off. The audit log records it.`)
	f.dataFlags(&cfg)
	off := f.Bool("off", false, "take the complaint mark off")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	q, err := app.Contact.SetComplaint(e.ctx, actor, pos[0], !*off)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	if q.Complaint {
		fmt.Fprintf(e.stdout, "question %s (%s) is a complaint\n", q.ID, q.Reference)
	} else {
		fmt.Fprintf(e.stdout, "question %s (%s) is not a complaint\n", q.ID, q.Reference)
	}
	return nil
}

func runInboxExport(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--format eml] [--reveal] [flags]", `
Writes a question with its answers to standard output as an e-mail message
(RFC 5322, .eml) for the organisation's case system. Internal notes are
not in it. Sensitive numbers are masked unless --reveal is given; the
audit log records the export and any reveal.`)
	f.dataFlags(&cfg)
	format := f.String("format", "eml", "`format` of the export: eml")
	reveal := f.Bool("reveal", false, "show sensitive numbers (recorded in the audit log)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	if *format != "eml" {
		return usageErrorf("--format %q: use eml", *format)
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	msg, err := app.Contact.Export(e.ctx, actor, pos[0], *reveal)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	_, err = e.stdout.Write(msg)
	return err
}

func runInboxSettings(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--readers ROLES] [--retain AGE] [--retain-complaints AGE] [--notify=BOOL] [--topics \"A;B\"] [flags]", `
Shows an organisation's inbox settings, or changes those given: which roles
may read and answer the questions (admins always may; default admin and
moderator), how long questions and complaints are kept (0 or "default":
the installation's --retain-questions, and five years for complaints),
and whether the team gets an e-mail notice of each new question (without
its text), and the topics citizens choose from on the contact form
(--topics, separated by semicolons, in order: at most 20 of at most 60
characters each; the form adds Other; --topics "" leaves only a general
question). Changing them needs the admin role; the audit log records it.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	readersFlag := f.String("readers", "", "comma-separated `roles` that may read the inbox: admin, editor, moderator, analyst")
	retain := f.String("retain", "", "`age` to keep questions, such as 365d; default: the installation's")
	complaints := f.String("retain-complaints", "", "`age` to keep complaints, such as 1825d; default: five years")
	notify := f.String("notify", "", "e-mail the team of new questions: true or false")
	topics := f.String("topics", "", "the `topics` of the contact form, separated by semicolons; empty clears them")
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
	set, err := app.Store.InboxSettings(e.ctx, o.ID)
	if err != nil {
		return err
	}
	changed := false
	if *readersFlag != "" {
		set.Readers, changed = nil, true
		for _, r := range strings.Split(*readersFlag, ",") {
			role, err := model.ParseRole(strings.TrimSpace(r))
			if err != nil {
				return usageErrorf("--readers %q: use admin, editor, moderator or analyst", *readersFlag)
			}
			set.Readers = append(set.Readers, role)
		}
	}
	for _, a := range []struct {
		flag, value string
		into        *time.Duration
	}{{"retain", *retain, &set.Retention}, {"retain-complaints", *complaints, &set.ComplaintRetention}} {
		if a.value == "" {
			continue
		}
		changed = true
		if a.value == "default" || a.value == "0" {
			*a.into = 0
			continue
		}
		d, err := config.ParseAge(a.value)
		if err != nil {
			return usageErrorf("--%s: %v", a.flag, err)
		}
		*a.into = d
	}
	switch *notify {
	case "":
	case "true", "yes", "on":
		set.Notify, changed = true, true
	case "false", "no", "off":
		set.Notify, changed = false, true
	default:
		return usageErrorf("--notify %q: use true or false", *notify)
	}
	if changed {
		if err := app.Contact.SetSettings(e.ctx, actor, *set); err != nil {
			return forbidden(err, *as, "change the inbox settings of @"+o.Handle)
		}
	}
	if f.given("topics") {
		if err := e.setTopics(app, actor, o, *topics, *as); err != nil {
			return err
		}
	}
	shown, err := app.Contact.Settings(e.ctx, actor, o.ID)
	if err != nil {
		return forbidden(err, *as, "read the inbox settings of @"+o.Handle)
	}
	roles := make([]string, len(shown.Readers))
	for i, r := range shown.Readers {
		roles[i] = string(r)
	}
	age := func(d, def time.Duration) string {
		if d == 0 {
			return config.FormatAge(def) + " (default)"
		}
		return config.FormatAge(d)
	}
	fmt.Fprintf(e.stdout, "readers:           %s\nretain questions:  %s\nretain complaints: %s\nnotify the team:   %v\ntopics:            %s\n",
		strings.Join(roles, ", "), age(shown.Retention, cfg.Retention.Questions), age(shown.ComplaintRetention, contact.DefaultComplaintRetention), shown.Notify,
		topicsLine(shown.Topics))
	return nil
}

func runInboxSavedAdd(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --title TITLE --text TEXT [flags]", `
Saves an answer for frequent questions under a title; 'plein inbox answer
ID --saved SAVED-ID' answers with it. --text - reads it from standard
input. The audit log records it.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	title := f.String("title", "", "the `title` colleagues choose it by (required)")
	text := f.String("text", "", "the answer, or - to read it from standard input (required)")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "title": *title, "text": *text}); err != nil {
		return err
	}
	body, err := e.readText(*text)
	if err != nil {
		return err
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	a, err := app.Contact.AddSavedAnswer(e.ctx, actor, o.ID, *title, body)
	if err != nil {
		return forbidden(err, *as, "save answers of @"+o.Handle)
	}
	fmt.Fprintf(e.stdout, "saved answer %s (%s)\n", a.ID, a.Title)
	return nil
}

func runInboxSavedList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [flags]", `
Lists an organisation's saved answers: id, title and the start of the text.`)
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
	list, err := app.Contact.SavedAnswers(e.ctx, actor, o.ID)
	if err != nil {
		return forbidden(err, *as, "read the saved answers of @"+o.Handle)
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "@%s has no saved answers\n", o.Handle)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tTEXT")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.ID, a.Title, firstLine(a.Text, 60))
	}
	return tw.Flush()
}

func runInboxSavedRemove(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --org HANDLE [flags]", `
Removes one of an organisation's saved answers. The audit log records it.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "saved answer id")
	if err != nil {
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
	if err := app.Contact.RemoveSavedAnswer(e.ctx, actor, o.ID, pos[0]); err != nil {
		if errors.Is(err, contact.ErrSavedNotFound) {
			return fmt.Errorf("@%s has no saved answer with the id %q; 'plein inbox saved list --org %s' shows them", o.Handle, pos[0], o.Handle)
		}
		return forbidden(err, *as, "remove saved answers of @"+o.Handle)
	}
	fmt.Fprintf(e.stdout, "saved answer %s removed\n", pos[0])
	return nil
}
