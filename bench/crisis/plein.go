package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"plein/internal/config"
	"plein/internal/demo"
	"plein/internal/model"
	"plein/internal/server"
)

// moduleRoot returns the folder of the module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the harness from inside Plein's repository")
	}
	return filepath.Dir(mod), nil
}

// buildPlein compiles plein into dir and returns the binary's path.
func buildPlein(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "plein")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/plein")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/plein: %w", err)
	}
	return bin, nil
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// seedInfo describes the data set.
type seedInfo struct {
	engine    string
	posts     int
	followers int
	inboxes   int
	took      time.Duration
}

// seed opens the installation in this process, creates the demo and adds
// perServer followers on each inbox server, all sharing its inbox.
func seed(ctx context.Context, opts options, dataDir, addr, base string, fed *fediverse) (seedInfo, error) {
	start := time.Now()
	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.Database = opts.database
	cfg.Addr = addr
	cfg.BaseURL = base
	cfg.AllowPrivateNetworks = true
	cfg.Version = "bench"
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	app, err := server.Open(ctx, cfg, server.Options{Logger: logger, Create: true})
	if err != nil {
		return seedInfo{}, fmt.Errorf("opening the data set: %w", err)
	}
	defer app.Close()
	res, err := demo.Seed(ctx, demo.Services{Store: app.Store, Media: app.Media, Auth: app.Auth, Orgs: app.Orgs})
	if err != nil {
		return seedInfo{}, fmt.Errorf("seeding the demo: %w", err)
	}
	if !res.Created {
		return seedInfo{}, errors.New("the database already has an organisation: give the harness an empty one")
	}
	now := time.Now()
	for _, in := range fed.servers {
		for j := range opts.perServer {
			actor := fmt.Sprintf("%s/users/u%d", in.base, j)
			f := &model.Follower{OrgID: res.Org.ID, ActorID: actor, FollowID: actor + "#follow", Inbox: in.url, CreatedAt: now}
			if err := app.Store.PutFollower(ctx, f); err != nil {
				return seedInfo{}, fmt.Errorf("adding follower %s: %w", actor, err)
			}
		}
	}
	n, err := app.Store.FollowerCount(ctx, res.Org.ID)
	if err != nil {
		return seedInfo{}, fmt.Errorf("counting followers: %w", err)
	}
	inboxes, err := app.Store.FollowerInboxes(ctx, res.Org.ID)
	if err != nil {
		return seedInfo{}, fmt.Errorf("listing inboxes: %w", err)
	}
	return seedInfo{engine: app.Store.Engine(), posts: res.Posts, followers: n, inboxes: len(inboxes), took: time.Since(start)}, nil
}

// pleinProc is a running `plein serve` and the means to run other plein
// commands on the same data.
type pleinProc struct {
	bin     string
	data    []string // --data and --database arguments
	base    string
	metrics string // the URL of its Prometheus metrics
	cmd     *exec.Cmd
	logPath string
	exited  chan error
}

// startPlein starts `plein serve` on addr, with its metrics on
// metricsAddr, and waits until both answer.
func startPlein(ctx context.Context, bin string, data []string, addr, metricsAddr, base, logPath string) (*pleinProc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("plein log: %w", err)
	}
	args := append([]string{"serve"}, data...)
	args = append(args, "--addr", addr, "--metrics-addr", metricsAddr, "--base-url", base, "--allow-private-networks")
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting plein serve: %w", err)
	}
	p := &pleinProc{bin: bin, data: data, base: base, metrics: "http://" + metricsAddr + "/metrics", cmd: cmd, logPath: logPath,
		exited: make(chan error, 1)}
	go func() {
		p.exited <- cmd.Wait()
		logFile.Close()
	}()
	client := &http.Client{Timeout: time.Second}
	version := newNodeVersion(p.metrics)
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := client.Get(base + "/livez")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if _, err = version.read(ctx); err == nil {
					return p, nil
				}
			}
		}
		select {
		case err := <-p.exited:
			p.exited <- err
			return nil, fmt.Errorf("plein serve stopped (%v):\n%s", err, p.logTail())
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("plein serve did not answer within 90s (last: %v):\n%s", err, p.logTail())
		}
	}
}

// logTail returns the end of what plein serve printed.
func (p *pleinProc) logTail() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// What plein serve logs when a reader gets the last good page instead of a
// fresh one.
const (
	logRenderSlow   = "pagecache: render slow"
	logRenderFailed = "pagecache: render failed"
)

// logCount returns how many lines of plein serve's log so far contain s.
func (p *pleinProc) logCount(s string) int {
	f, err := os.Open(p.logPath)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			n++
		}
	}
	return n
}

// stop interrupts plein serve as Ctrl-C does and waits for it, killing it
// after 30 seconds.
func (p *pleinProc) stop() error {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("interrupting plein serve: %w", err)
	}
	select {
	case err := <-p.exited:
		p.exited <- err
		if err != nil {
			return fmt.Errorf("plein serve exited with %w", err)
		}
		return nil
	case <-time.After(30 * time.Second):
		if err := p.cmd.Process.Kill(); err != nil {
			return fmt.Errorf("killing plein serve: %w", err)
		}
		return errors.New("plein serve did not stop within 30s after an interrupt; killed")
	}
}

// cli runs one plein command on the same data and returns its output, how
// long it took and when it returned.
func (p *pleinProc) cli(ctx context.Context, args ...string) (string, time.Duration, time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, p.bin, append(args, p.data...)...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	end := time.Now()
	if err != nil {
		return "", 0, end, fmt.Errorf("plein %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
	}
	return out.String(), end.Sub(start), end, nil
}

var publishedLine = regexp.MustCompile(`published post ([0-9a-z]+):`)

// publish creates a post of the demo organisation with text and returns
// its id, how long the command took and when it returned.
func (p *pleinProc) publish(ctx context.Context, text string) (string, time.Duration, time.Time, error) {
	out, took, at, err := p.cli(ctx, "post", "create", "--org", demo.OrgHandle, "--text", text)
	if err != nil {
		return "", took, at, err
	}
	m := publishedLine.FindStringSubmatch(out)
	if m == nil {
		return "", took, at, fmt.Errorf("plein post create printed no post id: %q", out)
	}
	return m[1], took, at, nil
}

// edit replaces the text of post id.
func (p *pleinProc) edit(ctx context.Context, id, text string) (time.Duration, time.Time, error) {
	_, took, at, err := p.cli(ctx, "post", "edit", id, "--text", text)
	return took, at, err
}

// fetch gets url with header and returns the response with its whole,
// undecoded body.
func fetch(ctx context.Context, url string, header http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: reading body: %w", url, err)
	}
	return resp, body, nil
}
