package subscription_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

func pngImage(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMailLoadsNothing reads the HTML part of a post's mail as a mail
// program does and finds nothing it would fetch: no image, style sheet,
// script, frame or CSS url(), and every link a plain address, unchanged:
// the post, the organisation's hashtag page, the links the post itself
// holds, and the subscriber's page to change or end the subscription.
// Nothing measures opening or clicking.
func TestMailLoadsNothing(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	o := srv.Org(t, "almere")
	addr := "lezer@example.org"
	subscribe(t, srv, "almere", addr, nil)
	text := "De **wijkkaart** staat op https://www.example.org/afval/kaart en [in de bibliotheek](https://bieb.example.net/wijk?kaart=1).\n\n#Afval voor @eva@social.example"
	p, err := srv.App.Posts.Create(context.Background(), auth.Operator(), o.ID, post.Input{Text: text, Summary: "Over afval",
		Images: []post.ImageInput{{Upload: bytes.NewReader(pngImage(t)), Name: "kaart.png", Alt: "Een kaart van de wijk"}}}, post.When{})
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Mail.WaitFor(t, addr, 2)[1]
	if m.Subject != "Over afval" {
		t.Errorf("subject %q: a post with a content warning has it as its subject", m.Subject)
	}
	if len(m.Inline) != 0 {
		t.Errorf("%d inline parts; images are described, not sent", len(m.Inline))
	}
	allowed := []string{
		srv.URL + "/@almere/" + p.ID,
		srv.URL + "/@almere/tags/afval",
		"https://www.example.org/afval/kaart",
		"https://bieb.example.net/wijk?kaart=1",
		"https://social.example/@eva",
	}
	var manage int
	for _, href := range loadsNothing(t, m.HTML) {
		if strings.HasPrefix(href, srv.URL+"/mail/manage?t=") {
			u, _ := url.Parse(href)
			if len(u.Query()) != 2 || u.Query().Get("lang") != "nl" {
				t.Errorf("the manage link carries more than its token: %s", href)
			}
			manage++
			continue
		}
		if !slices.Contains(allowed, href) {
			t.Errorf("link %q is not one the post or the site has", href)
		}
	}
	if manage != 1 {
		t.Errorf("%d links to the manage page, want 1", manage)
	}
	if strings.Contains(strings.ToLower(m.HTML), "cid:") {
		t.Errorf("the HTML part refers to an inline image")
	}
	for _, s := range []string{"Een kaart van de wijk", "Inhoudswaarschuwing", "<strong>wijkkaart</strong>"} {
		if !strings.Contains(m.HTML, s) {
			t.Errorf("the HTML part lacks %q:\n%s", s, m.HTML)
		}
	}
	for _, s := range []string{"Een kaart van de wijk", "https://bieb.example.net/wijk?kaart=1", srv.URL + "/@almere/" + p.ID, srv.URL + "/mail/manage?t="} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("the text part lacks %q:\n%s", s, m.Text)
		}
	}
}

// loadsNothing reads an HTML part as a mail program does and fails the
// test for anything it would fetch or run: an image, style sheet, script,
// frame, form or CSS url(), an attribute that loads or styles, a meta
// refresh. It returns the links, in order.
func loadsNothing(t *testing.T, doc string) []string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "img", "script", "style", "link", "iframe", "frame", "object", "embed", "video", "audio", "source",
				"picture", "base", "form", "svg", "input", "track":
				t.Errorf("the HTML part has a <%s>", n.Data)
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "src", "srcset", "background", "poster", "data", "style", "dynsrc", "lowsrc", "action", "formaction", "ping":
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				case "http-equiv":
					t.Errorf("<meta http-equiv=%q>", a.Val)
				case "href":
					if n.Data != "a" {
						t.Errorf("<%s href=%q>", n.Data, a.Val)
					}
					links = append(links, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	for _, s := range []string{"url(", "@import", "<img"} {
		if strings.Contains(strings.ToLower(doc), s) {
			t.Errorf("the HTML part contains %q", s)
		}
	}
	return links
}
