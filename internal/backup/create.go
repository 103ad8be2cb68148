package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"plein/internal/datadir"
)

// Source is what Create puts in an archive.
type Source struct {
	// Snapshot writes a consistent copy of the database to the file path,
	// which it makes and which does not exist yet, and returns the copy's
	// schema version.
	Snapshot func(ctx context.Context, path string) (schemaVersion int, err error)
	// MediaDir is the folder of local media; empty or missing: none.
	MediaDir string
	// MediaElsewhere notes in the manifest that the media are in an
	// object store, not in the archive.
	MediaElsewhere bool
	// Version is Plein's version, for the manifest.
	Version string
	// Now is the clock of the manifest's time; nil: time.Now.
	Now func() time.Time
}

// Create writes an archive of src to the file out, with mode 0600,
// replacing it atomically when it exists: a reader sees the old file or
// the whole new one. It snapshots the database first and then copies the
// media, so that every image the snapshot refers to is in the archive,
// unless it was deleted in between. Temporary files are made in the
// folder of out and removed.
func Create(ctx context.Context, out string, src Source) (*Manifest, error) {
	now := src.Now
	if now == nil {
		now = time.Now
	}
	work, err := os.MkdirTemp(filepath.Dir(out), ".plein-backup-")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	m := &Manifest{Format: Format, PleinVersion: src.Version, Created: now().UTC().Truncate(time.Second),
		MediaElsewhere: src.MediaElsewhere}
	db := filepath.Join(work, DatabaseName)
	if m.SchemaVersion, err = src.Snapshot(ctx, db); err != nil {
		return nil, fmt.Errorf("backup: database snapshot: %w", err)
	}
	archive := filepath.Join(work, "archive")
	f, err := os.OpenFile(archive, os.O_WRONLY|os.O_CREATE|os.O_EXCL, datadir.FileMode)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if err := f.Chmod(datadir.FileMode); err != nil { // whatever the umask
		return nil, fmt.Errorf("backup: %w", err)
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if err := addFile(ctx, tw, m, DatabaseName, db); err != nil {
		return nil, err
	}
	if src.MediaDir != "" {
		if err := addMedia(ctx, tw, m, src.MediaDir); err != nil {
			return nil, err
		}
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("backup: manifest: %w", err)
	}
	manifest = append(manifest, '\n')
	err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: ManifestName, Mode: int64(datadir.FileMode),
		Size: int64(len(manifest)), ModTime: m.Created})
	if err == nil {
		_, err = tw.Write(manifest)
	}
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = gz.Close()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(archive, out)
	}
	if err == nil {
		err = syncDir(filepath.Dir(out))
	}
	if err != nil {
		return nil, fmt.Errorf("backup: writing %s: %w", out, err)
	}
	return m, nil
}

// addMedia adds every regular file below dir, in lexical order, skipping
// temporary files (names starting with a dot) and files removed meanwhile.
func addMedia(ctx context.Context, tw *tar.Writer, m *Manifest, dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // no media yet, or removed meanwhile
		}
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		err = addFile(ctx, tw, m, MediaPrefix+filepath.ToSlash(rel), path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // deleted since the folder was read
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("backup: media: %w", err)
	}
	return nil
}

// addFile adds the file at path to the archive as name and lists it in m.
func addFile(ctx context.Context, tw *tar.Writer, m *Manifest, name, path string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	err = tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(datadir.FileMode),
		Size: fi.Size(), ModTime: fi.ModTime().UTC().Truncate(time.Second)})
	if err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, h), f, fi.Size()); err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	m.Files = append(m.Files, File{Name: name, Size: fi.Size(), SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// syncDir flushes a folder's entries to disk, so that a rename survives a
// crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
