package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"clientportal/installer"
	"clientportal/server/servertest"
	"clientportal/store"
)

func summary(t *testing.T, p *Panel) Summary {
	t.Helper()
	s, err := p.Dashboard.Summary()
	if err != nil {
		t.Fatalf("Summary: %v", err)
	}
	return s
}

// TestDashboardSummary runs the binding against the real service: a
// client's portal message raises the waiting count and is listed with its
// case, marking it read lowers it; a client's upload shows until staff open
// it; a failed email shows with the server's words; this week's activity
// counts the client's sign-ins, message and upload.
func TestDashboardSummary(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	caseID := caseByNumber(t, staffClient(t, env, "marcus@riverside.example"), "HOU-2026-0317")
	before := summary(t, p)
	if len(before.Activity) != 12 || before.Certificate.State == "" {
		t.Fatalf("before: %d weeks, certificate %+v", len(before.Activity), before.Certificate)
	}
	if before.Backup.Available || !has(before.Backup.Note, "administrator") {
		t.Errorf("a staff member's backup part: %+v, want it kept for administrators", before.Backup)
	}

	clientPosts(t, env, "jose@example.org", caseID, "Here is my new address.")
	s := summary(t, p)
	if s.MessagesTotal != before.MessagesTotal+1 || len(s.Messages) == 0 || s.Messages[0].Excerpt != "Here is my new address." ||
		s.Messages[0].CaseID != caseID || s.Messages[0].CaseNumber != "HOU-2026-0317" {
		t.Fatalf("after the client's message: %d waiting, %+v (before %d)", s.MessagesTotal, s.Messages, before.MessagesTotal)
	}
	if _, err := p.CasePage.MarkRead(caseID); err != nil {
		t.Fatal(err)
	}
	if s := summary(t, p); s.MessagesTotal >= before.MessagesTotal+1 || (len(s.Messages) > 0 && s.Messages[0].CaseID == caseID) {
		t.Errorf("after marking read: %d waiting (before %d), first %+v", s.MessagesTotal, before.MessagesTotal, s.Messages)
	}

	clientUploads(t, env, "jose@example.org", caseID, "lease.pdf", "")
	s = summary(t, p)
	if s.UploadsTotal != before.UploadsTotal+1 || len(s.Uploads) == 0 || s.Uploads[0].Title != "lease.pdf" ||
		s.Uploads[0].Kind != "document" || s.Uploads[0].CaseID != caseID {
		t.Errorf("after the client's upload: %d waiting, %+v", s.UploadsTotal, s.Uploads)
	}
	w, w0 := s.Activity[len(s.Activity)-1], before.Activity[len(before.Activity)-1]
	if w.SignIns != w0.SignIns+2 || w.Messages != w0.Messages+1 || w.Uploads != w0.Uploads+1 {
		t.Errorf("this week %+v, before %+v: want 2 sign-ins, 1 message, 1 upload more", w, w0)
	}

	err := env.Store.Update(t.Context(), func(tx *store.Tx) error {
		e := store.OutboxEntry{Key: "client:1", To: "jose@example.org", Kind: store.MailNotice, State: store.OutboxFailed,
			LastError: "550 5.1.1 mailbox unavailable"}
		return tx.PutOutboxEntry(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	s = summary(t, p)
	if s.OutboxFailed != before.OutboxFailed+1 || len(s.OutboxFailures) == 0 || s.OutboxFailures[0].LastError != "550 5.1.1 mailbox unavailable" {
		t.Errorf("after a failed email: %d failed, %+v", s.OutboxFailed, s.OutboxFailures)
	}

	// An administrator also sees the backups' part.
	admin, _ := connect(t, env, "dana@riverside.example")
	if b := summary(t, admin).Backup; !b.Available && !has(b.Note, "could not be read") {
		t.Errorf("an administrator's backup part: %+v", b)
	}

	// Not connected: a sentence, no panic.
	if _, err := New("t").Dashboard.Summary(); err == nil || !has(err.Error(), "connect") {
		t.Errorf("Summary before connecting: %v", err)
	}
}

// standIn is a service manager that answers as told and records what it
// was asked: a stand-in where installing a real service cannot run here.
type standIn struct {
	mu      sync.Mutex
	status  installer.Status
	refuse  error
	actions []string
}

func (s *standIn) Status() (installer.Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status, nil
}
func (s *standIn) Platform() string { return "stand-in" }
func (s *standIn) act(what string, to installer.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actions = append(s.actions, what)
	if s.refuse != nil {
		return s.refuse
	}
	s.status = to
	return nil
}
func (s *standIn) Start() error   { return s.act("start", installer.StatusRunning) }
func (s *standIn) Stop() error    { return s.act("stop", installer.StatusStopped) }
func (s *standIn) Restart() error { return s.act("restart", installer.StatusRunning) }

// TestDashboardServiceWiring: the buttons reach the service manager's
// Start, Stop and Restart and answer the new state; a refusal for want of
// rights says so in plain words; a service that is not installed is not
// offered for control.
func TestDashboardServiceWiring(t *testing.T) {
	sc := &standIn{status: installer.StatusStopped}
	d := &Dashboard{link: newLink()}
	d.SetServiceControl(func() (ServiceControl, error) { return sc, nil })
	if st := d.ServiceState(); !st.Installed || st.State != "stopped" || !has(st.Message, "stopped") {
		t.Errorf("stopped: %+v", st)
	}
	for _, c := range []struct {
		call func() (ServiceState, error)
		want string
	}{{d.StartService, "running"}, {d.StopService, "stopped"}, {d.RestartService, "running"}} {
		st, err := c.call()
		if err != nil || st.State != c.want {
			t.Errorf("after an action: %+v, %v; want %s", st, err, c.want)
		}
	}
	if strings.Join(sc.actions, ",") != "start,stop,restart" {
		t.Errorf("the manager was asked %v", sc.actions)
	}
	sc.refuse = fmt.Errorf("start the service (unix-systemv): %w", fs.ErrPermission)
	st, err := d.StopService()
	if err == nil || !has(err.Error(), "administrator rights") || st.State != "running" {
		t.Errorf("refused for want of rights: %+v, %v", st, err)
	}
	sc.refuse, sc.status = installer.ErrNotInstalled, installer.StatusNotInstalled
	if st := d.ServiceState(); st.Installed || !has(st.Message, "office server") {
		t.Errorf("not installed: %+v", st)
	}
	if _, err := d.StartService(); err == nil || !has(err.Error(), "not installed") {
		t.Errorf("Start of a service not installed: %v", err)
	}
	d.SetServiceControl(func() (ServiceControl, error) { return nil, errors.New("no service manager") })
	if st := d.ServiceState(); st.State != "unknown" || st.Installed {
		t.Errorf("no service manager: %+v", st)
	}
}

// TestDashboardServiceOnThisMachine asks this computer's real service
// manager (kardianos/service through the installer) about the clientportal
// service: the state it answers is the one `clientportal service status`
// gives, and a service that is not installed offers no control.
func TestDashboardServiceOnThisMachine(t *testing.T) {
	m, err := installer.NewManager(installer.Options{})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no service manager here: %v", err)
		}
		t.Skipf("no service manager here: %v", err)
	}
	want, err := m.Status()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the service manager does not answer: %v", err)
		}
		t.Skipf("the service manager does not answer: %v", err)
	}
	st := (&Dashboard{link: newLink()}).ServiceState()
	if st.State != string(want) || st.Platform != m.Platform() || st.Installed != (want != installer.StatusNotInstalled) {
		t.Errorf("ServiceState = %+v, the manager says %s on %s", st, want, m.Platform())
	}
	if want == installer.StatusNotInstalled {
		if _, err := (&Dashboard{link: newLink()}).StartService(); err == nil || !has(err.Error(), "not installed") {
			t.Errorf("Start here, where the service is not installed: %v", err)
		}
	}
}

// dashboardTestService is the service TestDashboardControlsARealService installs:
// not clientportal, which TestServiceInstallOnThisMachine (main_service_test.go)
// installs, nor an office's own.
const dashboardTestService = "clientportal-dashboardtest"

// TestDashboardControlsARealService installs a service under a test-only
// name with this computer's real service manager (System V here, through
// kardianos/service and the installer's own init script) and drives it with
// the dashboard's buttons: Start, Restart (a new process), Stop. The program
// the service runs is a shell script that sleeps: what is under test is the
// control, not the portal.
func TestDashboardControlsARealService(t *testing.T) {
	if testing.Short() {
		t.Skip("installs a real OS service")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("installing an OS service needs root; CI runs the tests as root")
		}
		t.Skip("installing an OS service needs root")
	}
	dir := t.TempDir()
	prog := filepath.Join(dir, "sleeper")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\nexec sleep 100000\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := installer.NewManager(installer.Options{Name: dashboardTestService, Executable: prog,
		DataDir: filepath.Join(dir, "data"), LogDir: filepath.Join(dir, "log")})
	if err != nil {
		t.Fatal(err)
	}
	if m.Platform() != installer.PlatformSystemV && os.Getenv("CI") != "true" {
		t.Skipf("the service manager here is %s; this test knows System V's pid file", m.Platform())
	}
	if st, err := m.Status(); err != nil || st != installer.StatusNotInstalled {
		t.Fatalf("a service %s is already here (%s, %v): an earlier run left it; uninstall it by hand", dashboardTestService, st, err)
	}
	if err := m.Install(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Uninstall(); err != nil {
			t.Errorf("uninstall %s: %v", dashboardTestService, err)
		}
	})
	pid := func() int {
		b, err := os.ReadFile("/var/run/" + dashboardTestService + ".pid")
		if err != nil {
			return 0
		}
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return n
	}
	alive := func(p int) bool {
		proc, err := os.FindProcess(p)
		return p > 0 && err == nil && proc.Signal(syscall.Signal(0)) == nil
	}

	d := &Dashboard{link: newLink()}
	d.SetServiceControl(func() (ServiceControl, error) { return m, nil })
	if st := d.ServiceState(); !st.Installed || st.State != "stopped" || st.Platform != m.Platform() {
		t.Fatalf("installed, not started: %+v", st)
	}
	st, err := d.StartService()
	first := pid()
	if err != nil || st.State != "running" || !alive(first) {
		t.Fatalf("Start: %+v, %v; the service's process %d alive: %v", st, err, first, alive(first))
	}
	st, err = d.RestartService()
	second := pid()
	if err != nil || st.State != "running" || !alive(second) || second == first || alive(first) {
		t.Fatalf("Restart: %+v, %v; process %d then %d", st, err, first, second)
	}
	st, err = d.StopService()
	if err != nil || st.State != "stopped" || alive(second) {
		t.Fatalf("Stop: %+v, %v; process %d alive: %v", st, err, second, alive(second))
	}
	if got, err := m.Status(); err != nil || got != installer.StatusStopped {
		t.Errorf("the service manager after Stop: %s, %v", got, err)
	}
}
