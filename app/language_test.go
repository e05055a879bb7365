package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMatchCode(t *testing.T) {
	tests := []struct {
		tags []string
		want string
	}{
		{[]string{"es-MX", "en-US"}, "es"},
		{[]string{"en-GB"}, "en"},
		{[]string{"es_ES.UTF-8"}, "es"},
		{[]string{"es_AR.UTF-8@euro"}, "es"},
		{[]string{"fr-FR", "es"}, "es"},
		{[]string{"de-DE"}, ""},
		{[]string{"not a tag"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := matchCode(tt.tags); got != tt.want {
			t.Errorf("matchCode(%q) = %q, want %q", tt.tags, got, tt.want)
		}
	}
}

func TestLanguageChoiceKeptAndFollowsSystem(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8")
	file := filepath.Join(t.TempDir(), "clientportal", "language.json")
	l := &Language{langs: newLanguages(file)}

	got, err := l.Get([]string{"es-MX", "en"})
	if err != nil || got != (LanguageSetting{Chosen: "", Effective: "es"}) {
		t.Fatalf("nothing chosen, window in Mexican Spanish: %+v, %v; want Spanish, followed", got, err)
	}
	if got, _ := (&Language{langs: newLanguages(file)}).Get([]string{"de"}); got.Effective != "en" {
		t.Fatalf("a German system: %+v, want English", got)
	}

	if got, err = l.Set("en"); err != nil || got != (LanguageSetting{Chosen: "en", Effective: "en"}) {
		t.Fatalf("Set(en) = %+v, %v", got, err)
	}
	// A new start reads the choice over the system's language.
	next := newLanguages(file)
	if got, err := (&Language{langs: next}).Get([]string{"es-ES"}); err != nil || got.Effective != "en" || got.Chosen != "en" {
		t.Fatalf("after a restart: %+v, %v; want the kept English", got, err)
	}
	if next.current() != "en" {
		t.Fatalf("current() = %q, want en", next.current())
	}

	if _, err := l.Set("fr"); err == nil || !strings.Contains(err.Error(), "English (en) and Spanish (es)") {
		t.Fatalf("Set(fr) = %v, want a refusal naming the choices", err)
	}
	if got, _ := l.Get(nil); got.Chosen != "en" {
		t.Fatalf("a refused choice changed the setting: %+v", got)
	}

	// "" follows the system again.
	if got, err := l.Set(""); err != nil || got.Chosen != "" || got.Effective != "es" {
		t.Fatalf("Set(\"\") = %+v, %v; want the system's Spanish", got, err)
	}
}

func TestLanguageDamagedFileSaysWhatToDo(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "es_ES.UTF-8")
	file := filepath.Join(t.TempDir(), "language.json")
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := &Language{langs: newLanguages(file)}
	got, err := l.Get(nil)
	if err == nil || !strings.Contains(err.Error(), "choose a language again") {
		t.Fatalf("damaged file: %v, want advice", err)
	}
	if got.Effective != "es" {
		t.Fatalf("damaged file: %+v, want the system's Spanish (LANG)", got)
	}
	if _, err := l.Set("en"); err != nil {
		t.Fatalf("choosing again: %v", err)
	}
	var kept LanguageSetting
	if err := readJSONFile(file, &kept); err != nil || kept.Chosen != "en" {
		t.Fatalf("rewritten file: %+v, %v", kept, err)
	}
}
