// Package keyring keeps the installation's secrets: each is made at random
// the first time it is needed, stored in the installation's settings, and
// so the same on every node and after every restart.
package keyring

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
)

// Settings stores installation-wide values; store.Settings satisfies it.
type Settings interface {
	// InitSetting stores value under key unless the key already has a
	// value, and returns the value that is stored.
	InitSetting(ctx context.Context, key, value string) (string, error)
}

// Secret is one named secret of the installation. It is safe for
// concurrent use.
type Secret struct {
	settings Settings
	name     string

	mu    sync.Mutex
	value []byte // once read
}

// New returns the secret stored in settings under name.
func New(settings Settings, name string) *Secret {
	return &Secret{settings: settings, name: name}
}

// Bytes returns the secret, making and storing it on first use. When two
// nodes make it at once, both get the one that was stored first.
func (s *Secret) Bytes(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.value == nil {
		stored, err := s.settings.InitSetting(ctx, s.name, rand.Text()+rand.Text())
		if err != nil {
			return nil, fmt.Errorf("keyring: %s: %w", s.name, err)
		}
		s.value = []byte(stored)
	}
	return s.value, nil
}
