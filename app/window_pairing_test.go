package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestWindowPairing opens the real window as on an office PC and connects
// through the staff listener (the service's staff certificate, on
// loopback): the fingerprint to compare, "They match", the second factor's
// code the office requires, then the case list. Screenshots:
// control-panel-pair-{compare,code}.png in $SCREENSHOT_DIR. The pin lands
// in the window's own config folder (XDG_CONFIG_HOME of the test).
func TestWindowPairing(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	staff := startStaffListener(t, env, t.TempDir(), "127.0.0.1:0")
	admin := staffClient(t, env, "dana@riverside.example")
	key, err := admin.StartMyTwoFactor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ConfirmMyTwoFactor(ctx, codeAt(t, key.Secret, time.Now())); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := admin.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Staff: &yes}); err != nil {
		t.Fatal(err)
	}
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)

	dana := env.Login(t, "staff", "dana@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		staff.addr, dana.Email, jsString(dana.Password)))
	insp.waitTrue(ctx, t, `(document.querySelector("h2") || {}).textContent === "Compare the server's fingerprint"`, "the fingerprint to compare")
	shown := string(insp.must(t, `[...document.querySelectorAll(".fingerprint code")].map((c) => c.textContent).join(" ")`))
	if want := fmt.Sprintf("%q", spoken(staff.fingerprint)); shown != want {
		t.Errorf("the window shows the fingerprint %s; the server's is %s", shown, want)
	}
	if got := staff.seen(); len(got) != 0 {
		t.Errorf("before the comparison the server received %q", got)
	}
	t.Logf("screenshot of the fingerprint comparison: %s", screenshot(ctx, t, w, "control-panel-pair-compare.png"))
	// At the narrowest width the fingerprint still reads in rows, without
	// sideways scrolling.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the comparison at 360 px is %s px wider than the window", got)
	}
	t.Logf("screenshot of the comparison at 360 px: %s", screenshot(ctx, t, w, "control-panel-pair-compare-360.png"))
	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at its usual size")

	insp.must(t, `__t.click("They match")`)
	insp.waitTrue(ctx, t, `(document.querySelector("h2") || {}).textContent === "Enter your code"`, "the code step")
	t.Logf("screenshot of the code step: %s", screenshot(ctx, t, w, "control-panel-pair-code.png"))
	data, err := os.ReadFile(filepath.Join(config, "clientportal", pairingsFile))
	if err != nil || !strings.Contains(string(data), staff.fingerprint) {
		t.Errorf("the window's pairings file: %s, %v", data, err)
	}

	// A code of the next time step: the one that confirmed the set-up is used up.
	code := codeAt(t, key.Secret, time.Now().Add(30*time.Second))
	insp.must(t, fmt.Sprintf(`__t.fill("Code", %q) && __t.click("Verify")`, code))
	// The dashboard comes first (window_dashboard_test.go drives it).
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases" && document.querySelectorAll("tbody .case-link").length > 0`, "the case list through the staff listener")
	insp.waitTrue(ctx, t, `document.querySelector(".live").textContent === "Live updates on"`, "the live feed through the staff listener")
	var office string
	json.Unmarshal(insp.must(t, `document.querySelector(".office").textContent`), &office)
	if office != "Riverside Legal Aid" {
		t.Errorf("office in the bar = %q", office)
	}

	// Marcus has no second factor yet and the office requires one: he sets
	// it up from the window (QR code and key), and sees his recovery codes once.
	insp.must(t, `__t.click("Log out")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Connect to your office" && document.getElementById("connect-email") !== null`, "the Connect screen again")
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		staff.addr, marcus.Email, jsString(marcus.Password)))
	insp.waitTrue(ctx, t, `(document.querySelector("h2") || {}).textContent === "Set up your second factor"
		&& document.querySelector("img.qr") && document.querySelector("img.qr").complete && document.querySelector("img.qr").naturalWidth > 100`, "the set-up step with its QR code drawn")
	t.Logf("screenshot of the second factor's set-up: %s", screenshot(ctx, t, w, "control-panel-pair-setup.png"))
	var secret string
	json.Unmarshal(insp.must(t, `document.querySelector(".key").textContent`), &secret)
	if !regexp.MustCompile(`^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$`).MatchString(secret) {
		t.Errorf("the key reads %q: want groups of four for typing", secret)
	}
	insp.must(t, fmt.Sprintf(`__t.fill("Code", %q) && __t.click("Verify")`, codeAt(t, secret, time.Now())))
	insp.waitTrue(ctx, t, `(document.querySelector("h2") || {}).textContent === "Keep your recovery codes" && document.querySelectorAll(".recovery li").length === 10`, "the recovery codes")
	t.Logf("screenshot of the recovery codes: %s", screenshot(ctx, t, w, "control-panel-pair-recovery.png"))
	insp.must(t, `__t.click("I have kept them: continue")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard, as Marcus")
}
