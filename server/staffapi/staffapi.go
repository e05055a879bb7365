// Package staffapi is the staff API: JSON under /api/v1 for the control panel.
package staffapi

import (
	"log/slog"
	"net/http"

	"clientportal/server/auth"
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
type API struct{ cfg Config }

// New returns the API.
func New(cfg Config) *API { return &API{cfg: cfg} }

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {}
