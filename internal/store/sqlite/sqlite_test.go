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
	"time"

	"github.com/riverqueue/river"

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

type probeArgs struct{}

func (probeArgs) Kind() string { return "sqlite_probe" }

type probeWorker struct {
	river.WorkerDefaults[probeArgs]
	ran chan struct{}
}

func (w *probeWorker) Work(context.Context, *river.Job[probeArgs]) error {
	w.ran <- struct{}{}
	return nil
}

// TestJobsOfAStoppedProcess leaves a job marked running, as a process that
// was killed while working it does, and starts the jobs again: the job runs
// at once, not after the rescue delay. While one store works the jobs of a
// database, a second one opened on the same file cannot.
func TestJobsOfAStoppedProcess(t *testing.T) {
	ctx := context.Background()
	path := storetest.NewSQLiteDatabase(t)
	workers := river.NewWorkers()
	w := &probeWorker{ran: make(chan struct{}, 1)}
	river.AddWorker(workers, w)
	first, err := sqlite.Open(ctx, path, sqlite.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.InTx(ctx, func(tx store.Tx) error { return tx.EnqueueJob(ctx, probeArgs{}, nil) }); err != nil {
		t.Fatal(err)
	}
	first.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE river_job SET state = 'running', attempt = 1, attempted_at = CURRENT_TIMESTAMP`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := sqlite.Open(ctx, path, sqlite.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.StartJobs(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.StopJobs(sctx); err != nil {
			t.Errorf("StopJobs: %v", err)
		}
	})
	// River's rescuer would hand the job back after 90 s; within half of
	// that it can only have been StartJobs.
	select {
	case <-w.ran:
	case <-time.After(45 * time.Second):
		t.Fatal("the job left running by a stopped process did not run again within 45 s")
	}

	other, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.StartJobs(ctx); !errors.Is(err, store.ErrDatabaseInUse) {
		t.Fatalf("a second store started the jobs of a database another one works: %v, want ErrDatabaseInUse", err)
	}
}
