package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBox(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "bluesky.key")
	file := NewBox("bluesky", "", path)
	sealed, err := file.Seal("org1", "abcd-efgh-ijkl-mnop")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "abcd") {
		t.Fatalf("sealed value %q holds the secret", sealed)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	// Another Box on the same file (another process) opens it.
	if got, err := NewBox("bluesky", "", path).Open("org1", sealed); err != nil || got != "abcd-efgh-ijkl-mnop" {
		t.Errorf("Open = %q, %v", got, err)
	}
	for name, open := range map[string]func() (string, error){
		"other context": func() (string, error) { return file.Open("org2", sealed) },
		"other purpose": func() (string, error) { return NewBox("totp", "", path).Open("org1", sealed) },
		"other key":     func() (string, error) { return NewBox("bluesky", strings.Repeat("k", 32), path).Open("org1", sealed) },
		"damaged":       func() (string, error) { return file.Open("org1", sealed[:len(sealed)-2]) },
		"not base64":    func() (string, error) { return file.Open("org1", "!!") },
	} {
		if got, err := open(); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: Open = %q, %v; want ErrDamaged", name, got, err)
		}
	}

	env := NewBox("bluesky", strings.Repeat("k", 32), filepath.Join(dir, "unused.key"))
	s2, err := env.Seal("org1", "geheim")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := env.Open("org1", s2); err != nil || got != "geheim" {
		t.Errorf("environment key: Open = %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "unused.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was made although the environment has a key: %v", err)
	}
	if _, err := NewBox("bluesky", "short", path).Seal("org1", "x"); err == nil {
		t.Error("a key of 5 characters was accepted")
	}
}
