package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"plein/internal/store"
)

// Migrate applies, in order, every file NNNN_name.sql in files that the
// schema_migrations table does not list yet, each in its own transaction run
// by inTx. It creates schema_migrations when missing.
func Migrate(ctx context.Context, c Conn, inTx func(context.Context, func(Conn) error) error, files fs.FS) error {
	if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	newest, err := NewestMigration(files)
	if err != nil {
		return err
	}
	applied, err := SchemaVersion(ctx, c)
	if err != nil {
		return err
	}
	if applied > newest {
		return fmt.Errorf("%w: the database has schema version %d and this build knows up to %d; "+
			"run the version of Plein that last migrated it, or restore a backup made with this version",
			store.ErrNewerSchema, applied, newest)
	}
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migrate: bad migration file name %q", name)
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		err = inTx(ctx, func(tx Conn) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				version, name, dbTime(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
	}
	return nil
}

// SchemaVersion returns the newest migration applied to the database on c,
// or 0 when none was.
func SchemaVersion(ctx context.Context, c Conn) (int, error) {
	var v int
	err := c.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

// NewestMigration returns the number of the newest migration in files,
// named as Migrate expects them: the schema version a database has once
// they are applied.
func NewestMigration(files fs.FS) (int, error) {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return 0, fmt.Errorf("store: migrations: %w", err)
	}
	newest := 0
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return 0, fmt.Errorf("store: bad migration file name %q", name)
		}
		newest = max(newest, version)
	}
	return newest, nil
}
