package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Decode reads a JSON request body into v: at most limit bytes, valid UTF-8, one
// object, no unknown fields, the right types.
func Decode(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "send the body as application/json"}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: fmt.Sprintf("the request body is larger than %d KiB", limit>>10)}
		}
		return BadRequest("could not read the request body")
	}
	if len(body) == 0 {
		return BadRequest("the request needs a JSON body")
	}
	if !utf8.Valid(body) {
		return BadRequest("the body is not valid UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return &Error{Status: http.StatusBadRequest, Code: "bad_request", Field: typeErr.Field,
				Message: fmt.Sprintf("%s must be a %s, not a %s", typeErr.Field, jsonType(typeErr.Type.Kind().String()), typeErr.Value)}
		case errors.As(err, &syntaxErr):
			return BadRequest(fmt.Sprintf("the body is not valid JSON (at byte %d)", syntaxErr.Offset))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &Error{Status: http.StatusBadRequest, Code: "bad_request", Field: field, Message: "unknown field " + field}
		default:
			return BadRequest("the body is not a valid JSON object: " + err.Error())
		}
	}
	if dec.More() {
		return BadRequest("the body must hold one JSON object")
	}
	return nil
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "struct", "map", "ptr":
		return "object"
	}
	return "number"
}
