package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"clientportal/server/password"
	"clientportal/store"
)

// openPTY opens a pseudo-terminal: the controlling side the test types into,
// and the terminal the program reads.
func openPTY(t *testing.T) (ctl, tty *os.File) {
	t.Helper()
	ctl, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminals here: %v", err)
		}
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(ctl.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	t.Cleanup(func() { ctl.Close(); tty.Close() })
	return ctl, tty
}

// screen collects what the program shows on the terminal.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestPasswordPromptAtTerminal runs `admin create` at a real (pseudo)
// terminal: the password is asked for twice and never shown on the screen,
// a refused one is explained and asked for again.
func TestPasswordPromptAtTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	ctl, tty := openPTY(t)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "admin", "create", "--data", dir, "--email", "ana@office.example", "--name", "Ana Silva")
	cmd.Env = append(os.Environ(), "CLIENTPORTAL_RUN_MAIN=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var seen screen
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := ctl.Read(b)
			seen.Write(b[:n])
			if err != nil {
				return
			}
		}
	}()
	// type waits for the prompt and for echo to be off (typing earlier would
	// be echoed by the terminal before the program could stop it), then types.
	typeAt := func(prompt, text string, times int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(seen.String(), prompt) >= times && tio.Lflag&unix.ECHO == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no prompt %q (#%d) with echo off; the screen shows:\n%s", prompt, times, seen.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		ctl.WriteString(text + "\n")
	}
	const weak, pw = "password12345678", "plum cactus radio window seventeen"
	typeAt("Password for ana@office.example: ", weak, 1)
	typeAt("Password for ana@office.example: ", pw, 2)
	typeAt("Type it again: ", pw, 1)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("admin create at a terminal: %v\n%s", err, seen.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("admin create did not finish:\n%s", seen.String())
	}
	time.Sleep(50 * time.Millisecond) // the last output
	shown := seen.String()
	if strings.Contains(shown, pw) || strings.Contains(shown, weak) {
		t.Errorf("the password was shown on the terminal:\n%s", shown)
	}
	if !strings.Contains(shown, "Password not accepted") || !strings.Contains(shown, "created") {
		t.Errorf("terminal session lacks the refusal or the result:\n%s", shown)
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
		if ok, _, _ := (password.Hasher{}).Verify(s.PasswordHash, pw); !ok {
			t.Error("the typed password is not the administrator's")
		}
		return nil
	})
}
