package backup

import (
	"archive/tar"
	"compress/flate"
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
	"path"
	"path/filepath"
	"strings"

	"plein/internal/datadir"
)

// maxManifest bounds the manifest Restore reads into memory.
const maxManifest = 64 << 20

// Target is where Restore puts an archive.
type Target struct {
	// Dir is the data folder: missing, or an empty folder.
	Dir string
	// Database and Media are the names, in Dir, of the database file and
	// the media folder.
	Database, Media string
	// KnownSchema is the newest schema version this build knows; an
	// archive of a newer one is refused.
	KnownSchema int
	// Check checks the restored database file at path and returns its
	// schema version.
	Check func(ctx context.Context, path string) (schemaVersion int, err error)
}

// Restore unpacks the archive at the path archive into t.Dir and returns
// its manifest. t.Dir must be missing or empty: Restore never replaces an
// installation (ErrNotEmpty). It unpacks into a temporary folder in t.Dir
// and checks the gzip checksum, every file against the manifest, the
// schema version (ErrNewerSchema) and the database with t.Check before it
// moves the media and then the database into place; a refusal leaves
// t.Dir as it was. Refusals are *Error values.
func Restore(ctx context.Context, archive string, t Target) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	made, err := prepareTarget(t.Dir)
	if err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(t.Dir, ".plein-restore-")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	m, err := unpack(ctx, f, staging, t)
	if err == nil {
		err = moveInto(staging, t)
	}
	if rerr := os.RemoveAll(staging); err == nil && rerr != nil {
		err = fmt.Errorf("backup: %w", rerr)
	}
	if err != nil {
		if made {
			os.Remove(t.Dir) // only when still empty
		}
		return nil, err
	}
	return m, nil
}

// prepareTarget makes dir when it is missing, or checks that it is an
// empty folder, and makes it private. It reports whether it made dir.
func prepareTarget(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := datadir.Make(dir); err != nil {
			return false, fmt.Errorf("backup: %w", err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("backup: %w", err)
	case len(entries) > 0:
		return false, &Error{Kind: ErrNotEmpty, Reason: fmt.Sprintf("%s holds %d entries", dir, len(entries))}
	}
	if err := datadir.Private(dir); err != nil {
		return false, fmt.Errorf("backup: %w", err)
	}
	return false, nil
}

// unpack reads the archive r into the folder staging and checks it.
func unpack(ctx context.Context, r io.Reader, staging string, t Target) (*Manifest, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, notBackup(err, "it is not a gzip-compressed tar archive")
	}
	root, err := os.OpenRoot(staging)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer root.Close()
	tr := tar.NewReader(gz)
	got := map[string]File{}
	var manifest []byte
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError(err)
		}
		if h.Typeflag == tar.TypeDir {
			continue // folders are made for the files in them
		}
		name := h.Name
		if h.Typeflag != tar.TypeReg || !validName(name) {
			return nil, notBackup(nil, "it holds %q, which is not a file of a Plein installation", name)
		}
		if _, dup := got[name]; dup || (name == ManifestName && manifest != nil) {
			return nil, damaged(nil, "it holds %s twice", name)
		}
		if name == ManifestName {
			if manifest, err = io.ReadAll(io.LimitReader(tr, maxManifest)); err != nil {
				return nil, readError(err)
			}
			continue
		}
		file, err := extract(root, name, tr, h)
		if err != nil {
			return nil, err
		}
		got[name] = file
	}
	// The gzip checksum covers the whole stream, with the tar headers and
	// padding that no file checksum covers; it is read at its end.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, readError(err)
	}
	if manifest == nil {
		return nil, notBackup(nil, "it has no %s", ManifestName)
	}
	var m Manifest
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, damaged(err, "its %s cannot be read", ManifestName)
	}
	if m.Format != Format {
		return nil, notBackup(nil, "its format is %d; this Plein reads format %d", m.Format, Format)
	}
	if err := compare(&m, got); err != nil {
		return nil, err
	}
	if m.SchemaVersion > t.KnownSchema {
		return nil, &Error{Kind: ErrNewerSchema, Reason: fmt.Sprintf(
			"its database has schema version %d, and this Plein knows versions up to %d", m.SchemaVersion, t.KnownSchema)}
	}
	v, err := t.Check(ctx, filepath.Join(staging, DatabaseName))
	if err != nil {
		return nil, damaged(err, "its database is not sound")
	}
	if v != m.SchemaVersion {
		return nil, damaged(nil, "its database has schema version %d, and its manifest says %d", v, m.SchemaVersion)
	}
	return &m, nil
}

// validName reports whether name is the database or a media file, as
// Create writes them, and stays inside the folder it is unpacked in.
func validName(name string) bool {
	if name == ManifestName || name == DatabaseName {
		return true
	}
	rest, ok := strings.CutPrefix(name, MediaPrefix)
	return ok && rest != "" && filepath.IsLocal(rest) && path.Clean(name) == name && !strings.Contains(name, "\\")
}

// extract writes the current entry of the archive to name below root with
// mode 0600, keeping its time, and returns its size and checksum.
func extract(root *os.Root, name string, r io.Reader, h *tar.Header) (File, error) {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, datadir.DirMode); err != nil {
			return File{}, fmt.Errorf("backup: %w", err)
		}
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, datadir.FileMode)
	if err != nil {
		return File{}, fmt.Errorf("backup: %w", err)
	}
	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, hash), r)
	if err != nil {
		f.Close()
		return File{}, readError(err)
	}
	err = f.Chmod(datadir.FileMode)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && !h.ModTime.IsZero() {
		err = root.Chtimes(name, h.ModTime, h.ModTime)
	}
	if err != nil {
		return File{}, fmt.Errorf("backup: %w", err)
	}
	return File{Name: name, Size: n, SHA256: hex.EncodeToString(hash.Sum(nil))}, nil
}

// compare checks the files unpacked against the manifest: the same names,
// sizes and checksums, the database among them.
func compare(m *Manifest, got map[string]File) error {
	listed := map[string]bool{}
	for _, want := range m.Files {
		if listed[want.Name] {
			return damaged(nil, "its manifest lists %s twice", want.Name)
		}
		listed[want.Name] = true
		f, ok := got[want.Name]
		switch {
		case !ok:
			return damaged(nil, "%s, which its manifest lists, is missing", want.Name)
		case f.Size != want.Size || f.SHA256 != want.SHA256:
			return damaged(nil, "%s does not match its checksum", want.Name)
		}
	}
	for name := range got {
		if !listed[name] {
			return damaged(nil, "it holds %s, which its manifest does not list", name)
		}
	}
	if !listed[DatabaseName] {
		return notBackup(nil, "it holds no database")
	}
	return nil
}

// readError describes an error reading the compressed archive.
func readError(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return damaged(err, "it ends too early: it is cut short")
	case errors.Is(err, gzip.ErrChecksum):
		return damaged(err, "its gzip checksum does not match its contents")
	case errors.Is(err, gzip.ErrHeader):
		return damaged(err, "it holds data after its end")
	case errors.As(err, &corrupt), errors.Is(err, tar.ErrHeader):
		return damaged(err, "its compressed data is corrupt")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("backup: %w", err) // writing the folder, not reading the archive
	}
	return damaged(err, "it cannot be read")
}

// moveInto renames the unpacked media and then the database from staging
// into t.Dir, so that the folder never holds a database without its media.
func moveInto(staging string, t Target) error {
	media := filepath.Join(staging, strings.TrimSuffix(MediaPrefix, "/"))
	if _, err := os.Stat(media); err == nil {
		if err := os.Rename(media, filepath.Join(t.Dir, t.Media)); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := os.Rename(filepath.Join(staging, DatabaseName), filepath.Join(t.Dir, t.Database)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(t.Dir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
