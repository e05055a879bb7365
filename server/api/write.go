package api

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"clientportal/server/apitext"
)

// More of the catalog: answers of the service's own routing and hardening,
// which are JSON under /api/ like every other API error.
var (
	ErrCrossOrigin = &Error{Status: http.StatusForbidden, Code: "cross_origin", Message: "cross-site request refused: a web page of another site cannot call the staff API; call it from a program, or from the service's own pages"}
)

// NoRoute answers a request for a path the API does not have.
func NoRoute(method, path string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "no_route", Message: "no API route " + method + " " + path + "; see the README for the routes"}
}

// MethodNotAllowed answers a method the path does not take; allow lists the
// ones it does (WriteError sends them as the Allow header too).
func MethodNotAllowed(method string, allow []string) *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Allow: slices.Clone(allow),
		Message: "this route does not take " + method + "; it takes " + strings.Join(allow, ", ")}
}

// IsJSONPath reports whether the answers for path are the API's JSON.
func IsJSONPath(path string) bool { return strings.HasPrefix(path, Prefix) }

// WriteError answers with e as JSON, with its Retry-After and Allow headers.
// A 429 without a wait of its own says a minute.
func WriteError(w http.ResponseWriter, e *Error) {
	h := w.Header()
	if e.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	} else if e.Status == http.StatusTooManyRequests {
		h.Set("Retry-After", "60")
	}
	if len(e.Allow) > 0 {
		h.Set("Allow", strings.Join(e.Allow, ", "))
	}
	h.Set("X-Content-Type-Options", "nosniff")
	// A Content-Length of a text answer set before the error (a handler that
	// panicked, say) would no longer be right.
	h.Del("Content-Length")
	WriteJSON(w, e.Status, e)
}

// WriteErrorFor answers e in the language r asks for with Accept-Language
// (English when it asks for none the service speaks). Code and Field stay as
// they are: programs rely on them, people read Message.
func WriteErrorFor(w http.ResponseWriter, r *http.Request, e *Error) {
	w.Header().Add("Vary", "Accept-Language")
	WriteError(w, e.In(apitext.Match(r.Header.Get("Accept-Language"))))
}

// WriteJSON answers status with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
