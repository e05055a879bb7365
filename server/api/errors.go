// Package api holds the staff API's request and response types and its error
// catalog: the one place both the service (server/staffapi) and its clients
// (the control panel in app/) take them from.
package api

import (
	"fmt"
	"net/http"
	"time"

	"clientportal/server/apitext"
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
	// Text is Message's catalog id and values, by which the answer is given
	// in the caller's language (see In); Message is its English.
	Text apitext.Text `json:"-"`
}

// In is e with its message in lang ("en", "es"): itself when e has no text
// in the catalog, or lang is English.
func (e *Error) In(lang string) *Error {
	if e.Text.ID == "" || lang == apitext.Languages[0] {
		return e
	}
	c := *e
	c.Message = apitext.In(lang, e.Text)
	return &c
}

// refusal is an error answer whose message is the catalog's text t.
func refusal(status int, code, field string, t apitext.Text) *Error {
	return &Error{Status: status, Code: code, Field: field, Message: t.String(), Text: t}
}

// Refusal is an error answer with status, code and field whose message is
// the catalog's text t (for answers other than BadRequest, Invalid and
// Conflict).
func Refusal(status int, code, field string, t apitext.Text) *Error {
	return refusal(status, code, field, t)
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Message)
	}
	return e.Code + ": " + e.Message
}

// The catalog of errors the API answers with.
var (
	ErrUnauthorized = refusal(http.StatusUnauthorized, "unauthorized", "", apitext.New("api.unauthorized", "log in first: send the token from POST /api/v1/session as Authorization: Bearer TOKEN"))
	ErrBadLogin     = refusal(http.StatusUnauthorized, "bad_login", "", apitext.New("api.bad_login", "the email or password is not correct"))
	ErrAdminOnly    = refusal(http.StatusForbidden, "admin_only", "", apitext.New("api.admin_only", "only an administrator can do this"))
	ErrNotFound     = refusal(http.StatusNotFound, "not_found", "", apitext.New("api.not_found", "no such record"))
	ErrTooLarge     = refusal(http.StatusRequestEntityTooLarge, "too_large", "", apitext.New("api.too_large", "the request body is larger than 64 KiB"))
	ErrRateLimited  = refusal(http.StatusTooManyRequests, "rate_limited", "", apitext.New("api.rate_limited", "too many attempts; wait a minute and try again"))
	ErrBusy         = withRetry(refusal(http.StatusServiceUnavailable, "busy", "", apitext.New("api.busy", "the service is checking too many passwords at once; try again in a moment")), 2*time.Second)
	ErrInternal     = refusal(http.StatusInternalServerError, "internal", "", apitext.New("api.internal", "the service failed; the details are in its log"))
)

func withRetry(e *Error, d time.Duration) *Error { e.RetryAfter = d; return e }

// WithRetryAfter is a copy of e that tells the caller to wait d.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// BadRequest is a malformed request (not JSON, wrong types, bad UTF-8).
func BadRequest(t apitext.Text) *Error {
	return refusal(http.StatusBadRequest, "bad_request", "", t)
}

// Invalid is a well-formed request with a field value that cannot be used.
func Invalid(field string, t apitext.Text) *Error {
	return refusal(http.StatusUnprocessableEntity, "invalid", field, t)
}

// Conflict is a value that must be unique and is taken.
func Conflict(field string, t apitext.Text) *Error {
	return refusal(http.StatusConflict, "conflict", field, t)
}
