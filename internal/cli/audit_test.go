package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/privacyaudit"
)

// needAuditChromium skips a test that needs Chromium when none is
// installed, or fails it when the environment variable CI is set.
func needAuditChromium(t *testing.T) {
	t.Helper()
	if _, err := privacyaudit.FindChromium(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser test needs Chromium in CI: %v", err)
		}
		t.Skipf("skipping browser test: %v", err)
	}
}

// runAuditCmd runs plein audit in-process with args.
func runAuditCmd(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var stdout, stderr strings.Builder
	code := Main(ctx, append([]string{"audit"}, args...), strings.NewReader(""), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// auditPostID returns a post id in Plein's form for the number n.
func auditPostID(n int) string { return fmt.Sprintf("01jz%022d", n) }

// auditSite is a small public site like Plein's: a directory linking to
// @demo, whose page links to two posts and a privacy page. change may
// replace pages or add handlers; {{foreign}} in a page stands for the
// address of another origin.
type auditSite struct {
	*httptest.Server
	foreign *httptest.Server
}

const auditHead = `<!doctype html><html lang="en"><title>Plein</title>`

func newAuditSite(t *testing.T, pages map[string]string, cookieOn string) *auditSite {
	t.Helper()
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	}))
	t.Cleanup(foreign.Close)
	all := map[string]string{
		"/":                        auditHead + `<h1>Directory</h1><ul><li><a href="/@demo">Demo</a></li><li><a href="/@demo?lang=en">Demo (English)</a></li></ul>`,
		"/@demo":                   auditHead + `<h1>Demo</h1><a href="/@demo/` + auditPostID(1) + `">first</a> <a href="/@demo/` + auditPostID(2) + `">second</a> <a href="/@demo/feed.atom">feed</a> <a rel="privacy-policy" href="/privacy">privacy</a>`,
		"/privacy":                 auditHead + `<h1>Privacy</h1><p>No cookies.</p>`,
		"/@demo/" + auditPostID(1): auditHead + `<p>First post.</p>`,
		"/@demo/" + auditPostID(2): auditHead + `<p>Second post.</p>`,
	}
	for path, body := range pages {
		all[path] = body
	}
	expand := strings.NewReplacer("{{foreign}}", foreign.URL)
	s := &auditSite{foreign: foreign}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := all[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == cookieOn {
			http.SetCookie(w, &http.Cookie{Name: "visitor", Value: "1", Path: "/"})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, expand.Replace(body))
	}))
	t.Cleanup(s.Close)
	return s
}

// pages returns the addresses the audit of the site visits, in order.
func (s *auditSite) pages() []string {
	return []string{s.URL + "/", s.URL + "/@demo", s.URL + "/@demo/" + auditPostID(1), s.URL + "/@demo/" + auditPostID(2), s.URL + "/privacy"}
}

// decodeReport parses the output of plein audit --json.
func decodeReport(t *testing.T, out string) *privacyaudit.Report {
	t.Helper()
	var rep privacyaudit.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output is not a report: %v\n%s", err, out)
	}
	return &rep
}

// TestAuditSites audits small sites in Chromium. The audits run at the same
// time, as each spends most of its time waiting for pages to go quiet.
func TestAuditSites(t *testing.T) {
	t.Parallel()
	needAuditChromium(t)
	tests := []struct {
		name     string
		pages    map[string]string
		cookieOn string
		json     bool
		message  string   // in the error on standard error; empty: clean
		report   []string // in the text report, with {{site}} for its address
		check    func(t *testing.T, rep *privacyaudit.Report, s *auditSite)
	}{
		{
			name:   "clean site as text",
			report: []string{"Result: clean", "Cookies: none"},
		},
		{
			name: "clean site as JSON",
			json: true,
			check: func(t *testing.T, rep *privacyaudit.Report, s *auditSite) {
				if !rep.Clean() || rep.Origin != s.URL {
					t.Errorf("report of %s: clean %v; want %s, clean", rep.Origin, rep.Clean(), s.URL)
				}
			},
		},
		{
			name:     "cookie set by the organisation page",
			cookieOn: "/@demo",
			message:  "the audit found 1 cookie",
			report:   []string{`cookie "visitor"`, "on {{site}}/@demo\n", "Result: NOT clean"},
		},
		{
			name:    "post page loads an image from another host",
			pages:   map[string]string{"/@demo/" + auditPostID(2): auditHead + `<p>Second post.</p><img src="{{foreign}}/pixel.gif" alt="">`},
			json:    true,
			message: "the audit found 1 request to another host",
			check: func(t *testing.T, rep *privacyaudit.Report, s *auditSite) {
				if len(rep.Requests) != 1 {
					t.Fatalf("requests %+v, want one", rep.Requests)
				}
				q := rep.Requests[0]
				if q.URL != s.foreign.URL+"/pixel.gif" || q.Page != s.URL+"/@demo/"+auditPostID(2) || q.Type != "Image" {
					t.Errorf("request %+v, want the image of the second post", q)
				}
			},
		},
		{
			name:    "inline script writes localStorage",
			pages:   map[string]string{"/privacy": auditHead + `<h1>Privacy</h1><script>localStorage.setItem("seen", "1")</script>`},
			message: "the audit found 1 storage entry",
			report:  []string{"localStorage of {{site}} holds 1 key(s)", "on {{site}}/privacy\n"},
		},
	}
	sites := make([]*auditSite, len(tests))
	runs := make([]result, len(tests))
	var wg sync.WaitGroup
	for i, tt := range tests {
		sites[i] = newAuditSite(t, tt.pages, tt.cookieOn)
		args := []string{sites[i].URL}
		if tt.json {
			args = []string{"--json", "--posts", "2", sites[i].URL + "/"}
		}
		wg.Go(func() { runs[i] = runAuditCmd(t, args...) })
	}
	wg.Wait()

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, r := sites[i], runs[i]
			if tt.message == "" {
				if r.code != ExitOK || r.stderr != "" {
					t.Fatalf("exit %d, want 0\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
				}
			} else {
				fails(t, r, ExitFailure, tt.message)
			}
			if tt.json {
				rep := decodeReport(t, r.stdout)
				var got []string
				for _, p := range rep.Pages {
					got = append(got, p.URL)
				}
				if !slices.Equal(got, s.pages()) {
					t.Errorf("pages %q, want %q", got, s.pages())
				}
				if tt.check != nil {
					tt.check(t, rep, s)
				}
				return
			}
			for _, p := range s.pages() {
				if !strings.Contains(r.stdout, "200 "+p+"\n") {
					t.Errorf("text report does not list %s:\n%s", p, r.stdout)
				}
			}
			for _, want := range tt.report {
				if want = strings.ReplaceAll(want, "{{site}}", s.URL); !strings.Contains(r.stdout, want) {
					t.Errorf("text report does not contain %q:\n%s", want, r.stdout)
				}
			}
		})
	}
}

func TestAuditFailures(t *testing.T) {
	t.Parallel()
	needAuditChromium(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	s := newAuditSite(t, nil, "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"site down", []string{gone.URL}, "cannot list the pages to audit"},
		{"site answers 404", []string{s.URL + "/nothing"}, "answered 404"},
		{"timeout", []string{"--timeout", "1ns", s.URL}, "did not finish within 1ns; give a longer --timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runAuditCmd(t, tt.args...)
			fails(t, r, ExitFailure, tt.want)
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
}

func TestAuditUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no URL", nil, ExitUsage, "audit needs the URL of the site"},
		{"two URLs", []string{"http://127.0.0.1:1/", "http://127.0.0.1:2/"}, ExitUsage, `unexpected argument "http://127.0.0.1:2/"`},
		{"ftp URL", []string{"ftp://plein.example/"}, ExitUsage, `"ftp://plein.example/" is not an http or https URL`},
		{"no scheme", []string{"plein.example"}, ExitUsage, "is not an http or https URL"},
		{"no host", []string{"http:///@demo"}, ExitUsage, "is not an http or https URL"},
		{"negative posts", []string{"--posts", "-1", "http://127.0.0.1:1/"}, ExitUsage, "--posts must be 0 or more"},
		{"zero timeout", []string{"--timeout", "0s", "http://127.0.0.1:1/"}, ExitUsage, "--timeout must be positive"},
		{"bad timeout", []string{"--timeout", "soon", "http://127.0.0.1:1/"}, ExitUsage, "invalid value"},
		{"unknown flag", []string{"--cookies", "http://127.0.0.1:1/"}, ExitUsage, "flag provided but not defined"},
		{"missing Chromium", []string{"--chromium", "/nonexistent/chromium", "http://127.0.0.1:1/"}, ExitFailure, "--chromium /nonexistent/chromium is not an executable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fails(t, runAuditCmd(t, tt.args...), tt.code, tt.want)
		})
	}

	r := runAuditCmd(t, "-h")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Usage: plein audit [flags] URL") || !strings.Contains(r.stdout, "--chromium path") {
		t.Errorf("plein audit -h: exit %d\n%s", r.code, r.stdout)
	}
}

func TestAuditFindingCounts(t *testing.T) {
	tests := []struct {
		cookies, storage, requests int
		want                       string
	}{
		{1, 0, 0, "1 cookie"},
		{2, 0, 1, "2 cookies and 1 request to another host"},
		{0, 3, 0, "3 storage entries"},
		{1, 1, 2, "1 cookie, 1 storage entry and 2 requests to other hosts"},
	}
	for _, tt := range tests {
		r := &privacyaudit.Report{
			Cookies:  make([]privacyaudit.Cookie, tt.cookies),
			Storage:  make([]privacyaudit.StorageEntry, tt.storage),
			Requests: make([]privacyaudit.Request, tt.requests),
		}
		if got := findingCounts(r); got != tt.want {
			t.Errorf("findingCounts(%d, %d, %d) = %q, want %q", tt.cookies, tt.storage, tt.requests, got, tt.want)
		}
	}
}
