package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func newLocalStore(t *testing.T) (*LocalStore, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "media")
	s, err := NewLocalStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestLocalStore(t *testing.T) {
	testStore(t, func(t *testing.T) Store {
		s, _ := newLocalStore(t)
		return s
	})
}

// testStore checks the behaviour every Store implementation must have.
func testStore(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()

	t.Run("round trip", func(t *testing.T) {
		s := newStore(t)
		tests := []struct{ key, contentType string }{
			{"a1b2/large.jpg", TypeJPEG},
			{"a1b2/small.png", TypePNG},
		}
		for _, tt := range tests {
			data := []byte("pixels of " + tt.key)
			before := time.Now().Add(-time.Second)
			if err := s.Put(ctx, tt.key, tt.contentType, data); err != nil {
				t.Fatalf("Put(%s): %v", tt.key, err)
			}
			obj, err := s.Open(ctx, tt.key)
			if err != nil {
				t.Fatalf("Open(%s): %v", tt.key, err)
			}
			got, err := io.ReadAll(obj)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("Open(%s) read %q, want %q", tt.key, got, data)
			}
			if obj.ContentType() != tt.contentType {
				t.Errorf("ContentType = %q, want %q", obj.ContentType(), tt.contentType)
			}
			if obj.Size() != int64(len(data)) {
				t.Errorf("Size = %d, want %d", obj.Size(), len(data))
			}
			if mt := obj.ModTime(); mt.Before(before) || mt.After(time.Now().Add(time.Second)) {
				t.Errorf("ModTime = %v, want about now", mt)
			}
			if _, err := obj.Seek(7, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(obj)
			if !bytes.Equal(rest, data[7:]) {
				t.Errorf("after Seek(7) read %q, want %q", rest, data[7:])
			}
			if err := obj.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
	})

	t.Run("Put replaces", func(t *testing.T) {
		s := newStore(t)
		for _, data := range []string{"first version", "second"} {
			if err := s.Put(ctx, "x/large.jpg", TypeJPEG, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		obj, err := s.Open(ctx, "x/large.jpg")
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		if got, _ := io.ReadAll(obj); string(got) != "second" {
			t.Errorf("read %q, want %q", got, "second")
		}
	})

	t.Run("absent", func(t *testing.T) {
		s := newStore(t)
		if err := s.Put(ctx, "x/large.jpg", TypeJPEG, []byte("x")); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"x/small.jpg", "x/large.png", "nothing/large.jpg"} {
			if _, err := s.Open(ctx, key); !errors.Is(err, ErrNotFound) {
				t.Errorf("Open(%s): %v, want ErrNotFound", key, err)
			}
		}
	})

	t.Run("Delete is idempotent", func(t *testing.T) {
		s := newStore(t)
		if err := s.Put(ctx, "x/large.jpg", TypeJPEG, []byte("x")); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if err := s.Delete(ctx, "x/large.jpg"); err != nil {
				t.Fatalf("Delete #%d: %v", i+1, err)
			}
			if _, err := s.Open(ctx, "x/large.jpg"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Open after Delete: %v, want ErrNotFound", err)
			}
		}
		if err := s.Delete(ctx, "never/large.jpg"); err != nil {
			t.Errorf("Delete of a key never stored: %v", err)
		}
		if err := s.Put(ctx, "x/large.jpg", TypeJPEG, []byte("again")); err != nil {
			t.Errorf("Put after Delete: %v", err)
		}
	})

	t.Run("invalid keys", func(t *testing.T) {
		s := newStore(t)
		keys := []string{
			"", "a", "a.jpg", "a/b", "a/b.", "a/.jpg", "/b.jpg", "a/",
			"/a/b.jpg", "../b.jpg", "a/../b.jpg", "a/..", "..", "../../etc/passwd",
			"a/b/c.jpg", "a//b.jpg", "a/b.jpg/", "./a/b.jpg", "a/./b.jpg",
			"A/b.jpg", "a/B.jpg", "a/b.JPG", "a/b.jpeg", "a/b.gif", "a/b.svg", "a/b.jpg.png",
			"a-1/b.jpg", "a_1/b.jpg", "a 1/b.jpg", "a\\b.jpg", "a/b.jpg\x00", "a\x00/b.jpg",
			"é/b.jpg", "a/b.jpg\n", " a/b.jpg",
			strings.Repeat("a", maxSegment+1) + "/b.jpg",
		}
		for _, key := range keys {
			if err := s.Put(ctx, key, TypeJPEG, []byte("x")); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Put(%q): %v, want ErrInvalidKey", key, err)
			}
			if _, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Open(%q): %v, want ErrInvalidKey", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Delete(%q): %v, want ErrInvalidKey", key, err)
			}
		}
		long := strings.Repeat("a", maxSegment) + "/" + strings.Repeat("b", maxSegment) + ".png"
		if err := s.Put(ctx, long, TypePNG, []byte("x")); err != nil {
			t.Errorf("Put of a key with the longest segments: %v", err)
		}
	})

	t.Run("content type must match the key", func(t *testing.T) {
		s := newStore(t)
		for _, ct := range []string{TypePNG, "", "image/gif", "text/html"} {
			if err := s.Put(ctx, "x/large.jpg", ct, []byte("x")); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Put(x/large.jpg, %q): %v, want ErrInvalidKey", ct, err)
			}
		}
		if _, err := s.Open(ctx, "x/large.jpg"); !errors.Is(err, ErrNotFound) {
			t.Errorf("refused Put stored something: Open: %v", err)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, "x/large.jpg", TypeJPEG, []byte("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("Put: %v, want context.Canceled", err)
		}
		if _, err := s.Open(cctx, "x/large.jpg"); !errors.Is(err, context.Canceled) {
			t.Errorf("Open: %v, want context.Canceled", err)
		}
		if err := s.Delete(cctx, "x/large.jpg"); !errors.Is(err, context.Canceled) {
			t.Errorf("Delete: %v, want context.Canceled", err)
		}
	})

	t.Run("readers never see a partial object", func(t *testing.T) {
		s := newStore(t)
		versions := [][]byte{bytes.Repeat([]byte("a"), 256<<10), bytes.Repeat([]byte("b"), 128<<10)}
		if err := s.Put(ctx, "x/large.jpg", TypeJPEG, versions[0]); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 20 {
					if err := s.Put(ctx, "x/large.jpg", TypeJPEG, versions[(w+i)%2]); err != nil {
						t.Errorf("Put: %v", err)
						return
					}
				}
			})
		}
		for range 4 {
			wg.Go(func() {
				for range 40 {
					obj, err := s.Open(ctx, "x/large.jpg")
					if err != nil {
						t.Errorf("Open: %v", err)
						return
					}
					got, err := io.ReadAll(obj)
					obj.Close()
					if err != nil {
						t.Errorf("read: %v", err)
						return
					}
					if !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) {
						t.Errorf("read %d bytes that are neither version", len(got))
						return
					}
				}
			})
		}
		wg.Wait()
	})
}

func TestLocalStoreFiles(t *testing.T) {
	ctx := context.Background()
	s, dir := newLocalStore(t)
	if err := s.Put(ctx, "a1/large.jpg", TypeJPEG, []byte("jpeg bytes")); err != nil {
		t.Fatal(err)
	}

	got, err := os.ReadFile(filepath.Join(dir, "a1", "large.jpg"))
	if err != nil || string(got) != "jpeg bytes" {
		t.Fatalf("file on disk: %q, %v", got, err)
	}
	for path, want := range map[string]fs.FileMode{".": fs.ModeDir | 0o700, "a1": fs.ModeDir | 0o700, "a1/large.jpg": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, path))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s has mode %v, want %v", path, fi.Mode(), want)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "a1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only large.jpg (no temporary files)", names)
	}
}

func TestLocalStoreStaysInsideItsDirectory(t *testing.T) {
	ctx := context.Background()
	s, dir := newLocalStore(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.jpg"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "evil")); err != nil {
		t.Skipf("cannot create symbolic links: %v", err)
	}

	if err := s.Put(ctx, "evil/large.jpg", TypeJPEG, []byte("x")); err == nil {
		t.Error("Put through a symbolic link out of the store succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "large.jpg")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file written outside the store: %v", err)
	}
	if obj, err := s.Open(ctx, "evil/secret.jpg"); err == nil {
		obj.Close()
		t.Error("Open through a symbolic link out of the store succeeded")
	}
	if err := s.Delete(ctx, "evil/secret.jpg"); err == nil {
		if _, err := os.Stat(filepath.Join(outside, "secret.jpg")); err != nil {
			t.Errorf("Delete removed a file outside the store: %v", err)
		}
	}
}

func TestNewLocalStore(t *testing.T) {
	t.Run("creates the directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b")
		s, err := NewLocalStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Errorf("directory not created: %v", err)
		}
	})
	t.Run("refuses", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, dir := range []string{"", file} {
			if s, err := NewLocalStore(dir); err == nil {
				s.Close()
				t.Errorf("NewLocalStore(%q) succeeded", dir)
			}
		}
	})
}

func ExampleLocalStore() {
	dir, _ := os.MkdirTemp("", "media")
	defer os.RemoveAll(dir)
	store, err := NewLocalStore(dir)
	if err != nil {
		panic(err)
	}
	defer store.Close()

	ctx := context.Background()
	_ = store.Put(ctx, "3f9a/small.png", "image/png", []byte("…"))
	obj, err := store.Open(ctx, "3f9a/small.png")
	if err != nil {
		panic(err)
	}
	defer obj.Close()
	fmt.Println(obj.ContentType(), obj.Size())
	// Output: image/png 3
}
