package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/tlsmgr/pebbletest"
)

// TestWindowCertificate drives the first-run wizard in the real window up to
// its certificate step against a fresh data folder and a real ACME CA
// (Pebble on loopback, with its own DNS server resolving the test domain to
// this computer). The wizard's service (a child of the window) serves HTTPS
// on a port of the test's, where Pebble validates; the CA's address and
// the root of its HTTPS are set through the staff API as an administrator
// sets them in Settings; its configuration check resolves names with
// Pebble's DNS server and trusts Pebble's issuing root (test aids: nothing
// here is a stand-in for the service, the window or the CA).
//
// First the CA cannot be reached (a relay to Pebble that refuses): the step
// shows the first stage failed, says so in plain words with what to do,
// and keeps the CA's own error apart. Then the relay passes and "Try again
// now" is pressed: the step shows the service asking the CA (held there by
// holding Pebble's DNS answer), then the CA checking the domain, then the
// certificate received with its expiry, and the configuration check says
// the certificate is valid. Screenshots: cert-1-unreachable.png,
// cert-2-asking.png, cert-3-done.png, cert-3-done-360.png, and in Spanish
// cert-4-done-es.png.
func TestWindowCertificate(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()

	httpPort, redirectPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t), pebbletest.FreePort(t)
	ca := pebbletest.New(t, pebbletest.Options{HTTPPort: redirectPort, TLSPort: httpsPort, DefaultOnly: true})
	ca.Start()
	relay := startRelay(t, strings.TrimSuffix(strings.TrimPrefix(ca.Directory, "https://"), "/dir"))

	tmp := t.TempDir()
	roots := filepath.Join(tmp, "roots.pem")
	if err := os.WriteFile(roots, ca.RootsPEM(t), 0o644); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	t.Setenv(ServiceNameEnv, "clientportal-test-"+hex.EncodeToString(b))
	t.Setenv(ServiceChildEnv, "1")
	t.Setenv(ServiceHTTPSEnv, "127.0.0.1:"+strconv.Itoa(httpsPort))
	t.Setenv(ServiceStaffEnv, freeAddr(t))
	t.Setenv(ServiceRedirectEnv, "127.0.0.1:"+strconv.Itoa(redirectPort))
	t.Setenv(server.ResolverEnv, ca.DNS)
	t.Setenv(server.PublicIPEnv, "127.0.0.1")
	t.Setenv("SSL_CERT_FILE", roots) // the configuration check verifies the served certificate
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(tmp, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(tmp, "share"))

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	insp.must(t, `__t.click("Set up this computer as the office server")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Install the portal service"`, "the wizard")
	root := filepath.Join(tmp, "office server")
	addr := "127.0.0.1:" + strconv.Itoa(httpPort)
	insp.must(t, `document.querySelector(".wizard details").open = true`)
	insp.must(t, fmt.Sprintf(`__t.fill("Data folder", %s) && __t.fill("Local address", %q) && __t.fill("Documents key file", %s) && __t.fill("Log folder", %s)`,
		jsString(filepath.Join(root, "data")), addr, jsString(filepath.Join(root, "keys", "office.key")), jsString(filepath.Join(root, "logs"))))
	insp.must(t, `__t.click("Install and start the service")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Create the first administrator" && document.getElementById("adm-code").value.length === 23`, "the administrator step")
	const email, password = "alex@riverside-law.example", "harbor lantern cobalt mist"
	insp.must(t, fmt.Sprintf(`__t.fill("Your name", "Alex Morgan") && __t.fill("Email", %q) && __t.fill("Password", %q) && __t.fill("Password again", %q)`, email, password, password))
	insp.must(t, `__t.click("Create the administrator")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Log in"`, "the login step")
	insp.must(t, fmt.Sprintf(`__t.fill("Password", %q) && __t.click("Log in")`, password))
	insp.waitTrue(ctx, t, `__t.h1() === "The domain"`, "the domain step")

	// The CA, as an administrator sets it in Settings: Pebble, through the
	// relay, which refuses for now (as when the internet is down).
	admin, err := apiclient.New("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Login(ctx, email, password); err != nil {
		t.Fatal(err)
	}
	dir := "https://" + relay.addr + "/dir"
	if _, err := admin.PutDomainSettings(ctx, api.DomainInput{ACMECA: &dir, ACMERootPEM: &ca.RootPEM}); err != nil {
		t.Fatal(err)
	}

	const domain = "portal.riverside-law.test"
	insp.must(t, fmt.Sprintf(`__t.fill("Domain", %q) && __t.click("Save the domain")`, domain))
	insp.waitTrue(ctx, t, `document.body.innerText.includes("The domain `+domain+` is saved")`, "the domain saved")
	insp.must(t, `__t.click("Next")`)
	insp.waitTrue(ctx, t, `__t.h1() === "The mail server"`, "the mail step")
	insp.must(t, `__t.click("Later")`)
	insp.waitTrue(ctx, t, `__t.h1() === "The documents key"`, "the key step")
	insp.must(t, `__t.click("Next")`)

	// 1. The CA cannot be reached.
	insp.waitTrue(ctx, t, `__t.h1() === "The certificate"
		&& (document.querySelector('.cert-stages li[data-stage="asking"]') || {}).dataset?.state === "failed"
		&& document.querySelector(".cert-problem").innerText.includes("This computer could not reach the certificate authority.")
		&& document.querySelector(".cert-problem").innerText.includes("What to do: Check this computer's internet connection")`, "the unreachable CA, in plain words")
	insp.waitTrue(ctx, t, `document.getElementById("cert-state").textContent === "Getting the certificate for `+domain+` failed."
		&& document.querySelector(".wizard details .technical").textContent.includes("127.0.0.1:`+strconv.Itoa(relay.port())+`")
		&& !document.querySelector(".cert-problem").innerText.includes("127.0.0.1")`, "the CA's own error kept apart")
	insp.waitTrue(ctx, t, `document.querySelector('.check-list li[data-check="domain"]')?.dataset.status === "ok"`, "the domain check (it points here)")
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "cert-1-unreachable.png"))

	// 2. The CA can be reached again; "Try again now". The relay holds the
	// first connection a moment, so the step stays at asking the CA for
	// the screenshot.
	stages := `JSON.stringify([...document.querySelectorAll(".cert-stages li")].map((l) => l.dataset.state))`
	insp.must(t, `(() => {
		window.__seen = [];
		const note = () => { const s = `+stages+`; if (window.__seen[window.__seen.length - 1] !== s) window.__seen.push(s) };
		new MutationObserver(note).observe(document.querySelector(".wizard"), { subtree: true, attributes: true, childList: true });
		note();
		return true })()`)
	relay.hold()
	insp.must(t, `__t.click("Try again now")`)
	insp.waitTrue(ctx, t, stages+` === '["current","waiting","waiting"]'
		&& document.getElementById("cert-state").textContent === "Asking the certificate authority for a certificate for `+domain+`…"
		&& document.querySelector(".cert-problem") === null && document.querySelector(".wizard progress:not([max])") !== null`, "the first stage under way")
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "cert-2-asking.png"))
	relay.open()

	// 3. The CA checks the domain, then the certificate comes.
	insp.waitTrue(ctx, t, stages+` === '["done","done","done"]'`, "the certificate received")
	seen := string(insp.must(t, `window.__seen.join(" ")`))
	if got := string(insp.must(t, `window.__seen.includes('["done","current","waiting"]')`)); got != "true" {
		t.Errorf("the stage of the CA checking the domain was never shown; the stages shown: %s", seen)
	}
	t.Logf("stages shown: %s", seen)
	insp.waitTrue(ctx, t, `/^Certificate received, valid until .+ \(in (89|90) days\) \(done\)$/.test(document.querySelector('.cert-stages li[data-stage="received"] > span:last-child').textContent.trim())
		&& document.getElementById("cert-state").textContent.startsWith("The certificate for `+domain+` is in place, valid until ")
		&& document.querySelector(".cert-problem") === null`, "the certificate and its expiry")
	insp.waitTrue(ctx, t, `document.querySelector('.check-list li[data-check="certificate"]')?.dataset.status === "ok"
		&& document.querySelector(".checks [role=status]").textContent.trim() === ""`, "the configuration check's certificate OK, the check done without an error")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "cert-3-done.png"))

	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the certificate step at 360 px is %s px wider than the window", got)
	}
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "cert-3-done-360.png"))

	// In Spanish, through the header's language switch.
	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at its usual size")
	insp.must(t, `__t.fill("Language", "es")`)
	insp.waitTrue(ctx, t, `__t.h1() === "El certificado"
		&& document.querySelector('.cert-stages li[data-stage="received"] > span:last-child').textContent.startsWith("Certificado recibido, válido hasta el ")
		&& document.getElementById("cert-state").textContent.startsWith("El certificado para `+domain+` está listo, válido hasta el ")`, "the certificate step in Spanish")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "cert-4-done-es.png"))

	// The certificate the service serves is Pebble's, for the domain.
	if c, err := admin.TLS(ctx); err != nil || c.State != api.TLSValid || len(c.Names) != 1 || c.Names[0] != domain {
		t.Errorf("GET /api/v1/tls: %+v, %v", c, err)
	}
	t.Logf("from the window's start to the certificate: %s", time.Since(start).Round(100*time.Millisecond))
}

// relay is a TCP relay to Pebble's ACME address: it refuses connections
// (a CA that cannot be reached), then holds new ones (a slow CA), then
// passes them, each of the CA's answers a little late (a CA across the
// internet): the service's rounds with the CA after its challenge then
// take seconds, as they do in an office, so the window, which reads the
// state every second, shows the stage of the CA checking the domain
// (passed at once on loopback, it came and went between two reads).
type relay struct {
	addr string

	mu      sync.Mutex
	refuse  bool
	release chan struct{} // closed when held connections may go on
}

func (r *relay) port() int {
	_, p, _ := net.SplitHostPort(r.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (r *relay) hold() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refuse = false
}

func (r *relay) open() {
	r.mu.Lock()
	defer r.mu.Unlock()
	close(r.release)
}

// caLatency is how late the relay passes on each of the CA's answers.
const caLatency = 700 * time.Millisecond

func startRelay(t *testing.T, to string) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{addr: ln.Addr().String(), refuse: true, release: make(chan struct{})}
	t.Cleanup(func() {
		ln.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		select {
		case <-r.release:
		default:
			close(r.release)
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			refuse, release := r.refuse, r.release
			r.mu.Unlock()
			if refuse {
				// A reset, as from a firewall that refuses.
				if tc, ok := c.(*net.TCPConn); ok {
					tc.SetLinger(0)
				}
				c.Close()
				continue
			}
			go func() {
				defer c.Close()
				<-release
				up, err := net.Dial("tcp", to)
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, c)
				buf := make([]byte, 32<<10)
				for {
					n, err := up.Read(buf)
					if n > 0 {
						time.Sleep(caLatency)
						if _, werr := c.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return r
}
