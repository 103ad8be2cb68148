package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// serverEnv makes the test binary serve trivialHandler instead of running
// tests, so that benchmarks can hold more connections than one process's
// open-file limit allows for both ends.
const serverEnv = "LOADGEN_BENCH_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		srv := httptest.NewServer(trivialHandler())
		fmt.Println(srv.URL)
		// Serve until the parent closes our standard input.
		if _, err := io.Copy(io.Discard, os.Stdin); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func trivialHandler() http.Handler {
	page := []byte(strings.Repeat("<p>Plein</p>\n", 100))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
}

// serverProcess starts the test binary as a server and returns its URL.
func serverProcess(b *testing.B) string {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Errorf("server process: %v", err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("reading the server's address: %v", err)
	}
	return strings.TrimSpace(line)
}

func targets(base string) []string {
	return []string{base + "/@mairie", base + "/@mairie/posts", base + "/@prefecture", base + "/feed.xml"}
}

// benchmarkMaxRate reports the highest rate holding p99 under 100ms.
func benchmarkMaxRate(b *testing.B, url string, connections int, start float64) {
	base := Config{
		Targets:     targets(url),
		Connections: connections,
		Warmup:      500 * time.Millisecond,
		Header:      http.Header{"Accept-Encoding": {"gzip"}},
	}
	var best float64
	for b.Loop() {
		var runs []Result
		var err error
		best, runs, err = FindMaxRate(context.Background(), base, 100*time.Millisecond, start, 100_000, 2*time.Second)
		for _, r := range runs {
			b.Log(r)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(best, "max-req/s")
}

// BenchmarkMaxRateInProcess searches the highest rate against a trivial
// handler served by the same process, over 1000 connections.
func BenchmarkMaxRateInProcess(b *testing.B) {
	srv := httptest.NewServer(trivialHandler())
	defer srv.Close()
	benchmarkMaxRate(b, srv.URL, 1000, 2500)
}

// BenchmarkMaxRateCrisis searches the highest rate over 10,000 connections
// to a trivial handler in another process.
func BenchmarkMaxRateCrisis(b *testing.B) {
	benchmarkMaxRate(b, serverProcess(b), 10_000, 2500)
}

// BenchmarkCrisisRun holds 10,000 connections to a trivial handler in
// another process and requests 5,000 pages a second for five seconds.
func BenchmarkCrisisRun(b *testing.B) {
	url := serverProcess(b)
	var res Result
	for b.Loop() {
		var err error
		res, err = Run(context.Background(), Config{
			Targets:     targets(url),
			Rate:        5000,
			Connections: 10_000,
			Duration:    5 * time.Second,
			Warmup:      time.Second,
			Header:      http.Header{"Accept-Encoding": {"gzip"}},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Log(res)
	b.ReportMetric(float64(res.Errors), "errors")
	b.ReportMetric(res.AchievedRate, "req/s")
	b.ReportMetric(float64(res.Latency.P99)/1e6, "p99-ms")
}
