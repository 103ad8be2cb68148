package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"plein/internal/backup"
	"plein/internal/config"
	"plein/internal/datadir"
	"plein/internal/server"
)

func runBackup(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--out FILE [flags]", `
Writes a backup of the installation to one file: a consistent snapshot of
the embedded database (with the organisations' signing keys, the staff
accounts and everything else Plein stores), the local media, and a
manifest with Plein's version, the schema version, the time and the
SHA-256 of every file. It is a gzip-compressed tar archive with mode 0600,
replaced atomically when FILE exists. plein serve may keep running: the
snapshot is the database at one moment, and posts written meanwhile are
not in it. The access log is not in the backup.

plein backup copies only the embedded database and media kept in --data.
For PostgreSQL, use pg_dump; media in an object store are backed up with
the object store's own tools (see "Backups" in the README).

Restore the file with 'plein restore FILE --data DIR'.`)
	f.dataFlags(&cfg)
	out := f.String("out", "", "`file` to write the backup to, such as plein-2026-05-04.tar.gz (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"out": *out}); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return &usageError{msg: err.Error()}
	}
	if cfg.UsesPostgres() {
		return &wrapped{msg: "plein backup copies only the embedded database and local media, and this installation keeps its data in PostgreSQL: " +
			"back it up with pg_dump, and the media as the README's Backups section says", err: server.ErrBackupPostgres}
	}
	cfg.Version = Version
	m, err := server.Backup(e.ctx, cfg, *out, time.Now)
	if err != nil {
		if msg := dataFolderMessage(cfg, err); msg != "" {
			return &wrapped{msg: msg, err: err}
		}
		switch {
		case errors.Is(err, fs.ErrNotExist) && !exists(filepath.Dir(*out)):
			return &wrapped{msg: fmt.Sprintf("cannot write the backup to %s: the folder %s does not exist", *out, filepath.Dir(*out)), err: err}
		case errors.Is(err, fs.ErrPermission):
			return &wrapped{msg: fmt.Sprintf("cannot write the backup to %s: permission denied", *out), err: err}
		}
		return fmt.Errorf("cannot write the backup to %s: %w", *out, err)
	}
	if cfg.UsesS3() {
		fmt.Fprintln(e.stderr, "plein: note: the media are in the object store and not in this backup; back up the bucket as the README's Backups section says")
	}
	fmt.Fprintf(e.stdout, "plein: backed up the database (schema version %d) and %d media files, %s, to %s\n",
		m.SchemaVersion, m.MediaFiles(), byteSize(m.Size()), *out)
	return nil
}

func runRestore(e *env, path string, args []string) error {
	dir := config.Default().DataDir
	f := newFlags(path, "FILE --data DIR", `
Restores a backup written by 'plein backup' into the data folder DIR,
which must not exist or be empty: restore never replaces an installation.
To go back to a backup, stop plein serve, move the data folder aside,
restore into a new one and start serve on it.

Before the database appears in DIR, restore checks the archive's
checksums, that the database's schema is not newer than this Plein knows,
and the database itself; a damaged or altered archive is refused and DIR
is left as it was. A database of an older schema is brought up to date
when serve or migrate first opens it.`)
	f.StringVar(&dir, "data", dir, "the data `folder` to restore into: missing or empty (env PLEIN_DATA)")
	f.bindEnv("data", "PLEIN_DATA")
	pos, err := e.parse(f, args, "backup file")
	if err != nil {
		return err
	}
	archive := pos[0]
	if dir == "" {
		return usageErrorf("--data must name a folder")
	}
	m, err := server.Restore(e.ctx, archive, dir)
	if err != nil {
		return restoreError(archive, dir, err)
	}
	fmt.Fprintf(e.stdout, "plein: restored the backup of %s (Plein %s, schema version %d) into %s: the database and %d media files\n",
		m.Created.Format(time.RFC3339), m.PleinVersion, m.SchemaVersion, dir, m.MediaFiles())
	if m.MediaElsewhere {
		fmt.Fprintln(e.stdout, "plein: the media of this installation were in an object store and are not in the backup; start serve with the same --s3-* settings")
	}
	fmt.Fprintf(e.stdout, "plein: start it with: plein serve --data %s\n", dir)
	return nil
}

// restoreError tells why the backup archive could not be restored into dir.
func restoreError(archive, dir string, err error) error {
	var be *backup.Error
	var np *datadir.NotPrivateError
	switch {
	case errors.As(err, &be) && errors.Is(err, backup.ErrNotEmpty):
		return &wrapped{msg: fmt.Sprintf("cannot restore into %s: it is not empty; restore into a new or empty folder, or move the old installation aside first", dir), err: err}
	case errors.As(err, &be) && errors.Is(err, backup.ErrNewerSchema):
		return &wrapped{msg: fmt.Sprintf("%s was made by a newer Plein: %s; restore it with that version or a newer one", archive, be.Reason), err: err}
	case errors.As(err, &be) && errors.Is(err, backup.ErrNotBackup):
		return &wrapped{msg: fmt.Sprintf("%s is not a Plein backup: %s", archive, be.Reason), err: err}
	case errors.As(err, &be):
		return &wrapped{msg: fmt.Sprintf("%s is damaged and cannot be restored: %s; nothing was restored", archive, be.Reason), err: err}
	case errors.As(err, &np):
		return &wrapped{msg: notPrivateMessage(config.Config{DataDir: dir}, np), err: err}
	case errors.Is(err, fs.ErrNotExist) && !exists(archive):
		return &wrapped{msg: fmt.Sprintf("there is no backup file %s", archive), err: err}
	case errors.Is(err, fs.ErrPermission):
		return &wrapped{msg: fmt.Sprintf("cannot restore %s into %s: permission denied", archive, dir), err: err}
	}
	return fmt.Errorf("cannot restore %s into %s: %w", archive, dir, err)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// byteSize writes n bytes for reading: "812 B", "4.2 MB".
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
