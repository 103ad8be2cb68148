package pleintest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"plein/internal/pleintest"
)

// csp is as strict as Plein's own: the checks must work under it.
const csp = "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// pages are the documents of the test site, by path.
var pages = map[string]string{
	"/good": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Good</title></head>
<body><main><h1>A good page</h1><p>Text with <a href="/good">a link</a>.</p>
<img src="/pic.png" alt="A picture" width="10" height="10">
<form><label for="q">Search</label> <input id="q" type="search" name="q"></form></main></body></html>`,

	// An image without alt text and an input without a label break rules
	// of impact critical; a viewport that forbids zooming one of impact
	// moderate.
	"/bad": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no"><title>Bad</title></head>
<body><main><h1>A bad page</h1><img src="/pic.png" width="10" height="10">
<form><input type="text" name="q"></form></main></body></html>`,

	// The missing alt text is inside a closed details element.
	"/hidden": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hidden</title></head>
<body><main><h1>Hidden</h1><details><summary>More</summary><img src="/pic.png" width="10" height="10"></details></main></body></html>`,

	"/wide": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Wide</title>
<link rel="stylesheet" href="/site.css"></head>
<body><main><h1>Wide</h1><div class="wide">This box is 40rem wide.</div></main></body></html>`,

	"/wide-hidden": `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Wide when open</title>
<link rel="stylesheet" href="/site.css"></head>
<body><main><h1>Wide when open</h1><details><summary>More</summary><div class="wide">Wide</div></details></main></body></html>`,
}

// gif is a transparent picture of 1×1 pixel.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// site serves pages, a picture and a stylesheet under a strict
// Content-Security-Policy.
func site(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		switch r.URL.Path {
		case "/site.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, "body { margin: 0 } .wide { width: 40rem }")
		case "/pic.png":
			w.Header().Set("Content-Type", "image/gif")
			w.Write(gif)
		default:
			page, ok := pages[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// recorder is a testing.TB that records errors and logs instead of
// reporting them; everything else goes to the real test.
type recorder struct {
	testing.TB
	errors, logs []string
}

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Log(args ...any)              { r.logs = append(r.logs, fmt.Sprint(args...)) }
func (r *recorder) Logf(format string, a ...any) { r.logs = append(r.logs, fmt.Sprintf(format, a...)) }

// mentioning returns the messages that contain s.
func mentioning(msgs []string, s string) []string {
	var out []string
	for _, m := range msgs {
		if strings.Contains(m, s) {
			out = append(out, m)
		}
	}
	return out
}

func TestAxe(t *testing.T) {
	pleintest.AxeSource(t)
	browser := pleintest.NewBrowser(t)
	base := site(t)

	t.Run("RunAxe", func(t *testing.T) {
		for _, tc := range []struct {
			path string
			want map[string]string // rule → impact
			node string            // part of an offending element
		}{
			{"/good", map[string]string{}, ""},
			{"/bad", map[string]string{"image-alt": "critical", "label": "critical", "meta-viewport": "moderate"}, `<input type="text" name="q">`},
			{"/hidden", map[string]string{"image-alt": "critical"}, `<img src="/pic.png"`},
		} {
			vs, err := pleintest.RunAxe(browser, base+tc.path)
			if err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			got := make(map[string]string)
			var nodes []string
			for _, v := range vs {
				got[v.ID] = v.Impact
				nodes = append(nodes, v.Nodes...)
				if v.Help == "" || !strings.HasPrefix(v.HelpURL, "https://") || len(v.Nodes) == 0 {
					t.Errorf("%s: violation %s lacks help or nodes: %+v", tc.path, v.ID, v)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s: violations %v, want %v", tc.path, got, tc.want)
			}
			if tc.node != "" && len(mentioning(nodes, tc.node)) == 0 {
				t.Errorf("%s: no node shows %s: %q", tc.path, tc.node, nodes)
			}
		}
	})

	t.Run("RunAxeUnreachable", func(t *testing.T) {
		if _, err := pleintest.RunAxe(browser, "http://127.0.0.1:1/"); err == nil {
			t.Error("RunAxe on an address nothing listens on: no error")
		}
	})

	t.Run("CheckAccessibility", func(t *testing.T) {
		r := &recorder{TB: t}
		pleintest.CheckAccessibility(r, browser, base+"/good", base+"/bad")
		for _, rule := range []string{"image-alt", "label"} {
			if got := mentioning(r.errors, rule+" (critical)"); len(got) != 1 {
				t.Errorf("errors about %s: %q, want one", rule, got)
			}
		}
		if got := mentioning(r.errors, "/good"); len(got) > 0 {
			t.Errorf("errors about the good page: %q", got)
		}
		if got := mentioning(r.errors, "meta-viewport"); len(got) > 0 {
			t.Errorf("a moderate violation failed the test: %q", got)
		}
		if got := mentioning(r.logs, "meta-viewport (moderate)"); len(got) != 1 {
			t.Errorf("logs about the moderate violation: %q, want one", got)
		}
		for _, e := range r.errors {
			if !strings.Contains(e, "desktop 1280×900, mobile 375×812, 200% zoom 640×450") || !strings.Contains(e, "https://") {
				t.Errorf("error does not name every viewport and the help page: %s", e)
			}
		}
		if !slices.ContainsFunc(r.errors, func(e string) bool { return strings.Contains(e, `<input type="text" name="q">`) }) {
			t.Errorf("no error shows the input without a label: %q", r.errors)
		}
	})

	t.Run("CheckReflow", func(t *testing.T) {
		for _, tc := range []struct {
			path   string
			scroll bool
		}{
			{"/good", false},
			{"/wide", true},
			{"/wide-hidden", true},
		} {
			r := &recorder{TB: t}
			pleintest.CheckReflow(r, browser, base+tc.path)
			if tc.scroll != (len(r.errors) == 1) || len(r.errors) > 1 {
				t.Errorf("%s: errors %q, want scrolling reported: %v", tc.path, r.errors, tc.scroll)
			}
			if tc.scroll && len(r.errors) == 1 && !strings.Contains(r.errors[0], "div.wide reaches 640 px") {
				t.Errorf("%s: error does not name the wide element: %s", tc.path, r.errors[0])
			}
		}
	})
}
