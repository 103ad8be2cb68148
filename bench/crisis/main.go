// Command crisis is Plein's benchmark harness: one run that anyone can
// repeat, printing one table of Plein's figures beside a baseline.
//
// Run it from the repository root (it needs wrk, Debian package "wrk"):
//
//	go run ./bench/crisis                  # full run: several minutes
//	go run ./bench/crisis -quick           # smoke run: about a minute
//	go run ./bench/crisis -out result.md   # also write the table to a file
//	go run ./bench/crisis -database postgres://user:pass@host/empty_db
//	go run ./bench/crisis -h               # every flag
//
// It builds plein, seeds a data folder with the demo organisation (about
// twenty posts) and followers on loopback inbox servers (default 10,000
// followers on 1,000 servers), starts `plein serve` on it with its
// metrics listener, and then:
//
//  1. closed loop (-closed-loop=false skips it): wrk against each public
//     path of Plein, then against a static server (this program in its
//     "static" mode, a separate process) serving the same gzip bytes with
//     the same headers;
//  2. crisis: an open-loop run (internal/loadgen) with many connections at
//     a fixed rate over the public pages and feeds while a staff member
//     publishes a post and edits it every few seconds with the plein
//     command line. After each command the harness waits until the node's
//     change version (gauge plein_change_version) passes the one before
//     the command, then requests the organisation page once and the
//     post's page once, as the first reader of the change, and checks
//     that both show it. The same load then runs against the static
//     server, and loadgen.FindMaxRate finds the highest rate each keeps
//     under a p99 bound;
//  3. fan-out (-fan-out=false skips it): one post published to every
//     follower server, each answering 202 after an injected latency, from
//     publication to the last delivery; then again with part of the
//     servers down; and the cost of signing one delivery.
//
// A first read that did not show its change is printed as a FAILURE above
// the table, and the harness then exits with status 1.
//
// The machine's other work shares its cores with both servers and the load
// generators: read the ratios rather than the absolute figures.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// options are the harness's settings, from its flags.
type options struct {
	quick           bool
	wrkDuration     time.Duration
	wrkConns        int
	wrkThreads      int
	conns           int
	rate            float64
	crisisDuration  time.Duration
	warmup          time.Duration
	editEvery       time.Duration
	versionInterval time.Duration
	edits           bool
	closedLoop      bool
	fanOut          bool
	staticCrisis    bool
	maxRate         bool
	maxP99          time.Duration
	maxRateStep     time.Duration
	maxRateStart    float64
	maxRateLimit    float64
	servers         int
	perServer       int
	latency         time.Duration
	down            float64
	database        string
	out             string
	keep            bool
}

// parseOptions reads the flags; -quick shortens every phase whose flag
// was not given explicitly.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("crisis", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./bench/crisis [flags]   (needs wrk; see the comment at the top of bench/crisis/main.go)")
		fs.PrintDefaults()
	}
	fs.BoolVar(&o.quick, "quick", false, "smoke run: 1s wrk runs, 1000 connections at 1000 req/s for 5s, edits every 1s, 100 servers, 0.5s max-rate steps")
	fs.DurationVar(&o.wrkDuration, "wrk-duration", 10*time.Second, "length of each wrk run (one per path and server)")
	fs.IntVar(&o.wrkConns, "wrk-conns", 64, "wrk connections")
	fs.IntVar(&o.wrkThreads, "wrk-threads", 2, "wrk threads")
	fs.IntVar(&o.conns, "conns", 10000, "connections held open by the open-loop crisis run")
	fs.Float64Var(&o.rate, "rate", 5000, "requests per second of the crisis run")
	fs.DurationVar(&o.crisisDuration, "crisis-duration", 30*time.Second, "measured length of the crisis run")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured start of each open-loop run")
	fs.DurationVar(&o.editEvery, "edit-every", 3*time.Second, "interval of the staff member's edits during the crisis run")
	fs.DurationVar(&o.versionInterval, "version-interval", 2*time.Millisecond,
		"interval of the reads of plein_change_version after each change, until the node reaches it")
	fs.BoolVar(&o.edits, "edits", true, "let a staff member publish and edit during the crisis run (false: reads only)")
	fs.BoolVar(&o.closedLoop, "closed-loop", true, "run the closed-loop phase (wrk on each path, Plein and static)")
	fs.BoolVar(&o.fanOut, "fan-out", true, "run the fan-out phase (one post to every server, then with part of them down)")
	fs.BoolVar(&o.staticCrisis, "static-crisis", true, "run the crisis load against the static server too, as its baseline")
	fs.BoolVar(&o.maxRate, "max-rate", true, "search the highest rate with a p99 under -max-p99 (Plein and static)")
	fs.DurationVar(&o.maxP99, "max-p99", 100*time.Millisecond, "p99 bound of the max-rate search")
	fs.DurationVar(&o.maxRateStep, "max-rate-step", 5*time.Second, "measured length of each run of the max-rate search")
	fs.Float64Var(&o.maxRateStart, "max-rate-start", 1000, "first rate of the max-rate search, doubled until a run fails")
	fs.Float64Var(&o.maxRateLimit, "max-rate-limit", 64000, "highest rate the max-rate search tries")
	fs.IntVar(&o.servers, "servers", 1000, "loopback inbox servers (distinct hosts) following the organisation")
	fs.IntVar(&o.perServer, "followers-per-server", 10, "followers on each server, sharing its inbox")
	fs.DurationVar(&o.latency, "latency", 100*time.Millisecond, "injected latency of each inbox server before it answers 202")
	fs.Float64Var(&o.down, "down", 0.10, "share of the servers taken down for the second fan-out")
	fs.StringVar(&o.database, "database", "", "an empty PostgreSQL database as a postgres:// URL; default: SQLite in a temporary folder")
	fs.StringVar(&o.out, "out", "", "also write the result as Markdown to this `file`")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folder (data, logs, wrk output) and print its path")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.quick {
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		set := func(name string, apply func()) {
			if !given[name] {
				apply()
			}
		}
		set("wrk-duration", func() { o.wrkDuration = time.Second })
		set("conns", func() { o.conns = 1000 })
		set("rate", func() { o.rate = 1000 })
		set("crisis-duration", func() { o.crisisDuration = 5 * time.Second })
		set("warmup", func() { o.warmup = 500 * time.Millisecond })
		set("edit-every", func() { o.editEvery = time.Second })
		set("max-rate-step", func() { o.maxRateStep = 500 * time.Millisecond })
		set("servers", func() { o.servers = 100 })
	}
	switch {
	case o.servers < 1 || o.perServer < 1:
		return o, errors.New("-servers and -followers-per-server must be at least 1")
	case o.down < 0 || o.down >= 1:
		return o, errors.New("-down must be at least 0 and below 1")
	case o.conns < 1 || o.rate <= 0 || o.crisisDuration <= 0 || o.wrkDuration <= 0:
		return o, errors.New("-conns, -rate, -crisis-duration and -wrk-duration must be positive")
	case o.editEvery <= 0 || o.versionInterval <= 0 || o.latency < 0 || o.warmup < 0:
		return o, errors.New("-edit-every and -version-interval must be positive, -latency and -warmup not negative")
	}
	return o, nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == staticMode {
		if err := staticMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "crisis static:", err)
			os.Exit(1)
		}
		return
	}
	opts, err := parseOptions(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crisis:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	command := "go run ./bench/crisis"
	if len(os.Args) > 1 {
		command += " " + strings.Join(quoteArgs(os.Args[1:]), " ")
	}
	if err := run(ctx, opts, command); err != nil {
		fmt.Fprintln(os.Stderr, "crisis:", err)
		os.Exit(1)
	}
}

// quoteArgs quotes the arguments that a shell would split.
func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$&;|<>()*?!`\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}

// logf reports progress on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "crisis %s: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
