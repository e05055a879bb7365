package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"clientportal/server/apitext"
)

// Decode reads a JSON request body into v: at most limit bytes, valid UTF-8, one
// object, no unknown fields, the right types.
func Decode(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return refusal(http.StatusUnsupportedMediaType, "unsupported_media_type", "", apitext.New("api.body_not_json_type", "send the body as application/json"))
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refusal(http.StatusRequestEntityTooLarge, "too_large", "", apitext.New("api.body_too_large", "the request body is larger than {{.KiB}} KiB", "KiB", limit>>10))
		}
		return BadRequest(apitext.New("api.body_unreadable", "could not read the request body"))
	}
	if len(body) == 0 {
		return BadRequest(apitext.New("api.body_missing", "the request needs a JSON body"))
	}
	if !utf8.Valid(body) {
		return BadRequest(apitext.New("api.body_not_utf8", "the body is not valid UTF-8"))
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return refusal(http.StatusBadRequest, "bad_request", typeErr.Field,
				apitext.New("api.body_wrong_type", "{{.Field}} must be a {{.Want}}, not a {{.Got}}",
					"Field", typeErr.Field, "Want", jsonType(typeErr.Type.Kind().String()), "Got", typeErr.Value))
		case errors.As(err, &syntaxErr):
			return BadRequest(apitext.New("api.body_not_json", "the body is not valid JSON (at byte {{.Offset}})", "Offset", syntaxErr.Offset))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return refusal(http.StatusBadRequest, "bad_request", field, apitext.New("api.body_unknown_field", "unknown field {{.Field}}", "Field", field))
		default:
			return BadRequest(apitext.New("api.body_not_object", "the body is not a valid JSON object: {{.Err}}", "Err", err.Error()))
		}
	}
	if dec.More() {
		return BadRequest(apitext.New("api.body_one_object", "the body must hold one JSON object"))
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
