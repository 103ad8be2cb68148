package main_test

// End-to-end: the real binary, as an operator runs it. One process serves
// the demo; other processes publish from the command line; a feed parser
// and a real browser read the result.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"plein/internal/activity"
	"plein/internal/pleintest"
	"plein/internal/privacyaudit"
	"plein/internal/store/storetest"
)

var binary string

// TestMain builds the binary once for every test. Tests that prove a
// bound in time (a post visible within a second, a node's first read) or in
// memory run alone, first; the rest call t.Parallel and run after them, two
// at a time, since they mostly wait on processes and the network.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "plein-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "plein")
	build := exec.Command("go", append(append([]string{"build"}, raceFlags...), "-o", binary, ".")...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build plein:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// plein runs one command to completion and returns its output.
func plein(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("plein %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// serveProc is a running plein serve.
type serveProc struct {
	url  string // where it listens: http://127.0.0.1:41234
	addr string // host:port it listens on, as its --addr-file holds it
	log  string // path of the file holding everything it printed
	cmd  *exec.Cmd

	exited chan struct{} // closed once the process has exited
	err    error         // its exit status, once exited is closed
	killed bool          // kill killed it
}

// serve starts `plein serve --demo` on a free port and returns its URL; see
// startServe.
func serve(t *testing.T, data []string, extra ...string) string {
	t.Helper()
	return startServe(t, data, extra...).url
}

// startServe starts `plein serve --demo` with the data flags and extra
// ones, on a free loopback port unless extra has --addr, and waits until it
// has written its address file and answers /livez. Without --base-url in
// extra the public URL is the one stored, or on the first start the bound
// address. It is stopped with an interrupt when the test ends, and must
// shut down cleanly; what it printed is shown when the test fails.
func startServe(t *testing.T, data []string, extra ...string) *serveProc {
	t.Helper()
	dir := t.TempDir()
	addrFile := filepath.Join(dir, "addr")
	p := &serveProc{log: filepath.Join(dir, "serve.log"), exited: make(chan struct{})}
	out, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	// No drain delay: these servers have no load balancer to drain; a test
	// that wants one passes --drain-delay in extra, which comes later.
	args := append(append([]string{"serve", "--demo", "--addr", "127.0.0.1:0", "--addr-file", addrFile, "--drain-delay", "0"}, data...), extra...)
	p.cmd = exec.Command(binary, args...)
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		out.Close()
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		out.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		if err := p.stop(); err != nil {
			t.Errorf("plein serve: %v", err)
		}
		if t.Failed() {
			t.Logf("plein %s printed:\n%s", strings.Join(args, " "), p.printed())
		}
	})
	pleintest.Eventually(t, 3*time.Minute, func() error {
		p.mustRun(t)
		b, err := os.ReadFile(addrFile)
		if err != nil {
			return fmt.Errorf("plein serve wrote no address file: %w", err)
		}
		p.addr = strings.TrimSpace(string(b))
		return nil
	})
	p.url = "http://" + p.addr
	client := &http.Client{Timeout: 30 * time.Second}
	pleintest.Eventually(t, 3*time.Minute, func() error {
		p.mustRun(t)
		resp, err := client.Get(p.url + "/livez")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/livez answered %d", resp.StatusCode)
		}
		return nil
	})
	return p
}

// mustRun fails the test when the server has exited.
func (p *serveProc) mustRun(t *testing.T) {
	t.Helper()
	select {
	case <-p.exited:
		t.Fatalf("plein serve exited while starting: %v", p.err)
	default:
	}
}

// printed returns everything the server printed so far.
func (p *serveProc) printed() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// stop interrupts the server, as Ctrl-C does, and waits for it to shut down
// cleanly. A server that stopped already reports how it exited, unless kill
// killed it.
func (p *serveProc) stop() error {
	select {
	case <-p.exited:
	default:
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.exited:
		case <-time.After(30 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
			return fmt.Errorf("did not stop within 30s")
		}
	}
	if p.err != nil && !p.killed {
		return fmt.Errorf("exited with %w", p.err)
	}
	return nil
}

// kill kills the server, as a crash would, and waits until it is gone.
func (p *serveProc) kill(t *testing.T) {
	t.Helper()
	p.killed = true
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

var postLink = regexp.MustCompile(`href="(/@demo/[0-9a-z]{26})"`)

func TestServeDemoAndPublishFromAnotherProcess(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			data := []string{"--data", t.TempDir()}
			if e.Name == "postgres" {
				data = append(data, "--database", e.NewDatabase(t))
			}
			base := serve(t, data)

			resp, page := get(t, base+"/@demo")
			if resp.StatusCode != 200 || !strings.Contains(page, "Gemeente Demodorp") {
				t.Fatalf("/@demo: %d", resp.StatusCode)
			}
			links := postLink.FindAllStringSubmatch(page, -1)
			if len(links) < 15 {
				t.Fatalf("/@demo links to %d posts, want about 20", len(links))
			}
			paths := []string{"/", "/@demo", links[0][1], "/@demo/feed.atom", "/@demo/feed.rss", "/@demo/feed.json"}
			for _, p := range paths {
				resp, _ := get(t, base+p)
				if resp.StatusCode != 200 {
					t.Errorf("GET %s: %d", p, resp.StatusCode)
				}
				if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
					t.Errorf("GET %s sets cookies %v", p, c)
				}
			}
			for _, kind := range []string{"atom", "rss", "json"} {
				_, body := get(t, base+"/@demo/feed."+kind)
				f, err := gofeed.NewParser().ParseString(body)
				if err != nil || len(f.Items) < 15 {
					t.Fatalf("feed.%s: %v items, err %v", kind, f, err)
				}
			}

			// Another process publishes; the running server shows it within
			// a second, without a restart.
			text := "Extra mededeling vanaf de commandoregel " + e.Name + " " + time.Now().Format("150405.000")
			out := plein(t, append([]string{"post", "create", "--org", "demo", "--text", text}, data...)...)
			saved := time.Now()
			if !strings.Contains(out, base+"/@demo/") {
				t.Errorf("post create printed %q, want the post's URL", out)
			}
			pleintest.Eventually(t, time.Second-time.Since(saved), func() error {
				for _, p := range []string{"/@demo", "/@demo/feed.atom", "/@demo/feed.rss", "/@demo/feed.json"} {
					if _, body := get(t, base+p); !strings.Contains(body, text) {
						return fmt.Errorf("%s does not show the post a second after it was saved", p)
					}
				}
				return nil
			})
			t.Logf("visible on the page and in the three feeds %v after the command returned", time.Since(saved).Round(time.Millisecond))
		})
	}
}

// TestBrowserVisitorLeavesNoTrace opens the directory, an organisation page,
// a post page and its history in headless Chromium and records every
// cookie, storage entry and request to another origin.
func TestBrowserVisitorLeavesNoTrace(t *testing.T) {
	t.Parallel() // see TestMain
	chromium, err := privacyaudit.FindChromium("")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("browser test needs Chromium in CI: %v", err)
		}
		t.Skipf("skipping browser test: %v", err)
	}
	base := serve(t, []string{"--data", t.TempDir()})
	_, page := get(t, base+"/@demo")
	links := postLink.FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatal("no post links on /@demo")
	}
	var withImage string
	for _, l := range links {
		if _, body := get(t, base+l[1]); strings.Contains(body, "<img") {
			withImage = l[1]
			break
		}
	}
	if withImage == "" {
		t.Fatal("no demo post with an image")
	}
	urls := []string{base + "/", base + "/@demo", base + "/@demo?lang=en", base + withImage, base + links[0][1],
		base + "/@nobody"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	report, err := privacyaudit.Run(ctx, privacyaudit.Options{ChromiumPath: chromium}, urls)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Pages) != len(urls) {
		t.Fatalf("visited %d pages, want %d", len(report.Pages), len(urls))
	}
	for _, p := range report.Pages {
		want := 200
		if strings.HasSuffix(p.URL, "/@nobody") {
			want = 404
		}
		if p.Status != want {
			t.Errorf("%s: status %d, want %d", p.URL, p.Status, want)
		}
	}
	if !report.Clean() {
		var b strings.Builder
		report.WriteText(&b)
		t.Fatalf("the visitor's browser holds traces:\n%s", b.String())
	}
	t.Logf("%d pages: %d cookies, %d storage entries, %d requests to other origins",
		len(report.Pages), len(report.Cookies), len(report.Storage), len(report.Requests))
}

// TestFederationFromOutside is the outside check of federation: a running
// plein serve, an independent ActivityPub server on loopback that follows
// the demo organisation, and a post made by another process.
func TestFederationFromOutside(t *testing.T) {
	t.Parallel() // see TestMain
	fed := pleintest.NewFediverse(t)
	alice := fed.NewActor(t, "alice")
	data := []string{"--data", t.TempDir()}
	metricsFile := filepath.Join(t.TempDir(), "metrics-addr")
	base := serve(t, data, "--allow-private-networks", "--metrics-addr", "127.0.0.1:0", "--metrics-addr-file", metricsFile)
	host := strings.TrimPrefix(base, "http://")
	metricsAddr, err := os.ReadFile(metricsFile)
	if err != nil {
		t.Fatal(err)
	}
	metrics := "http://" + strings.TrimSpace(string(metricsAddr)) + "/metrics"

	// The instance actor, which signs Plein's fetches, resolves through
	// WebFinger as acct:preferredUsername@host, as GoToSocial requires.
	var instance activity.Actor
	if _, body := get(t, base+"/actor"); json.Unmarshal([]byte(body), &instance) != nil || instance.PreferredUsername == "" {
		t.Fatalf("instance actor: %s", body)
	}
	if strings.ContainsAny(instance.PreferredUsername, ":/@") {
		t.Errorf("instance actor's preferredUsername %q is not a valid username", instance.PreferredUsername)
	}
	if got := webFingerSelf(t, base, "acct:"+instance.PreferredUsername+"@"+host); got != instance.ID {
		t.Errorf("WebFinger of the instance actor points to %q, want %q", got, instance.ID)
	}

	actorID := webFingerSelf(t, base, "acct:demo@"+host)
	if actorID == "" {
		t.Fatal("no actor for acct:demo")
	}
	if n := fed.FollowersCount(t, actorID); n != 0 {
		t.Fatalf("followers before the follow: %d", n)
	}
	seen := changeVersion(t, metrics)
	follow := alice.Follow(actorID)
	if status := alice.Send(t, actorID+"/inbox", follow); status != http.StatusAccepted {
		t.Fatalf("follow: %d", status)
	}
	fed.WaitFor(t, 15*time.Second, func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Accept"
	})
	// Once the node has reached the follow's change, the first fetch of
	// the followers collection counts it; the unfollow likewise.
	seen = waitChangeVersion(t, metrics, seen)
	if n := fed.FollowersCount(t, actorID); n != 1 {
		t.Errorf("first fetch of the followers after the follow: %d, want 1", n)
	}
	if status := alice.Send(t, actorID+"/inbox", alice.Undo(follow)); status != http.StatusAccepted {
		t.Fatalf("unfollow: %d", status)
	}
	waitChangeVersion(t, metrics, seen)
	if n := fed.FollowersCount(t, actorID); n != 0 {
		t.Errorf("first fetch of the followers after the unfollow: %d, want 0", n)
	}
	if status := alice.Send(t, actorID+"/inbox", alice.Follow(actorID)); status != http.StatusAccepted {
		t.Fatalf("follow again: %d", status)
	}

	text := "Federatiecontrole " + time.Now().Format("150405.000")
	started := time.Now()
	plein(t, append([]string{"post", "create", "--org", "demo", "--text", text}, data...)...)
	create := fed.WaitFor(t, 15*time.Second, func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Create" &&
			r.Activity.Object.Note != nil && strings.Contains(r.Activity.Object.Note.Content, text)
	})
	t.Logf("signed Create received %v after the command started, on %s", time.Since(started).Round(time.Millisecond), create.Inbox)
}

// webFingerSelf returns the self link of a WebFinger resource on base.
func webFingerSelf(t *testing.T, base, resource string) string {
	t.Helper()
	resp, body := get(t, base+"/.well-known/webfinger?resource="+url.QueryEscape(resource))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("WebFinger %s: %d", resource, resp.StatusCode)
	}
	var jrd activity.JRD
	if err := json.Unmarshal([]byte(body), &jrd); err != nil {
		t.Fatal(err)
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" {
			return l.Href
		}
	}
	return ""
}

// changeVersion reads the change version a node has reached from its
// metrics.
func changeVersion(t *testing.T, metrics string) int64 {
	t.Helper()
	_, body := get(t, metrics)
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "plein_change_version "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatalf("plein_change_version %q: %v", v, err)
			}
			return int64(f)
		}
	}
	t.Fatal("no plein_change_version in the metrics")
	return 0
}

// waitChangeVersion waits until the node has reached a change version
// above after, and returns it.
func waitChangeVersion(t *testing.T, metrics string, after int64) int64 {
	t.Helper()
	var v int64
	pleintest.Eventually(t, 10*time.Second, func() error {
		if v = changeVersion(t, metrics); v <= after {
			return fmt.Errorf("change version %d, waiting for a change after it", v)
		}
		return nil
	})
	return v
}

// TestDeliveryAfterCrash kills plein in the middle of delivering a post to
// many servers and starts it again: every server still receives the post
// (retries are allowed, loss is not), and soon: the restarted process hands
// back at once the deliveries the killed one left running, instead of
// waiting out the rescue delay (90 s) that nodes sharing PostgreSQL need.
func TestDeliveryAfterCrash(t *testing.T) {
	t.Parallel() // see TestMain
	const servers = 30
	data := []string{"--data", t.TempDir()}
	first := startServe(t, data, "--allow-private-networks")
	_, body := get(t, first.url+"/.well-known/webfinger?resource=acct:demo@"+first.addr)
	var jrd activity.JRD
	if err := json.Unmarshal([]byte(body), &jrd); err != nil {
		t.Fatal(err)
	}
	actorID := jrd.Links[0].Href
	feds := make([]*pleintest.Fediverse, servers)
	for i := range feds {
		feds[i] = pleintest.NewFediverse(t)
		a := feds[i].NewActor(t, "user")
		if status := a.Send(t, actorID+"/inbox", a.Follow(actorID)); status != http.StatusAccepted {
			t.Fatalf("follow %d: %d", i, status)
		}
	}
	for _, f := range feds {
		f.WaitFor(t, 30*time.Second, func(r pleintest.Received) bool { return r.Activity != nil && r.Activity.Type == "Accept" })
		f.SetInboxDelay(1500 * time.Millisecond) // slow servers: the fan-out takes a while
	}

	text := "Bericht tijdens een storing " + time.Now().Format("150405.000")
	plein(t, append([]string{"post", "create", "--org", "demo", "--text", text}, data...)...)
	isPost := func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Create" &&
			r.Activity.Object.Note != nil && strings.Contains(r.Activity.Object.Note.Content, text)
	}
	delivered := func() (servers, requests int) {
		for _, f := range feds {
			n := 0
			for _, r := range f.Received() {
				if isPost(r) {
					n++
				}
			}
			requests += n
			if n > 0 {
				servers++
			}
		}
		return servers, requests
	}
	// Kill it once deliveries are under way, before they are done.
	pleintest.Eventually(t, 60*time.Second, func() error {
		for _, f := range feds {
			if f.Requests("/inbox") > 0 {
				return nil
			}
		}
		return errors.New("no delivery started")
	})
	first.kill(t)
	before, _ := delivered()
	if before == servers {
		t.Fatalf("all %d servers had the post before the kill; the test proves nothing", servers)
	}
	// The restart listens where the first process did: the installation's
	// address does not change.
	startServe(t, data, "--allow-private-networks", "--addr", first.addr)
	pleintest.Eventually(t, time.Minute, func() error {
		if got, _ := delivered(); got < servers {
			return fmt.Errorf("after the restart only %d of %d servers received the post", got, servers)
		}
		return nil
	})
	_, requests := delivered()
	t.Logf("%d of %d servers had the post at the kill; all %d after the restart, with %d requests in all (%d repeated)",
		before, servers, servers, requests, requests-servers)
}
