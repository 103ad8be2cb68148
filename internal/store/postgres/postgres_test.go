package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"plein/internal/store"
	"plein/internal/store/postgres"
	"plein/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Engines()[1])
}

func TestOpenUnreachable(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://postgres@127.0.0.1:1/plein", postgres.Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot reach 127.0.0.1:1") {
		t.Fatalf("Open on a closed port: %v, want a clear unreachable error", err)
	}
}

// TestRefusesNewerSchema opens a database that a newer Plein migrated
// further than this build knows: Open refuses it and touches nothing.
func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewPostgresDatabase(t)
	s, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	const newer = 1_000_000 // beyond any migration
	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future.sql', now())`, newer); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, err = postgres.Open(ctx, url, postgres.Options{})
	if err == nil {
		s.Close()
		t.Fatal("opened a database with a newer schema")
	}
	if !errors.Is(err, store.ErrNewerSchema) || !strings.Contains(err.Error(), "schema version 1000000") {
		t.Fatalf("Open: %v, want ErrNewerSchema naming version 1000000", err)
	}
}
