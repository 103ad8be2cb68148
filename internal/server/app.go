// Package server is Plein's composition root: it builds the store, the job
// queue, the domain services and the web server from a Config, and runs
// them with a graceful shutdown. Only the command line reaches it.
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/accessibility"
	"plein/internal/accesslog"
	"plein/internal/analytics"
	"plein/internal/archive"
	"plein/internal/auth"
	"plein/internal/bluesky"
	"plein/internal/config"
	"plein/internal/contact"
	"plein/internal/crosspost"
	"plein/internal/datadir"
	"plein/internal/fbimport"
	"plein/internal/federation"
	"plein/internal/insights"
	"plein/internal/keyring"
	"plein/internal/library"
	"plein/internal/mail"
	"plein/internal/media"
	"plein/internal/metrics"
	"plein/internal/moderation"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/retention"
	"plein/internal/safefetch"
	"plein/internal/store"
	"plein/internal/store/postgres"
	"plein/internal/store/sqlite"
	"plein/internal/subscription"
)

// App is an opened installation: its data and the services acting on it.
type App struct {
	Config  config.Config
	BaseURL string // the installation's public URL, as stored
	Store   store.Store
	Media   media.Store
	Auth    *auth.Service
	Orgs    *org.Service
	Posts   *post.Service
	// FBImport imports Facebook Page exports into organisations.
	FBImport *fbimport.Importer
	// Moderation decides on replies, keeps blocks and statements of reasons.
	Moderation *moderation.Service
	// Federation builds the installation's ActivityPub documents.
	Federation *federation.Service
	Library    *library.Library
	// Analytics flushes the insight counters and reads them back.
	Analytics *analytics.Service
	// Retention deletes personal data past its configured limit.
	Retention *retention.Service
	// Subscriptions sends posts to citizens who subscribed by e-mail.
	Subscriptions *subscription.Service
	// Contact takes citizens' questions from the contact form.
	Contact *contact.Service
	// Archive exports and imports organisations' public-records archives.
	Archive *archive.Archiver
	// Accessibility keeps the accessibility statement.
	Accessibility *accessibility.Service
	// Crosspost publishes organisations' posts to their Bluesky accounts.
	Crosspost *crosspost.Service
	// AccessLog is the access log, when the operator turned it on.
	AccessLog *accesslog.Log
	// Metrics counts requests, cache results, deliveries and jobs for
	// Prometheus; served only when Config.MetricsAddr is set.
	Metrics *metrics.Metrics
	// MetricsListener is where Serve serves Metrics when the caller opened
	// it, to learn the port of an address such as 127.0.0.1:0; nil: Serve
	// listens on Config.MetricsAddr.
	MetricsListener net.Listener
	// Mail sends e-mail through the configured relay, signed with DKIM;
	// nil when no relay is configured (--smtp-addr).
	Mail *mail.Relay
	// DKIM signs Mail's messages; nil when no relay is configured.
	DKIM   *mail.DKIMSigner
	Logger *slog.Logger
	// Now is the clock every service reads: Options.Now, or time.Now.
	Now func() time.Time
	// NewDatabase is true when Open made the embedded database: the data
	// folder had none.
	NewDatabase bool
}

// settingBaseURL is the settings key of the public URL.
const settingBaseURL = "base_url"

// Options are what Open takes besides the configuration. The zero value
// logs to slog.Default and reads the system clock.
type Options struct {
	// Logger receives the installation's log; nil: slog.Default().
	Logger *slog.Logger
	// Now is the clock every service reads; nil: time.Now. Tests pass a
	// clock they move by hand.
	Now func() time.Time
	// Create lets Open make the embedded database (and the data folder)
	// when there is none: serve and migrate set it. Without it, a data
	// folder without a database is ErrNoDatabase, so that a mistyped
	// folder never becomes a new, empty installation.
	Create bool
	// Mail hands e-mail to a relay; nil: the configured relay, or no
	// e-mail at all. Tests pass a Sender that records what it is given.
	Mail mail.Sender
}

var (
	// ErrNoDatabase means that the data folder holds no embedded database,
	// or an empty file, and Options.Create was not set.
	ErrNoDatabase = errors.New("server: the data folder holds no database")
	// ErrMediaWithoutDatabase means that the data folder holds media but
	// no database, or an empty file: the database was lost or the folder
	// is the wrong one. Open never starts a new installation beside media.
	ErrMediaWithoutDatabase = errors.New("server: the data folder holds media but no database")
)

// prepareData makes the data folder private (see package datadir) and
// checks that it holds a database, making the folder when it is missing
// and create is set. It reports whether the embedded database is still to
// be made.
func prepareData(cfg config.Config, create bool) (bool, error) {
	fi, err := os.Stat(cfg.DataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist) && (create || cfg.UsesPostgres()):
		if err := datadir.Make(cfg.DataDir); err != nil {
			return false, fmt.Errorf("server: data folder: %w", err)
		}
	case errors.Is(err, fs.ErrNotExist):
		return false, fmt.Errorf("%w: %s does not exist", ErrNoDatabase, cfg.DataDir)
	case err != nil:
		return false, fmt.Errorf("server: data folder: %w", err)
	case !fi.IsDir():
		return false, fmt.Errorf("server: data folder %s is not a folder", cfg.DataDir)
	}
	if err := datadir.Private(cfg.DataDir); err != nil {
		return false, fmt.Errorf("server: data folder: %w", err)
	}
	if cfg.UsesPostgres() {
		return false, nil
	}
	fi, err = os.Stat(cfg.SQLitePath())
	switch {
	case err == nil && fi.Size() > 0:
		return false, nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return false, fmt.Errorf("server: database: %w", err)
	}
	if !cfg.UsesS3() {
		media, err := datadir.HasFiles(cfg.MediaDir())
		if err != nil {
			return false, fmt.Errorf("server: media: %w", err)
		}
		if media {
			return false, fmt.Errorf("%w: %s", ErrMediaWithoutDatabase, cfg.DataDir)
		}
	}
	if !create {
		return false, fmt.Errorf("%w: %s", ErrNoDatabase, cfg.DataDir)
	}
	return true, nil
}

// Open opens the installation cfg describes, applying pending migrations.
// It makes the data folder private first, or refuses with a
// *datadir.NotPrivateError; a data folder without a database is
// ErrMediaWithoutDatabase when it holds media, and ErrNoDatabase when
// opts.Create is not set.
func Open(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	created, err := prepareData(cfg, opts.Create)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	periodic := []*river.PeriodicJob{auth.SessionSweepJob(), retention.SweepJob(), subscription.DigestJob()}
	var st store.Store
	if cfg.UsesPostgres() {
		st, err = postgres.Open(ctx, cfg.Database, postgres.Options{Workers: workers, PeriodicJobs: periodic, Logger: logger})
	} else {
		st, err = sqlite.Open(ctx, cfg.SQLitePath(), sqlite.Options{Workers: workers, PeriodicJobs: periodic, Logger: logger})
	}
	if err != nil {
		return nil, err
	}
	ms, err := openMedia(ctx, cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	a := &App{Config: cfg, Store: st, Media: ms, Logger: logger, Now: now, NewDatabase: created}
	a.Auth = auth.NewService(st, now)
	a.Library = library.New(ms)
	a.Orgs = org.NewService(st, a.Auth, a.Library, now)
	a.Posts = post.NewService(st, a.Auth, a.Library, now)
	a.FBImport = fbimport.New(a.Posts)
	river.AddWorker(workers, post.NewPublishWorker(st, now))
	river.AddWorker(workers, auth.NewSessionSweepWorker(a.Auth, logger))
	if a.BaseURL, err = a.resolveBaseURL(ctx); err != nil {
		st.Close()
		return nil, err
	}
	// Passkeys need a host name: with an IP address they are off, and
	// everything else works.
	if err := a.Auth.UsePublicURL(a.BaseURL); err != nil {
		logger.Debug("passkeys are off: the public URL has no host name")
	}
	client := safefetch.New(safefetch.Options{AllowPrivateNetworks: cfg.AllowPrivateNetworks,
		UserAgent: "Plein/" + cfg.Version + " (+" + a.BaseURL + ")"})
	if a.Federation, err = federation.NewService(st, a.Orgs, a.Posts, client, a.BaseURL, cfg.Version, now); err != nil {
		st.Close()
		return nil, err
	}
	a.Federation.NodeInfoCounts = cfg.NodeInfoCounts
	a.Moderation = moderation.NewService(st, a.Auth, now)
	a.Federation.Moderation = a.Moderation
	if cfg.MetricsAddr != "" {
		a.Metrics = metrics.New()
		a.Metrics.SetQueueDepth(st.JobCounts)
		a.Federation.Metrics = a.Metrics
	}
	a.Auth.Logins = auth.NewLoginLimiter(st, now, a.Metrics, logger)
	a.Auth.Sessions = cfg.Sessions
	if cfg.OIDC.Enabled() {
		err := a.Auth.UseSSO(auth.SSOConfig{OIDC: cfg.OIDC, RedirectURL: a.BaseURL + "/staff/login/sso/callback", Fetch: client, Logger: logger})
		if err != nil {
			st.Close()
			return nil, err
		}
	}
	rec := insights.NewRecorder(insights.Config{SelfHost: hostOf(a.BaseURL), Now: now})
	a.Federation.Insights = rec
	a.Analytics = analytics.New(st, a.Auth, rec, cfg.ReferrerThreshold, now, logger)
	a.Retention = retention.New(st, a.Library, cfg, a.BaseURL, now, logger)
	if cfg.AccessLog {
		if a.AccessLog, err = accesslog.Open(cfg.AccessLogDir(), now); err != nil {
			st.Close()
			return nil, err
		}
		a.Retention.AccessLog = a.AccessLog
	}
	if cfg.Mail.Enabled() {
		if a.DKIM, err = DKIMSigner(ctx, st, cfg.Mail); err == nil {
			a.Mail, err = NewRelay(cfg.Mail, a.DKIM, now)
		}
		if err != nil {
			a.Close()
			return nil, err
		}
	}
	// The mail relay: until one is configured, no e-mail is sent. Tests
	// may hand in their own.
	sender := opts.Mail
	if sender == nil && a.Mail != nil {
		sender = a.Mail
	}
	if sender != nil {
		a.Auth.UseLoginMail(sender, a.BaseURL, logger)
	}
	river.AddWorker(workers, auth.NewNewDeviceWorker(a.Auth))
	a.Subscriptions = subscription.New(subscription.Config{Store: st, Auth: a.Auth, Sender: sender, BaseURL: a.BaseURL, Now: now, Logger: logger})
	river.AddWorker(workers, subscription.NewNoticeWorker(a.Subscriptions))
	river.AddWorker(workers, subscription.NewMailWorker(a.Subscriptions))
	river.AddWorker(workers, subscription.NewCorrectionWorker(a.Subscriptions))
	river.AddWorker(workers, subscription.NewFanoutWorker(a.Subscriptions))
	river.AddWorker(workers, subscription.NewSendWorker(a.Subscriptions))
	river.AddWorker(workers, subscription.NewDigestWorker(a.Subscriptions))
	a.Contact = contact.New(contact.Config{Store: st, Auth: a.Auth, Sender: sender, Direct: a.Federation, BaseURL: a.BaseURL,
		Retention: cfg.Retention.Questions, Now: now, Logger: logger})
	a.Federation.DirectMessages = a.Contact
	a.Archive = archive.New(archive.Deps{Store: st, Media: a.Media, BaseURL: a.BaseURL, Now: now, Logger: logger})
	a.Accessibility = accessibility.New(st, now)
	river.AddWorker(workers, post.NewNoticeWorker(post.NoticeConfig{Store: st, Sender: sender, BaseURL: a.BaseURL, Logger: logger}))
	river.AddWorker(workers, contact.NewAckWorker(a.Contact))
	river.AddWorker(workers, contact.NewAnswerWorker(a.Contact))
	river.AddWorker(workers, contact.NewNoticeWorker(a.Contact))
	a.Moderation.UseNoticeForms(moderation.NoticeForms{Tokens: a.Contact, Sender: sender, BaseURL: a.BaseURL, Logger: logger})
	river.AddWorker(workers, moderation.NewNoticeReceiptWorker(a.Moderation))
	river.AddWorker(workers, moderation.NewNoticeDecisionWorker(a.Moderation))
	river.AddWorker(workers, retention.NewSweepWorker(a.Retention))
	river.AddWorker(workers, federation.NewFederateWorker(a.Federation))
	river.AddWorker(workers, federation.NewDeliverWorker(a.Federation))
	river.AddWorker(workers, federation.NewProfileWorker(a.Federation))
	river.AddWorker(workers, federation.NewMoveWorker(a.Federation))
	river.AddWorker(workers, federation.NewStatementWorker(a.Federation))
	river.AddWorker(workers, federation.NewComplaintNoteWorker(a.Federation))
	a.Crosspost = crosspost.New(crosspost.Config{Store: st, Auth: a.Auth, Client: bluesky.New(client.BoundedHTTPClient()),
		Box: keyring.NewBox("bluesky", cfg.BlueskyKey, cfg.BlueskyKeyPath()), Media: ms, BaseURL: a.BaseURL, Now: now, Logger: logger})
	river.AddWorker(workers, crosspost.NewWorker(a.Crosspost))
	return a, nil
}

// resolveBaseURL returns the public URL: the one given, stored on first
// start; else the stored one; else one made from the listen address.
func (a *App) resolveBaseURL(ctx context.Context) (string, error) {
	stored, err := a.Store.Setting(ctx, settingBaseURL)
	switch {
	case err == nil && a.Config.BaseURL == "":
		return stored, nil
	case err == nil && a.Config.BaseURL != stored:
		a.Logger.Warn("the public URL changes; links and identities made under the old one break",
			"old", stored, "new", a.Config.BaseURL)
		return a.Config.BaseURL, a.Store.PutSetting(ctx, settingBaseURL, a.Config.BaseURL)
	case err == nil:
		return stored, nil
	case !errors.Is(err, store.ErrNotFound):
		return "", err
	}
	base := a.Config.BaseURL
	if base == "" {
		base = "http://" + a.Config.Addr
	}
	return a.Store.InitSetting(ctx, settingBaseURL, base)
}

// openMedia opens the configured store of media: an S3-compatible object
// store shared by every node, or a folder in DataDir.
func openMedia(ctx context.Context, cfg config.Config) (media.Store, error) {
	if !cfg.UsesS3() {
		return media.NewLocalStore(cfg.MediaDir())
	}
	region := cfg.S3.Region
	return media.NewS3Store(ctx, media.S3Config{Endpoint: cfg.S3.Endpoint, Bucket: cfg.S3.Bucket, Region: region,
		AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, UseTLS: !cfg.S3.Insecure, Prefix: cfg.S3.Prefix,
		PathStyle: true, CreateBucket: cfg.S3.CreateBucket})
}

// hostOf returns the host of a URL, or "" when it has none.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// Close releases the database, the access log and the relay's
// connections.
func (a *App) Close() error {
	var err error
	if a.AccessLog != nil {
		err = a.AccessLog.Close()
	}
	if a.Mail != nil {
		err = errors.Join(err, a.Mail.Close())
	}
	return errors.Join(err, a.Store.Close())
}
