package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clientportal/server/apiclient"
)

// clientByEmail finds a demo client's id by email.
func clientByEmail(t *testing.T, c *apiclient.Client, email string) uint64 {
	t.Helper()
	p, err := c.ListClients(t.Context(), apiclient.ListOptions{Q: email})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("find client %s: %+v, %v", email, p, err)
	}
	return p.Items[0].ID
}

// settingsHelpers fill a field by its id, as typing would.
const settingsHelpers = `window.__s = {
  fill(id, value) {
    const el = document.getElementById(id);
    if (!el) throw new Error("no field #" + id);
    el.value = value;
    el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
    return true;
  },
  saved() { return [...document.querySelectorAll("#settings-body .ok[role=status]")].map((p) => p.textContent.trim()).filter(Boolean).join(" | "); },
}, true`

// TestWindowSettings opens the settings in the real window under Xvfb,
// logged in to the real service as an administrator: changes the status
// list and saves it, sends a test email to a real SMTP server and sees its
// answer, sets the branding colour (a light one refused beside the field),
// and takes screenshots of several sections at full size and at 360 px.
func TestWindowSettings(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env, smtp := startWithMail(t)
	dana := staffClient(t, env, "dana@riverside.example")
	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	insp.must(t, settingsHelpers)

	l := env.Login(t, "staff", "dana@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`, env.URL, l.Email, jsString(l.Password)))
	// The dashboard comes first (window_dashboard_test.go drives it).
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")
	insp.must(t, `__t.click("Cases")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Cases"`, "the case list")
	insp.must(t, `__t.click("Settings")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Settings" && document.getElementById("office-tz") !== null && document.getElementById("office-tz").value !== ""`, "the office settings")
	// On a busy machine WebKit paints the new screen a while after the DOM
	// has it: wait for two animation frames before the picture.
	insp.must(t, `window.__painted = false, requestAnimationFrame(() => requestAnimationFrame(() => (window.__painted = true))), window.scrollTo(0, 0), true`)
	insp.waitTrue(ctx, t, `window.__painted === true`, "the settings painted")
	time.Sleep(2 * time.Second)
	t.Logf("screenshot of the office settings: %s", screenshot(ctx, t, w, "control-panel-settings-office.png"))

	// The status list: rename the first in Spanish, move it down, add one, save.
	before, err := dana.Statuses(ctx)
	if err != nil || len(before.Items) < 2 {
		t.Fatalf("statuses before: %+v, %v", before, err)
	}
	insp.must(t, `__t.click("Case statuses")`)
	insp.waitTrue(ctx, t, `document.querySelectorAll(".status-list li").length === `+fmt.Sprint(len(before.Items)), "the status list")
	insp.must(t, `__s.fill("status-es-0", "Recibido en la oficina") && document.getElementById("status-down-0").click() === undefined`)
	insp.must(t, `__s.fill("status-new-en", "Hearing set") && __s.fill("status-new-es", "Audiencia fijada") && __t.click("Add to the list")`)
	insp.must(t, `__t.click("Save the status list")`)
	insp.waitTrue(ctx, t, `__s.saved().startsWith("Saved: ")`, "the status list saved")
	after, err := dana.Statuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Items[1].ID != before.Items[0].ID || after.Items[1].Names["es"] != "Recibido en la oficina" || after.Items[0].ID != before.Items[1].ID {
		t.Errorf("the service's status list after the window saved it: %+v", after.Items)
	}
	if last := after.Items[len(before.Items)]; last.ID != "hearing_set" || last.Names["en"] != "Hearing set" || last.Names["es"] != "Audiencia fijada" {
		t.Errorf("the added status: %+v", last)
	}
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the status list: %s", screenshot(ctx, t, w, "control-panel-settings-statuses.png"))

	// A test email, through the real SMTP server, and its answer shown.
	sent := len(smtp.Messages())
	insp.must(t, `__t.click("Email")`)
	insp.waitTrue(ctx, t, `document.getElementById("mail-host") !== null && document.getElementById("mail-host").value !== ""`, "the mail settings")
	insp.must(t, `__s.fill("mail-test-to", "dana@riverside.example") && __t.click("Send a test email")`)
	insp.waitTrue(ctx, t, `(document.getElementById("mail-test-reply") || {}).textContent > ""`, "the server's answer")
	reply := strings.Trim(string(insp.must(t, `document.querySelector(".server-answer").textContent.replace(/\s+/g, " ").trim()`)), `"`)
	if !strings.HasPrefix(reply, "Sent: the server accepted the test email.") || !strings.Contains(reply, "250") {
		t.Errorf("the window shows %q after the test email", reply)
	}
	got := smtp.Wait(t, sent+1, 15*time.Second)
	if m := got[sent]; len(m.To) != 1 || m.To[0] != "dana@riverside.example" {
		t.Errorf("the SMTP server got %v", m.To)
	}
	insp.must(t, `document.getElementById("mail-test-title").scrollIntoView(), true`)
	t.Logf("screenshot of the mail settings and the test's answer: %s", screenshot(ctx, t, w, "control-panel-settings-mail.png"))

	// The branding colour: a light one refused beside the field, then set.
	insp.must(t, `__t.click("Branding")`)
	insp.waitTrue(ctx, t, `document.getElementById("brand-color") !== null`, "the branding")
	insp.must(t, `__s.fill("brand-color", "#ffff00") && __t.click("Save the colour")`)
	insp.waitTrue(ctx, t, `(document.getElementById("brand-color-error") || {}).textContent > ""`, "the light colour refused beside the field")
	if v := string(insp.must(t, `document.getElementById("brand-color").value`)); v != `"#ffff00"` {
		t.Errorf("after the refusal the colour box holds %s, want what was typed", v)
	}
	insp.must(t, `__s.fill("brand-color", "#6b3fa0") && __t.click("Save the colour")`)
	insp.waitTrue(ctx, t, `__s.saved().includes("the portal’s colour is #6b3fa0")`, "the colour saved")
	if b, err := dana.Branding(ctx); err != nil || b.Color != "#6b3fa0" {
		t.Errorf("the service's branding after the window set it: %+v, %v", b, err)
	}
	insp.waitTrue(ctx, t, `(document.getElementById("snippet") || {}).value.includes("#6b3fa0")`, "the snippet in the new colour")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the branding: %s", screenshot(ctx, t, w, "control-panel-settings-branding.png"))

	// The access panel's security part: require a second factor of a
	// client, then read the client's audit trail, which records it.
	amina := clientByEmail(t, dana, "amina@example.org")
	insp.must(t, `__t.click("Clients")`)
	insp.waitTrue(ctx, t, `document.querySelector('button[aria-label="Open client Amina Haddad"]') !== null`, "the client list")
	insp.must(t, `document.querySelector('button[aria-label="Open client Amina Haddad"]').click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Amina Haddad" && (document.getElementById("tf-required") || {}).textContent === "No"`, "Amina's two-factor state")
	insp.must(t, `__t.click("Require")`)
	insp.waitTrue(ctx, t, `document.getElementById("tf-required").textContent === "Yes, by staff for this client"`, "the second factor required")
	if st, err := dana.ClientTwoFactor(ctx, amina); err != nil || !st.RequiredByStaff {
		t.Errorf("the service's two-factor state after Require in the window: %+v, %v", st, err)
	}
	insp.must(t, `__t.click("Show the audit trail")`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".audit li strong")].some((x) => x.textContent === "Second factor requirement changed")`, "the audit trail with the change")
	insp.must(t, `document.getElementById("tf-title").scrollIntoView(), true`)
	t.Logf("screenshot of the access panel's two-factor and audit trail: %s", screenshot(ctx, t, w, "control-panel-client-security.png"))
	insp.must(t, `__t.click("Settings")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Settings"`, "the settings again")

	// At 360 px: nothing scrolls sideways, in each section shown.
	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	for _, s := range []struct{ nav, ready, shot string }{
		{"Branding", `document.getElementById("brand-color") !== null`, "control-panel-settings-branding-360.png"},
		{"Case statuses", `document.querySelectorAll(".status-list li").length > 0`, "control-panel-settings-statuses-360.png"},
		{"Email", `document.getElementById("mail-host") !== null`, "control-panel-settings-mail-360.png"},
		{"Staff accounts", `document.querySelectorAll(".staff-list li").length > 0`, "control-panel-settings-staff-360.png"},
	} {
		insp.must(t, fmt.Sprintf(`__t.click(%q)`, s.nav))
		insp.waitTrue(ctx, t, s.ready, s.nav+" at 360 px")
		if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
			t.Errorf("%s at 360 px is %s px wider than the window", s.nav, got)
		}
		if s.nav == "Branding" {
			insp.must(t, `window.scrollTo(0, 0), true`) // the section list, wrapped above the section
		} else {
			insp.must(t, `document.getElementById("settings-body").scrollIntoView(), true`)
		}
		t.Logf("screenshot of %s at 360 px: %s", s.nav, screenshot(ctx, t, w, s.shot))
	}
}
