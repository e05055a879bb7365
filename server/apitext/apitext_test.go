package apitext_test

import (
	"testing"
	"testing/fstest"

	"clientportal/server/apitext"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"", "en"}, {"es", "es"}, {"es-MX", "es"}, {"fr, es;q=0.5", "es"}, {"fr", "en"},
		{"en-GB, es;q=0.9", "en"}, {"not a header;;;", "en"},
	} {
		if got := apitext.Match(c.header); got != c.want {
			t.Errorf("Match(%q) = %q, want %q", c.header, got, c.want)
		}
	}
}

func TestIn(t *testing.T) {
	cat, err := apitext.Load(fstest.MapFS{"l/es.json": {Data: []byte(`{
		"msgs": {"one": "un mensaje nuevo", "many": "{{.Count}} de mensajes nuevos", "other": "{{.Count}} mensajes nuevos"},
		"outer": "No se pudo {{.Doing}}: {{.Why}}",
		"doing": "guardar el caso {{.Number}}",
		"problem": "use al menos {{.Need}} cifras"
	}`)}}, "l", nil)
	if err != nil {
		t.Fatal(err)
	}
	msgs := func(n int) apitext.Text { return apitext.Plural("msgs", "1 new message", "{{.Count}} new messages", n) }
	outer := apitext.New("outer", "could not {{.Doing}}: {{.Why}}",
		"Doing", apitext.New("doing", "save case {{.Number}}", "Number", "IMM-7"),
		"Why", []apitext.Text{apitext.New("problem", "use at least {{.Need}} digits", "Need", 2), apitext.New("problem", "use at least {{.Need}} digits", "Need", 3)})
	for _, c := range []struct {
		lang string
		t    apitext.Text
		want string
	}{
		{"en", msgs(1), "1 new message"},
		{"en", msgs(2), "2 new messages"},
		{"es", msgs(1), "un mensaje nuevo"},
		{"es", msgs(0), "0 mensajes nuevos"},
		{"es", msgs(2), "2 mensajes nuevos"},
		{"es", msgs(1000000), "1000000 de mensajes nuevos"},
		{"en", outer, "could not save case IMM-7: use at least 2 digits; use at least 3 digits"},
		{"es", outer, "No se pudo guardar el caso IMM-7: use al menos 2 cifras; use al menos 3 cifras"},
		// A text the catalog lacks is said in English.
		{"es", apitext.New("absent", "in English {{.X}}", "X", 1), "in English 1"},
	} {
		if got := cat.In(c.lang, c.t); got != c.want {
			t.Errorf("In(%s, %s) = %q, want %q", c.lang, c.t.ID, got, c.want)
		}
	}
	// The service's own catalog.
	if got := apitext.In("es", apitext.New("api.not_found", "no such record")); got == "no such record" || got == "" {
		t.Errorf("the service's catalog has no Spanish for api.not_found: %q", got)
	}
}

// TestLowerFirst: a catalog text may put a sentence after a colon in lower
// case, leaving acronyms and one-letter words as they are.
func TestLowerFirst(t *testing.T) {
	cat, err := apitext.Load(fstest.MapFS{"l/es.json": {Data: []byte(`{"x": "No se pudo: {{lowerFirst .Why}}"}`)}}, "l", nil)
	if err != nil {
		t.Fatal(err)
	}
	for why, want := range map[string]string{
		"Otro cliente ya lo tiene.": "No se pudo: otro cliente ya lo tiene.",
		"PDF no admitido":           "No se pudo: PDF no admitido",
		"Él":                        "No se pudo: él",
		"A":                         "No se pudo: A",
		"":                          "No se pudo: ",
	} {
		if got := cat.In("es", apitext.New("x", "could not: {{.Why}}", "Why", why)); got != want {
			t.Errorf("%q: %q, want %q", why, got, want)
		}
	}
}
