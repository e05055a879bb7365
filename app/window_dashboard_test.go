package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"clientportal/server/live"
	"clientportal/server/servertest"

	"github.com/gorilla/websocket"
)

// clientOnline logs in to the portal as the demo client email and keeps a
// portal page's live connection open until the test ends.
func clientOnline(t *testing.T, env *servertest.Env, email string) {
	t.Helper()
	b := env.Browser()
	l := env.Login(t, "client", email)
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	d := websocket.Dialer{Jar: b.Jar, HandshakeTimeout: 10 * time.Second}
	ws, _, err := d.Dial("ws"+strings.TrimPrefix(env.URL, "http")+live.PathPortal, http.Header{"Origin": {env.URL}})
	if err != nil {
		t.Fatalf("open a portal page's live connection as %s: %v", email, err)
	}
	t.Cleanup(func() { ws.Close() })
	// Read, as a page does: the reads answer the hub's pings, which
	// otherwise closes the connection as dead.
	go func() {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
}

// paintedShot takes the screenshot once WebKit has painted the page as
// the DOM now is (two animation frames), and a moment more: on this shared
// machine the screen can lag the DOM by seconds.
func paintedShot(ctx context.Context, t *testing.T, w *window, insp *inspector, name string) string {
	t.Helper()
	insp.must(t, `window.__painted = false, requestAnimationFrame(() => requestAnimationFrame(() => { window.__painted = true })), true`)
	insp.waitTrue(ctx, t, `window.__painted === true`, "a paint of the page")
	time.Sleep(2 * time.Second)
	return screenshot(ctx, t, w, name)
}

// TestWindowDashboard opens the real window against the real service with a
// client's message waiting and a client online: the dashboard is the first
// screen after connecting and shows both, a second client message arrives
// live (read once after the burst), the waiting message opens its case, and
// the dashboard fits 360 px without sideways scrolling. Screenshots
// control-panel-dashboard{,-360}.png land in $SCREENSHOT_DIR.
func TestWindowDashboard(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	dana := staffClient(t, env, "dana@riverside.example")
	caseID := caseByNumber(t, dana, "HOU-2026-0317")
	clientPosts(t, env, "jose@example.org", caseID, "I sent the lease from my phone. Did it arrive?")
	clientUploads(t, env, "jose@example.org", caseID, "lease-photo.pdf", "")
	clientOnline(t, env, "amina@example.org")
	clientOnline(t, env, "amina@example.org") // two pages, one client
	before, err := dana.Dashboard(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	l := env.Login(t, "staff", "dana@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		env.URL, l.Email, jsString(l.Password)))
	insp.waitTrue(ctx, t, fmt.Sprintf(`__t.h1() === "Dashboard" && (document.getElementById("messages-waiting") || {}).textContent === "%d"
		&& document.getElementById("clients-online").textContent === "1"
		&& document.getElementById("messages-list").textContent.includes("I sent the lease from my phone.")
		&& document.getElementById("uploads-list").textContent.includes("lease-photo.pdf")
		&& document.querySelectorAll(".chart svg rect").length === 36
		&& document.querySelectorAll("#activity-table tbody tr").length === 12`, before.Messages.Total),
		"the dashboard with the waiting message, the upload and one client online")
	insp.waitTrue(ctx, t, `document.querySelector(".live").textContent === "Live updates on"`, "the live feed")
	// This computer has no clientportal service installed (the test's
	// service runs in-process): the panel says so and offers no control.
	if got := string(insp.must(t, `document.getElementById("service-state").textContent.trim()`)); !strings.Contains(got, "not installed on this computer") &&
		!strings.Contains(got, "Running") && !strings.Contains(got, "Stopped") {
		t.Errorf("service state in the window: %s", got)
	}
	// No inline style in the page: the window's CSP would refuse it.
	if got := string(insp.must(t, `document.querySelectorAll("[style]").length`)); got != "0" {
		t.Errorf("%s elements with an inline style on the dashboard", got)
	}
	t.Logf("screenshot of the dashboard: %s", paintedShot(ctx, t, w, insp, "control-panel-dashboard.png"))

	// Another client message arrives live.
	clientPosts(t, env, "jose@example.org", caseID, "Also, my new phone number is 555 0199.")
	insp.waitTrue(ctx, t, fmt.Sprintf(`document.getElementById("messages-waiting").textContent === "%d"
		&& document.getElementById("messages-list").textContent.includes("my new phone number")
		&& document.querySelector(".dashboard > [role=status]").textContent.includes("A new client message is waiting.")`, before.Messages.Total+1),
		"the second message, live")

	// At 360 px nothing scrolls sideways.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	insp.waitTrue(ctx, t, `document.documentElement.scrollWidth - window.innerWidth === 0`, "the dashboard without sideways scrolling at 360 px")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the dashboard at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-dashboard-360.png"))
	insp.must(t, `document.getElementById("activity-title").scrollIntoView(), true`)
	t.Logf("screenshot of the activity chart at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-dashboard-chart-360.png"))

	// A waiting message opens its case's page.
	insp.must(t, `[...document.querySelectorAll("#messages-list .case-open")][0].click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "HOU-2026-0317: Eviction defense"`, "the case's page from the waiting message")
}
