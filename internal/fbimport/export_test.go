package fbimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// writeZip writes a zip file of files and returns its name.
func writeZip(t *testing.T, files map[string][]byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "export.zip")
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for n, data := range files {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestExportLimits reads a zip bomb (a file of zeros that compresses a
// thousandfold) within the limits: a file over its own limit is refused
// from its stated size, the total limit stops reading, and a name that
// points outside the export is refused.
func TestExportLimits(t *testing.T) {
	t.Parallel()
	const posts = "this_profile's_activity_across_facebook/posts/profile_posts_1.json"
	bomb := make([]byte, 8<<20)
	name := writeZip(t, map[string][]byte{posts: []byte("[]"), "export/posts/media/bomb.bin": bomb})
	if fi, err := os.Stat(name); err != nil || fi.Size() > 1<<20 {
		t.Fatalf("the zip bomb takes %v bytes, %v", fi.Size(), err)
	}
	e, err := Open(name, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	found, _, err := e.files()
	if err != nil || len(found) != 1 || e.root != "" {
		t.Fatalf("files = %v, root %q, %v", found, e.root, err)
	}
	if _, problem, err := e.openFile("export/posts/media/bomb.bin", 1<<20); err != nil || problem == nil {
		t.Errorf("a file over its limit: problem %v, %v", problem, err)
	}
	f, problem, err := e.openFile("export/posts/media/bomb.bin", 16<<20)
	if err != nil || problem != nil {
		t.Fatalf("open: %v %v", problem, err)
	}
	n, err := io.Copy(io.Discard, f)
	f.Close()
	if !errors.Is(err, errTotal) || n > 4<<20+64<<10 {
		t.Errorf("read %d bytes of a 4 MiB export: %v, want errTotal", n, err)
	}
	for _, uri := range []string{"../../etc/passwd", "/etc/passwd", "https://example.org/x.png"} {
		if p, problem := e.resolve(uri); problem == nil && p != "etc/passwd" {
			t.Errorf("resolve(%q) = %q, no problem", uri, p)
		}
	}
	if _, problem := e.resolve("../x"); problem == nil {
		t.Error("resolve(../x): no problem")
	}
	if _, err := Open(writeZip(t, nil)+"-missing", 0); err == nil {
		t.Error("a missing export opened")
	}
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("geen zip"), 0o600)
	if _, err := Open(notZip, 0); !errors.Is(err, ErrNotExport) {
		t.Errorf("not a zip: %v", err)
	}
}
