package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// TestWindowSpanishCaseAndSettings switches the real window (under Xvfb,
// through WebKit's inspector) to Spanish with the header's language switch,
// logged in to the real service as an administrator, and reads a case's
// page and two settings sections in Spanish: the status named as the
// office names it in Spanish, the parts' headings, nothing scrolling
// sideways at 1024 px and at 360 px. Screenshots land in $SCREENSHOT_DIR
// (control-panel-es-*.png) for a person to read.
func TestWindowSpanishCaseAndSettings(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	// The language choice is kept in the user's configuration folder: this
	// test's stays in its own, not the machine's (other window tests read
	// English).
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)

	l := env.Login(t, "staff", "dana@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Service address", %q) && __t.fill("Email", %q) && __t.fill("Password", %s) && __t.click("Connect")`,
		env.URL, l.Email, jsString(l.Password)))
	insp.waitTrue(ctx, t, `__t.h1() === "Dashboard"`, "the dashboard")

	// The header's switch turns the window to Spanish.
	insp.must(t, `(() => { const s = document.getElementById("language-switch"); s.value = "es"; s.dispatchEvent(new Event("change", { bubbles: true })); return true })()`)
	insp.waitTrue(ctx, t, `document.documentElement.lang === "es" && [...document.querySelectorAll("nav button")].some((b) => b.textContent.trim() === "Casos")`, "the navigation in Spanish")

	insp.must(t, `__t.click("Casos")`)
	insp.waitTrue(ctx, t, `[...document.querySelectorAll(".case-link")].some((b) => b.textContent === "IMM-2026-0142")`, "the case list")
	insp.must(t, `[...document.querySelectorAll(".case-link")].find((b) => b.textContent === "IMM-2026-0142").click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "IMM-2026-0142: Asylum application" && (document.getElementById("status-title") || {}).textContent === "Cambiar el estado"`, "the case page in Spanish")
	// The office names its statuses in Spanish too: the summary and the
	// choices use those names.
	insp.waitTrue(ctx, t, `document.querySelector(".summary").textContent.includes("Audiencia programada")
		&& [...document.querySelectorAll("#status-choice option")].some((o) => o.textContent === "Solicitud recibida")`, "the statuses named in Spanish")
	for _, want := range []struct{ id, text string }{
		{"history-title", "Historial"}, {"messages-title", "Mensajes"}, {"appointments-title", "Citas"},
		{"checklist-title", "Lista de documentos"}, {"documents-title", "Documentos"},
	} {
		got := strings.Trim(string(insp.must(t, fmt.Sprintf(`document.getElementById(%q).textContent.trim()`, want.id))), `"`)
		if !strings.HasPrefix(got, want.text) {
			t.Errorf("heading #%s reads %q, want %q", want.id, got, want.text)
		}
	}
	if v := string(insp.must(t, `document.getElementById("message-count").textContent`)); !strings.Contains(v, "0 de 4") || !strings.Contains(v, "caracteres") {
		t.Errorf("the message counter reads %s", v)
	}

	noSideways := func(what string) {
		t.Helper()
		if v := string(insp.must(t, `document.documentElement.scrollWidth <= window.innerWidth`)); v != "true" {
			width := string(insp.must(t, `document.documentElement.scrollWidth + " > " + window.innerWidth`))
			t.Errorf("%s in Spanish scrolls sideways: %s", what, width)
		}
	}
	shoot := func(scrollTo, name string) {
		t.Helper()
		if scrollTo == "" {
			insp.must(t, `window.scrollTo(0, 0), true`)
		} else {
			insp.must(t, fmt.Sprintf(`document.getElementById(%q).scrollIntoView(), true`, scrollTo))
		}
		insp.must(t, `window.__painted = false, requestAnimationFrame(() => requestAnimationFrame(() => (window.__painted = true))), true`)
		insp.waitTrue(ctx, t, `window.__painted === true`, "the page painted")
		t.Logf("screenshot: %s", screenshot(ctx, t, w, name))
	}

	for _, size := range []struct {
		width int
		tag   string
	}{{1024, "1024"}, {360, "360"}} {
		insp.resize(ctx, t, size.width, 800, fmt.Sprintf(`window.innerWidth <= %d`, size.width), fmt.Sprintf("the %d px wide window", size.width))
		noSideways("the case page at " + size.tag + " px")
		shoot("", "control-panel-es-case-status-"+size.tag+".png")
		shoot("documents-title", "control-panel-es-case-documents-"+size.tag+".png")
	}

	// Two settings sections, at 360 px and back at 1024 px.
	insp.must(t, `__t.click("Configuración")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Configuración" && document.getElementById("office-tz") !== null`, "the settings in Spanish")
	// At 360 px the section list fills the first screen: the picture is
	// taken further down, where the longest Spanish texts are.
	sections := []struct{ nav, ready, heading, narrowAt, shot string }{
		{"Correo electrónico", `document.getElementById("mail-host") !== null`, "Correo electrónico", "mail-test-title", "control-panel-es-settings-mail"},
		{"Contraseñas y bloqueo", `document.getElementById("lockout-threshold") !== null`, "Contraseñas de los clientes", "passwords-title", "control-panel-es-settings-passwords"},
	}
	for _, size := range []struct {
		width int
		tag   string
	}{{360, "360"}, {1024, "1024"}} {
		insp.resize(ctx, t, size.width, 800, fmt.Sprintf(`window.innerWidth <= %d`, size.width), fmt.Sprintf("the %d px wide window", size.width))
		for _, s := range sections {
			insp.must(t, fmt.Sprintf(`__t.click(%q)`, s.nav))
			insp.waitTrue(ctx, t, s.ready+fmt.Sprintf(` && document.querySelector("#settings-body h2").textContent === %q`, s.heading), s.nav)
			noSideways(s.nav + " at " + size.tag + " px")
			at := ""
			if size.width == 360 {
				at = s.narrowAt
				// The longer Spanish button once squeezed the test
				// address's box to a few pixels.
				if s.nav == "Correo electrónico" {
					if v := string(insp.must(t, `document.getElementById("mail-test-to").getBoundingClientRect().width >= 150`)); v != "true" {
						t.Errorf("at 360 px the test email's address box is %s px wide", insp.must(t, `document.getElementById("mail-test-to").getBoundingClientRect().width`))
					}
				}
			}
			shoot(at, s.shot+"-"+size.tag+".png")
		}
	}
}
