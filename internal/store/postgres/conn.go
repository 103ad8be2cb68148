package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"plein/internal/store"
	"plein/internal/store/sqlstore"
)

// querier is what a pool, a pooled connection and a transaction have in
// common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pgConn adapts a querier to sqlstore.Conn: it rewrites '?' placeholders to
// PostgreSQL's $n and maps PostgreSQL's errors.
type pgConn struct{ q querier }

func (c pgConn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := c.q.Exec(ctx, rebind(query), args...)
	if err != nil {
		return 0, mapError(err)
	}
	return tag.RowsAffected(), nil
}

func (c pgConn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.q.Query(ctx, rebind(query), args...)
	if err != nil {
		return nil, mapError(err)
	}
	return pgRows{rows}, nil
}

func (c pgConn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return pgRow{c.q.QueryRow(ctx, rebind(query), args...)}
}

type pgRow struct{ pgx.Row }

func (r pgRow) Scan(dest ...any) error { return mapError(r.Row.Scan(dest...)) }

// pgRows maps the error that ends a result set: a connection lost while
// rows arrive surfaces there, not from Query.
type pgRows struct{ pgx.Rows }

func (r pgRows) Err() error { return mapError(r.Rows.Err()) }

// mapError turns PostgreSQL's errors into the store's sentinels, keeping the
// original in the chain. It is the one place that classifies them, and
// leaves an error it mapped before unchanged.
func mapError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAlreadyExists), errors.Is(err, store.ErrUnavailable),
		errors.Is(err, store.ErrDatabaseMissing), errors.Is(err, store.ErrDatabaseLogin):
		return err
	case errors.Is(err, pgx.ErrNoRows):
		return store.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return fmt.Errorf("%w: %w", store.ErrAlreadyExists, err)
		case pe.Code == "3D000": // invalid_catalog_name
			return fmt.Errorf("%w: %w", store.ErrDatabaseMissing, err)
		case pe.Code == "28000", pe.Code == "28P01": // invalid authorization, password
			return fmt.Errorf("%w: %w", store.ErrDatabaseLogin, err)
		case unavailableCode(pe.Code):
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}

// unavailableCode reports whether a SQLSTATE says the server cannot serve
// now rather than that the statement is wrong: a connection exception
// (class 08), a server shutting down or starting up (57P01–57P03) or too
// many connections (53300).
func unavailableCode(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}

// unreachable reports whether err, which did not come from the server,
// means that the server could not be reached or stopped answering: a
// failed connection attempt (refused, reset, timed out, or the context's
// deadline while connecting), a request that failed before anything was
// sent, a connection closed or lost in use, or no answer before the
// deadline.
func unreachable(err error) bool {
	var connect *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connect) ||
		pgconn.SafeToRetry(err) ||
		pgconn.Timeout(err) ||
		errors.Is(err, pgconn.ErrConnClosed) ||
		errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

var rebound sync.Map // query with '?' → query with $n

// rebind rewrites each '?' in query to $1, $2, ... Plein's queries never put
// a '?' inside a string literal.
func rebind(query string) string {
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	out := b.String()
	// The set of distinct queries is small: fixed text, plus IN lists and
	// limits bounded by page sizes.
	rebound.Store(query, out)
	return out
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}
