package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"plein/internal/store/sqlstore"
)

// ErrDamaged means that a database file is not a sound SQLite database.
var ErrDamaged = errors.New("sqlite: the database file is damaged")

// SchemaVersion returns the newest schema migration this build of Plein
// knows: a database of a newer version was made by a newer Plein.
func SchemaVersion() int {
	v, err := sqlstore.NewestMigration(mustSub(migrations, "migrations"))
	if err != nil {
		panic(err) // the embedded migrations are fixed at build time
	}
	return v
}

// fileURI is the file: URI of the database at path with the query q. The
// path is escaped: in a URI, "#" or "?" in a folder name would cut it short
// and open another database.
func fileURI(path string, q url.Values) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Snapshot writes a consistent copy of the database at path to the file
// dst with VACUUM INTO: the database as one read transaction sees it,
// while other connections and processes go on writing (in WAL mode they
// do not wait for it). dst must not exist; Snapshot makes it with mode
// 0600. A missing database at path is an error, never made.
func Snapshot(ctx context.Context, path, dst string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("sqlite: snapshot: %w", err)
	}
	q := url.Values{}
	q.Set("mode", "rw") // an existing file only
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return fmt.Errorf("sqlite: snapshot %s: %w", path, err)
	}
	defer db.Close()
	// VACUUM INTO writes into an empty file that exists, keeping its mode;
	// left to SQLite, the copy would be readable by every local account.
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: snapshot: %w", err)
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		_, err = db.ExecContext(ctx, `VACUUM INTO ?`, dst)
	}
	if err != nil {
		os.Remove(dst)
		return fmt.Errorf("sqlite: snapshot %s: %w", path, mapError(err))
	}
	return nil
}

// Check opens the database file at path read-only, checks its structure
// with SQLite's quick_check and returns its schema version: the newest
// migration applied to it. A file that is not a sound SQLite database is
// ErrDamaged. Nothing else may use the file meanwhile.
func Check(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("sqlite: check: %w", err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1") // no -wal or -shm beside a file no one else uses
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return 0, fmt.Errorf("sqlite: check %s: %w", path, err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&result); err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrDamaged, path, err)
	}
	if result != "ok" {
		return 0, fmt.Errorf("%w: %s: %s", ErrDamaged, path, result)
	}
	v, err := sqlstore.SchemaVersion(ctx, conn{q: db})
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrDamaged, path, err)
	}
	return v, nil
}
