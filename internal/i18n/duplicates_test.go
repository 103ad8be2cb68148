package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoKeyDefinedTwice reads the catalogue's source and fails when one
// message key is given a text in two places: the catalogue merges its
// maps at start-up, so one of the texts would win by chance.
func TestNoKeyDefinedTwice(t *testing.T) {
	consts := declaredKeys(t)
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if _, isMap := lit.Type.(*ast.MapType); !isMap {
				return true
			}
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok := keyOf(kv.Key, consts)
				if !ok {
					continue
				}
				at := fset.Position(kv.Pos()).String()
				if prior, dup := seen[key]; dup {
					t.Errorf("key %q has a text at %s and at %s", key, prior, at)
				}
				seen[key] = at
			}
			return false
		})
	}
	if len(seen) < 100 {
		t.Fatalf("read only %d keys; the test no longer understands the catalogue", len(seen))
	}
}

// keyOf returns the message key an entry of a catalogue map names: a
// string literal, a Key constant, or string(Key constant).
func keyOf(e ast.Expr, consts map[string]string) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.Ident:
		v, ok := consts[x.Name]
		return v, ok
	case *ast.CallExpr:
		if len(x.Args) == 1 {
			return keyOf(x.Args[0], consts)
		}
	}
	return "", false
}
