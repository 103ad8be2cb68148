//go:build linux

package main

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"plein/internal/mail"
)

// What the harness sets up: the organisation, the sender and the public
// address of the installation.
const (
	orgHandle = "bench"
	mailFrom  = "nieuws@bench.example"
	baseURL   = "https://plein.bench.example"
	postText  = "Vanaf maandag 3 maart is de Stationsstraat tussen de Markt en de Kerkweg afgesloten " +
		"voor al het verkeer, ook voor fietsers, wegens vervanging van de riolering. De werkzaamheden duren " +
		"naar verwachting zes weken. Omleidingen staan aangegeven; bewoners en ondernemers hebben een brief " +
		"gekregen. Vragen? Kijk op https://www.bench.example/werkzaamheden of bel 14 0123. #verkeer"
)

// binary is one plein build under test.
type binary struct {
	label string // "plein", or "baseline" for -vs
	path  string // "" in-process
}

// run seeds a template per engine and measures every run, printing the
// table also when a run fails halfway.
func run(ctx context.Context, opts options, command string) (err error) {
	work, err := os.MkdirTemp("", "plein-mailbench-")
	if err != nil {
		return err
	}
	pg := &pgAdmin{url: opts.postgres, prefix: fmt.Sprintf("plein_mailbench_%d", os.Getpid()), keep: opts.keep}
	if opts.keep {
		defer logf("kept %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	defer pg.dropAll(context.WithoutCancel(ctx))

	rep := &report{header: []string{
		"date: " + time.Now().Format("2006-01-02 15:04 MST"),
		fmt.Sprintf("machine: %d cores, %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version()),
		"command: `" + command + "`",
	}}
	defer func() {
		out := rep.markdown()
		fmt.Print(out)
		if opts.out != "" {
			if werr := os.WriteFile(opts.out, []byte(out), 0o644); werr != nil {
				err = errors.Join(err, fmt.Errorf("writing %s: %w", opts.out, werr))
			}
		}
	}()

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	bin := opts.plein
	if bin == "" {
		logf("building plein")
		if bin, err = buildPlein(ctx, root, work); err != nil {
			return err
		}
	}
	rep.header = append(rep.header, versions(ctx, root, bin, opts.vs)...)
	binaries := []binary{{label: "plein", path: bin}}
	if opts.inProcess {
		binaries[0].path = ""
	}
	if opts.vs != "" {
		binaries = append(binaries, binary{label: "baseline", path: opts.vs})
	}
	keys, err := writeKeys(work)
	if err != nil {
		return err
	}
	sk, err := startSink(opts.sample)
	if err != nil {
		return err
	}
	defer sk.close()
	csv, err := writeSubscribers(work, opts.subscribers)
	if err != nil {
		return err
	}

	var profile *os.File
	if opts.cpuProfile != "" {
		if profile, err = os.Create(opts.cpuProfile); err != nil {
			return err
		}
		defer profile.Close()
	}
	for _, engine := range opts.engines {
		tpl, err := seedTemplate(ctx, bin, engine, work, csv, pg)
		if err != nil {
			return err
		}
		rep.header = append(rep.header, fmt.Sprintf("%s: %d subscribers imported with plein subscribers import in %v",
			engine, opts.subscribers, tpl.took.Round(100*time.Millisecond)))
		for round := range opts.runs {
			for _, variant := range opts.dkim {
				for _, b := range binaries {
					logf("%s, DKIM %s, %s: run %d of %d", engine, variant, b.label, round+1, opts.runs)
					r := measure(ctx, opts, b, tpl, keys[variant], sk, work, profile)
					profile = nil // one profile: of the first run
					r.engine, r.dkim, r.binary = engine, variant, b.label
					rep.results = append(rep.results, r)
					if r.err != nil && ctx.Err() != nil {
						return r.err
					}
				}
			}
		}
	}
	rep.note("messages/s: subscribers ÷ the time from the start of `plein post create` to the sink's acceptance of the last message")
	rep.note("first after: from the start of `plein post create` to the sink's acceptance of the first message; publish command: that command's own run, from its start to its exit")
	rep.note("CPU: user and system time of the process that sends (plein serve) over that time, per message; the database server's is not counted")
	rep.note("VmHWM: the peak resident memory of that process, start included")
	if opts.inProcess {
		rep.note("in-process: plein serve ran inside the harness, so its CPU time and memory include the SMTP sink's")
	}
	rep.note("DKIM both: each message carries an RSA-2048 and an Ed25519 signature (Plein's default keys); rsa, ed25519: one signature")
	if opts.rate == 0 {
		rep.note("plein serve ran with --mail-rate 0: no rate limit")
	} else {
		rep.note("plein serve ran with --mail-rate %g", opts.rate)
	}
	if len(opts.env) > 0 {
		rep.note("plein serve's environment: %s", strings.Join(opts.env, " "))
	}
	if n := rep.failed(); n > 0 {
		return fmt.Errorf("%d of %d runs failed: see the table", n, len(rep.results))
	}
	return nil
}

// result is one run.
type result struct {
	engine, dkim, binary string
	messages             int           // subscribers that got their message
	took                 time.Duration // publishing to the last message accepted
	first                time.Duration // publishing to the first message accepted
	publish              time.Duration // the plein post create command alone
	cpu                  time.Duration // CPU time of the sending process over took
	hwm                  int64         // VmHWM in bytes
	err                  error         // why the run failed
}

func (r result) rate() float64 {
	if r.took <= 0 {
		return 0
	}
	return float64(r.messages) / r.took.Seconds()
}

// measure does one run: a fresh copy of the template, plein serve against
// the sink, one post published, and every message awaited.
func measure(ctx context.Context, opts options, b binary, tpl *template, keyFile string, sk *sink, work string, profile *os.File) (res result) {
	sk.reset()
	data, cleanup, err := tpl.copy(ctx)
	if err != nil {
		return result{err: err}
	}
	defer cleanup()
	args := []string{"--addr", "127.0.0.1:0", "--addr-file", filepath.Join(data.dir, "addr"), "--base-url", baseURL, "--drain-delay", "0",
		"--smtp-addr", sk.addr, "--smtp-tls", "none", "--mail-from", mailFrom, "--dkim-key", keyFile,
		"--mail-rate", strconv.FormatFloat(opts.rate, 'f', -1, 64)}
	args = append(args, data.args()...)
	var s server
	if b.path == "" {
		s, err = startInProcess(ctx, args, opts.env, filepath.Join(work, "serve.log"))
	} else {
		s, err = startChild(ctx, b.path, args, opts.env, filepath.Join(work, "serve.log"))
	}
	if err != nil {
		return result{err: err}
	}
	defer func() {
		if err := s.stop(); err != nil && res.err == nil {
			res.err = err
		}
	}()
	if err := waitFile(ctx, filepath.Join(data.dir, "addr"), s, time.Minute); err != nil {
		return result{err: err}
	}
	cli := b.path
	if cli == "" {
		cli = tpl.bin
	}
	cpu0, err := s.cpu()
	if err != nil {
		return result{err: err}
	}
	if profile != nil {
		if err := pprof.StartCPUProfile(profile); err != nil {
			return result{err: err}
		}
	}
	start := time.Now()
	out, err := exec.CommandContext(ctx, cli, append([]string{"post", "create", "--org", orgHandle, "--text", postText}, data.args()...)...).CombinedOutput()
	published := time.Since(start)
	if err != nil {
		if profile != nil {
			pprof.StopCPUProfile()
		}
		return result{err: fmt.Errorf("plein post create: %w: %s", err, out)}
	}
	werr := awaitMessages(ctx, sk, opts.subscribers, start, opts.timeout)
	if profile != nil {
		pprof.StopCPUProfile()
	}
	cpu1, err := s.cpu()
	if err != nil {
		return result{err: err}
	}
	hwm, err := s.hwm()
	if err != nil {
		return result{err: err}
	}
	t := sk.tally()
	res = result{messages: t.recipients, took: t.last.Sub(start), first: t.first.Sub(start), publish: published, cpu: cpu1 - cpu0, hwm: hwm, err: werr}
	if res.err == nil {
		res.err = settle(ctx, sk, opts.subscribers)
	}
	if res.err == nil {
		res.err = checkSamples(sk, keyFile)
	}
	return res
}

// awaitMessages waits until every subscriber has a message, reporting
// progress every ten seconds.
func awaitMessages(ctx context.Context, sk *sink, want int, start time.Time, limit time.Duration) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := start.Add(limit)
	report := start.Add(10 * time.Second)
	for {
		t := sk.tally()
		if t.recipients >= want {
			return nil
		}
		now := time.Now()
		if now.After(report) {
			logf("  %d of %d messages after %v (%.0f/s)", t.recipients, want, now.Sub(start).Round(time.Second), float64(t.recipients)/now.Sub(start).Seconds())
			report = report.Add(10 * time.Second)
		}
		if now.After(deadline) {
			return fmt.Errorf("only %d of %d subscribers got their message within %v", t.recipients, want, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// settleFor is how long the harness watches for messages sent twice after
// the last subscriber got its first.
const settleFor = 2 * time.Second

// settle waits settleFor and then checks that no subscriber got a second
// message and every message had its own Message-ID.
func settle(ctx context.Context, sk *sink, want int) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(settleFor):
	}
	t := sk.tally()
	var problems []string
	if t.accepted != want || t.recipients != want || t.ids != want {
		problems = append(problems, fmt.Sprintf("%d messages to %d recipients with %d Message-IDs, for %d subscribers", t.accepted, t.recipients, t.ids, want))
	}
	sk.mu.Lock()
	problems = append(problems, sk.problems...)
	sk.mu.Unlock()
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// server is a running plein serve.
type server interface {
	// cpu returns its CPU time so far, user and system.
	cpu() (time.Duration, error)
	// hwm returns its peak resident memory in bytes.
	hwm() (int64, error)
	// exited is closed when it stopped.
	exited() <-chan struct{}
	stop() error
}

// waitFile waits until path exists: serve writes its address file once it
// listens and works jobs.
func waitFile(ctx context.Context, path string, s server, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("plein serve did not start within %v", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited():
			return errors.New("plein serve stopped before it listened: see serve.log (-keep)")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// writeKeys makes an RSA and an Ed25519 DKIM key and writes the PEM files
// of each key set of -dkim, returning their paths by name.
func writeKeys(dir string) (map[string]string, error) {
	r, e, err := mail.GenerateDKIMKeys()
	if err != nil {
		return nil, err
	}
	sets := map[string][]crypto.Signer{"both": {r, e}, "rsa": {r}, "ed25519": {e}}
	paths := map[string]string{}
	for name, keys := range sets {
		var text strings.Builder
		for _, k := range keys {
			pem, err := mail.EncodeDKIMKey(k)
			if err != nil {
				return nil, err
			}
			text.WriteString(pem)
		}
		paths[name] = filepath.Join(dir, "dkim-"+name+".pem")
		if err := os.WriteFile(paths[name], []byte(text.String()), 0o600); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// importFile is how many subscribers one CSV file holds, but the first,
// which holds a thousand: see seedTemplate.
const importFile = 10_000

// writeSubscribers writes n addresses for plein subscribers import into
// CSV files in dir and returns their paths.
func writeSubscribers(dir string, n int) ([]string, error) {
	var paths []string
	for first, size := 0, 1000; first < n; first, size = first+size, importFile {
		var b strings.Builder
		b.WriteString("email\n")
		for i := first; i < min(first+size, n); i++ {
			fmt.Fprintf(&b, "lezer%07d@ontvanger.bench.example\n", i)
		}
		path := filepath.Join(dir, fmt.Sprintf("subscribers-%d.csv", len(paths)+1))
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

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

// versions describes the source and the binaries.
func versions(ctx context.Context, root, bin, vs string) []string {
	var lines []string
	if out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		rev := "source: revision " + strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			rev += " with uncommitted changes"
		}
		lines = append(lines, rev)
	}
	for label, path := range map[string]string{"plein": bin, "baseline": vs} {
		if path == "" {
			continue
		}
		if out, err := exec.CommandContext(ctx, path, "version").Output(); err == nil {
			lines = append(lines, label+": "+path+": "+strings.Join(strings.Split(strings.TrimSpace(string(out)), "\n"), "; "))
		}
	}
	return lines
}
