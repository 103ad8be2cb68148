package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"plein/internal/store"
	"plein/internal/store/sqlstore"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn adapts a querier to sqlstore.Conn and maps SQLite's errors. With
// reads set, statements that only read (SELECT) run there instead.
type conn struct {
	q     querier
	reads querier // nil: every statement runs on q
}

// querierFor returns the querier to run query on.
func (c conn) querierFor(query string) querier {
	if c.reads != nil && readOnly(query) {
		return c.reads
	}
	return c.q
}

// readOnly reports whether a statement only reads: it starts with SELECT.
func readOnly(query string) bool {
	query = strings.TrimLeft(query, " \t\r\n")
	return len(query) >= 6 && strings.EqualFold(query[:6], "SELECT")
}

func (c conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, mapError(err)
	}
	return res.RowsAffected()
}

func (c conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.querierFor(query).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return sqlRows{rows}, nil
}

func (c conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return sqlRow{c.querierFor(query).QueryRowContext(ctx, query, args...)}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() } // errors surface through Err

type sqlRow struct{ *sql.Row }

func (r sqlRow) Scan(dest ...any) error { return mapError(r.Row.Scan(dest...)) }

// mapError turns SQLite's errors into the store's sentinels, keeping the
// original in the chain. It is the one place that classifies them, and
// leaves an error it mapped before unchanged.
func mapError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAlreadyExists), errors.Is(err, store.ErrUnavailable):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch code := se.Code(); {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrAlreadyExists, err)
		case unavailableCode(code):
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) { // waited for the file past the deadline
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}

// unavailableCode reports whether an SQLite result code, primary or
// extended, means that the file could not be used now rather than that the
// statement is wrong: busy or locked by another connection past the busy
// timeout, an I/O error, or a file that cannot be opened.
func unavailableCode(code int) bool {
	switch code & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return true
	}
	return false
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}
