package main_test

// End-to-end: the real binary, as an operator runs it. One process serves
// the demo; other processes publish from the command line; a feed parser
// and a real browser read the result.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "plein-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "plein")
	build := exec.Command("go", "build", "-race", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build plein:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
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

// serve starts `plein serve --demo` and stops it with SIGTERM when the test
// ends, checking that it shuts down cleanly.
func serve(t *testing.T, data []string, extra ...string) string {
	t.Helper()
	base, _ := serveAt(t, freeAddr(t), data, extra...)
	return base
}

// serveAt is serve on addr; it also returns the process, for tests that
// kill it.
func serveAt(t *testing.T, addr string, data []string, extra ...string) (string, *exec.Cmd) {
	t.Helper()
	base, cmd, _ := serveLogged(t, addr, data, extra...)
	return base, cmd
}

// serveLogged is serveAt that also returns the file holding everything the
// server printed.
func serveLogged(t *testing.T, addr string, data []string, extra ...string) (string, *exec.Cmd, string) {
	t.Helper()
	base := "http://" + addr
	logPath := filepath.Join(t.TempDir(), "serve.log")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	printed := func() string {
		b, _ := os.ReadFile(logPath)
		return string(b)
	}
	args := append(append([]string{"serve", "--demo", "--addr", addr, "--base-url", base}, data...), extra...)
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer out.Close()
		if cmd.ProcessState != nil { // stopped by the test already
			return
		}
		if err := stopServer(cmd); err != nil && !killed(cmd) {
			t.Errorf("plein serve: %v\n%s", err, printed())
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(base + "/livez")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("plein serve did not come up:\n%s", printed())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return base, cmd, logPath
}

// stopServer interrupts a running plein serve, as Ctrl-C does, and waits
// for it to shut down cleanly.
func stopServer(cmd *exec.Cmd) error {
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("exited with %w", err)
		}
		return nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("did not stop within 30s")
	}
}

// killed reports whether the process was killed on purpose by a test.
func killed(cmd *exec.Cmd) bool {
	return cmd.ProcessState != nil && cmd.ProcessState.String() == "signal: killed"
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
			for _, p := range []string{"/@demo", "/@demo/feed.atom", "/@demo/feed.rss", "/@demo/feed.json"} {
				for {
					_, body := get(t, base+p)
					if strings.Contains(body, text) {
						break
					}
					if time.Since(saved) > time.Second {
						t.Fatalf("%s does not show the post a second after it was saved", p)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			t.Logf("visible on the page and in the three feeds %v after the command returned", time.Since(saved).Round(time.Millisecond))
		})
	}
}

// TestBrowserVisitorLeavesNoTrace opens the directory, an organisation page,
// a post page and its history in headless Chromium and records every
// cookie, storage entry and request to another origin.
func TestBrowserVisitorLeavesNoTrace(t *testing.T) {
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
	fed := pleintest.NewFediverse(t)
	alice := fed.NewActor(t, "alice")
	data := []string{"--data", t.TempDir()}
	base := serve(t, data, "--allow-private-networks")
	host := strings.TrimPrefix(base, "http://")

	_, body := get(t, base+"/.well-known/webfinger?resource=acct:demo@"+host)
	var jrd activity.JRD
	if err := json.Unmarshal([]byte(body), &jrd); err != nil {
		t.Fatal(err)
	}
	var actorID string
	for _, l := range jrd.Links {
		if l.Rel == "self" {
			actorID = l.Href
		}
	}
	if actorID == "" {
		t.Fatalf("no actor in %s", body)
	}
	if status := alice.Send(t, actorID+"/inbox", alice.Follow(actorID)); status != http.StatusAccepted {
		t.Fatalf("follow: %d", status)
	}
	fed.WaitFor(t, 15*time.Second, func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Accept"
	})

	text := "Federatiecontrole " + time.Now().Format("150405.000")
	started := time.Now()
	plein(t, append([]string{"post", "create", "--org", "demo", "--text", text}, data...)...)
	create := fed.WaitFor(t, 15*time.Second, func(r pleintest.Received) bool {
		return r.Verified && r.Activity != nil && r.Activity.Type == "Create" &&
			r.Activity.Object.Note != nil && strings.Contains(r.Activity.Object.Note.Content, text)
	})
	t.Logf("signed Create received %v after the command started, on %s", time.Since(started).Round(time.Millisecond), create.Inbox)
}

// TestDeliveryAfterCrash kills plein in the middle of delivering a post to
// many servers and starts it again: every server still receives the post
// (retries are allowed, loss is not).
func TestDeliveryAfterCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about two minutes: jobs of a killed process are rescued after 90 s")
	}
	const servers = 30
	data := []string{"--data", t.TempDir()}
	addr := freeAddr(t)
	base, first := serveAt(t, addr, data, "--allow-private-networks")
	host := strings.TrimPrefix(base, "http://")
	_, body := get(t, base+"/.well-known/webfinger?resource=acct:demo@"+host)
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
	deadline := time.Now().Add(60 * time.Second)
	for {
		inFlight := 0
		for _, f := range feds {
			inFlight += f.Requests("/inbox")
		}
		if inFlight > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no delivery started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	before, _ := delivered()
	if before == servers {
		t.Fatalf("all %d servers had the post before the kill; the test proves nothing", servers)
	}
	serveAt(t, addr, data, "--allow-private-networks")
	deadline = time.Now().Add(4 * time.Minute)
	for {
		got, requests := delivered()
		if got == servers {
			t.Logf("%d of %d servers had the post at the kill; all %d after the restart, with %d requests in all (%d repeated)",
				before, servers, servers, requests, requests-servers)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart only %d of %d servers received the post", got, servers)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
