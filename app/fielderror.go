package app

import (
	"errors"

	"clientportal/server/api"
)

// FieldError is how a refusal reaches the frontend when the service named
// the field it refused (a 422 with "field"): the form shows Message beside
// that field and keeps what the person typed. Field is the API's JSON name
// ("time_zone", "color", "folder"), which the settings forms use as theirs.
type FieldError struct {
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// formatError is the window's ErrorFormatter: a refusal naming a field
// goes to the frontend as a FieldError object; every other error as its
// message, as before.
func formatError(err error) any {
	var e *api.Error
	if errors.As(err, &e) && e.Field != "" {
		return FieldError{Message: err.Error(), Field: e.Field}
	}
	return err.Error()
}
