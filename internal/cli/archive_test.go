package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveExportImport exports an organisation with its WARC files on
// the command line and imports it into another installation, refusing a
// file of another organisation and a second import.
func TestArchiveExportImport(t *testing.T) {
	src := newInst(t)
	src.ok("org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	src.ok("post", "create", "--org", "ede", "--text", "Het gemeentehuis is dicht op maandag.")
	file := filepath.Join(t.TempDir(), "ede.zip")
	out := src.ok("archive", "export", "--org", "ede", "--out", file, "--warc")
	for _, want := range []string{"archived @ede to " + file, "1 posts (0 deleted) with 1 versions", "1 WARC files with"} {
		if !strings.Contains(out, want) {
			t.Errorf("export output lacks %q: %s", want, out)
		}
	}
	fails(t, src.run("", "archive", "export", "--org", "ede"), 2, "--out")
	fails(t, src.run("", "archive", "export", "--org", "nergens", "--out", file), 1, `no organisation has the handle "nergens"`)
	fails(t, src.run("", "archive", "export", "--org", "ede", "--out", filepath.Join(t.TempDir(), "weg", "ede.zip")), 1, "does not exist")

	dst := newInst(t)
	fails(t, dst.run("", "archive", "import", "--org", "zwolle", file), 2, "holds @ede, not @zwolle")
	fails(t, dst.run("", "archive", "import", filepath.Join(src.data, "plein.db")), 1, "is not an archive written by plein archive export")
	out = dst.ok("archive", "import", "--org", "ede", file)
	if !strings.Contains(out, "imported @ede: 1 posts with 1 versions") {
		t.Errorf("import output: %s", out)
	}
	if list := dst.ok("org", "list"); !strings.Contains(list, "Gemeente Ede") {
		t.Errorf("the imported organisation is not listed:\n%s", list)
	}
	fails(t, dst.run("", "archive", "import", file), 1, "nothing was imported")
}
