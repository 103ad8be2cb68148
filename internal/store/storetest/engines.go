// Package storetest is the conformance suite every storage engine passes,
// and the helpers that open each engine for tests: a fresh SQLite file, or
// a fresh PostgreSQL database that is dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"plein/internal/store"
	"plein/internal/store/postgres"
	"plein/internal/store/sqlite"
)

// DefaultPostgresURL is the server tests use unless PLEIN_TEST_POSTGRES
// names another.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres"

// Engine opens one storage engine for tests.
type Engine struct {
	Name string
	// NewDatabase returns the location of a new, empty database (a file path
	// or a postgres:// URL), removed when the test ends.
	NewDatabase func(t testing.TB) string
	// Open opens the database at location.
	Open func(t testing.TB, location string, workers *river.Workers) store.Store
}

// Engines returns both engines. PostgreSQL is skipped when unreachable,
// except when the CI environment variable is set: then it fails the test.
func Engines() []Engine {
	return []Engine{
		{Name: "sqlite", NewDatabase: NewSQLiteDatabase, Open: OpenSQLite},
		{Name: "postgres", NewDatabase: NewPostgresDatabase, Open: OpenPostgres},
	}
}

// NewSQLiteDatabase returns the path of a new database file in a
// temporary folder, migrated to the current schema: see
// WriteSQLiteDatabase.
func NewSQLiteDatabase(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plein.db")
	WriteSQLiteDatabase(t, path)
	return path
}

// sqliteTemplate is a database that sqlite.Open created and migrated from
// nothing, once per test process: under the race detector, migrating costs
// more than most tests, and hundreds of them start from a new database.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "plein-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "plein.db")
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// WriteSQLiteDatabase writes a new database at path (mode 0600, as
// sqlite.Open makes one), migrated to the current schema. Every test
// process migrates one database from an empty file, so each run still
// proves the migrations; the tests then start from copies of it.
func WriteSQLiteDatabase(t testing.TB, path string) {
	t.Helper()
	b, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("migrate a new SQLite database: %v", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// OpenSQLite opens the SQLite database at path and closes it when the test
// ends.
func OpenSQLite(t testing.TB, path string, workers *river.Workers) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{Workers: workers, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// OpenPostgres opens the PostgreSQL database at url and closes it when the
// test ends.
func OpenPostgres(t testing.TB, url string, workers *river.Workers) store.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url, postgres.Options{Workers: workers, FallbackPoll: 500 * time.Millisecond})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresServerURL returns the URL of the PostgreSQL server for tests.
func PostgresServerURL() string {
	if u := os.Getenv("PLEIN_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// NewPostgresDatabase creates an empty database on the test server and
// returns its URL; the database is dropped when the test ends. Without a
// reachable server the test is skipped, or fails when CI is set.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, PostgresServerURL())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required in CI and unreachable: %v", err)
		}
		t.Skipf("PostgreSQL unreachable (set PLEIN_TEST_POSTGRES): %v", err)
	}
	defer admin.Close(context.Background())
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "plein_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, PostgresServerURL())
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(PostgresServerURL())
	if err != nil {
		t.Fatalf("parse PLEIN_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
