// Package portal is the client portal: server-rendered pages where a client
// logs in and sees their cases. (Being written.)
package portal

import (
	"log/slog"
	"net/http"

	"clientportal/server/auth"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Config is what the portal needs.
type Config struct {
	Store      *store.Store
	Auth       *auth.Authenticator
	Log        *slog.Logger
	LoginLimit *ratelimit.Limiter
}

// Portal serves the client pages.
type Portal struct{ cfg Config }

// New prepares the portal (parses its templates and message catalogs).
func New(cfg Config) (*Portal, error) { return &Portal{cfg: cfg}, nil }

// Register adds the portal's routes to mux.
func (p *Portal) Register(mux *http.ServeMux) {}
