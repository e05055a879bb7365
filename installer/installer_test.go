package installer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The command line the service manager runs keeps every argument whole,
// spaces, quotes and dollars included, through the System V script (run by
// sh) and the systemd unit (checked against systemd's quoting rules).
func TestScriptsKeepArguments(t *testing.T) {
	o := Options{DataDir: "/srv/office data/it's $HOME", LogDir: "/var/log/client portal", HTTPAddr: ":8080",
		OfficeKey: "/etc/clientportal/key 100%", Executable: "/opt/client portal/clientportal"}
	args := o.Arguments()
	script := SysVScript(o.Executable, args, o.LogDir)
	if strings.Contains(script, "{{") {
		t.Fatal("the script holds template actions kardianos/service would expand")
	}
	// Run the script's own `set --` line and print the words it makes.
	var setLine string
	for _, l := range strings.Split(script, "\n") {
		if strings.HasPrefix(l, "set -- ") {
			setLine = l
		}
	}
	out, err := exec.Command("sh", "-c", setLine+`; for a in "$@"; do printf '%s\n' "$a"; done`).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	want := append([]string{o.Executable}, args...)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sh sees\n%q\nwant\n%q", got, want)
	}

	unit := SystemdUnit(o.Executable, args)
	for _, want := range []string{
		`ExecStart="/opt/client portal/clientportal" "service" "run" "--data" "/srv/office data/it's $$HOME"`,
		`"--office-key" "/etc/clientportal/key 100%%"`,
		"TimeoutStopSec=45", "KillSignal=SIGTERM", "Restart=on-failure", "WantedBy=multi-user.target", "After=network-online.target",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("systemd unit lacks %q:\n%s", want, unit)
		}
	}
}

// What would be installed on each system: the settings kardianos/service
// reads for systemd, System V, Windows and launchd (Windows and launchd
// cannot run here).
func TestConfig(t *testing.T) {
	cfg, err := Config(Options{DataDir: "data", LogDir: "logs", HTTPAddr: "127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "clientportal" || cfg.Executable == "" || !filepath.IsAbs(cfg.Executable) {
		t.Errorf("name %q executable %q", cfg.Name, cfg.Executable)
	}
	abs, _ := filepath.Abs("data")
	want := []string{"service", "run", "--data", abs}
	if got := cfg.Arguments[:4]; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("arguments %q, want an absolute data folder first: %q", cfg.Arguments, want)
	}
	for k, v := range map[string]any{
		"StartType": "automatic", "DelayedAutoStart": true, "OnFailure": "restart", "OnFailureDelayDuration": "10s",
		"OnFailureResetPeriod": 3600, "KeepAlive": true, "RunAtLoad": true,
	} {
		if cfg.Option[k] != v {
			t.Errorf("option %s = %v, want %v", k, cfg.Option[k], v)
		}
	}
	if s, _ := cfg.Option["SysvScript"].(string); !strings.Contains(s, "exit 3") || !strings.Contains(s, abs) {
		t.Errorf("System V script:\n%s", s)
	}
	if s, _ := cfg.Option["SystemdScript"].(string); !strings.Contains(s, abs) {
		t.Errorf("systemd unit:\n%s", s)
	}
}

type fakeOSLog struct {
	mu    sync.Mutex
	lines []string
}

func (f *fakeOSLog) add(kind string, v ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines = append(f.lines, kind+": "+fmt.Sprint(v...))
	return nil
}
func (f *fakeOSLog) Error(v ...any) error   { return f.add("error", v...) }
func (f *fakeOSLog) Warning(v ...any) error { return f.add("warning", v...) }
func (f *fakeOSLog) Info(v ...any) error    { return f.add("info", v...) }

// Every record goes to the file, which rotates at its size limit; warnings
// and errors go to the OS log as well (a stand-in here: syslog has no
// socket in these containers, and the Windows event log cannot run).
func TestLogRotatesAndReachesTheOSLog(t *testing.T) {
	dir := t.TempDir()
	osLog := &fakeOSLog{}
	log, file, err := OpenLog(dir, 1, osLog)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("request", "route", "/healthz")
	log.With("part", "mail").Warn("mail outbox: try failed", "err", "535 auth")
	log.Error("store", "err", "disk full")
	line := strings.Repeat("x", 1000)
	for i := 0; i < 1200; i++ { // 1.2 MB: past the 1 MB limit
		log.Info("filler", "line", line)
	}
	file.Close()
	want := []string{`warning: msg="mail outbox: try failed" part=mail err="535 auth"`, `error: msg=store err="disk full"`}
	if strings.Join(osLog.lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("OS log:\n%s\nwant\n%s", strings.Join(osLog.lines, "\n"), strings.Join(want, "\n"))
	}
	files, _ := filepath.Glob(filepath.Join(dir, "clientportal*.log"))
	if len(files) != 2 {
		t.Fatalf("log files %v, want the current one and one rotated", files)
	}
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Size() > 1<<20 {
			t.Errorf("%s is %d bytes, over the 1 MB limit", f, fi.Size())
		}
	}
}

// The program the service manager drives: Stop ends the run's context and
// returns once the run has returned; a run that ends by itself ends the
// process with an error so the manager sees the failure.
func TestProgram(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	drained := false
	p := &program{log: log, exit: func(int) { t.Error("exit on a requested stop") }, run: func(ctx context.Context, _ *slog.Logger) error {
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // draining
		drained = true
		return nil
	}}
	if err := p.Start(nil); err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(nil); err != nil || !drained {
		t.Errorf("stop: %v, drained %v", err, drained)
	}

	exited := make(chan int, 1)
	osLog := &fakeOSLog{}
	p = &program{log: slog.New(fanout{slog.DiscardHandler, newOSHandler(osLog, slog.LevelWarn)}), osLog: nil,
		exit: func(code int) { exited <- code }, run: func(context.Context, *slog.Logger) error {
			return errors.New("127.0.0.1:8080 is already in use")
		}}
	p.Start(nil)
	select {
	case code := <-exited:
		if code != 1 {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a failed run did not end the process")
	}
	if len(osLog.lines) != 1 || !strings.Contains(osLog.lines[0], "already in use") {
		t.Errorf("OS log %q", osLog.lines)
	}
}
