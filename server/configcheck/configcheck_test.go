package configcheck_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/configcheck"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
	"clientportal/store"
)

var ctx = context.Background()

// The network here is closed: no DNS, no internet. The resolver is a table
// and "this machine's public address" a fixed answer (or a failure); the
// domain's HTTPS port is a real TLS listener on loopback, reached through
// the injected dialer; the mail server is the real go-smtp test server.
type fakeResolver map[string][]string

func (f fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ips, ok := f[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, ip := range ips {
		out = append(out, net.IPAddr{IP: net.ParseIP(ip)})
	}
	return out, nil
}

// testCA makes a CA and a leaf for name valid from notBefore to notAfter.
func testCA(t *testing.T, name string, notBefore, notAfter time.Time) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: notBefore, NotAfter: notAfter, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key}, pool
}

type setup struct {
	env      *servertest.Env
	key      string
	https    *httptest.Server
	httpPort int
	cfg      configcheck.Config
}

const domain = "office.example"

// start runs the real service (the demo office) with domain set, serves its
// handler over TLS with cert on a loopback port standing in for 443, and
// points the check at it.
func start(t *testing.T, cert tls.Certificate, pool *x509.CertPool) *setup {
	key := filepath.Join(t.TempDir(), "office.key")
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) { c.OfficeKey = key }))
	err := env.Store.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.Domain = domain
		return tx.PutSettings(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	https := httptest.NewUnstartedServer(env.Server.Handler())
	https.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	https.StartTLS()
	t.Cleanup(https.Close)
	httpsAddr := https.Listener.Addr().(*net.TCPAddr)
	httpPort := env.HTTP.Listener.Addr().(*net.TCPAddr).Port
	s := &setup{env: env, key: key, https: https, httpPort: httpPort}
	s.cfg = configcheck.Config{
		Store: env.Store, OfficeKey: key,
		Resolver: fakeResolver{domain: {"203.0.113.7"}},
		PublicIP: func(context.Context) (net.IP, error) { return net.ParseIP("203.0.113.7"), nil },
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, _ := net.SplitHostPort(addr)
			if host == domain { // the domain is this machine
				addr = net.JoinHostPort("127.0.0.1", port)
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		HTTPPort: httpPort, HTTPSPort: httpsAddr.Port, RootCAs: pool, Timeout: 3 * time.Second,
	}
	return s
}

func (s *setup) run(t *testing.T) map[string]api.ConfigCheck {
	t.Helper()
	rep, err := configcheck.New(s.cfg).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]api.ConfigCheck{}
	for _, c := range rep.Checks {
		out[c.Name] = c
	}
	problems := false
	for _, c := range rep.Checks {
		problems = problems || c.Status == api.CheckProblem
	}
	if rep.OK == problems {
		t.Errorf("report OK %v with problems %v", rep.OK, problems)
	}
	return out
}

func want(t *testing.T, got api.ConfigCheck, status string, says ...string) {
	t.Helper()
	if got.Status != status {
		t.Errorf("%s: %s (%s / %s), want %s", got.Name, got.Status, got.Summary, got.Fix, status)
	}
	for _, s := range says {
		if !strings.Contains(got.Summary+" "+got.Fix, s) {
			t.Errorf("%s says %q / %q, want it to say %q", got.Name, got.Summary, got.Fix, s)
		}
	}
	if got.Status == api.CheckProblem && got.Fix == "" {
		t.Errorf("%s: a problem with nothing to do", got.Name)
	}
}

func setMail(t *testing.T, st *store.Store, smtp *mailtest.Server, password string) {
	t.Helper()
	err := st.Update(ctx, func(tx *store.Tx) error {
		m := store.DefaultMailSettings()
		m.Host, m.Port, m.Username, m.Password, m.From = smtp.Host, smtp.Port, smtp.Username, password, "portal@example.org"
		return tx.PutMailSettings(m)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Everything right: the domain resolves to the public address, ports 80
// and 443 are the portal's own, the mail server takes the login, the
// certificate is valid for 60 days, the key opens the documents.
func TestAllGood(t *testing.T) {
	cert, pool := testCA(t, domain, time.Now().Add(-time.Hour), time.Now().Add(60*24*time.Hour+time.Hour))
	s := start(t, cert, pool)
	smtp := mailtest.Start(t)
	setMail(t, s.env.Store, smtp, smtp.Password)
	s.cfg.MailRootCAs = smtp.RootCAs()
	got := s.run(t)
	want(t, got["domain"], api.CheckOK, "office.example resolves to 203.0.113.7, this machine's public address")
	want(t, got["ports"], api.CheckOK, "used by this portal service")
	want(t, got["mail"], api.CheckOK, "answers and accepts the login of portal@example.org")
	want(t, got["certificate"], api.CheckOK, "valid for 60 more days", "Test CA")
	want(t, got["office_key"], api.CheckOK, s.key)
}

// Each thing wrong in turn is a problem (or a warning) that says what to do.
func TestProblemsSayWhatToDo(t *testing.T) {
	cert, pool := testCA(t, domain, time.Now().Add(-time.Hour), time.Now().Add(60*24*time.Hour))
	s := start(t, cert, pool)

	t.Run("domain elsewhere", func(t *testing.T) {
		c := s.cfg
		c.Resolver = fakeResolver{domain: {"198.51.100.20"}}
		want(t, check(t, c, "domain"), api.CheckProblem, "198.51.100.20", "point the A record of office.example at 203.0.113.7")
	})
	t.Run("domain does not resolve", func(t *testing.T) {
		c := s.cfg
		c.Resolver = fakeResolver{}
		want(t, check(t, c, "domain"), api.CheckProblem, "does not resolve", "create an A record", "203.0.113.7")
	})
	t.Run("public address unknown", func(t *testing.T) {
		c := s.cfg
		c.PublicIP = func(context.Context) (net.IP, error) { return nil, errors.New("no internet") }
		want(t, check(t, c, "domain"), api.CheckWarning, "could not be learned", "router")
	})
	t.Run("port taken by another program", func(t *testing.T) {
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("It works!")) }))
		defer other.Close()
		c := s.cfg
		c.HTTPPort = other.Listener.Addr().(*net.TCPAddr).Port
		want(t, check(t, c, "ports"), api.CheckProblem, "port "+strconv.Itoa(c.HTTPPort)+" is used by another program", "Stop the other program")
	})
	t.Run("ports free", func(t *testing.T) {
		c := s.cfg
		c.HTTPPort, c.HTTPSPort = freePort(t), freePort(t)
		want(t, check(t, c, "ports"), api.CheckOK, "are free")
	})
	t.Run("mail login refused", func(t *testing.T) {
		smtp := mailtest.Start(t)
		setMail(t, s.env.Store, smtp, "wrong password")
		c := s.cfg
		c.MailRootCAs = smtp.RootCAs()
		want(t, check(t, c, "mail"), api.CheckProblem, "refused the login of portal@example.org", "535", "user name and password")
	})
	t.Run("mail server untrusted", func(t *testing.T) {
		smtp := mailtest.Start(t)
		setMail(t, s.env.Store, smtp, smtp.Password)
		want(t, check(t, s.cfg, "mail"), api.CheckProblem, "encrypted connection failed", "certificate")
	})
	t.Run("mail server down", func(t *testing.T) {
		smtp := mailtest.Start(t)
		setMail(t, s.env.Store, smtp, smtp.Password)
		smtp.Stop()
		want(t, check(t, s.cfg, "mail"), api.CheckProblem, "does not answer", "host name and port")
	})
	t.Run("no mail server", func(t *testing.T) {
		s.env.Store.Update(ctx, func(tx *store.Tx) error { return tx.PutMailSettings(store.DefaultMailSettings()) })
		want(t, check(t, s.cfg, "mail"), api.CheckWarning, "No mail server is set")
	})
	t.Run("certificate expiring", func(t *testing.T) {
		c := s.cfg
		c.Now = func() time.Time { return time.Now().Add(50 * 24 * time.Hour) }
		want(t, check(t, c, "certificate"), api.CheckWarning, "only for 9 more days", "/api/v1/tls")
	})
	t.Run("certificate expired", func(t *testing.T) {
		c := s.cfg
		c.Now = func() time.Time { return time.Now().Add(61 * 24 * time.Hour) }
		want(t, check(t, c, "certificate"), api.CheckProblem, "expired on")
	})
	t.Run("certificate from an untrusted CA", func(t *testing.T) {
		c := s.cfg
		c.RootCAs = x509.NewCertPool()
		want(t, check(t, c, "certificate"), api.CheckProblem, "not valid", "unknown authority")
	})
	t.Run("nothing on 443", func(t *testing.T) {
		c := s.cfg
		c.HTTPSPort = freePort(t)
		want(t, check(t, c, "certificate"), api.CheckProblem, "Nothing answers", "Start the portal service")
	})
	t.Run("office key", func(t *testing.T) {
		// A document makes the key matter.
		l := s.env.Login(t, "staff", "")
		cl, _ := apiclient.New(s.env.URL)
		if _, err := cl.Login(ctx, l.Email, l.Password); err != nil {
			t.Fatal(err)
		}
		if _, err := cl.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: "a.txt", Content: strings.NewReader("hello\n")}); err != nil {
			t.Fatal(err)
		}
		want(t, check(t, s.cfg, "office_key"), api.CheckOK, "opens the stored documents (1)")
		c := s.cfg
		c.OfficeKey = filepath.Join(t.TempDir(), "missing.key")
		want(t, check(t, c, "office_key"), api.CheckProblem, "missing", "Put the office's copy of the key back")
		other := filepath.Join(t.TempDir(), "other.key")
		os.WriteFile(other, []byte("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n"), 0o600)
		c.OfficeKey = other
		want(t, check(t, c, "office_key"), api.CheckProblem, "does not open the stored documents")
		os.WriteFile(other, []byte("not a key\n"), 0o600)
		want(t, check(t, c, "office_key"), api.CheckProblem, "is not an office key")
	})
}

func check(t *testing.T, c configcheck.Config, name string) api.ConfigCheck {
	t.Helper()
	rep, err := configcheck.New(c).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range rep.Checks {
		if ch.Name == name {
			return ch
		}
	}
	t.Fatalf("no %s check", name)
	return api.ConfigCheck{}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// The staff API offers the same report, to administrators only.
func TestStaffAPI(t *testing.T) {
	cert, pool := testCA(t, domain, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour))
	_ = cert
	key := filepath.Join(t.TempDir(), "office.key")
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) {
		c.OfficeKey = key
		c.ConfigCheck = configcheck.Config{Resolver: fakeResolver{}, PublicIP: func(context.Context) (net.IP, error) { return nil, errors.New("closed network") },
			HTTPPort: freePort(t), HTTPSPort: freePort(t), RootCAs: pool}
	}))
	login := func(email string) *apiclient.Client {
		l := env.Login(t, "staff", email)
		c, _ := apiclient.New(env.URL)
		if _, err := c.Login(ctx, l.Email, l.Password); err != nil {
			t.Fatal(err)
		}
		return c
	}
	rep, err := login("dana@riverside.example").ConfigCheck(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Checks) != 5 || rep.Checks[0].Name != "domain" || rep.Checks[4].Name != "office_key" {
		t.Errorf("report %+v", rep)
	}
	if _, err := login("marcus@riverside.example").ConfigCheck(ctx); !apiclient.IsCode(err, "admin_only") {
		t.Errorf("a staff member (not an administrator) got the report: %v", err)
	}
}
