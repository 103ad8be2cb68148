package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"plein/internal/analytics"
	"plein/internal/insights"
	"plein/internal/web"
)

// shutdownGrace is how long in-flight requests and running jobs get to
// finish when the server stops.
const shutdownGrace = 15 * time.Second

// drain waits delay while the server keeps serving and /readyz answers
// 503, so that a load balancer checking it stops sending requests before
// the listener closes.
func drain(delay time.Duration) {
	if delay <= 0 {
		return
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	<-t.C
}

// Handler returns the web server of app; tests use it on their own
// listener.
func (a *App) Handler() (*web.Server, error) {
	return a.handler(a.Analytics.Recorder())
}

// ArchiveHandler returns a web server of app that counts no views, for
// the requests an archive's WARC files record.
func (a *App) ArchiveHandler() (*web.Server, error) { return a.handler(nil) }

func (a *App) handler(rec *insights.Recorder) (*web.Server, error) {
	return web.New(web.Deps{Archive: a.Archive, Auth: a.Auth, Federation: a.Federation, Moderation: a.Moderation, Orgs: a.Orgs, Posts: a.Posts, Media: a.Media, BaseURL: a.BaseURL,
		TrustedProxies: a.Config.TrustedProxies, Insights: rec, Analytics: a.Analytics, Retention: a.Retention, Subscriptions: a.Subscriptions, Contact: a.Contact, Accessibility: a.Accessibility, Crosspost: a.Crosspost, Metrics: a.Metrics,
		ReferrerThreshold: a.Config.ReferrerThreshold, Logger: a.Logger, Now: a.Now,
		FBImport: a.FBImport, ImportMaxBytes: int64(a.Config.ImportMaxMiB) << 20,
		Database: func(ctx context.Context) error { _, err := a.Store.ChangeVersion(ctx); return err }})
}

// Run serves app on its configured address until ctx ends, then shuts down
// gracefully.
func Run(ctx context.Context, app *App) error {
	ln, err := net.Listen("tcp", app.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", app.Config.Addr, err)
	}
	return Serve(ctx, app, ln)
}

// Serve serves app on ln until ctx ends: the web server, the job queue and
// the watcher that drops cached pages when content changes, in this
// process or any other. When ctx ends, /readyz answers 503 for
// app.Config.DrainDelay while everything else is still served; then the
// listener closes, requests in progress get shutdownGrace to finish, and
// jobs still running after that grace are cancelled and handed back to the
// queue.
func Serve(ctx context.Context, app *App, ln net.Listener) error {
	site, err := app.Handler()
	if err != nil {
		return err
	}
	return ServeSite(ctx, app, site, ln)
}

// ServeSite is Serve with the web server made already by app.Handler, for
// tests that look at the server they run.
func ServeSite(ctx context.Context, app *App, site *web.Server, ln net.Listener) error {
	var err error
	var mln net.Listener // Prometheus metrics, on a listener of their own
	if app.Metrics != nil {
		if mln = app.MetricsListener; mln == nil {
			if mln, err = net.Listen("tcp", app.Config.MetricsAddr); err != nil {
				return fmt.Errorf("metrics listener on %s: %w", app.Config.MetricsAddr, err)
			}
		}
	}
	v, err := app.Store.ChangeVersion(ctx)
	if err != nil {
		if mln != nil {
			mln.Close()
		}
		if ctx.Err() != nil { // stopped before it started: a clean stop
			return nil
		}
		return fmt.Errorf("reading the change version: %w", err)
	}
	site.Invalidate(v) // nothing is cached yet: this only records the version
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watchDone := make(chan error, 1)
	go func() { watchDone <- app.Store.WatchChanges(watchCtx, site.Invalidate) }()

	app.Federation.Readers = site.Reading // set before deliveries start

	// Jobs stop through StopJobs at shutdown, not by ctx ending under them.
	if err := app.Store.StartJobs(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	flushCtx, stopFlush := context.WithCancel(context.WithoutCancel(ctx))
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		app.Analytics.Run(flushCtx, analytics.FlushInterval)
	}()
	var handler http.Handler = site
	if app.AccessLog != nil {
		handler = app.AccessLog.Middleware(site, site.ClientAddr)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var metricsSrv *http.Server
	if mln != nil {
		metricsSrv = &http.Server{Handler: app.Metrics.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := metricsSrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				app.Logger.Error("metrics listener", "err", err)
			}
		}()
	}
	app.Logger.Info("serving", "url", app.BaseURL, "addr", ln.Addr().String(), "engine", app.Store.Engine())

	var serveErr error
	watching := true
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	case err := <-watchDone:
		watching = false
		if ctx.Err() == nil {
			serveErr = fmt.Errorf("watching for changes: %w", err)
		}
	}
	app.Logger.Info("shutting down", "drain_delay", app.Config.DrainDelay.String())
	site.Drain()
	if serveErr == nil {
		drain(app.Config.DrainDelay)
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	errs := []error{serveErr}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		errs = append(errs, fmt.Errorf("web shutdown: %w", err))
	}
	if metricsSrv != nil {
		metricsSrv.Close()
	}
	if err := app.Store.StopJobs(shutdownCtx); err != nil {
		errs = append(errs, err)
	}
	stopFlush() // the last counts are written before the store closes
	<-flushed
	stopWatch()
	if watching {
		if err := <-watchDone; err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
