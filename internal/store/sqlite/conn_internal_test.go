package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

func openDB(t *testing.T, path string, busyTimeout string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout("+busyTimeout+")&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMapError maps errors the SQLite driver really returns.
func TestMapError(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plein.db")
	db := openDB(t, path, "0")
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO t (name) VALUES ('a')`); err != nil {
		t.Fatal(err)
	}
	c := conn{q: db}
	check := func(name string, err, want error) {
		t.Helper()
		var got error
		for _, s := range []error{store.ErrNotFound, store.ErrAlreadyExists, store.ErrUnavailable} {
			if errors.Is(err, s) {
				got = s
			}
		}
		if got != want {
			t.Errorf("%s: %v, want sentinel %v", name, err, want)
		}
		if again := mapError(err); err != nil && again.Error() != err.Error() {
			t.Errorf("%s: mapping twice gives %q", name, again)
		}
	}
	var name string
	check("no row", c.QueryRow(ctx, `SELECT name FROM t WHERE id = 99`).Scan(&name), store.ErrNotFound)
	_, err := c.Exec(ctx, `INSERT INTO t (name) VALUES ('a')`)
	check("unique violation", err, store.ErrAlreadyExists)
	_, err = c.Exec(ctx, `INSERT INTO nope VALUES (1)`)
	check("no such table", err, nil)

	// Another connection holds the write lock: busy.
	holder, err := openDB(t, path, "0").Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if _, err := holder.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	_, err = c.Exec(ctx, `INSERT INTO t (name) VALUES ('b')`)
	check("busy", err, store.ErrUnavailable)
	if _, err := holder.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}

	// The file cannot be opened: its folder is gone.
	gone := openDB(t, filepath.Join(t.TempDir(), "missing", "plein.db"), "0")
	check("cannot open", mapError(gone.PingContext(ctx)), store.ErrUnavailable)

	check("deadline", mapError(context.DeadlineExceeded), store.ErrUnavailable)
	check("cancelled", mapError(context.Canceled), nil)
	if mapError(nil) != nil {
		t.Error("mapError(nil) is not nil")
	}
	if !errors.Is(mapError(context.DeadlineExceeded), model.ErrUnavailable) {
		t.Error("store.ErrUnavailable is not model.ErrUnavailable")
	}
}

func TestReadOnlyStatements(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  bool
	}{
		{"SELECT 1", true},
		{"\n\t  select id FROM orgs", true},
		{"INSERT INTO t VALUES (1) RETURNING id", false},
		{"UPDATE hosts SET failures = failures + 1 RETURNING failures", false},
		{"WITH x AS (SELECT 1) DELETE FROM t", false},
		{"SELEC", false},
		{"", false},
	} {
		if got := readOnly(tc.query); got != tc.want {
			t.Errorf("readOnly(%q) = %v, want %v", tc.query, got, tc.want)
		}
	}
}

// TestReadsDoNotWaitForTheWriter holds a write transaction open and reads
// outside it: the read is answered from a read-only connection at once,
// with the last committed state, instead of queueing behind the writer.
func TestReadsDoNotWaitForTheWriter(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plein.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, err := s.ChangeVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inTx, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.InTx(ctx, func(tx store.Tx) error {
			if err := tx.MarkChanged(ctx); err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx
	readCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	during, err := s.ChangeVersion(readCtx)
	close(release)
	if err != nil {
		t.Fatalf("read while a write transaction is open: %v", err)
	}
	if during != before {
		t.Errorf("read saw version %d inside an uncommitted transaction; committed is %d", during, before)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	after, err := s.ChangeVersion(ctx)
	if err != nil || after != before+1 {
		t.Errorf("after commit: version %d (%v), want %d", after, err, before+1)
	}
}
