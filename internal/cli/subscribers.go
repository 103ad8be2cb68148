package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"plein/internal/config"
	"plein/internal/subscription"
)

// maxImportFile bounds a CSV file of subscribers: about a million rows.
const maxImportFile = 256 << 20

func runSubscribersList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [flags]", `
Lists the e-mail subscribers of an organisation: address, state (pending
until the address is confirmed, active, or suspended after bounces),
frequency, topic and when the address was confirmed. Addresses are
personal data: keep the output to yourself.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	as := f.String("as", "", "act as the staff account with this e-mail `address`, with its role; default: the operator")
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
	subs, err := app.Subscriptions.List(e.ctx, actor, o.ID)
	if err != nil {
		return forbidden(err, *as, "see the subscribers of @"+o.Handle)
	}
	if len(subs) == 0 {
		fmt.Fprintf(e.stdout, "@%s has no e-mail subscribers\n", o.Handle)
		return nil
	}
	loc := location(o)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "EMAIL\tSTATE\tFREQUENCY\tTAG\tCONFIRMED (%s)\n", loc)
	for _, s := range subs {
		confirmed := "-"
		if !s.ConfirmedAt.IsZero() {
			confirmed = s.ConfirmedAt.In(loc).Format(localLayout)
		}
		tag := "-"
		if s.Tag != "" {
			tag = "#" + s.Tag
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Email, s.State, s.Frequency, tag, confirmed)
	}
	return tw.Flush()
}

func runSubscribersImport(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--consent TEXT --consent-date DATE] [FILE | -] [flags]", `
Imports e-mail subscribers from another provider, from a CSV file (or
standard input when FILE is - or left out) whose header row names its
columns: email (required), and optionally tag, frequency (now, daily or
weekly), lang (nl or en), consent and consent_at. Every subscriber needs
the consent they gave there, stated in the consent column or for the
whole file with --consent and --consent-date; it is kept with its date.
Imported subscribers are confirmed without a mail. Addresses that
unsubscribed here or complained are left out.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	consent := f.String("consent", "", "the `statement` of the consent every subscriber in the file gave, such as \"signed up for the newsletter on www.example.org, double opt-in\"")
	consentDate := f.String("consent-date", "", "`date` (2025-01-31) or time (RFC 3339) of that consent")
	as := f.String("as", "", "act as the staff account with this e-mail `address`, with its role; default: the operator")
	pos, err := e.parse(f, args, "file?")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	opts := subscription.ImportOptions{Consent: *consent}
	if *consentDate != "" {
		t, err := time.Parse(time.DateOnly, *consentDate)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, *consentDate); err != nil {
				return usageErrorf("--consent-date %q is not a date such as 2025-01-31", *consentDate)
			}
		}
		opts.ConsentAt = t
	}
	if (*consent == "") != (*consentDate == "") {
		return usageErrorf("--consent and --consent-date go together")
	}
	var in io.Reader = e.stdin
	if len(pos) == 1 && pos[0] != "-" {
		file, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", pos[0], err)
		}
		defer file.Close()
		in = file
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	res, err := app.Subscriptions.Import(e.ctx, actor, o.ID, io.LimitReader(in, maxImportFile), opts)
	if errors.Is(err, subscription.ErrNoConsent) {
		return usageErrorf("the file has no consent column: state the consent of its subscribers with --consent and --consent-date")
	}
	if err != nil {
		return forbidden(err, *as, "import subscribers of @"+o.Handle)
	}
	fmt.Fprintf(e.stdout, "imported %d subscribers of @%s; %d were subscribed already; %d left out because they unsubscribed or complained\n",
		res.Imported, o.Handle, res.Existing, res.Suppressed)
	if n := len(res.Invalid); n > 0 {
		lines := make([]string, 0, min(n, 20))
		for _, l := range res.Invalid[:min(n, 20)] {
			lines = append(lines, fmt.Sprint(l))
		}
		more := ""
		if n > 20 {
			more = fmt.Sprintf(" and %d more", n-20)
		}
		fmt.Fprintf(e.stdout, "left out %d rows without a valid address, topic, frequency or consent: lines %s%s\n", n, strings.Join(lines, ", "), more)
	}
	return nil
}

func runSubscribersExport(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [flags] > subscribers.csv", `
Writes the active e-mail subscribers of an organisation to standard
output as CSV, with the columns email, tag, frequency, lang, confirmed_at,
consent and consent_at, to move them to another provider. Addresses are
personal data; the export is recorded in the audit log.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	as := f.String("as", "", "act as the staff account with this e-mail `address`, with its role; default: the operator")
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
	n, err := app.Subscriptions.Export(e.ctx, actor, o.ID, e.stdout)
	if err != nil {
		return forbidden(err, *as, "export the subscribers of @"+o.Handle)
	}
	fmt.Fprintf(e.stderr, "plein: exported %d subscribers of @%s\n", n, o.Handle)
	return nil
}
