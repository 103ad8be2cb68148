package web_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"plein/internal/auth"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// TestLanguageKeptOnEveryLink opens every public page in English
// (?lang=en) and follows the site's own links: each link to another page
// keeps the language, except the switch to the other language and links to
// feeds, media and stylesheets, which have none. Pages reached by those
// links are checked too, so that one click never loses the choice.
func TestLanguageKeptOnEveryLink(t *testing.T) {
	f := newFixture(t, storetest.Engines()[0])
	if _, err := f.srv.App.Posts.Edit(t.Context(), auth.Operator(), f.plain.ID, post.Input{Text: "Het **afvalrooster** verandert #afval"}); err != nil {
		t.Fatal(err)
	}
	f.srv.WaitFresh(t)
	host := strings.TrimPrefix(f.srv.URL, "http://")
	seen := map[string]bool{}
	queue := []string{"/?lang=en", "/@almere?lang=en", "/privacy?lang=en"}
	checked := 0
	for len(queue) > 0 && len(seen) < 60 {
		page := queue[0]
		queue = queue[1:]
		if seen[page] {
			continue
		}
		seen[page] = true
		resp, body := f.srv.Get(t, page)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		if !bytes.Contains(body, []byte(`<html lang="en">`)) {
			t.Errorf("%s is not in English", page)
		}
		for _, link := range links(t, body) {
			u, err := url.Parse(link.href)
			if err != nil {
				t.Errorf("%s: link %q: %v", page, link.href, err)
				continue
			}
			if u.Host != "" && u.Host != host || u.Path == "" || link.switchesLanguage || ownLanguageless(u.Path) {
				continue
			}
			checked++
			if u.Query().Get("lang") != "en" {
				t.Errorf("%s links to %s without ?lang=en", page, link.href)
				continue
			}
			queue = append(queue, u.RequestURI())
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d links on %d pages", checked, len(seen))
	}
}

// ownLanguageless reports whether a path of the site has no interface
// language: feeds, media and fixed files.
func ownLanguageless(path string) bool {
	return strings.HasPrefix(path, "/media/") || strings.HasPrefix(path, "/static/") ||
		strings.Contains(path, "/feed.") || strings.HasPrefix(path, "/feed.")
}

type anchor struct {
	href             string
	switchesLanguage bool // has hreflang: the link to the page in the other language
}

// links returns the <a href> of an HTML page.
func links(t *testing.T, page []byte) []anchor {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []anchor
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			var a anchor
			for _, attr := range n.Attr {
				switch attr.Key {
				case "href":
					a.href = attr.Val
				case "hreflang":
					a.switchesLanguage = true
				}
			}
			if a.href != "" && !strings.HasPrefix(a.href, "#") {
				out = append(out, a)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
