// Package apitext holds texts said to people in English and Spanish: the
// service's refusals (the message of a staff API error answer, an office
// action's refusal), and, with its own catalog, the control panel's own
// messages (app/). A text is written at its call site as a stable message
// id and its English, a go-i18n template with {{.Name}} placeholders; the
// other languages' texts are in a catalog (locales/es.json), keyed by the
// same id. The English is the source, so clients that compare English
// texts see them unchanged. The service's catalog is embedded here.
package apitext

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Text is one message: its catalog id, its English and the values of its
// placeholders. A text with a count (Plural) has an English for one and
// one for other counts, and its other languages their own plural forms.
type Text struct {
	ID      string
	English string // the English, or for a plural its form for other counts
	One     string // a plural's English for a count of one
	Count   any    // a plural's count (nil: not a plural)
	Data    map[string]any
}

// New is the text id, whose English is english, with kv (name, value pairs)
// filled into its placeholders.
func New(id, english string, kv ...any) Text {
	return Text{ID: id, English: english, Data: pairs(kv)}
}

// Plural is the text id for count: its English is one when count is 1 and
// other otherwise (the other languages follow their own plural rules).
// count is also the placeholder {{.Count}}.
func Plural(id, one, other string, count int, kv ...any) Text {
	data := pairs(kv)
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = count
	return Text{ID: id, English: other, One: one, Count: count, Data: data}
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		data[name] = kv[i+1]
	}
	return data
}

// String is the text in English.
func (t Text) String() string { return In("en", t) }

// funcs are what a catalog's text may call besides its placeholders:
// {{lowerFirst .Why}} puts a sentence after a colon, where Spanish (unlike a
// message standing alone) starts it in lower case.
var funcs = template.FuncMap{"lowerFirst": lowerFirst}

// lowerFirst lower-cases the first letter of a sentence that starts with a
// capital followed by a lower-case letter (not an acronym such as "PDF").
func lowerFirst(s string) string {
	first, n := utf8.DecodeRuneInString(s)
	second, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(first) && unicode.IsLower(second) {
		return string(unicode.ToLower(first)) + s[n:]
	}
	return s
}

// Languages are the languages a text can be asked in, the default first.
var Languages = []string{"en", "es"}

var tags = []language.Tag{language.English, language.Spanish}

// Catalog is the texts of every language but English (which is in the
// code), keyed by id.
type Catalog struct {
	bundle *i18n.Bundle
	log    *slog.Logger
}

// Load reads the catalogs dir/<lang>.json of fsys, one for each of
// Languages but English.
func Load(fsys fs.FS, dir string, log *slog.Logger) (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, code := range Languages[1:] {
		if _, err := b.LoadMessageFileFS(fsys, dir+"/"+code+".json"); err != nil {
			return nil, fmt.Errorf("load the %s texts: %w", code, err)
		}
	}
	if log == nil {
		log = slog.Default()
	}
	return &Catalog{bundle: b, log: log}, nil
}

//go:embed locales/*.json
var locales embed.FS

// service is the service's catalog, parsed once from the embedded files:
// constant data of the binary, like a compiled expression.
var service = sync.OnceValues(func() (*Catalog, error) { return Load(locales, "locales", nil) })

// Match is the language of Languages that best fits an Accept-Language
// header (or a single tag such as "es-MX"): English when none does.
func Match(acceptLanguage string) string {
	if acceptLanguage == "" || len(acceptLanguage) > 1024 {
		return Languages[0]
	}
	asked, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(asked) == 0 {
		return Languages[0]
	}
	_, i, conf := language.NewMatcher(tags).Match(asked...)
	if conf == language.No || i < 0 || i >= len(Languages) {
		return Languages[0]
	}
	return Languages[i]
}

// In is t in lang ("en", "es") from the service's catalog.
func In(lang string, t Text) string {
	c, err := service()
	if err != nil {
		slog.Error("texts of refusals", "err", err)
		c = nil
	}
	return c.In(lang, t)
}

// In is t in lang ("en", "es"). A text the catalog lacks in lang is given
// in English, and logged: the catalog test keeps that from happening. A nil
// catalog says everything in English.
func (c *Catalog) In(lang string, t Text) string {
	if t.ID == "" {
		return t.English
	}
	// A value may itself be a text (or texts, said one after another),
	// given in the same language.
	data := make(map[string]any, len(t.Data))
	for k, v := range t.Data {
		switch v := v.(type) {
		case Text:
			data[k] = c.In(lang, v)
		case []Text:
			said := make([]string, len(v))
			for i, x := range v {
				said[i] = c.In(lang, x)
			}
			data[k] = strings.Join(said, "; ")
		default:
			data[k] = v
		}
	}
	var b *i18n.Bundle
	log := slog.Default()
	if c != nil {
		b, log = c.bundle, c.log
	} else {
		b, lang = i18n.NewBundle(language.English), Languages[0]
	}
	cfg := &i18n.LocalizeConfig{
		DefaultMessage: &i18n.Message{ID: t.ID, Other: t.English},
		TemplateData:   data,
		Funcs:          funcs,
	}
	if t.Count != nil {
		cfg.DefaultMessage.One = t.One
		cfg.PluralCount = t.Count
	}
	out, err := i18n.NewLocalizer(b, lang).Localize(cfg)
	if err != nil {
		log.Error("text", "lang", lang, "id", t.ID, "err", err)
		if out == "" {
			return t.English
		}
	}
	return out
}
