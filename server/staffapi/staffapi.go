// Package staffapi is the staff API: JSON under /api/v1 that the control panel
// (and any script of the office's) uses to manage clients, cases, status
// entries and settings. Every route checks the staff session and role, every
// change writes its audit entry in the same transaction, and every error is
// an api.Error from the catalog.
package staffapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/auth"
	"clientportal/server/backup"
	"clientportal/server/configcheck"
	"clientportal/server/httpsec"
	"clientportal/server/mail"
	"clientportal/server/office"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Config is what the API needs.
type Config struct {
	Store      *store.Store
	Office     *office.Office
	Auth       *auth.Authenticator
	Log        *slog.Logger
	LoginLimit *ratelimit.Limiter
	Version    string
	Mail       *mail.Mailer // sends the test email
	// Events serves the live event stream (the hub's StaffHandler); nil:
	// the route answers 503.
	Events http.Handler
	// Backups makes and reports the service's backups; ConfigCheck runs the
	// configuration check (nil: their routes are not offered).
	Backups     *backup.Service
	ConfigCheck *configcheck.Checker
	// TLS is the service's certificate side; nil: plain HTTP only.
	TLS TLS
	// Online counts the clients online now (the live hub); nil: none.
	Online Online
}

// API serves /api/v1.
type API struct {
	store       *store.Store
	office      *office.Office
	auth        *auth.Authenticator
	log         *slog.Logger
	loginLimit  *ratelimit.Limiter
	verifyLimit *ratelimit.Limiter
	version     string
	mail        *mail.Mailer
	eventStream http.Handler
	backups     *backup.Service
	configCheck *configcheck.Checker
	tls         TLS
	online      Online
}

// New returns the API.
func New(cfg Config) *API {
	return &API{
		store: cfg.Store, office: cfg.Office, auth: cfg.Auth, log: cfg.Log, loginLimit: cfg.LoginLimit, version: cfg.Version, mail: cfg.Mail,
		eventStream: cfg.Events, backups: cfg.Backups, configCheck: cfg.ConfigCheck, tls: cfg.TLS, online: cfg.Online,
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

// actor is who the caller is, for the office actions' audit entries.
func (r request) actor() office.Actor {
	return office.Actor{Kind: "staff", ID: r.me.ID, Name: r.me.Name, IP: r.ip}
}

type handler func(w http.ResponseWriter, r request) error

// Mux is what Register adds routes to: the service's *http.ServeMux, or a
// test's list of patterns.
type Mux interface {
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Register adds the API's routes to mux: exactly api.Routes, at the paths of
// package api that the Go client calls (a test holds it to that). Requests
// under /api/ that match no route are answered by the service's router
// (server.New): 404 or 405, as JSON.
func (a *API) Register(mux Mux) {
	const get, post, put, patch, del = "GET ", "POST ", "PUT ", "PATCH ", "DELETE "
	mux.HandleFunc(post+api.PathSession, a.login)
	mux.Handle(del+api.PathSession, a.staff(a.logout))
	mux.Handle(get+api.PathMe, a.staff(a.getMe))
	mux.Handle(get+api.PathVersion, a.staff(a.getVersion))

	mux.Handle(get+api.PathStaff, a.staff(a.listStaff))
	mux.Handle(post+api.PathStaff, a.admin(a.createStaff))
	mux.Handle(get+api.PathStaffMember, a.staff(a.getStaff))
	mux.Handle(patch+api.PathStaffMember, a.admin(a.updateStaff))

	mux.Handle(get+api.PathClients, a.staff(a.listClients))
	mux.Handle(post+api.PathClients, a.staff(a.createClient))
	mux.Handle(get+api.PathClient, a.staff(a.getClient))
	mux.Handle(patch+api.PathClient, a.staff(a.updateClient))
	mux.Handle(get+api.PathClientCases, a.staff(a.clientCases))
	mux.Handle(get+api.PathClientAccess, a.staff(a.getAccess))
	mux.Handle(patch+api.PathClientAccess, a.staff(a.updateAccess))
	mux.Handle(put+api.PathClientPassword, a.staff(a.setPassword))
	mux.Handle(post+api.PathClientPasswordVerify, a.staff(a.verifyPassword))

	mux.Handle(get+api.PathCases, a.staff(a.listCases))
	mux.Handle(post+api.PathCases, a.staff(a.createCase))
	mux.Handle(get+api.PathCase, a.staff(a.getCase))
	mux.Handle(patch+api.PathCase, a.staff(a.updateCase))
	mux.Handle(get+api.PathCaseStatuses, a.staff(a.listStatusEntries))
	mux.Handle(post+api.PathCaseStatuses, a.staff(a.addStatusEntry))
	mux.Handle(get+api.PathCaseStatus, a.staff(a.getStatusEntry))
	mux.Handle(post+api.PathCaseStatusCorrect, a.staff(a.correctStatusEntry))
	mux.Handle(post+api.PathCaseStatusWithdraw, a.staff(a.withdrawStatusEntry))

	mux.Handle(get+api.PathSettings, a.staff(a.getSettings))
	mux.Handle(patch+api.PathSettings, a.admin(a.updateSettings))
	mux.Handle(get+api.PathSettingsStatuses, a.staff(a.getStatuses))
	mux.Handle(put+api.PathSettingsStatuses, a.admin(a.putStatuses))
	mux.Handle(get+api.PathSettingsPolicy, a.staff(a.getPolicy))
	mux.Handle(put+api.PathSettingsPolicy, a.admin(a.putPolicy))

	mux.Handle(get+api.PathAudit, a.admin(a.listAudit))
	mux.Handle(get+api.PathAuditCSV, a.staff(a.auditCSV))
	a.registerSecurity(mux)

	a.registerMail(mux)
	mux.Handle(get+api.PathCaseMessages, a.staff(a.listMessages))
	mux.Handle(post+api.PathCaseMessages, a.staff(a.postMessage))
	mux.Handle(post+api.PathCaseMessagesRead, a.staff(a.markMessagesRead))
	mux.Handle(get+api.PathCaseAppointments, a.staff(a.listAppointments))
	mux.Handle(post+api.PathCaseAppointments, a.staff(a.postAppointment))
	mux.Handle(post+api.PathAppointmentCancel, a.staff(a.cancelAppointment))
	mux.Handle(patch+api.PathAppointment, a.staff(a.updateAppointment))
	mux.Handle(get+api.PathEvents, a.events())

	mux.Handle(get+api.PathCaseDocuments, a.staff(a.listDocuments))
	// An upload or a download may take longer than the service's
	// per-request deadlines: these routes have their own.
	mux.Handle(post+api.PathCaseDocuments, httpsec.LongRunning(a.staff(a.uploadDocuments), transferTimeout, transferTimeout))
	mux.Handle(patch+api.PathDocument, a.staff(a.updateDocument))
	mux.Handle(get+api.PathDocumentContent, httpsec.LongRunning(a.staff(a.documentContent), DefaultReadTimeoutForContent, transferTimeout))
	a.registerBackups(mux)
	a.registerConfigCheck(mux)
	a.registerInvitations(mux)
	a.registerRequests(mux)
	a.registerTLS(mux)
	mux.Handle(get+api.PathDashboard, a.staff(a.dashboard))
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
	var oe *office.Error
	switch {
	case errors.As(err, &e):
	case errors.As(err, &oe):
		e = officeError(oe)
	case errors.Is(err, store.ErrNotFound):
		e = api.ErrNotFound
	case errors.Is(err, auth.ErrBusy):
		e = api.ErrBusy
	default:
		a.log.Error("staff API", "method", r.Method, "path", r.URL.Path, "err", err)
		e = api.ErrInternal
	}
	api.WriteErrorFor(w, r, e)
}

// officeError is the API's answer to input an office action refused.
func officeError(e *office.Error) *api.Error {
	t := e.Text
	if t.ID == "" {
		t = apitext.Text{English: e.Message}
	}
	switch e.Kind {
	case office.Conflict:
		return api.Conflict(e.Field, t)
	case office.NotActive:
		return api.Refusal(http.StatusConflict, "not_active", e.Field, t)
	}
	return api.Invalid(e.Field, t)
}

// read answers 200 with what fn reads in one read transaction.
func read[T any](a *API, w http.ResponseWriter, r request, fn func(tx *store.Tx) (T, error)) error {
	return readStatus(a, w, r, http.StatusOK, fn)
}

// readStatus answers status with what fn reads in one read transaction.
func readStatus[T any](a *API, w http.ResponseWriter, r request, status int, fn func(tx *store.Tx) (T, error)) error {
	var v T
	if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { v, err = fn(tx); return err }); err != nil {
		return err
	}
	writeJSON(w, status, v)
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) { api.WriteJSON(w, status, v) }

// decode reads a JSON request body into v (see api.Decode).
func decode(w http.ResponseWriter, r *http.Request, v any) error { return api.Decode(w, r, v, maxBody) }

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
		return "", 0, 0, api.Refusal(http.StatusBadRequest, "bad_request", "q", apitext.New("staffapi.q_valid_text_most", "q must be valid text of at most 200 characters"))
	}
	if s := v.Get("after"); s != "" {
		if after, err = strconv.ParseUint(s, 10, 64); err != nil {
			return "", 0, 0, api.Refusal(http.StatusBadRequest, "bad_request", "after", apitext.New("staffapi.after_record_id", "after must be a record id"))
		}
	}
	limit = 50
	if s := v.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return "", 0, 0, api.Refusal(http.StatusBadRequest, "bad_request", "limit", apitext.New("staffapi.limit_number_from_1", "limit must be a number from 1 to 500"))
		}
	}
	return q, after, limit, nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func target(kind string, id uint64) string { return kind + ":" + strconv.FormatUint(id, 10) }

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
