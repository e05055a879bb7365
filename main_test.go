package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"clientportal/store"
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

// serving is a running `clientportal serve` process.
type serving struct {
	cmd    *exec.Cmd
	base   string
	logins [][]string // KIND EMAIL PASSWORD
	stderr *bytes.Buffer
}

// startServe runs `clientportal serve --demo` as the README says, on a free
// port and the data folder dir, and waits until it says where it serves.
func startServe(t *testing.T, dir string) *serving {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--demo", "--data", dir, "--http", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "CLIENTPORTAL_RUN_MAIN=1")
	stdout, _ := cmd.StdoutPipe()
	sv := &serving{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = sv.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var said []string
	deadline := time.After(60 * time.Second)
	plain := false
	for sv.base == "" || !plain {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended early: %s", said)
			}
			said = append(said, l)
			if loginLine.MatchString(l) {
				sv.logins = append(sv.logins, strings.Fields(l))
			}
			plain = plain || strings.HasPrefix(l, "Plain HTTP")
			if u, ok := strings.CutPrefix(l, "Serving the client portal at "); ok {
				sv.base = strings.TrimSuffix(u, "/login")
			}
		case <-deadline:
			t.Fatalf("serve said no URL in time: %s", said)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return sv
}

func (sv *serving) login(kind string) []string {
	for _, l := range sv.logins {
		if l[0] == kind {
			return l
		}
	}
	return nil
}

// TestServeDemo runs `clientportal serve --demo`, logs in through the
// portal with the printed login, and stops it with SIGTERM.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	sv := startServe(t, t.TempDir())
	base, cmd := sv.base, sv.cmd
	stderr := sv.stderr
	if sv.login("staff") == nil || sv.login("client") == nil {
		t.Errorf("serve --demo printed no staff or client login: %q", sv.logins)
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
	client := sv.login("client")
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

// TestAcknowledgedWritesSurviveACrash kills the service (SIGKILL, no
// shutdown) right after the staff API acknowledged a new client, and finds
// the clients in the store afterwards. (A process crash: power loss is
// covered by bbolt fsyncing each commit before Update returns.)
func TestAcknowledgedWritesSurviveACrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	sv := startServe(t, dir)
	staff := sv.login("staff")
	post := func(path, token, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", sv.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	status, v := post("/api/v1/session", "", fmt.Sprintf(`{"email":%q,"password":%q}`, staff[1], staff[2]))
	if status != http.StatusCreated {
		t.Fatalf("staff login: %d %v", status, v)
	}
	token, _ := v["token"].(string)
	for i := 0; i < 20; i++ {
		if status, v := post("/api/v1/clients", token, fmt.Sprintf(`{"name":"Crash Test %d","email":"crash%d@example.org"}`, i, i)); status != http.StatusCreated {
			t.Fatalf("create client %d: %d %v", i, status, v)
		}
	}
	sv.cmd.Process.Kill()
	sv.cmd.Wait()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	defer st.Close()
	st.View(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < 20; i++ {
			if _, err := tx.ClientByEmail(fmt.Sprintf("crash%d@example.org", i)); err != nil {
				t.Errorf("acknowledged client %d lost in the crash: %v", i, err)
			}
		}
		return nil
	})
}
