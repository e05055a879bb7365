// Package tlsmgr keeps the certificates the service serves: the office
// domain's certificate from an ACME CA (certmagic: HTTP-01 and TLS-ALPN-01,
// storage in the data folder, background renewal, OCSP stapling), with its
// state for staff to see, and the staff listener's own self-signed
// certificate, which office computers pin by its fingerprint.
package tlsmgr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/caddyserver/certmagic"
)

// LetsEncrypt is the ACME directory used when the settings name none.
const LetsEncrypt = certmagic.LetsEncryptProductionCA

// Settings are what the office configured: the domain and its ACME account.
type Settings struct {
	Domain  string // "" manages nothing
	Email   string // the account's contact
	CA      string // the ACME directory URL; "": LetsEncrypt
	RootPEM string // extra trusted roots (PEM) for the CA's own HTTPS
}

// Config is how the service runs the manager.
type Config struct {
	// Dir keeps certificates, keys and the ACME account (created when
	// missing), normally "certificates" in the data folder.
	Dir    string
	Logger *slog.Logger
	// ListenHost, HTTPPort and HTTPSPort are where the service answers
	// challenges (zero ports: 80 and 443): certmagic finds them taken and
	// relies on the service's listeners, which call HTTPHandler and
	// TLSConfig.
	ListenHost          string
	HTTPPort, HTTPSPort int
	// Profile is the ACME profile to ask for ("": the CA's default).
	Profile string
	// RenewCheckInterval is how often certificates are checked for renewal
	// (zero: certmagic's 10 minutes); RenewalWindowRatio the share of a
	// certificate's lifetime left when it is renewed (zero: 1/3).
	RenewCheckInterval time.Duration
	RenewalWindowRatio float64
	// RetryFirst is the wait after a first failed issuance, doubled after
	// each further one up to RetryMax (zero: 1 minute and 1 hour).
	RetryFirst, RetryMax time.Duration
	// Now is the clock of the status (nil: time.Now).
	Now func() time.Time
}

// Status is the state of the domain's certificate.
type Status struct {
	Domain string
	// State is "off" (no domain), "obtaining", "valid" or "failed".
	State string
	// The certificate served, when there is one.
	Names               []string
	Issuer              string
	NotBefore, NotAfter time.Time
	// Stage is how far the issuance under way is (StageAsking,
	// StageProving), "" when none is.
	Stage string
	// The last failed issuance or renewal, and when the next try is;
	// Problem is its kind (ProblemDomain, ...), for plain words.
	LastError   string
	LastErrorAt time.Time
	NextTry     time.Time
	Problem     string
}

// Stages of an issuance (Status.Stage).
const (
	// StageAsking: the service is asking the CA for a certificate (its
	// account, the order), and the CA has not come to check the domain.
	StageAsking = "asking"
	// StageProving: the CA has come to check that the domain leads here
	// (an ACME challenge reached the service), and issues once it has.
	StageProving = "proving"
)

// States of Status.
const (
	StateOff       = "off"
	StateObtaining = "obtaining"
	StateValid     = "valid"
	StateFailed    = "failed"
)

// Manager manages the certificate of one domain at a time; Apply switches
// it to new settings while the service runs.
type Manager struct {
	cfg   Config
	log   *slog.Logger
	cache *certmagic.Cache

	cur atomic.Pointer[managed] // nil: no domain

	applyMu sync.Mutex // serialises Apply and Close
	closed  bool
	applied Settings
}

// managed is the certmagic configuration of one domain's settings.
type managed struct {
	set    Settings
	cm     *certmagic.Config
	issuer *certmagic.ACMEIssuer
	ctx    context.Context // ends when these settings are replaced
	cancel context.CancelFunc
	done   chan struct{} // closed when the issuance loop has ended

	mu          sync.Mutex
	obtaining   bool
	stage       string
	problem     string
	lastErr     string
	lastErrAt   time.Time
	nextTry     time.Time
	renewFailed int // renewals failed in a row, for the next-try estimate
}

// proving records that the CA came to check the domain (a challenge
// reached the service) while a certificate is being obtained.
func (mg *managed) proving() {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	if mg.obtaining || mg.stage != "" {
		mg.stage = StageProving
	}
}

func (mg *managed) failed() bool {
	mg.mu.Lock()
	defer mg.mu.Unlock()
	return mg.lastErr != ""
}

// New starts a manager that manages nothing until Apply.
func New(cfg Config) (*Manager, error) {
	if cfg.Dir == "" {
		return nil, errors.New("tlsmgr: no storage folder")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPPort == 0 {
		cfg.HTTPPort = 80
	}
	if cfg.HTTPSPort == 0 {
		cfg.HTTPSPort = 443
	}
	if cfg.RetryFirst <= 0 {
		cfg.RetryFirst = time.Minute
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Manager{cfg: cfg, log: cfg.Logger}
	m.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) {
			mg := m.cur.Load()
			if mg == nil {
				return nil, errors.New("no domain is managed")
			}
			return mg.cm, nil
		},
		RenewCheckInterval: cfg.RenewCheckInterval,
		Logger:             zapLogger(cfg.Logger),
	})
	return m, nil
}

// Apply switches the manager to s: a new domain's certificate is loaded
// from storage or obtained in the background (retrying with backoff), the
// old domain's is no longer served or renewed. Settings equal to the
// current ones change nothing.
func (m *Manager) Apply(s Settings) error {
	m.applyMu.Lock()
	defer m.applyMu.Unlock()
	if m.closed {
		return errors.New("tlsmgr: closed")
	}
	// The same settings again change nothing, unless the last try failed:
	// then saving them again tries again now.
	if cur := m.cur.Load(); s == m.applied && (cur != nil) == (s.Domain != "") && (cur == nil || !cur.failed()) {
		return nil
	}
	var next *managed
	if s.Domain != "" {
		var err error
		if next, err = m.configure(s); err != nil {
			return err
		}
	}
	m.stopCurrent()
	m.applied = s
	if next != nil {
		m.cur.Store(next)
		m.log.Info("managing the certificate", "domain", s.Domain, "ca", next.issuer.CA)
		go m.obtain(next)
	}
	return nil
}

// stopCurrent ends the current domain's issuance loop and drops its
// certificate from the cache. m.applyMu is held.
func (m *Manager) stopCurrent() {
	old := m.cur.Swap(nil)
	if old == nil {
		return
	}
	old.cancel()
	<-old.done
	m.cache.RemoveManaged([]certmagic.SubjectIssuer{{Subject: old.set.Domain}})
}

// configure makes the certmagic configuration for s.
func (m *Manager) configure(s Settings) (*managed, error) {
	var roots *x509.CertPool
	if s.RootPEM != "" {
		var err error
		if roots, err = x509.SystemCertPool(); err != nil || roots == nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM([]byte(s.RootPEM)) {
			return nil, errors.New("tlsmgr: the extra trusted root holds no certificate")
		}
	}
	mg := &managed{set: s, done: make(chan struct{})}
	mg.ctx, mg.cancel = context.WithCancel(context.Background())
	mg.cm = certmagic.New(m.cache, certmagic.Config{
		Storage:            &certmagic.FileStorage{Path: m.cfg.Dir},
		RenewalWindowRatio: m.cfg.RenewalWindowRatio,
		DefaultServerName:  s.Domain,
		Logger:             zapLogger(m.log),
		OnEvent: func(_ context.Context, event string, data map[string]any) error {
			m.event(mg, event, data)
			return nil
		},
	})
	ca := s.CA
	if ca == "" {
		ca = LetsEncrypt
	}
	mg.issuer = certmagic.NewACMEIssuer(mg.cm, certmagic.ACMEIssuer{
		CA: ca, Email: s.Email, Agreed: true, TrustedRoots: roots, Profile: m.cfg.Profile,
		ListenHost: m.cfg.ListenHost, AltHTTPPort: m.cfg.HTTPPort, AltTLSALPNPort: m.cfg.HTTPSPort,
		Logger: zapLogger(m.log),
	})
	mg.cm.Issuers = []certmagic.Issuer{mg.issuer}
	return mg, nil
}

// obtain loads the domain's certificate from storage, or obtains it, until
// that works, waiting longer after each failure. Once a certificate is
// cached, certmagic's maintenance renews it in the background (its own
// backoff), and event records how that goes.
func (m *Manager) obtain(mg *managed) {
	defer close(mg.done)
	wait := m.cfg.RetryFirst
	for {
		mg.mu.Lock()
		mg.obtaining, mg.stage = true, StageAsking
		mg.mu.Unlock()
		err := mg.cm.ManageSync(mg.ctx, []string{mg.set.Domain})
		if mg.ctx.Err() != nil {
			return
		}
		mg.mu.Lock()
		mg.obtaining, mg.stage = false, ""
		if err == nil {
			// Loaded or obtained; a certificate loaded but due for renewal
			// keeps the error of its failed renewal until maintenance renews.
			if c, ok := m.cached(mg.set.Domain); ok && !c.NeedsRenewal(mg.cm) {
				mg.lastErr, mg.lastErrAt, mg.nextTry, mg.problem = "", time.Time{}, time.Time{}, ""
			}
			mg.mu.Unlock()
			m.log.Info("certificate ready", "domain", mg.set.Domain)
			return
		}
		mg.lastErr, mg.lastErrAt, mg.problem = err.Error(), m.cfg.Now(), Classify(err)
		mg.nextTry = mg.lastErrAt.Add(wait)
		mg.mu.Unlock()
		m.log.Warn("could not get the certificate; will try again", "domain", mg.set.Domain, "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-mg.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, m.cfg.RetryMax)
	}
}

// event records what certmagic reports of the domain's certificate.
func (m *Manager) event(mg *managed, event string, data map[string]any) {
	renewal, _ := data["renewal"].(bool)
	switch event {
	case "cert_obtaining":
		mg.mu.Lock()
		mg.stage = StageAsking
		mg.mu.Unlock()
	case "cert_obtained":
		mg.mu.Lock()
		mg.lastErr, mg.lastErrAt, mg.nextTry, mg.renewFailed, mg.problem, mg.stage = "", time.Time{}, time.Time{}, 0, "", ""
		mg.mu.Unlock()
		m.log.Info("certificate obtained", "domain", data["identifier"], "renewal", renewal, "issuer", data["issuer"])
	case "cert_failed":
		err, _ := data["error"].(error)
		msg := "unknown error"
		if err != nil {
			msg = err.Error()
		}
		now := m.cfg.Now()
		mg.mu.Lock()
		mg.lastErr, mg.lastErrAt, mg.problem, mg.stage = msg, now, Classify(err), ""
		if renewal {
			// certmagic's maintenance retries a renewal at its next check
			// after its own backoff; this estimates that time.
			mg.nextTry = now.Add(max(renewalBackoff(mg.renewFailed), m.renewCheck()))
			mg.renewFailed++
		}
		mg.mu.Unlock()
		m.log.Warn("certificate request failed", "domain", data["identifier"], "renewal", renewal, "err", msg)
	}
}

func (m *Manager) renewCheck() time.Duration {
	if m.cfg.RenewCheckInterval > 0 {
		return m.cfg.RenewCheckInterval
	}
	return certmagic.DefaultRenewCheckInterval
}

// renewalBackoff is the least wait after the nth failed renewal in a row,
// as certmagic schedules it (its retryIntervals, shortened to its steps).
func renewalBackoff(n int) time.Duration {
	steps := []time.Duration{time.Minute, 2 * time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute,
		10 * time.Minute, 10 * time.Minute, 20 * time.Minute, 20 * time.Minute, 20 * time.Minute, 20 * time.Minute,
		30 * time.Minute, 30 * time.Minute, 30 * time.Minute, 30 * time.Minute, 30 * time.Minute, 30 * time.Minute,
		time.Hour, time.Hour, time.Hour, 2 * time.Hour, 2 * time.Hour, 3 * time.Hour, 3 * time.Hour, 6 * time.Hour}
	return steps[min(n, len(steps)-1)]
}

// Status is the state of the current domain's certificate.
func (m *Manager) Status() Status {
	mg := m.cur.Load()
	if mg == nil {
		return Status{State: StateOff}
	}
	st := Status{Domain: mg.set.Domain}
	if leaf := m.leaf(mg.set.Domain); leaf != nil {
		st.Names = leaf.DNSNames
		st.Issuer = leaf.Issuer.CommonName
		if st.Issuer == "" {
			st.Issuer = leaf.Issuer.String()
		}
		st.NotBefore, st.NotAfter = leaf.NotBefore, leaf.NotAfter
	}
	mg.mu.Lock()
	st.LastError, st.LastErrorAt, st.NextTry, st.Problem = mg.lastErr, mg.lastErrAt, mg.nextTry, mg.problem
	obtaining := mg.obtaining
	if obtaining {
		st.Stage = mg.stage
	}
	mg.mu.Unlock()
	switch {
	case st.LastError != "":
		st.State = StateFailed
	case st.NotAfter.IsZero() || obtaining:
		st.State = StateObtaining
	default:
		st.State = StateValid
	}
	return st
}

// leaf is the newest cached certificate for name.
func (m *Manager) leaf(name string) *x509.Certificate {
	if c, ok := m.cached(name); ok {
		return c.Leaf
	}
	return nil
}

// cached is the newest cached certificate for name.
func (m *Manager) cached(name string) (certmagic.Certificate, bool) {
	var best certmagic.Certificate
	found := false
	for _, c := range m.cache.AllMatchingCertificates(name) {
		if c.Leaf != nil && (!found || c.Leaf.NotAfter.After(best.Leaf.NotAfter)) {
			best, found = c, true
		}
	}
	return best, found
}

// GetCertificate serves the current domain's certificate, and answers
// TLS-ALPN-01 challenges.
func (m *Manager) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	mg := m.cur.Load()
	if mg == nil {
		return nil, errors.New("no domain is configured, so there is no certificate to serve")
	}
	if slices.Contains(hello.SupportedProtos, "acme-tls/1") {
		mg.proving()
	}
	return mg.cm.GetCertificate(hello)
}

// TLSConfig is the public HTTPS listener's configuration: the managed
// certificate, TLS 1.2 or later with forward-secret AEAD suites only,
// HTTP/2, and the ACME TLS-ALPN-01 protocol.
func (m *Manager) TLSConfig() *tls.Config {
	c := modernTLS()
	c.GetCertificate = m.GetCertificate
	c.NextProtos = append(c.NextProtos, "acme-tls/1")
	return c
}

// modernTLS is what every listener of the service takes: TLS 1.2 or later,
// forward-secret AEAD suites only, HTTP/2.
func modernTLS() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// TLS 1.3's suites are not configurable (all are modern); these
		// are the TLS 1.2 ones kept.
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
		NextProtos: []string{"h2", "http/1.1"},
	}
}

// HTTPHandler answers ACME HTTP-01 challenges for the current domain and
// passes every other request to next.
func (m *Manager) HTTPHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mg := m.cur.Load(); mg != nil && certmagic.LooksLikeHTTPChallenge(r) && mg.issuer.HandleHTTPChallenge(w, r) {
			mg.proving()
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Close stops managing: no more issuance or renewal.
func (m *Manager) Close() {
	m.applyMu.Lock()
	defer m.applyMu.Unlock()
	if m.closed {
		return
	}
	m.closed = true
	m.stopCurrent()
	m.cache.Stop()
}

// Dir is the folder of the data folder dataDir that keeps the domain's
// certificates, their keys and the ACME account.
func Dir(dataDir string) string { return filepath.Join(dataDir, "certificates") }
