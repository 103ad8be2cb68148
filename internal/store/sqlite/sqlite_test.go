package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"plein/internal/store/sqlite"
	"plein/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Engines()[0])
}

// TestOpenPathWithURICharacters opens a database in a folder whose name
// holds the characters that end a path in a file: URI: the file is made
// exactly there, not at a shortened path another installation may share.
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plein#1?x=2%")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plein.db")
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d entries beside the data folder, want only it", len(entries))
	}
}
