package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/mail/mailtest"
	"clientportal/server/password"
	"clientportal/server/setup"
	"clientportal/store"
)

// TestMain lets a test run the real program: the test binary re-executes
// itself with CLIENTPORTAL_RUN_MAIN=1 and the command line to run.
func TestMain(m *testing.M) {
	if os.Getenv("CLIENTPORTAL_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	// Every service these tests start keeps its office key in a temp folder,
	// never at the system's place (/etc/clientportal for root).
	if os.Getenv("CLIENTPORTAL_OFFICE_KEY") == "" {
		dir, err := os.MkdirTemp("", "clientportal-key-*")
		if err != nil {
			panic(err)
		}
		os.Setenv("CLIENTPORTAL_OFFICE_KEY", filepath.Join(dir, "office.key"))
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

var loginLine = regexp.MustCompile(`^(staff|client) [^\s@]+@[^\s@]+\.[a-z]+ \S{10,}$`)

// run runs one command line in this process, with stdin.
func run(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runCommand(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDemoPrintsLogins(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run("", "demo", "--data", dir)
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
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
	if code, _, errOut := run("", "demo", "--data", dir); code == 0 || !strings.Contains(errOut, "already holds an office") {
		t.Errorf("demo on a filled folder: exit %d, %q", code, errOut)
	}
}

// TestCommandLineErrors checks that a command line that cannot run says what
// to change, once, and creates nothing.
func TestCommandLineErrors(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	fresh := filepath.Join(tmp, "never-created")
	for _, tt := range []struct {
		args []string
		code int
		want string
		not  string
	}{
		{[]string{"frobnicate"}, 2, "unknown command", ""},
		{[]string{"demo"}, 2, "needs --data", ""},
		{[]string{"serve", "extra"}, 2, "takes no arguments", ""},
		{[]string{"serve", "--data", fresh, "--bogus"}, 2, "flag provided but not defined: -bogus", ""},
		{[]string{"serve", "--data", fresh, "--http", "bogus"}, 2, `--http "bogus" is not an address to listen on: missing port in address`, "another portal"},
		{[]string{"serve", "--data", fresh, "--http", "127.0.0.1:99999"}, 2, "port must be a number from 0 to 65535", "another portal"},
		{[]string{"serve", "--data", fresh, "--http", "bad host!:8080"}, 2, "must be an IP address or a host name", "another portal"},
		{[]string{"serve", "--data", file}, 2, "is a file, not a folder", ""},
		{[]string{"admin"}, 2, "want `admin create` or `admin reset-password`", ""},
		{[]string{"admin", "create", "--data", fresh, "--name", "Ana"}, 2, "--email: email is required", ""},
		{[]string{"admin", "create", "--data", fresh, "--email", "ana", "--name", "Ana"}, 2, "--email: email must be a plain email address", ""},
		{[]string{"admin", "create", "--data", fresh, "--email", "ana@example.org"}, 2, "--name: name is required", ""},
		{[]string{"admin", "reset-password", "--data", fresh, "--email", "ana@example.org"}, 2, "holds no portal data", ""},
		{[]string{"admin", "reset-password", "--data", fresh}, 2, "--email is required", ""},
		// The bad --http too: were the mail flag let through, the command fails instead of serving.
		{[]string{"serve", "--data", fresh, "--mail-quiet", "0", "--http", "bogus"}, 2, "--mail-quiet 0s is out of range: give a duration above 0 and at most 1h", ""},
		{[]string{"serve", "--data", fresh, "--mail-window", "2h"}, 2, "--mail-window 2h0m0s is out of range", ""},
		{[]string{"serve", "--data", fresh, "--mail-retry", "-1s"}, 2, "--mail-retry -1s is out of range", ""},
		{[]string{"serve", "--data", fresh, "--mail-quiet", "soon"}, 2, `invalid value "soon" for flag -mail-quiet`, ""},
		{[]string{"version"}, 0, "clientportal dev", ""},
		{[]string{"help"}, 0, "admin create --data DIR", ""},
		{[]string{"serve", "-h"}, 0, "log each request", ""},
		{[]string{"serve", "-h"}, 0, "-mail-quiet duration", ""},
		{[]string{"help"}, 0, "[--mail-quiet D] [--mail-window D] [--mail-retry D]", ""},
	} {
		code, out, errOut := run("", tt.args...)
		said := out + errOut
		if code != tt.code || !strings.Contains(said, tt.want) || (tt.not != "" && strings.Contains(said, tt.not)) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", tt.args, code, said, tt.code, tt.want)
		}
		// One message, not the flag package's and ours.
		if n := strings.Count(said, tt.want); n > 1 {
			t.Errorf("%v: %q said %d times:\n%s", tt.args, tt.want, n, said)
		}
		if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v created the data folder before refusing the command line", tt.args)
		}
	}
}

// TestAddressInUse: a port another program holds is reported as such (not as
// a malformed address), and the data folder is not created.
func TestAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := filepath.Join(t.TempDir(), "data")
	code, _, errOut := run("", "serve", "--data", dir, "--http", ln.Addr().String())
	if code != 1 || !strings.Contains(errOut, "is already in use by another program (is another portal running?)") {
		t.Errorf("serve on a busy port: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Error("serve on a busy port created the data folder")
	}
}

// TestNoArgumentsWithoutDesktop runs the program with no arguments from a
// build without the desktop tags (this test binary).
func TestNoArgumentsWithoutDesktop(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "CLIENTPORTAL_RUN_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("exit: %v; want code 2", err)
	}
	said := stderr.String()
	if !strings.Contains(said, "built without the desktop control panel") || !strings.Contains(said, "clientportal serve") ||
		!strings.Contains(said, "-tags desktop,production") || strings.Contains(said, "build tags") {
		t.Errorf("no-argument run said %q; want that this build has no window, what to run instead and how to build it", said)
	}
}

// TestFlagErrorSaidOnce runs the program with a wrong flag: the process's
// whole error output holds the message once, and no data folder is made.
func TestFlagErrorSaidOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(os.Args[0], "serve", "--data", dir, "--bogus")
	cmd.Env = append(os.Environ(), "CLIENTPORTAL_RUN_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("exit: %v; want code 2", err)
	}
	if n := strings.Count(stderr.String(), "flag provided but not defined: -bogus"); n != 1 {
		t.Errorf("the flag error is said %d times:\n%s", n, stderr.String())
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused command line created the data folder")
	}
}

// serving is a running `clientportal serve` process.
type serving struct {
	cmd    *exec.Cmd
	base   string
	said   []string   // every line it printed
	logins [][]string // KIND EMAIL PASSWORD
	stderr *bytes.Buffer
}

// startServe runs `clientportal ARGS...` in dir (the working directory) and
// waits until it says where it serves.
func startServe(t *testing.T, dir string, args ...string) *serving {
	t.Helper()
	return startServeEnv(t, dir, nil, args...)
}

// startServeEnv is startServe with env (KEY=VALUE) added to the
// environment.
func startServeEnv(t *testing.T, dir string, env []string, args ...string) *serving {
	t.Helper()
	return startProgram(t, os.Args[0], dir, env, args...)
}

// startProgram is startServeEnv running bin: this test binary (os.Args[0]),
// or the program as built for an office (buildBinary).
func startProgram(t *testing.T, bin, dir string, env []string, args ...string) *serving {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "CLIENTPORTAL_RUN_MAIN=1"), env...)
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
	deadline := time.After(60 * time.Second)
	for done := false; !done; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended early: %s\n%s", sv.said, sv.stderr)
			}
			sv.said = append(sv.said, l)
			if loginLine.MatchString(l) {
				sv.logins = append(sv.logins, strings.Fields(l))
			}
			if u, ok := strings.CutPrefix(l, "Serving the client portal at "); ok {
				sv.base = strings.TrimSuffix(u, "/login")
			}
			done = l == "Press Ctrl+C to stop."
		case <-deadline:
			t.Fatalf("serve said no URL in time: %s", sv.said)
		}
	}
	go func() {
		for range lines {
		}
	}()
	return sv
}

// startDemo runs `clientportal serve --demo` as the README says, on a free
// port and the data folder dir.
func startDemo(t *testing.T, dir string) *serving {
	return startServe(t, dir, "serve", "--demo", "--data", dir, "--http", "127.0.0.1:0")
}

func (sv *serving) login(kind string) []string {
	for _, l := range sv.logins {
		if l[0] == kind {
			return l
		}
	}
	return nil
}

func (sv *serving) output() string { return strings.Join(sv.said, "\n") }

// stop ends the service with SIGTERM and waits for it.
func (sv *serving) stop(t *testing.T) {
	t.Helper()
	sv.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- sv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, sv.stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Error("serve did not stop within 20 s of SIGTERM")
	}
}

// TestServeDemo runs `clientportal serve --demo`, logs in through the
// portal with the printed login, and stops it with SIGTERM.
func TestServeDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	sv := startDemo(t, t.TempDir())
	base := sv.base
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
	sv.stop(t)
}

// TestServeDemoAgain: `serve --demo` on a folder that holds the demo office
// prints its logins again; on another office it says so instead.
func TestServeDemoAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	first := startDemo(t, dir)
	first.stop(t)
	again := startDemo(t, dir)
	if len(again.logins) == 0 || fmt.Sprint(again.logins) != fmt.Sprint(first.logins) {
		t.Errorf("serve --demo on the existing demo printed logins %v; want the first run's %v\n%s", again.logins, first.logins, again.output())
	}
	if !strings.Contains(again.output(), "already holds the demo office") {
		t.Errorf("second serve --demo did not say the demo office was there already:\n%s", again.output())
	}
	again.stop(t)

	other := t.TempDir()
	if code, _, errOut := run("a long enough office password\n", "admin", "create", "--data", other, "--email", "boss@office.example", "--name", "Boss"); code != 0 {
		t.Fatalf("admin create: %d %s", code, errOut)
	}
	sv := startDemo(t, other)
	if len(sv.logins) != 0 || !strings.Contains(sv.output(), "not the demo office") {
		t.Errorf("serve --demo on a real office: logins %v, said\n%s", sv.logins, sv.output())
	}
}

// TestFirstStartSetupCode starts the service on a new data folder: it says
// how to create the first administrator, the admin commands say the
// service holds the store, and the setup code creates the administrator.
func TestFirstStartSetupCode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	sv := startServe(t, dir, "serve", "--data", dir, "--http", "127.0.0.1:0")
	said := sv.output()
	codeFile := filepath.Join(dir, setup.FileName)
	for _, want := range []string{
		"This office has no staff yet",
		"single-use setup code in " + codeFile,
		sv.base + "/api/v1/setup",
		"clientportal admin create --data " + dir,
		"Plain HTTP, for use on this computer",
	} {
		if !strings.Contains(said, want) {
			t.Errorf("first start does not say %q:\n%s", want, said)
		}
	}
	if strings.Contains(said, "Staff listener") {
		t.Errorf("first start without a domain opens the staff listener:\n%s", said)
	}
	fi, err := os.Stat(codeFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("setup code file: %v, mode %v; want 0600", err, fi)
	}

	// While the service runs, the admin commands say so and what to do.
	for _, tt := range []struct {
		args      []string
		meanwhile string
	}{
		{[]string{"admin", "create", "--data", dir, "--email", "ana@office.example", "--name", "Ana"}, "use the setup code it printed instead (the file " + setup.FileName},
		{[]string{"admin", "reset-password", "--data", dir, "--email", "ana@office.example"}, "another administrator can set a new password"},
	} {
		code, _, errOut := run("a long enough office password\n", tt.args...)
		if code != 1 || !strings.Contains(errOut, "in use by the running portal service") || !strings.Contains(errOut, "stop the service first") ||
			!strings.Contains(errOut, tt.meanwhile) {
			t.Errorf("%v while serving: exit %d, %q; want what to do, and %q", tt.args, code, errOut, tt.meanwhile)
		}
	}

	code, _ := os.ReadFile(codeFile)
	const pw = "plum cactus radio window seventeen"
	body := fmt.Sprintf(`{"code":%q,"email":"ana@office.example","name":"Ana Silva","password":%q}`, strings.TrimSpace(string(code)), pw)
	resp, err := http.Post(sv.base+"/api/v1/setup", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("setup with the code from the file: %d %s", resp.StatusCode, b)
	}
	if token := staffLogin(t, sv.base, "ana@office.example", pw); token == "" {
		t.Error("the administrator made with the setup code cannot log in")
	}
	if _, err := os.Stat(codeFile); !errors.Is(err, os.ErrNotExist) {
		t.Error("the used setup code's file remains")
	}
	sv.stop(t)

	// The next start has staff: no setup code, no hint.
	sv = startServe(t, dir, "serve", "--data", dir, "--http", "127.0.0.1:0")
	if strings.Contains(sv.output(), "no staff yet") {
		t.Errorf("start with an administrator still asks for one:\n%s", sv.output())
	}
	if _, err := os.Stat(codeFile); !errors.Is(err, os.ErrNotExist) {
		t.Error("a setup code was written for an office with staff")
	}
}

func staffLogin(t *testing.T, base, email, pw string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&v)
	return v.Token
}

// TestAdminCommands creates an administrator and resets their password with
// the password on standard input, and checks the refusals.
func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	create := []string{"admin", "create", "--data", dir, "--email", "Ana@Office.example", "--name", "Ana Silva"}
	for _, tt := range []struct{ stdin, want string }{
		{"", "no password on standard input"},
		{"short\n", "use at least 15 characters"},
		{"ana@office.example ana silva\n", "too easy to guess"},
	} {
		if code, _, errOut := run(tt.stdin, create...); code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("admin create with %q: exit %d, %q; want %q", tt.stdin, code, errOut, tt.want)
		}
	}
	const pw = "plum cactus radio window seventeen"
	code, out, errOut := run(pw+"\r\nignored second line\n", create...)
	if code != 0 || !strings.Contains(out, "Administrator Ana Silva <ana@office.example> created") {
		t.Fatalf("admin create: exit %d, %q %q", code, out, errOut)
	}
	if code, _, errOut := run(pw+"\n", create...); code != 2 || !strings.Contains(errOut, "a staff member already has this email") {
		t.Errorf("admin create with a taken email: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(pw+"\n", "admin", "reset-password", "--data", dir, "--email", "nobody@office.example"); code != 1 ||
		!strings.Contains(errOut, "its administrators are ana@office.example") {
		t.Errorf("reset-password of an unknown email: exit %d, %q", code, errOut)
	}
	const newPW = "a fresh lantern over seven hills"
	if code, out, errOut := run(newPW+"\n", "admin", "reset-password", "--data", dir, "--email", "ana@office.example"); code != 0 || !strings.Contains(out, "New password set") {
		t.Fatalf("reset-password: exit %d, %q %q", code, out, errOut)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(context.Background(), func(tx *store.Tx) error {
		s, err := tx.StaffByEmail("ana@office.example")
		if err != nil {
			t.Fatal(err)
		}
		h := password.Hasher{Params: password.DefaultParams}
		if ok, _, _ := h.Verify(s.PasswordHash, newPW); !ok || s.Role != store.RoleAdmin {
			t.Errorf("after reset: role %s, new password matches %v", s.Role, ok)
		}
		log, _ := tx.AuditLog(0, 10)
		actions := map[string]bool{}
		for _, e := range log {
			if e.ActorKind == "system" && e.ActorName == "cli" {
				actions[e.Action] = true
			}
		}
		if !actions["staff.create"] || !actions["staff.password_reset"] {
			t.Errorf("audit log lacks the command line's entries: %v", log)
		}
		return nil
	})
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
	sv := startDemo(t, dir)
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
	token := staffLogin(t, sv.base, staff[1], staff[2])
	if token == "" {
		t.Fatal("staff login failed")
	}
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

// TestReadmeFirstSteps runs the README's "First steps for a new office" as
// written: its commands, in order, with sh and curl, against the real
// binary on a fresh data folder; then the client signs in as its last step
// says. Only the port (a free one instead of 8080) and the administrator's
// password (for YOUR PASSWORD) are filled in.
func TestReadmeFirstSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	for _, tool := range []string{"sh", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the README walk-through needs %s", tool)
			}
			t.Skipf("the README walk-through needs %s: %v", tool, err)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "## First steps for a new office")
	if start < 0 {
		t.Fatal(`README has no "First steps for a new office" section`)
	}
	section = section[start:]
	section = section[:strings.Index(section[3:], "\n## ")+3]
	// The commands are the list items' code blocks (indented 7 spaces).
	var before, after []string
	serveLine := ""
	for _, l := range strings.Split(section, "\n") {
		if !strings.HasPrefix(l, "       ") {
			continue
		}
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "clientportal serve"):
			serveLine = l
		case serveLine == "":
			before = append(before, l)
		default:
			after = append(after, l)
		}
	}
	if len(before) == 0 || serveLine == "" || len(after) < 5 {
		t.Fatalf("README steps not found: before serve %q, serve %q, after %q", before, serveLine, after)
	}
	const adminPW = "plum cactus radio window seventeen"
	const clientEmail, clientPW = "maria@example.org", "Lilac-Garden-47!Tq"
	if !strings.Contains(section, "signs in with `"+clientEmail+"` and `"+clientPW+"`") {
		t.Fatal("the README's last step does not name the client's login the test uses")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	work := t.TempDir()
	bin, _ := os.Executable()
	// clientportal is this test binary; curl fails on an error answer and
	// shows it; the README's address gets the free port.
	prelude := fmt.Sprintf("set -e\nclientportal() { CLIENTPORTAL_RUN_MAIN=1 %q \"$@\"; }\ncurl() { command curl -S --fail-with-body \"$@\"; echo; }\n", bin)
	script := func(lines []string) string {
		s := prelude + strings.Join(lines, "\n") + "\n"
		s = strings.ReplaceAll(s, "127.0.0.1:8080", addr)
		return strings.ReplaceAll(s, "YOUR PASSWORD", adminPW)
	}
	sh := func(name string, lines []string, stdin string) string {
		cmd := exec.Command("sh", "-c", script(lines))
		cmd.Dir = work
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README %s failed: %v\n%s\n--- script:\n%s", name, err, out, script(lines))
		}
		return string(out)
	}
	// Step 1: the administrator types the password (here, on stdin).
	sh("step 1", before, adminPW+"\n")
	// Step 2: the service, left running.
	args := strings.Fields(strings.TrimPrefix(serveLine, "clientportal "))
	sv := startServe(t, work, append(args, "--http", addr)...)
	if strings.Contains(sv.output(), "no staff yet") {
		t.Errorf("serve after admin create still asks for an administrator:\n%s", sv.output())
	}
	// Steps 3 to 5 in one shell, so TOKEN carries over.
	out := sh("steps 3-5", after, "")
	for _, want := range []string{`"email":"maria@example.org"`, `"number":"IMM-2026-0001"`, `"status":"received"`} {
		if !strings.Contains(out, want) {
			t.Errorf("README steps 3-5 answered without %s:\n%s", want, out)
		}
	}
	// Step 6: the client signs in at /login and sees her case.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.PostForm(sv.base+"/login", map[string][]string{"email": {clientEmail}, "password": {clientPW}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "IMM-2026-0001") || !strings.Contains(string(page), "Solicitud recibida") {
		t.Errorf("the client's sign-in: %d at %s; want her case page with its status in Spanish:\n%.2000s", resp.StatusCode, resp.Request.URL, page)
	}
}

// TestMailAcrossRestarts runs the real binary with its email notifications
// going to a real SMTP server in this process (STARTTLS, AUTH PLAIN; the
// binary trusts its certificate through SSL_CERT_FILE), and kills the
// service (SIGKILL) at the two moments that matter:
//
//   - with the mail server down and the mails in the outbox, failed: after
//     the restart, once the server is back, each arrives exactly once;
//   - in the middle of the SMTP conversation (DATA held): after the
//     restart, a mail the server refused arrives once; one it accepted
//     after the service died arrives twice with the same Message-ID (the
//     documented exception: the acceptance was never recorded).
func TestMailAcrossRestarts(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts the real program")
	}
	ctx := context.Background()
	smtp := mailtest.Start(t)
	certFile := filepath.Join(t.TempDir(), "smtp-cert.pem")
	if err := os.WriteFile(certFile, smtp.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"SSL_CERT_FILE=" + certFile}
	dir := t.TempDir()
	// Short quiet period, window and retry, so the test waits seconds, not
	// minutes; the quiet period still lets the four status entries below,
	// made at once, join as three emails on a busy machine.
	tuning := []string{"--http", "127.0.0.1:0", "--mail-quiet", "3s", "--mail-window", "1s", "--mail-retry", "1s"}
	sv := startServeEnv(t, dir, env, append([]string{"serve", "--demo", "--data", dir}, tuning...)...)
	var admin []string
	for _, l := range sv.logins {
		if l[1] == "dana@riverside.example" {
			admin = l
		}
	}
	if admin == nil {
		t.Fatalf("serve --demo printed no login for the demo administrator: %q", sv.logins)
	}
	// staff logs in to the running service as the administrator.
	staff := func() *apiclient.Client {
		t.Helper()
		c, err := apiclient.New(sv.base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Login(ctx, admin[1], admin[2]); err != nil {
			t.Fatalf("staff login: %v", err)
		}
		return c
	}
	restart := func() {
		t.Helper()
		sv = startServeEnv(t, dir, env, append([]string{"serve", "--data", dir}, tuning...)...)
	}
	kill := func() {
		t.Helper()
		if err := sv.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		sv.cmd.Wait()
	}
	outbox := func(c *apiclient.Client) []api.OutboxEntry {
		t.Helper()
		page, err := c.Outbox(ctx, apiclient.OutboxOptions{Limit: 100})
		if err != nil {
			t.Fatalf("outbox: %v", err)
		}
		return page.Items
	}
	// waitOutbox polls the outbox until ok holds of it.
	waitOutbox := func(c *apiclient.Client, what string, ok func([]api.OutboxEntry) bool) []api.OutboxEntry {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			all := outbox(c)
			if ok(all) {
				return all
			}
			if time.Now().After(deadline) {
				t.Fatalf("the outbox never %s: %+v\nservice log:\n%s", what, all, sv.stderr)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	allSent := func(all []api.OutboxEntry) bool {
		for _, e := range all {
			if e.State != "sent" {
				return false
			}
		}
		return true
	}
	addStatus := func(c *apiclient.Client, caseID uint64, status string) {
		t.Helper()
		if _, err := c.AddStatusEntry(ctx, caseID, api.StatusEntryInput{Status: status, Info: "Hearing moved"}); err != nil {
			t.Fatalf("add a status entry to case %d: %v", caseID, err)
		}
	}
	// received counts the emails the server accepted by Message-ID and by
	// recipient, checking each came over TLS from the office's login.
	received := func() (byID map[string]int, byTo map[string]int) {
		t.Helper()
		byID, byTo = map[string]int{}, map[string]int{}
		for _, m := range smtp.Messages() {
			msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
			if err != nil {
				t.Fatalf("received an unreadable email: %v\n%s", err, m.Data)
			}
			id := strings.Trim(msg.Header.Get("Message-ID"), "<>")
			if !m.TLS || m.User != smtp.Username || len(m.To) != 1 || id == "" {
				t.Errorf("email %s to %v: TLS %v, user %q; want one recipient, a Message-ID, over STARTTLS with AUTH as %s", id, m.To, m.TLS, m.User, smtp.Username)
			}
			byID[id]++
			for _, to := range m.To {
				byTo[to]++
			}
		}
		return byID, byTo
	}
	// settle outlasts the window and the first retry, so a mail
	// sent twice has time to arrive before the counts are read.
	settle := func() { time.Sleep(3 * time.Second) }

	c := staff()
	if _, err := c.PutMailSettings(ctx, api.MailSettingsInput{Host: &smtp.Host, Port: &smtp.Port, Security: ptr("starttls"),
		Username: &smtp.Username, Password: &smtp.Password, From: ptr("portal@riverside.example")}); err != nil {
		t.Fatalf("mail settings: %v", err)
	}

	// (a) The mail server is down. Amina's case (1) and Li Wei's (4) get a
	// status entry, José's two cases (2, 3) one each: one email each.
	smtp.Stop()
	addStatus(c, 1, "accepted")
	addStatus(c, 2, "accepted")
	addStatus(c, 3, "accepted")
	addStatus(c, 4, "accepted")
	want := map[string]bool{"amina@example.org": true, "jose@example.org": true, "li.wei@example.org": true}
	// Every try fails; the entries stay, to be tried again.
	failed := waitOutbox(c, "held three failed tries", func(all []api.OutboxEntry) bool {
		if len(all) > 3 {
			t.Fatalf("%d outbox entries for 3 recipients: %+v", len(all), all)
		}
		for _, e := range all {
			if e.State != "failed" || e.Attempts < 1 || e.LastError == "" || e.NextTry == nil {
				return false
			}
		}
		return len(all) == 3
	})
	ids := map[string]string{} // recipient -> Message-ID
	for _, e := range failed {
		if !want[e.To] || ids[e.To] != "" {
			t.Fatalf("outbox with the mail server down: %+v; want one entry for each of %v", failed, want)
		}
		ids[e.To] = e.MessageID
		// --mail-retry 1s: the next try is at most 1s after the last, doubled per further try.
		if wait := time.Second << (e.Attempts - 1); e.NextTry.After(time.Now().Add(wait)) {
			t.Errorf("after %d failed tries the next is at %s, more than %s from now: --mail-retry 1s not applied", e.Attempts, e.NextTry, wait)
		}
	}
	kill()
	restart()
	c = staff()
	// The outbox survived the crash: the same entries, none sent.
	for _, e := range outbox(c) {
		if ids[e.To] != e.MessageID || e.State == "sent" {
			t.Errorf("outbox after the restart: %+v; want the entries %v unsent", e, ids)
		}
	}
	if n := len(smtp.Messages()); n != 0 {
		t.Fatalf("%d emails while the mail server was down", n)
	}
	smtp.Restart(t)
	waitOutbox(c, "sent everything", allSent)
	settle()
	byID, byTo := received()
	for to, id := range ids {
		if byID[id] != 1 || byTo[to] != 1 {
			t.Errorf("%s got %d emails, %d with Message-ID %s; want exactly one", to, byTo[to], byID[id], id)
		}
	}
	if len(byID) != 3 {
		t.Errorf("received Message-IDs %v; want only %v", byID, ids)
	}
	times := map[string]int{} // Message-ID -> how often it must have arrived
	for _, id := range ids {
		times[id] = 1
	}

	// (b) The service dies while the server holds its DATA: the server then
	// accepts the message (Amina's, case 1), or refuses it (Li Wei's, case 4).
	for _, tt := range []struct {
		caseID uint64
		to     string
		accept bool
	}{{1, "amina@example.org", true}, {4, "li.wei@example.org", false}} {
		before := len(smtp.Messages())
		smtp.Hold()
		addStatus(c, tt.caseID, "under_review")
		smtp.Held(t, 60*time.Second)
		var sending api.OutboxEntry
		for _, e := range outbox(c) {
			if e.State == "sending" {
				sending = e
			}
		}
		if sending.To != tt.to || times[sending.MessageID] != 0 {
			t.Fatalf("during the conversation: %+v; want a new entry to %s, sending", outbox(c), tt.to)
		}
		kill()
		smtp.Release(tt.accept)
		early := 0 // emails that arrived before the restart
		if tt.accept {
			early = 1
		}
		if got := smtp.Wait(t, before+early, 10*time.Second); len(got) != before+early {
			t.Fatalf("%d emails after the held DATA was answered, want %d", len(got), before+early)
		}
		restart()
		c = staff()
		waitOutbox(c, "sent everything", allSent)
		settle()
		times[sending.MessageID] = 1
		if tt.accept {
			times[sending.MessageID] = 2 // once before the restart, once after: the same Message-ID
		}
		byID, _ := received()
		if byID[sending.MessageID] != times[sending.MessageID] {
			t.Errorf("server accepted the held DATA: %v; Message-ID %s arrived %d times, want %d", tt.accept, sending.MessageID, byID[sending.MessageID], times[sending.MessageID])
		}
	}
	// Every other mail arrived exactly once still, and no mail arrived that the outbox does not hold.
	byID, _ = received()
	for id, n := range times {
		if byID[id] != n {
			t.Errorf("Message-ID %s arrived %d times, want %d", id, byID[id], n)
		}
	}
	if len(byID) != len(times) {
		t.Errorf("received Message-IDs %v; want only %v", byID, times)
	}
	sv.stop(t)
}

func ptr[T any](v T) *T { return &v }
