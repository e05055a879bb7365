// Package pebbletest runs Pebble, Let's Encrypt's test ACME CA, on loopback
// for tests: a real CA issuing real certificates, with a DNS server of its
// own that resolves every name to 127.0.0.1, so any test domain validates
// against the service under test. Pebble is the tool pinned in go.mod
// (`go tool pebble`), built once per test binary.
package pebbletest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// module is Pebble's module, at the version go.mod pins.
const module = "github.com/letsencrypt/pebble/v2"

// Options say where the service under test answers challenges.
type Options struct {
	HTTPPort, TLSPort int // the ports Pebble validates HTTP-01 and TLS-ALPN-01 on
	// ShortLived is the validity of the "shortlived" profile (zero: 60 s);
	// the "default" profile issues 90-day certificates.
	ShortLived time.Duration
	// DefaultOnly offers only the "default" profile, for a client that
	// names none (Pebble picks one at random otherwise).
	DefaultOnly bool
	// Elsewhere are names the DNS server resolves to another address than
	// 127.0.0.1 (a domain that does not point at the server under test).
	Elsewhere map[string]net.IP
}

// CA is a running Pebble.
type CA struct {
	// Directory is the ACME directory URL; RootPEM is the certificate of
	// Pebble's own HTTPS (give it as the extra trusted root).
	Directory string
	RootPEM   string
	// DNS is the HOST:PORT of the DNS server Pebble asks (UDP and TCP).
	DNS string

	bin, config, mgmt, dnsAddr string
	t                          testing.TB

	mu  sync.Mutex
	cmd *exec.Cmd
	out *lockedBuffer
}

var (
	buildOnce sync.Once
	binPath   string
	modDir    string
	buildErr  error
)

// build compiles Pebble once per test binary and finds its module folder
// (its test certificates).
func build() (bin, dir string, err error) {
	buildOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "pebbletest-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(tmp, "pebble")
		if out, err := exec.Command("go", "build", "-o", binPath, module+"/cmd/pebble").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build pebble: %v\n%s", err, out)
			return
		}
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
		if err != nil {
			buildErr = fmt.Errorf("go list -m %s: %v", module, err)
			return
		}
		modDir = strings.TrimSpace(string(out))
	})
	return binPath, modDir, buildErr
}

// FreePort is a TCP port on 127.0.0.1 free at the time of the call.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// New prepares Pebble and its DNS server (running until the test ends);
// Start starts Pebble itself.
func New(t testing.TB, o Options) *CA {
	t.Helper()
	bin, dir, err := build()
	if err != nil {
		t.Fatalf("pebble: %v", err)
	}
	if o.ShortLived == 0 {
		o.ShortLived = 60 * time.Second
	}
	c := &CA{bin: bin, t: t, dnsAddr: startDNS(t, o.Elsewhere)}
	c.DNS = c.dnsAddr
	acme, mgmt := FreePort(t), FreePort(t)
	c.Directory = fmt.Sprintf("https://127.0.0.1:%d/dir", acme)
	c.mgmt = fmt.Sprintf("127.0.0.1:%d", mgmt)
	root, err := os.ReadFile(filepath.Join(dir, "test/certs/pebble.minica.pem"))
	if err != nil {
		t.Fatal(err)
	}
	c.RootPEM = string(root)
	profiles := map[string]any{"default": map[string]any{"description": "90 days", "validityPeriod": 7776000}}
	if !o.DefaultOnly {
		profiles["shortlived"] = map[string]any{"description": "renewal tests", "validityPeriod": int(o.ShortLived.Seconds())}
	}
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  fmt.Sprintf("127.0.0.1:%d", acme),
		"managementListenAddress":        c.mgmt,
		"certificate":                    filepath.Join(dir, "test/certs/localhost/cert.pem"),
		"privateKey":                     filepath.Join(dir, "test/certs/localhost/key.pem"),
		"httpPort":                       o.HTTPPort,
		"tlsPort":                        o.TLSPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
		"retryAfter":                     map[string]int{"authz": 1, "order": 1},
		"keyAlgorithm":                   "ecdsa",
		"profiles":                       profiles,
	}}
	data, _ := json.Marshal(cfg)
	c.config = filepath.Join(t.TempDir(), "pebble-config.json")
	if err := os.WriteFile(c.config, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// Start starts Pebble and waits until its directory answers. Every start
// makes a new root: Roots reads the current one.
func (c *CA) Start() {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd != nil {
		return
	}
	cmd := exec.Command(c.bin, "-config", c.config, "-dnsserver", c.dnsAddr, "-strict=false")
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=0")
	c.out = &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("start pebble: %v", err)
	}
	c.cmd = cmd
	hc := c.client()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := hc.Get(c.Directory)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("pebble did not answer in 20 s: %v\n%s", err, c.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop kills Pebble (as a CA that is down), if it runs.
func (c *CA) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return
	}
	c.cmd.Process.Kill()
	c.cmd.Wait()
	c.cmd = nil
}

// Log is what Pebble wrote.
func (c *CA) Log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		return ""
	}
	return c.out.String()
}

// client trusts Pebble's own HTTPS.
func (c *CA) client() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(c.RootPEM))
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// RootsPEM is that root as PEM, for a process that is to trust it
// (SSL_CERT_FILE).
func (c *CA) RootsPEM(t testing.TB) []byte {
	t.Helper()
	resp, err := c.client().Get("https://" + c.mgmt + "/roots/0")
	if err != nil {
		t.Fatalf("pebble root: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pebble root: %d %v", resp.StatusCode, err)
	}
	return data
}

// Roots is the root that the running Pebble issues under: a client that
// trusts only it is a client that trusts only this CA.
func (c *CA) Roots(t testing.TB) *x509.CertPool {
	t.Helper()
	data := c.RootsPEM(t)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("pebble root is not PEM: %q", data)
	}
	return pool
}

// startDNS answers every A question with 127.0.0.1 (or the name's address
// in elsewhere) and every other question with no records, over UDP and TCP
// (Pebble asks over TCP) on one loopback port, until the test ends.
func startDNS(t testing.TB, elsewhere map[string]net.IP) string {
	var pc net.PacketConn
	var ln net.Listener
	for i := 0; ln == nil; i++ {
		var err error
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err != nil {
			pc.Close()
			if i == 10 {
				t.Fatalf("no port free for DNS over both UDP and TCP: %v", err)
			}
		}
	}
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		m.Authoritative = true
		for _, qq := range q.Question {
			if qq.Qtype == dns.TypeA {
				ip := net.IPv4(127, 0, 0, 1)
				if e, ok := elsewhere[strings.ToLower(strings.TrimSuffix(qq.Name, "."))]; ok {
					ip = e
				}
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: qq.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0}, A: ip})
			}
		}
		w.WriteMsg(m)
	})
	servers := []*dns.Server{{PacketConn: pc, Handler: handler}, {Listener: ln, Handler: handler}}
	for _, srv := range servers {
		go srv.ActivateAndServe()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, srv := range servers {
			srv.ShutdownContext(ctx)
		}
	})
	return pc.LocalAddr().String()
}

// lockedBuffer collects a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
