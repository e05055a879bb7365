package app

import (
	"encoding/json"
	"errors"

	"clientportal/server/api"
)

// FieldError is how a refusal reaches the frontend when the service named
// the field it refused (a 422 with "field"): the form shows Message beside
// that field and keeps what the person typed. Field is the API's JSON name
// ("time_zone", "color", "folder"), which the settings forms use as theirs.
// The Wails runtime (v2.13) rejects with new Error(what Go sent), which
// turns an object into "[object Object]": so it crosses as JSON text, and
// the frontend's errorText reads it (frontend/src/lib/errors.ts).
type FieldError struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// formatError is the window's ErrorFormatter: a refusal naming a field
// goes to the frontend as a FieldError in JSON; every other error as its
// message, as before. The control panel's own messages (uiError) are said
// in the language chosen for this computer; the service's are already in it
// (the staff API client asks for it).
func (l *link) formatError(err error) any {
	msg := err.Error()
	if ue, ok := err.(*uiError); ok {
		msg = l.say(ue.text)
	}
	var e *api.Error
	if errors.As(err, &e) && e.Field != "" {
		data, jerr := json.Marshal(FieldError{Message: msg, Field: e.Field})
		if jerr == nil {
			return string(data)
		}
	}
	return msg
}

// formatError is the ErrorFormatter of a window in English (tests).
func formatError(err error) any { return (&link{}).formatError(err) }

// fieldOf reads what formatError sent (tests).
func fieldOf(sent any) (FieldError, bool) {
	s, ok := sent.(string)
	var fe FieldError
	if !ok || json.Unmarshal([]byte(s), &fe) != nil || fe.Field == "" {
		return FieldError{}, false
	}
	return fe, true
}
