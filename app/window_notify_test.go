package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// TestWindowNotification runs the real control panel with a real
// notification daemon: dunst, on its own D-Bus session bus, on the window's
// Xvfb display. Logged in through the window, staff see a client's portal
// message raise exactly one desktop notification, through the Wails
// runtime's notifications (org.freedesktop.Notifications), naming the case
// and not the content; a screenshot shows dunst's popup over the window.
func TestWindowNotification(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	for _, tool := range []string{"dbus-run-session", "dunst"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " not found (Debian: apt-get install dbus-daemon dunst; build/debian-packages.txt lists them)"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)

	// dunst runs a script for each notification it shows (a rule that
	// matches every one); the script writes down what was shown.
	dir := t.TempDir()
	shown := filepath.Join(dir, "shown.txt")
	record := filepath.Join(dir, "record.sh")
	if err := os.WriteFile(record, []byte("#!/bin/sh\n"+`printf '%s|%s|%s\n' "$1" "$2" "$3" >> `+shQuoteTest(shown)+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "dunstrc")
	if err := os.WriteFile(conf, []byte(`[global]
    font = Monospace 11
    width = 420
    offset = 20x40
    origin = top-right
[record]
    summary = "*"
    script = `+record+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The window starts on a session bus of its own, with dunst holding
	// org.freedesktop.Notifications on it.
	wrapper := filepath.Join(dir, "with-notifications.sh")
	// Its own settings folder too: the test turns notifications off.
	script := "#!/bin/sh\nXDG_CONFIG_HOME=" + shQuoteTest(filepath.Join(dir, "config")) + "\nexport XDG_CONFIG_HOME\nexec dbus-run-session -- sh -c " + shQuoteTest(
		`dunst -config `+shQuoteTest(conf)+` > `+shQuoteTest(filepath.Join(dir, "dunst.log"))+` 2>&1 & exec `+shQuoteTest(bin)) + "\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	w := startWindow(ctx, t, wrapper)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)

	insp.must(t, windowHelpers)
	l := env.Login(t, "staff", "marcus@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`, env.URL, l.Email, jsString(l.Password)))
	// The dashboard comes first (window_dashboard_test.go drives it).
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && document.querySelector(".live").textContent === "Live updates on"`, "the case list, live")
	insp.waitTrue(ctx, t, `document.getElementById("notify-toggle").checked === true && !document.getElementById("notify-toggle").disabled`, "the notifications switch, on")

	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")
	clientPosts(t, env, "amina@example.org", id, "A private question about my hearing")

	var lines []string
	err := poll(ctx, w, 30*time.Second, func() (bool, error) {
		b, err := os.ReadFile(shown)
		if err != nil {
			return false, nil
		}
		lines = strings.Split(strings.TrimSpace(string(b)), "\n")
		return true, nil
	})
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "dunst.log"))
		t.Fatalf("dunst showed no notification: %v\ndunst's log:\n%s", err, log)
	}
	t.Logf("screenshot of the notification: %s", screenshot(ctx, t, w, "control-panel-notification.png"))
	// Anything else the burst would raise comes within the coalescing
	// window.
	time.Sleep(2 * coalesceWindow)
	b, _ := os.ReadFile(shown)
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 1 {
		t.Fatalf("dunst showed %d notifications, want 1:\n%s", len(lines), b)
	}
	parts := strings.SplitN(lines[0], "|", 3)
	if len(parts) != 3 || parts[1] != "Riverside Legal Aid" || parts[2] != "New message from a client in case IMM-2026-0142" {
		t.Errorf("dunst showed %q (appname|summary|body), want Riverside Legal Aid / New message from a client in case IMM-2026-0142", lines[0])
	}
	if strings.Contains(lines[0], "private") {
		t.Errorf("the notification carries the message's content: %q", lines[0])
	}

	// Turned off in the window, the next message raises none.
	insp.must(t, `document.getElementById("notify-toggle").click(), true`)
	insp.waitTrue(ctx, t, `document.getElementById("notify-toggle").checked === false && !document.getElementById("notify-toggle").disabled`, "the notifications switch, off")
	clientPosts(t, env, "amina@example.org", id, "And one more")
	time.Sleep(3 * coalesceWindow)
	if b, _ := os.ReadFile(shown); strings.Count(strings.TrimSpace(string(b)), "\n") != 0 {
		t.Errorf("a notification while turned off:\n%s", b)
	}

	// The switch fits the bar at the narrowest width the window allows.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the bar with the notifications switch at 360 px is %s px wider than the window", got)
	}
	t.Logf("screenshot at 360 px: %s", screenshot(ctx, t, w, "control-panel-notification-360.png"))
}

// shQuoteTest quotes s for sh.
func shQuoteTest(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
