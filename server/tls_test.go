package server_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/server/tlsmgr"
	"clientportal/server/tlsmgr/pebbletest"
	"clientportal/store"
)

// domainRun is the real service started by server.Run with a domain set.
type domainRun struct {
	dir                 string
	httpPort, httpsPort int
	redirectPort        int // the network's plain HTTP (the wizard's install keeps HTTP on loopback)
	staffPort           int
	domain              string
	logins              []demo.Login
	said                []string
	fingerprint         string // as serve printed it
	cancel              context.CancelFunc
	done                chan error
}

// startWithDomain fills a data folder with the demo office, sets its
// domain and ACME settings, and runs the service on loopback ports (plain
// HTTP, the redirect listener and HTTPS as given, the staff listener on a
// free port) until the test ends, as the wizard installs it: plain HTTP for
// this computer, the redirect listener where browsers and the CA come.
func startWithDomain(t *testing.T, domain string, ts store.TLSSettings, httpPort, redirectPort, httpsPort int, tune func(*tlsmgr.Config)) *domainRun {
	t.Helper()
	r := &domainRun{dir: t.TempDir(), httpPort: httpPort, redirectPort: redirectPort, httpsPort: httpsPort, staffPort: pebbletest.FreePort(t), domain: domain, done: make(chan error, 1)}
	st, err := store.Open(r.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hasher := password.Hasher{Params: password.TestParams}
	if r.logins, err = demo.Fill(context.Background(), st, hasher); err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.Domain = domain
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		return tx.PutTLSSettings(ts)
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var logOut io.Writer = io.Discard
	if testing.Verbose() {
		logOut = os.Stderr
	}
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		r.done <- server.Run(ctx, server.RunConfig{
			DataDir: r.dir, HTTPAddr: "127.0.0.1:" + strconv.Itoa(httpPort), HTTPSAddr: "127.0.0.1:" + strconv.Itoa(httpsPort),
			StaffAddr: "127.0.0.1:" + strconv.Itoa(r.staffPort), RedirectAddr: "127.0.0.1:" + strconv.Itoa(redirectPort), Version: "test", OfficeKey: t.TempDir() + "/office.key", Hasher: hasher,
			Logger: slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo})), Out: pw, TuneTLS: tune,
		})
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not stop within 20 s")
		}
	})
	sc := bufio.NewScanner(pr)
	next := false
	for sc.Scan() {
		l := sc.Text()
		r.said = append(r.said, l)
		if next {
			r.fingerprint, next = strings.TrimSpace(l), false
		}
		if strings.HasPrefix(l, "Its certificate's SHA-256 fingerprint") {
			next = true
		}
		if l == "Press Ctrl+C to stop." {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if r.fingerprint == "" {
		select {
		case err := <-r.done:
			t.Fatalf("Run ended: %v\n%s", err, strings.Join(r.said, "\n"))
		default:
		}
		t.Fatalf("serve printed no staff fingerprint:\n%s", strings.Join(r.said, "\n"))
	}
	return r
}

func (r *domainRun) admin(t *testing.T) demo.Login {
	for _, l := range r.logins {
		if l.Email == "dana@riverside.example" {
			return l
		}
	}
	t.Fatal("no demo admin")
	return demo.Login{}
}

// staffClient logs in as the demo admin through the staff listener, with
// the fingerprint serve printed pinned.
func (r *domainRun) staffClient(t *testing.T) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New("https://127.0.0.1:"+strconv.Itoa(r.staffPort), apiclient.WithPinnedFingerprint(r.fingerprint))
	if err != nil {
		t.Fatal(err)
	}
	a := r.admin(t)
	if _, err := c.Login(context.Background(), a.Email, a.Password); err != nil {
		t.Fatalf("log in through the staff listener: %v", err)
	}
	return c
}

// httpsClient reaches every name at 127.0.0.1, trusts only roots, and
// does not follow redirects.
func httpsClient(roots *x509.CertPool) *http.Client {
	dial := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, port, _ := net.SplitHostPort(addr)
				return dial.DialContext(ctx, network, "127.0.0.1:"+port)
			},
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// servedCert is the certificate the HTTPS listener presents for name,
// verified against roots.
func servedCert(name string, port int, roots *x509.CertPool) (*x509.Certificate, error) {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", "127.0.0.1:"+strconv.Itoa(port),
		&tls.Config{ServerName: name, RootCAs: roots})
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0], nil
}

// waitFor polls cond every 500 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %s", what, d, state)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestCertificateFromPebble: a real certificate from Pebble (a real ACME CA
// on loopback) for a test domain. The service starts while the CA is down:
// it serves, says why it has no certificate and when it tries again, and
// gets one once the CA is up; a client that trusts only Pebble's root gets
// the portal over HTTP/2 with HSTS; a short-lived certificate is renewed
// and the new one served without a restart; a new domain set through the
// staff API is served without a restart; and with Pebble stopped at
// renewal time the service keeps serving the old certificate and reports
// the error and the next try.
func TestCertificateFromPebble(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pebble and waits for renewals")
	}
	httpPort, redirectPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t), pebbletest.FreePort(t)
	// The CA checks plain HTTP where the network reaches it: the redirect listener.
	ca := pebbletest.New(t, pebbletest.Options{HTTPPort: redirectPort, TLSPort: httpsPort, ShortLived: 40 * time.Second})
	const domain = "portal.riverside.test"
	r := startWithDomain(t, domain, store.TLSSettings{ACMEEmail: "it@riverside.example", ACMECA: ca.Directory, ACMERootPEM: ca.RootPEM},
		httpPort, redirectPort, httpsPort, func(c *tlsmgr.Config) {
			c.Profile = "shortlived"
			c.RenewCheckInterval = 2 * time.Second
			c.RenewalWindowRatio = 0.6 // renew 16 s into a 40 s certificate
			c.RetryFirst = time.Second
		})
	ctx := context.Background()
	staff := r.staffClient(t)

	// The CA is down: the service serves and says so.
	waitFor(t, 15*time.Second, "the failed issuance in GET /api/v1/tls", func() (bool, string) {
		st, err := staff.TLS(ctx)
		return err == nil && st.State == api.TLSFailed && st.LastError != "" && st.NextTry != nil && st.NotAfter == nil, fmt.Sprintf("%+v %v", st, err)
	})
	if st, _ := staff.TLS(ctx); st.StaffFingerprint != r.fingerprint || !strings.Contains(st.Message, "could not be obtained") {
		t.Errorf("TLS while the CA is down = %+v; want the staff fingerprint %s and a message", st, r.fingerprint)
	}

	// The CA comes up: the next try gets the certificate.
	ca.Start()
	roots := ca.Roots(t)
	var first *x509.Certificate
	waitFor(t, 30*time.Second, "the first certificate served", func() (bool, string) {
		c, err := servedCert(domain, httpsPort, roots)
		first = c
		return err == nil, fmt.Sprint(err)
	})
	if st, err := staff.TLS(ctx); err != nil || st.State != api.TLSValid || st.LastError != "" || len(st.Names) != 1 || st.Names[0] != domain ||
		st.NotAfter == nil || !st.NotAfter.Equal(first.NotAfter) || st.Issuer == "" {
		t.Errorf("TLS after issuance = %+v, %v", st, err)
	}
	if kept, err := tlsmgr.StoredCertificate(r.dir, domain); err != nil || !kept.Equal(first) {
		t.Errorf("StoredCertificate = %v, %v; want the served certificate", kept, err)
	}
	if _, err := tlsmgr.StoredCertificate(r.dir, "other.riverside.test"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("StoredCertificate of a name never issued: %v; want fs.ErrNotExist", err)
	}
	hc := httpsClient(roots)
	base := "https://" + domain + ":" + strconv.Itoa(httpsPort)
	resp, err := hc.Get(base + "/login")
	if err != nil {
		t.Fatalf("GET /login over HTTPS: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 || !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("GET /login over HTTPS: %d %s HSTS %q; want 200 over HTTP/2 with HSTS", resp.StatusCode, resp.Proto, resp.Header.Get("Strict-Transport-Security"))
	}

	sslscanReport(t, domain, httpsPort)

	// Renewal: a new certificate is served, without a restart.
	waitFor(t, 60*time.Second, "a renewed certificate served", func() (bool, string) {
		c, err := servedCert(domain, httpsPort, roots)
		return err == nil && c.SerialNumber.Cmp(first.SerialNumber) != 0 && c.NotAfter.After(first.NotAfter), fmt.Sprint(err)
	})

	// A new domain, set through the staff API, is served without a restart.
	const other = "clients.riverside.test"
	if _, err := staff.PutDomainSettings(ctx, api.DomainInput{Domain: ptr(other)}); err != nil {
		t.Fatalf("PutDomainSettings: %v", err)
	}
	waitFor(t, 30*time.Second, "the new domain's certificate served", func() (bool, string) {
		c, err := servedCert(other, httpsPort, roots)
		st, _ := staff.TLS(ctx)
		return err == nil && len(c.DNSNames) == 1 && c.DNSNames[0] == other && st.State == api.TLSValid && st.Domain == other, fmt.Sprintf("%v %+v", err, st)
	})

	// The CA goes down at renewal time: the old certificate is still
	// served, and staff see the error and the next try.
	served, err := servedCert(other, httpsPort, roots)
	if err != nil {
		t.Fatal(err)
	}
	ca.Stop()
	waitFor(t, 60*time.Second, "the failed renewal in GET /api/v1/tls", func() (bool, string) {
		st, err := staff.TLS(ctx)
		return err == nil && st.State == api.TLSFailed && st.LastError != "" && st.NextTry != nil && st.NotAfter != nil, fmt.Sprintf("%+v %v", st, err)
	})
	st, _ := staff.TLS(ctx)
	if !st.NextTry.After(*st.LastErrorAt) || !st.NotAfter.Equal(served.NotAfter) || !strings.Contains(st.Message, "still served") {
		t.Errorf("TLS after the failed renewal = %+v; want a next try after the error, the served certificate's expiry %s", st, served.NotAfter)
	}
	if c, err := servedCert(other, httpsPort, roots); err != nil || c.SerialNumber.Cmp(served.SerialNumber) != 0 {
		t.Errorf("after the failed renewal the HTTPS listener serves %v, %v; want the old certificate", c, err)
	}
	if resp, err := hc.Get("https://" + other + ":" + strconv.Itoa(httpsPort) + "/login"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /login after the failed renewal: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

func ptr[T any](v T) *T { return &v }

// TestDomainListeners: with a domain set and no CA reachable, the service
// still serves: plain HTTP redirects to HTTPS keeping the path, the query
// and the non-standard port (and answers /healthz itself); the staff
// listener serves the staff API to a client that pinned the fingerprint
// serve printed, and refuses one that pinned another; GET /api/v1/tls there
// reports the failed issuance and the next try.
func TestDomainListeners(t *testing.T) {
	httpPort, redirectPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t), pebbletest.FreePort(t)
	const domain = "portal.riverside.test"
	r := startWithDomain(t, domain, store.TLSSettings{ACMEEmail: "it@riverside.example", ACMECA: "https://127.0.0.1:1/dir"},
		httpPort, redirectPort, httpsPort, func(c *tlsmgr.Config) { c.RetryFirst = time.Hour })
	said := strings.Join(r.said, "\n")
	for _, want := range []string{"Serving the client portal at https://" + domain + ":" + strconv.Itoa(httpsPort) + "/login",
		"plain HTTP on 127.0.0.1:" + strconv.Itoa(redirectPort) + " answers the certificate authority and sends browsers to HTTPS",
		"Staff listener for the control panel on the office network: https://127.0.0.1:" + strconv.Itoa(r.staffPort)} {
		if !strings.Contains(said, want) {
			t.Errorf("serve did not say %q:\n%s", want, said)
		}
	}

	// Redirects keep the path, the query and the HTTPS port, on the
	// network's plain HTTP (the redirect listener) and on this computer's.
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, port := range []int{redirectPort, httpPort} {
		for _, target := range []string{"/", "/cases/3/messages?before=12&x=a%20b", "/login?next=%2Fcases"} {
			resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(port) + target)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := "https://" + domain + ":" + strconv.Itoa(httpsPort) + target
			if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
				t.Errorf("GET http://...:%d%s: %d Location %q; want 308 to %s", port, target, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
	}
	// The plain listener is on loopback only: the staff API stays there
	// for this computer (the control panel that set the domain). The
	// redirect listener is the network's: nothing but redirects, even to a
	// request from this computer.
	if resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(httpPort) + "/api/v1/me"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me on the loopback plain listener: %v %v; want the API's 401", resp, err)
	} else {
		resp.Body.Close()
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/setup", "/healthz"} {
		if resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(redirectPort) + p); err != nil || resp.StatusCode != http.StatusPermanentRedirect {
			t.Errorf("GET %s on the redirect listener: %v %v; want 308 to HTTPS", p, resp, err)
		} else {
			resp.Body.Close()
		}
	}
	// A forged Host does not choose where the redirect goes.
	req, _ := http.NewRequest("GET", "http://127.0.0.1:"+strconv.Itoa(redirectPort)+"/login", nil)
	req.Host = "evil.example"
	if resp, err := plain.Do(req); err != nil || !strings.HasPrefix(resp.Header.Get("Location"), "https://"+domain+":") {
		t.Errorf("redirect with Host evil.example: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// Nor does a request in absolute form, or a path that looks like a host.
	for raw, want := range map[string]string{
		"GET http://evil.example/steal?x=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n": "/steal?x=1",
		"GET //evil.example/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n":                 "//evil.example/x",
	} {
		conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(redirectPort))
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(raw))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		if loc := resp.Header.Get("Location"); loc != "https://"+domain+":"+strconv.Itoa(httpsPort)+want {
			t.Errorf("%q: Location %q", raw, loc)
		}
	}
	if resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(httpPort) + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz on plain HTTP: %v %v; want 200", resp, err)
	} else {
		resp.Body.Close()
	}

	// The pinned staff listener.
	ctx := context.Background()
	staffURL := "https://127.0.0.1:" + strconv.Itoa(r.staffPort)
	got, err := apiclient.FetchFingerprint(ctx, staffURL)
	if err != nil || got != r.fingerprint {
		t.Fatalf("FetchFingerprint = %q, %v; serve printed %q", got, err, r.fingerprint)
	}
	staff := r.staffClient(t)
	waitFor(t, 15*time.Second, "the failed issuance in GET /api/v1/tls", func() (bool, string) {
		st, err := staff.TLS(ctx)
		return err == nil && st.State == api.TLSFailed && st.LastError != "" && st.NextTry != nil && st.NextTry.After(time.Now().Add(50*time.Minute)) &&
			st.StaffFingerprint == r.fingerprint && st.Domain == domain, fmt.Sprintf("%+v %v", st, err)
	})
	// The right fingerprint in another spelling is the same pin.
	lower := strings.ToLower(strings.ReplaceAll(r.fingerprint, ":", ""))
	if c, err := apiclient.New(staffURL, apiclient.WithPinnedFingerprint(lower)); err != nil {
		t.Fatal(err)
	} else if _, err := c.Login(ctx, r.admin(t).Email, r.admin(t).Password); err != nil {
		t.Errorf("login with the fingerprint in lower case without colons: %v", err)
	}
	wrong := "00" + r.fingerprint[2:]
	if r.fingerprint[:2] == "00" {
		wrong = "11" + r.fingerprint[2:]
	}
	c, err := apiclient.New(staffURL, apiclient.WithPinnedFingerprint(wrong))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(ctx, r.admin(t).Email, r.admin(t).Password)
	var pe *apiclient.PinError
	if !errors.As(err, &pe) || pe.Got != r.fingerprint || pe.Want != wrong || !strings.Contains(err.Error(), "not the paired") {
		t.Errorf("login with a wrong pin: %v; want a *PinError naming both fingerprints", err)
	}
	// Without a pin the system roots do not know the staff certificate.
	if c, err := apiclient.New(staffURL); err != nil {
		t.Fatal(err)
	} else if _, err := c.Login(ctx, r.admin(t).Email, r.admin(t).Password); err == nil {
		t.Error("login to the staff listener without a pin succeeded")
	}
	for _, bad := range []string{"", "AB:CD", strings.Repeat("Z", 64)} {
		if _, err := apiclient.New(staffURL, apiclient.WithPinnedFingerprint(bad)); err == nil || !strings.Contains(err.Error(), "64 hex digits") {
			t.Errorf("pin %q: %v; want a clear refusal", bad, err)
		}
	}
	if _, err := apiclient.New("http://127.0.0.1:1", apiclient.WithPinnedFingerprint(r.fingerprint)); err == nil {
		t.Error("a pin with an http:// address was accepted")
	}
	// The staff listener serves the staff API, not the portal's pages.
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if resp, err := hc.Get(staffURL + "/login"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /login on the staff listener: %v %v; want 404", resp, err)
	} else {
		resp.Body.Close()
	}

	// The domain removed while the service runs: this computer's plain
	// HTTP serves the portal again, the network's answers nothing.
	admin := r.staffClient(t)
	if _, err := admin.PutDomainSettings(ctx, api.DomainInput{Domain: ptr("")}); err != nil {
		t.Fatalf("remove the domain: %v", err)
	}
	waitFor(t, 10*time.Second, "the portal on this computer's plain HTTP", func() (bool, string) {
		resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(httpPort) + "/login")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(redirectPort) + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), "<form") || !strings.Contains(string(body), "no domain set") {
		t.Errorf("GET /login on the redirect listener without a domain: %d %q; want 404 saying there is no domain", resp.StatusCode, body)
	}

	// The certificate stays the same across restarts (pins hold).
	r.cancel()
	if err := <-r.done; err != nil {
		t.Errorf("Run: %v", err)
	}
	r.done <- nil
	cert, err := tlsmgr.LoadOrCreateStaff(r.dir)
	if err != nil || cert.Fingerprint != r.fingerprint {
		t.Errorf("the staff certificate after a restart: %s, %v; want %s", cert.Fingerprint, err, r.fingerprint)
	}
}

// TestPublicListenerRefusesStaffAPI: the handler the internet reaches
// refuses the staff API with a JSON error that says what to do, unless the
// office allowed it; the portal and the setup route (with its own
// this-computer rule) are served.
func TestPublicListenerRefusesStaffAPI(t *testing.T) {
	env := startPublic(t)
	for _, p := range []string{api.PathSession, api.PathMe, api.PathTLS, api.PathEvents, "/api/v1/nothing-here"} {
		resp, err := http.Get(env.public + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), `"code":"staff_network_only"`) ||
			!strings.Contains(string(body), "staff listener on the office network") || !strings.Contains(string(body), "public_staff_api") {
			t.Errorf("GET %s on the public listener: %d %s", p, resp.StatusCode, body)
		}
	}
	resp, err := http.Post(env.public+api.PathSession, "application/json", strings.NewReader(`{"email":"dana@riverside.example","password":"Harbor-Lantern-42!Qz"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("login on the public listener: %d; want 403", resp.StatusCode)
	}
	if resp, err := http.Get(env.public + "/login"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /login on the public listener: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// The setup route answers with its own rules (an office with staff has
	// no setup code), not the refusal.
	resp, err = http.Post(env.public+api.PathSetup, "application/json", strings.NewReader(`{"code":"x","email":"a@b.example","name":"A","password":"long enough password here"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "staff_network_only") {
		t.Errorf("setup on the public listener was refused as staff API: %s", body)
	}

	// An administrator allows it (through the staff side): the public
	// listener serves the staff API at once.
	admin, err := apiclient.New(env.staff)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.Login(ctx, "dana@riverside.example", "Harbor-Lantern-42!Qz"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutDomainSettings(ctx, api.DomainInput{PublicStaffAPI: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	pub, _ := apiclient.New(env.public)
	if _, err := pub.Login(ctx, "dana@riverside.example", "Harbor-Lantern-42!Qz"); err != nil {
		t.Errorf("login on the public listener once allowed: %v", err)
	}
	if _, err := admin.PutDomainSettings(ctx, api.DomainInput{PublicStaffAPI: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Me(ctx); !apiclient.IsCode(err, "staff_network_only") {
		t.Errorf("a session opened while allowed, after the setting is off again: %v; want staff_network_only", err)
	}
}

// publicEnv serves one service both ways: public is the internet's side,
// staff the staff listener's.
type publicEnv struct{ public, staff string }

func startPublic(t *testing.T) publicEnv {
	t.Helper()
	env := servertest.Start(t)
	pub := httptest.NewServer(env.Server.PublicHandler())
	t.Cleanup(pub.Close)
	return publicEnv{public: pub.URL, staff: env.URL}
}

// TestDomainChangesUnderLoad: administrators switch the domain back and
// forth while clients follow redirects, shake hands on the HTTPS listener
// and read the certificates' state (run with -race); when they stop, the
// service follows the last setting everywhere.
func TestDomainChangesUnderLoad(t *testing.T) {
	httpPort, redirectPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t), pebbletest.FreePort(t)
	r := startWithDomain(t, "a.riverside.test", store.TLSSettings{ACMEEmail: "it@riverside.example", ACMECA: "https://127.0.0.1:1/dir"},
		httpPort, redirectPort, httpsPort, func(c *tlsmgr.Config) { c.RetryFirst = time.Hour })
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 2 {
		staff := r.staffClient(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 15; n++ {
				d := []string{"a.riverside.test", "b.riverside.test"}[(n+i)%2]
				if _, err := staff.PutDomainSettings(ctx, api.DomainInput{Domain: &d}); err != nil {
					t.Errorf("PutDomainSettings: %v", err)
					return
				}
			}
		}()
	}
	var readers sync.WaitGroup
	for range 3 {
		readers.Add(1)
		staff := r.staffClient(t)
		plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := staff.TLS(ctx); err != nil {
					t.Errorf("TLS: %v", err)
					return
				}
				if resp, err := plain.Get("http://127.0.0.1:" + strconv.Itoa(redirectPort) + "/cases?x=1"); err != nil || resp.StatusCode != http.StatusPermanentRedirect {
					t.Errorf("redirect while the domain changes: %v %v", resp, err)
					return
				} else {
					resp.Body.Close()
				}
				// No certificate yet: the handshake fails, the listener stays.
				if conn, err := tls.Dial("tcp", "127.0.0.1:"+strconv.Itoa(httpsPort), &tls.Config{ServerName: "a.riverside.test", InsecureSkipVerify: true}); err == nil {
					conn.Close()
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	staff := r.staffClient(t)
	final, err := staff.DomainSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the last domain everywhere", func() (bool, string) {
		st, err := staff.TLS(ctx)
		resp, rerr := http.DefaultTransport.RoundTrip(must(http.NewRequest("GET", "http://127.0.0.1:"+strconv.Itoa(redirectPort)+"/x", nil)))
		if rerr != nil {
			return false, rerr.Error()
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		return err == nil && st.Domain == final.Domain && strings.HasPrefix(loc, "https://"+final.Domain+":"), fmt.Sprintf("%+v %v %s", st, err, loc)
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// sslscanReport runs sslscan (the Debian package) against the HTTPS
// listener and fails on any weak protocol, cipher or known flaw it reports.
func sslscanReport(t *testing.T, name string, port int) {
	t.Helper()
	bin, err := exec.LookPath("sslscan")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("sslscan is not installed (build/debian-packages.txt lists it)")
		}
		t.Log("sslscan is not installed: the protocol and cipher scan is skipped (apt-get install sslscan)")
		return
	}
	out, err := exec.Command(bin, "--no-colour", "--sni-name="+name, "--xml=-", "127.0.0.1:"+strconv.Itoa(port)).Output()
	if err != nil {
		t.Fatalf("sslscan: %v\n%s", err, out)
	}
	var doc struct {
		Test struct {
			Protocols []struct {
				Type    string `xml:"type,attr"`
				Version string `xml:"version,attr"`
				Enabled string `xml:"enabled,attr"`
			} `xml:"protocol"`
			Ciphers []struct {
				Version  string `xml:"sslversion,attr"`
				Cipher   string `xml:"cipher,attr"`
				Strength string `xml:"strength,attr"`
			} `xml:"cipher"`
			Heartbleed []struct {
				Vulnerable string `xml:"vulnerable,attr"`
			} `xml:"heartbleed"`
			Renegotiation struct {
				Supported string `xml:"supported,attr"`
				Secure    string `xml:"secure,attr"`
			} `xml:"renegotiation"`
		} `xml:"ssltest"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("sslscan's XML: %v\n%s", err, out)
	}
	var enabled, ciphers []string
	for _, p := range doc.Test.Protocols {
		v := p.Type + p.Version
		if p.Enabled == "1" {
			enabled = append(enabled, v)
			if v != "tls1.2" && v != "tls1.3" {
				t.Errorf("sslscan: %s is enabled", v)
			}
		}
	}
	if len(enabled) == 0 {
		t.Errorf("sslscan found no protocol enabled:\n%s", out)
	}
	for _, c := range doc.Test.Ciphers {
		ciphers = append(ciphers, c.Version+" "+c.Cipher+" ("+c.Strength+")")
		if c.Strength != "strong" && c.Strength != "acceptable" {
			t.Errorf("sslscan: %s %s is %s", c.Version, c.Cipher, c.Strength)
		}
	}
	for _, h := range doc.Test.Heartbleed {
		if h.Vulnerable != "0" {
			t.Error("sslscan: vulnerable to heartbleed")
		}
	}
	if doc.Test.Renegotiation.Supported == "1" && doc.Test.Renegotiation.Secure != "1" {
		t.Error("sslscan: insecure renegotiation")
	}
	t.Logf("sslscan: protocols %v; ciphers %s", enabled, strings.Join(ciphers, ", "))
}

// TestRedirectPortTaken: another program holds the network's plain HTTP
// port when the domain is set. The service serves anyway and says, in the
// certificate's state, what a client typing http:// meets and what to do;
// saving the domain settings once the port is free opens it.
func TestRedirectPortTaken(t *testing.T) {
	httpPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t)
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redirectPort := held.Addr().(*net.TCPAddr).Port
	const domain = "portal.riverside.test"
	r := startWithDomain(t, domain, store.TLSSettings{ACMEEmail: "it@riverside.example", ACMECA: "https://127.0.0.1:1/dir"},
		httpPort, redirectPort, httpsPort, func(c *tlsmgr.Config) { c.RetryFirst = time.Hour })
	ctx := context.Background()
	staff := r.staffClient(t)
	st, err := staff.TLS(ctx)
	port := strconv.Itoa(redirectPort)
	if err != nil || !strings.Contains(st.Message, "Another program already uses port "+port+", so the portal cannot answer plain http://") ||
		!strings.Contains(st.Message, "save the domain settings again") {
		t.Fatalf("TLS with the redirect port held = %+v, %v; want the held port said, with what to do", st, err)
	}
	held.Close()
	if _, err := staff.PutDomainSettings(ctx, api.DomainInput{Domain: ptr(domain)}); err != nil {
		t.Fatal(err)
	}
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := plain.Get("http://127.0.0.1:" + port + "/login")
	if err != nil || resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "https://"+domain+":"+strconv.Itoa(httpsPort)+"/login" {
		t.Fatalf("GET http:// once the port is free and the settings saved: %v %v; want 308 to HTTPS", resp, err)
	}
	resp.Body.Close()
	if st, err := staff.TLS(ctx); err != nil || strings.Contains(st.Message, "http://") {
		t.Errorf("TLS once the redirect listener is open = %+v, %v; want no word of it", st, err)
	}
}
