package app

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// TestWindowLanguageKept switches the real window to Spanish with the header's
// language switch: the page turns at once (without a reload), the Go side
// keeps the choice in this computer's settings, and the next start of the
// control panel speaks Spanish from its first screen, through logging in,
// with the service's own refusals in Spanish too. (The screens in Spanish:
// window_spanish_test.go, window_i18nb_test.go, window_zoom_test.go.)
func TestWindowLanguageKept(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	env := servertest.Start(t)
	// The window's own settings folder (startWindow passes the environment
	// on); its system language is English (startWindow sets LANG=C.UTF-8).
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)

	t.Run("switch", func(t *testing.T) {
		w := startWindow(ctx, t, bin)
		insp := dialInspector(ctx, t, w)
		waitForPage(ctx, t, insp)
		insp.must(t, windowHelpers)
		insp.waitTrue(ctx, t, `document.documentElement.lang === "en" && document.querySelector(".skip").textContent === "Skip to content"`+
			` && document.querySelector('#language-switch option[value=""]').textContent === "As the system (English)"`, "English, as the system")
		insp.must(t, `__t.fill("Language", "es")`)
		insp.waitTrue(ctx, t, `document.documentElement.lang === "es" && document.querySelector(".skip").textContent === "Ir al contenido"`+
			` && document.querySelector('label[for="language-switch"]').textContent === "Idioma"`, "Spanish at once")
		// The Go side kept it.
		var kept LanguageSetting
		if err := poll(ctx, w, 10*time.Second, func() (bool, error) {
			err := readJSONFile(filepath.Join(config, "clientportal", "language.json"), &kept)
			return err == nil && kept.Chosen == "es", nil
		}); err != nil {
			t.Fatalf("the choice was not kept in the settings folder: %+v, %v", kept, err)
		}
	})

	t.Run("next start", func(t *testing.T) {
		w := startWindow(ctx, t, bin)
		insp := dialInspector(ctx, t, w)
		waitForPage(ctx, t, insp)
		insp.must(t, windowHelpers)
		insp.waitTrue(ctx, t, `document.documentElement.lang === "es" && document.querySelector(".skip").textContent === "Ir al contenido"`+
			` && document.getElementById("language-switch").value === "es"`, "Spanish from the first screen")
		screenshot(ctx, t, w, "control-panel-es-kept-connect.png")

		// A refusal of the service, in Spanish: the panel asks the service
		// in its language.
		l := env.Login(t, "staff", "marcus@riverside.example")
		insp.must(t, fmt.Sprintf(`(() => {
		  const set = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); };
		  set("connect-address", %q); set("connect-email", %q); set("connect-password", "not the password");
		  document.querySelector("form button[type=submit]").click(); return true })()`, env.URL, l.Email))
		insp.waitTrue(ctx, t, `[...document.querySelectorAll("[role=alert]")].some((e) => /correo|contraseña/i.test(e.textContent))`, "the refusal in Spanish")

		insp.must(t, fmt.Sprintf(`(() => {
		  const set = (id, v) => { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); };
		  set("connect-password", %s);
		  document.querySelector("form button[type=submit]").click(); return true })()`, jsString(l.Password)))
		insp.waitTrue(ctx, t, `[...document.querySelectorAll("nav button")].map((b) => b.textContent.trim()).join("|") === "Panel|Casos|Clientes|Esperan una invitación"`+
			` && document.querySelector(".live").textContent === "Actualizaciones en vivo"`, "the navigation in Spanish, live")
		screenshot(ctx, t, w, "control-panel-es-kept-dashboard.png")
	})
}
