package archtest

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "plein"

// layers places every package; a package may import only packages of a
// lower layer. Keep it in step with docs/architecture.md.
var layers = map[string]int{
	"internal/model":           0,
	"internal/config":          0,
	"internal/i18n":            0,
	"internal/markup":          0,
	"internal/feed":            0,
	"internal/media":           0,
	"internal/privacyaudit":    0,
	"internal/jobs":            0,
	"internal/archtest":        0,
	"internal/store":           1,
	"internal/backup":          1,
	"internal/a11yaudit":       1,
	"internal/store/sqlstore":  2,
	"internal/store/sqlite":    3,
	"internal/store/postgres":  3,
	"internal/auth":            4,
	"internal/library":         4,
	"internal/org":             5,
	"internal/post":            5,
	"internal/retention":       5,
	"internal/analytics":       5,
	"internal/moderation":      5,
	"internal/accessibility":   5,
	"internal/demo":            6,
	"internal/federation":      6,
	"internal/activity":        0,
	"internal/httpsig":         0,
	"internal/safefetch":       0,
	"internal/chart":           0,
	"internal/insights":        0,
	"internal/loadgen":         0,
	"internal/privacy":         0,
	"internal/accesslog":       0,
	"internal/metrics":         0,
	"internal/licencecheck":    0,
	"internal/mail":            0,
	"internal/datadir":         0,
	"internal/keyring":         0,
	"internal/bluesky":         0,
	"internal/sensitive":       0,
	"internal/subscription":    6,
	"internal/contact":         6,
	"internal/archive":         6,
	"internal/fbimport":        6,
	"internal/crosspost":       6,
	"internal/web/middleware":  0,
	"internal/web/pagecache":   1,
	"internal/web/site":        7,
	"internal/web/staff":       7,
	"internal/web/activitypub": 7,
	"internal/web":             8,
	"internal/server":          9,
	"internal/cli":             10,
	"cmd/plein":                11,
	// Test support sits beside the layers it assembles.
	"internal/store/storetest": 4,
	"internal/pleintest":       10,
}

// domain packages hold Plein's logic; they know neither HTTP nor SQL.
var domain = []string{"internal/org", "internal/post", "internal/auth", "internal/analytics",
	"internal/retention", "internal/library", "internal/accessibility", "internal/subscription", "internal/contact", "internal/moderation", "internal/fbimport", "internal/crosspost"}

// forbiddenInDomain are the standard packages the domain packages must not
// import.
var forbiddenInDomain = []string{"net/http", "database/sql"}

// onlyFrom names packages that only some packages may import.
var onlyFrom = map[string][]string{
	"internal/store/sqlite":   {"internal/server", "internal/store/storetest"},
	"internal/store/postgres": {"internal/server", "internal/store/storetest"},
	"internal/store/sqlstore": {"internal/store/sqlite", "internal/store/postgres"},
	// Handlers stay thin: the web reaches data only through domain services.
	"internal/store": {"internal/store/sqlstore", "internal/store/sqlite", "internal/store/postgres",
		"internal/store/storetest", "internal/auth", "internal/org", "internal/post", "internal/retention", "internal/analytics", "internal/demo",
		"internal/federation", "internal/subscription", "internal/contact", "internal/moderation", "internal/archive", "internal/accessibility", "internal/crosspost", "internal/server"},
	"testing": {"internal/store/storetest", "internal/pleintest"},
}

func TestDependencyDirection(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var checked int
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() || d.Name() == "testdata" || d.Name() == "assets" {
				if d != nil && d.IsDir() && (d.Name() == "testdata" || d.Name() == "assets") {
					return filepath.SkipDir
				}
				return err
			}
			pkg, err := build.ImportDir(path, 0)
			if _, ok := err.(*build.NoGoError); ok {
				return nil
			}
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			layer, ok := layers[rel]
			if !ok {
				t.Errorf("%s is not placed in a layer: add it to layers here and to docs/architecture.md", rel)
				return nil
			}
			checked++
			for _, imp := range pkg.Imports {
				if slices.Contains(domain, rel) && slices.Contains(forbiddenInDomain, imp) {
					t.Errorf("%s imports %s: domain packages know neither HTTP nor SQL", rel, imp)
				}
				name, internal := strings.CutPrefix(imp, module+"/")
				if allowed, ok := onlyFrom[name]; ok && !slices.Contains(allowed, rel) {
					t.Errorf("%s imports %s, which only %v may import", rel, name, allowed)
				}
				if !internal {
					continue
				}
				if l, ok := layers[name]; !ok || l >= layer {
					t.Errorf("%s (layer %d) imports %s (layer %d): dependencies must point to lower layers", rel, layer, name, l)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 15 {
		t.Fatalf("checked only %d packages", checked)
	}
}
