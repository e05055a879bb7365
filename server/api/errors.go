// Package api holds the staff API's request and response types and its error
// catalog: the one place both the service (server/staffapi) and its clients
// (the control panel in app/) take them from.
package api

import (
	"fmt"
	"net/http"
	"time"
)

// Error is an error answer: {"error": "...", "code": "...", "field": "..."}
// with an HTTP status. Message says what to fix.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"error"`
	Field   string `json:"field,omitempty"`
	// RetryAfter, when set, is sent as the Retry-After header: how long a
	// refused caller (rate limited, or the service busy) should wait.
	RetryAfter time.Duration `json:"-"`
	// Allow, on a 405, lists the methods the route takes (the Allow header).
	Allow []string `json:"-"`
	// Pending, on a login that needs its second factor (codes
	// second_factor_required and second_factor_setup_required), is what to
	// send to POST /api/v1/session/second-factor.
	Pending string `json:"pending,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Message)
	}
	return e.Code + ": " + e.Message
}

// The catalog of errors the API answers with.
var (
	ErrUnauthorized = &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "log in first: send the token from POST /api/v1/session as Authorization: Bearer TOKEN"}
	ErrBadLogin     = &Error{Status: http.StatusUnauthorized, Code: "bad_login", Message: "the email or password is not correct"}
	ErrAdminOnly    = &Error{Status: http.StatusForbidden, Code: "admin_only", Message: "only an administrator can do this"}
	ErrNotFound     = &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such record"}
	ErrTooLarge     = &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "the request body is larger than 64 KiB"}
	ErrRateLimited  = &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: "too many attempts; wait a minute and try again"}
	ErrBusy         = &Error{Status: http.StatusServiceUnavailable, Code: "busy", Message: "the service is checking too many passwords at once; try again in a moment", RetryAfter: 2 * time.Second}
	ErrInternal     = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "the service failed; the details are in its log"}
)

// WithRetryAfter is a copy of e that tells the caller to wait d.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// BadRequest is a malformed request (not JSON, wrong types, bad UTF-8).
func BadRequest(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: msg}
}

// Invalid is a well-formed request with a field value that cannot be used.
func Invalid(field, msg string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid", Field: field, Message: msg}
}

// Conflict is a value that must be unique and is taken.
func Conflict(field, msg string) *Error {
	return &Error{Status: http.StatusConflict, Code: "conflict", Field: field, Message: msg}
}
