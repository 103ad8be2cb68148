package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"plein/internal/config"
	"plein/internal/demo"
	"plein/internal/model"
	"plein/internal/server"
)

func runServe(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[--demo] [flags]", `
Serves the public pages and feeds of every organisation, and works the
queue of scheduled posts, until interrupted (Ctrl-C or SIGTERM). Then
/readyz answers 503 for --drain-delay while every other page is still
served, so that a load balancer checking /readyz stops sending requests;
then the listener closes, the requests in progress finish, and jobs still
running after the grace of 15s are cancelled and handed back to the queue. With --demo, an installation without any
organisation first gets a demo organisation, two staff accounts (their
passwords are printed once) and about twenty posts.

When it is ready to answer, serve prints the address it listens on as one
line on standard output, in this format, so that a free port taken with
--addr 127.0.0.1:0 can be found:

  plein: listening on http://127.0.0.1:41234

With --metrics-addr a second line follows, the same way:

  plein: metrics on http://127.0.0.1:41235

Just before these lines, --addr-file writes the host:port listened on and
a newline to a file, atomically (a temporary file in the same folder,
renamed); --metrics-addr-file does the same for the metrics, first, so
that both files exist once the --addr-file does. Without --base-url, on
the first start, the public URL is http:// and --addr with the port bound.

With --smtp-addr and --mail-from, serve sends e-mail through that relay,
signed with DKIM ('plein mail dns' prints the DNS records to set, 'plein
mail test' sends a test message); the relay's password is read from
PLEIN_SMTP_PASSWORD only.

Each flag can also be set with the environment variable named in its
description; the flag wins.`)
	f.dataFlags(&cfg)
	f.policyFlags(&cfg)
	f.mailFlags(&cfg)
	f.ssoFlags(&cfg)
	f.StringVar(&cfg.Addr, "addr", cfg.Addr, "`host:port` to listen on; port 0 takes a free port (env PLEIN_ADDR)")
	addrFile := f.String("addr-file", "",
		"`file` to write the bound host:port to once serve listens, replacing it atomically (env PLEIN_ADDR_FILE)")
	f.StringVar(&cfg.BaseURL, "base-url", "",
		"public `URL` of the installation, such as https://plein.example.nl; stored on first start (env PLEIN_BASE_URL)")
	proxies := f.String("trusted-proxies", "",
		"comma-separated `CIDRs` of reverse proxies whose X-Forwarded-For is believed (env PLEIN_TRUSTED_PROXIES)")
	f.BoolVar(&cfg.Demo, "demo", false, "seed a demo organisation when there is no organisation yet (env PLEIN_DEMO)")
	f.BoolVar(&cfg.AllowPrivateNetworks, "allow-private-networks", false,
		"let federation reach loopback and private addresses, for an intranet or tests (env PLEIN_ALLOW_PRIVATE_NETWORKS)")
	f.StringVar(&cfg.MetricsAddr, "metrics-addr", "",
		"`host:port` of a separate listener for Prometheus metrics, such as 127.0.0.1:9100; empty: none (env PLEIN_METRICS_ADDR)")
	f.bindEnv("metrics-addr", "PLEIN_METRICS_ADDR")
	f.IntVar(&cfg.ImportMaxMiB, "import-max-mib", config.DefaultImportMaxMiB,
		"largest export, in `MiB`, staff may upload to import a Facebook Page (env PLEIN_IMPORT_MAX_MIB)")
	f.bindEnv("import-max-mib", "PLEIN_IMPORT_MAX_MIB")
	metricsAddrFile := f.String("metrics-addr-file", "",
		"`file` to write the bound host:port of --metrics-addr to, like --addr-file (env PLEIN_METRICS_ADDR_FILE)")
	f.bindEnv("metrics-addr-file", "PLEIN_METRICS_ADDR_FILE")
	f.BoolVar(&cfg.NodeInfoCounts, "nodeinfo-counts", false,
		"tell in NodeInfo how many organisations this installation has (env PLEIN_NODEINFO_COUNTS)")
	f.bindEnv("nodeinfo-counts", "PLEIN_NODEINFO_COUNTS")
	f.DurationVar(&cfg.DrainDelay, "drain-delay", cfg.DrainDelay,
		"`duration` for which, on shutdown, /readyz answers 503 while everything else is still served, before the listener closes; 0: close at once (env PLEIN_DRAIN_DELAY)")
	f.bindEnv("drain-delay", "PLEIN_DRAIN_DELAY")
	f.bindEnv("addr", "PLEIN_ADDR")
	f.bindEnv("addr-file", "PLEIN_ADDR_FILE")
	f.bindEnv("base-url", "PLEIN_BASE_URL")
	f.bindEnv("trusted-proxies", "PLEIN_TRUSTED_PROXIES")
	f.bindEnv("demo", "PLEIN_DEMO")
	f.bindEnv("allow-private-networks", "PLEIN_ALLOW_PRIVATE_NETWORKS")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	var err error
	if cfg.TrustedProxies, err = config.ParseProxies(*proxies); err != nil {
		return &usageError{msg: err.Error()}
	}
	if err := cfg.Validate(); err != nil {
		return &usageError{msg: err.Error()}
	}
	if err := checkSSO(cfg); err != nil {
		return err
	}
	if *metricsAddrFile != "" && cfg.MetricsAddr == "" {
		return usageErrorf("--metrics-addr-file needs --metrics-addr; run '%s -h' for help", f.path)
	}
	// Listen before opening, so that the public URL made from the address
	// has the port bound, not 0.
	ln, err := listen("--addr", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	cfg.Addr = boundAddr(cfg.Addr, ln.Addr())
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = listen("--metrics-addr", cfg.MetricsAddr); err != nil {
			return err
		}
		defer metricsLn.Close()
		cfg.MetricsAddr = boundAddr(cfg.MetricsAddr, metricsLn.Addr())
	}
	app, err := e.openOrCreate(cfg, slog.LevelInfo)
	if err != nil {
		return err
	}
	defer app.Close()
	if app.NewDatabase {
		e.saidNewDatabase(cfg)
	}
	app.MetricsListener = metricsLn
	if cfg.Demo {
		if err := e.seedDemo(app); err != nil {
			return err
		}
	}
	// The address file comes last: once it exists, the other one does.
	if metricsLn != nil && *metricsAddrFile != "" {
		if err := writeFileAtomic(*metricsAddrFile, metricsLn.Addr().String()+"\n"); err != nil {
			return fmt.Errorf("cannot write the address to --metrics-addr-file %s: %w", *metricsAddrFile, err)
		}
	}
	if *addrFile != "" {
		if err := writeFileAtomic(*addrFile, ln.Addr().String()+"\n"); err != nil {
			return fmt.Errorf("cannot write the address to --addr-file %s: %w", *addrFile, err)
		}
	}
	fmt.Fprintf(e.stdout, "Plein serves %s (%s); stop it with Ctrl-C\n", app.BaseURL, app.Store.Engine())
	if app.Mail != nil {
		fmt.Fprintf(e.stdout, "E-mail goes from %s through the relay %s, signed with DKIM for %s\n",
			cfg.Mail.From, cfg.Mail.SMTPAddr, app.DKIM.Domain())
	}
	fmt.Fprintf(e.stdout, "plein: listening on http://%s\n", ln.Addr())
	if metricsLn != nil {
		fmt.Fprintf(e.stdout, "plein: metrics on http://%s\n", metricsLn.Addr())
	}
	err = server.Serve(e.ctx, app, ln)
	switch {
	case err != nil && e.ctx.Err() != nil && errors.Is(err, e.ctx.Err()):
		return nil // stopped as asked
	case errors.Is(err, model.ErrDatabaseInUse):
		return &wrapped{msg: "another plein serve uses the database in " + cfg.DataDir +
			": stop it first; one process serves an embedded database (several nodes share PostgreSQL)", err: err}
	}
	return err
}

// saidNewDatabase tells that the data folder had no database, so that a
// mistyped --data does not go unnoticed.
func (e *env) saidNewDatabase(cfg config.Config) {
	dir := cfg.DataDir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	fmt.Fprintf(e.stdout, "plein: created a new database in %s\n", dir)
}

// listen opens a TCP listener on addr, given with flag; the error names
// both and reads as a sentence.
func listen(flag, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		reason := err
		var op *net.OpError
		if errors.As(err, &op) {
			reason = op.Err // "bind: address already in use", without the address again
		}
		return nil, &wrapped{msg: fmt.Sprintf("cannot listen on %s (%s): %v", addr, flag, reason), err: err}
	}
	return ln, nil
}

// boundAddr is the configured listen address with the port the listener
// got: the host stays as given (a name, or empty for every interface), and
// port 0 becomes the port taken.
func boundAddr(configured string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(configured)
	if err != nil {
		return bound.String()
	}
	_, port, err := net.SplitHostPort(bound.String())
	if err != nil {
		return bound.String()
	}
	return net.JoinHostPort(host, port)
}

// writeFileAtomic replaces the file at path with content: it writes a
// temporary file in the same folder and renames it, so that a reader sees
// either no file or all of it.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(content)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// seedDemo fills an empty installation with the demo and prints its logins.
func (e *env) seedDemo(app *server.App) error {
	res, err := demo.Seed(e.ctx, demo.Services{Store: app.Store, Media: app.Media, Auth: app.Auth, Orgs: app.Orgs})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !res.Created {
		fmt.Fprintln(e.stdout, "The installation already has an organisation, so --demo adds nothing; the demo logins were printed when it was created.")
		return nil
	}
	fmt.Fprintf(e.stdout, "Created the demo organisation %s/@%s with %d posts.\n", app.BaseURL, res.Org.Handle, res.Posts)
	fmt.Fprintln(e.stdout, "Demo logins (shown only now; reset with 'plein user reset-password --email ...'):")
	for _, l := range res.Logins {
		fmt.Fprintf(e.stdout, "  %-24s %s  (%s)\n", l.Email, l.Password, l.Role)
	}
	return nil
}

func runMigrate(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[flags]", `
Applies every pending database migration and reports that the schema is
current. Every command does this when it opens the database; migrate does
only that, for instance before starting several nodes on PostgreSQL.`)
	f.dataFlags(&cfg)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	app, err := e.openOrCreate(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	if app.NewDatabase {
		e.saidNewDatabase(cfg)
	}
	where := "SQLite database " + cfg.SQLitePath()
	if cfg.UsesPostgres() {
		where = "PostgreSQL database"
		if u, err := url.Parse(cfg.Database); err == nil {
			where += " " + u.Host + u.Path
		}
	}
	fmt.Fprintf(e.stdout, "%s (engine %s): the schema is current\n", where, app.Store.Engine())
	return nil
}

func runVersion(e *env, path string, args []string) error {
	f := newFlags(path, "", "Prints Plein's version and the source revision it was built from.")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "plein %s\n", Version)
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = " (with uncommitted changes)"
				}
			}
		}
		if rev != "" {
			fmt.Fprintf(e.stdout, "revision %s%s\n", rev, modified)
		}
	}
	fmt.Fprintf(e.stdout, "built with %s\n", runtime.Version())
	return nil
}
