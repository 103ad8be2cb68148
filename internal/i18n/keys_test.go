package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// declaredKeys returns the Key constants declared in this package, by name.
func declaredKeys(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Key" {
					continue
				}
				for i, n := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s: the Key %s is not a string literal", fset.Position(n.Pos()), n.Name)
					}
					v, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					keys[n.Name] = v
				}
			}
		}
	}
	if len(keys) == 0 {
		t.Fatal("no Key constants found")
	}
	return keys
}

// TestEveryKeyHasBothLanguages fails when a declared Key lacks Dutch or
// English text, or when two constants name the same key.
func TestEveryKeyHasBothLanguages(t *testing.T) {
	seen := map[string]string{}
	for name, key := range declaredKeys(t) {
		if other, ok := seen[key]; ok {
			t.Errorf("%s and %s are both %q", name, other, key)
		}
		seen[key] = name
		m, ok := messages[key]
		if !ok {
			t.Errorf("%s (%q) has no text", name, key)
			continue
		}
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s (%q) lacks a translation: %q", name, key, m)
		}
	}
}

// source is a Go file of Plein outside package i18n's tests.
type source struct {
	path string
	file *ast.File
	fset *token.FileSet
}

// pleinSources parses every non-test Go file under internal and cmd.
func pleinSources(t *testing.T) []source {
	t.Helper()
	var out []source
	fset := token.NewFileSet()
	for _, root := range []string{"..", filepath.Join("..", "..", "cmd")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			out = append(out, source{path: path, file: f, fset: fset})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestKeysUsedInCodeExist walks every call of i18n.M, i18n.T and
// model.Invalid in Plein's code, and every use of t in the templates: a
// message key named there must be in the catalogue, and i18n.M and
// model.Invalid must take a declared Key constant, never a string typed in
// place.
func TestKeysUsedInCodeExist(t *testing.T) {
	keys := declaredKeys(t)
	var calls, invalids int
	for _, src := range pleinSources(t) {
		inI18n := src.file.Name.Name == "i18n"
		pos := func(n ast.Node) string { return src.fset.Position(n.Pos()).String() }
		ast.Inspect(src.file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pkg, fn := callee(call)
			switch {
			case (pkg == "i18n" || inI18n && pkg == "") && fn == "M":
				calls++
				checkKeyArg(t, keys, call.Args, pos(call), inI18n)
			case (pkg == "i18n" || inI18n && pkg == "") && fn == "T" && len(call.Args) >= 2:
				calls++
				if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					key, _ := strconv.Unquote(lit.Value)
					if _, ok := messages[key]; !ok {
						t.Errorf("%s: i18n.T with %q, which the catalogue lacks", pos(call), key)
					}
				}
			case pkg == "model" && fn == "Invalid":
				invalids++
				if len(call.Args) != 2 {
					t.Errorf("%s: model.Invalid with %d arguments", pos(call), len(call.Args))
					return true
				}
				if m, ok := call.Args[1].(*ast.CallExpr); ok {
					if p, f := callee(m); p == "i18n" && f == "M" {
						return true // checked as an i18n.M call
					}
				}
				if _, ok := call.Args[1].(*ast.BasicLit); ok {
					t.Errorf("%s: model.Invalid with a string; give it i18n.M(key)", pos(call))
				}
			}
			return true
		})
	}
	if calls < 100 || invalids < 40 {
		t.Errorf("found only %d message calls and %d model.Invalid calls; is the walk still finding the code?", calls, invalids)
	}
}

// callee returns the package (or receiver) name and the function name of a
// call such as i18n.M(…) or M(…).
func callee(call *ast.CallExpr) (string, string) {
	switch f := call.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name, f.Sel.Name
		}
	case *ast.Ident:
		return "", f.Name
	}
	return "", ""
}

// checkKeyArg checks the first argument of i18n.M: a declared Key
// constant, or a variable holding one.
func checkKeyArg(t *testing.T, keys map[string]string, args []ast.Expr, pos string, inI18n bool) {
	t.Helper()
	if len(args) == 0 {
		t.Errorf("%s: i18n.M without a key", pos)
		return
	}
	switch a := args[0].(type) {
	case *ast.SelectorExpr:
		if x, ok := a.X.(*ast.Ident); ok && x.Name == "i18n" {
			if _, ok := keys[a.Sel.Name]; !ok {
				t.Errorf("%s: i18n.%s is not a declared Key", pos, a.Sel.Name)
			}
		}
	case *ast.Ident:
		if _, ok := keys[a.Name]; inI18n && !ok && a.Obj == nil {
			t.Errorf("%s: %s is not a declared Key", pos, a.Name)
		}
	case *ast.BasicLit:
		t.Errorf("%s: i18n.M(%s): name a declared Key constant instead of a string", pos, a.Value)
	}
}

// templateKey finds t with a literal key in a template: {{t .Lang "key"}}
// and (t $.Lang "key").
var templateKey = regexp.MustCompile(`[({]-?\s*t\s+[^\s"()]+\s+"([^"]+)"`)

func TestTemplateKeysExist(t *testing.T) {
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			n++
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s: the template uses %q, which the catalogue lacks", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("found only %d keys in templates; is the walk still finding them?", n)
	}
}
