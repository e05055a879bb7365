package app

// The desktop window test builds the real binary with the desktop build tags,
// opens its window under Xvfb and reads the page through the WebKit inspector
// protocol (WEBKIT_INSPECTOR_HTTP_SERVER). It needs gcc, pkg-config, the
// GTK/WebKit development packages, xvfb-run/xauth, ImageMagick's import and
// xdotool (which resizes the window through the X server); without them it
// skips, except under CI=true, where it fails.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// windowTestVersion is stamped into the test binary; the page must show it,
// which proves the Go binding reached the frontend.
const windowTestVersion = "v0.0.0-windowtest"

// TestWindow opens the real control panel window and drives it against the
// real service (servertest, on loopback): the Connect screen with a wrong and
// then the right password, the case list, a case's page, a message sent from
// the window, and a client's reply arriving live. Screenshots of each step
// land in $SCREENSHOT_DIR.
func TestWindow(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)

	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env, smtp := startWithMail(t)
	w := startWindow(ctx, t, bin)

	insp := dialInspector(ctx, t, w)
	page := waitForPage(ctx, t, insp)
	t.Logf("page: title=%q heading=%q version=%q viewport=%dx%d",
		page.Title, page.Heading, page.Version, page.Width, page.Height)

	if page.Title != "clientportal control panel" {
		t.Errorf("document title = %q, want %q", page.Title, "clientportal control panel")
	}
	if page.Heading != "Connect to your office" {
		t.Errorf("heading = %q, want the Connect screen's %q", page.Heading, "Connect to your office")
	}
	for _, want := range []string{"Service address", "Email", "Password", "Connect"} {
		if !strings.Contains(page.Text, want) {
			t.Errorf("page text does not mention %q:\n%s", want, page.Text)
		}
	}
	if want := "Version " + windowTestVersion; page.Version != want || page.State != "ok" {
		t.Errorf("version line = %q (state %q), want %q from the Go binding", page.Version, page.State, want)
	}
	t.Logf("screenshot of the Connect screen: %s", screenshot(ctx, t, w, "control-panel-connect.png"))

	// The window's policy refuses inline script.
	if got := insp.must(t, `(() => { window.__inline = "blocked"; const s = document.createElement("script");
		s.textContent = "window.__inline = 'ran'"; document.head.append(s); return window.__inline })()`); string(got) != `"blocked"` {
		t.Errorf("an inline script ran in the window (%s): the Content-Security-Policy is missing", got)
	}

	insp.must(t, windowHelpers)
	l := env.Login(t, "staff", "marcus@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", "not the password") && __t.click("Connect")`, env.URL, l.Email))
	insp.waitTrue(ctx, t, `(document.querySelector("[role=alert]") || {}).textContent === "Could not log in: the email or password is not correct."`, "the refused login's message")

	insp.must(t, fmt.Sprintf(`__t.fill("Password", %s) && __t.click("Connect")`, jsString(l.Password)))
	// The dashboard comes first (window_dashboard_test.go drives it).
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && document.querySelectorAll("tbody .case-link").length === 4`, "the case list")
	insp.waitTrue(ctx, t, `document.querySelector(".live").textContent === "Live updates on"`, "the live feed")
	if got := string(insp.must(t, `document.querySelector(".office").textContent`)); got != `"Riverside Legal Aid"` {
		t.Errorf("office name in the bar = %s", got)
	}
	t.Logf("screenshot of the case list: %s", screenshot(ctx, t, w, "control-panel-cases.png"))

	windowClients(ctx, t, env, smtp, w, insp)

	insp.must(t, `[...document.querySelectorAll(".case-link")].find((b) => b.textContent === "IMM-2026-0142").click()`)
	insp.waitTrue(ctx, t, `__t.h1() === "IMM-2026-0142: Asylum application" && document.querySelectorAll(".timeline li").length === 6`, "the case page")

	insp.must(t, `__t.fill("Message", "Please bring your passport on Monday.") && __t.click("Send message")`)
	insp.waitTrue(ctx, t, `(document.querySelector(".message .body") || {}).textContent === "Please bring your passport on Monday."`, "the sent message")

	// The client answers on the portal; the window shows it without a
	// reload and says so to screen readers.
	clientPosts(t, env, "amina@example.org", caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142"), "Thank you, I will bring it.")
	insp.waitTrue(ctx, t, `(document.querySelector(".message .body") || {}).textContent === "Thank you, I will bring it."
		&& document.querySelector(".case-page > [role=status]").textContent === "New message from Amina Haddad."`, "the client's reply, live")
	insp.must(t, `document.getElementById("messages-title").scrollIntoView(), true`)
	t.Logf("screenshot of the case page's messages: %s", screenshot(ctx, t, w, "control-panel-case.png"))

	// At the narrowest width the window allows, nothing needs sideways
	// scrolling.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the case page at 360 px is %s px wider than the window", got)
	}
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot at 360 px: %s", screenshot(ctx, t, w, "control-panel-case-360.png"))
}

// windowHelpers are the test's hands in the page: fill a labelled field as
// typing would, press a button by its text, read the heading.
const windowHelpers = `window.__t = {
  fill(label, value) {
    const l = [...document.querySelectorAll("label")].find((x) => x.textContent.trim() === label);
    const el = l && document.getElementById(l.htmlFor);
    if (!el) throw new Error("no field labelled " + label);
    el.value = value;
    el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
    return true;
  },
  click(text) {
    const b = [...document.querySelectorAll("button")].find((x) => x.textContent.trim() === text);
    if (!b) throw new Error("no button " + text);
    b.click();
    return true;
  },
  h1() { const h = document.querySelector("h1"); return h ? h.textContent.trim() : ""; },
}, true`

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// must evaluates expression in the page and fails the test on an error.
func (in *inspector) must(t *testing.T, expression string) json.RawMessage {
	t.Helper()
	v, err := in.evaluate(expression, 10*time.Second)
	if err != nil {
		t.Fatalf("evaluate %s: %v", expression, err)
	}
	return v
}

// waitTrue polls expression until it is true.
func (in *inspector) waitTrue(ctx context.Context, t *testing.T, expression, what string) {
	t.Helper()
	var last json.RawMessage
	err := poll(ctx, nil, 20*time.Second, func() (bool, error) {
		v, err := in.evaluate(expression, 5*time.Second)
		if err != nil {
			return false, err
		}
		last = v
		return string(v) == "true", nil
	})
	if err != nil {
		text, _ := in.evaluate(`document.body.innerText`, 5*time.Second)
		t.Fatalf("waiting for %s (%s): %v; last %s; page:\n%s", what, expression, err, last, text)
	}
}

// resize makes the window width x height through the X server (xdotool
// windowsize, which GTK follows as it would a window manager's resize) and
// waits until check holds in the page. Wails v2.13's WindowSetSize calls
// gtk_window_resize outside GTK's main thread, and GTK now and then lost such
// a request for good; the X server's resize has no such race. The request is
// repeated every 3 s in case the page missed it; a window that still has not
// taken the size after 20 s fails the test.
func (in *inspector) resize(ctx context.Context, t *testing.T, width, height int, check, what string) {
	t.Helper()
	if in.win == nil {
		t.Fatalf("%s: the inspector does not know its window", what)
	}
	var asked time.Time
	var tries int
	var last json.RawMessage
	err := poll(ctx, in.win, 20*time.Second, func() (bool, error) {
		if time.Since(asked) > 3*time.Second {
			if err := in.win.xResize(ctx, width, height); err != nil {
				return false, err
			}
			asked, tries = time.Now(), tries+1
		}
		v, err := in.evaluate(check, 5*time.Second)
		if err != nil {
			return false, err
		}
		last = v
		return string(v) == "true", nil
	})
	if err != nil {
		got, _ := in.evaluate(`window.innerWidth + "x" + window.innerHeight`, 5*time.Second)
		geometry, _ := in.win.xdotool(ctx, "getwindowgeometry")
		t.Fatalf("%s: the window did not take %dx%d after %d requests through the X server (%v; check %s gave %s; page %s; X window %s)",
			what, width, height, tries, err, check, last, got, geometry)
	}
}

// xResize asks the X server to resize the control panel's window. Xvfb runs
// no window manager, so the resize is made at once and GTK adopts it.
func (w *window) xResize(ctx context.Context, width, height int) error {
	_, err := w.xdotool(ctx, "windowsize", strconv.Itoa(width), strconv.Itoa(height))
	return err
}

// xdotool runs xdotool command on the control panel's visible window (found
// by its title) on the window's own X display.
func (w *window) xdotool(ctx context.Context, command string, args ...string) (string, error) {
	return w.xdo(ctx, append([]string{"search", "--sync", "--onlyvisible", "--limit", "1",
		"--name", "^" + regexp.QuoteMeta(title) + "$", command}, args...)...)
}

// xdo runs xdotool with args on the window's own X display.
func (w *window) xdo(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(withoutEnv(os.Environ(), "DISPLAY", "XAUTHORITY"),
		"DISPLAY="+w.display, "XAUTHORITY="+w.xauthority)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("xdotool %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// requireFrontendBuilt skips the window test when frontend/dist holds only
// its placeholder (or fails it when CI=true).
func requireFrontendBuilt(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join("..", "frontend", "dist", "index.html")); err == nil {
		return
	}
	msg := "the window test needs the built frontend: cd frontend && npm ci && npm run build (bash build/test.sh does it)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// requireDesktop skips the test when the desktop toolchain is missing, or
// fails it when CI=true (CI must run it).
func requireDesktop(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range []string{"gcc", "pkg-config", "xvfb-run", "xauth", "import", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if _, err := exec.LookPath("pkg-config"); err == nil {
		if err := exec.Command("pkg-config", "--exists", "webkit2gtk-4.0", "gtk+-3.0").Run(); err != nil {
			missing = append(missing, "GTK/WebKit development libraries (pkg-config webkit2gtk-4.0 gtk+-3.0)")
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("desktop window test needs %s; on Debian: apt-get install libgtk-3-dev libwebkit2gtk-4.0-dev pkg-config build-essential xvfb xauth imagemagick xdotool (or run bash build/test.sh as root)",
		strings.Join(missing, ", "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// desktopBuild is the desktop binary built once for every window test of
// this test process: a cgo build against WebKit takes minutes on a busy
// machine, and every window test needs the same binary.
var desktopBuild struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildDesktopBinary answers the real control panel binary, built from the
// module root (the parent of app/) with the tags `wails build` uses, once
// per test process. The build has its own time limit: callers start their
// own deadline after it, so a slow build does not eat a window test's time.
func buildDesktopBinary(t *testing.T) string {
	t.Helper()
	desktopBuild.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			desktopBuild.err = fmt.Errorf("go command not found: %w", err)
			return
		}
		dir, err := os.MkdirTemp("", "clientportal-window-")
		if err != nil {
			desktopBuild.err = err
			return
		}
		desktopBuild.dir = dir
		bin := filepath.Join(dir, "clientportal")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		start := time.Now()
		cmd := exec.CommandContext(ctx, goTool, "build",
			"-tags", "desktop,production",
			"-ldflags", "-X main.version="+windowTestVersion,
			"-o", bin, ".")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			desktopBuild.err = fmt.Errorf("go build -tags desktop,production: %w\n%s", err, out)
			return
		}
		desktopBuild.bin = bin
		t.Logf("built %s in %s", bin, time.Since(start).Round(100*time.Millisecond))
	})
	if desktopBuild.err != nil {
		t.Fatal(desktopBuild.err)
	}
	return desktopBuild.bin
}

// window is the control panel running under its own Xvfb server.
type window struct {
	inspectorAddr string // host:port of WebKit's remote inspector
	display       string // DISPLAY of the Xvfb server
	xauthority    string // XAUTHORITY for that server
	exited        chan struct{}
	output        *syncBuffer
}

// startWindow runs bin under xvfb-run with the WebKit remote inspector
// enabled, and stops it (and its Xvfb) when the test ends.
func startWindow(ctx context.Context, t *testing.T, bin string) *window {
	t.Helper()
	return startWindowWith(ctx, t, bin, windowSetup{})
}

// windowSetup changes how startWindowWith runs the window.
type windowSetup struct {
	screen string   // Xvfb's screen, WIDTHxHEIGHTxDEPTH; 1280x900x24 when empty
	env    []string // more environment for the app, such as GDK_SCALE=2
}

// startWindowWith is startWindow with another screen or environment.
func startWindowWith(ctx context.Context, t *testing.T, bin string, setup windowSetup) *window {
	t.Helper()
	if setup.screen == "" {
		setup.screen = "1280x900x24"
	}
	w := &window{
		inspectorAddr: freeLoopbackAddr(t),
		exited:        make(chan struct{}),
		output:        &syncBuffer{},
	}
	// The shell under xvfb-run records the display, its auth file and its
	// own pid (the app's, after exec), then becomes the app.
	info := filepath.Join(t.TempDir(), "display")
	const script = `printf '%s\n%s\n%s\n' "$DISPLAY" "$XAUTHORITY" "$$" > "$1.tmp" && mv "$1.tmp" "$1" && exec "$2"`
	cmd := exec.Command("xvfb-run", "-a", "-s", "-screen 0 "+setup.screen,
		"sh", "-c", script, "sh", info, bin)
	// The window speaks English unless a test switches it: the tests read
	// its English texts, whatever this machine's locale.
	cmd.Env = append(withoutEnv(os.Environ(), "DISPLAY", "WAYLAND_DISPLAY", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"),
		"WEBKIT_INSPECTOR_HTTP_SERVER="+w.inspectorAddr,
		"GDK_BACKEND=x11",
		"LANG=C.UTF-8",
	)
	cmd.Env = append(cmd.Env, setup.env...)
	cmd.Stdout = w.output
	cmd.Stderr = w.output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start xvfb-run: %v", err)
	}
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(w.exited)
	}()

	appPID := 0
	t.Cleanup(func() {
		// Stop the app first so xvfb-run cleans up its server and auth
		// files; then make sure nothing of the process group is left.
		if appPID > 0 {
			_ = syscall.Kill(appPID, syscall.SIGTERM)
		} else {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		}
		select {
		case <-w.exited:
		case <-time.After(10 * time.Second):
			t.Logf("control panel did not stop within 10s; killing its process group")
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-w.exited
		if t.Failed() {
			t.Logf("control panel output (exit: %v):\n%s", waitErr, w.output.String())
		}
	})

	err := poll(ctx, w, 30*time.Second, func() (bool, error) {
		b, err := os.ReadFile(info)
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 3 {
			return false, fmt.Errorf("unexpected display info %q", b)
		}
		w.display, w.xauthority = lines[0], lines[1]
		appPID, err = strconv.Atoi(lines[2])
		return true, err
	})
	if err != nil {
		t.Fatalf("waiting for Xvfb: %v\n%s", err, w.output.String())
	}
	return w
}

// inspector is a connection to one page of WebKit's remote inspector.
type inspector struct {
	win      *window // the window whose page this is (resize needs it)
	conn     *websocket.Conn
	targetID string
	nextID   int
}

var socketPath = regexp.MustCompile(`/socket/\d+/\d+/WebPage`)

// dialInspector waits for the inspector's target list to show the page, then
// connects to it and waits for its target to be announced.
func dialInspector(ctx context.Context, t *testing.T, w *window) *inspector {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	var path string
	err := poll(ctx, w, 60*time.Second, func() (bool, error) {
		resp, err := client.Get("http://" + w.inspectorAddr + "/")
		if err != nil {
			return false, nil // not listening yet
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return false, nil
		}
		path = socketPath.FindString(string(body))
		return path != "", nil
	})
	if err != nil {
		t.Fatalf("waiting for the WebKit inspector at %s: %v", w.inspectorAddr, err)
	}

	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, _, err := websocket.DefaultDialer.DialContext(dialCtx, "ws://"+w.inspectorAddr+path, nil)
	if err != nil {
		t.Fatalf("connect to the inspector socket %s: %v", path, err)
	}
	t.Cleanup(func() { conn.Close() })
	insp := &inspector{win: w, conn: conn}

	// The page target is announced right after the connection opens.
	deadline := time.Now().Add(20 * time.Second)
	for insp.targetID == "" {
		var msg struct {
			Method string `json:"method"`
			Params struct {
				TargetInfo struct {
					TargetID string `json:"targetId"`
					Type     string `json:"type"`
				} `json:"targetInfo"`
			} `json:"params"`
		}
		if err := insp.read(deadline, &msg); err != nil {
			t.Fatalf("waiting for Target.targetCreated: %v", err)
		}
		if msg.Method == "Target.targetCreated" && msg.Params.TargetInfo.Type == "page" {
			insp.targetID = msg.Params.TargetInfo.TargetID
		}
	}
	return insp
}

func (in *inspector) read(deadline time.Time, v any) error {
	if err := in.conn.SetReadDeadline(deadline); err != nil {
		return err
	}
	return in.conn.ReadJSON(v)
}

// evaluate runs a JavaScript expression in the page and returns its value as
// JSON. Runtime.evaluate goes to the page wrapped in Target.sendMessageToTarget;
// its answer comes back in Target.dispatchMessageFromTarget.
func (in *inspector) evaluate(expression string, timeout time.Duration) (json.RawMessage, error) {
	in.nextID++
	id := in.nextID
	inner, err := json.Marshal(map[string]any{
		"id":     id,
		"method": "Runtime.evaluate",
		"params": map[string]any{"expression": expression, "returnByValue": true},
	})
	if err != nil {
		return nil, err
	}
	outer := map[string]any{
		"id":     id,
		"method": "Target.sendMessageToTarget",
		"params": map[string]any{"targetId": in.targetID, "message": string(inner)},
	}
	if err := in.conn.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	if err := in.conn.WriteJSON(outer); err != nil {
		return nil, err
	}

	deadline := time.Now().Add(timeout)
	for {
		var msg struct {
			ID     int             `json:"id"`
			Method string          `json:"method"`
			Error  json.RawMessage `json:"error"`
			Params struct {
				TargetID string `json:"targetId"`
				Message  string `json:"message"`
			} `json:"params"`
		}
		if err := in.read(deadline, &msg); err != nil {
			return nil, err
		}
		if msg.ID == id && msg.Error != nil {
			return nil, fmt.Errorf("inspector rejected Target.sendMessageToTarget: %s", msg.Error)
		}
		if msg.Method != "Target.dispatchMessageFromTarget" {
			continue
		}
		var reply struct {
			ID     int             `json:"id"`
			Error  json.RawMessage `json:"error"`
			Result struct {
				Result struct {
					Type        string          `json:"type"`
					Value       json.RawMessage `json:"value"`
					Description string          `json:"description"`
				} `json:"result"`
				WasThrown bool `json:"wasThrown"`
			} `json:"result"`
		}
		if err := json.Unmarshal([]byte(msg.Params.Message), &reply); err != nil {
			return nil, fmt.Errorf("decode inspector reply: %w", err)
		}
		if reply.ID != id {
			continue // an event from the page
		}
		if reply.Error != nil {
			return nil, fmt.Errorf("inspector rejected Runtime.evaluate: %s", reply.Error)
		}
		if reply.Result.WasThrown {
			return nil, fmt.Errorf("evaluated expression threw: %s", reply.Result.Result.Description)
		}
		return reply.Result.Result.Value, nil
	}
}

// pageState is what the test reads from the control panel page.
type pageState struct {
	Ready   string `json:"ready"`
	Title   string `json:"title"`
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Version string `json:"version"`
	State   string `json:"state"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

const readPage = `JSON.stringify((() => {
  const h1 = document.querySelector("h1");
  const v = document.getElementById("version");
  return {
    ready: document.readyState,
    title: document.title,
    heading: h1 ? h1.textContent.trim() : "",
    text: document.body ? document.body.innerText : "",
    version: v ? v.textContent.trim() : "",
    state: v ? (v.dataset.state || "") : "",
    width: window.innerWidth,
    height: window.innerHeight,
  };
})())`

// waitForPage polls the page until it has loaded and the version line has
// left its loading state (Runtime.evaluate cannot await the binding's promise).
func waitForPage(ctx context.Context, t *testing.T, insp *inspector) pageState {
	t.Helper()
	var page pageState
	var lastErr error
	err := poll(ctx, nil, 30*time.Second, func() (bool, error) {
		raw, err := insp.evaluate(readPage, 5*time.Second)
		if err != nil {
			var netErr net.Error
			if errors.As(err, &netErr) && netErr.Timeout() {
				return false, err // the socket is unusable after a read timeout
			}
			lastErr = err
			return false, nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return false, fmt.Errorf("page state %s: %w", raw, err)
		}
		if err := json.Unmarshal([]byte(s), &page); err != nil {
			return false, fmt.Errorf("page state %s: %w", s, err)
		}
		return page.Ready == "complete" && page.State != "" && page.State != "loading", nil
	})
	if err != nil {
		t.Fatalf("waiting for the page to show the version: %v (last page state %+v, last error %v)", err, page, lastErr)
	}
	return page
}

// screenshot saves the whole Xvfb screen to $SCREENSHOT_DIR (default
// TMPDIR/clientportal-screenshots). The DOM is ready before WebKit paints it,
// so it retakes the picture until the window shows rendered content.
func screenshot(ctx context.Context, t *testing.T, w *window, name string) string {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "clientportal-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	file, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	// WebKit paints a changed page a moment after the DOM changed.
	time.Sleep(time.Second)
	colours := 0
	err = poll(ctx, w, 20*time.Second, func() (bool, error) {
		shotCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		cmd := exec.CommandContext(shotCtx, "import", "-window", "root", file)
		cmd.Env = append(withoutEnv(os.Environ(), "DISPLAY", "XAUTHORITY"),
			"DISPLAY="+w.display, "XAUTHORITY="+w.xauthority)
		if out, err := cmd.CombinedOutput(); err != nil {
			return false, fmt.Errorf("import -window root: %v\n%s", err, out)
		}
		colours, err = countColours(file, 64)
		// An empty screen or a blank window has a colour or two; rendered
		// text brings many more.
		return colours >= 16, err
	})
	if err != nil {
		t.Fatalf("screenshot %s (%d colours): %v", file, colours, err)
	}
	return file
}

// countColours counts the distinct colours of a PNG file, up to limit.
func countColours(file string, limit int) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0, fmt.Errorf("decode %s: %w", file, err)
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < limit; y++ {
		for x := b.Min.X; x < b.Max.X && len(seen) < limit; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen), nil
}

// poll calls check every 200ms until it reports done, returns an error, the
// timeout passes, the context ends, or (when w is given) the app exits.
func poll(ctx context.Context, w *window, timeout time.Duration, check func() (bool, error)) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	var exited <-chan struct{}
	if w != nil {
		exited = w.exited
	}
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return fmt.Errorf("timed out after %s", timeout)
		case <-exited:
			return fmt.Errorf("control panel exited early:\n%s", w.output.String())
		case <-tick.C:
		}
	}
}

// freeLoopbackAddr returns a loopback address with a port that was free a
// moment ago, for the inspector's HTTP server.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// withoutEnv drops the named variables from env.
func withoutEnv(env []string, names ...string) []string {
	out := env[:0:0]
next:
	for _, kv := range env {
		for _, name := range names {
			if strings.HasPrefix(kv, name+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// syncBuffer collects the app's output from its stdout and stderr.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
