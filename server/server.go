// Package server is the portal service: it puts the client portal, the staff
// API and the health check behind one hardened HTTP handler and serves it.
// Each concern lives in its own sub-package (portal, staffapi, auth, password,
// httpsec, ratelimit); this package only wires them together.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"filippo.io/age"

	"clientportal/installer"
	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/server/backup"
	"clientportal/server/configcheck"
	"clientportal/server/docstore"
	"clientportal/server/httpsec"
	"clientportal/server/live"
	"clientportal/server/mail"
	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/server/portal"
	"clientportal/server/ratelimit"
	"clientportal/server/setup"
	"clientportal/server/staffapi"
	"clientportal/store"
)

// Config is what a Server needs.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	Hasher password.Hasher // zero: password.DefaultParams
	// HashMemory is the memory password hashing may use at once, in bytes
	// (zero: password.DefaultBudget, 256 MiB: four logins at 64 MiB);
	// HashWait how long a login waits for room before the service answers
	// busy (zero: password.DefaultWait).
	HashMemory int64
	HashWait   time.Duration
	Version    string
	// AccessLog logs one line per request at Info level: method, route
	// pattern, status, duration and bytes sent (never the path's ids, the
	// query string, headers, cookies or bodies). false: no access log.
	AccessLog bool
	// ReadTimeout and WriteTimeout bound how long a request may take to send
	// its body and to take its answer (zero: DefaultReadTimeout and
	// DefaultWriteTimeout). Routes wrapped in httpsec.LongRunning set their own.
	ReadTimeout, WriteTimeout time.Duration
	// Mail tunes the email notifications (zero: the defaults).
	Mail mail.Options
	// OfficeKey is the path of the office key that encrypts the documents,
	// created at first start ("": installer.DefaultKeyPath(), outside the
	// data folder). DocumentsDir is where the encrypted files go ("": the
	// folder documents beside the store's file); MaxDocument the largest
	// upload in bytes (zero: docstore.DefaultMaxSize).
	OfficeKey    string
	DocumentsDir string
	MaxDocument  int64
	// ConfigCheck tunes the configuration check (its resolver, public
	// address lookup, dialer, ports, roots); the store, data folder and
	// office key are filled in.
	ConfigCheck configcheck.Config
	// TLS is the certificate side of the listeners Run opens (GET
	// /api/v1/tls, a changed domain taking effect); nil: the service
	// serves plain HTTP only, and a changed domain waits for a restart.
	TLS staffapi.TLS
}

// The per-request deadlines a route has unless it asks for its own.
const (
	DefaultReadTimeout  = 60 * time.Second
	DefaultWriteTimeout = 60 * time.Second
)

// Server is the portal service's HTTP side.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	auth    *auth.Authenticator
	live    *live.Hub
	handler http.Handler
	public  http.Handler // handler as the internet reaches it (PublicHandler)
	mail    *mail.Mailer
	backups *backup.Service
	docs    *docstore.Store
	office  *office.Office
}

// New wires the service's handlers.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Hasher.Params == (password.Params{}) {
		cfg.Hasher.Params = password.DefaultParams
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	s := &Server{store: cfg.Store, log: cfg.Logger}
	s.auth = auth.New(cfg.Store, password.NewGate(cfg.Hasher, cfg.HashMemory, cfg.HashWait), cfg.Logger)
	// Ten login attempts per address (an IPv6 /64), then one every six
	// seconds: enough for an office's shared address, too slow for guessing.
	// Clients and staff have separate budgets, so clients' typos from the
	// office's own address never lock staff out of the API.
	clientLogins, staffLogins := ratelimit.New(6*time.Second, 10), ratelimit.New(6*time.Second, 10)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	s.mail = mail.New(cfg.Store, cfg.Logger, cfg.Mail)
	s.live = live.New(live.Config{Store: cfg.Store, Auth: s.auth, Log: cfg.Logger})
	s.live.Register(mux)
	docs, key, err := openDocuments(cfg)
	if err != nil {
		return nil, err
	}
	s.docs = docs
	s.mail.UseKey(key) // seals invitation and reset links in the outbox
	actions := office.New(cfg.Store, passwords{s.auth}, office.WithNotifier(s.mail), office.WithPublisher(s.live), office.WithDocuments(docs),
		office.WithLinks(s.mail))
	s.office = actions
	p, err := portal.New(portal.Config{Store: cfg.Store, Office: actions, Auth: s.auth, Log: cfg.Logger, LoginLimit: clientLogins})
	if err != nil {
		return nil, err
	}
	p.Register(mux)
	s.backups = backup.New(backup.Source{Store: cfg.Store, DataDir: filepath.Dir(cfg.Store.Path()), Version: cfg.Version}, cfg.Logger)
	check := cfg.ConfigCheck
	check.Store, check.OfficeKey = cfg.Store, officeKeyPath(cfg)
	if check.MailRootCAs == nil {
		check.MailRootCAs = cfg.Mail.RootCAs
	}
	staffapi.New(staffapi.Config{Store: cfg.Store, Office: actions, Auth: s.auth, Log: cfg.Logger, LoginLimit: staffLogins, Version: cfg.Version,
		Mail: s.mail, Events: s.live.StaffHandler(), Backups: s.backups, ConfigCheck: configcheck.New(check), TLS: cfg.TLS, Online: s.live}).Register(mux)
	s.backups.HandleLocal("/config-check", configcheck.New(check).Handler())
	mux.Handle("POST "+api.PathSetup, setup.New(setup.Config{Store: cfg.Store, Hasher: cfg.Hasher, Log: cfg.Logger}))
	router := p.Preview(route(mux, p.NotFound))
	s.handler = s.middleware(cfg, router)
	s.public = s.middleware(cfg, s.publicOnly(router))
	return s, nil
}

// middleware is what every request goes through, outermost first: the access
// log (which sees every answer, a recovered panic's too), panic recovery, the
// per-request deadlines, the security headers and the cross-origin check.
func (s *Server) middleware(cfg Config, h http.Handler) http.Handler {
	h = httpsec.Headers(httpsec.CrossOrigin(h))
	h = httpsec.Deadlines(cfg.ReadTimeout, cfg.WriteTimeout, h)
	h = s.recoverer(h)
	if cfg.AccessLog {
		h = accessLog(s.log, h)
	}
	return h
}

// passwords gives the office actions the service's password hashing, within
// the same memory budget as logins.
type passwords struct{ a *auth.Authenticator }

func (p passwords) Hash(ctx context.Context, pw string) (string, error) {
	return p.a.HashPassword(ctx, pw)
}

func (p passwords) Verify(ctx context.Context, encoded, pw string) (bool, error) {
	return p.a.VerifyPassword(ctx, encoded, pw)
}

// Handler is the whole service as one handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Mail is the service's mailer (its outbox sender runs while Serve does).
func (s *Server) Mail() *mail.Mailer { return s.mail }

// Live is the service's websocket hub.
func (s *Server) Live() *live.Hub { return s.live }

// Close ends the open websockets and stops the hub (Serve does it when it
// returns; a test that serves Handler itself calls it).
func (s *Server) Close() { s.live.Close() }

// Auth is the service's authenticator.
func (s *Server) Auth() *auth.Authenticator { return s.auth }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	err := s.store.View(r.Context(), func(tx *store.Tx) error {
		_, err := tx.Settings()
		return err
	})
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err != nil {
		s.log.Error("health check", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "store unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// route serves the requests mux has a route for, and answers the others
// itself: under /api/ with the API's JSON errors (405 with Allow for a path
// that takes other methods, else 404 no_route), elsewhere with 405 and Allow
// or the portal's own 404 page (in the visitor's language, with the office's
// name) instead of Go's plain text.
func route(mux *http.ServeMux, notFound http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		allow := allowedMethods(mux, r)
		switch {
		case api.IsJSONPath(r.URL.Path) && len(allow) > 0:
			api.WriteError(w, api.MethodNotAllowed(r.Method, allow))
		case api.IsJSONPath(r.URL.Path):
			api.WriteError(w, api.NoRoute(r.Method, r.URL.Path))
		case len(allow) > 0:
			w.Header().Set("Allow", strings.Join(allow, ", "))
			http.Error(w, "405 method not allowed: this address takes only "+strings.Join(allow, ", ")+
				"; use the portal's own pages and buttons.", http.StatusMethodNotAllowed)
		default:
			notFound(w, r)
		}
	})
}

// allowedMethods lists the methods mux has a route for at r's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	return allow
}

// recoverer turns a panic in a handler into a logged 500 instead of a dropped
// connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The route pattern, not the path: a path may hold a token.
				s.log.Error("handler panic", "method", r.Method, "route", routeOf(r), "panic", v, "stack", string(debug.Stack()))
				if api.IsJSONPath(r.URL.Path) {
					api.WriteError(w, api.ErrInternal)
					return
				}
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Serve answers on ln until ctx ends, then drains: it stops listening, closes
// the websockets with "going away" (1001: the pages reconnect and catch up
// once the service is back), lets the requests in flight finish (ten
// seconds at most, then cuts them), and waits for the mail sender to stop
// between mails. It sweeps expired sessions every hour, and runs the mail
// outbox's sender.
// The http.Server bounds reading a request's headers and idle connections;
// body and answer deadlines are set per request (Config.ReadTimeout,
// httpsec.LongRunning), so a route can have its own.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	return s.serveWith(ctx, "http://"+ln.Addr().String(), func(ss *servers) error {
		ss.serve(ln, s.handler, nil)
		return nil
	})
}

// serveWith runs the service's background work (session sweeps, the mail
// sender, the live hub, reminders, backups) while start's listeners serve,
// until ctx ends or a listener fails; then it drains: websockets close with
// "going away", requests in flight finish (within DrainTimeout), the mail
// sender and the backups stop, so the caller may close the store.
func (s *Server) serveWith(ctx context.Context, baseURL string, start func(*servers) error) error {
	ss := newServers(ctx, s.log)
	defer ss.cutRequests()
	go s.sweepSessions(ctx)
	s.mail.SetBaseURL(baseURL)
	mailCtx, stopMail := context.WithCancel(ctx)
	mailDone := make(chan struct{})
	go func() { defer close(mailDone); s.mail.Run(mailCtx) }()
	defer func() { stopMail(); <-mailDone }()
	go s.live.Sweep(ctx)
	go s.remindRequests(ctx)
	defer s.live.Close()
	// The nightly backups and the command line's backup endpoint; both have
	// stopped when Serve returns.
	backupsDone := make(chan struct{}, 2)
	go func() { defer func() { backupsDone <- struct{}{} }(); s.backups.Run(ctx) }()
	go func() {
		defer func() { backupsDone <- struct{}{} }()
		if err := s.backups.ServeLocal(ctx); err != nil {
			s.log.Error("backups for the command line are not available while the service runs", "err", err)
		}
	}()
	defer func() { <-backupsDone; <-backupsDone }()
	var failed error
	if err := start(ss); err != nil {
		failed = err
	} else {
		select {
		case failed = <-ss.errc:
		case <-ctx.Done():
		}
	}
	// Websockets are hijacked, so Shutdown does not see them: close them
	// first, with "going away".
	s.live.Close()
	shutdown, cancel := context.WithTimeout(context.Background(), DrainTimeout)
	defer cancel()
	if err := ss.shutdown(shutdown); err != nil && failed == nil {
		failed = err
	}
	return failed
}

// DrainTimeout is how long a stopping service waits for the requests in
// flight before it cuts them.
const DrainTimeout = 10 * time.Second

func (s *Server) sweepSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.auth.Sweep(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("sweep sessions", "err", err)
		} else if n > 0 {
			s.log.Info("expired sessions removed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Backups is the service's backup service.
func (s *Server) Backups() *backup.Service { return s.backups }

func officeKeyPath(cfg Config) string {
	if cfg.OfficeKey == "" {
		return installer.DefaultKeyPath()
	}
	return cfg.OfficeKey
}

// openDocuments opens the document store and its office key.
func openDocuments(cfg Config) (*docstore.Store, *age.X25519Identity, error) {
	id, err := docstore.LoadOrCreateKey(officeKeyPath(cfg))
	if err != nil {
		return nil, nil, err
	}
	dir := cfg.DocumentsDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(cfg.Store.Path()), "documents")
	}
	docs, err := docstore.Open(dir, id, cfg.MaxDocument)
	return docs, id, err
}
