// Package postgres is Plein's storage engine for installations with several
// nodes: PostgreSQL through pgx, River's pgx driver for durable jobs, and
// LISTEN/NOTIFY to tell every node about changes at once.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"plein/internal/jobs"
	"plein/internal/store"
	"plein/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// changeChannel is the NOTIFY channel announcing public content changes.
const changeChannel = "plein_changes"

// migrationLock is the advisory lock key that keeps nodes starting together
// from migrating at the same time.
const migrationLock = 0x706c65696e // "plein"

// Options configure Open.
type Options struct {
	Workers *river.Workers // job workers; may gain workers until StartJobs
	// PeriodicJobs are enqueued on their schedule while jobs are worked.
	PeriodicJobs []*river.PeriodicJob
	Logger       *slog.Logger
	// FallbackPoll is how often WatchChanges also reads the change counter,
	// in case a notification was missed while reconnecting; default 2s.
	FallbackPoll time.Duration
}

// Store is a store.Store on PostgreSQL.
type Store struct {
	sqlstore.Queries
	pool     *pgxpool.Pool
	river    *river.Client[pgx.Tx]
	fallback time.Duration
	logger   *slog.Logger
}

var _ store.Store = (*Store)(nil)

// DefaultMaxConns is the size of the connection pool unless the database
// URL sets pool_max_conns.
const DefaultMaxConns = 25

// Open connects to the database at url, applies every pending migration and
// prepares the job queue. It fails when the server cannot be reached.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: bad database URL: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	// pgx's default pool (4 connections on this kind of machine) starves
	// a fan-out's hundreds of concurrent deliveries; a pool_max_conns in
	// the URL still wins.
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		// mapError marks a server that cannot be reached as unavailable
		// (worth trying again later), and tells it apart from one that
		// answers but lacks the database or refuses the log-in.
		err = mapError(err)
		where := fmt.Sprintf("%s:%d", cfg.ConnConfig.Host, cfg.ConnConfig.Port)
		switch {
		case errors.Is(err, store.ErrDatabaseMissing):
			return nil, fmt.Errorf("postgres: no database %q on %s: %w", cfg.ConnConfig.Database, where, err)
		case errors.Is(err, store.ErrDatabaseLogin):
			return nil, fmt.Errorf("postgres: %s refused the log-in of user %q: %w", where, cfg.ConnConfig.User, err)
		}
		return nil, fmt.Errorf("postgres: cannot reach %s: %w", where, err)
	}
	s := &Store{Queries: sqlstore.New(pgConn{pool}), pool: pool, fallback: opts.FallbackPoll, logger: opts.Logger}
	if s.fallback <= 0 {
		s.fallback = 2 * time.Second
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	workers := opts.Workers
	if workers == nil {
		workers = river.NewWorkers()
	}
	s.river, err = river.NewClient(riverpgxv5.New(pool), jobs.Config(workers, opts.PeriodicJobs, opts.Logger))
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: job queue: %w", err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock); err != nil {
			s.logger.Warn("postgres: releasing migration lock", "err", err)
		}
	}()
	err = sqlstore.Migrate(ctx, pgConn{conn}, func(ctx context.Context, fn func(sqlstore.Conn) error) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return fn(pgConn{tx}) })
	}, mustSub(migrations, "migrations"))
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(s.pool), nil)
	if err != nil {
		return fmt.Errorf("postgres: job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("postgres: job queue migrations: %w", err)
	}
	return nil
}

// Engine implements store.Store.
func (s *Store) Engine() string { return "postgres" }

// Close closes every connection.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// MarkChanged implements store.Changes; outside a transaction it notifies at
// once.
func (s *Store) MarkChanged(ctx context.Context) error {
	return markChanged(ctx, s.Queries, pgConn{s.pool})
}

func markChanged(ctx context.Context, q sqlstore.Queries, c pgConn) error {
	if err := q.IncrementChangeVersion(ctx); err != nil {
		return err
	}
	// NOTIFY inside a transaction is delivered when it commits.
	if _, err := c.Exec(ctx, `SELECT pg_notify('`+changeChannel+`', '')`); err != nil {
		return fmt.Errorf("postgres: notify: %w", err)
	}
	return nil
}

// InTx implements store.Store.
// Failing to begin or commit because the server cannot be reached is
// store.ErrUnavailable, as it is for every query.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return mapError(pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(&Tx{Queries: sqlstore.New(pgConn{tx}), tx: tx, river: s.river})
	}))
}

// WatchChanges implements store.Store with LISTEN/NOTIFY, reading the change
// counter as well every FallbackPoll in case a notification was missed.
func (s *Store) WatchChanges(ctx context.Context, onChange func(version int64)) error {
	last, err := s.ChangeVersion(ctx)
	if err != nil {
		return err
	}
	check := func() {
		v, err := s.ChangeVersion(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.logger.Warn("postgres: reading change counter", "err", err)
			}
			return
		}
		if v != last {
			last = v
			onChange(v)
		}
	}
	for ctx.Err() == nil {
		err := s.listen(ctx, check)
		if ctx.Err() != nil {
			break
		}
		s.logger.Warn("postgres: change notifications interrupted; reconnecting", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(s.fallback):
		}
		check()
	}
	return ctx.Err()
}

func (s *Store) listen(ctx context.Context, check func()) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN `+changeChannel); err != nil {
		return err
	}
	defer func() {
		// Leave the pooled connection clean for its next user.
		_, _ = conn.Exec(context.WithoutCancel(ctx), `UNLISTEN `+changeChannel)
	}()
	check() // changes made between the first read and LISTEN
	for {
		wctx, cancel := context.WithTimeout(ctx, s.fallback)
		_, err := conn.Conn().WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil, errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			check()
		default:
			return err
		}
	}
}

// RetryJobs implements store.Store.
func (s *Store) RetryJobs(ctx context.Context, kind, arg string, prefixes []string, limit int) (int, error) {
	n, err := sqlstore.RetryJobs(ctx, s.river, kind, arg, prefixes, limit)
	if err != nil {
		return n, fmt.Errorf("postgres: %w", err)
	}
	return n, nil
}

// StartJobs implements store.Store.
func (s *Store) StartJobs(ctx context.Context) error {
	if err := s.river.Start(ctx); err != nil {
		return fmt.Errorf("postgres: start jobs: %w", err)
	}
	return nil
}

// StopJobs implements store.Store: jobs still running when ctx ends are
// cancelled and handed back to the queue (sqlstore.StopJobs).
func (s *Store) StopJobs(ctx context.Context) error {
	if err := sqlstore.StopJobs(ctx, s.river); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// Tx is a store.Tx on PostgreSQL.
type Tx struct {
	sqlstore.Queries
	tx    pgx.Tx
	river *river.Client[pgx.Tx]
}

// MarkChanged implements store.Changes.
func (t *Tx) MarkChanged(ctx context.Context) error { return markChanged(ctx, t.Queries, pgConn{t.tx}) }

// EnqueueJobs implements store.Tx.
func (t *Tx) EnqueueJobs(ctx context.Context, jobs []river.JobArgs) error {
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{Args: j}
	}
	if _, err := t.river.InsertManyTx(ctx, t.tx, params); err != nil {
		return fmt.Errorf("postgres: enqueue %d jobs: %w", len(jobs), mapError(err))
	}
	return nil
}

// EnqueueJob implements store.Tx.
func (t *Tx) EnqueueJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := t.river.InsertTx(ctx, t.tx, args, opts); err != nil {
		return fmt.Errorf("postgres: enqueue %s: %w", args.Kind(), mapError(err))
	}
	return nil
}
