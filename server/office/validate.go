package office

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"clientportal/server/apitext"
	"clientportal/store"
)

// text checks a single-line text field: trimmed, no control characters, at
// most max characters, and present when required.
func text(field string, v string, max int, required bool) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v):
		return "", invalid(field, apitext.New("field.not_utf8", "{{.Field}} is not valid UTF-8 text", "Field", field))
	case required && v == "":
		return "", invalid(field, apitext.New("field.required", "{{.Field}} is required", "Field", field))
	case utf8.RuneCountInString(v) > max:
		return "", invalid(field, apitext.New("field.too_long", "{{.Field}} must be at most {{.Max}} characters", "Field", field, "Max", max))
	case strings.ContainsFunc(v, unicode.IsControl):
		return "", invalid(field, apitext.New("field.one_line", "{{.Field}} must be one line of text without control characters", "Field", field))
	}
	return v, nil
}

// longText checks a multi-line text field.
func longText(field string, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return "", invalid(field, apitext.New("field.not_utf8", "{{.Field}} is not valid UTF-8 text", "Field", field))
	}
	if utf8.RuneCountInString(v) > max {
		return "", invalid(field, apitext.New("field.too_long", "{{.Field}} must be at most {{.Max}} characters", "Field", field, "Max", max))
	}
	if strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
		return "", invalid(field, apitext.New("field.control_characters", "{{.Field}} has control characters", "Field", field))
	}
	return v, nil
}

// email checks and normalises an email address field.
func email(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", invalid(field, apitext.New("field.required", "{{.Field}} is required", "Field", field))
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || len(v) > 254 || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
		return "", invalid(field, apitext.New("field.email", "{{.Field}} must be a plain email address like name@example.org", "Field", field))
	}
	return store.NormalizeEmail(v), nil
}

// optional applies check to *in when in is set, storing the result in *out.
func optional(in *string, out *string, check func(string) (string, error)) error {
	if in == nil {
		return nil
	}
	v, err := check(*in)
	if err != nil {
		return err
	}
	*out = v
	return nil
}

// Languages the portal ships; "" means the browser's.
var languages = map[string]bool{"": true, "en": true, "es": true}

func language(field, v string) (string, error) {
	if !languages[v] {
		return "", invalid(field, apitext.New("field.language", `{{.Field}} must be "en", "es" or empty (the browser's)`, "Field", field))
	}
	return v, nil
}

// DateLayout is how a status entry's day is written.
const DateLayout = "2006-01-02"

// statusDate parses a status entry's day: empty is today; no later than
// tomorrow (time zones), no earlier than 1900.
func statusDate(v string, now time.Time) (time.Time, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	if v == "" {
		return today, nil
	}
	d, err := time.Parse(DateLayout, v)
	if err != nil {
		return time.Time{}, invalid("date", apitext.New("field.date_day_yyyy_mm", "date must be a day as YYYY-MM-DD"))
	}
	if d.After(today.AddDate(0, 0, 1)) || d.Year() < 1900 {
		return time.Time{}, invalid("date", apitext.New("field.date_cannot_future_before", "date cannot be in the future or before 1900"))
	}
	return d, nil
}
