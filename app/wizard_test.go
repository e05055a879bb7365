package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"clientportal/installer"
	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
	"clientportal/server/setup"
)

// noDNS resolves no name, as for a domain not yet pointed anywhere.
type noDNS struct{}

func (noDNS) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// testWizard is a panel whose wizard keeps its progress in the test's
// folder and installs under a service name of its own.
func testWizard(t *testing.T) (*Panel, *Wizard) {
	t.Helper()
	p := New("test")
	t.Cleanup(p.Close)
	p.Wizard.statePath = filepath.Join(t.TempDir(), "first-run.json")
	b := make([]byte, 4)
	rand.Read(b)
	p.Wizard.name = "clientportal-test-" + hex.EncodeToString(b)
	return p, p.Wizard
}

// buildService builds the real clientportal binary (the service the wizard
// installs).
func buildService(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "clientportal")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestWizardInstallsTheService runs the wizard's Go side for real on this
// machine's service manager (System V init here), as root, under a service
// name of its own (never clientportal): without administrator rights it
// installs nothing and answers the commands to run; a port another program
// holds and a key inside the data folder are refused with what to do; then
// it installs and starts the real binary, waits for /healthz, reads the
// setup code from the data folder, refuses a wrong code and a short
// password, creates the first administrator, logs in, runs the
// configuration check, saves a copy of the documents key, and remembers
// each step across a new panel (the window closed and opened again).
func TestWizardInstallsTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("installs a real OS service")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("installing the OS service needs root; CI runs the tests as root")
		}
		t.Skip("installing the OS service needs root")
	}
	bin := buildService(t)
	_, w := testWizard(t)
	w.exe = bin
	admin := false
	w.admin = func() bool { return admin }

	fr, err := w.Open()
	if err != nil || fr.Resume || fr.Status != string(installer.StatusNotInstalled) || fr.Step != "service" {
		t.Fatalf("Open on a computer without the service: %+v, %v", fr, err)
	}
	if fr.Service.DataDir != installer.DefaultDataDir() || fr.Service.OfficeKey != installer.DefaultKeyPath() {
		t.Errorf("default settings %+v", fr.Service)
	}

	root := filepath.Join(t.TempDir(), "office server")
	s := ServiceSettings{DataDir: filepath.Join(root, "data"), Address: freeAddr(t),
		OfficeKey: filepath.Join(root, "keys", "office.key"), LogDir: filepath.Join(root, "logs")}
	m, err := installer.NewManager(installer.Options{Name: w.name, Executable: bin, DataDir: s.DataDir, LogDir: s.LogDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Uninstall(); err != nil {
			t.Logf("uninstall %s: %v", w.name, err)
		}
		if _, err := os.Stat("/etc/init.d/" + w.name); err == nil {
			t.Errorf("/etc/init.d/%s is left behind", w.name)
		}
	})

	// Refusals with what to do.
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	taken := s
	taken.Address = held.Addr().String()
	if _, err := w.Install(taken); err == nil || !has(err.Error(), "another program already uses port") {
		t.Errorf("a taken port: %v", err)
	}
	held.Close()
	inside := s
	inside.OfficeKey = filepath.Join(s.DataDir, "office.key")
	if _, err := w.Install(inside); err == nil || !has(err.Error(), "outside the data folder") {
		t.Errorf("the key inside the data folder: %v", err)
	}
	if _, err := w.Install(ServiceSettings{DataDir: "data", Address: s.Address, OfficeKey: s.OfficeKey, LogDir: s.LogDir}); err == nil || !has(err.Error(), "full path") {
		t.Errorf("a relative data folder: %v", err)
	}

	// Without administrator rights: nothing installed, the commands said.
	res, err := w.Install(s)
	if err != nil || !res.NeedsAdmin || res.Done || len(res.Commands) != 2 {
		t.Fatalf("Install without rights: %+v, %v", res, err)
	}
	if want := "sudo " + bin + " service install --data '" + s.DataDir + "' --http " + s.Address; !strings.HasPrefix(res.Commands[0], want) {
		t.Errorf("command %q, want it to start %q", res.Commands[0], want)
	}
	if st, _ := m.Status(); st != installer.StatusNotInstalled {
		t.Fatalf("installed without rights: %s", st)
	}
	if h := w.Health(); h.OK || !has(h.Detail, "does not answer") {
		t.Errorf("Health before install: %+v", h)
	}

	// The window was closed: a new panel resumes at the service step with
	// the settings typed.
	_, w2 := testWizard(t)
	w2.statePath, w2.name, w2.exe, w2.admin = w.statePath, w.name, bin, w.admin
	if fr, err := w2.Open(); err != nil || !fr.Resume || fr.Service != s {
		t.Fatalf("Open after the window closed: %+v, %v (want resume with %+v)", fr, err, s)
	}

	admin = true
	res, err = w.Install(s)
	if err != nil || !res.Done {
		t.Fatalf("Install: %+v, %v", res, err)
	}
	if st, _ := m.Status(); st != installer.StatusRunning {
		t.Fatalf("status after Install: %s", st)
	}
	if err := w.SaveStep("wait"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for h := w.Health(); !h.OK; h = w.Health() {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.LogDir, installer.LogFileName))
			t.Fatalf("the service does not answer: %+v\nlog:\n%s", h, log)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Install again (a second click): the running service is left be.
	if res, err := w.Install(s); err != nil || !res.Done || !has(res.Message, "already installed") {
		t.Errorf("Install of a running service: %+v, %v", res, err)
	}

	code := w.SetupCode()
	file, _ := os.ReadFile(filepath.Join(s.DataDir, setup.FileName))
	if code.Code == "" || code.Code != strings.TrimSpace(string(file)) {
		t.Fatalf("SetupCode %+v, file %q", code, file)
	}
	if fr, _ := w2.Open(); !fr.Resume || fr.Step != "wait" {
		t.Errorf("Open with the service waiting for its administrator: %+v", fr)
	}
	in := AdminInput{Code: "AAAAA-BBBBB-CCCCC-DDDDD", Email: "admin@office.example", Name: "Alex Morgan", Password: "harbor lantern cobalt mist"}
	if err := w.CreateAdmin(in); err == nil || !has(err.Error(), "the setup code is not correct") {
		t.Errorf("a wrong code: %v", err)
	}
	in.Code, in.Password = code.Code, "short-Pass-1!"
	if err := w.CreateAdmin(in); err == nil || !has(err.Error(), "15") {
		t.Errorf("a short password: %v", err)
	}
	in.Password = "harbor lantern cobalt mist"
	if err := w.CreateAdmin(in); err != nil {
		t.Fatalf("CreateAdmin: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.DataDir, setup.FileName)); !os.IsNotExist(err) {
		t.Errorf("the used setup code's file is still there: %v", err)
	}
	if sc := w.SetupCode(); sc.Code != "" || !has(sc.Why, "log in instead") {
		t.Errorf("SetupCode after the administrator exists: %+v", sc)
	}
	if err := w.CreateAdmin(in); err == nil || !has(err.Error(), "already has staff") {
		t.Errorf("a second CreateAdmin: %v", err)
	}
	if _, err := w.Login(in.Email, "not the password at all"); err == nil {
		t.Error("Login with a wrong password worked")
	}
	info, err := w.Login(in.Email, in.Password)
	if err != nil || info.Role != "admin" || info.Staff != "Alex Morgan" {
		t.Fatalf("Login: %+v, %v", info, err)
	}

	checks, err := w.Check()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
		if c.Summary == "" || (c.Status != api.CheckOK && c.Status != api.CheckSkipped && c.Fix == "") {
			t.Errorf("check %+v lacks words or what to do", c)
		}
		if c.Name == "office_key" && c.Status != api.CheckOK {
			t.Errorf("the office key's check: %+v", c)
		}
	}
	if !slices.Equal(names, []string{"domain", "ports", "mail", "certificate", "office_key"}) {
		t.Errorf("checks %v", names)
	}

	k := w.OfficeKey()
	if k.Path != s.OfficeKey || !k.Exists || !k.Readable {
		t.Fatalf("OfficeKey %+v", k)
	}
	copyPath := filepath.Join(t.TempDir(), "usb stick", "office key.txt")
	os.MkdirAll(filepath.Dir(copyPath), 0o755)
	w.link.desk.set(&fakeSystem{save: copyPath})
	got, err := w.SaveKeyCopy()
	key, _ := os.ReadFile(s.OfficeKey)
	copied, _ := os.ReadFile(copyPath)
	if err != nil || got != copyPath || string(copied) != string(key) || !strings.HasPrefix(string(key), "AGE-SECRET-KEY-1") && !has(string(key), "\nAGE-SECRET-KEY-1") {
		t.Fatalf("SaveKeyCopy: %q, %v; copy %q, key %q", got, err, copied, key)
	}
	if fi, _ := os.Stat(copyPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("the copy's mode is %v, want 0600", fi.Mode().Perm())
	}
	w.link.desk.set(&fakeSystem{})
	if got, err := w.SaveKeyCopy(); got != "" || err != nil {
		t.Errorf("a cancelled Save dialog: %q, %v", got, err)
	}

	if c, err := w.Certificate(); err != nil || c.State != api.TLSOff {
		t.Errorf("Certificate without a domain: %+v, %v", c, err)
	}
	if err := w.SaveStep("done"); err != nil {
		t.Fatal(err)
	}
	if fr, _ := w2.Open(); fr.Resume || fr.Status != string(installer.StatusRunning) {
		t.Errorf("Open after the wizard is done: %+v", fr)
	}
}

// TestWizardSettings: the wizard's steps against the real service (in
// process, an empty office) and a real SMTP server, without installing:
// the setup code read from the data folder, a wrong code refused, the
// administrator created and logged in; the domain saved; the mail server
// saved and a test email delivered with the server's answer shown; a
// refused mail login reported by the test email and by the configuration
// check.
func TestWizardSettings(t *testing.T) {
	smtp := mailtest.Start(t)
	env := servertest.Start(t, servertest.Empty(), servertest.WithConfig(func(c *server.Config) {
		c.Mail.RootCAs, c.Mail.Poll, c.Mail.Timeout = smtp.RootCAs(), time.Hour, 5*time.Second
		// This closed network has no DNS or public address to ask: the
		// domain resolves nowhere, and the public address is a fixed one.
		c.ConfigCheck.MailRootCAs, c.ConfigCheck.Resolver = smtp.RootCAs(), noDNS{}
		c.ConfigCheck.PublicIP = func(context.Context) (net.IP, error) { return net.IPv4(203, 0, 113, 7), nil }
	}))
	if _, _, err := setup.Issue(t.Context(), env.Store); err != nil {
		t.Fatal(err)
	}
	_, w := testWizard(t)
	s := ServiceSettings{DataDir: filepath.Dir(env.Store.Path()), Address: strings.TrimPrefix(env.URL, "http://")}
	if err := w.update(func(p *firstRunProgress) { p.Service = s }); err != nil {
		t.Fatal(err)
	}
	if h := w.Health(); !h.OK {
		t.Fatalf("Health: %+v", h)
	}
	code := w.SetupCode()
	if code.Code == "" {
		t.Fatalf("SetupCode: %+v", code)
	}
	in := AdminInput{Code: strings.ToLower(code.Code[:len(code.Code)-1]) + "X", Email: "admin@office.example", Name: "Alex Morgan", Password: "harbor lantern cobalt mist"}
	if code.Code[len(code.Code)-1] == 'X' {
		in.Code = in.Code[:len(in.Code)-1] + "Y"
	}
	if err := w.CreateAdmin(in); err == nil || !has(err.Error(), "the setup code is not correct") {
		t.Errorf("a wrong code: %v", err)
	}
	in.Code = " " + strings.ToLower(code.Code) + "\n" // as pasted
	if err := w.CreateAdmin(in); err != nil {
		t.Fatalf("CreateAdmin: %v", err)
	}
	if fr, _ := w.Open(); fr.AdminEmail != in.Email {
		t.Errorf("the administrator's email is not remembered: %+v", fr)
	}
	if _, err := w.Login(in.Email, in.Password); err != nil {
		t.Fatal(err)
	}
	if p := w.PasswordRules(); p.MinLength != 15 {
		t.Errorf("PasswordRules %+v", p)
	}

	if err := w.SetDomain(" portal.riverside-law.example ", "it@riverside-law.example"); err != nil {
		t.Fatal(err)
	}
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(t.Context(), in.Email, in.Password); err != nil {
		t.Fatal(err)
	}
	if d, err := c.DomainSettings(t.Context()); err != nil || d.Domain != "portal.riverside-law.example" || d.ACMEEmail != "it@riverside-law.example" {
		t.Errorf("domain settings %+v, %v", d, err)
	}
	if err := w.SetDomain("portal riverside", ""); err == nil {
		t.Error("a domain with a space was saved")
	}

	mail := MailInput{Host: smtp.Host, Port: smtp.Port, Security: "starttls", Username: smtp.Username, Password: smtp.Password, From: "portal@office.example"}
	if err := w.SetMail(mail); err != nil {
		t.Fatal(err)
	}
	res, err := w.TestMail("admin@office.example")
	if err != nil || !res.Sent || res.Reply == "" {
		t.Fatalf("TestMail: %+v, %v", res, err)
	}
	if m := smtp.Wait(t, 1, 10*time.Second); len(m) != 1 || m[0].To[0] != "admin@office.example" {
		t.Errorf("the test email: %+v", m)
	}
	// A password left empty keeps the saved one.
	mail.Password = ""
	if err := w.SetMail(mail); err != nil {
		t.Fatal(err)
	}
	if res, err := w.TestMail("admin@office.example"); err != nil || !res.Sent {
		t.Errorf("TestMail after saving without a password: %+v, %v", res, err)
	}
	mail.Password = "not the password"
	if err := w.SetMail(mail); err != nil {
		t.Fatal(err)
	}
	res, err = w.TestMail("admin@office.example")
	if err != nil || res.Sent || res.Stage != "auth" || res.Reply == "" {
		t.Errorf("TestMail with a refused login: %+v, %v", res, err)
	}
	checks, err := w.Check()
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range checks {
		if ch.Name == "mail" && (ch.Status != api.CheckProblem || ch.Fix == "") {
			t.Errorf("the mail check with a refused login: %+v", ch)
		}
		if ch.Name == "domain" && ch.Status != api.CheckProblem {
			t.Errorf("the domain check for a name that does not resolve: %+v", ch)
		}
		t.Logf("check %s: %s: %s / %s", ch.Name, ch.Status, ch.Summary, ch.Fix)
	}
}
