package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"plein/internal/backup"
	"plein/internal/config"
	"plein/internal/store/sqlite"
)

// ErrBackupPostgres means that the installation keeps its data in
// PostgreSQL, which Backup does not copy: pg_dump does.
var ErrBackupPostgres = errors.New("server: backup copies only the embedded database")

// Backup writes a backup archive of the installation cfg describes to the
// file out (see package backup): a snapshot of the embedded database taken
// while serve and other commands go on writing, and the local media. With
// media in an object store, only the database is in the archive and the
// manifest says so. A PostgreSQL installation is ErrBackupPostgres. Like
// Open, Backup makes the data folder private first and refuses a folder
// without a database.
func Backup(ctx context.Context, cfg config.Config, out string, now func() time.Time) (*backup.Manifest, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.UsesPostgres() {
		return nil, ErrBackupPostgres
	}
	if _, err := prepareData(cfg, false); err != nil {
		return nil, err
	}
	src := backup.Source{Version: cfg.Version, Now: now, MediaElsewhere: cfg.UsesS3(),
		Snapshot: func(ctx context.Context, path string) (int, error) {
			if err := sqlite.Snapshot(ctx, cfg.SQLitePath(), path); err != nil {
				return 0, err
			}
			return sqlite.Check(ctx, path)
		}}
	if !cfg.UsesS3() {
		src.MediaDir = cfg.MediaDir()
	}
	m, err := backup.Create(ctx, out, src)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return m, nil
}

// Restore unpacks the backup archive at the path archive into the data
// folder dataDir, which must be missing or empty (see backup.Restore),
// and returns its manifest.
func Restore(ctx context.Context, archive, dataDir string) (*backup.Manifest, error) {
	cfg := config.Config{DataDir: dataDir}
	m, err := backup.Restore(ctx, archive, backup.Target{Dir: dataDir,
		Database: filepath.Base(cfg.SQLitePath()), Media: filepath.Base(cfg.MediaDir()),
		KnownSchema: sqlite.SchemaVersion(), Check: sqlite.Check})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return m, nil
}
