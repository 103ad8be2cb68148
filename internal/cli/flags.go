package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"plein/internal/config"
)

// flags is the flag set of one command, with its usage text and the
// environment variables that stand in for flags not given.
type flags struct {
	*flag.FlagSet
	path  string // "plein post create"
	args  string // what follows the path in the usage line
	about string
	env   []envFlag
	// secrets read values that only come from the environment, never
	// from the command line where other users could see them.
	secrets []func(getenv func(string) string)
}

type envFlag struct{ flag, variable string }

// newFlags returns the flag set of the command path, described by about;
// args shows its positional arguments and required flags.
func newFlags(path, args, about string) *flags {
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flags{FlagSet: fs, path: path, args: args, about: about}
}

// name is the command without the program name, for messages: "post create".
func (f *flags) name() string { return strings.TrimPrefix(f.path, "plein ") }

// bindEnv makes the environment variable the value of the flag when the
// flag is not given.
func (f *flags) bindEnv(flagName, variable string) {
	f.env = append(f.env, envFlag{flagName, variable})
}

// dataFlags adds --data, --database and the object store of media to f.
func (f *flags) dataFlags(cfg *config.Config) {
	f.StringVar(&cfg.S3.Endpoint, "s3-endpoint", "", "`host:port` of an S3-compatible object store for media; empty: media in --data (env PLEIN_S3_ENDPOINT)")
	f.StringVar(&cfg.S3.Bucket, "s3-bucket", "", "`bucket` of the media (env PLEIN_S3_BUCKET)")
	f.StringVar(&cfg.S3.Region, "s3-region", "", "`region` of the bucket; empty: ask the server (env PLEIN_S3_REGION)")
	f.StringVar(&cfg.S3.AccessKey, "s3-access-key", "", "access `key` of the object store (env PLEIN_S3_ACCESS_KEY); the secret key is read from PLEIN_S3_SECRET_KEY only")
	f.StringVar(&cfg.S3.Prefix, "s3-prefix", "", "`prefix` of every media key in the bucket (env PLEIN_S3_PREFIX)")
	f.BoolVar(&cfg.S3.Insecure, "s3-insecure", false, "speak plain http to the object store, on a private network (env PLEIN_S3_INSECURE)")
	f.BoolVar(&cfg.S3.CreateBucket, "s3-create-bucket", false, "create the bucket when it does not exist (env PLEIN_S3_CREATE_BUCKET)")
	for _, name := range []string{"endpoint", "bucket", "region", "access-key", "prefix", "insecure", "create-bucket"} {
		f.bindEnv("s3-"+name, "PLEIN_S3_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_")))
	}
	f.secrets = append(f.secrets, func(getenv func(string) string) { cfg.S3.SecretKey = getenv("PLEIN_S3_SECRET_KEY") })
	f.secrets = append(f.secrets, func(getenv func(string) string) { cfg.BlueskyKey = getenv("PLEIN_BLUESKY_KEY") })
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "folder of the embedded database and local media (env PLEIN_DATA)")
	f.StringVar(&cfg.Database, "database", cfg.Database,
		"PostgreSQL database as a postgres:// URL; empty: embedded SQLite in --data (env PLEIN_DATABASE)")
	f.bindEnv("data", "PLEIN_DATA")
	f.bindEnv("database", "PLEIN_DATABASE")
}

// policyFlags adds the settings that the privacy page and register state:
// every retention, access logging, the referrer threshold and the privacy
// contact. serve and privacy register share them, so both tell the same.
func (f *flags) policyFlags(cfg *config.Config) {
	for _, s := range cfg.Retention.Settings() {
		variable := "PLEIN_RETAIN_" + strings.ToUpper(strings.ReplaceAll(s.Name, "-", "_"))
		f.Var((*ageValue)(s.Value), "retain-"+s.Name, "`age` to keep "+s.Usage+", such as 30d or 12h (env "+variable+")")
		f.bindEnv("retain-"+s.Name, variable)
	}
	f.BoolVar(&cfg.AccessLog, "access-log", cfg.AccessLog,
		"write an access log with client addresses cut to /24 (IPv4) or /48 (IPv6) to daily files in --data (env PLEIN_ACCESS_LOG)")
	f.IntVar(&cfg.ReferrerThreshold, "referrer-threshold", cfg.ReferrerThreshold,
		"referrer hosts with fewer visits a day count as \"other\" (env PLEIN_REFERRER_THRESHOLD)")
	f.StringVar(&cfg.PrivacyContact, "privacy-contact", cfg.PrivacyContact,
		"e-mail address or URL where people reach the operator about their personal data (env PLEIN_PRIVACY_CONTACT)")
	f.bindEnv("access-log", "PLEIN_ACCESS_LOG")
	f.bindEnv("referrer-threshold", "PLEIN_REFERRER_THRESHOLD")
	f.bindEnv("privacy-contact", "PLEIN_PRIVACY_CONTACT")
}

// ageValue is a retention flag: "30d", "12h".
type ageValue time.Duration

func (a *ageValue) String() string { return config.FormatAge(time.Duration(*a)) }

func (a *ageValue) Set(s string) error {
	d, err := config.ParseAge(s)
	if err != nil {
		return err
	}
	*a = ageValue(d)
	return nil
}

// parse parses args, which may mix flags and positional arguments, and
// returns the positional ones; there must be one for each of posNames (the
// names used in messages), except that names ending in "?" may be left
// out. Environment variables fill flags not given.
func (e *env) parse(f *flags, args []string, posNames ...string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printUsage(e.stdout)
				return nil, errHelpShown
			}
			return nil, usageErrorf("%s: %v; run '%s -h' for its flags", f.name(), err, f.path)
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	given := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, b := range f.env {
		v := e.getenv(b.variable)
		if given[b.flag] || v == "" {
			continue
		}
		if err := f.Set(b.flag, v); err != nil {
			return nil, usageErrorf("%s=%q: %v", b.variable, v, err)
		}
	}
	for _, read := range f.secrets {
		read(e.getenv)
	}
	switch {
	case len(pos) < len(posNames) && !strings.HasSuffix(posNames[len(pos)], "?"): // a name ending in ? is optional
		return nil, usageErrorf("%s needs the %s; run '%s -h' for help", f.name(), posNames[len(pos)], f.path)
	case len(pos) > len(posNames):
		return nil, usageErrorf("%s: unexpected argument %q; run '%s -h' for help", f.name(), pos[len(posNames)], f.path)
	}
	return pos, nil
}

// given reports whether the flag name was on the command line.
func (f *flags) given(name string) bool {
	found := false
	f.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}

// printUsage writes the usage line, the description and every flag.
func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s %s\n\n%s\n", f.path, f.args, strings.TrimSpace(f.about))
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	f.VisitAll(func(fl *flag.Flag) {
		kind, usage := flag.UnquoteUsage(fl)
		line := "  --" + fl.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n        %s", line, usage)
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "[]" {
			fmt.Fprintf(w, " (default %q)", fl.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// required returns a usage error naming the first empty flag.
func required(f *flags, values map[string]string) error {
	var missing []string
	f.VisitAll(func(fl *flag.Flag) {
		if v, ok := values[fl.Name]; ok && strings.TrimSpace(v) == "" {
			missing = append(missing, "--"+fl.Name)
		}
	})
	if len(missing) > 0 {
		return usageErrorf("%s needs %s; run '%s -h' for help", f.name(), strings.Join(missing, " and "), f.path)
	}
	return nil
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }

// Set implements flag.Value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
