package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"plein/internal/model"
	"plein/internal/store"
)

// sentinelOf returns the store sentinel err is mapped to, or nil.
func sentinelOf(err error) error {
	for _, s := range []error{store.ErrNotFound, store.ErrAlreadyExists, store.ErrUnavailable, store.ErrDatabaseMissing, store.ErrDatabaseLogin} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

func TestMapError(t *testing.T) {
	pgErr := func(code string) error {
		return fmt.Errorf("store: op: %w", &pgconn.PgError{Severity: "ERROR", Code: code, Message: "m"})
	}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"no rows", pgx.ErrNoRows, store.ErrNotFound},
		{"unique violation", pgErr("23505"), store.ErrAlreadyExists},
		{"syntax error", pgErr("42601"), nil},
		{"foreign key violation", pgErr("23503"), nil},
		{"statement timeout", pgErr("57014"), nil},
		{"connection failure", pgErr("08006"), store.ErrUnavailable},
		{"server shutting down", pgErr("57P01"), store.ErrUnavailable},
		{"server starting up", pgErr("57P03"), store.ErrUnavailable},
		{"too many connections", pgErr("53300"), store.ErrUnavailable},
		{"no such database", pgErr("3D000"), store.ErrDatabaseMissing},
		{"no such role", pgErr("28000"), store.ErrDatabaseLogin},
		{"wrong password", pgErr("28P01"), store.ErrDatabaseLogin},
		{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, store.ErrUnavailable},
		{"connection lost mid-answer", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), store.ErrUnavailable},
		{"conn closed", fmt.Errorf("exec: %w", pgconn.ErrConnClosed), store.ErrUnavailable},
		{"no answer before the deadline", context.DeadlineExceeded, store.ErrUnavailable},
		{"request cancelled", context.Canceled, nil},
		{"another error", errors.New("cannot scan NULL into *string"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapError(tc.err)
			if s := sentinelOf(got); s != tc.want {
				t.Fatalf("mapError(%v) = %v, want sentinel %v", tc.err, got, tc.want)
			}
			if tc.want != store.ErrNotFound && !errors.Is(got, tc.err) {
				t.Errorf("the original error left the chain: %v", got)
			}
			if again := mapError(got); again.Error() != got.Error() {
				t.Errorf("mapping twice: %q, once: %q", again, got)
			}
		})
	}
	if mapError(nil) != nil {
		t.Error("mapError(nil) is not nil")
	}
	if !errors.Is(mapError(pgErr("08006")), model.ErrUnavailable) {
		t.Error("store.ErrUnavailable is not model.ErrUnavailable")
	}
}

// TestMapErrorOfRealFailures maps the errors pgx returns when the server
// cannot be reached or drops the connection.
func TestMapErrorOfRealFailures(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// Nothing listens.
	_, err := pgconn.Connect(ctx, "postgres://postgres@127.0.0.1:1/plein?connect_timeout=2")
	if got := mapError(err); !errors.Is(got, store.ErrUnavailable) {
		t.Errorf("connection refused: %v", got)
	}

	// Something listens, and hangs up at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, err = pgconn.Connect(ctx, "postgres://postgres@"+ln.Addr().String()+"/plein?connect_timeout=2&sslmode=disable")
	if got := mapError(err); !errors.Is(got, store.ErrUnavailable) {
		t.Errorf("hung up while connecting: %v", got)
	}

	// The server ends the connection in use, then the connection is gone.
	url := os.Getenv("PLEIN_TEST_POSTGRES")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/postgres"
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required in CI and unreachable: %v", err)
		}
		t.Skipf("PostgreSQL unreachable (set PLEIN_TEST_POSTGRES): %v", err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pg_backend_pid())")
	if got := mapError(err); !errors.Is(got, store.ErrUnavailable) {
		t.Errorf("connection ended by the server: %v", got)
	}
	var one int
	err = pgRow{conn.QueryRow(ctx, "SELECT 1")}.Scan(&one)
	if !errors.Is(err, store.ErrUnavailable) || !strings.Contains(err.Error(), "closed") {
		t.Errorf("query on the ended connection: %v", err)
	}
}
