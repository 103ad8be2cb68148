package pleintest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadAxe(t *testing.T) {
	root := t.TempDir()
	if _, err := readAxe(root); !errors.Is(err, ErrAxeMissing) || !strings.Contains(err.Error(), AxeInstall) {
		t.Errorf("readAxe without axe-core: %v, want ErrAxeMissing naming %q", err, AxeInstall)
	}
	file := filepath.Join(root, filepath.FromSlash(AxeFile))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("window.axe = {};"), 0o644); err != nil {
		t.Fatal(err)
	}
	if src, err := readAxe(root); err != nil || src != "window.axe = {};" {
		t.Errorf("readAxe = %q, %v", src, err)
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "tools", "axe", "package.json")); err != nil {
		t.Errorf("module root %s has no tools/axe/package.json: %v", root, err)
	}
}
