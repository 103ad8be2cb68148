package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
	"plein/internal/web"
)

// benchSite is an organisation with 20 posts like the demo's, served by a
// web.Server called directly (no network), so that the figures measure
// Plein rather than the loopback.
func benchSite(b *testing.B) (*web.Server, string) {
	srv := pleintest.NewServer(b, storetest.Engines()[0])
	o := srv.Org(b, "demo")
	for i := range 20 {
		text := fmt.Sprintf("Bericht %d over **werkzaamheden** aan de Dorpsstraat. Van maandag tot en met vrijdag "+
			"is de weg afgesloten tussen 7.00 en 17.00 uur. Fietsers kunnen via het park omrijden.\n\n"+
			"- Bussen rijden via de Ringweg\n- Afval wordt gewoon opgehaald\n\nMeer informatie: https://example.org/werk/%d", i, i)
		if _, err := srv.App.Posts.Create(context.Background(), auth.Operator(), o.ID, post.Input{Text: text}, post.When{}); err != nil {
			b.Fatal(err)
		}
	}
	site, err := srv.App.Handler()
	if err != nil {
		b.Fatal(err)
	}
	return site, srv.URL
}

func benchGet(b *testing.B, site http.Handler, path string, invalidate func()) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if invalidate != nil {
			invalidate()
		}
		w := httptest.NewRecorder()
		site.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
	}
}

// BenchmarkOrgPageCached is the hot path: an organisation page served from
// memory.
func BenchmarkOrgPageCached(b *testing.B) {
	site, _ := benchSite(b)
	benchGet(b, site, "/@demo", nil)
}

// benchRender serves path to the first reader after a change, every time:
// the request waits for the page rendered from the database, with its gzip
// and brotli forms.
func benchRender(b *testing.B, path string) {
	site, _ := benchSite(b)
	var version int64
	benchGet(b, site, path, func() {
		version++
		site.Invalidate(version)
	})
}

// BenchmarkOrgPageRender renders the organisation page, with its gzip and
// brotli forms.
func BenchmarkOrgPageRender(b *testing.B) { benchRender(b, "/@demo") }

// BenchmarkFeedRender renders the Atom feed.
func BenchmarkFeedRender(b *testing.B) { benchRender(b, "/@demo/feed.atom") }

// BenchmarkFeedCached serves the Atom feed from memory.
func BenchmarkFeedCached(b *testing.B) {
	site, _ := benchSite(b)
	benchGet(b, site, "/@demo/feed.atom", nil)
}
