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

// language is the language chosen for this computer ("en" or "es").
func (l *link) language() string {
	l.mu.Lock()
	pick := l.lang
	l.mu.Unlock()
	if pick == nil {
		return apitext.Languages[0]
	}
	return apitext.Match(pick())
}

// setLanguage makes pick say the chosen language from now on (tests; the
// window's Language setting).
func (l *link) setLanguage(pick func() string) {
	l.mu.Lock()
	l.lang = pick
	l.mu.Unlock()
}
