package portal

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
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
	if supportedLang(preference) {
		return preference // the usual case, without parsing the tag
	}
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

// catalog holds the message catalogs of every language, resolved once at
// start: a page looks each message up in a map.
type catalog struct {
	trs map[string]*translator
	// switcher is the language switcher's buttons on a page in each language.
	switcher map[string][]langOption
}

// placeholderRE finds the placeholders a message may use: {{.Name}}.
var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// loadCatalog reads every language's messages with go-i18n and resolves each
// message once. A placeholder is resolved to a marker that T later replaces,
// so go-i18n's own rules decide the text and a page pays a map lookup.
func loadCatalog(fsys fs.FS, log *slog.Logger) (*catalog, error) {
	b := i18n.NewBundle(languages[0])
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &catalog{trs: map[string]*translator{}, switcher: map[string][]langOption{}}
	for _, code := range langCodes {
		if _, err := b.LoadMessageFileFS(fsys, "locales/"+code+".json"); err != nil {
			return nil, fmt.Errorf("portal: load %s messages: %w", code, err)
		}
	}
	for _, code := range langCodes {
		data, err := fs.ReadFile(fsys, "locales/"+code+".json")
		if err != nil {
			return nil, fmt.Errorf("portal: %w", err)
		}
		raw, err := keysIn(data)
		if err != nil {
			return nil, fmt.Errorf("portal: locales/%s.json: %w", code, err)
		}
		loc := i18n.NewLocalizer(b, code)
		t := &translator{lang: code, msgs: make(map[string]message, len(raw)), log: log}
		for id, text := range raw {
			if m, err := compileMessage(loc, id, text); err != nil {
				return nil, fmt.Errorf("portal: locales/%s.json: %w", code, err)
			} else {
				t.msgs[id] = m
			}
		}
		c.trs[code] = t
	}
	for _, page := range langCodes {
		for _, code := range langCodes {
			c.switcher[page] = append(c.switcher[page], langOption{Code: code, Name: c.langName(code), Current: code == page})
		}
	}
	return c, nil
}

// message is a catalog message resolved for one language: literal parts with
// a placeholder's name between each two (parts has one more element than
// names).
type message struct {
	parts []string
	names []string
}

// marker stands for a placeholder while go-i18n resolves a message.
const marker = "\x00"

func compileMessage(loc *i18n.Localizer, id, text string) (message, error) {
	if strings.Contains(text, marker) {
		return message{}, fmt.Errorf("message %q contains a NUL character", id)
	}
	found := placeholderRE.FindAllStringSubmatch(text, -1)
	if strings.Count(text, "{{") != len(found) {
		return message{}, fmt.Errorf("message %q uses template syntax other than {{.Name}} placeholders", id)
	}
	data := map[string]any{}
	for _, f := range found {
		data[f[1]] = marker + f[1] + marker
	}
	out, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return message{}, fmt.Errorf("message %q: %w", id, err)
	}
	pieces := strings.Split(out, marker)
	var m message
	for i, piece := range pieces {
		if i%2 == 0 {
			m.parts = append(m.parts, piece)
		} else {
			m.names = append(m.names, piece)
		}
	}
	return m, nil
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
	msgs map[string]message
	log  *slog.Logger
}

// T is the message id, with kv (name, value pairs) filled into its
// placeholders. A missing message is logged and shows as its id; a
// placeholder without a value shows as text/template shows it.
func (t *translator) T(id string, kv ...any) string {
	m, ok := t.msgs[id]
	if !ok {
		t.log.Error("portal message", "lang", t.lang, "id", id, "err", "no such message")
		return id
	}
	if len(m.names) == 0 {
		return m.parts[0]
	}
	var b strings.Builder
	for i, name := range m.names {
		b.WriteString(m.parts[i])
		b.WriteString(lookup(kv, name))
	}
	b.WriteString(m.parts[len(m.parts)-1])
	return b.String()
}

// lookup is the value of name in kv (name, value pairs).
func lookup(kv []any, name string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok && k == name {
			if s, ok := kv[i+1].(string); ok {
				return s
			}
			return fmt.Sprint(kv[i+1])
		}
	}
	return "<no value>"
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
