//go:build linux

// Command mail measures how fast Plein mails a post to its e-mail
// subscribers: one organisation with -subscribers confirmed subscribers
// (100,000 by default), one post published, timed from the start of
// publishing to the last message accepted by an SMTP sink on loopback.
// It prints messages per second, the CPU time per message and the
// resident memory (VmHWM) of the process that sends, on each engine.
//
// Run it from the repository root (PostgreSQL at the -postgres URL for
// the postgres engine; it makes and drops its own databases):
//
//	go run ./bench/mail                        # both engines, RSA and Ed25519 DKIM signatures
//	go run ./bench/mail -engines sqlite -subscribers 10000
//	go run ./bench/mail -dkim both,rsa,ed25519 # the cost of each kind of signature
//	go run ./bench/mail -vs /tmp/plein-old -runs 3
//	go run ./bench/mail -in-process -cpuprofile cpu.out -engines sqlite
//	go run ./bench/mail -h                     # every flag
//
// It builds plein (or takes -plein), makes an organisation and imports
// the subscribers with `plein subscribers import` into a template
// database per engine, and then, for each run, copies the template,
// starts `plein serve` on the copy with --smtp-addr pointing at the sink
// and --mail-rate 0 (no limit; -rate sets one), publishes a post with
// `plein post create` and waits until every subscriber has its message.
//
// The sink, in this program, accepts every message, counts messages per
// recipient and distinct Message-IDs, and keeps one in -sample whole: it
// checks afterwards that those carry valid DKIM signatures (verified with
// go-msgauth against the keys the harness gave plein), are addressed to
// their recipient and have one-click unsubscribe headers. A run fails
// when a subscriber got no message or more than one.
//
// With -vs BINARY, each run of plein is paired with a run of that binary
// (an older build, say) on the same template, in turn, and the table
// shows the ratios. The template is made by the plein under test, so the
// baseline must know its database schema. The machine is shared with the sink and the
// database: read the ratios rather than the absolute figures.
//
// With -in-process, plein serve runs inside this program instead (the
// same command line, through internal/cli), so that -cpuprofile can
// profile it; its memory figure then includes the sink.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// options are the harness's settings, from its flags.
type options struct {
	subscribers int
	engines     []string
	dkim        []string
	postgres    string
	plein       string
	vs          string
	runs        int
	rate        float64
	env         []string
	inProcess   bool
	cpuProfile  string
	sample      int
	timeout     time.Duration
	out         string
	keep        bool
}

// dkimVariants are the key sets -dkim can name.
var dkimVariants = []string{"both", "rsa", "ed25519"}

// listFlag is a comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	*l = nil
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// envFlag is a repeatable NAME=VALUE flag.
type envFlag []string

func (e *envFlag) String() string { return strings.Join(*e, " ") }
func (e *envFlag) Set(s string) error {
	name, _, ok := strings.Cut(s, "=")
	if !ok || !strings.HasPrefix(name, "PLEIN_") {
		return fmt.Errorf("%q is not PLEIN_NAME=VALUE", s)
	}
	*e = append(*e, s)
	return nil
}

// parseOptions reads the flags.
func parseOptions(args []string, stderr io.Writer) (options, error) {
	o := options{engines: []string{"sqlite", "postgres"}, dkim: []string{"both"}}
	fs := flag.NewFlagSet("mail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./bench/mail [flags]   (see the comment at the top of bench/mail/main.go)")
		fs.PrintDefaults()
	}
	fs.IntVar(&o.subscribers, "subscribers", 100_000, "confirmed subscribers of the organisation")
	engines := listFlag(o.engines)
	fs.Var(&engines, "engines", "comma-separated engines to measure: sqlite, postgres")
	dkim := listFlag(o.dkim)
	fs.Var(&dkim, "dkim", "comma-separated DKIM key sets, each measured: both (an RSA and an Ed25519 signature, as Plein makes by default), rsa, ed25519")
	fs.StringVar(&o.postgres, "postgres", "postgres://postgres@127.0.0.1:5432/postgres",
		"`URL` of a PostgreSQL server's maintenance database, where the harness creates and drops its own databases")
	fs.StringVar(&o.plein, "plein", "", "plein `binary` to measure; default: built from this tree")
	fs.StringVar(&o.vs, "vs", "", "a second plein `binary`, the baseline, run in turn with the first on the same data")
	fs.IntVar(&o.runs, "runs", 1, "runs of each engine, key set and binary")
	fs.Float64Var(&o.rate, "rate", 0, "--mail-rate given to plein serve: messages a second at most; 0: no limit")
	env := envFlag{}
	fs.Var(&env, "env", "a `PLEIN_NAME=VALUE` setting for plein serve (both binaries); repeat for more")
	fs.BoolVar(&o.inProcess, "in-process", false, "run plein serve inside this program (needs no -plein or -vs)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the sending, from publishing to the last message, to `file` (needs -in-process)")
	fs.IntVar(&o.sample, "sample", 1000, "keep and check one message in this many")
	fs.DurationVar(&o.timeout, "timeout", 20*time.Minute, "longest wait for the last message of one run")
	fs.StringVar(&o.out, "out", "", "also write the result as Markdown to this `file`")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary folder and databases, and print where they are")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o.engines, o.dkim, o.env = engines, dkim, env
	for _, e := range o.engines {
		if e != "sqlite" && e != "postgres" {
			return o, fmt.Errorf("-engines: %q is not sqlite or postgres", e)
		}
	}
	for _, d := range o.dkim {
		if !slices.Contains(dkimVariants, d) {
			return o, fmt.Errorf("-dkim: %q is not one of %s", d, strings.Join(dkimVariants, ", "))
		}
	}
	switch {
	case len(o.engines) == 0 || len(o.dkim) == 0:
		return o, errors.New("-engines and -dkim need at least one value")
	case o.subscribers < 1 || o.runs < 1 || o.sample < 1:
		return o, errors.New("-subscribers, -runs and -sample must be at least 1")
	case o.rate < 0:
		return o, errors.New("-rate must not be negative")
	case o.inProcess && (o.plein != "" || o.vs != ""):
		return o, errors.New("-in-process runs this tree's plein: it takes no -plein or -vs")
	case o.cpuProfile != "" && !o.inProcess:
		return o, errors.New("-cpuprofile needs -in-process")
	}
	return o, nil
}

func main() {
	opts, err := parseOptions(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mail:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	command := "go run ./bench/mail"
	if len(os.Args) > 1 {
		command += " " + strings.Join(os.Args[1:], " ")
	}
	if err := run(ctx, opts, command); err != nil {
		fmt.Fprintln(os.Stderr, "mail:", err)
		os.Exit(1)
	}
}

// logf reports progress on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mail %s: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}
