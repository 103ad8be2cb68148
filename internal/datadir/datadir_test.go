package datadir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestPrivate(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir := filepath.Join(base, "data")
	outside := filepath.Join(base, "outside.txt")
	for _, e := range []struct {
		path string
		dir  bool
		mode fs.FileMode
	}{
		{"", true, 0o755},
		{"media", true, 0o755},
		{"media/a1", true, 0o750},
		{"media/a1/large.jpg", false, 0o644},
		{"media/a1/small.jpg", false, 0o400},
		{"plein.db", false, 0o664},
		{"plein.db-wal", false, 0o600},
		{"access-log", true, 0o700},
	} {
		path := filepath.Join(dir, e.path)
		var err error
		if e.dir {
			err = os.MkdirAll(path, 0o700)
		} else {
			err = os.WriteFile(path, []byte("x"), 0o600)
		}
		if err == nil {
			err = os.Chmod(path, e.mode)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(outside, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	// The data folder may itself be a symbolic link.
	link := filepath.Join(base, "data-link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if err := Private(link); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]fs.FileMode{
		"":                   0o700,
		"media":              0o700,
		"media/a1":           0o700,
		"media/a1/large.jpg": 0o600,
		"media/a1/small.jpg": 0o400, // private already: left alone
		"plein.db":           0o600,
		"plein.db-wal":       0o600,
		"access-log":         0o700,
	} {
		if got := perm(t, filepath.Join(dir, path)); got != want {
			t.Errorf("%q has mode %v, want %v", path, got, want)
		}
	}
	if got := perm(t, outside); got != 0o644 {
		t.Errorf("a file outside the folder, linked from it, has mode %v: the link was followed", got)
	}
}

func TestPrivateMissing(t *testing.T) {
	t.Parallel()
	err := Private(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Private of a missing folder: %v, want fs.ErrNotExist", err)
	}
}

func TestMake(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := Make(dir); err != nil {
		t.Fatal(err)
	}
	if got := perm(t, dir); got != DirMode {
		t.Errorf("made folder has mode %v", got)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Make(dir); err != nil {
		t.Fatal(err)
	}
	if got := perm(t, dir); got != DirMode {
		t.Errorf("existing folder keeps mode %v", got)
	}
}

func TestHasFiles(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		files []string
		want  bool
	}{
		{"missing folder", nil, false},
		{"empty folder", []string{"a1/"}, false},
		{"only a temporary file", []string{"a1/", "a1/.tmp-xyz"}, false},
		{"a media file", []string{"a1/", "a1/large.jpg"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "media")
			for _, f := range tt.files {
				path := filepath.Join(dir, f)
				if strings.HasSuffix(f, "/") {
					if err := os.MkdirAll(path, 0o700); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := HasFiles(dir)
			if err != nil || got != tt.want {
				t.Errorf("HasFiles = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
