package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// TestWindowSpanish switches the real window to Spanish with the header's
// language switch on the Connect screen, logs in with the Spanish labels and
// looks at the dashboard and a client's access panel at 1024 px and 360 px:
// the texts are Spanish (headings, labels, an aria-label), nothing scrolls
// sideways, and the screenshots control-panel-es-*.png land in
// $SCREENSHOT_DIR.
func TestWindowSpanish(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	// The choice of language is kept in the user's configuration folder:
	// a folder of this test's own, so other runs keep speaking English.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	dana := staffClient(t, env, "dana@riverside.example")
	clientPosts(t, env, "jose@example.org", caseByNumber(t, dana, "HOU-2026-0317"), "Le mandé el contrato por teléfono. ¿Le llegó?")

	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	// The header's switch, as a person picks Español on the Connect screen.
	insp.must(t, `(() => { const s = document.getElementById("language-switch"); s.value = "es"; s.dispatchEvent(new Event("change", { bubbles: true })); return true })()`)
	insp.waitTrue(ctx, t, `__t.h1() === "Conéctese a su oficina" && document.documentElement.lang === "es"`, "the Connect screen in Spanish")
	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at 1024 px")
	t.Logf("screenshot of the Connect screen in Spanish: %s", paintedShot(ctx, t, w, insp, "control-panel-es-connect.png"))
	l := env.Login(t, "staff", "dana@riverside.example")
	insp.must(t, fmt.Sprintf(`__t.fill("Dirección del servicio", %q) && __t.fill("Correo electrónico", %q) && __t.fill("Contraseña", %s) && __t.click("Conectar")`,
		env.URL, l.Email, jsString(l.Password)))
	insp.waitTrue(ctx, t, `__t.h1() === "Panel" && document.querySelectorAll("#activity-table tbody tr").length === 12
		&& document.querySelector("dl.figures").getAttribute("aria-label") === "Resumen"
		&& document.getElementById("messages-title").textContent === "Mensajes de clientes sin leer"
		&& document.getElementById("messages-list").textContent.includes("¿Le llegó?")
		&& document.getElementById("activity-title").textContent === "Actividad de clientes, últimas 12 semanas"
		&& document.querySelector(".chart svg").getAttribute("aria-label").startsWith("En 12 semanas: ")`, "the dashboard in Spanish")
	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at 1024 px")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the dashboard in Spanish: %s", paintedShot(ctx, t, w, insp, "control-panel-es-dashboard.png"))

	insp.resize(ctx, t, 360, 800, `window.innerWidth <= 360`, "the 360 px wide window")
	insp.waitTrue(ctx, t, `document.documentElement.scrollWidth - window.innerWidth === 0`, "the Spanish dashboard without sideways scrolling at 360 px")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the dashboard in Spanish at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-es-dashboard-360.png"))
	insp.must(t, `document.getElementById("cert-title").scrollIntoView(), true`)
	t.Logf("screenshot of the certificate and backups in Spanish at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-es-dashboard-cert-360.png"))
	insp.must(t, `document.getElementById("activity-title").scrollIntoView(), true`)
	t.Logf("screenshot of the activity chart in Spanish at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-es-dashboard-chart-360.png"))

	// A client's access panel.
	insp.must(t, `__t.click("Clientes")`)
	insp.waitTrue(ctx, t, `__t.h1() === "Clientes" && document.querySelector('button[aria-label="Abrir el cliente Amina Haddad"]') !== null`, "the client list in Spanish")
	insp.must(t, `document.querySelector('button[aria-label="Abrir el cliente Amina Haddad"]').click(), true`)
	insp.waitTrue(ctx, t, `__t.h1() === "Amina Haddad" && document.getElementById("access-title").textContent === "Acceso al portal"
		&& document.getElementById("lock-button").textContent.trim() === "Bloquear"
		&& document.getElementById("tf-title") !== null && document.getElementById("tf-title").textContent === "Verificación en dos pasos"`, "Amina's access panel in Spanish")
	if got := string(insp.must(t, `document.documentElement.scrollWidth - window.innerWidth`)); got != "0" {
		t.Errorf("the Spanish access panel at 360 px is %s px wider than the window", got)
	}
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the access panel in Spanish at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-es-client-360.png"))
	insp.must(t, `document.getElementById("tf-title").scrollIntoView(), true`)
	t.Logf("screenshot of the security part in Spanish at 360 px: %s", paintedShot(ctx, t, w, insp, "control-panel-es-client-security-360.png"))

	insp.resize(ctx, t, 1024, 720, `window.innerWidth > 900`, "the window at 1024 px")
	insp.waitTrue(ctx, t, `document.documentElement.scrollWidth - window.innerWidth === 0`, "the Spanish access panel without sideways scrolling at 1024 px")
	insp.must(t, `window.scrollTo(0, 0), true`)
	t.Logf("screenshot of the access panel in Spanish: %s", paintedShot(ctx, t, w, insp, "control-panel-es-client.png"))
	insp.must(t, `document.getElementById("password-title").scrollIntoView(), true`)
	t.Logf("screenshot of the password and details in Spanish: %s", paintedShot(ctx, t, w, insp, "control-panel-es-client-password.png"))
}
