package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"plein/internal/a11yaudit"
	"plein/internal/accessibility"
	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/privacyaudit"
)

// Defaults of plein a11y check.
const (
	defaultA11yPages   = 50
	maxA11yPages       = 1000
	defaultA11yTimeout = 5 * time.Minute
)

// a11yCommands are the subcommands of plein a11y.
func a11yCommands() []*command {
	return []*command{
		{name: "statement", summary: "show or set the accessibility statement at /toegankelijkheid: status, audit, sign-off, report route", run: runA11yStatement},
		{name: "check", summary: "check the public pages of a running Plein with axe-core in headless Chromium and print the WCAG violations", run: runA11yCheck},
	}
}

func runA11yStatement(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[flags]", `
Shows the installation's accessibility statement, published at
/toegankelijkheid in the structure of the Dutch national model, or changes
the parts given as flags; the others stay as they are. Plein does not award
itself a status: --status A or B needs --audit-date, the day of a WCAG-EM
audit less than three years ago, and --evidence, a link to its report.
Every status but E needs the sign-off: --signed-by, --role and --date.
Instead of a status, --register may link to the statement in the national
register. An empty value ("") clears a part. Changes renew the public pages
and are in the installation's audit log.`)
	f.dataFlags(&cfg)
	status := f.String("status", "", "compliance `status`: A, B, C, D or E")
	body := f.String("body", "", "`name` of the organisation(s) responsible; default: the organisations on the installation")
	domains := f.String("domains", "", "further `domains` of the site, separated by commas")
	auditDate := f.String("audit-date", "", "`day` of the last WCAG-EM audit, yyyy-mm-dd")
	evidence := f.String("evidence", "", "`URL` of the audit report or other evidence")
	signedBy := f.String("signed-by", "", "`name` of the official who approved the statement")
	role := f.String("role", "", "`role` of that official, such as 'gemeentesecretaris'")
	date := f.String("date", "", "`day` the statement was approved, yyyy-mm-dd")
	register := f.String("register", "", "`URL` of the statement in the national register")
	contact := f.String("contact", "", "`handle` of the organisation whose contact form takes reports of problems")
	email := f.String("email", "", "e-mail `address` that takes reports of problems")
	measures := f.String("measures", "", "the measures taken, as `text`; a blank line separates paragraphs")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	st, err := app.Accessibility.Statement(e.ctx)
	if err != nil {
		return err
	}
	changed := false
	set := func(name string, apply func() error) error {
		if !f.given(name) {
			return nil
		}
		changed = true
		return apply()
	}
	text := func(name string, dst *string, v string) error {
		return set(name, func() error { *dst = v; return nil })
	}
	day := func(name string, dst *time.Time, v string) error {
		return set(name, func() error {
			d, err := accessibility.ParseDay(name, v)
			*dst = d
			return err
		})
	}
	for _, err := range []error{
		set("status", func() error {
			s, err := accessibility.ParseStatus(*status)
			st.Status = s
			return err
		}),
		text("body", &st.Body, *body),
		set("domains", func() error { st.Domains = strings.Split(*domains, ","); return nil }),
		day("audit-date", &st.AuditDate, *auditDate),
		text("evidence", &st.EvidenceURL, *evidence),
		text("signed-by", &st.SignedBy, *signedBy),
		text("role", &st.SignedRole, *role),
		day("date", &st.SignedOn, *date),
		text("register", &st.RegisterURL, *register),
		text("contact", &st.ContactHandle, *contact),
		text("email", &st.Email, *email),
		text("measures", &st.Measures, *measures),
	} {
		if err != nil {
			return err
		}
	}
	if changed {
		if err := app.Accessibility.SetStatement(e.ctx, auth.Operator(), *st); err != nil {
			return err
		}
		if st, err = app.Accessibility.Statement(e.ctx); err != nil {
			return err
		}
	}
	gaps, err := app.Accessibility.Gaps(e.ctx)
	if err != nil {
		return err
	}
	writeStatement(e.stdout, st, gaps, app.BaseURL)
	return nil
}

// writeStatement prints the statement and the gaps Plein knows.
func writeStatement(w io.Writer, st *accessibility.Statement, gaps []accessibility.Gap, baseURL string) {
	day := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	or := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	status := "- (not entered)"
	if st.Status != "" {
		status = string(st.Status) + " (" + st.Status.Name().In("en") + ")"
	}
	fmt.Fprintf(w, "page:       %s/toegankelijkheid\n", strings.TrimSuffix(baseURL, "/"))
	fmt.Fprintf(w, "status:     %s\n", status)
	fmt.Fprintf(w, "register:   %s\n", or(st.RegisterURL))
	fmt.Fprintf(w, "body:       %s\n", or(st.Body))
	fmt.Fprintf(w, "domains:    %s\n", or(strings.Join(st.Domains, ", ")))
	fmt.Fprintf(w, "audit:      %s\n", day(st.AuditDate))
	fmt.Fprintf(w, "evidence:   %s\n", or(st.EvidenceURL))
	fmt.Fprintf(w, "signed by:  %s\n", or(strings.Trim(st.SignedBy+", "+st.SignedRole, ", ")))
	fmt.Fprintf(w, "signed on:  %s\n", day(st.SignedOn))
	fmt.Fprintf(w, "contact:    %s\n", or(st.ContactHandle))
	fmt.Fprintf(w, "email:      %s\n", or(st.Email))
	fmt.Fprintf(w, "measures:   %d characters\n", len([]rune(st.Measures)))
	fmt.Fprintf(w, "updated:    %s\n", day(st.UpdatedAt))
	if len(gaps) == 0 {
		fmt.Fprintln(w, "images without a description: none")
	}
	for _, g := range gaps {
		fmt.Fprintf(w, "images without a description: @%s %d\n", g.Org.Handle, g.ImagesWithoutAlt)
	}
}

func runA11yCheck(e *env, path string, args []string) error {
	f := newFlags(path, "[flags] URL", fmt.Sprintf(`
Checks the public pages of the running Plein at URL for accessibility:
opens URL and the pages it links to on the same host, breadth first, up
to --pages of them, in headless Chromium, runs axe-core on each with the
rules of WCAG 2.0 and 2.1, levels A and AA, and prints the violations per
page: the rule, its impact, what it asks, and each offending element.
Exits with 1 when it finds a violation, 0 when every page is clean.

axe-core is not part of Plein: give --axe, the path of axe.min.js, or run
the command in a checkout of Plein's source after %q.`, a11yaudit.AxeInstall))
	asJSON := f.Bool("json", false, "write the result as JSON to standard output instead of text")
	chromium := f.String("chromium", "", "`path` of the Chromium executable; default: chromium or chromium-browser on PATH")
	axePath := f.String("axe", "", "`path` of axe.min.js; default: "+a11yaudit.AxeFile+" in this folder or above")
	pages := f.Int("pages", defaultA11yPages, fmt.Sprintf("most `number` of pages to check, 1 to %d", maxA11yPages))
	timeout := f.Duration("timeout", defaultA11yTimeout, "`duration` the whole check may take, such as 90s or 10m")
	pos, err := e.parse(f, args, "URL of the site")
	if err != nil {
		return err
	}
	site, err := siteURL(f, pos[0])
	if err != nil {
		return err
	}
	if *pages < 1 || *pages > maxA11yPages {
		return usageErrorf("%s: --pages must be 1 to %d, not %d", f.name(), maxA11yPages, *pages)
	}
	if *timeout <= 0 {
		return usageErrorf("%s: --timeout must be positive, not %s", f.name(), *timeout)
	}
	exe, err := findChromium("a11y check", *chromium)
	if err != nil {
		return err
	}
	var axe string
	file, err := a11yaudit.FindAxe(*axePath)
	if err == nil {
		axe, err = a11yaudit.ReadAxe(file)
	}
	if err != nil {
		if *axePath != "" {
			return &wrapped{msg: fmt.Sprintf("--axe %s is not axe-core's axe.min.js", *axePath), err: err}
		}
		return &wrapped{msg: fmt.Sprintf("a11y check needs axe-core, and there is no %s here or above; run %q in Plein's source folder, or give --axe PATH to axe.min.js",
			a11yaudit.AxeFile, a11yaudit.AxeInstall), err: err}
	}

	ctx, cancel := context.WithTimeout(e.ctx, *timeout)
	defer cancel()
	result, err := a11yCheck(ctx, exe, axe, site, *pages)
	if err != nil {
		if e.ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return &wrapped{msg: fmt.Sprintf("the check of %s did not finish within %s; give a longer --timeout or fewer --pages", site, *timeout), err: err}
		}
		return err
	}
	err = writeResult(e.stdout, *asJSON, result, func(w io.Writer) error { return writeA11yResult(w, result) })
	if err != nil {
		return err
	}
	if n, onPages := a11yCounts(result); n > 0 {
		return fmt.Errorf("the check found %d violations of WCAG rules on %d of %d pages", n, onPages, len(result))
	}
	return nil
}

// a11yCheck finds the pages of the site and checks them in Chromium.
func a11yCheck(ctx context.Context, exe, axe, site string, max int) ([]a11yaudit.Page, error) {
	urls, err := privacyaudit.Crawl(ctx, &http.Client{}, site, max)
	if err != nil {
		return nil, fmt.Errorf("cannot list the pages to check: %w", err)
	}
	result, err := a11yaudit.Check(ctx, exe, axe, urls)
	if err != nil {
		return nil, fmt.Errorf("the check did not finish: %w", err)
	}
	return result, nil
}

// a11yCounts returns the number of violations and of pages with any.
func a11yCounts(pages []a11yaudit.Page) (violations, onPages int) {
	for _, p := range pages {
		violations += len(p.Violations)
		if len(p.Violations) > 0 {
			onPages++
		}
	}
	return violations, onPages
}

// writeA11yResult prints each page with its violations.
func writeA11yResult(w io.Writer, pages []a11yaudit.Page) error {
	var b strings.Builder
	for _, p := range pages {
		if len(p.Violations) == 0 {
			fmt.Fprintf(&b, "%s: no violations\n", p.URL)
			continue
		}
		fmt.Fprintf(&b, "%s: %d violations\n", p.URL, len(p.Violations))
		for _, v := range p.Violations {
			fmt.Fprintf(&b, "  %s\n", v)
		}
	}
	n, onPages := a11yCounts(pages)
	fmt.Fprintf(&b, "checked %d pages: %d violations on %d pages\n", len(pages), n, onPages)
	_, err := io.WriteString(w, b.String())
	return err
}
