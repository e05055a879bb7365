// Package staffapi is the staff API: JSON under /api/v1 that the control panel
// (and any script of the office's) uses to manage clients, cases, status
// entries and settings. Every route checks the staff session and role, every
// change writes its audit entry in the same transaction, and every error is
// an api.Error from the catalog.
package staffapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Config is what the API needs.
type Config struct {
	Store      *store.Store
	Auth       *auth.Authenticator
	Log        *slog.Logger
	LoginLimit *ratelimit.Limiter
	Version    string
}

// API serves /api/v1.
type API struct {
	store       *store.Store
	auth        *auth.Authenticator
	log         *slog.Logger
	loginLimit  *ratelimit.Limiter
	verifyLimit *ratelimit.Limiter
	version     string
}

// New returns the API.
func New(cfg Config) *API {
	return &API{
		store: cfg.Store, auth: cfg.Auth, log: cfg.Log, loginLimit: cfg.LoginLimit, version: cfg.Version,
		// Verifying a client's password is a guessing oracle: five tries, then
		// one a minute per staff member.
		verifyLimit: ratelimit.New(time.Minute, 5),
	}
}

// maxBody bounds every JSON request body.
const maxBody = 64 << 10

// request is one authenticated API call.
type request struct {
	*http.Request
	me store.Staff
	ip string
}

func (r request) ctx() context.Context { return r.Context() }

// actor is the audit identity of the caller.
func (r request) audit(action, target, detail string) store.AuditEntry {
	return store.AuditEntry{ActorKind: "staff", ActorID: r.me.ID, ActorName: r.me.Name, IP: r.ip, Action: action, Target: target, Detail: detail}
}

type handler func(w http.ResponseWriter, r request) error

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/session", a.login)
	mux.Handle("DELETE /api/v1/session", a.staff(a.logout))
	mux.Handle("GET /api/v1/me", a.staff(a.getMe))
	mux.Handle("GET /api/v1/version", a.staff(a.getVersion))

	mux.Handle("GET /api/v1/staff", a.staff(a.listStaff))
	mux.Handle("POST /api/v1/staff", a.admin(a.createStaff))
	mux.Handle("GET /api/v1/staff/{id}", a.staff(a.getStaff))
	mux.Handle("PATCH /api/v1/staff/{id}", a.admin(a.updateStaff))

	mux.Handle("GET /api/v1/clients", a.staff(a.listClients))
	mux.Handle("POST /api/v1/clients", a.staff(a.createClient))
	mux.Handle("GET /api/v1/clients/{id}", a.staff(a.getClient))
	mux.Handle("PATCH /api/v1/clients/{id}", a.staff(a.updateClient))
	mux.Handle("GET /api/v1/clients/{id}/cases", a.staff(a.clientCases))
	mux.Handle("GET /api/v1/clients/{id}/access", a.staff(a.getAccess))
	mux.Handle("PATCH /api/v1/clients/{id}/access", a.staff(a.updateAccess))
	mux.Handle("PUT /api/v1/clients/{id}/password", a.staff(a.setPassword))
	mux.Handle("POST /api/v1/clients/{id}/password/verify", a.staff(a.verifyPassword))

	mux.Handle("GET /api/v1/cases", a.staff(a.listCases))
	mux.Handle("POST /api/v1/cases", a.staff(a.createCase))
	mux.Handle("GET /api/v1/cases/{id}", a.staff(a.getCase))
	mux.Handle("PATCH /api/v1/cases/{id}", a.staff(a.updateCase))
	mux.Handle("GET /api/v1/cases/{id}/statuses", a.staff(a.listStatusEntries))
	mux.Handle("POST /api/v1/cases/{id}/statuses", a.staff(a.addStatusEntry))
	mux.Handle("GET /api/v1/cases/{id}/statuses/{entry}", a.staff(a.getStatusEntry))

	mux.Handle("GET /api/v1/settings", a.staff(a.getSettings))
	mux.Handle("PATCH /api/v1/settings", a.admin(a.updateSettings))
	mux.Handle("GET /api/v1/settings/statuses", a.staff(a.getStatuses))
	mux.Handle("PUT /api/v1/settings/statuses", a.admin(a.putStatuses))
	mux.Handle("GET /api/v1/settings/password-policy", a.staff(a.getPolicy))
	mux.Handle("PUT /api/v1/settings/password-policy", a.admin(a.putPolicy))

	mux.Handle("GET /api/v1/audit", a.admin(a.listAudit))

	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.writeError(w, r, &api.Error{Status: http.StatusNotFound, Code: "no_route", Message: "no API route " + r.Method + " " + r.URL.Path + "; see the README for the routes"})
	})
}

// staff guards h with a live staff session.
func (a *API) staff(h handler) http.Handler { return a.guard(h, false) }

// admin guards h with a live admin session.
func (a *API) admin(h handler) http.Handler { return a.guard(h, true) }

func (a *API) guard(h handler, adminOnly bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpsec.NoStore(w)
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			a.writeError(w, r, api.ErrUnauthorized)
			return
		}
		me, err := a.auth.Staff(r.Context(), strings.TrimSpace(token))
		if err != nil {
			if !errors.Is(err, auth.ErrNoSession) {
				a.writeError(w, r, err)
				return
			}
			a.writeError(w, r, api.ErrUnauthorized)
			return
		}
		if adminOnly && me.Role != store.RoleAdmin {
			a.writeError(w, r, api.ErrAdminOnly)
			return
		}
		if err := h(w, request{Request: r, me: me, ip: httpsec.ClientIP(r)}); err != nil {
			a.writeError(w, r, err)
		}
	})
}

// writeError answers with err as an api.Error; anything not from the catalog
// is logged and answered as an internal error.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *api.Error
	switch {
	case errors.As(err, &e):
	case errors.Is(err, store.ErrNotFound):
		e = api.ErrNotFound
	case errors.Is(err, auth.ErrBusy):
		e = api.ErrBusy
	default:
		a.log.Error("staff API", "method", r.Method, "path", r.URL.Path, "err", err)
		e = api.ErrInternal
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	} else if e.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
	}
	writeJSON(w, e.Status, e)
}

// read answers 200 with what fn reads in one read transaction.
func read[T any](a *API, w http.ResponseWriter, r request, fn func(tx *store.Tx) (T, error)) error {
	var v T
	if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { v, err = fn(tx); return err }); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body into v: at most maxBody bytes, valid UTF-8, one
// object, no unknown fields, the right types.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &api.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "send the body as application/json"}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return api.ErrTooLarge
		}
		return api.BadRequest("could not read the request body")
	}
	if len(body) == 0 {
		return api.BadRequest("the request needs a JSON body")
	}
	if !utf8.Valid(body) {
		return api.BadRequest("the body is not valid UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: typeErr.Field,
				Message: fmt.Sprintf("%s must be a %s, not a %s", typeErr.Field, jsonType(typeErr.Type.Kind().String()), typeErr.Value)}
		case errors.As(err, &syntaxErr):
			return api.BadRequest(fmt.Sprintf("the body is not valid JSON (at byte %d)", syntaxErr.Offset))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: field, Message: "unknown field " + field}
		default:
			return api.BadRequest("the body is not a valid JSON object: " + err.Error())
		}
	}
	if dec.More() {
		return api.BadRequest("the body must hold one JSON object")
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

// pathID parses the {name} path value as a record ID; anything else is a 404,
// since no record has that name.
func pathID(r request, name string) (uint64, error) {
	id, err := strconv.ParseUint(r.PathValue(name), 10, 64)
	if err != nil || id == 0 {
		return 0, api.ErrNotFound
	}
	return id, nil
}

// pageParams reads ?q=, ?after= and ?limit= (default 50, at most 500).
func pageParams(r request) (q string, after uint64, limit int, err error) {
	v := r.URL.Query()
	q = v.Get("q")
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > 200 {
		return "", 0, 0, &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "q", Message: "q must be valid text of at most 200 characters"}
	}
	if s := v.Get("after"); s != "" {
		if after, err = strconv.ParseUint(s, 10, 64); err != nil {
			return "", 0, 0, &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "after", Message: "after must be a record id"}
		}
	}
	limit = 50
	if s := v.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return "", 0, 0, &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "limit", Message: "limit must be a number from 1 to 500"}
		}
	}
	return q, after, limit, nil
}

// text checks a single-line text field: trimmed, no control characters, at
// most max characters, and present when required.
func text(field string, v string, max int, required bool) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		return "", api.Invalid(field, field+" is required")
	case utf8.RuneCountInString(v) > max:
		return "", api.Invalid(field, fmt.Sprintf("%s must be at most %d characters", field, max))
	case strings.ContainsFunc(v, unicode.IsControl):
		return "", api.Invalid(field, field+" must be one line of text without control characters")
	}
	return v, nil
}

// longText checks a multi-line text field.
func longText(field string, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) > max {
		return "", api.Invalid(field, fmt.Sprintf("%s must be at most %d characters", field, max))
	}
	if strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
		return "", api.Invalid(field, field+" has control characters")
	}
	return v, nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func target(kind string, id uint64) string { return kind + ":" + strconv.FormatUint(id, 10) }

// changed lists the JSON names of the fields an input sets, for the audit
// entry's detail. Values are left out: they may be passwords or case content.
func changed(in any) string {
	v := reflect.ValueOf(in)
	var names []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			names = append(names, strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0])
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "fields: " + strings.Join(names, ", ")
}

// pageOf turns up to limit+1 found records into a page of at most limit
// views; the extra record, when there is one, says there is a next page.
func pageOf[R, V any](found []R, limit int, view func(R) (V, uint64)) api.Page[V] {
	page := api.Page[V]{Items: make([]V, 0, min(len(found), limit))}
	for i, rec := range found {
		if i == limit {
			break
		}
		v, id := view(rec)
		page.Items = append(page.Items, v)
		if i == limit-1 && len(found) > limit {
			page.Next = id
		}
	}
	return page
}
