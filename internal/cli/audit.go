package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"plein/internal/privacyaudit"
)

// Defaults of plein audit.
const (
	defaultAuditPosts   = 3
	defaultAuditTimeout = 2 * time.Minute
)

func runAudit(e *env, path string, args []string) error {
	f := newFlags(path, "[flags] URL", `
Opens the public pages of the running Plein at URL in headless Chromium, as
a visitor would: the directory, every organisation page linked from it, a
few posts of each organisation, and every page linked as the privacy
policy. Reports every cookie, every piece of browser storage (localStorage,
sessionStorage, IndexedDB, Cache Storage, service workers) and every request
to a host other than URL's. Exits with 1 when it finds anything, 0 when the
pages are clean.`)
	asJSON := f.Bool("json", false, "write the report as JSON to standard output instead of text")
	chromium := f.String("chromium", "", "`path` of the Chromium executable; default: chromium or chromium-browser on PATH")
	posts := f.Int("posts", defaultAuditPosts, "`number` of post pages to open per organisation")
	timeout := f.Duration("timeout", defaultAuditTimeout, "`duration` the whole audit may take, such as 90s or 5m")
	pos, err := e.parse(f, args, "URL of the site")
	if err != nil {
		return err
	}
	site, err := siteURL(f, pos[0])
	if err != nil {
		return err
	}
	if *posts < 0 {
		return usageErrorf("%s: --posts must be 0 or more, not %d", f.name(), *posts)
	}
	if *timeout <= 0 {
		return usageErrorf("%s: --timeout must be positive, not %s", f.name(), *timeout)
	}
	exe, err := findChromium("audit", *chromium)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(e.ctx, *timeout)
	defer cancel()
	report, err := audit(ctx, exe, site, *posts)
	if err != nil {
		if e.ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return &wrapped{msg: fmt.Sprintf("the audit of %s did not finish within %s; give a longer --timeout", site, *timeout), err: err}
		}
		return err
	}

	if err := writeResult(e.stdout, *asJSON, report, report.WriteText); err != nil {
		return err
	}
	if !report.Clean() {
		return errors.New("the audit found " + findingCounts(report))
	}
	return nil
}

// siteURL checks the URL of the site a command opens: absolute, http or
// https.
func siteURL(f *flags, site string) (string, error) {
	if u, err := url.Parse(site); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usageErrorf("%s: %q is not an http or https URL, such as http://127.0.0.1:8080", f.name(), site)
	}
	return site, nil
}

// findChromium finds the Chromium executable of the command cmd: path, or
// chromium or chromium-browser on PATH; its error says what to install.
func findChromium(cmd, path string) (string, error) {
	exe, err := privacyaudit.FindChromium(path)
	if err != nil {
		if path != "" {
			return "", &wrapped{msg: fmt.Sprintf("--chromium %s is not an executable", path), err: err}
		}
		return "", &wrapped{msg: cmd + " needs Chromium, and neither chromium nor chromium-browser is on PATH; " +
			"install the package chromium or give --chromium PATH", err: err}
	}
	return exe, nil
}

// writeResult writes v to w as indented JSON when asJSON, else as text.
func writeResult(w io.Writer, asJSON bool, v any, text func(io.Writer) error) error {
	var err error
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(v)
	} else {
		err = text(w)
	}
	if err != nil {
		return fmt.Errorf("cannot write the result: %w", err)
	}
	return nil
}

// audit finds the pages of the site and audits them in Chromium.
func audit(ctx context.Context, exe, site string, posts int) (*privacyaudit.Report, error) {
	pages, err := privacyaudit.Discover(ctx, &http.Client{}, site, posts)
	if err != nil {
		return nil, fmt.Errorf("cannot list the pages to audit: %w", err)
	}
	report, err := privacyaudit.Run(ctx, privacyaudit.Options{ChromiumPath: exe}, pages)
	if err != nil {
		return nil, fmt.Errorf("the audit did not finish: %w", err)
	}
	return report, nil
}

// findingCounts names the findings of r, such as "2 cookies and 1 request to
// another host".
func findingCounts(r *privacyaudit.Report) string {
	var parts []string
	count := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	count(len(r.Cookies), "cookie", "cookies")
	count(len(r.Storage), "storage entry", "storage entries")
	count(len(r.Requests), "request to another host", "requests to other hosts")
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
