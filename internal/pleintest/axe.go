package pleintest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"plein/internal/a11yaudit"
	"plein/internal/privacyaudit"
)

// AxeFile is where axe-core is installed, relative to the module root, by
// the command AxeInstall.
const AxeFile = a11yaudit.AxeFile

// AxeInstall installs the axe-core version pinned in tools/axe, from the
// module root. It is needed once; .ci/run runs it.
const AxeInstall = a11yaudit.AxeInstall

// ErrAxeMissing means axe-core is not installed: run AxeInstall.
var ErrAxeMissing = a11yaudit.ErrAxeMissing

// pageTimeout bounds loading one page and checking it.
const pageTimeout = a11yaudit.PageTimeout

// Violation is one axe-core rule broken on a page.
type Violation = a11yaudit.Violation

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// loadAxe reads axe.min.js from the module root once.
func loadAxe() (string, error) {
	axeOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			axeErr = err
			return
		}
		axeSource, axeErr = readAxe(root)
	})
	return axeSource, axeErr
}

// readAxe reads AxeFile below the module root.
func readAxe(root string) (string, error) {
	return a11yaudit.ReadAxe(filepath.Join(root, filepath.FromSlash(AxeFile)))
}

// moduleRoot returns the nearest folder at or above the working directory
// (a test's package folder) that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("pleintest: finding the module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pleintest: no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// AxeSource returns axe.min.js, read once. Without it the test is skipped
// with the command that installs it, or fails when the environment variable
// CI is set.
func AxeSource(t testing.TB) string {
	t.Helper()
	src, err := loadAxe()
	if err != nil {
		skipOrFail(t, "accessibility test needs axe-core", err)
	}
	return src
}

// skipOrFail skips the test, or fails it when CI is set: in CI every test
// must run.
func skipOrFail(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s in CI: %v", what, err)
	}
	t.Skipf("skipping: %s: %v", what, err)
}

// NewBrowser starts headless Chromium with a fresh profile for tests and
// returns a chromedp context of its first tab, closed when the test ends.
// The window is 1280×900. Without Chromium the test is skipped, or fails
// when the environment variable CI is set.
func NewBrowser(t testing.TB) context.Context {
	t.Helper()
	path, err := privacyaudit.FindChromium("")
	if err != nil {
		skipOrFail(t, "browser test needs Chromium", err)
	}
	// Without a user-data-dir flag chromedp makes a fresh profile folder and
	// removes it when the browser has stopped.
	allocCtx, release := chromedp.NewExecAllocator(context.Background(),
		append(privacyaudit.ChromiumOptions(path),
			chromedp.WindowSize(1280, 900),
			chromedp.Flag("force-color-profile", "srgb"))...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		release()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("pleintest: starting %s: %v", path, err)
	}
	return ctx
}

// A viewport is a size the pages are checked at, in CSS pixels.
type viewport struct {
	name          string
	width, height int64
	scale         float64 // device pixels per CSS pixel
	mobile        bool
}

// axeViewports are the sizes CheckAccessibility checks each page at. A
// browser zoomed to 200% lays a 1280×900 window out as 640×450 CSS pixels,
// each drawn with two device pixels.
var axeViewports = []viewport{
	{name: "desktop 1280×900", width: 1280, height: 900, scale: 1},
	{name: "mobile 375×812", width: 375, height: 812, scale: 2, mobile: true},
	{name: "200% zoom 640×450", width: 640, height: 450, scale: 2},
}

// reflowViewport is the size of CheckReflow: a 1280 px wide window at 400%
// zoom, the case of WCAG 2.1 success criterion 1.4.10 (Reflow).
var reflowViewport = viewport{name: "320×225", width: 320, height: 225, scale: 4}

// withViewport opens a new tab in the browser of ctx emulating vp and
// returns its context and the function that closes it.
func withViewport(ctx context.Context, vp viewport) (context.Context, context.CancelFunc, error) {
	if err := chromedp.Do(ctx); err != nil { // starts the browser if ctx has none yet
		return nil, nil, fmt.Errorf("pleintest: browser: %w", err)
	}
	tab, cancel := chromedp.NewContext(ctx)
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(vp.scale)}
	if vp.mobile {
		opts = append(opts, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	if err := chromedp.Do(tab, chromedp.EmulateViewport(vp.width, vp.height, opts...)); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("pleintest: emulating %s: %w", vp.name, err)
	}
	return tab, cancel, nil
}

// RunAxe opens url in the tab of the chromedp context ctx and returns the
// violations a11yaudit.Run finds there: the WCAG 2.0 and 2.1 rules of
// levels A and AA, of every impact, with every closed details element
// opened. Without axe-core the error wraps ErrAxeMissing.
func RunAxe(ctx context.Context, url string) ([]Violation, error) {
	src, err := loadAxe()
	if err != nil {
		return nil, err
	}
	return a11yaudit.Run(ctx, src, url)
}

// CheckAccessibility opens each URL in the browser of ctx (a chromedp
// context, as NewBrowser returns) at a desktop, a mobile and a 200% zoom
// viewport, runs axe-core with the WCAG 2.0 and 2.1 A and AA rules, and
// fails the test for every violation whose impact is serious or critical,
// listing the rule, its help and the offending elements; moderate and minor
// ones are logged. A violation found at several viewports is reported once.
// Without axe-core the test is skipped, or fails when CI is set.
func CheckAccessibility(t testing.TB, ctx context.Context, urls ...string) {
	t.Helper()
	AxeSource(t)
	type finding struct {
		url       string
		v         Violation
		viewports []string
	}
	var findings []*finding
	seen := make(map[string]*finding)
	for _, vp := range axeViewports {
		tab, closeTab, err := withViewport(ctx, vp)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range urls {
			vs, err := RunAxe(tab, u)
			if err != nil {
				closeTab()
				t.Fatalf("%s at %s: %v", u, vp.name, err)
			}
			for _, v := range vs {
				key := u + "\x00" + v.ID + "\x00" + strings.Join(v.Nodes, "\x00")
				if f, ok := seen[key]; ok {
					f.viewports = append(f.viewports, vp.name)
					continue
				}
				f := &finding{url: u, v: v, viewports: []string{vp.name}}
				seen[key] = f
				findings = append(findings, f)
			}
		}
		closeTab()
	}
	for _, f := range findings {
		msg := fmt.Sprintf("%s at %s: %s", f.url, strings.Join(f.viewports, ", "), f.v)
		if f.v.Serious() {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// reflowScript measures whether the page scrolls sideways and, if it does,
// names the elements that reach past the right edge.
const reflowScript = a11yaudit.OpenDetails + `(() => {
	const root = document.documentElement, width = root.clientWidth;
	const wide = [];
	for (const el of document.querySelectorAll("body *")) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > width + 0.5 && wide.length < 10) {
			wide.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : "") + " reaches " + Math.round(r.right) + " px");
		}
	}
	return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide};
})()`

// Reflow is what CheckReflow measures on one page.
type Reflow struct {
	ScrollWidth int      `json:"scrollWidth"` // of the document, in CSS pixels
	ClientWidth int      `json:"clientWidth"` // of the viewport, without scroll bar
	Wide        []string `json:"wide"`        // up to ten elements reaching past the right edge
}

// Scrolls reports whether the page scrolls sideways.
func (r Reflow) Scrolls() bool { return r.ScrollWidth > r.ClientWidth }

// MeasureReflow opens url in the tab of ctx, opens every closed details
// element and measures the width of the page.
func MeasureReflow(ctx context.Context, url string) (Reflow, error) {
	ctx, cancel := context.WithTimeout(ctx, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return Reflow{}, fmt.Errorf("pleintest: loading %s: %w", url, err)
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[Reflow](reflowScript))
	if err != nil {
		return Reflow{}, fmt.Errorf("pleintest: measuring %s: %w", url, err)
	}
	return r, nil
}

// CheckReflow opens each URL in the browser of ctx at 320 CSS pixels wide
// (a 1280 px window at 400% zoom), with every details element open, and fails the test for every page that
// scrolls sideways, naming the elements that are too wide.
func CheckReflow(t testing.TB, ctx context.Context, urls ...string) {
	t.Helper()
	tab, closeTab, err := withViewport(ctx, reflowViewport)
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	for _, u := range urls {
		r, err := MeasureReflow(tab, u)
		if err != nil {
			t.Fatal(err)
		}
		if r.Scrolls() {
			t.Errorf("%s at %s scrolls sideways: %d px of content in %d px; too wide: %s",
				u, reflowViewport.name, r.ScrollWidth, r.ClientWidth, strings.Join(r.Wide, "; "))
		}
	}
}
