// Package mailtest runs a real SMTP server for tests: an in-process
// emersion/go-smtp server on loopback that offers STARTTLS (or implicit
// TLS), requires AUTH PLAIN over TLS, and records every message it accepts.
// It can be stopped and started again on the same port, as an office's mail
// server goes down and comes back.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // the conversation was encrypted
	User string // who authenticated
}

// Server is a running test SMTP server.
type Server struct {
	Host     string // "127.0.0.1"
	Port     int
	Username string
	Password string
	// ImplicitTLS serves TLS from the first byte (port 465 style) instead
	// of STARTTLS; set it through WithImplicitTLS.
	ImplicitTLS bool

	tlsConfig *tls.Config
	pool      *x509.CertPool
	certPEM   []byte

	mu   sync.Mutex
	srv  *smtp.Server
	msgs []Message
	seen chan struct{} // closed and replaced at every accepted message

	refused map[string]bool // recipients answered 550

	hold    chan struct{} // while not nil, DATA waits for it to close
	held    chan struct{} // gets a value when a DATA starts waiting
	release bool          // what a held DATA answers: accepted, or 451
}

// Option changes how Start starts the server.
type Option func(*Server)

// WithImplicitTLS serves TLS from the first byte instead of STARTTLS.
func WithImplicitTLS() Option { return func(s *Server) { s.ImplicitTLS = true } }

// Start runs a server on 127.0.0.1 at a free port until the test ends. Its
// login is Username and Password; its certificate is for 127.0.0.1 and
// signed by RootCAs.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{Host: "127.0.0.1", Username: "portal@example.org", Password: "smtp-Secret-42", seen: make(chan struct{})}
	for _, opt := range opts {
		opt(s)
	}
	cert, pool, err := selfSigned()
	if err != nil {
		t.Fatalf("mailtest: certificate: %v", err)
	}
	s.tlsConfig, s.pool = &tls.Config{Certificates: []tls.Certificate{cert}}, pool
	s.certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	if err := s.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// RootCAs trusts the server's certificate.
func (s *Server) RootCAs() *x509.CertPool { return s.pool }

// CertPEM is the server's certificate in PEM: a separate process (the real
// binary) trusts it through SSL_CERT_FILE.
func (s *Server) CertPEM() []byte { return s.certPEM }

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s *Server) listen(addr string) error {
	var ln net.Listener
	var err error
	if s.ImplicitTLS {
		ln, err = tls.Listen("tcp", addr, s.tlsConfig)
	} else {
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		return err
	}
	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = "mailtest.invalid"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if !s.ImplicitTLS {
		srv.TLSConfig = s.tlsConfig
	}
	s.mu.Lock()
	s.srv, s.Port = srv, ln.Addr().(*net.TCPAddr).Port
	s.mu.Unlock()
	go srv.Serve(ln)
	return nil
}

// Stop closes the server and its connections: the port refuses
// connections until Restart.
func (s *Server) Stop() {
	s.Release(false)
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart serves again on the same port, keeping what was received.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	var err error
	for range 50 { // the old socket may linger a moment
		if err = s.listen(s.Addr()); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("mailtest: listen again on %s: %v", s.Addr(), err)
}

// Messages is a copy of what the server accepted, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait waits until the server has accepted at least n messages, failing the
// test after timeout, and returns them.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		msgs, seen := append([]Message(nil), s.msgs...), s.seen
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-seen:
		case <-deadline:
			t.Fatalf("mailtest: %d messages after %s, want %d", len(msgs), timeout, n)
		}
	}
}

// ErrBadLogin is the server's answer to a wrong user name or password.
var ErrBadLogin = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted"}

// Refuse makes the server answer RCPT TO:<addr> with 550 5.1.1, as for a
// mailbox that does not exist.
func (s *Server) Refuse(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused == nil {
		s.refused = map[string]bool{}
	}
	s.refused[addr] = true
}

// Hold makes the server read the next messages but answer their DATA only
// at Release: the service is caught in the middle of a conversation.
func (s *Server) Hold() {
	s.mu.Lock()
	s.hold, s.held = make(chan struct{}), make(chan struct{}, 64)
	s.mu.Unlock()
}

// Held waits until a DATA is being held, failing the test after timeout.
func (s *Server) Held(t testing.TB, timeout time.Duration) {
	t.Helper()
	s.mu.Lock()
	held := s.held
	s.mu.Unlock()
	select {
	case <-held:
	case <-time.After(timeout):
		t.Fatalf("mailtest: no DATA held after %s", timeout)
	}
}

// Release answers the held DATA: accept records the messages and says 250;
// else the server says 451 and keeps nothing.
func (s *Server) Release(accept bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hold != nil {
		s.release = accept
		close(s.hold)
		s.hold = nil
	}
}

type backend struct{ s *Server }

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.s.Username || password != se.s.Password {
			return ErrBadLogin
		}
		se.user = username
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.user == "" {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	refused := se.s.refused[to]
	se.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := se.conn.TLSConnectionState()
	se.s.mu.Lock()
	if hold := se.s.hold; hold != nil {
		se.s.held <- struct{}{}
		se.s.mu.Unlock()
		<-hold
		se.s.mu.Lock()
		if !se.s.release {
			se.s.mu.Unlock()
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Message not accepted"}
		}
	}
	se.s.msgs = append(se.s.msgs, Message{From: se.from, To: se.to, Data: bytes.Clone(data), TLS: isTLS, User: se.user})
	close(se.s.seen)
	se.s.seen = make(chan struct{})
	se.s.mu.Unlock()
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool, nil
}
