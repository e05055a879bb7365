package portal

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// languages are the portal's languages, the default first. Each has a
// catalog locales/TAG.json.
var languages = []language.Tag{language.English, language.Spanish}

// langCodes are the tags of languages as the forms, cookies and <html lang>
// spell them.
var langCodes = []string{"en", "es"}

var matcher = language.NewMatcher(languages)

// supportedLang reports whether code is exactly one of the portal's language
// codes (what the switcher and the lang cookie carry).
func supportedLang(code string) bool {
	for _, c := range langCodes {
		if c == code {
			return true
		}
	}
	return false
}

// matchLang maps a language tag or an Accept-Language header to one of the
// portal's languages, or "" when none fits.
func matchLang(tags []language.Tag) string {
	if len(tags) == 0 {
		return ""
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(langCodes) {
		return ""
	}
	return langCodes[i]
}

// pickLanguage chooses the page language: the client's stored preference,
// else the lang cookie, else the browser's Accept-Language, else English.
func pickLanguage(preference, cookie, acceptLanguage string) string {
	if preference != "" {
		if tag, err := language.Parse(preference); err == nil {
			if l := matchLang([]language.Tag{tag}); l != "" {
				return l
			}
		}
	}
	if supportedLang(cookie) {
		return cookie
	}
	if acceptLanguage != "" && len(acceptLanguage) <= 1024 {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil {
			if l := matchLang(tags); l != "" {
				return l
			}
		}
	}
	return langCodes[0]
}

// catalog holds the message catalogs of every language.
type catalog struct {
	bundle *i18n.Bundle
	trs    map[string]*translator
}

func loadCatalog(fsys fs.FS, log *slog.Logger) (*catalog, error) {
	b := i18n.NewBundle(languages[0])
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &catalog{bundle: b, trs: map[string]*translator{}}
	for _, code := range langCodes {
		if _, err := b.LoadMessageFileFS(fsys, "locales/"+code+".json"); err != nil {
			return nil, fmt.Errorf("portal: load %s messages: %w", code, err)
		}
	}
	for _, code := range langCodes {
		c.trs[code] = &translator{lang: code, loc: i18n.NewLocalizer(b, code), log: log}
	}
	return c, nil
}

// tr is the translator for lang (English when lang is not a portal language).
func (c *catalog) tr(lang string) *translator {
	if t, ok := c.trs[lang]; ok {
		return t
	}
	return c.trs[langCodes[0]]
}

// translator renders catalog messages in one language.
type translator struct {
	lang string
	loc  *i18n.Localizer
	log  *slog.Logger
}

// T is the message id, with kv (name, value pairs) filled into its
// placeholders. A missing message is logged and shows as its id.
func (t *translator) T(id string, kv ...any) string {
	var data map[string]any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				data[k] = kv[i+1]
			}
		}
	}
	msg, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		t.log.Error("portal message", "lang", t.lang, "id", id, "err", err)
		if msg == "" {
			return id
		}
	}
	return msg
}

// Date is a calendar day written out in the translator's language, e.g.
// "14 January 2027" or "14 de enero de 2027". Status dates are days at
// midnight UTC, so the day is read in UTC.
func (t *translator) Date(d time.Time) string {
	d = d.UTC()
	return t.T("date.long",
		"Day", strconv.Itoa(d.Day()),
		"Month", t.T("month."+strconv.Itoa(int(d.Month()))),
		"Year", strconv.Itoa(d.Year()))
}

// isoDate is the machine-readable form of a day for <time datetime>.
func isoDate(d time.Time) string { return d.UTC().Format(time.DateOnly) }

// langName is how a language calls itself, for the switcher.
func (c *catalog) langName(code string) string {
	return c.tr(code).T("lang.self")
}

// keysIn lists the message ids of a flat catalog file (used by tests and by
// New's check that every language has every message).
func keysIn(data []byte) (map[string]string, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("message %q: want a string", k)
		}
		out[k] = strings.TrimSpace(s)
	}
	return out, nil
}
