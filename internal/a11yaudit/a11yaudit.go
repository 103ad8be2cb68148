// Package a11yaudit checks pages for accessibility in a real browser: it
// loads axe-core into each page in headless Chromium through the DevTools
// protocol and reports the WCAG 2.0 and 2.1 rules of levels A and AA that
// the page breaks. Plein's browser tests and the command plein a11y check
// both use it. axe-core is not part of Plein's binary: it is installed
// beside the source (AxeFile, by AxeInstall) or given by path.
package a11yaudit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"plein/internal/privacyaudit"
)

// AxeFile is where axe-core is installed, relative to the module root, by
// the command AxeInstall.
const AxeFile = "tools/axe/node_modules/axe-core/axe.min.js"

// AxeInstall installs the axe-core version pinned in tools/axe, from the
// module root.
const AxeInstall = "npm ci --prefix tools/axe"

// ErrAxeMissing means axe-core is not installed: run AxeInstall, or give
// the path of axe.min.js.
var ErrAxeMissing = errors.New("a11yaudit: axe-core is not installed")

// PageTimeout bounds loading one page and checking it.
const PageTimeout = 30 * time.Second

// Tags are the axe-core rule tags checked: WCAG 2.0 and 2.1, levels A and
// AA.
var Tags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one axe-core rule broken on a page.
type Violation struct {
	ID      string   `json:"id"`     // rule, e.g. "image-alt"
	Impact  string   `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help    string   `json:"help"`   // what the rule asks
	HelpURL string   `json:"helpUrl"`
	Nodes   []string `json:"nodes"` // each offending element: its target selectors, then its HTML
}

// Serious reports whether v breaks its rule badly enough to fail a test:
// impact serious or critical, or an impact axe-core did not rate.
func (v Violation) Serious() bool {
	return v.Impact != "minor" && v.Impact != "moderate"
}

// String formats v on several lines: rule, impact, help, the help page and
// one line per offending element.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		b.WriteString("\n    - ")
		b.WriteString(n)
	}
	return b.String()
}

// FindAxe returns the axe.min.js to use: path itself when it is not empty,
// else AxeFile below the working directory or the nearest folder above it
// that has one (a checkout of Plein's source where AxeInstall ran). Its
// error wraps ErrAxeMissing and says how to install axe-core.
func FindAxe(path string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("%w: %w", ErrAxeMissing, err)
		}
		return path, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("a11yaudit: finding axe-core: %w", err)
	}
	for {
		p := filepath.Join(dir, filepath.FromSlash(AxeFile))
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no %s in this folder or above it; run %q in Plein's source folder, or give the path of axe.min.js",
				ErrAxeMissing, AxeFile, AxeInstall)
		}
		dir = parent
	}
}

// ReadAxe reads the axe-core script at path; a missing file is
// ErrAxeMissing.
func ReadAxe(path string) (string, error) {
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("%w: %s is missing; run %q", ErrAxeMissing, path, AxeInstall)
	case err != nil:
		return "", fmt.Errorf("a11yaudit: reading axe-core: %w", err)
	}
	return string(b), nil
}

// OpenDetails is a script that opens every closed details element, as a
// visitor may, so that the checks see what it hides.
const OpenDetails = `for (const d of document.querySelectorAll("details:not([open])")) d.open = true;`

// axeScript runs axe-core with the WCAG tags on the document and keeps what
// a report needs. The tags are filled in by Run.
const axeScript = `axe.run(document, {
	runOnly: {type: "tag", values: %s},
	resultTypes: ["violations"],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || "",
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)).join(", ") + ": " + n.html),
})))`

// Run opens url in the tab of the chromedp context ctx, loads axe (the
// source of axe.min.js) into the page through the DevTools protocol, which
// the page's Content-Security-Policy does not restrict, and returns the
// violations of the rules of Tags, of every impact. It opens every closed
// details element first, so that what a visitor can reveal is checked
// too. A page that answers with an HTTP error status is checked like any
// other. Loading and checking the page may take PageTimeout.
func Run(ctx context.Context, axe, url string) ([]Violation, error) {
	ctx, cancel := context.WithTimeout(ctx, PageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("a11yaudit: loading %s: %w", url, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](OpenDetails+axe)); err != nil {
		return nil, fmt.Errorf("a11yaudit: loading axe-core into %s: %w", url, err)
	}
	tags := `["` + strings.Join(Tags, `", "`) + `"]`
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(axeScript, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("a11yaudit: running axe-core on %s: %w", url, err)
	}
	return found, nil
}

// Page is the result of one page of Check.
type Page struct {
	URL        string      `json:"url"`
	Violations []Violation `json:"violations"`
}

// Check starts headless Chromium (the executable chromium, as
// privacyaudit.FindChromium found it) in a 1280×900 window with a fresh
// profile, checks each URL with Run and stops the browser. axe is the
// source of axe.min.js.
func Check(ctx context.Context, chromium, axe string, urls []string) ([]Page, error) {
	allocCtx, release := chromedp.NewExecAllocator(ctx,
		append(privacyaudit.ChromiumOptions(chromium), chromedp.WindowSize(1280, 900))...)
	defer release()
	tab, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(tab); err != nil {
		return nil, fmt.Errorf("a11yaudit: starting %s: %w", chromium, err)
	}
	pages := make([]Page, 0, len(urls))
	for _, u := range urls {
		vs, err := Run(tab, axe, u)
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{URL: u, Violations: vs})
	}
	return pages, nil
}
