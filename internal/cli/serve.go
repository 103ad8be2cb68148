package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"runtime/debug"

	"plein/internal/config"
	"plein/internal/demo"
	"plein/internal/server"
)

func runServe(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[--demo] [flags]", `
Serves the public pages and feeds of every organisation, and works the
queue of scheduled posts, until interrupted (Ctrl-C or SIGTERM), then
finishes the requests in progress. With --demo, an installation without any
organisation first gets a demo organisation, two staff accounts (their
passwords are printed once) and about twenty posts.

Each flag can also be set with the environment variable named in its
description; the flag wins.`)
	f.dataFlags(&cfg)
	f.policyFlags(&cfg)
	f.StringVar(&cfg.Addr, "addr", cfg.Addr, "`host:port` to listen on (env PLEIN_ADDR)")
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
	f.BoolVar(&cfg.NodeInfoCounts, "nodeinfo-counts", false,
		"tell in NodeInfo how many organisations this installation has (env PLEIN_NODEINFO_COUNTS)")
	f.bindEnv("nodeinfo-counts", "PLEIN_NODEINFO_COUNTS")
	f.bindEnv("addr", "PLEIN_ADDR")
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
	app, err := e.open(cfg, slog.LevelInfo)
	if err != nil {
		return err
	}
	defer app.Close()
	if cfg.Demo {
		if err := e.seedDemo(app); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Plein serves %s (listening on %s, %s); stop it with Ctrl-C\n",
		app.BaseURL, cfg.Addr, app.Store.Engine())
	err = server.Run(e.ctx, app)
	if err != nil && e.ctx.Err() != nil && errors.Is(err, e.ctx.Err()) {
		return nil // stopped as asked
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
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
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
