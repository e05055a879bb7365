package portal

import (
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"clientportal/server/docstore"
)

func testCatalog(t *testing.T) *catalog {
	t.Helper()
	c, err := loadCatalog(files, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func catalogKeys(t *testing.T, code string) map[string]string {
	t.Helper()
	data, err := fs.ReadFile(files, "locales/"+code+".json")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keysIn(data)
	if err != nil {
		t.Fatalf("locales/%s.json: %v", code, err)
	}
	return keys
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// TestCatalogsMatch: every message exists in every language, is not empty,
// and uses the same placeholders.
func TestCatalogsMatch(t *testing.T) {
	en := catalogKeys(t, "en")
	for _, code := range langCodes[1:] {
		other := catalogKeys(t, code)
		for k, msg := range en {
			o, ok := other[k]
			if !ok {
				t.Errorf("%s.json lacks %q", code, k)
				continue
			}
			if o == "" || msg == "" {
				t.Errorf("%q is empty in en or %s", k, code)
			}
			if a, b := placeholders(msg), placeholders(o); !slices.Equal(a, b) {
				t.Errorf("%q: placeholders %v in en, %v in %s", k, a, b, code)
			}
		}
		for k := range other {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.json has %q, which en.json lacks", code, k)
			}
		}
	}
	if err := checkCatalogs(files); err != nil {
		t.Errorf("checkCatalogs: %v", err)
	}
}

func placeholders(msg string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestUsedMessagesExist: every message id the templates and the Go code name
// is in the catalogs, and every catalog message is used somewhere.
func TestUsedMessagesExist(t *testing.T) {
	en := catalogKeys(t, "en")
	used := map[string]bool{}
	inTemplates := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	entries, err := fs.Glob(files, "templates/*.html")
	if err != nil || len(entries) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, name := range entries {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inTemplates.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
	}
	// Go code names messages as string literals passed to T, plus the error
	// pages (error.KIND.title/text) and the generated month and nav names.
	var src []byte
	goFiles, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range goFiles {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	for _, m := range regexp.MustCompile(`\.T\("([a-z0-9_.]+)"[,)]`).FindAllStringSubmatch(string(src), -1) {
		used[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`http\.Status\w+, "([a-z]+)"\)`).FindAllStringSubmatch(string(src), -1) {
		used["error."+m[1]+".title"], used["error."+m[1]+".text"] = true, true
	}
	for _, k := range []string{"nav.status", "nav.history", "nav.contact"} {
		used[k] = true
	}
	for _, k := range docstore.KindNames() { // upload.go's kindList
		used["upload.kind."+k] = true
	}
	for m := 1; m <= 12; m++ {
		used["month."+strconv.Itoa(m)] = true
	}
	for _, k := range slices.Sorted(maps.Keys(used)) {
		if _, ok := en[k]; !ok {
			t.Errorf("message %q is used but not in the catalog", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(en)) {
		if !used[k] {
			t.Errorf("message %q is in the catalog but not used", k)
		}
	}
	if len(used) < 40 {
		t.Errorf("found only %d used messages: the scan is broken", len(used))
	}
}

func TestTranslate(t *testing.T) {
	c := testCatalog(t)
	if got := c.tr("en").T("layout.signed_in", "Name", "Amina <b>"); got != "Signed in as Amina <b>" {
		t.Errorf("en signed_in: %q", got)
	}
	if got := c.tr("es").T("nav.history"); got != "Historial" {
		t.Errorf("es nav.history: %q", got)
	}
	if got := c.tr("fr").T("nav.history"); got != "History" {
		t.Errorf("unknown language: %q, want English", got)
	}
	if got := c.tr("es").T("no.such.message"); got != "no.such.message" {
		t.Errorf("missing message: %q, want its id", got)
	}
	if c.langName("en") != "English" || c.langName("es") != "Español" {
		t.Errorf("language names %q %q", c.langName("en"), c.langName("es"))
	}
}

func TestDates(t *testing.T) {
	c := testCatalog(t)
	day := time.Date(2027, time.January, 14, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang string
		d    time.Time
		want string
	}{
		{"en", day, "14 January 2027"},
		{"es", day, "14 de enero de 2027"},
		{"en", time.Date(2026, time.September, 3, 0, 0, 0, 0, time.UTC), "3 September 2026"},
		{"es", time.Date(2026, time.December, 31, 0, 0, 0, 0, time.UTC), "31 de diciembre de 2026"},
		// A day is a UTC day, wherever the server runs.
		{"en", time.Date(2027, time.January, 14, 0, 0, 0, 0, time.UTC).In(time.FixedZone("west", -8*3600)), "14 January 2027"},
	} {
		if got := c.tr(tc.lang).Date(tc.d); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
	if got := isoDate(day); got != "2027-01-14" {
		t.Errorf("isoDate: %q", got)
	}
}

func TestPickLanguage(t *testing.T) {
	for _, tc := range []struct {
		pref, cookie, accept, want string
	}{
		{"", "", "", "en"},
		{"es", "", "", "es"},
		{"es-MX", "", "", "es"},
		{"en", "es", "es", "en"},
		{"", "es", "en", "es"},
		{"", "fr", "es", "es"},
		{"", "", "es-419,es;q=0.9", "es"},
		{"", "", "fr-CA,fr;q=0.9", "en"},
		{"", "", "fr;q=0.9,es;q=0.5", "es"},
		{"", "", "de, en-GB;q=0.8", "en"},
		{"", "", "*", "en"},
		{"", "", "garbage;;;q=x", "en"},
		{"zz", "", "es", "es"},
		{"fr", "", "", "en"},
	} {
		if got := pickLanguage(tc.pref, tc.cookie, tc.accept); got != tc.want {
			t.Errorf("pickLanguage(%q, %q, %q) = %q, want %q", tc.pref, tc.cookie, tc.accept, got, tc.want)
		}
	}
}

func TestParseID(t *testing.T) {
	for s, want := range map[string]uint64{"1": 1, "42": 42, "18446744073709551615": 1<<64 - 1} {
		if got, ok := parseID(s); !ok || got != want {
			t.Errorf("parseID(%q) = %d, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "0", "01", "-1", "+1", "1.0", "1e3", "abc", " 1", "1 ", "18446744073709551616", "٣", "0x10"} {
		if id, ok := parseID(s); ok {
			t.Errorf("parseID(%q) = %d, want no case", s, id)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for _, s := range []string{"/", "/cases", "/cases/12/history", "/login", "/cases?x=1"} {
		if got := safeNext(s); got != s {
			t.Errorf("safeNext(%q) = %q, want it kept", s, got)
		}
	}
	for _, s := range []string{"", "cases", "//evil.example", "/\\evil.example", "/\tevil", "https://evil.example/",
		"javascript:alert(1)", "\\\\evil", "/cases\r\nSet-Cookie: a=b", "/ü", "/" + strings.Repeat("a", 600)} {
		if got := safeNext(s); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", s, got)
		}
	}
}

func TestTelURL(t *testing.T) {
	for in, want := range map[string]string{
		"+1 555 0100":       "tel:+15550100",
		"(555) 010-0100":    "tel:5550100100",
		" +44 20 7946 0958": "tel:+442079460958",
		"555+1":             "tel:5551",
		"call us":           "",
		"+":                 "",
		"":                  "",
		"javascript:1":      "tel:1",
	} {
		if got := string(telURL(in)); got != want {
			t.Errorf("telURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCompileRefusesTemplateLogic: a catalog message may use {{.Name}}
// placeholders only; anything else would render differently once compiled,
// so the portal refuses to start with it.
func TestCompileRefusesTemplateLogic(t *testing.T) {
	for _, msg := range []string{`{{if .Name}}Hi{{end}}`, `Hi {{.Name | printf "%s"}}`, `{{ .Name }} and {{index . "x"}}`} {
		fsys := fstest.MapFS{
			"locales/en.json": {Data: []byte(`{"a": ` + strconv.Quote(msg) + `}`)},
			"locales/es.json": {Data: []byte(`{"a": "Hola {{.Name}}"}`)},
		}
		if _, err := loadCatalog(fsys, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil || !strings.Contains(err.Error(), "placeholders") {
			t.Errorf("message %q: loadCatalog error %v, want a refusal", msg, err)
		}
	}
	fsys := fstest.MapFS{
		"locales/en.json": {Data: []byte(`{"a": "{{.B}}, {{ .A }} & {{.B}}"}`)},
		"locales/es.json": {Data: []byte(`{"a": "{{.A}}"}`)},
	}
	c, err := loadCatalog(fsys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.tr("en").T("a", "A", "1", "B", 2); got != "2, 1 & 2" {
		t.Errorf("placeholders: %q", got)
	}
	if got := c.tr("es").T("a"); got != "<no value>" {
		t.Errorf("a placeholder without a value: %q, want text/template's <no value>", got)
	}
}
