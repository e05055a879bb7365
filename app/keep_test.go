package app

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// startSecretService runs a real Secret Service for this test process: a
// private D-Bus session bus and GNOME Keyring on it, with a login keyring
// in a temporary folder (Debian's dbus-daemon and gnome-keyring). It
// returns that folder. Where they are missing the test is skipped, except
// under CI=true, where it fails. Call it once per process: go-keyring keeps
// its bus connection.
func startSecretService(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing: install the packages of build/debian-packages.txt", tool)
			}
			t.Skipf("%s is missing (Debian packages dbus-daemon and gnome-keyring): no Secret Service to test with", tool)
		}
	}
	home := t.TempDir()
	run := filepath.Join(home, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	// The bus's own configuration, without service activation: the
	// session's default would start another gnome-keyring-daemon (with the
	// real home folder) for a call that comes before ours has its name.
	conf := filepath.Join(home, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+run+`</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	addr := strings.TrimSpace(line)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)

	// --unlock with a password creates and unlocks the login keyring.
	gk := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	gk.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_RUNTIME_DIR="+run,
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"), "DBUS_SESSION_BUS_ADDRESS="+addr)
	gk.Stdin = strings.NewReader("keyring password of the test")
	if err := gk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gk.Process.Kill(); gk.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := keyring.Set("clientportal test", "probe", "x")
		if err == nil {
			keyring.Delete("clientportal test", "probe")
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Secret Service did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return home
}

// TestKeptSession: "Keep me signed in" keeps the token in the real Secret
// Service (never in a file in clear), the next start resumes it, Logout
// removes it, and a session the service ended is dropped.
func TestKeptSession(t *testing.T) {
	keyringHome := startSecretService(t)
	env := servertest.Start(t)
	dana := env.Login(t, "staff", "dana@riverside.example")
	cfg := t.TempDir()
	start := func() *Session {
		p := pairingPanel(t, cfg)
		p.useOSKeyring()
		return p.Session
	}

	a := start()
	if k := a.Kept(); !k.CanKeep || k.Kept || k.Why != "" {
		t.Fatalf("Kept before = %+v", k)
	}
	step, err := a.LogIn(env.URL, dana.Email, dana.Password, true)
	if err != nil || !step.Done || !step.Kept || step.KeepProblem != "" {
		t.Fatalf("LogIn keeping = %+v, %v", step, err)
	}
	_, c := a.link.connected()
	token := c.Token()
	if k := a.Kept(); !k.Kept || k.Staff != "Dana Whitfield" || k.Service != env.URL || k.Email != dana.Email {
		t.Errorf("Kept = %+v", k)
	}
	// The secret is in the credential store, and in no file in clear.
	if s, err := keyring.Get(keyringService, keyringUser); err != nil || !has(s, token) {
		t.Errorf("credential store holds %q, %v", s, err)
	}
	for _, dir := range []string{keyringHome, cfg} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, _ := os.ReadFile(path); has(string(data), token) {
					t.Errorf("%s holds the token in clear", path)
				}
			}
			return nil
		})
	}

	// The next start resumes it, without a password.
	b := start()
	info, err := b.Resume()
	if err != nil || info.Staff != "Dana Whitfield" || info.Office != "Riverside Legal Aid" {
		t.Fatalf("Resume = %+v, %v", info, err)
	}
	if who, err := b.Who(); err != nil || who.Staff != "Dana Whitfield" {
		t.Errorf("Who after Resume = %+v, %v", who, err)
	}
	// Log out removes it, and ends the session.
	if err := b.Logout(); err != nil {
		t.Fatal(err)
	}
	if k := b.Kept(); k.Kept {
		t.Errorf("Kept after Logout = %+v", k)
	}
	if _, err := keyring.Get(keyringService, keyringUser); err != keyring.ErrNotFound {
		t.Errorf("credential store after Logout: %v", err)
	}
	if _, err := env.Server.Auth().Staff(context.Background(), token); err == nil {
		t.Error("the session lives on after Logout")
	}
	if _, err := start().Resume(); err == nil || !has(err.Error(), "no session is kept") {
		t.Errorf("Resume after Logout: %v", err)
	}

	// A session the service ended (logged out elsewhere) is dropped.
	c2 := start()
	if _, err := c2.LogIn(env.URL, dana.Email, dana.Password, true); err != nil {
		t.Fatal(err)
	}
	_, cl := c2.link.connected()
	if err := cl.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := start()
	if _, err := d.Resume(); err == nil || !has(err.Error(), "your kept session has ended") {
		t.Errorf("Resume of an ended session: %v", err)
	}
	if k := d.Kept(); k.Kept {
		t.Errorf("an ended session is still kept: %+v", k)
	}

	// Not keeping removes what an earlier login kept.
	e := start()
	if _, err := e.LogIn(env.URL, dana.Email, dana.Password, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.LogIn(env.URL, dana.Email, dana.Password, false); err != nil {
		t.Fatal(err)
	}
	if k := e.Kept(); k.Kept {
		t.Errorf("kept after a login without keeping: %+v", k)
	}

	// A session the service ends while the window uses it (logged out
	// elsewhere, revoked, the account disabled) is forgotten at once, not
	// at the next start: a kept token the service refuses is no use, and
	// must not sit in the credential store.
	f := start()
	if _, err := f.LogIn(env.URL, dana.Email, dana.Password, true); err != nil {
		t.Fatal(err)
	}
	_, fc := f.link.connected()
	elsewhere, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithToken(fc.Token()))
	if err != nil {
		t.Fatal(err)
	}
	if err := elsewhere.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Who(); err == nil {
		t.Error("Who on an ended session succeeded")
	}
	if _, err := keyring.Get(keyringService, keyringUser); err != keyring.ErrNotFound {
		t.Errorf("the credential store still holds the ended session (%v): it is forgotten only at the next start", err)
	}
}

// TestKeepWithoutCredentialStore: without a credential store the session
// is not kept anywhere, and the person is told.
func TestKeepWithoutCredentialStore(t *testing.T) {
	env := servertest.Start(t)
	dana := env.Login(t, "staff", "dana@riverside.example")
	cfg := t.TempDir()
	a := pairingPanel(t, cfg).Session
	if k := a.Kept(); k.CanKeep || !has(k.Why, "log in each time") {
		t.Errorf("Kept = %+v", k)
	}
	step, err := a.LogIn(env.URL, dana.Email, dana.Password, true)
	if err != nil || !step.Done || step.Kept || !has(step.KeepProblem, "log in each time") {
		t.Errorf("LogIn keeping without a store = %+v, %v", step, err)
	}
	if entries, _ := os.ReadDir(cfg); len(entries) != 0 {
		t.Errorf("config folder holds %v", entries)
	}
}
