package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// fixture is a small organisation with posts in every state.
type fixture struct {
	srv                                                                 *pleintest.Server
	org                                                                 *model.Org
	plain, withImage, withCW, pinned, edited, draft, scheduled, deleted *model.Post
}

func pngImage(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newFixture(t testing.TB, e storetest.Engine) *fixture {
	t.Helper()
	ctx := context.Background()
	srv := pleintest.NewServer(t, e)
	f := &fixture{srv: srv}
	f.org = srv.Org(t, "almere")
	op := auth.Operator()
	create := func(in post.Input, w post.When) *model.Post {
		p, err := srv.App.Posts.Create(ctx, op, f.org.ID, in, w)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		return p
	}
	f.plain = create(post.Input{Text: "Het **afvalrooster** verandert per 1 december. Zie https://example.org/afval"}, post.When{})
	f.withImage = create(post.Input{Text: "De dijk bij de haven is versterkt.", Images: []post.ImageInput{
		{Upload: bytes.NewReader(pngImage(t, 640, 400)), Name: "dijk.png", Alt: "Een versterkte dijk met gras en een fietspad"}}}, post.When{})
	f.withCW = create(post.Input{Text: "Bij het ongeval op de A6 is een persoon overleden.", Summary: "Ongeval met dodelijke afloop"}, post.When{})
	f.pinned = create(post.Input{Text: "Storm verwacht: blijf binnen.", Language: "nl"}, post.When{})
	if _, err := srv.App.Posts.Pin(ctx, op, f.pinned.ID, true); err != nil {
		t.Fatal(err)
	}
	f.edited = create(post.Input{Text: "The library opens at 9 o'clock.", Language: "en"}, post.When{})
	var err error
	if f.edited, err = srv.App.Posts.Edit(ctx, op, f.edited.ID, post.Input{Text: "The library opens at 10 o'clock.", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	f.draft = create(post.Input{Text: "Concept: nog niet publiceren"}, post.When{Draft: true})
	f.scheduled = create(post.Input{Text: "Gepland bericht voor volgende week"}, post.When{At: time.Now().Add(7 * 24 * time.Hour)})
	f.deleted = create(post.Input{Text: "Per ongeluk geplaatst"}, post.When{})
	if _, err := srv.App.Posts.Delete(ctx, op, f.deleted.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func forEachEngine(t *testing.T, fn func(t *testing.T, e storetest.Engine)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

func TestPublicRoutes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		at := "/@almere/"
		for _, tc := range []struct {
			path        string
			status      int
			contentType string
			contains    []string
			absent      []string
		}{
			{"/", 200, "text/html", []string{`<html lang="nl">`, "Gemeente almere", `href="/@almere"`}, nil},
			{"/?lang=en", 200, "text/html", []string{`<html lang="en">`, "Organisations"}, nil},
			{"/@almere", 200, "text/html", []string{
				"<h1>Gemeente almere</h1>", "<strong>afvalrooster</strong>", `rel="alternate" type="application/atom+xml"`,
				`alt="Een versterkte dijk met gras en een fietspad"`, "<details class=\"cw\">", "Ongeval met dodelijke afloop",
				"Vastgezet", `lang="en"`, "bewerkt", `href="/@almere?lang=en"`, `property="og:title"`},
				[]string{"Concept: nog niet publiceren", "Gepland bericht", "Per ongeluk geplaatst", "9 o&#39;clock"}},
			{"/@almere?lang=en", 200, "text/html", []string{`<html lang="en">`, "Pinned", "edited"}, nil},
			{at + f.plain.ID, 200, "text/html", []string{"afvalrooster", `property="og:type" content="article"`, `rel="canonical" href="` + f.srv.URL + at + f.plain.ID}, nil},
			{at + f.withImage.ID, 200, "text/html", []string{`property="og:image:alt"`, `srcset="/media/`}, nil},
			{at + f.edited.ID + "/history", 200, "text/html", []string{"10 o&#39;clock", "9 o&#39;clock", "Versie 2", "Versie 1"}, nil},
			{at + f.plain.ID + "/history", 200, "text/html", []string{"Versie 1"}, []string{"Versie 2"}},
			{at + f.deleted.ID, 410, "text/html", []string{"verwijderd"}, []string{"Per ongeluk geplaatst"}},
			{at + f.draft.ID, 404, "text/html", nil, []string{"Concept"}},
			{at + f.scheduled.ID, 404, "text/html", nil, []string{"Gepland"}},
			{at + f.draft.ID + "/history", 404, "text/html", nil, []string{"Concept"}},
			{at + "00000000000000000000000000", 404, "text/html", nil, nil},
			{at + "not-an-id", 404, "text/html", nil, nil},
			{"/@nobody", 404, "text/html", []string{"Niet gevonden"}, nil},
			{"/@nobody/feed.atom", 404, "text/html", nil, nil},
			{"/nothing-here", 404, "text/html", nil, nil},
			{at + "feed.atom", 200, "application/atom+xml", []string{"afvalrooster", "<summary"}, []string{"Concept", "Per ongeluk"}},
			{at + "feed.rss", 200, "application/rss+xml", []string{"afvalrooster", "<enclosure"}, []string{"Concept"}},
			{at + "feed.json", 200, "application/feed+json", []string{`"content_html"`, "Een versterkte dijk"}, []string{"Concept"}},
			{"/static/plein.css", 200, "text/css", []string{"focus-visible"}, nil},
			{"/static/", 404, "text/plain", nil, []string{"plein.css"}},
			{"/staff/static/", 404, "text/plain", nil, []string{"staff.css"}},
			{"/staff/static/staff.css", 200, "text/css", nil, nil},
			{"/privacy", 200, "text/html", []string{"Abonnees per e-mail", "Onbevestigde aanmeldingen per e-mail", "niet binnen 2 dagen is bevestigd", "Lijst van afgemelde adressen"}, nil},
			{"/@almere/subscribe", 200, "text/html", []string{`<form class="subscribe" method="post" action="/@almere/subscribe">`, `name="email"`, `value="daily"`}, []string{`type="hidden" name="tag"`}},
			{"/@almere/subscribe?lang=en", 200, "text/html", []string{`action="/@almere/subscribe?lang=en"`, "Each post at once"}, nil},
			{"/@almere/tags/afval/subscribe", 200, "text/html", []string{`<input type="hidden" name="tag" value="afval">`}, nil},
			{"/@almere/tags/Afval/subscribe", 301, "", nil, nil},
			{"/@almere/tags/not%20a%20tag/subscribe", 404, "text/html", nil, nil},
			{"/@nobody/subscribe", 404, "text/html", nil, nil},
			{"/@almere", 200, "text/html", []string{`href="/@almere/subscribe"`}, nil},
			{"/@almere/tags/afval", 200, "text/html", []string{`href="/@almere/tags/afval/subscribe"`}, nil},
			{"/livez", 200, "text/plain", []string{"ok"}, nil},
			{"/readyz", 200, "text/plain", []string{"ok"}, nil},
		} {
			resp, body := f.srv.Get(t, tc.path)
			if resp.StatusCode != tc.status {
				t.Errorf("GET %s: status %d, want %d", tc.path, resp.StatusCode, tc.status)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("GET %s: Content-Type %q, want %s", tc.path, ct, tc.contentType)
			}
			for _, s := range tc.contains {
				if !bytes.Contains(body, []byte(s)) {
					t.Errorf("GET %s: body lacks %q", tc.path, s)
				}
			}
			for _, s := range tc.absent {
				if bytes.Contains(body, []byte(s)) {
					t.Errorf("GET %s: body contains %q", tc.path, s)
				}
			}
		}
	})
}

func TestRedirects(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		if _, err := f.srv.App.Orgs.Rename(context.Background(), auth.Operator(), "almere", "gemeente-almere"); err != nil {
			t.Fatal(err)
		}
		pleintest.Eventually(t, 3*time.Second, func() error {
			resp, _ := f.srv.Get(t, "/@gemeente-almere")
			if resp.StatusCode != 200 {
				return fmt.Errorf("new handle: %d", resp.StatusCode)
			}
			return nil
		})
		for _, tc := range []struct{ path, location string }{
			{"/@almere", "/@gemeente-almere"},
			{"/@almere?lang=en", "/@gemeente-almere?lang=en"},
			{"/@almere/" + f.plain.ID, "/@gemeente-almere/" + f.plain.ID},
			{"/@almere/feed.atom", "/@gemeente-almere/feed.atom"},
			{"/orgs/" + f.org.ID, "/@gemeente-almere"},
			{"/@Gemeente-Almere", "/@gemeente-almere"},
			{"/posts/" + f.plain.ID, "/@gemeente-almere/" + f.plain.ID},
		} {
			resp, _ := f.srv.Get(t, tc.path)
			if resp.StatusCode != http.StatusMovedPermanently && resp.StatusCode != http.StatusFound {
				t.Errorf("GET %s: status %d, want a redirect", tc.path, resp.StatusCode)
			}
			if loc := resp.Header.Get("Location"); loc != tc.location {
				t.Errorf("GET %s: Location %q, want %q", tc.path, loc, tc.location)
			}
		}
		if resp, _ := f.srv.Get(t, "/posts/"+f.draft.ID); resp.StatusCode != 404 {
			t.Errorf("permanent link of a draft: %d, want 404", resp.StatusCode)
		}
	})
}

// publicPaths lists every kind of public route of the fixture.
func (f *fixture) publicPaths() []string {
	at := "/@almere/"
	return []string{"/", "/?lang=en", "/@almere", "/@almere?lang=en", at + f.plain.ID, at + f.withImage.ID,
		at + f.edited.ID + "/history", at + f.deleted.ID, at + "feed.atom", at + "feed.rss", at + "feed.json",
		"/@nobody", "/orgs/" + f.org.ID, "/posts/" + f.plain.ID, "/static/plein.css", "/livez", f.mediaPath(),
		"/.well-known/webfinger?resource=acct:almere@" + strings.TrimPrefix(f.srv.URL, "http://"), "/.well-known/host-meta",
		"/.well-known/nodeinfo", "/nodeinfo/2.1", "/actor", "/orgs/" + f.org.ID + "/outbox?page=true",
		"/privacy", "/@almere/privacy", "/@almere/privacy?lang=en", "/@almere/tags/verkeer",
		"/feed.atom", "/feed.rss", "/feed.json", "/@almere/tags/verkeer/feed.atom", "/@almere/tags/verkeer/feed.rss",
		"/@almere/tags/verkeer/feed.json", "/posts/" + f.plain.ID + "/activity", "/orgs/" + f.org.ID + "/followers",
		"/orgs/" + f.org.ID + "/featured", "/@almere/" + f.plain.ID + "/history?lang=en", "/readyz",
		"/@almere/subscribe", "/@almere/subscribe?lang=en", "/@almere/tags/verkeer/subscribe", "/mail/confirm?t=x",
		"/mail/manage?t=x", "/mail/unsubscribe?t=x", "/@almere/contact", "/@almere/contact?lang=en",
		"/@almere/report/" + f.plain.ID, "/@almere/report/" + f.plain.ID + "?lang=en",
		"/transparency", "/@almere/transparency", "/@almere/transparency?lang=en", "/toegankelijkheid", "/toegankelijkheid?lang=en"}
}

func (f *fixture) mediaPath() string {
	m, err := f.srv.App.Posts.Media(context.Background(), f.withImage)
	if err != nil || len(m) != 1 {
		panic(fmt.Sprintf("fixture image: %v %v", m, err))
	}
	for _, v := range m {
		return "/media/" + v.Variant("small").Key
	}
	return ""
}

// TestPrivacyHeaders proves, on every public route, that no cookie is set,
// the security headers are present and no page loads anything from another
// host.
func TestPrivacyHeaders(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		confirm, manage, unsubscribe := subscriptionPaths(t, f.srv, "almere")
		complaint := complaintFormPath(t, f.srv, "almere", refusedReply(t, f.srv, f.plain, "privacy", time.Now()))
		for _, path := range append(f.publicPaths(), confirm, manage, unsubscribe, complaint, complaint+"&lang=en") {
			resp, body := f.srv.Get(t, path)
			if resp.StatusCode >= 500 {
				t.Errorf("GET %s: %d", path, resp.StatusCode)
			}
			if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("GET %s sets a cookie: %v", path, c)
			}
			for h, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'",
				"Referrer-Policy":         "no-referrer",
				"X-Content-Type-Options":  "nosniff",
				"X-Frame-Options":         "DENY",
			} {
				if got := resp.Header.Get(h); !strings.Contains(got, want) {
					t.Errorf("GET %s: %s = %q, want %q", path, h, got, want)
				}
			}
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				for _, ref := range subresources(t, body) {
					u, err := url.Parse(ref)
					if err != nil || u.Host != "" && u.Host != strings.TrimPrefix(f.srv.URL, "http://") || u.Scheme != "" && u.Scheme != "http" {
						t.Errorf("GET %s loads %q from another host", path, ref)
					}
				}
			}
		}
	})
}

// subresources returns every URL an HTML page makes a browser load by
// itself: src, srcset, stylesheet, icon and preload links.
func subresources(t *testing.T, page []byte) []string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			rel := ""
			for _, a := range n.Attr {
				if a.Key == "rel" {
					rel = a.Val
				}
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "src", a.Key == "poster", a.Key == "data" && n.Data == "object":
					out = append(out, a.Val)
				case a.Key == "srcset":
					for _, c := range strings.Split(a.Val, ",") {
						out = append(out, strings.Fields(c)[0])
					}
				case a.Key == "href" && n.Data == "link" && rel != "alternate" && rel != "canonical":
					out = append(out, a.Val)
				}
			}
			if n.Data == "script" || n.Data == "iframe" {
				t.Errorf("page has a <%s>", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestCaching(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		resp, body := f.srv.Get(t, "/@almere")
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
			t.Fatalf("ETag %q is not strong", etag)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") || !strings.Contains(cc, "stale-while-revalidate=") {
			t.Errorf("Cache-Control %q", cc)
		}
		resp2, body2 := f.srv.Get(t, "/@almere", "If-None-Match", etag)
		if resp2.StatusCode != http.StatusNotModified || len(body2) != 0 {
			t.Errorf("conditional GET: %d with %d bytes, want 304 and no body", resp2.StatusCode, len(body2))
		}
		gz, zbody := f.srv.Get(t, "/@almere", "Accept-Encoding", "gzip")
		if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == etag || !strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("gzip: encoding %q etag %q vary %q", gz.Header.Get("Content-Encoding"), gz.Header.Get("ETag"), gz.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zbody))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, body) {
			t.Fatalf("gzip body differs from plain body (err %v)", err)
		}
		if r, _ := f.srv.Get(t, "/@almere", "Accept-Encoding", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
			t.Error("gzip sent although refused with q=0")
		}

		// Feed readers: a list of ETags answers 304 when any matches, and
		// If-Modified-Since is answered from Last-Modified.
		feedResp, _ := f.srv.Get(t, "/@almere/feed.atom")
		feedTag, modified := feedResp.Header.Get("ETag"), feedResp.Header.Get("Last-Modified")
		if _, err := http.ParseTime(modified); err != nil {
			t.Fatalf("feed Last-Modified %q: %v", modified, err)
		}
		for _, h := range [][]string{
			{"If-None-Match", `"stale-one", ` + feedTag},
			{"If-None-Match", `W/` + feedTag},
			{"If-Modified-Since", modified},
		} {
			if r, b := f.srv.Get(t, "/@almere/feed.atom", h...); r.StatusCode != http.StatusNotModified || len(b) != 0 {
				t.Errorf("feed with %s: %s: %d, want 304", h[0], h[1], r.StatusCode)
			}
		}
		lastHour := feedResp.Header.Get("Date")
		if t0, err := http.ParseTime(modified); err == nil {
			lastHour = t0.Add(-time.Hour).UTC().Format(http.TimeFormat)
		}
		if r, _ := f.srv.Get(t, "/@almere/feed.atom", "If-Modified-Since", lastHour); r.StatusCode != http.StatusOK {
			t.Errorf("feed modified since an hour before its last change: %d, want 200", r.StatusCode)
		}

		// A post created by another process (here: another App on the same
		// database) appears within a second, without a restart.
		other := f.srv.Open(t)
		text := "Nieuw bericht van de commandoregel " + time.Now().Format(time.RFC3339Nano)
		if _, err := other.Posts.Create(context.Background(), auth.Operator(), f.org.ID, post.Input{Text: text}, post.When{}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for _, path := range []string{"/@almere", "/@almere/feed.atom", "/@almere/feed.rss", "/@almere/feed.json"} {
			pleintest.Eventually(t, time.Second-time.Since(start), func() error {
				if _, b := f.srv.Get(t, path); !bytes.Contains(b, []byte(text)) {
					return fmt.Errorf("%s does not show the new post", path)
				}
				return nil
			})
		}
		if r, _ := f.srv.Get(t, "/@almere", "If-None-Match", etag); r.StatusCode != 200 {
			t.Errorf("old ETag after a change: %d, want 200", r.StatusCode)
		}
	})
}

func TestFeedsParse(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		for _, kind := range []string{"atom", "rss", "json"} {
			_, body := f.srv.Get(t, "/@almere/feed."+kind)
			parsed, err := gofeed.NewParser().ParseString(string(body))
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			if parsed.Title != "Gemeente almere" || len(parsed.Items) != 5 {
				t.Errorf("%s: title %q with %d items, want 5 published", kind, parsed.Title, len(parsed.Items))
			}
			var images int
			for _, it := range parsed.Items {
				if it.Link == "" || !strings.HasPrefix(it.Link, f.srv.URL+"/@almere/") || it.PublishedParsed == nil {
					t.Errorf("%s: item %+v lacks link or date", kind, it)
				}
				images += len(it.Enclosures)
			}
			if images != 1 {
				t.Errorf("%s: %d images, want 1", kind, images)
			}
		}
	})
}

func TestScheduledPostAppearsOnTime(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newFixture(t, e)
		at := time.Now().Add(2 * time.Second)
		p, err := f.srv.App.Posts.Create(context.Background(), auth.Operator(), f.org.ID,
			post.Input{Text: "Geplande mededeling over de markt"}, post.When{At: at})
		if err != nil {
			t.Fatal(err)
		}
		if p.State != model.StateScheduled {
			t.Fatalf("state %s, want scheduled", p.State)
		}
		if _, b := f.srv.Get(t, "/@almere"); bytes.Contains(b, []byte("Geplande mededeling")) {
			t.Fatal("scheduled post is public before its time")
		}
		pleintest.Eventually(t, 15*time.Second, func() error {
			if _, b := f.srv.Get(t, "/@almere"); !bytes.Contains(b, []byte("Geplande mededeling")) {
				return pleintest.ErrNotYet
			}
			return nil
		})
		if late := time.Since(at); late < 0 {
			t.Fatalf("published %v early", -late)
		} else {
			t.Logf("published %v after its time", late.Round(time.Millisecond))
		}
	})
}

// TestNoVisitorDataOnDisk requests every public route with a distinctive
// client address and user agent and then searches every file Plein wrote.
func TestNoVisitorDataOnDisk(t *testing.T) {
	e := storetest.Engines()[0] // the files of PostgreSQL are not ours to read
	f := newFixture(t, e)
	// The test server trusts loopback as a proxy, so 198.51.100.77 is the
	// visitor's address as far as Plein can tell.
	const ua = "VisitorAgent/7.3 (unique-marker-5b1e)"
	for _, path := range f.publicPaths() {
		f.srv.Get(t, path, "User-Agent", ua, "X-Forwarded-For", "198.51.100.77")
	}
	ctx := context.Background()
	if err := f.srv.App.Store.MarkChanged(ctx); err != nil { // flush a write through the WAL
		t.Fatal(err)
	}
	var files int
	err := filepath.WalkDir(f.srv.Dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, marker := range []string{"198.51.100.77", "unique-marker-5b1e"} {
			if bytes.Contains(b, []byte(marker)) {
				t.Errorf("%s contains %q", path, marker)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 2 {
		t.Fatalf("searched only %d files", files)
	}
}

func TestRequestLimits(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	big := bytes.NewReader(make([]byte, 49<<20))
	resp, err := http.Post(srv.URL+"/@demo", "application/octet-stream", big)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("49 MiB body: %d, want 413", resp.StatusCode)
	}
	resp, err = http.Post(srv.URL+"/@demo", "text/plain", strings.NewReader("small"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST to a public page: %d, want 405", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	req.Header.Set("X-Huge", strings.Repeat("a", 64<<10))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB header: %d, want 431", resp.StatusCode)
	}
}

func TestReadyz(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	site, err := srv.App.Handler()
	if err != nil {
		t.Fatal(err)
	}
	get := func() int {
		w := httptest.NewRecorder()
		site.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return w.Code
	}
	if code := get(); code != http.StatusOK {
		t.Fatalf("readyz of a running node: %d", code)
	}
	site.Drain()
	if code := get(); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz of a node shutting down: %d, want 503", code)
	}
}

func TestReading(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	site, err := srv.App.Handler()
	if err != nil {
		t.Fatal(err)
	}
	if site.Reading() {
		t.Fatal("a server that served nothing reports readers")
	}
	site.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if !site.Reading() {
		t.Fatal("a server that just served a page reports no readers")
	}
}
