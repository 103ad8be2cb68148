package main_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

var mediaLink = regexp.MustCompile(`src="(/media/[0-9a-z]+/[a-z]+\.(?:jpg|png))"`)

// TestTwoNodes runs two plein serve nodes on one PostgreSQL database with
// media in an S3-compatible object store (an in-process S3 server): a post
// with an image made through node A's data is served, image and all, by
// node B within a second, and a scheduled post is published exactly once.
func TestTwoNodes(t *testing.T) {
	s3 := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(s3.Close)
	t.Setenv("PLEIN_S3_SECRET_KEY", "test-secret")
	database := storetest.NewPostgresDatabase(t)
	shared := []string{"--database", database, "--s3-endpoint", strings.TrimPrefix(s3.URL, "http://"),
		"--s3-bucket", "plein-media", "--s3-access-key", "test-key", "--s3-insecure", "--s3-create-bucket"}
	dataA := append([]string{"--data", t.TempDir()}, shared...)
	dataB := append([]string{"--data", t.TempDir()}, shared...)
	nodeA := startServe(t, dataA, "--allow-private-networks")
	baseA, addrA := nodeA.url, nodeA.addr
	// Behind a load balancer both nodes have the same public address.
	baseB := startServe(t, dataB, "--allow-private-networks", "--base-url", baseA).url

	fed := pleintest.NewFediverse(t)
	alice := fed.NewActor(t, "alice")
	_, page := get(t, baseB+"/@demo?lang=en")
	if !strings.Contains(page, "Demodorp") {
		t.Fatal("node B does not serve the demo seeded by node A")
	}
	actor := regexp.MustCompile(`/orgs/[0-9a-z]{26}`).FindString(get2(t, baseA+"/.well-known/webfinger?resource=acct:demo@"+addrA))
	if actor == "" {
		t.Fatal("no actor in WebFinger")
	}
	if status := alice.Send(t, baseA+actor+"/inbox", alice.Follow(baseA+actor)); status != http.StatusAccepted {
		t.Fatalf("follow: %d", status)
	}
	fed.WaitFor(t, 15*time.Second, func(r pleintest.Received) bool { return r.Activity != nil && r.Activity.Type == "Accept" })

	// A post with an image, made with node A's settings, is on node B.
	img := filepath.Join(t.TempDir(), "sluis.png")
	writeImage(t, img)
	text := "Sluis gesloten " + time.Now().Format("150405.000")
	plein(t, append([]string{"post", "create", "--org", "demo", "--text", text, "--image", img, "--alt", "De sluis met gesloten deuren"}, dataA...)...)
	saved := time.Now()
	var body string
	pleintest.Eventually(t, time.Second, func() error {
		if _, body = get(t, baseB+"/@demo"); !strings.Contains(body, text) {
			return errors.New("node B does not show the post a second after it was saved")
		}
		return nil
	})
	t.Logf("node B shows the post %v after it was saved", time.Since(saved).Round(time.Millisecond))
	at := strings.Index(body, text)
	m := mediaLink.FindStringSubmatch(body[max(0, at-4000):])
	if m == nil {
		t.Fatal("node B's page shows no image with the post")
	}
	resp, err := http.Get(baseB + m[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") {
		t.Fatalf("node B serving %s: %d %s", m[1], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := os.Stat(filepath.Join(dataA[1], "media")); err == nil {
		if entries, _ := os.ReadDir(filepath.Join(dataA[1], "media")); len(entries) > 0 {
			t.Error("media were written to node A's disk, not to the object store")
		}
	}

	// A scheduled post, with both nodes working the queue, is published once.
	scheduled := "Gepland bericht " + time.Now().Format("150405.000")
	plein(t, append([]string{"post", "create", "--org", "demo", "--text", scheduled, "--at",
		time.Now().Add(3 * time.Second).Format(time.RFC3339)}, dataA...)...)
	isCreate := func(r pleintest.Received) bool {
		return r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.Note != nil &&
			strings.Contains(r.Activity.Object.Note.Content, scheduled)
	}
	fed.WaitFor(t, 20*time.Second, isCreate)
	// A second publication would come from a job; once every job is done,
	// none can come any more.
	queue := storetest.OpenPostgres(t, database, nil)
	pleintest.Eventually(t, 30*time.Second, func() error {
		counts, err := queue.JobCounts(context.Background())
		if err != nil {
			return err
		}
		for state, n := range counts {
			if n > 0 && state != "completed" && state != "cancelled" && state != "discarded" {
				return fmt.Errorf("%d jobs %s", n, state)
			}
		}
		return nil
	})
	n := 0
	for _, r := range fed.Received() {
		if isCreate(r) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the scheduled post reached the follower %d times, want once", n)
	}
	// The first request after a change may get the previous version while
	// the page is rebuilt; within two seconds both nodes show the post once.
	for _, base := range []string{baseA, baseB} {
		pleintest.Eventually(t, 2*time.Second, func() error {
			_, page := get(t, base+"/@demo")
			switch n := strings.Count(page, scheduled); {
			case n > 1:
				t.Fatalf("%s shows the scheduled post %d times", base, n)
			case n == 0:
				return fmt.Errorf("%s does not show the scheduled post", base)
			}
			return nil
		})
	}
}

func get2(t *testing.T, url string) string {
	t.Helper()
	_, body := get(t, url)
	return body
}

// writeImage writes a small PNG photo-like image.
func writeImage(t *testing.T, path string) {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for x := range 320 {
		for y := range 200 {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, m); err != nil {
		t.Fatal(err)
	}
}

// TestMetricsAndProbes reads /livez, /readyz and the Prometheus metrics
// on their own listener after some requests: routes are patterns, never
// paths, and no label holds an address.
func TestMetricsAndProbes(t *testing.T) {
	metricsFile := filepath.Join(t.TempDir(), "metrics-addr")
	base := serve(t, []string{"--data", t.TempDir()}, "--metrics-addr", "127.0.0.1:0", "--metrics-addr-file", metricsFile)
	written, err := os.ReadFile(metricsFile) // written before the address file serve waited for
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := strings.TrimSpace(string(written))
	for _, p := range []string{"/livez", "/readyz"} {
		if resp, body := get(t, base+p); resp.StatusCode != http.StatusOK || body != "ok\n" {
			t.Errorf("%s: %d %q", p, resp.StatusCode, body)
		}
	}
	_, page := get(t, base+"/@demo")
	post := postLink.FindStringSubmatch(page)[1]
	for range 3 {
		get(t, base+post)
		get(t, base+"/@demo/feed.atom")
	}
	get(t, base+"/@nobody")
	if resp, _ := get(t, base+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("metrics on the public listener: %d, want 404", resp.StatusCode)
	}
	_, metrics := get(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{
		`plein_http_requests_total{class="2xx",method="GET",route="GET /@/{handle}/{post}"} 3`,
		`plein_http_requests_total{class="2xx",method="GET",route="GET /@/{handle}/feed.atom"} 3`,
		`plein_http_requests_total{class="4xx",method="GET",route="GET /@/{handle}"} 1`,
		`plein_http_request_duration_seconds_bucket{class="2xx",route="GET /@/{handle}/{post}",le="0.005"}`,
		`plein_change_version `,
		`plein_jobs{state=`,
		`plein_page_cache_total{result="hit"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if regexp.MustCompile(`\{[^}]*(127\.0\.0\.1|/@demo|[0-9a-z]{26})[^}]*\}`).MatchString(metrics) {
		t.Errorf("a metric label holds an address, a path or an id:\n%s", metrics)
	}
}
