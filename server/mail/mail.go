// Package mail sends the portal's email notifications through the office's
// SMTP server, from a transactional outbox.
//
// Notify runs inside the transaction of an office action: for an event a
// client should hear of (a status entry, a staff message, later an
// appointment or a shared document) it adds an outbox entry for each of the
// case's clients with email notice on; for a client's message to the office
// it adds alerts for staff as the office's routing setting says. The entry
// commits with the change, or not at all. Entries say only that something
// new waits, never what: no titles, no status names, no message text.
//
// Several changes for the same recipient make one email: an entry that has
// not gone out yet absorbs the next change. The first email waits a short
// quiet period (Options.Quiet, 2 minutes) so that a burst of edits (a status
// entry, then a message) goes out as one, and a recipient gets at most one
// email per Options.Window (5 minutes).
//
// Run delivers due entries with the emersion/go-smtp client (STARTTLS,
// implicit TLS or none; AUTH PLAIN when a user name is set), retrying with
// exponential backoff and the same Message-ID on every try. An entry is
// marked "sending" in a committed transaction before the SMTP conversation
// and "sent" after the server accepted it, so a restart neither loses nor
// repeats a mail; the one exception, a service that died between the
// server's acceptance and the record, resends it with the same Message-ID.
package mail

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"time"

	"filippo.io/age"

	"clientportal/store"
)

// Options tune the mailer; the zero value is right for the service.
type Options struct {
	// BaseURL is the portal's address in links when no domain is set
	// (empty: the address the service listens on, see SetBaseURL).
	BaseURL string
	// RootCAs are the certificate authorities trusted for the SMTP server
	// (nil: the system's).
	RootCAs *x509.CertPool
	// Quiet is how long a first notification waits for more changes to
	// join it (default 2 minutes); Window is the least time between two
	// emails to the same recipient (default 5 minutes).
	Quiet, Window time.Duration
	// Retry is the wait after the first failed try, doubled after each
	// further one up to an hour (default 30 seconds); MaxAttempts tries
	// and the entry is given up (default 20, about 13 hours).
	Retry       time.Duration
	MaxAttempts int
	// Timeout bounds one SMTP conversation (default 30 seconds, within a request's deadline).
	Timeout time.Duration
	// Poll is how often the sender looks for due entries when nothing
	// wakes it (default 1 minute).
	Poll time.Duration
	// Keep is how long sent entries stay in the outbox (default 90 days).
	Keep time.Duration
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Quiet, 2*time.Minute)
	def(&o.Window, 5*time.Minute)
	def(&o.Retry, 30*time.Second)
	def(&o.Timeout, 30*time.Second)
	def(&o.Poll, time.Minute)
	def(&o.Keep, 90*24*time.Hour)
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 20
	}
}

// maxBackoff caps the wait between two tries.
const maxBackoff = time.Hour

// Mailer turns events into outbox entries (Notify) and delivers them (Run).
type Mailer struct {
	store *store.Store
	log   *slog.Logger
	opt   Options
	wake  chan struct{}

	mu      sync.Mutex
	baseURL string
	key     *age.X25519Identity // seals link tokens (links.go); nil: no link emails
}

// New returns the mailer of st.
func New(st *store.Store, log *slog.Logger, opt Options) *Mailer {
	opt.defaults()
	if log == nil {
		log = slog.Default()
	}
	return &Mailer{store: st, log: log, opt: opt, wake: make(chan struct{}, 1), baseURL: opt.BaseURL}
}

// Wake makes the sender look for due entries now.
func (m *Mailer) Wake() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// SetBaseURL sets the portal's address used in links when neither a domain
// nor Options.BaseURL is set (the service gives the address it listens on).
func (m *Mailer) SetBaseURL(u string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opt.BaseURL == "" {
		m.baseURL = strings.TrimSuffix(u, "/")
	}
}

// portalURL is the portal's base URL: https://DOMAIN, else the configured one.
func (m *Mailer) portalURL(domain string) string {
	if domain != "" {
		return "https://" + domain
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.baseURL != "" {
		return m.baseURL
	}
	return "http://127.0.0.1:8080"
}

// newMessageID makes a Message-ID (without the angle brackets) in the
// sender's domain.
func newMessageID(from string) string {
	b := make([]byte, 16)
	rand.Read(b)
	domain := "clientportal.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	return hex.EncodeToString(b) + "@" + domain
}
