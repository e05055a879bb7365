package app

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/text/language"

	"clientportal/server/apitext"
)

// The control panel's languages, the default first. The frontend's
// catalogs (frontend/src/locales) hold the same two.
var (
	panelLanguages = []language.Tag{language.English, language.Spanish}
	panelCodes     = []string{"en", "es"}
	panelMatcher   = language.NewMatcher(panelLanguages)
)

// LanguageSetting is this computer's choice of language for the control
// panel (kept on this computer, not in the service).
type LanguageSetting struct {
	// Chosen is what the person picked ("en" or "es"), or "" to follow
	// the system's language.
	Chosen string `json:"chosen"`
	// Effective is the language the panel speaks: Chosen, else the best
	// match of the system's languages, else English.
	Effective string `json:"effective"`
}

// Language is bound to the frontend as window.go.app.Language: the
// language switch. The Go side speaks the same language in what it says
// itself (desktop notifications, its errors) and asks the service for it.
type Language struct {
	langs *languages
}

// Get reads the choice; system is the window's list of the system's
// languages (navigator.languages), used when nothing was chosen.
func (l *Language) Get(system []string) (LanguageSetting, error) {
	return l.langs.get(system)
}

// Set keeps a choice ("en", "es", or "" to follow the system again).
func (l *Language) Set(chosen string) (LanguageSetting, error) {
	return l.langs.set(chosen)
}

// languages holds the choice and the system's languages, and answers
// which language the panel speaks now.
type languages struct {
	file string // the settings file ("": not kept)

	mu     sync.Mutex
	read   bool
	chosen string
	system []string
}

func newLanguages(file string) *languages { return &languages{file: file} }

// defaultLanguageFile is the language file in the user's configuration
// folder ("" when the OS names none).
func defaultLanguageFile() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "clientportal", "language.json")
}

// matchCode maps language tags ("es-MX", "es_ES.UTF-8", "en") to one of
// the panel's codes, or "" when none fits.
func matchCode(tags []string) string {
	var parsed []language.Tag
	for _, s := range tags {
		if t, err := language.Parse(posixToBCP47(s)); err == nil {
			parsed = append(parsed, t)
		}
	}
	if len(parsed) == 0 {
		return ""
	}
	_, i, conf := panelMatcher.Match(parsed...)
	if conf == language.No || i < 0 || i >= len(panelCodes) {
		return ""
	}
	return panelCodes[i]
}

// posixToBCP47 turns a POSIX locale ("es_ES.UTF-8@euro") into a BCP 47 tag
// ("es-ES"); other text passes through.
func posixToBCP47(s string) string {
	for i, r := range s {
		if r == '.' || r == '@' {
			s = s[:i]
			break
		}
	}
	b := []byte(s)
	for i := range b {
		if b[i] == '_' {
			b[i] = '-'
		}
	}
	return string(b)
}

// systemLanguages are the process's locale variables, most specific first:
// the system's languages until the window says better.
func systemLanguages() []string {
	var out []string
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" && v != "C" && v != "POSIX" {
			out = append(out, v)
		}
	}
	return out
}

func (ls *languages) load() error {
	if ls.read {
		return nil
	}
	ls.read = true
	if ls.file == "" {
		return nil
	}
	var kept LanguageSetting
	if err := readJSONFile(ls.file, &kept); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return uiText(apitext.New("error.language_read", "could not read the language setting from {{.File}} ({{.Err}}): the panel follows the system's language; choose a language again to rewrite the file", "File", ls.file, "Err", err.Error()), err)
	}
	if matchCode([]string{kept.Chosen}) == kept.Chosen {
		ls.chosen = kept.Chosen
	}
	return nil
}

func (ls *languages) setting() LanguageSetting {
	eff := ls.chosen
	if eff == "" {
		eff = matchCode(ls.system)
	}
	if eff == "" {
		eff = matchCode(systemLanguages())
	}
	if eff == "" {
		eff = panelCodes[0]
	}
	return LanguageSetting{Chosen: ls.chosen, Effective: eff}
}

func (ls *languages) get(system []string) (LanguageSetting, error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if len(system) > 0 {
		ls.system = append([]string(nil), system...)
	}
	err := ls.load()
	return ls.setting(), err
}

func (ls *languages) set(chosen string) (LanguageSetting, error) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	_ = ls.load() // a damaged file is rewritten below
	if chosen != "" && matchCode([]string{chosen}) != chosen {
		return ls.setting(), uiText(apitext.New("error.language_unknown", "the control panel speaks English (en) and Spanish (es), not {{.Chosen}}: choose one of them", "Chosen", strconv.Quote(chosen)), nil)
	}
	if ls.file != "" {
		if err := writeJSONFile(ls.file, LanguageSetting{Chosen: chosen}); err != nil {
			return ls.setting(), uiText(apitext.New("error.language_save", "could not save the language setting in {{.File}}: {{.Err}}; check that the folder is writable", "File", ls.file, "Err", err.Error()), err)
		}
	}
	ls.chosen = chosen
	return ls.setting(), nil
}

// current is the language the panel speaks now ("en" or "es"): for what
// the Go side says itself and for the Accept-Language of its calls.
func (ls *languages) current() string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	_ = ls.load()
	return ls.setting().Effective
}
