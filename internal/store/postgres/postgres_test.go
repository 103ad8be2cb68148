package postgres_test

import (
	"context"
	"strings"
	"testing"

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
