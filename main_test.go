package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the real program: the test binary re-executes
// itself with CLIENTPORTAL_RUN_MAIN=1 and the command line to run.
func TestMain(m *testing.M) {
	if os.Getenv("CLIENTPORTAL_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var loginLine = regexp.MustCompile(`^(staff|client) [^\s@]+@[^\s@]+\.[a-z]+ \S{10,}$`)

func TestDemoPrintsLogins(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := runCommand([]string{"demo", "--data", dir}, &out, &errOut); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	kinds := map[string]int{}
	for _, l := range lines {
		if !loginLine.MatchString(l) {
			t.Errorf("login line %q is not `KIND EMAIL PASSWORD`", l)
		}
		kinds[strings.Fields(l)[0]]++
	}
	if kinds["staff"] == 0 || kinds["client"] == 0 {
		t.Errorf("demo printed %v; want staff and client logins", kinds)
	}
	// A second run must not touch the filled office.
	out.Reset()
	errOut.Reset()
	if code := runCommand([]string{"demo", "--data", dir}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "already holds an office") {
		t.Errorf("demo on a filled folder: exit %d, %q", code, errOut.String())
	}
}

func TestCommandLineErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"demo"}, 1, "needs --data"},
		{[]string{"serve", "extra"}, 1, "takes no arguments"},
		{[]string{"serve", "--bogus"}, 1, "flag provided but not defined"},
		{[]string{"version"}, 0, "clientportal dev"},
		{[]string{"help"}, 0, "serve [--data DIR]"},
	} {
		var out, errOut bytes.Buffer
		code := runCommand(tt.args, &out, &errOut)
		if code != tt.code || !strings.Contains(out.String()+errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", tt.args, code, out.String()+errOut.String(), tt.code, tt.want)
		}
	}
}

// TestServeDemo runs `clientportal serve --demo` as the README says (on a
// free port and a temp data folder), logs in through the portal, and stops it
// with SIGTERM.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "serve", "--demo", "--data", dir, "--http", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "CLIENTPORTAL_RUN_MAIN=1")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base string
	var logins, said []string
	deadline := time.After(60 * time.Second)
	plain := false
	for base == "" || !plain {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended early: %s\n%s", said, stderr.String())
			}
			said = append(said, l)
			if loginLine.MatchString(l) {
				logins = append(logins, l)
			}
			plain = plain || strings.HasPrefix(l, "Plain HTTP")
			if u, ok := strings.CutPrefix(l, "Serving the client portal at "); ok {
				base = strings.TrimSuffix(u, "/login")
			}
		case <-deadline:
			t.Fatalf("serve said no URL in time: %s", said)
		}
	}
	go func() {
		for range lines {
		}
	}()
	if len(logins) < 2 {
		t.Errorf("serve --demo printed no logins: %q", said)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	var client []string
	for _, l := range logins {
		if f := strings.Fields(l); f[0] == "client" {
			client = f
			break
		}
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.PostForm(base+"/login", map[string][]string{"email": {client[1]}, "password": {client[2]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the printed client login: %d, want 303", resp.StatusCode)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Error("serve did not stop within 20 s of SIGTERM")
	}
}
