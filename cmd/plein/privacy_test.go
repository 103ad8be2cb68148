package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"plein/internal/insights"
	"plein/internal/model"
	"plein/internal/privacyaudit"
	"plein/internal/store/storetest"
)

// TestAuditCommandOnDemo runs `plein audit` against the demo: it finds
// the organisation, its posts and the privacy pages, and finds nothing.
func TestAuditCommandOnDemo(t *testing.T) {
	t.Parallel() // see TestMain
	if _, err := privacyaudit.FindChromium(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the audit needs Chromium in CI: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
	base := serve(t, []string{"--data", t.TempDir()})
	out := plein(t, "audit", "--json", base)
	var report privacyaudit.Report
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("audit --json: %v\n%s", err, out)
	}
	visited := map[string]int{}
	for _, p := range report.Pages {
		visited[strings.TrimPrefix(p.URL, base)] = p.Status
	}
	for _, want := range []string{"/", "/@demo", "/@demo/privacy", "/privacy"} {
		if visited[want] != http.StatusOK {
			t.Errorf("the audit did not open %s (visited %v)", want, visited)
		}
	}
	if len(report.Pages) < 6 || !report.Clean() {
		t.Errorf("audit of the demo: %d pages, clean %v", len(report.Pages), report.Clean())
	}
}

// TestPrivacyPageAndRegisterFollowTheConfiguration starts the demo with
// one retention setting, reads the privacy page and the register, then
// changes the setting and sees both change.
func TestPrivacyPageAndRegisterFollowTheConfiguration(t *testing.T) {
	t.Parallel() // see TestMain
	data := []string{"--data", t.TempDir()}
	for _, tc := range []struct{ flag, words string }{
		{"30d", "30 days"},
		{"90d", "90 days"},
	} {
		setting := []string{"--retain-replies", tc.flag}
		srv := startServe(t, data, setting...)
		_, page := get(t, srv.url+"/@demo/privacy?lang=en")
		if !strings.Contains(page, "Replies from the Fediverse") || !strings.Contains(page, tc.words) {
			t.Errorf("with --retain-replies %s the privacy page does not say %q", tc.flag, tc.words)
		}
		if err := srv.stop(); err != nil {
			t.Fatal(err)
		}

		out := plein(t, append(append([]string{"privacy", "register", "--org", "demo", "--format", "json", "--lang", "en"}, data...), setting...)...)
		var reg struct {
			Activities []struct {
				Category      string `json:"category"`
				Retention     string `json:"retention"`
				MaxAgeSeconds int64  `json:"maxAgeSeconds"`
			} `json:"activities"`
		}
		if err := json.Unmarshal([]byte(out), &reg); err != nil {
			t.Fatalf("register: %v\n%s", err, out)
		}
		found := false
		for _, a := range reg.Activities {
			if a.Category == "replies" {
				found = true
				want, _ := time.ParseDuration(strings.TrimSuffix(tc.flag, "d") + "h")
				if a.MaxAgeSeconds != int64(want.Seconds())*24 || !strings.Contains(a.Retention, tc.words) {
					t.Errorf("register with --retain-replies %s: %d s, %q", tc.flag, a.MaxAgeSeconds, a.Retention)
				}
			}
		}
		if !found {
			t.Errorf("the register has no replies activity:\n%s", out)
		}
		md := plein(t, append(append([]string{"privacy", "register", "--lang", "en"}, data...), setting...)...)
		if !strings.Contains(md, "## Processing activities") || !strings.Contains(md, tc.words) {
			t.Errorf("Markdown register with --retain-replies %s lacks %q", tc.flag, tc.words)
		}
	}
}

// TestVisitsLeaveNoTrace sends a burst of visits with addresses and a user
// agent that appear nowhere else, stops the server, and searches the bytes
// of every file under --data, of the database (a dump, for PostgreSQL) and
// of everything the server printed: none holds an address or the agent.
// The access log is on, and holds the addresses cut to their networks.
func TestVisitsLeaveNoTrace(t *testing.T) {
	t.Parallel() // see TestMain
	const agent = "PleinProbe/1.0 (visitor-marker-7f3a)"
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dir := t.TempDir()
			data := []string{"--data", dir}
			var database string
			if e.Name == "postgres" {
				database = e.NewDatabase(t)
				data = append(data, "--database", database)
			}
			srv := startServe(t, data, "--access-log", "--trusted-proxies", "127.0.0.1/32")
			base := srv.url
			_, page := get(t, base+"/@demo")
			links := postLink.FindAllStringSubmatch(page, -1)
			paths := []string{"/", "/@demo", links[0][1], links[1][1], "/@demo/feed.atom", "/@demo/feed.json", "/@demo/privacy", "/@nobody",
				"/@demo/contact", "/@demo/transparency", "/transparency"}
			var markers []string
			visitors, views := map[string]bool{}, 0 // of the pages that count as views
			for i := range 200 {
				addr := fmt.Sprintf("203.0.113.%d", 100+i%100)
				if i%2 == 1 {
					addr = fmt.Sprintf("2001:db8:77:beef::%x", 0x1000+i)
				}
				markers = append(markers, addr)
				path := paths[i%len(paths)]
				if path == "/@demo" || strings.HasPrefix(path, "/@demo/") && !strings.Contains(path, ".") && !strings.HasSuffix(path, "privacy") &&
					!strings.HasSuffix(path, "contact") && !strings.HasSuffix(path, "transparency") {
					visitors[addr] = true
					views++
				}
				req, err := http.NewRequest(http.MethodGet, base+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("X-Forwarded-For", addr)
				req.Header.Set("User-Agent", agent)
				req.Header.Set("Referer", "https://referrer.example/page?visitor=203.0.113.250")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			// A question through the contact form is stored, but not who
			// sent it.
			_, form := get(t, base+"/@demo/contact")
			token := contactToken.FindStringSubmatch(form)
			if token == nil {
				t.Fatalf("no token in the contact form:\n%s", form)
			}
			question := url.Values{"question": {"Waar haal ik een parkeervergunning?"}, "email": {"vraag@example.org"}, "token": {token[1]}}
			req, err := http.NewRequest(http.MethodPost, base+"/@demo/contact", strings.NewReader(question.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "203.0.113.251")
			req.Header.Set("User-Agent", agent)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("contact form: %d", resp.StatusCode)
			}
			markers = append(markers, "203.0.113.251")
			if err := srv.stop(); err != nil { // writes the last insight counts
				t.Fatal(err)
			}

			haystacks := map[string][]byte{}
			err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(path)
				haystacks[path] = b
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if haystacks[srv.log], err = os.ReadFile(srv.log); err != nil {
				t.Fatal(err)
			}
			if database != "" {
				dump, err := exec.Command("pg_dump", "--data-only", database).Output()
				if err != nil {
					t.Fatalf("pg_dump: %v", err)
				}
				haystacks["pg_dump of the database"] = dump
			}
			markers = append(markers, "beef::", "2001:db8:77:beef", agent, "visitor-marker-7f3a", "203.0.113.250")
			for name, b := range haystacks {
				for _, m := range markers {
					if bytes.Contains(b, []byte(m)) {
						t.Errorf("%s holds %q", name, m)
					}
				}
			}

			// The search is not blind: the question is stored.
			storedQuestion := false
			for _, b := range haystacks {
				storedQuestion = storedQuestion || bytes.Contains(b, []byte("Waar haal ik een parkeervergunning?"))
			}
			if !storedQuestion {
				t.Error("the question is not in the database")
			}
			// The search is not blind: the access log is there and holds
			// the networks of the visitors, and the insights were stored.
			var accessLog []byte
			for name, b := range haystacks {
				if strings.Contains(name, "access-log") {
					accessLog = append(accessLog, b...)
				}
			}
			for _, network := range []string{" 203.0.113.0 ", " 2001:db8:77:: "} {
				if !bytes.Contains(accessLog, []byte(network)) {
					t.Errorf("the access log lacks the network %q", network)
				}
			}
			location := dir + "/plein.db"
			if database != "" {
				location = database
			}
			st := e.Open(t, location, nil)
			orgs, err := st.ListOrgs(context.Background())
			if err != nil || len(orgs) != 1 {
				t.Fatalf("orgs %v %v", orgs, err)
			}
			today := time.Now().UTC().Format(model.DayFormat)
			counts, err := st.InsightCounts(context.Background(), orgs[0].ID, today, today)
			if err != nil {
				t.Fatal(err)
			}
			var stored int64
			for _, c := range counts {
				if c.Metric == insights.MetricViews {
					stored += c.Value
				}
			}
			// One more view: the test's own first look at /@demo.
			if stored != int64(views)+1 {
				t.Errorf("%d views stored, want %d", stored, views+1)
			}
			// The sketch's linear counting has a standard error of about 1.7
			// at this size (the salt is random); 8 is more than 4 of those.
			want := int64(len(visitors) + 1)
			est, err := st.VisitorEstimates(context.Background(), orgs[0].ID, today, today)
			if err != nil || len(est) != 1 || est[0].Estimate < want-8 || est[0].Estimate > want+8 {
				t.Errorf("visitor estimate %+v %v, want %d", est, err, want)
			}
		})
	}
}

var contactToken = regexp.MustCompile(`name="token" value="([^"]+)"`)
