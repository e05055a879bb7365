package app

import (
	"embed"
	"log/slog"

	"clientportal/server/apitext"
)

// The control panel's own texts (its errors, its desktop notifications) are
// apitext texts: an id and the English at the call site, the Spanish in
// locales/es.json. They are said in the language chosen for this computer
// when they reach the person: the window's ErrorFormatter, a notification.

//go:embed locales/*.json
var locales embed.FS

// loadTexts reads the control panel's catalog. It is part of the binary, and
// TestEveryAppTextTranslated loads it; should it fail, texts are English.
func loadTexts() *apitext.Catalog {
	c, err := apitext.Load(locales, "locales", nil)
	if err != nil {
		slog.Error("control panel texts", "err", err)
		return nil
	}
	return c
}

// say is t in the language chosen for this computer.
func (l *link) say(t apitext.Text) string { return l.texts.In(l.language(), t) }

// language is the language the panel speaks now ("en" or "es"): the
// choice kept on this computer, else the system's (app/language.go).
func (l *link) language() string {
	if l.langs == nil {
		return apitext.Languages[0]
	}
	return apitext.Match(l.langs.current())
}
