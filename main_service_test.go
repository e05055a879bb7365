package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/installer"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds the real clientportal binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "clientportal-bin-*")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "clientportal")
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			builtBin = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, builtBin)
	}
	return builtBin
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// The real install on this machine's service manager (System V init here:
// /etc/init.d and `service`), as root: install with a data folder whose path
// has a space, start, /healthz answers, restart, it answers again, stop,
// uninstall; nothing of the service's own is left behind (init script, rc
// links, pid file), and its log file says it started and stopped.
func TestServiceInstallOnThisMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("installs a real OS service")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("installing the OS service needs root; CI runs the tests as root")
		}
		t.Skip("installing the OS service needs root")
	}
	bin := buildBinary(t)
	svc := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append([]string{"service"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("clientportal service %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if st := svc("status"); !strings.Contains(st, "not installed") {
		t.Fatalf("a clientportal service is already installed on this machine (%s): not touching it", st)
	}
	m, err := installer.NewManager(installer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	platform := m.Platform()
	before := serviceFiles(t)

	// The OS log: these containers have no syslog daemon, so the test is
	// one, on /dev/log, when nothing else is.
	var syslogMu sync.Mutex
	var syslogGot []string
	ownSyslog := false
	if _, err := os.Stat("/dev/log"); err != nil {
		if conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: "/dev/log", Net: "unixgram"}); err == nil {
			ownSyslog = true
			t.Cleanup(func() { conn.Close(); os.Remove("/dev/log") })
			go func() {
				buf := make([]byte, 8192)
				for {
					n, err := conn.Read(buf)
					if err != nil {
						return
					}
					syslogMu.Lock()
					syslogGot = append(syslogGot, string(buf[:n]))
					syslogMu.Unlock()
				}
			}()
		}
	}

	root := filepath.Join(t.TempDir(), "office server")
	data, logs, key := filepath.Join(root, "data"), filepath.Join(root, "logs"), filepath.Join(root, "keys", "office.key")
	port := freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	out := svc("install", "--data", data, "--log-dir", logs, "--office-key", key, "--http", addr)
	t.Cleanup(func() { exec.Command(bin, "service", "uninstall").Run() })
	if !strings.Contains(out, "installed ("+platform+")") {
		t.Errorf("install said %q", out)
	}
	if st := svc("status"); !strings.Contains(st, "stopped") {
		t.Errorf("status after install: %q, want stopped", st)
	}
	healthy := func(when string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return
				}
			}
			if time.Now().After(deadline) {
				log, _ := os.ReadFile(filepath.Join(logs, installer.LogFileName))
				t.Fatalf("/healthz %s: %v\nlog:\n%s", when, err, log)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	svc("start")
	healthy("after start")
	if st := svc("status"); !strings.Contains(st, "running") {
		t.Errorf("status after start: %q, want running", st)
	}
	svc("restart")
	healthy("after restart")
	svc("stop")
	if st := svc("status"); !strings.Contains(st, "stopped") {
		t.Errorf("status after stop: %q, want stopped", st)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("/healthz still answers after stop")
	}
	svc("uninstall")
	if st := svc("status"); !strings.Contains(st, "not installed") {
		t.Errorf("status after uninstall: %q", st)
	}
	if after := serviceFiles(t); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("files of the service left behind: %v (before the install: %v)", after, before)
	}
	log, err := os.ReadFile(filepath.Join(logs, installer.LogFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"clientportal service starting", "portal service started", "clientportal service stopped"} {
		if n := strings.Count(string(log), want); n != 2 {
			t.Errorf("the log says %q %d times, want 2 (start, restart):\n%s", want, n, log)
		}
	}
	syslogMu.Lock()
	said := strings.Join(syslogGot, "\n")
	syslogMu.Unlock()
	if ownSyslog {
		for _, want := range []string{"clientportal service starting", "clientportal service stopped"} {
			if !strings.Contains(said, want) {
				t.Errorf("the OS log lacks %q:\n%s", want, said)
			}
		}
	}
	t.Logf("OS log (syslog) received:\n%s", said)
	if _, err := os.Stat(filepath.Join(data, "clientportal.db")); err != nil {
		t.Errorf("the data folder was not used: %v", err)
	}
}

// serviceFiles lists the files a service manager keeps for the service.
func serviceFiles(t *testing.T) []string {
	var all []string
	for _, pattern := range []string{"/etc/init.d/clientportal", "/etc/rc?.d/*clientportal", "/var/run/clientportal.pid", "/run/clientportal.pid",
		"/etc/systemd/system/clientportal.service"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, m...)
	}
	return all
}
