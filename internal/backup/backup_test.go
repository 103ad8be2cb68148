package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests here stand a small text file in for the database: "schema N".
// The SQLite snapshot and check that serve uses are tested with the engine
// (internal/store/sqlite) and end to end with the command line
// (internal/cli).

func fakeSnapshot(version int) func(context.Context, string) (int, error) {
	return func(_ context.Context, path string) (int, error) {
		return version, os.WriteFile(path, []byte("schema "+strconv.Itoa(version)), 0o600)
	}
}

func fakeCheck(_ context.Context, path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	v, ok := strings.CutPrefix(string(b), "schema ")
	if !ok {
		return 0, errors.New("not a database")
	}
	return strconv.Atoi(v)
}

func target(dir string) Target {
	return Target{Dir: dir, Database: "plein.db", Media: "media", KnownSchema: 14, Check: fakeCheck}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCreateAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	media := filepath.Join(t.TempDir(), "media")
	writeFile(t, filepath.Join(media, "a1", "large.jpg"), "jpeg a1")
	writeFile(t, filepath.Join(media, "b2", "small.png"), "png b2")
	writeFile(t, filepath.Join(media, "b2", ".tmp-123"), "half written")
	old := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(media, "a1", "large.jpg"), old, old); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	out := filepath.Join(outDir, "b.tar.gz")
	writeFile(t, out, "an older backup")
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	m, err := Create(ctx, out, Source{Snapshot: fakeSnapshot(14), MediaDir: media, Version: "1.2.3", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	if want := []string{"plein.db", "media/a1/large.jpg", "media/b2/small.png"}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	if m.PleinVersion != "1.2.3" || m.SchemaVersion != 14 || !m.Created.Equal(now) || m.MediaFiles() != 2 {
		t.Errorf("manifest %+v", m)
	}
	sum := sha256.Sum256([]byte("jpeg a1"))
	if m.Files[1].SHA256 != hex.EncodeToString(sum[:]) || m.Files[1].Size != 7 {
		t.Errorf("checksum of %s: %+v", m.Files[1].Name, m.Files[1])
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive: %v, %v", fi, err)
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 1 {
		t.Errorf("the archive's folder holds %d entries: temporary files were left", len(entries))
	}

	dir := filepath.Join(t.TempDir(), "restored")
	got, err := Restore(ctx, out, target(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got.Files, m.Files, func(a, b File) bool { return a == b }) {
		t.Errorf("restored manifest %+v", got)
	}
	for path, want := range map[string]string{"plein.db": "schema 14", "media/a1/large.jpg": "jpeg a1", "media/b2/small.png": "png b2"} {
		b, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", path, b, err)
		}
	}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		if strings.HasPrefix(d.Name(), ".") {
			t.Errorf("%s was left", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "media", "a1", "large.jpg")); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("the media file's time is not kept: %v, %v", fi.ModTime(), err)
	}
}

func TestCreateFailsCleanly(t *testing.T) {
	t.Parallel()
	outDir := t.TempDir()
	out := filepath.Join(outDir, "b.tar.gz")
	writeFile(t, out, "an older backup")
	broken := func(context.Context, string) (int, error) { return 0, errors.New("disk full") }
	if _, err := Create(context.Background(), out, Source{Snapshot: broken}); err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(out); string(b) != "an older backup" {
		t.Errorf("the older backup was replaced by %q", b)
	}
	if entries, _ := os.ReadDir(outDir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries: temporary files were left", len(entries))
	}
}

// entry is a file of a crafted archive.
type entry struct {
	name string
	data string
	kind byte // tar.TypeReg when 0
}

// craft writes a gzip-compressed tar archive of entries; with manifest
// set, the manifest lists every regular entry but the manifest itself,
// changed by edit.
func craft(t *testing.T, entries []entry, manifest bool, edit func(*Manifest)) string {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	m := Manifest{Format: Format, PleinVersion: "test", SchemaVersion: 14, Created: time.Now().UTC()}
	write := func(e entry) {
		kind := e.kind
		if kind == 0 {
			kind = tar.TypeReg
		}
		h := &tar.Header{Typeflag: kind, Name: e.name, Mode: 0o600, Size: int64(len(e.data))}
		if kind != tar.TypeReg {
			h.Size, h.Linkname = 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if kind == tar.TypeReg {
			if _, err := tw.Write([]byte(e.data)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, e := range entries {
		write(e)
		if e.kind == 0 {
			sum := sha256.Sum256([]byte(e.data))
			m.Files = append(m.Files, File{Name: e.name, Size: int64(len(e.data)), SHA256: hex.EncodeToString(sum[:])})
		}
	}
	if manifest {
		if edit != nil {
			edit(&m)
		}
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		write(entry{name: ManifestName, data: string(data)})
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "crafted.tar.gz")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRestoreRefuses(t *testing.T) {
	t.Parallel()
	db := entry{name: "plein.db", data: "schema 14"}
	img := entry{name: "media/a1/large.jpg", data: "jpeg"}
	tests := []struct {
		name     string
		entries  []entry
		manifest bool
		edit     func(*Manifest)
		kind     error
		reason   string
	}{
		{"sound", []entry{db, img}, true, nil, nil, ""},
		{"no manifest", []entry{db, img}, false, nil, ErrNotBackup, "it has no manifest.json"},
		{"no database", []entry{img}, true, nil, ErrNotBackup, "it holds no database"},
		{"another format", []entry{db}, true, func(m *Manifest) { m.Format = 2 }, ErrNotBackup, "its format is 2; this Plein reads format 1"},
		{"a newer schema", []entry{{name: "plein.db", data: "schema 15"}}, true, func(m *Manifest) { m.SchemaVersion = 15 },
			ErrNewerSchema, "its database has schema version 15, and this Plein knows versions up to 14"},
		{"schema unlike the manifest's", []entry{{name: "plein.db", data: "schema 12"}}, true, nil, ErrDamaged,
			"its database has schema version 12, and its manifest says 14"},
		{"not a database", []entry{{name: "plein.db", data: "notes"}}, true, nil, ErrDamaged, "its database is not sound"},
		{"a file the manifest lacks", []entry{db, img}, true, func(m *Manifest) { m.Files = m.Files[:1] }, ErrDamaged,
			"it holds media/a1/large.jpg, which its manifest does not list"},
		{"a file that is missing", []entry{db}, true, func(m *Manifest) { m.Files = append(m.Files, File{Name: "media/x/y.jpg"}) },
			ErrDamaged, "media/x/y.jpg, which its manifest lists, is missing"},
		{"a wrong checksum", []entry{db, img}, true, func(m *Manifest) { m.Files[1].SHA256 = strings.Repeat("0", 64) },
			ErrDamaged, "media/a1/large.jpg does not match its checksum"},
		{"a file twice", []entry{db, img, img}, true, nil, ErrDamaged, "it holds media/a1/large.jpg twice"},
		{"a path out of the folder", []entry{db, {name: "media/../../evil", data: "x"}}, true, nil, ErrNotBackup, `it holds "media/../../evil"`},
		{"a parent path", []entry{db, {name: "../evil", data: "x"}}, true, nil, ErrNotBackup, `it holds "../evil"`},
		{"an absolute path", []entry{db, {name: "/tmp/evil", data: "x"}}, true, nil, ErrNotBackup, `it holds "/tmp/evil"`},
		{"another file", []entry{db, {name: "config.toml", data: "x"}}, true, nil, ErrNotBackup, `it holds "config.toml"`},
		{"a symbolic link", []entry{db, {name: "media/a1/link.jpg", kind: tar.TypeSymlink}}, true, nil, ErrNotBackup, `it holds "media/a1/link.jpg"`},
		{"a hard link", []entry{db, {name: "media/a1/link.jpg", kind: tar.TypeLink}}, true, nil, ErrNotBackup, `it holds "media/a1/link.jpg"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			archive := craft(t, tt.entries, tt.manifest, tt.edit)
			parent := t.TempDir()
			dir := filepath.Join(parent, "data")
			_, err := Restore(context.Background(), archive, target(dir))
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Restore: %v", err)
				}
				return
			}
			var be *Error
			if !errors.As(err, &be) || !errors.Is(err, tt.kind) || !strings.HasPrefix(be.Reason, tt.reason) {
				t.Fatalf("Restore: %v; want %v with reason %q", err, tt.kind, tt.reason)
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Errorf("a refused restore left %d entries", len(entries))
			}
		})
	}
}

func TestRestoreIntoExistingFolder(t *testing.T) {
	t.Parallel()
	archive := craft(t, []entry{{name: "plein.db", data: "schema 14"}}, true, nil)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(context.Background(), archive, target(dir)); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the folder: %v, %v; want it private", fi.Mode(), err)
	}
	_, err := Restore(context.Background(), archive, target(dir))
	if !errors.Is(err, ErrNotEmpty) {
		t.Errorf("restore over an installation: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "plein.db")); string(b) != "schema 14" {
		t.Errorf("the database was changed: %q", b)
	}
}

// TestRestoreDamagedStream flips, one at a time, the lowest and the
// highest bit of every byte of an archive after the gzip header's time,
// flags and system bytes (which carry no data). A flip is refused, or it
// fell on a bit that carries nothing (the padding after a deflate block,
// the length of a Huffman code no symbol uses): then the restored files
// are the original's. No flip restores changed data.
func TestRestoreDamagedStream(t *testing.T) {
	t.Parallel()
	files := map[string]string{"plein.db": "schema 14", "media/a1/large.jpg": strings.Repeat("jpeg ", 1000)}
	archive := craft(t, []entry{{name: "plein.db", data: files["plein.db"]}, {name: "media/a1/large.jpg", data: files["media/a1/large.jpg"]}}, true, nil)
	good, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	harmless := 0
	for i := 10; i < len(good); i++ {
		for _, bit := range []byte{0x01, 0x80} {
			bad := slices.Clone(good)
			bad[i] ^= bit
			path := filepath.Join(t.TempDir(), "bad.tar.gz")
			if err := os.WriteFile(path, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "data")
			_, err := Restore(context.Background(), path, target(dir))
			if errors.Is(err, ErrDamaged) || errors.Is(err, ErrNotBackup) {
				continue
			}
			if err != nil {
				t.Errorf("bit %#x of byte %d of %d flipped: %v", bit, i, len(good), err)
				continue
			}
			for name, want := range files {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
					t.Errorf("bit %#x of byte %d flipped: %s restored as %.20q, %v", bit, i, name, b, err)
				}
			}
			harmless++
		}
	}
	t.Logf("%d of %d flipped bits were refused; %d carried no data and restored the same files", 2*(len(good)-10)-harmless, 2*(len(good)-10), harmless)
}
