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

// TestAddressLookupUsesUniqueIndex checks the plan of looking a subscriber
// up by organisation and address on a new, never analysed table, as during
// a first import: it must use the unique index, not one that reads every
// subscription of the organisation, which made a first import of n
// addresses take time in proportion to n squared.
func TestAddressLookupUsesUniqueIndex(t *testing.T) {
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
	defer conn.Close(ctx)
	for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
		if _, err := conn.Exec(ctx, "SET plan_cache_mode = "+mode); err != nil {
			t.Fatal(err)
		}
		var plan strings.Builder
		rows, err := conn.Query(ctx, `EXPLAIN SELECT id FROM subscriptions WHERE org_id = $1 AND email_hash = $2`, "org", "hash")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(line + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan.String(), "subscriptions_org_id_email_hash_key") || strings.Contains(plan.String(), "Filter") {
			t.Errorf("%s: the look-up by address does not use the unique index alone:\n%s", mode, plan.String())
		}
	}
}
