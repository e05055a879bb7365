// Package servertest starts the real portal service for tests: a bbolt store
// in a temp dir filled with the demo office, behind a real HTTP (or HTTPS)
// server on loopback.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/store"
)

// Clock is a settable clock for expiry tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// NewClock is a settable clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Env is a running service.
type Env struct {
	URL    string
	Store  *store.Store
	Server *server.Server
	HTTP   *httptest.Server
	Logins []demo.Login
	Clock  *Clock // nil unless WithClock
}

// Option changes how Start starts the service.
type Option func(*options)

type options struct {
	tls    bool
	clock  bool
	empty  bool
	config []func(*server.Config)
}

// WithTLS serves HTTPS (httptest's certificate) instead of HTTP.
func WithTLS() Option { return func(o *options) { o.tls = true } }

// WithClock gives the service a settable clock (Env.Clock).
func WithClock() Option { return func(o *options) { o.clock = true } }

// WithConfig changes the service's configuration before it starts (a
// costlier hasher, a smaller hashing budget...).
func WithConfig(fn func(*server.Config)) Option {
	return func(o *options) { o.config = append(o.config, fn) }
}

// Empty starts without the demo office.
func Empty() Option { return func(o *options) { o.empty = true } }

// Start runs the service until the test ends.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	env := &Env{}
	var now func() time.Time
	if o.clock {
		env.Clock = &Clock{t: time.Now()}
		now = env.Clock.Now
	}
	s, err := store.Open(t.TempDir(), store.Options{Now: now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	env.Store = s
	h := password.Hasher{Params: password.TestParams}
	if !o.empty {
		if env.Logins, err = demo.Fill(context.Background(), s, h); err != nil {
			t.Fatalf("fill demo: %v", err)
		}
	}
	// The service's own log goes to stderr at warning level when -v is given:
	// t.Log would panic for a line written after the test ended.
	var logOut io.Writer = io.Discard
	if testing.Verbose() {
		logOut = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := server.Config{Store: s, Logger: log, Hasher: h, Version: "test", OfficeKey: filepath.Join(t.TempDir(), "keys", "office.key")}
	for _, fn := range o.config {
		fn(&cfg)
	}
	env.Server, err = server.New(cfg)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	t.Cleanup(env.Server.Close)
	if o.tls {
		env.HTTP = httptest.NewTLSServer(env.Server.Handler())
	} else {
		env.HTTP = httptest.NewServer(env.Server.Handler())
	}
	t.Cleanup(env.HTTP.Close)
	env.URL = env.HTTP.URL
	return env
}

// Login returns the demo login of the given kind whose email is email, or
// the first of that kind when email is "".
func (e *Env) Login(t testing.TB, kind, email string) demo.Login {
	t.Helper()
	for _, l := range e.Logins {
		if l.Kind == kind && (email == "" || l.Email == email) {
			return l
		}
	}
	t.Fatalf("no demo %s login %q", kind, email)
	return demo.Login{}
}

// Browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see each answer.
func (e *Env) Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := e.HTTP.Client()
	return &http.Client{
		Transport:     c.Transport,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
