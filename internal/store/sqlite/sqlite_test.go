package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"plein/internal/store"
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

// TestRefusesNewerSchema opens a database that a newer Plein migrated
// further than this build knows: Open refuses it and touches nothing.
func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := storetest.NewSQLiteDatabase(t)
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	newer := sqlite.SchemaVersion() + 1
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future.sql', CURRENT_TIMESTAMP)`, newer); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	}
	if !errors.Is(err, store.ErrNewerSchema) || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d", newer)) {
		t.Fatalf("Open: %v, want ErrNewerSchema naming version %d", err, newer)
	}
}
