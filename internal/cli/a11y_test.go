package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"plein/internal/a11yaudit"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// runA11yCmd runs plein a11y with args in-process.
func runA11yCmd(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var stdout, stderr strings.Builder
	code := Main(ctx, append([]string{"a11y"}, args...), strings.NewReader(""), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// brokenSite serves a page with an image without alt text and a form
// field without a label, linking to a clean page, a feed and a page on
// another host; the clean page links back.
func brokenSite(t *testing.T) *httptest.Server {
	t.Helper()
	head := `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title></head><body><main><h1>%s</h1>`
	pages := map[string]string{
		"/": fmt.Sprintf(head, "Broken", "Broken") + `<img src="/pic.gif" width="10" height="10">
<form><input type="text" name="q"></form><p><a href="/clean">clean</a> <a href="/feed.atom">feed</a> <a href="https://other.example/">elsewhere</a> <a href="/clean#top">again</a></p></main></body></html>`,
		"/clean": fmt.Sprintf(head, "Clean", "Clean") + `<p><a href="/">back</a></p></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pic.gif":
			w.Header().Set("Content-Type", "image/gif")
			w.Write([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
		case "/feed.atom":
			w.Header().Set("Content-Type", "application/atom+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>f</title></feed>`)
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
	return srv
}

// TestA11yCheck runs plein a11y check in Chromium: on a deliberately broken
// page it reports the image without alt text and the field without a
// label and exits 1; on a clean page of Plein, none, and exits 0.
func TestA11yCheck(t *testing.T) {
	needAuditChromium(t)
	pleintest.AxeSource(t)
	t.Run("broken", func(t *testing.T) {
		t.Parallel()
		site := brokenSite(t)
		r := runA11yCmd(t, "check", site.URL)
		fails(t, r, ExitFailure, "the check found 2 violations of WCAG rules on 1 of 2 pages")
		for _, want := range []string{
			site.URL + "/: 2 violations",
			"image-alt (critical): Images must have alternative text",
			`<img src="/pic.gif" width="10" height="10">`,
			"label (critical): Form elements must have labels",
			`<input type="text" name="q">`,
			"https://dequeuniversity.com/rules/axe/",
			site.URL + "/clean: no violations",
			"checked 2 pages: 2 violations on 1 pages",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "feed.atom") || strings.Contains(r.stdout, "other.example") {
			t.Errorf("a feed or another host was checked:\n%s", r.stdout)
		}

		r = runA11yCmd(t, "check", "--json", "--pages", "1", site.URL)
		var pages []a11yaudit.Page
		if err := json.Unmarshal([]byte(r.stdout), &pages); err != nil || r.code != ExitFailure {
			t.Fatalf("--json: exit %d, %v\n%s", r.code, err, r.stdout)
		}
		if len(pages) != 1 || len(pages[0].Violations) != 2 || pages[0].Violations[0].Impact != "critical" {
			t.Errorf("--json --pages 1: %+v", pages)
		}
	})
	t.Run("Plein", func(t *testing.T) {
		t.Parallel()
		srv := pleintest.NewServer(t, storetest.Engines()[0])
		o := srv.Org(t, "almere")
		srv.Post(t, o, "De **dijk** is versterkt.")
		r := runA11yCmd(t, "check", "--pages", "6", srv.URL+"/toegankelijkheid")
		if r.code != ExitOK || !strings.Contains(r.stdout, "checked 6 pages: 0 violations on 0 pages") ||
			!strings.Contains(r.stdout, srv.URL+"/toegankelijkheid: no violations") {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
	})
}

func TestA11yCheckUsage(t *testing.T) {
	t.Parallel()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no URL", nil, ExitUsage, "check needs the URL of the site"},
		{"ftp URL", []string{"ftp://plein.example/"}, ExitUsage, `"ftp://plein.example/" is not an http or https URL`},
		{"no pages", []string{"--pages", "0", "http://127.0.0.1:1/"}, ExitUsage, "--pages must be 1 to 1000"},
		{"zero timeout", []string{"--timeout", "0s", "http://127.0.0.1:1/"}, ExitUsage, "--timeout must be positive"},
		{"missing Chromium", []string{"--chromium", "/nonexistent/chromium", "http://127.0.0.1:1/"}, ExitFailure, "--chromium /nonexistent/chromium is not an executable"},
		{"missing axe-core", []string{"--axe", "/nonexistent/axe.min.js", "http://127.0.0.1:1/"}, ExitFailure, "--axe /nonexistent/axe.min.js is not axe-core's axe.min.js"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "missing axe-core" {
				needAuditChromium(t)
			}
			fails(t, runA11yCmd(t, append([]string{"check"}, tt.args...)...), tt.code, tt.want)
		})
	}
	t.Run("site down", func(t *testing.T) {
		needAuditChromium(t)
		pleintest.AxeSource(t)
		fails(t, runA11yCmd(t, "check", gone.URL), ExitFailure, "cannot list the pages to check")
	})
}

// TestA11yStatement sets the statement from the command line: refusals
// name the flag, and the parts not given stay.
func TestA11yStatement(t *testing.T) {
	in := newInst(t)
	in.ok("org", "create", "--handle", "almere", "--name", "Gemeente Almere")
	if out := in.ok("a11y", "statement"); !strings.Contains(out, "status:     - (not entered)") ||
		!strings.Contains(out, "images without a description: none") {
		t.Errorf("before anything was entered:\n%s", out)
	}
	fails(t, in.run("", "a11y", "statement", "--status", "A", "--signed-by", "Anna", "--role", "directeur", "--date", "2026-01-05"),
		ExitFailure, "status A needs the date of an accessibility audit")
	fails(t, in.run("", "a11y", "statement", "--status", "C", "--signed-by", "Anna", "--role", "directeur", "--date", "5-1-2026"),
		ExitFailure, "is not a date; write yyyy-mm-dd")
	fails(t, in.run("", "a11y", "statement", "--status", "G"), ExitFailure, "‘G’ is not a status")
	out := in.ok("a11y", "statement", "--status", "c", "--signed-by", "Anna de Vries", "--role", "gemeentesecretaris",
		"--date", "2026-01-05", "--contact", "almere", "--email", "toegankelijkheid@almere.nl", "--domains", "www.almere.nl, nieuws.almere.nl")
	for _, want := range []string{"status:     C (first measures taken)", "signed by:  Anna de Vries, gemeentesecretaris",
		"signed on:  2026-01-05", "contact:    almere", "domains:    www.almere.nl, nieuws.almere.nl"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out = in.ok("a11y", "statement", "--email", "")
	if !strings.Contains(out, "email:      -") || !strings.Contains(out, "status:     C") {
		t.Errorf("after clearing the e-mail address:\n%s", out)
	}
}
