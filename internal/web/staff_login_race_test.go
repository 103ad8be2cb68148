package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// postLogin sends one log-in form with the client's cookies and token; it
// is safe to call from many goroutines and reports errors instead of
// failing the test from them. A non-empty from is sent as X-Forwarded-For
// (the test server trusts loopback proxies), as if from that address.
func (c *staffClient) postLogin(email, password, from string) (*http.Response, string, error) {
	form := url.Values{"csrf": {c.csrf}, "email": {email}, "password": {password}}
	req, err := http.NewRequest(http.MethodPost, c.srv.URL+"/staff/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	return resp, string(b), nil
}

// TestStaffLoginLockoutParallel sends 29 wrong guesses and the right
// password for one account at once, each from its own browser on the same
// address: no more than the policy's limit of them may be evaluated, and
// none after the limit may log in. On both engines.
func TestStaffLoginLockoutParallel(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		f := newStaffFixture(t, e)
		parallelGuesses(t, f, []*pleintest.Server{f.srv})
	})
}

// TestStaffLockoutSharedByNodes sends the same parallel guesses to two
// nodes on one PostgreSQL database, alternating: the nodes share the count,
// so together they evaluate no more than the limit, and both refuse the
// right password after it.
func TestStaffLockoutSharedByNodes(t *testing.T) {
	e := storetest.Engines()[1] // PostgreSQL: skipped when unreachable, required in CI
	f := newStaffFixture(t, e)
	nodeB := pleintest.NewServer(t, e, func(cfg *config.Config) {
		cfg.Database, cfg.BaseURL = f.srv.Conf.Database, f.srv.URL
	})
	parallelGuesses(t, f, []*pleintest.Server{f.srv, nodeB})
}

// parallelGuesses sends 29 wrong guesses and then the right password for
// the editor at once, from one address, spread over nodes, and checks that
// at most auth.PairMaxAttempts were evaluated and that, unless the right
// password was among them, every node refuses it after.
func parallelGuesses(t *testing.T, f *staffFixture, nodes []*pleintest.Server) {
	for _, node := range nodes {
		// Let every admitted guess wait for its turn to be hashed, so that
		// none is refused as busy and given back.
		node.App.Auth.HashWait = time.Minute
	}
	const n, limit = 30, auth.PairMaxAttempts
	clients := make([]*staffClient, n)
	for i := range clients {
		clients[i] = newStaffClient(t, nodes[i%len(nodes)])
		clients[i].get("/staff/login")
	}
	codes := make([]int, n)
	locked := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, c := range clients {
		pw := fmt.Sprint("guess ", i)
		if i == n-1 {
			pw = f.passwords["editor@rotterdam.nl"]
		}
		wg.Go(func() {
			resp, page, err := c.postLogin("editor@rotterdam.nl", pw, "")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			codes[i] = resp.StatusCode
			if resp.StatusCode == http.StatusTooManyRequests && strings.Contains(page, "Te veel mislukte pogingen") {
				locked++
			}
		})
	}
	wg.Wait()
	evaluated := 0
	for _, code := range codes {
		if code == http.StatusUnauthorized || code == http.StatusSeeOther {
			evaluated++
		}
	}
	if evaluated > limit || evaluated+locked != n {
		t.Fatalf("%d of %d parallel guesses evaluated (limit %d), %d refused as locked; codes %v", evaluated, n, limit, locked, codes)
	}
	if codes[n-1] == http.StatusSeeOther {
		// The right password was among the guesses within the limit: that
		// is allowed, and it resets the count.
		return
	}
	for i, node := range nodes {
		c := newStaffClient(t, node)
		c.get("/staff/login")
		resp, _, err := c.postLogin("editor@rotterdam.nl", f.passwords["editor@rotterdam.nl"], "")
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right password on node %d after %d parallel guesses: %d, want 429; codes %v", i, n, resp.StatusCode, codes)
		}
	}
}

// TestStaffLoginPasswordBudget sends many log-ins of unknown accounts at
// once, each from its own client and address: no more password hashes may run at once
// than the memory budget allows, and those that find no turn in time are
// answered 429 with Retry-After and a message rather than kept waiting,
// and counted in the metrics.
func TestStaffLoginPasswordBudget(t *testing.T) {
	f := newStaffFixtureWith(t, storetest.Engines()[0], pleintest.Options{Configure: []func(*config.Config){
		func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" },
	}})
	const n = 40
	clients := make([]*staffClient, n)
	for i := range clients {
		clients[i] = newStaffClient(t, f.srv)
		clients[i].get("/staff/login")
	}
	type answer struct {
		code  int
		retry string
		page  string
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			resp, page, err := c.postLogin(fmt.Sprintf("niemand%d@example.nl", i), "a made-up password", fmt.Sprintf("192.0.2.%d", i+1))
			if err != nil {
				t.Error(err)
				return
			}
			answers[i] = answer{resp.StatusCode, resp.Header.Get("Retry-After"), page}
		})
	}
	wg.Wait()
	_, peak, limit := auth.HashLoad()
	if limit != 4 || peak > limit {
		t.Errorf("peak of %d password hashes at once, limit %d (want 4)", peak, limit)
	}
	busy := 0
	for i, a := range answers {
		switch a.code {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			busy++
			if a.retry == "" || !strings.Contains(a.page, "tegelijk ingelogd") || strings.Contains(a.page, "auth:") {
				t.Errorf("log-in %d refused without Retry-After or message: Retry-After %q", i, a.retry)
			}
		default:
			t.Errorf("log-in %d: %d", i, a.code)
		}
	}
	if busy == 0 {
		t.Errorf("none of %d log-ins at once was refused", n)
	}
	rec := httptest.NewRecorder()
	f.srv.App.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, series := range []string{
		fmt.Sprintf(`plein_login_refusals_total{reason="busy"} %d`, busy),
		fmt.Sprintf("plein_login_failures_total %d", n-busy),
	} {
		if !strings.Contains(rec.Body.String(), series+"\n") {
			t.Errorf("metrics lack %q", series)
		}
	}
}
