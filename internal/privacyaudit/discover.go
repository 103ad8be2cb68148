package privacyaudit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
)

// Limits of Discover.
const (
	// MaxOrgs is the most organisation pages Discover takes from the
	// directory.
	MaxOrgs = 50
	// MaxPageSize is the most bytes of a page that Discover reads; the rest
	// is ignored.
	MaxPageSize = 2 << 20
	// DiscoverRequestTimeout bounds each request of Discover.
	DiscoverRequestTimeout = 15 * time.Second
)

// Discover lists the public pages of the Plein at site to audit: the
// directory at site, every organisation page (/@handle) it links to, up to
// postsPerOrg post pages (/@handle/ID) linked from each organisation page,
// and every page that any of these links with rel="privacy-policy". It
// follows no link and no redirect to another origin, takes at most MaxOrgs
// organisations and reads at most MaxPageSize bytes of a page. Query strings
// and fragments are dropped from organisation and post links, so that
// language and paging variants count as the page itself.
//
// The list starts with the directory, then each organisation page followed
// by its posts, then the privacy pages, without duplicates. An organisation
// page that answers with an HTTP error status or redirects to another origin
// stays in the list, so that the audit shows what it does, but yields no
// posts. A directory that does not load, answers with an error status or
// redirects to another origin is an error, and so is a network error on any
// page. A nil client means a client with http.DefaultClient's settings.
func Discover(ctx context.Context, client *http.Client, site string, postsPerOrg int) ([]string, error) {
	root, origin, err := parseSite(site)
	if err != nil {
		return nil, err
	}
	d := newDiscovery(client, origin)

	dir, err := d.fetch(ctx, root.String())
	if err != nil {
		return nil, err
	}
	if loc := dir.location; loc != "" {
		return nil, fmt.Errorf("privacyaudit: the directory %s redirects to %s, another origin; audit that address instead", root, loc)
	}
	if !dir.ok() {
		return nil, fmt.Errorf("privacyaudit: the directory %s answered %s", root, dir.status)
	}
	out := []string{d.add(root.String())}
	privacy := d.privacyLinks(dir)

	var orgs []*url.URL
	for _, u := range dir.links {
		if _, ok := orgPath(u.Path); ok && len(orgs) < MaxOrgs && !d.seen[pageURL(u)] {
			d.seen[pageURL(u)] = true
			orgs = append(orgs, u)
		}
	}
	for _, o := range orgs {
		out = append(out, pageURL(o))
		page, err := d.fetch(ctx, pageURL(o))
		if err != nil {
			return nil, err
		}
		if !page.ok() {
			continue
		}
		privacy = append(privacy, d.privacyLinks(page)...)
		handle, _ := orgPath(o.Path)
		if h, ok := orgPath(page.url.Path); ok {
			handle = h // after a redirect to the current handle
		}
		n := 0
		for _, u := range page.links {
			if n >= postsPerOrg {
				break
			}
			h, ok := postPath(u.Path)
			if !ok || !strings.EqualFold(h, handle) || d.seen[pageURL(u)] {
				continue
			}
			out = append(out, d.add(pageURL(u)))
			n++
		}
	}
	for _, p := range privacy {
		if !d.seen[p] {
			out = append(out, d.add(p))
		}
	}
	return out, nil
}

// Crawl lists up to max HTML pages of the site reachable from start by
// links: start first, then the pages it links to, breadth first. Only
// pages on start's origin that answer with a success status and an HTML
// content type are listed; fragments are dropped, query strings kept (a
// language variant is a page of its own). It follows no link and no
// redirect to another origin and reads at most MaxPageSize bytes of a
// page. A start page that does not load or answers with an error status is
// an error; a linked page that does is left out.
func Crawl(ctx context.Context, client *http.Client, start string, max int) ([]string, error) {
	root, origin, err := parseSite(start)
	if err != nil {
		return nil, err
	}
	d := newDiscovery(client, origin)
	queue := []string{root.String()}
	d.seen[root.String()] = true
	var out []string
	for len(queue) > 0 && len(out) < max {
		u := queue[0]
		queue = queue[1:]
		page, err := d.fetch(ctx, u)
		if err != nil {
			if len(out) == 0 || ctx.Err() != nil {
				return nil, err
			}
			continue
		}
		if !page.ok() || !page.html {
			if len(out) == 0 {
				return nil, fmt.Errorf("privacyaudit: %s answered %s, not an HTML page", u, page.status)
			}
			continue
		}
		final := page.url.String()
		if final != u && d.seen[final] && len(out) > 0 {
			continue // a redirect to a page already listed
		}
		d.seen[final] = true
		out = append(out, final)
		for _, l := range page.links {
			if s := l.String(); !d.seen[s] {
				d.seen[s] = true
				queue = append(queue, s)
			}
		}
	}
	return out, nil
}

// parseSite reads the absolute http or https URL site, with path "/"
// when it has none and without its fragment, and returns it with its
// origin.
func parseSite(site string) (*url.URL, string, error) {
	root, err := url.Parse(site)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}
	origin, ok := originOfURL(site)
	if !ok || (root.Scheme != "http" && root.Scheme != "https") {
		return nil, "", fmt.Errorf("%w: %q is not an absolute http or https URL", ErrInvalidURL, site)
	}
	if root.Path == "" {
		root.Path = "/"
	}
	root.Fragment = ""
	return root, origin, nil
}

// newDiscovery returns the state of a Discover or Crawl of origin with
// the settings of client (nil: http.DefaultClient's), refusing redirects
// to other origins.
func newDiscovery(client *http.Client, origin string) *discovery {
	d := &discovery{origin: origin, seen: make(map[string]bool)}
	if client != nil {
		d.client = *client
	}
	d.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if o, ok := originOfURL(req.URL.String()); !ok || o != origin {
			return http.ErrUseLastResponse // the redirect is the answer
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return d
}

// discovery is the state of one Discover.
type discovery struct {
	client http.Client
	origin string
	seen   map[string]bool
}

// add marks u as listed and returns it.
func (d *discovery) add(u string) string {
	d.seen[u] = true
	return u
}

// fetched is a page that Discover read.
type fetched struct {
	url    *url.URL // after redirects
	code   int
	status string
	// location is where a redirect to another origin, which Discover does
	// not follow, points.
	location string
	html     bool       // the page is HTML: its content type says so, or it has none
	links    []*url.URL // same-origin <a href> targets, in document order
	rels     []*url.URL // same-origin targets of rel="privacy-policy"
}

// ok reports whether the page answered with a success status.
func (f *fetched) ok() bool { return f.code >= 200 && f.code < 300 }

// fetch reads the page at u and collects its same-origin links.
func (d *discovery) fetch(ctx context.Context, u string) (*fetched, error) {
	ctx, cancel := context.WithTimeout(ctx, DiscoverRequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("privacyaudit: %s: %w", u, err)
	}
	// Plein answers ActivityPub clients with JSON on the same addresses.
	req.Header.Set("Accept", "text/html")
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("privacyaudit: reading %s: %w", u, err)
	}
	defer resp.Body.Close()
	f := &fetched{url: resp.Request.URL, code: resp.StatusCode, status: resp.Status}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		f.location = resp.Header.Get("Location")
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	f.html = mediaType == "" || mediaType == "text/html" || mediaType == "application/xhtml+xml"
	if !f.ok() {
		return f, nil
	}
	doc, err := html.Parse(io.LimitReader(resp.Body, MaxPageSize))
	if err != nil {
		return nil, fmt.Errorf("privacyaudit: reading %s: %w", u, err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || (n.Data != "a" && n.Data != "link") {
			continue
		}
		target := d.resolve(f.url, attr(n, "href"))
		if target == nil {
			continue
		}
		if hasRel(attr(n, "rel"), "privacy-policy") {
			f.rels = append(f.rels, target)
		}
		if n.Data == "a" {
			f.links = append(f.links, target)
		}
	}
	return f, nil
}

// resolve returns href resolved against base when it is on the audited
// origin, without its fragment; nil otherwise.
func (d *discovery) resolve(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	if href == "" {
		return nil
	}
	ref, err := url.Parse(href)
	if err != nil {
		return nil
	}
	u := base.ResolveReference(ref)
	if o, ok := originOfURL(u.String()); !ok || o != d.origin {
		return nil
	}
	u.Fragment = ""
	u.RawFragment = ""
	return u
}

// privacyLinks returns the privacy pages page links to.
func (d *discovery) privacyLinks(page *fetched) []string {
	var out []string
	for _, u := range page.rels {
		out = append(out, u.String())
	}
	return out
}

// pageURL returns u without query and fragment.
func pageURL(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	c.ForceQuery = false
	c.Fragment = ""
	c.RawFragment = ""
	return c.String()
}

// orgPath returns the handle of an organisation page path, /@handle.
func orgPath(path string) (string, bool) {
	handle, ok := strings.CutPrefix(path, "/@")
	return handle, ok && validHandle(handle)
}

// postPath returns the handle of a post page path, /@handle/ID.
func postPath(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/@")
	if !ok {
		return "", false
	}
	handle, id, ok := strings.Cut(rest, "/")
	return handle, ok && validHandle(handle) && validPostID(id)
}

// validHandle reports whether s is a handle: letters, digits, '-' and '_'.
func validHandle(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// validPostID reports whether s has the form of a post id: 26 lower-case
// letters and digits.
func validPostID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// attr returns the value of the attribute key of n.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasRel reports whether the space-separated rel value holds token.
func hasRel(rel, token string) bool {
	for _, t := range strings.Fields(rel) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}
