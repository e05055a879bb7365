package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/password"
	"clientportal/server/tlsmgr"
	"clientportal/server/tlsmgr/pebbletest"
)

// TestWizardCertificateProblems runs the wizard's certificate step against
// the real service (server.Run in this process, its real listeners) and a
// real ACME CA (Pebble, with its own DNS server on loopback), through each
// problem an office meets, and wants each said in plain words with what to
// do, by the certificate's state and by the configuration check:
//   - port 443 (here: the HTTPS port) held by another program: the portal
//     cannot serve HTTPS, the check names the port; once the program is gone,
//     "Try again now" (RetryCertificate) opens it;
//   - the CA unreachable;
//   - the domain not pointing here: Pebble's DNS sends it elsewhere, its
//     challenge fails, and the check shows where the domain points;
//   - then the right domain: the stages seen (asking the CA, the CA proving
//     the domain) and the certificate in place with its expiry.
func TestWizardCertificateProblems(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Pebble")
	}
	httpPort, redirectPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t), pebbletest.FreePort(t)
	const elsewhere = "elsewhere.riverside.test"
	ca := pebbletest.New(t, pebbletest.Options{HTTPPort: redirectPort, TLSPort: httpsPort, DefaultOnly: true,
		Elsewhere: map[string]net.IP{elsewhere: net.IPv4(127, 0, 0, 2)}})
	ca.Start()
	// The check asks Pebble's DNS server and takes 127.0.0.1 for this
	// machine's public address (this closed network has neither).
	t.Setenv(server.ResolverEnv, ca.DNS)
	t.Setenv(server.PublicIPEnv, "127.0.0.1")

	// Another program holds the HTTPS port when the service starts.
	held, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(httpsPort))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	addr := "127.0.0.1:" + strconv.Itoa(httpPort)
	var logOut io.Writer = io.Discard
	if testing.Verbose() {
		logOut = os.Stderr
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.RunConfig{DataDir: data, HTTPAddr: addr, HTTPSAddr: "127.0.0.1:" + strconv.Itoa(httpsPort),
			StaffAddr: server.StaffOff, RedirectAddr: "127.0.0.1:" + strconv.Itoa(redirectPort), Version: "test", OfficeKey: filepath.Join(dir, "office.key"),
			Hasher: password.Hasher{Params: password.TestParams}, Logger: slog.New(slog.NewTextHandler(logOut, nil)),
			TuneTLS: func(c *tlsmgr.Config) { c.RetryFirst = 500 * time.Millisecond; c.RetryMax = time.Second }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not stop within 20 s")
		}
	})

	_, w := testWizard(t)
	if err := w.update(func(p *firstRunProgress) {
		p.Service = ServiceSettings{DataDir: data, Address: addr, OfficeKey: filepath.Join(dir, "office.key"), LogDir: filepath.Join(dir, "logs")}
	}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 20*time.Second, "the service answers", func() (bool, string) { h := w.Health(); return h.OK, h.Detail })
	const email, pw = "admin@riverside.example", "harbor lantern cobalt mist"
	if err := w.CreateAdmin(AdminInput{Code: w.SetupCode().Code, Email: email, Name: "Alex Morgan", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Login(email, pw); err != nil {
		t.Fatal(err)
	}
	// The CA's address and the root of its own HTTPS, as an administrator
	// sets them in Settings (the wizard offers Let's Encrypt only).
	admin, err := apiclient.New("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Login(ctx, email, pw); err != nil {
		t.Fatal(err)
	}
	setCA := func(dir string) {
		t.Helper()
		if _, err := admin.PutDomainSettings(ctx, api.DomainInput{ACMECA: &dir, ACMERootPEM: &ca.RootPEM}); err != nil {
			t.Fatal(err)
		}
	}
	setCA("https://127.0.0.1:1/dir") // nothing answers there
	check := func(name string) api.ConfigCheck {
		t.Helper()
		checks, err := w.Check()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range checks {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("no %s check in %+v", name, checks)
		return api.ConfigCheck{}
	}

	// 1. The HTTPS port taken.
	const domain = "portal.riverside.test"
	if err := w.SetDomain(domain, "it@riverside.example"); err != nil {
		t.Fatal(err)
	}
	var messages []string
	c, err := w.Certificate()
	messages = append(messages, c.Message)
	if err != nil || c.Problem != server.ProblemHTTPSPort || !has(c.Message, "Another program already uses port "+strconv.Itoa(httpsPort)) ||
		!has(c.Message, "then save the domain settings again") {
		t.Errorf("Certificate with the HTTPS port taken: %+v, %v", c, err)
	}
	if p := check("ports"); p.Status != api.CheckProblem || !has(p.Summary, strconv.Itoa(httpsPort)+" is used by another program") || !has(p.Fix, "Stop the other program") {
		t.Errorf("ports check with the HTTPS port taken: %+v", p)
	}
	// The program is gone; "Try again now" opens the HTTPS listener.
	held.Close()
	if err := w.RetryCertificate(); err != nil {
		t.Fatal(err)
	}

	// 2. The CA unreachable.
	waitUntil(t, 15*time.Second, "the unreachable CA reported", func() (bool, string) {
		c, err := w.Certificate()
		return err == nil && c.State == api.TLSFailed && c.Problem == tlsmgr.ProblemCAUnreachable, fmt.Sprintf("%+v %v", c, err)
	})
	c, _ = w.Certificate()
	messages = append(messages, c.Message)
	if !has(c.Message, "could not reach the certificate authority") || !has(c.Message, "internet connection") || strings.Contains(c.Message, "/api/") {
		t.Errorf("the unreachable CA's words: %q", c.Message)
	}
	if p := check("ports"); p.Status != api.CheckOK || !has(p.Summary, "used by this portal service") {
		t.Errorf("ports check once the HTTPS port is the portal's: %+v", p)
	}

	// 3. The domain does not point here.
	setCA(ca.Directory)
	if err := w.SetDomain(elsewhere, "it@riverside.example"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, "the failed challenge reported", func() (bool, string) {
		c, err := w.Certificate()
		return err == nil && c.State == api.TLSFailed && c.Domain == elsewhere && c.Problem == tlsmgr.ProblemDomain, fmt.Sprintf("%+v %v", c, err)
	})
	c, _ = w.Certificate()
	messages = append(messages, c.Message)
	if !has(c.Message, "could not reach this server at "+elsewhere) || !has(c.Message, "router forwards ports 80 and 443") {
		t.Errorf("the failed challenge's words: %q", c.Message)
	}
	if d := check("domain"); d.Status != api.CheckProblem || !has(d.Summary, elsewhere+" resolves to 127.0.0.2, but this machine's public address is 127.0.0.1") ||
		!has(d.Fix, "point the A record of "+elsewhere+" at 127.0.0.1") {
		t.Errorf("domain check for a domain pointing elsewhere: %+v", d)
	}

	// 4. The right domain: the stages, then the certificate.
	if err := w.SetDomain(domain, "it@riverside.example"); err != nil {
		t.Fatal(err)
	}
	for _, m := range messages {
		if strings.ContainsAny(m, "`*") || strings.Contains(m, "/api/") || strings.Contains(m, "--") {
			t.Errorf("a certificate message that is not plain words (the dashboard shows it as it is): %q", m)
		}
	}
	seen := map[string]bool{}
	waitUntil(t, 30*time.Second, "the certificate in place", func() (bool, string) {
		c, err := w.Certificate()
		if c.State == api.TLSObtaining {
			seen[c.Stage] = true
		}
		return err == nil && c.State == api.TLSValid, fmt.Sprintf("%+v %v", c, err)
	})
	c, _ = w.Certificate()
	if left := time.Until(c.NotAfter); left < 80*24*time.Hour || left > 91*24*time.Hour || c.Issuer == "" || c.Problem != "" || c.LastError != "" {
		t.Errorf("the certificate: %+v (expires in %s)", c, time.Until(c.NotAfter))
	}
	if !seen[tlsmgr.StageProving] {
		t.Errorf("the stage of the CA proving the domain was never seen: %v", seen)
	}
	if d := check("domain"); d.Status != api.CheckOK {
		t.Errorf("domain check for the domain pointing here: %+v", d)
	}
	t.Logf("stages seen: %v", seen)
}

// waitUntil polls cond every 100 ms until it holds or d passes.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
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
		time.Sleep(100 * time.Millisecond)
	}
}
