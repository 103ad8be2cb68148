package web_test

import (
	"bytes"
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
	"plein/internal/web/site"
)

// a11yPNG is a w×h picture with a gradient.
func a11yPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), 90, uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var nextLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)

// a11ySite is a running Plein with every kind of public page.
type a11ySite struct {
	srv    *pleintest.Server
	paths  []string    // one of every kind of public page
	edited *model.Post // an English post with a content warning, edited
}

// publicPages starts Plein with an organisation whose posts use every
// feature a public page shows, and checks that each of its pages answers
// with the status it must.
func publicPages(t *testing.T) *a11ySite {
	t.Helper()
	ctx := context.Background()
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	op := auth.Operator()
	o, err := srv.App.Orgs.Create(ctx, op, "almere", org.Profile{
		DisplayName: "Gemeente Almere, afdeling Communicatie en Publieksdienstverlening",
		Description: "Nieuws, werkzaamheden en bekendmakingen van de gemeente.",
		Language:    "nl",
		Links: []model.Link{
			{Label: "Website", URL: "https://www.example.org/"},
			{Label: "Contact", URL: "https://www.example.org/contact"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Org(t, "lelystad")
	create := func(in post.Input) *model.Post {
		t.Helper()
		p, err := srv.App.Posts.Create(ctx, op, o.ID, in, post.When{})
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		return p
	}
	picture := func(name, alt string, w, h int) post.ImageInput {
		return post.ImageInput{Upload: bytes.NewReader(a11yPNG(t, w, h)), Name: name, Alt: alt}
	}
	// Enough older posts for a second page.
	for i := range site.PageSize {
		create(post.Input{Text: "Bericht nummer " + strings.Repeat("I", i%5+1) + " over de **wijk**."})
	}
	rich := create(post.Input{Text: "# Werkzaamheden\n\nDe *Stationsstraat* is afgesloten:\n\n" +
		"- van maandag 08.00 uur\n- tot vrijdag 17.00 uur\n\n1. Volg de borden\n2. Neem de Ringweg\n\n" +
		"> Bereikbaarheid blijft gegarandeerd.\n\n" +
		"Meer op https://www.example.org/werkzaamheden/stationsstraat/omleiding/kaart-met-alle-omleidingsroutes-voor-fietsers-en-voetgangers\n\n" +
		"`code` en:\n\n```\nbestandsnaam-zonder-spaties-die-heel-lang-is-en-niet-afbreekt-omdat-het-een-codeblok-is.pdf\n```\n\n" +
		"Eenwoordzonderspatiesdieheellangisendaaromnergenskanafbrekenopeensmalscherm."})
	withImage := create(post.Input{Text: "De dijk bij de haven is versterkt.", Images: []post.ImageInput{
		picture("dijk.png", "Een versterkte dijk met gras en een fietspad", 640, 400)}})
	create(post.Input{Text: "Vier foto's van de opening.", Images: []post.ImageInput{
		picture("a.png", "Wethouder knipt het lint door", 300, 200), picture("b.png", "Kinderen op het nieuwe plein", 200, 300),
		picture("c.png", "Het plein van boven", 400, 400), picture("d.png", "Een bankje onder een boom", 320, 240)}})
	create(post.Input{Text: "Drie foto's.", Images: []post.ImageInput{
		picture("a.png", "Een brug", 300, 200), picture("b.png", "Een sluis", 300, 200), picture("c.png", "Een haven", 300, 200)}})
	withCW := create(post.Input{Text: "Bij het ongeval op de A6 is een persoon overleden.", Summary: "Ongeval met dodelijke afloop",
		Images: []post.ImageInput{picture("a6.png", "Afgezette rijbaan met politieauto's", 640, 360)}})
	pinned := create(post.Input{Text: "Storm verwacht: blijf binnen.", Language: "nl"})
	if _, err := srv.App.Posts.Pin(ctx, op, pinned.ID, true); err != nil {
		t.Fatal(err)
	}
	edited := create(post.Input{Text: "The library opens at 9 o'clock.", Language: "en"})
	if _, err := srv.App.Posts.Edit(ctx, op, edited.ID, post.Input{Text: "The library opens at 10 o'clock.", Language: "en",
		Summary: "Opening hours"}); err != nil {
		t.Fatal(err)
	}
	deleted := create(post.Input{Text: "Per ongeluk geplaatst"})
	if _, err := srv.App.Posts.Delete(ctx, op, deleted.ID); err != nil {
		t.Fatal(err)
	}

	// A reply, so that the transparency report has a quarter to show.
	if err := srv.App.Store.PutReply(ctx, &model.Reply{ID: "https://social.example/notes/a11y", PostID: rich.ID,
		ActorID: "https://social.example/users/kim", ContentHTML: "<p>Dank</p>", State: model.ReplyPending, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// The contact form offers topics of the organisation's own.
	if err := srv.App.Contact.SetTopics(ctx, op, o.ID, []string{"Afval & grondstoffen", "Parkeren", "Belastingen"}); err != nil {
		t.Fatal(err)
	}
	_, body := srv.Get(t, "/@almere")
	m := nextLink.FindSubmatch(body)
	if m == nil {
		t.Fatal("/@almere has no link to older posts")
	}
	older := html.UnescapeString(string(m[1]))

	at := "/@almere/"
	pages := []struct {
		path   string
		status int
	}{
		{"/", http.StatusOK},
		{"/?lang=en", http.StatusOK},
		{"/@almere", http.StatusOK},
		{"/@almere?lang=en", http.StatusOK},
		{older, http.StatusOK},
		{"/@lelystad", http.StatusOK}, // no posts
		{at + rich.ID, http.StatusOK},
		{at + withImage.ID + "?lang=en", http.StatusOK},
		{at + withCW.ID, http.StatusOK},
		{at + pinned.ID, http.StatusOK},
		{at + edited.ID, http.StatusOK},
		{at + edited.ID + "/history", http.StatusOK},
		{at + edited.ID + "/history?lang=en", http.StatusOK},
		{at + deleted.ID, http.StatusGone},
		{at + "00000000000000000000000000", http.StatusNotFound},
		{"/nothing-here?lang=en", http.StatusNotFound},
		{"/@almere/subscribe", http.StatusOK},
		{"/@almere/subscribe?lang=en", http.StatusOK},
		{"/@almere/tags/wijk/subscribe", http.StatusOK},
		{"/@almere/contact", http.StatusOK},
		{"/@almere/contact?lang=en", http.StatusOK},
		{"/@almere/report/" + edited.ID, http.StatusOK},
		{"/@almere/report/" + edited.ID + "?lang=en", http.StatusOK},
		{"/mail/confirm?t=x", http.StatusNotFound},
		{"/@almere/transparency", http.StatusOK},
		{"/transparency?lang=en", http.StatusOK},
		{"/toegankelijkheid", http.StatusOK},
		{"/toegankelijkheid?lang=en", http.StatusOK},
	}
	confirm, manage, unsubscribe := subscriptionPaths(t, srv, "almere")
	for _, p := range []string{confirm, manage, manage + "&lang=en", unsubscribe} {
		pages = append(pages, struct {
			path   string
			status int
		}{p, http.StatusOK})
	}
	complaint := complaintFormPath(t, srv, "almere", refusedReply(t, srv, edited, "a11y", time.Now()))
	for _, p := range []string{complaint, complaint + "&lang=en"} {
		pages = append(pages, struct {
			path   string
			status int
		}{p, http.StatusOK})
	}
	site := &a11ySite{srv: srv, edited: edited}
	for _, p := range pages {
		resp, _ := srv.Get(t, p.path)
		if resp.StatusCode != p.status {
			t.Fatalf("GET %s: status %d, want %d", p.path, resp.StatusCode, p.status)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Fatalf("GET %s: Content-Type %q, want an HTML page", p.path, ct)
		}
		site.paths = append(site.paths, p.path)
	}
	return site
}

// TestAccessibility checks that no public page scrolls sideways at 320 CSS
// pixels, and checks every kind of public page with axe-core against WCAG
// 2.1 A and AA at desktop, mobile and 200% zoom sizes.
func TestAccessibility(t *testing.T) {
	browser := pleintest.NewBrowser(t)
	site := publicPages(t)
	var urls []string
	for _, p := range site.paths {
		urls = append(urls, site.srv.URL+p)
	}
	t.Run("reflow", func(t *testing.T) {
		pleintest.CheckReflow(t, browser, urls...)
	})
	t.Run("axe", func(t *testing.T) {
		pleintest.CheckAccessibility(t, browser, urls...)
	})
}

// langOf returns the language of the first text, or alt text, under n that
// contains text: the lang attribute of the nearest element that has one.
func langOf(n *xhtml.Node, text, lang string) (string, bool) {
	if n.Type == xhtml.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "lang" {
				lang = a.Val
			}
		}
		for _, a := range n.Attr {
			if a.Key == "alt" && strings.Contains(a.Val, text) {
				return lang, true
			}
		}
	}
	if n.Type == xhtml.TextNode && strings.Contains(n.Data, text) {
		return lang, true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if l, ok := langOf(c, text, lang); ok {
			return l, true
		}
	}
	return "", false
}

// TestLanguageOfParts checks WCAG success criterion 3.1.2: the page's own
// words are in the page's language, and what an organisation wrote in
// another language is marked as such.
func TestLanguageOfParts(t *testing.T) {
	site := publicPages(t)
	post := "/@almere/" + site.edited.ID
	for _, tc := range []struct {
		path, text, lang string
	}{
		{"/@almere", "The library opens at 10", "en"},
		{"/@almere", "Opening hours", "en"}, // content warning written in English
		{"/@almere", "Inhoudswaarschuwing", "nl"},
		{"/@almere", "toon bericht", "nl"},
		{"/@almere", "bewerkt", "nl"},
		{"/@almere", "Bericht van Gemeente Almere", "nl"},
		{"/@almere", "Een versterkte dijk", "nl"},
		{"/@almere?lang=en", "Ongeval met dodelijke afloop", "nl"},
		{"/@almere?lang=en", "Content warning", "en"},
		{"/@almere?lang=en", "Een versterkte dijk", "nl"},
		{"/@almere?lang=en", "Pinned", "en"},
		{"/@almere?lang=en", "Nieuws, werkzaamheden", "nl"},
		{post, "The library opens at 10", "en"},
		{post, "Alle berichten van", "nl"},
		{post + "/history", "Versie 2", "nl"},
		{post + "/history", "The library opens at 9", "en"},
		{post + "/history", "Opening hours", "en"},
		{"/?lang=en", "Nieuws, werkzaamheden", "nl"},
		{"/?lang=en", "Organisations", "en"},
	} {
		_, body := site.srv.Get(t, tc.path)
		doc, err := xhtml.Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		lang, ok := langOf(doc, tc.text, "")
		if !ok {
			t.Errorf("%s: %q not found", tc.path, tc.text)
		} else if lang != tc.lang {
			t.Errorf("%s: %q is marked as language %q, want %q", tc.path, tc.text, lang, tc.lang)
		}
	}
}
