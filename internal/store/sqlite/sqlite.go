// Package sqlite is Plein's embedded storage engine: one SQLite file in WAL
// mode through a pure-Go driver, with River's SQLite driver for durable jobs.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"plein/internal/jobs"
	"plein/internal/store"
	"plein/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure Open.
type Options struct {
	Workers *river.Workers // job workers; may gain workers until StartJobs
	// PeriodicJobs are enqueued on their schedule while jobs are worked.
	PeriodicJobs []*river.PeriodicJob
	Logger       *slog.Logger
	// PollInterval is how often WatchChanges looks for changes made by other
	// processes; default 200ms.
	PollInterval time.Duration
}

// Store is a store.Store on one SQLite database file.
type Store struct {
	sqlstore.Queries
	db    *sql.DB // the one connection that writes
	reads *sql.DB // read-only connections for queries outside transactions
	river *river.Client[*sql.Tx]
	poll  time.Duration
	// changed is signalled when a change of this process commits, so that
	// its watchers need not wait for the next poll.
	changed chan struct{}
	path    string   // of the database file
	jobs    *os.File // the lock file held while this process works jobs
	logger  *slog.Logger
}

var _ store.Store = (*Store)(nil)

// readConns is how many read-only connections a Store keeps.
const readConns = 4

// Open opens (creating it when absent) the database at path, applies every
// pending migration and prepares the job queue. A database it creates has
// mode 0600, and so have the -wal and -shm files SQLite makes beside it.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// SQLite runs one writer at a time; River's own advice is a single
	// connection, which also keeps every transaction strictly serial. Public
	// reads are served from memory, so this is not the hot path.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{Queries: sqlstore.New(conn{q: db}), db: db, poll: opts.PollInterval, changed: make(chan struct{}, 1), path: path, logger: opts.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.poll <= 0 {
		s.poll = 200 * time.Millisecond
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Reads outside transactions go to a pool of read-only connections: in
	// WAL mode they do not wait for the writer, so rendering a page after a
	// change never queues behind the job queue's writes.
	rq := url.Values{}
	rq.Add("_pragma", "busy_timeout(10000)")
	rq.Add("_pragma", "query_only(1)")
	if s.reads, err = sql.Open("sqlite", fileURI(path, rq)); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	s.reads.SetMaxOpenConns(readConns)
	s.Queries = sqlstore.New(conn{q: db, reads: s.reads})
	workers := opts.Workers
	if workers == nil {
		workers = river.NewWorkers()
	}
	cfg := jobs.Config(workers, opts.PeriodicJobs, opts.Logger)
	// River's SQLite driver cannot notify: new jobs are found by polling,
	// of the mail queue more often, so that a post's first batches start
	// soon after they are enqueued.
	mailQueue := cfg.Queues[jobs.QueueMail]
	mailQueue.FetchPollInterval = jobs.PollOnlyInterval
	cfg.Queues[jobs.QueueMail] = mailQueue
	s.river, err = river.NewClient(riversqlite.New(db), cfg)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: job queue: %w", err)
	}
	return s, nil
}

// createPrivate makes an empty database file at path with mode 0600 when
// there is none. Left to SQLite, the file would get 0644 less the umask,
// readable by every local account; SQLite gives the -wal and -shm files
// it makes the mode of the database file, so they are private too.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	err = f.Chmod(0o600) // whatever the umask
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	err := sqlstore.Migrate(ctx, conn{q: s.db}, func(ctx context.Context, fn func(sqlstore.Conn) error) error {
		return s.inSQLTx(ctx, func(tx *sql.Tx) error { return fn(conn{q: tx}) })
	}, mustSub(migrations, "migrations"))
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	m, err := rivermigrate.New(riversqlite.New(s.db), nil)
	if err != nil {
		return fmt.Errorf("sqlite: job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("sqlite: job queue migrations: %w", err)
	}
	return nil
}

// Engine implements store.Store.
func (s *Store) Engine() string { return "sqlite" }

// Close closes the database, and releases the lock StartJobs took.
func (s *Store) Close() error {
	var err error
	if s.reads != nil {
		err = s.reads.Close()
	}
	err = errors.Join(err, s.db.Close())
	if s.jobs != nil {
		err = errors.Join(err, s.jobs.Close()) // closing the file releases its lock
	}
	return err
}

// MarkChanged implements store.Changes.
func (s *Store) MarkChanged(ctx context.Context) error {
	if err := s.IncrementChangeVersion(ctx); err != nil {
		return err
	}
	s.signalChange()
	return nil
}

// signalChange wakes this process's watchers.
func (s *Store) signalChange() {
	select {
	case s.changed <- struct{}{}:
	default: // a signal is pending already
	}
}

func (s *Store) inSQLTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", mapError(err))
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", mapError(err))
	}
	return nil
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// InTx implements store.Store.
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	var t *Tx
	err := s.inSQLTx(ctx, func(tx *sql.Tx) error {
		t = &Tx{Queries: sqlstore.New(conn{q: tx}), tx: tx, river: s.river}
		return fn(t)
	})
	if err == nil && t.changed {
		s.signalChange()
	}
	return err
}

// WatchChanges implements store.Store by polling the change counter; with
// SQLite, other processes on the same file have no other way to tell.
// Changes made by this process are seen as soon as they commit.
func (s *Store) WatchChanges(ctx context.Context, onChange func(version int64)) error {
	last, err := s.ChangeVersion(ctx)
	if err != nil {
		return err
	}
	t := time.NewTicker(s.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-s.changed:
		}
		v, err := s.ChangeVersion(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			slog.Warn("sqlite: reading change counter", "err", err)
			continue
		}
		if v != last {
			last = v
			onChange(v)
		}
	}
}

// RetryJobs implements store.Store.
func (s *Store) RetryJobs(ctx context.Context, kind, arg string, prefixes []string, limit int) (int, error) {
	n, err := sqlstore.RetryJobs(ctx, s.river, kind, arg, prefixes, limit)
	if err != nil {
		return n, fmt.Errorf("sqlite: %w", err)
	}
	return n, nil
}

// StartJobs implements store.Store. One process at a time works the jobs of
// an SQLite database: StartJobs takes an exclusive lock on a file beside the
// database, held until Close, and fails with store.ErrDatabaseInUse while
// another process holds it. Holding it, StartJobs knows that a job still
// marked running was left by a process that died (killed, or the machine
// lost power), and hands such jobs back to the queue at once instead of
// after the rescue delay, which exists for nodes sharing a PostgreSQL
// database that cannot tell a dead node from a slow one. A job that has had
// all its attempts is left to the rescuer, which discards it.
func (s *Store) StartJobs(ctx context.Context) error {
	if err := s.lockJobs(); err != nil {
		return err
	}
	n, err := s.RequeueAbandonedJobs(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: start jobs: %w", err)
	}
	if n > 0 {
		s.logger.Info("jobs left running by a stopped process are queued again", "jobs", n)
	}
	if err := s.river.Start(ctx); err != nil {
		return fmt.Errorf("sqlite: start jobs: %w", err)
	}
	return nil
}

// lockJobs takes the lock of StartJobs: a file beside the database, locked
// with flock so that the kernel releases it when the process ends, however
// it ends.
func (s *Store) lockJobs() error {
	if s.jobs != nil {
		return nil
	}
	path := s.path + "-jobs.lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: start jobs: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("sqlite: start jobs: %s: %w", s.path, store.ErrDatabaseInUse)
		}
		return fmt.Errorf("sqlite: start jobs: locking %s: %w", path, err)
	}
	s.jobs = f
	return nil
}

// StopJobs implements store.Store: jobs still running when ctx ends are
// cancelled and handed back to the queue (sqlstore.StopJobs).
func (s *Store) StopJobs(ctx context.Context) error {
	if err := sqlstore.StopJobs(ctx, s.river); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// Tx is a store.Tx on SQLite.
type Tx struct {
	sqlstore.Queries
	tx      *sql.Tx
	river   *river.Client[*sql.Tx]
	changed bool // MarkChanged was called: watchers are woken on commit
}

// MarkChanged implements store.Changes.
func (t *Tx) MarkChanged(ctx context.Context) error {
	if err := t.IncrementChangeVersion(ctx); err != nil {
		return err
	}
	t.changed = true
	return nil
}

// EnqueueJobs implements store.Tx.
func (t *Tx) EnqueueJobs(ctx context.Context, jobs []river.JobArgs) error {
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{Args: j}
	}
	if _, err := t.river.InsertManyTx(ctx, t.tx, params); err != nil {
		return fmt.Errorf("sqlite: enqueue %d jobs: %w", len(jobs), mapError(err))
	}
	return nil
}

// EnqueueJob implements store.Tx.
func (t *Tx) EnqueueJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := t.river.InsertTx(ctx, t.tx, args, opts); err != nil {
		return fmt.Errorf("sqlite: enqueue %s: %w", args.Kind(), mapError(err))
	}
	return nil
}
