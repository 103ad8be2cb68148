package keyring_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"plein/internal/keyring"
	"plein/internal/store/storetest"
)

// TestSecretIsMadeOnceAndShared makes a secret through two keyrings on one
// database, as two nodes do, on both engines: both read the same value,
// long enough to key an HMAC, and a second name gets another value.
func TestSecretIsMadeOnceAndShared(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			st := e.Open(t, e.NewDatabase(t), nil)
			nodes := []*keyring.Secret{keyring.New(st, "test_key"), keyring.New(st, "test_key")}
			got := make([][]byte, len(nodes))
			var wg sync.WaitGroup
			for i, n := range nodes {
				wg.Go(func() {
					b, err := n.Bytes(ctx)
					if err != nil {
						t.Error(err)
					}
					got[i] = b
				})
			}
			wg.Wait()
			if len(got[0]) < 32 || !bytes.Equal(got[0], got[1]) {
				t.Fatalf("the nodes read %q and %q; want one secret of at least 32 bytes", got[0], got[1])
			}
			other, err := keyring.New(st, "other_key").Bytes(ctx)
			if err != nil || bytes.Equal(other, got[0]) {
				t.Fatalf("another name: %q, %v; want another secret", other, err)
			}
		})
	}
}
