// Package apitexttest checks a catalog of package apitext against the code
// that uses it: every text the code says has its translation in every
// language, with the same placeholders, and the catalog holds nothing the
// code no longer says.
package apitexttest

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

	"clientportal/server/apitext"
)

// Used is one text the code says: its English (other, and one for a
// plural).
type Used struct {
	English, One string
	Plural       bool
	Where        string
}

// Find lists every apitext.New and apitext.Plural call under root (Go files
// other than tests; dirs for which skip is true are left out), by id. Each
// call's id and English must be literal strings.
func Find(t testing.TB, root string, skip func(dir string) bool) map[string]Used {
	t.Helper()
	out := map[string]Used{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "node_modules" || strings.HasPrefix(name, ".") || skip != nil && skip(path)) {
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
		self := f.Name.Name == "apitext"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := called(call, self)
			if fn == "" {
				return true
			}
			where := fset.Position(call.Pos()).String()
			want := 2
			if fn == "Plural" {
				want = 4
			}
			if len(call.Args) < want {
				t.Errorf("%s: apitext.%s needs an id and its English", where, fn)
				return true
			}
			var lits []string
			for _, a := range call.Args[:want-btoi(fn == "Plural")] {
				s, ok := literal(a)
				if !ok {
					t.Errorf("%s: apitext.%s's id and English must be literal strings, so this check can find them", where, fn)
					return true
				}
				lits = append(lits, s)
			}
			u := Used{English: lits[1], Where: where}
			if fn == "Plural" {
				u = Used{One: lits[1], English: lits[2], Plural: true, Where: where}
			}
			if lits[0] == "" || strings.TrimSpace(u.English) == "" {
				t.Errorf("%s: empty id or English", where)
			}
			if old, ok := out[lits[0]]; ok && (old.English != u.English || old.One != u.One) {
				t.Errorf("%s: id %q has two English texts: %q (%s) and %q", where, lits[0], old.English, old.Where, u.English)
			}
			out[lits[0]] = u
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func called(call *ast.CallExpr, self bool) string {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok && x.Name == "apitext" && (fn.Sel.Name == "New" || fn.Sel.Name == "Plural") {
			return fn.Sel.Name
		}
	case *ast.Ident:
		if self && (fn.Name == "New" || fn.Name == "Plural") {
			return fn.Name
		}
	}
	return ""
}

func literal(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD { // "..." + "..."
		x, okx := literal(b.X)
		y, oky := literal(b.Y)
		return x + y, okx && oky
	}
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// placeholder finds {{.Name}}, and {{lowerFirst .Name}}.
var placeholder = regexp.MustCompile(`\{\{\s*(?:\w+\s+)?\.(\w+)\s*\}\}`)

func placeholders(texts ...string) []string {
	var names []string
	for _, s := range texts {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// pluralForms are the forms a plural text needs in each language (CLDR's).
var pluralForms = map[string][]string{"es": {"one", "many", "other"}}

// Check fails t unless every text of used has its translation in each of
// apitext.Languages but English, in dir/<lang>.json, with the English's
// placeholders; and each catalog holds only texts of used.
func Check(t testing.TB, used map[string]Used, dir string) {
	t.Helper()
	for _, lang := range apitext.Languages[1:] {
		data, err := os.ReadFile(filepath.Join(dir, lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]json.RawMessage
		if err := json.Unmarshal(data, &cat); err != nil {
			t.Fatalf("%s/%s.json: %v", dir, lang, err)
		}
		var missing []string
		for id, u := range used {
			raw, ok := cat[id]
			if !ok {
				missing = append(missing, id)
				continue
			}
			var forms []string
			if u.Plural {
				var p map[string]string
				if err := json.Unmarshal(raw, &p); err != nil {
					t.Errorf("%s %q: want an object of plural forms: %v", lang, id, err)
					continue
				}
				for _, f := range pluralForms[lang] {
					if strings.TrimSpace(p[f]) == "" {
						t.Errorf("%s %q: no %q form", lang, id, f)
					}
					forms = append(forms, p[f])
				}
			} else {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil || strings.TrimSpace(s) == "" {
					t.Errorf("%s %q: want a text", lang, id)
					continue
				}
				forms = []string{s}
			}
			want := placeholders(u.English, u.One)
			for _, f := range forms {
				got := placeholders(f)
				// A plural may leave out the count ("un mensaje nuevo").
				if u.Plural {
					got = placeholders(append([]string{f}, "{{.Count}}")...)
					want = placeholders(u.English, u.One, "{{.Count}}")
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s %q: placeholders %v, the English has %v", lang, id, got, want)
				}
			}
		}
		slices.Sort(missing)
		for _, id := range missing {
			t.Errorf("%s: no text for %q (English: %q, %s)", lang, id, used[id].English, used[id].Where)
		}
		for id := range cat {
			if _, ok := used[id]; !ok {
				t.Errorf("%s: %q is not used by the code any more: remove it", lang, id)
			}
		}
	}
}
