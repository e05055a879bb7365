package apitext

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// used is every apitext.New call of the module's code: id -> English.
func used(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	out := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "node_modules" || name == "frontend" || (strings.HasPrefix(name, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		self := filepath.Base(filepath.Dir(path)) == "apitext"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isNew(call, self) {
				return true
			}
			if len(call.Args) < 2 {
				t.Errorf("%s: apitext.New needs an id and its English", fset.Position(call.Pos()))
				return true
			}
			id, ok1 := literal(call.Args[0])
			en, ok2 := literal(call.Args[1])
			if !ok1 || !ok2 {
				t.Errorf("%s: apitext.New's id and English must be literal strings, so this test can find them", fset.Position(call.Pos()))
				return true
			}
			if id == "" || strings.TrimSpace(en) == "" {
				t.Errorf("%s: empty id or English", fset.Position(call.Pos()))
			}
			if old, ok := out[id]; ok && old != en {
				t.Errorf("%s: id %q has two English texts: %q and %q", fset.Position(call.Pos()), id, old, en)
			}
			out[id] = en
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isNew(call *ast.CallExpr, self bool) bool {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		x, ok := fn.X.(*ast.Ident)
		return ok && x.Name == "apitext" && fn.Sel.Name == "New"
	case *ast.Ident:
		return self && fn.Name == "New"
	}
	return false
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// TestEveryTextTranslated: every text the code uses has its Spanish, with
// the same placeholders, and the catalog holds no text the code no longer
// uses.
func TestEveryTextTranslated(t *testing.T) {
	en := used(t)
	if len(en) < 100 {
		t.Fatalf("found only %d texts in the code: the search is broken", len(en))
	}
	for _, lang := range Languages[1:] {
		data, err := os.ReadFile(filepath.Join("locales", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(data, &cat); err != nil {
			t.Fatalf("locales/%s.json: %v", lang, err)
		}
		var missing []string
		for id, english := range en {
			tr, ok := cat[id]
			if !ok || strings.TrimSpace(tr) == "" {
				missing = append(missing, id)
				continue
			}
			if !slices.Equal(placeholders(tr), placeholders(english)) {
				t.Errorf("%s %q: placeholders %v, the English has %v", lang, id, placeholders(tr), placeholders(english))
			}
		}
		slices.Sort(missing)
		for _, id := range missing {
			t.Errorf("%s: no text for %q (English: %q)", lang, id, en[id])
		}
		for id := range cat {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: %q is not used by the code any more: remove it", lang, id)
			}
		}
	}
}
