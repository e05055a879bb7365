package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/png"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/server/tlsmgr"
)

// staffListener is the service's staff listener as serve opens it: the
// service's handler over TLS with the staff certificate made in its own
// data folder (tlsmgr.LoadOrCreateStaff, as at the service's first start).
// It records every request that reaches it, body included.
type staffListener struct {
	srv         *httptest.Server
	addr        string // 127.0.0.1:PORT, as a person would type it
	fingerprint string

	mu       sync.Mutex
	requests []string // "METHOD PATH BODY"
}

// startStaffListener serves env's service on addr ("127.0.0.1:0" for a
// free port) with the staff certificate of dataDir.
func startStaffListener(t *testing.T, env *servertest.Env, dataDir, addr string) *staffListener {
	t.Helper()
	cert, err := tlsmgr.LoadOrCreateStaff(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &staffListener{fingerprint: cert.Fingerprint}
	h := env.Server.Handler()
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path+" "+string(body))
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	}))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.TLS = tlsmgr.StaffTLSConfig(cert)
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	s.addr = ln.Addr().String()
	return s
}

func (s *staffListener) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// pairingPanel is a control panel's Go side with its own config folder,
// trusting the system's roots only (no test client): as on an office PC.
func pairingPanel(t *testing.T, configDir string) *Panel {
	t.Helper()
	p := New("test")
	p.SetConfigDir(configDir)
	t.Cleanup(p.Close)
	return p
}

// TestPairing: the first connection to the staff listener shows its
// fingerprint and sends nothing until it is compared and pinned; the pin
// is kept (0600) and used for every later connection.
func TestPairing(t *testing.T) {
	env := servertest.Start(t)
	staff := startStaffListener(t, env, t.TempDir(), "127.0.0.1:0")
	dana := env.Login(t, "staff", "dana@riverside.example")
	cfg := t.TempDir()
	p := pairingPanel(t, cfg)
	a := p.Session

	check, err := a.Check(" " + staff.addr + " ")
	if err != nil {
		t.Fatal(err)
	}
	hex := strings.ReplaceAll(staff.fingerprint, ":", "")
	if check.Trust != "unpaired" || check.Service != "https://"+staff.addr || check.Fingerprint != staff.fingerprint ||
		check.Spoken != hex[:4]+" "+hex[4:8]+" "+hex[8:12]+" "+hex[12:16]+" "+hex[16:20]+" "+hex[20:24]+" "+hex[24:28]+" "+hex[28:32]+" "+hex[32:36]+" "+hex[36:40]+" "+hex[40:44]+" "+hex[44:48]+" "+hex[48:52]+" "+hex[52:56]+" "+hex[56:60]+" "+hex[60:] {
		t.Fatalf("Check = %+v; want unpaired with fingerprint %s", check, staff.fingerprint)
	}

	// Before pairing, logging in is refused and the password goes nowhere.
	if _, err := a.LogIn(staff.addr, dana.Email, dana.Password, false); err == nil || !has(err.Error(), "not paired with this computer yet") {
		t.Errorf("LogIn before pairing: %v, want not paired", err)
	}
	// A fingerprint that is not the one presented pairs nothing.
	wrong := "00" + staff.fingerprint[2:]
	if staff.fingerprint[:2] == "00" {
		wrong = "11" + staff.fingerprint[2:]
	}
	if _, err := a.Pair(staff.addr, wrong); err == nil || !has(err.Error(), "nothing was paired") {
		t.Errorf("Pair with another fingerprint: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg, pairingsFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused pairing wrote %s: %v", pairingsFile, err)
	}
	if got := staff.seen(); len(got) != 0 {
		t.Fatalf("before pairing the listener received %q", got)
	}

	// They match: the pin is kept, in any spelling of the fingerprint.
	paired, err := a.Pair(staff.addr, strings.ToLower(hex))
	if err != nil || paired.Trust != "paired" || paired.Pinned != staff.fingerprint {
		t.Fatalf("Pair = %+v, %v", paired, err)
	}
	fi, err := os.Stat(filepath.Join(cfg, pairingsFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("pairings file: %v %v, want mode 0600", fi, err)
	}
	data, _ := os.ReadFile(filepath.Join(cfg, pairingsFile))
	if !has(string(data), staff.fingerprint) || !has(string(data), "https://"+staff.addr) {
		t.Errorf("pairings file %s", data)
	}

	// A new window (another start of the panel) uses the kept pin.
	pb := pairingPanel(t, cfg)
	rec := newRecorder()
	pb.SetEmitter(rec)
	b := pb.Session
	if c, err := b.Check(staff.addr); err != nil || c.Trust != "paired" {
		t.Errorf("Check after pairing = %+v, %v", c, err)
	}
	step, err := b.LogIn(staff.addr, dana.Email, dana.Password, false)
	if err != nil || !step.Done || step.Office.Staff != "Dana Whitfield" || step.Office.Service != "https://"+staff.addr {
		t.Fatalf("LogIn after pairing = %+v, %v", step, err)
	}
	if who, err := b.Who(); err != nil || who.Office != "Riverside Legal Aid" {
		t.Errorf("Who = %+v, %v", who, err)
	}
	// The live feed follows the staff event stream through the same pinned
	// listener, which speaks HTTP/2 as serve's does: the websocket must ask
	// for HTTP/1.1 there.
	rec.waitFor(t, "the live feed through the staff listener", isState("live"))
	if err := b.Logout(); err != nil {
		t.Errorf("Logout: %v", err)
	}
}

// TestPairingRefusesAChangedCertificate: after pairing, a server at the
// same address with another certificate is refused before anything is
// sent, in plain words; only forgetting the pairing and comparing again
// lets the person in.
func TestPairingRefusesAChangedCertificate(t *testing.T) {
	env := servertest.Start(t)
	first := startStaffListener(t, env, t.TempDir(), "127.0.0.1:0")
	dana := env.Login(t, "staff", "dana@riverside.example")
	a := pairingPanel(t, t.TempDir()).Session
	if _, err := a.Pair(first.addr, first.fingerprint); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LogIn(first.addr, dana.Email, dana.Password, false); err != nil {
		t.Fatal(err)
	}
	// A live session meets the changed certificate too: its calls are refused.
	first.srv.Close()
	other := startStaffListener(t, env, t.TempDir(), first.addr)
	if other.fingerprint == first.fingerprint {
		t.Fatal("two staff certificates with one fingerprint")
	}
	if _, err := a.Who(); err == nil || !has(err.Error(), "presented a different certificate") {
		t.Errorf("Who against the other certificate: %v (under it: %v)", err, errors.Unwrap(err))
	}

	check, err := a.Check(first.addr)
	if err != nil || check.Trust != "changed" || check.Pinned != first.fingerprint || check.Fingerprint != other.fingerprint {
		t.Fatalf("Check = %+v, %v; want changed", check, err)
	}
	_, err = a.LogIn(first.addr, dana.Email, dana.Password, false)
	var pe *apiclient.PinError
	if err == nil || !errors.As(err, &pe) || pe.Want != first.fingerprint || pe.Got != other.fingerprint {
		t.Fatalf("LogIn against another certificate: %v; want a PinError", err)
	}
	for _, words := range []string{"Refused", "different certificate", "different machine, or someone intercepting", "nothing was sent",
		"Ask your office's administrator", "Forget this server", spoken(other.fingerprint)} {
		if !has(err.Error(), words) {
			t.Errorf("the refusal %q does not say %q", err, words)
		}
	}
	if got := other.seen(); len(got) != 0 {
		t.Fatalf("the other server received %q: the password must not reach it", got)
	}
	// Re-pairing needs the explicit Forget.
	if _, err := a.Pair(first.addr, other.fingerprint); err == nil || !has(err.Error(), "Forget this server") {
		t.Errorf("Pair over an existing pin: %v", err)
	}
	if err := a.Forget(first.addr); err != nil {
		t.Fatal(err)
	}
	if c, err := a.Check(first.addr); err != nil || c.Trust != "unpaired" || c.Pinned != "" {
		t.Errorf("Check after Forget = %+v, %v", c, err)
	}
	if _, err := a.Pair(first.addr, other.fingerprint); err != nil {
		t.Fatal(err)
	}
	step, err := a.LogIn(first.addr, dana.Email, dana.Password, false)
	if err != nil || !step.Done {
		t.Fatalf("LogIn after pairing again = %+v, %v", step, err)
	}
	if got := other.seen(); len(got) == 0 || !has(got[0], "POST /api/v1/session") {
		t.Errorf("after pairing again the server saw %q", got)
	}
}

// TestCheckTrust: the other ways in keep working without pairing: plain
// HTTP on this computer, and HTTPS with a certificate the client trusts.
func TestCheckTrust(t *testing.T) {
	plain := servertest.Start(t)
	p := pairingPanel(t, t.TempDir())
	if c, err := p.Session.Check(plain.URL); err != nil || c.Trust != "local" {
		t.Errorf("Check %s = %+v, %v", plain.URL, c, err)
	}
	tlsEnv := servertest.Start(t, servertest.WithTLS())
	p.SetHTTPClient(tlsEnv.HTTP.Client()) // trusts the test's CA, as a PC trusts Let's Encrypt
	c, err := p.Session.Check(tlsEnv.URL)
	if err != nil || c.Trust != "ca" {
		t.Errorf("Check %s = %+v, %v; want ca", tlsEnv.URL, c, err)
	}
	if _, err := p.Session.Check("127.0.0.1:1"); err == nil || !has(err.Error(), "cannot reach https://127.0.0.1:1") {
		t.Errorf("Check of nothing: %v", err)
	}
}

func TestOfficeAddress(t *testing.T) {
	for _, tt := range []struct{ in, want, err string }{
		{"192.168.1.10", "https://192.168.1.10:8443", ""},
		{"Office-Server:9443", "https://office-server:9443", ""},
		{"office-server", "https://office-server:8443", ""},
		{"https://portal.example.org/", "https://portal.example.org", ""},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"[fe80::1]", "https://[fe80::1]:8443", ""},
		{"http://192.168.1.10:8080", "", "use https://192.168.1.10:8080"},
		{"", "", "enter the portal service's address"},
		{"ftp://x", "", "is not a service address"},
	} {
		got, err := officeAddress(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !has(err.Error(), tt.err)) {
			t.Errorf("officeAddress(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// decodeQR checks a data: URL holds a PNG image.
func decodeQR(t *testing.T, u string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(u, "data:image/png;base64,"))
	if !strings.HasPrefix(u, "data:image/png;base64,") || err != nil {
		t.Fatalf("QR %.40q: %v", u, err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Errorf("QR is not a PNG: %v", err)
	}
}

var _ = context.Background
