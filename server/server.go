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
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/password"
	"clientportal/server/portal"
	"clientportal/server/ratelimit"
	"clientportal/server/setup"
	"clientportal/server/staffapi"
	"clientportal/store"
)

// Config is what a Server needs.
type Config struct {
	Store   *store.Store
	Logger  *slog.Logger
	Hasher  password.Hasher // zero: password.DefaultParams
	Version string
}

// Server is the portal service's HTTP side.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	auth    *auth.Authenticator
	handler http.Handler
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
	s := &Server{store: cfg.Store, log: cfg.Logger}
	s.auth = auth.New(cfg.Store, cfg.Hasher, cfg.Logger)
	// Ten login attempts per address, then one every six seconds: enough for
	// an office's shared address, too slow for guessing.
	loginLimit := ratelimit.New(6*time.Second, 10)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	p, err := portal.New(portal.Config{Store: cfg.Store, Auth: s.auth, Log: cfg.Logger, LoginLimit: loginLimit})
	if err != nil {
		return nil, err
	}
	p.Register(mux)
	staffapi.New(staffapi.Config{Store: cfg.Store, Auth: s.auth, Log: cfg.Logger, LoginLimit: loginLimit, Version: cfg.Version}).Register(mux)
	mux.Handle("POST "+api.PathSetup, setup.New(setup.Config{Store: cfg.Store, Hasher: cfg.Hasher, Log: cfg.Logger}))
	s.handler = s.recoverer(httpsec.Headers(httpsec.CrossOrigin(pageNotFound(mux, p.NotFound))))
	return s, nil
}

// Handler is the whole service as one handler.
func (s *Server) Handler() http.Handler { return s.handler }

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

// pageNotFound answers requests no route matches with the portal's own 404
// page (in the visitor's language, with the office's name) instead of Go's
// plain text; the API keeps its JSON answers.
func pageNotFound(mux *http.ServeMux, notFound http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" && r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/api/") {
			notFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
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
				s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Serve answers on ln until ctx ends, then shuts down gracefully, giving open
// requests ten seconds to finish. It sweeps expired sessions every hour.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go s.sweepSessions(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down %s: %w", ln.Addr(), err)
	}
	return nil
}

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
