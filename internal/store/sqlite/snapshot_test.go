package sqlite_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"plein/internal/store"
	"plein/internal/store/sqlite"
)

// TestSnapshotUnderWrites copies a database while another connection
// keeps writing settings k0, k1, … one transaction each: the copy holds an
// unbroken run k0…kN, private to its owner, of the schema version this
// build knows, and the writer never waited for it to finish.
func TestSnapshotUnderWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "plein.db")
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	var written atomic.Int64
	stop := make(chan struct{})
	progress := make(chan int64, 1)
	done := make(chan error, 1)
	go func() {
		for i := int64(0); ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := s.PutSetting(ctx, "k"+strconv.FormatInt(i, 10), strconv.FormatInt(i, 10)); err != nil {
				done <- err
				return
			}
			written.Store(i + 1)
			select {
			case progress <- i + 1:
			default:
			}
		}
	}()
	waitFor := func(n int64) {
		t.Helper()
		for written.Load() < n {
			select {
			case <-progress:
			case err := <-done:
				t.Fatalf("writer stopped: %v", err)
			}
		}
	}
	waitFor(20)
	dst := filepath.Join(dir, "copy.db")
	if err := sqlite.Snapshot(ctx, path, dst); err != nil {
		t.Fatal(err)
	}
	after := written.Load()
	waitFor(after + 5) // writes went on after the copy was taken
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	fi, err := os.Stat(dst)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the copy has mode %v, want 0600", fi.Mode().Perm())
	}
	v, err := sqlite.Check(ctx, dst)
	if err != nil || v != sqlite.SchemaVersion() || v < 14 {
		t.Fatalf("Check: version %d, %v; this build knows %d", v, err, sqlite.SchemaVersion())
	}
	c, err := sqlite.Open(ctx, dst, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n := 0
	for ; ; n++ {
		if _, err := c.Setting(ctx, "k"+strconv.Itoa(n)); errors.Is(err, store.ErrNotFound) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if n < 20 || int64(n) > after {
		t.Errorf("the copy holds k0…k%d; written before it: at least 20, when it returned: %d", n-1, after)
	}
	for i := n; i < n+5; i++ {
		if _, err := c.Setting(ctx, "k"+strconv.Itoa(i)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the copy holds k%d after a gap at k%d: %v", i, n, err)
		}
	}
}

func TestSnapshotRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "plein.db")
	missing := filepath.Join(dir, "missing.db")
	if err := sqlite.Snapshot(ctx, missing, filepath.Join(dir, "a.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("snapshot of a missing database: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("snapshot made the missing database")
	}
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	existing := filepath.Join(dir, "existing")
	if err := os.WriteFile(existing, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Snapshot(ctx, path, existing); !errors.Is(err, fs.ErrExist) {
		t.Errorf("snapshot onto an existing file: %v", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Errorf("the existing file now holds %q", b)
	}
}

func TestCheckDamaged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "plein.db")
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, damage := range map[string]func([]byte) []byte{
		"not a database": func([]byte) []byte { return []byte("Notulen van de raadsvergadering\n") },
		"cut short":      func(b []byte) []byte { return b[:len(b)/2] },
		"bytes overwritten in a page": func(b []byte) []byte {
			c := append([]byte(nil), b...)
			for i := 4096 + 8; i < 4096+64; i++ {
				c[i] = 0xff
			}
			return c
		},
	} {
		t.Run(name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(bad, damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := sqlite.Check(ctx, bad); !errors.Is(err, sqlite.ErrDamaged) {
				t.Errorf("Check: %v, want ErrDamaged", err)
			}
		})
	}
}
