// Package apitext holds the texts of the service's refusals (the message of
// a staff API error answer, an office action's refusal) in every language
// the control panel speaks. A text is written at its call site as a stable
// message id and its English, a go-i18n template with {{.Name}}
// placeholders; the other languages' texts are in the embedded catalogs
// (locales/es.json), keyed by the same id. The English is the source, so
// clients that compare English texts see them unchanged.
package apitext

import (
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Text is one message: its catalog id, its English and the values of its
// placeholders.
type Text struct {
	ID      string
	English string
	Data    map[string]any
}

// New is the text id, whose English is english, with kv (name, value pairs)
// filled into its placeholders.
func New(id, english string, kv ...any) Text {
	t := Text{ID: id, English: english}
	if len(kv) > 0 {
		t.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			name, _ := kv[i].(string)
			t.Data[name] = kv[i+1]
		}
	}
	return t
}

// String is the text in English.
func (t Text) String() string { return In("en", t) }

// Languages are the languages a text can be asked in, the default first.
var Languages = []string{"en", "es"}

var tags = []language.Tag{language.English, language.Spanish}

//go:embed locales/*.json
var locales embed.FS

// catalog is every language's texts, parsed once from the embedded files:
// constant data of the binary, like a compiled expression.
var catalog = sync.OnceValues(func() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, code := range Languages[1:] {
		if _, err := b.LoadMessageFileFS(locales, "locales/"+code+".json"); err != nil {
			return nil, fmt.Errorf("apitext: load %s texts: %w", code, err)
		}
	}
	return b, nil
})

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

// In is t in lang ("en", "es"). A text the catalog lacks in lang is given
// in English, and logged: the catalog test keeps that from happening.
func In(lang string, t Text) string {
	if t.ID == "" {
		return t.English
	}
	b, err := catalog()
	if err != nil {
		slog.Error("texts of refusals", "err", err)
		b = i18n.NewBundle(language.English)
	}
	// A value may itself be a text (or texts, said one after another),
	// given in the same language.
	data := make(map[string]any, len(t.Data))
	for k, v := range t.Data {
		switch v := v.(type) {
		case Text:
			data[k] = In(lang, v)
		case []Text:
			said := make([]string, len(v))
			for i, x := range v {
				said[i] = In(lang, x)
			}
			data[k] = strings.Join(said, "; ")
		default:
			data[k] = v
		}
	}
	loc := i18n.NewLocalizer(b, lang)
	out, err := loc.Localize(&i18n.LocalizeConfig{
		DefaultMessage: &i18n.Message{ID: t.ID, Other: t.English},
		TemplateData:   data,
	})
	if err != nil {
		slog.Error("text of a refusal", "lang", lang, "id", t.ID, "err", err)
		if out == "" {
			return t.English
		}
	}
	return out
}
