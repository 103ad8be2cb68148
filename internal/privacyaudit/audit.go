// Package privacyaudit proves in a real browser that pages of a running Plein
// keep its promise to visitors: reading a public page sets no cookie, stores
// nothing in the browser and makes no request to any other host.
//
// It drives headless Chromium through the DevTools protocol, visits pages as
// a visitor does, and records what the browser reports: every request of the
// page, of its frames and of its workers (from the Network domain of each),
// every cookie, and the browser storage of each origin the pages used. The
// caller judges the Report; Report.Clean is the promise kept.
package privacyaudit

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Errors that callers tell apart with errors.Is.
var (
	// ErrChromiumNotFound means no Chromium executable was found.
	ErrChromiumNotFound = errors.New("privacyaudit: Chromium not found")
	// ErrInvalidURL means a URL to audit is not an absolute http or https
	// URL, or the URLs do not share one origin.
	ErrInvalidURL = errors.New("privacyaudit: invalid URL")
	// ErrLoad means the browser could not load a page: a network error or
	// the page timeout. A page that answers with an HTTP error status is
	// loaded, not an error.
	ErrLoad = errors.New("privacyaudit: page did not load")
	// ErrIncomplete means the audit could not observe everything: a worker
	// or frame whose network it could not watch, or storage it could not
	// read. Such a report would prove nothing, so none is returned.
	ErrIncomplete = errors.New("privacyaudit: audit incomplete")
)

// Defaults of Options.
const (
	DefaultPageTimeout = 15 * time.Second
	DefaultQuietPeriod = 500 * time.Millisecond
)

// Options configure the browser of an audit. The zero value is ready to use.
type Options struct {
	// ChromiumPath is the browser executable. Empty: look up "chromium",
	// then "chromium-browser" on PATH.
	ChromiumPath string
	// PageTimeout bounds loading one page and waiting for its network to go
	// quiet. Default DefaultPageTimeout.
	PageTimeout time.Duration
	// QuietPeriod is how long no request may be in flight before a page
	// counts as settled. Default DefaultQuietPeriod.
	QuietPeriod time.Duration
}

func (o Options) withDefaults() Options {
	if o.PageTimeout <= 0 {
		o.PageTimeout = DefaultPageTimeout
	}
	if o.QuietPeriod <= 0 {
		o.QuietPeriod = DefaultQuietPeriod
	}
	return o
}

// chromiumNames are the executables FindChromium looks up on PATH, in order.
var chromiumNames = []string{"chromium", "chromium-browser"}

// FindChromium returns the Chromium executable to use: path itself when it is
// not empty, else the first of "chromium" and "chromium-browser" found on
// PATH. Its error wraps ErrChromiumNotFound and names the package to install.
func FindChromium(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("%w: %s is not an executable: %w", ErrChromiumNotFound, path, err)
		}
		return p, nil
	}
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: neither chromium nor chromium-browser is on PATH; install the package \"chromium\" (Debian, Ubuntu: apt-get install chromium) or give the path of the executable", ErrChromiumNotFound)
}

// Browser is a running headless Chromium that audits pages. Each audit runs
// in a fresh, empty browser profile of its own, so audits on one Browser do
// not see each other's cookies or storage. It is safe for concurrent use.
type Browser struct {
	opts    Options
	dir     string          // user data directory, removed by Close
	ctx     context.Context // chromedp context of the browser
	cancel  context.CancelFunc
	release context.CancelFunc // stops the allocator and waits for the process

	closeOnce sync.Once
	closeErr  error
}

// ChromiumOptions are the options Plein starts headless Chromium with, for
// audits and for tests: no sandbox (it may run as root in a container) and
// none of the browser's own traffic to outside hosts, which would be
// refused on a closed network and would spoil an audit.
func ChromiumOptions(path string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
	}
}

// Start starts a headless Chromium with an empty temporary profile. ctx
// bounds the start only; Close stops the browser.
func Start(ctx context.Context, opts Options) (*Browser, error) {
	opts = opts.withDefaults()
	path, err := FindChromium(opts.ChromiumPath)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "plein-privacyaudit-")
	if err != nil {
		return nil, fmt.Errorf("privacyaudit: creating the browser profile: %w", err)
	}
	allocCtx, release := chromedp.NewExecAllocator(context.WithoutCancel(ctx),
		append(ChromiumOptions(path), chromedp.UserDataDir(dir))...)
	browserCtx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{opts: opts, dir: dir, ctx: browserCtx, cancel: cancel, release: release}

	stop := context.AfterFunc(ctx, cancel)
	err = chromedp.Do(browserCtx)
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		b.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("privacyaudit: starting %s: %w", path, err)
	}
	return b, nil
}

// Close stops the browser and removes its profile directory.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		b.cancel()
		b.release()
		if err := os.RemoveAll(b.dir); err != nil {
			b.closeErr = fmt.Errorf("privacyaudit: removing the browser profile: %w", err)
		}
	})
	return b.closeErr
}

// Run starts a browser, audits the pages at urls with Browser.Audit, and
// stops the browser.
func Run(ctx context.Context, opts Options, urls []string) (*Report, error) {
	b, err := Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	r, err := b.Audit(ctx, urls)
	if cerr := b.Close(); err == nil && cerr != nil {
		return nil, cerr
	}
	return r, err
}

// Audit visits every URL one after another in one fresh browser profile, so
// that state accumulates as it does for a real visitor. For each page it
// waits for the load event and for the network to go quiet, records every
// request of the page, its frames and its workers, and then reads the cookies
// of the profile and the browser storage of each origin among the frames in
// the page's process. (A frame of another site runs in a process of its own;
// its storage is not read, but loading it is already a request finding.) All
// URLs must share one origin, the audited site.
//
// A page that answers with an HTTP error status is recorded in Report.Pages
// for the caller to judge. A page that does not load is an error wrapping
// ErrLoad; storage or a worker that could not be observed is an error
// wrapping ErrIncomplete.
func (b *Browser) Audit(ctx context.Context, urls []string) (*Report, error) {
	site, err := siteOf(urls)
	if err != nil {
		return nil, err
	}
	rec := newRecorder(site)
	tabCtx, closeTab := chromedp.NewContext(b.ctx,
		chromedp.WithNewBrowserContext(),
		chromedp.WithListener(rec.pageEvent),
	)
	rec.ctx = tabCtx
	rec.sendRoot = func(ctx context.Context, id target.SessionID, msg string) error {
		_, err := chromedp.Call(ctx, sendMessageToTarget, sendMessageParams{SessionID: id, Message: msg})
		return err
	}
	stop := context.AfterFunc(ctx, closeTab)
	defer func() {
		stop()
		closeTab()
		rec.wg.Wait()
	}()
	// fail prefers the caller's reason to end over the error it caused.
	fail := func(err error) (*Report, error) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}

	if err := chromedp.Do(tabCtx); err != nil {
		return fail(fmt.Errorf("privacyaudit: opening a tab: %w", err))
	}
	if _, err := chromedp.Call(tabCtx, target.SetAutoAttach, autoAttach); err != nil {
		return fail(fmt.Errorf("privacyaudit: watching frames and workers: %w", err))
	}
	profile := chromedp.FromContext(tabCtx).BrowserContextID

	report := &Report{Origin: site}
	state := newStateSet(site)
	for _, u := range urls {
		p, err := b.visit(tabCtx, rec, u)
		if err != nil {
			return fail(err)
		}
		report.Pages = append(report.Pages, p)
		if err := state.read(tabCtx, b.opts.PageTimeout, profile, u); err != nil {
			return fail(err)
		}
		if problems := rec.takeProblems(); len(problems) > 0 {
			return fail(fmt.Errorf("%w: on %s: %w", ErrIncomplete, u, errors.Join(problems...)))
		}
	}
	report.Cookies = state.cookies
	report.Storage = state.storage
	report.Requests = append(rec.foreignRequests(), state.hints...)
	sortReport(report)
	return report, nil
}

// visit loads one page and waits until its network is quiet.
func (b *Browser) visit(tabCtx context.Context, rec *recorder, u string) (Page, error) {
	rec.visiting(u)
	ctx, cancel := context.WithTimeout(tabCtx, b.opts.PageTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		return Page{}, fmt.Errorf("%w: %s: %w", ErrLoad, u, err)
	}
	p := Page{URL: u, NetworkQuiet: rec.waitQuiet(ctx, b.opts.QuietPeriod)}
	if resp != nil {
		p.Status = int(resp.Status)
		if resp.URL != u {
			p.FinalURL = resp.URL
		}
	}
	return p, nil
}

// siteOf checks the URLs to audit and returns their common origin.
func siteOf(urls []string) (string, error) {
	if len(urls) == 0 {
		return "", fmt.Errorf("%w: no URL to audit", ErrInvalidURL)
	}
	site := ""
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrInvalidURL, err)
		}
		origin, ok := originOfURL(raw)
		if !ok || (u.Scheme != "http" && u.Scheme != "https") {
			return "", fmt.Errorf("%w: %q is not an absolute http or https URL", ErrInvalidURL, raw)
		}
		if site == "" {
			site = origin
		} else if origin != site {
			return "", fmt.Errorf("%w: %s is not on %s; audit one site at a time", ErrInvalidURL, raw, site)
		}
	}
	return site, nil
}

//go:embed storage.js
var storageScript string

// frameState is what storage.js returns for one frame.
type frameState struct {
	Origin         string   `json:"origin"`
	URL            string   `json:"url"`
	LocalStorage   int      `json:"localStorage"`
	SessionStorage int      `json:"sessionStorage"`
	IndexedDB      []string `json:"indexedDB"`
	CacheStorage   []string `json:"cacheStorage"`
	ServiceWorker  []string `json:"serviceWorker"`
	Hints          []struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	} `json:"hints"`
	Errors []string `json:"errors"`
}

// stateSet accumulates the cookies, storage and hints seen after each visit,
// each with the first page after which it was seen.
type stateSet struct {
	site       string
	cookies    []Cookie
	cookieAt   map[[3]string]int
	storage    []StorageEntry
	storageAt  map[[3]string]int
	hints      []Request
	hintOfPage map[[2]string]bool
}

func newStateSet(site string) *stateSet {
	return &stateSet{site: site, cookieAt: make(map[[3]string]int), storageAt: make(map[[3]string]int), hintOfPage: make(map[[2]string]bool)}
}

// read reads the cookies of the profile and the storage of every origin in
// the frames of the page's process, after the visit of pageURL.
func (s *stateSet) read(tabCtx context.Context, timeout time.Duration, profile cdp.BrowserContextID, pageURL string) error {
	ctx, cancel := context.WithTimeout(tabCtx, timeout)
	defer cancel()

	jar, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: profile})
	if err != nil {
		return fmt.Errorf("%w: reading cookies after %s: %w", ErrIncomplete, pageURL, err)
	}
	for _, c := range jar.Cookies {
		s.addCookie(c.Name, c.Domain, c.Path, Cookie{
			Name: c.Name, Domain: c.Domain, Path: c.Path,
			Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: string(c.SameSite),
			Session: c.Session, Expires: expiry(c.Session, c.Expires), Page: pageURL,
		})
	}

	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil || tree.FrameTree == nil {
		return fmt.Errorf("%w: listing the frames of %s: %w", ErrIncomplete, pageURL, err)
	}
	done := make(map[string]bool)
	for _, f := range frames(tree.FrameTree) {
		if _, ok := originOfURL(f.SecurityOrigin); !ok || done[f.SecurityOrigin] {
			continue // an opaque origin has no storage
		}
		done[f.SecurityOrigin] = true
		st, err := readFrame(ctx, f.ID)
		if err != nil {
			return fmt.Errorf("%w: reading the storage of %s on %s: %w", ErrIncomplete, f.SecurityOrigin, pageURL, err)
		}
		if len(st.Errors) > 0 {
			return fmt.Errorf("%w: reading the storage of %s on %s: %w", ErrIncomplete, f.SecurityOrigin, pageURL, errors.New(strings.Join(st.Errors, "; ")))
		}
		s.addFrame(st, pageURL)
	}
	return nil
}

// readFrame runs storage.js in an isolated world of the frame.
func readFrame(ctx context.Context, frame cdp.FrameID) (frameState, error) {
	var st frameState
	world, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame, WorldName: "plein-privacyaudit"})
	if err != nil {
		return st, err
	}
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    storageScript,
		ContextID:     world.ExecutionContextID,
		AwaitPromise:  new(true),
		ReturnByValue: new(true),
	})
	if err != nil {
		return st, err
	}
	if res.ExceptionDetails != nil {
		return st, &chromedp.ExceptionError{ExceptionDetails: res.ExceptionDetails}
	}
	if res.Result == nil {
		return st, errors.New("no result")
	}
	if err := json.Unmarshal(res.Result.Value, &st); err != nil {
		return st, err
	}
	return st, nil
}

func (s *stateSet) addCookie(name, domain, path string, c Cookie) {
	key := [3]string{domain, path, name}
	if _, ok := s.cookieAt[key]; ok {
		return
	}
	s.cookieAt[key] = len(s.cookies)
	s.cookies = append(s.cookies, c)
}

func (s *stateSet) addStorage(e StorageEntry) {
	key := [3]string{e.Origin, string(e.Kind), e.Name}
	if i, ok := s.storageAt[key]; ok {
		s.storage[i].Keys = max(s.storage[i].Keys, e.Keys)
		return
	}
	s.storageAt[key] = len(s.storage)
	s.storage = append(s.storage, e)
}

func (s *stateSet) addFrame(st frameState, pageURL string) {
	if st.LocalStorage > 0 {
		s.addStorage(StorageEntry{Origin: st.Origin, Kind: LocalStorage, Keys: st.LocalStorage, Page: pageURL})
	}
	if st.SessionStorage > 0 {
		s.addStorage(StorageEntry{Origin: st.Origin, Kind: SessionStorage, Keys: st.SessionStorage, Page: pageURL})
	}
	for _, n := range st.IndexedDB {
		s.addStorage(StorageEntry{Origin: st.Origin, Kind: IndexedDB, Name: n, Page: pageURL})
	}
	for _, n := range st.CacheStorage {
		s.addStorage(StorageEntry{Origin: st.Origin, Kind: CacheStorage, Name: n, Page: pageURL})
	}
	for _, n := range st.ServiceWorker {
		s.addStorage(StorageEntry{Origin: st.Origin, Kind: ServiceWorker, Name: n, Page: pageURL})
	}
	for _, h := range st.Hints {
		origin, ok := originOfURL(h.Href)
		if !ok || !foreign(s.site, h.Href) {
			continue
		}
		key := [2]string{pageURL, h.Rel + " " + h.Href}
		if s.hintOfPage[key] {
			continue
		}
		s.hintOfPage[key] = true
		typ := "Preconnect"
		if h.Rel == "dns-prefetch" {
			typ = "DNSPrefetch"
		}
		s.hints = append(s.hints, Request{Page: pageURL, URL: h.Href, Origin: origin, Type: typ, Source: "markup", Document: st.URL})
	}
}

// frames returns the frames of the tree, parents first.
func frames(t *page.FrameTree) []*cdp.Frame {
	if t == nil || t.Frame == nil {
		return nil
	}
	out := []*cdp.Frame{t.Frame}
	for _, c := range t.ChildFrames {
		out = append(out, frames(c)...)
	}
	return out
}

// expiry converts the expiry of a cookie from seconds since the epoch.
func expiry(session bool, seconds float64) time.Time {
	if session || seconds <= 0 {
		return time.Time{}
	}
	sec := int64(seconds)
	return time.Unix(sec, int64((seconds-float64(sec))*1e9)).UTC()
}
