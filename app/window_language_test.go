package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clientportal/server/servertest"
)

// languageHelpers fill a field by its id and submit its form: the Connect
// screen's labels change with the language, its ids do not.
const languageHelpers = `window.__l = {
  fill(id, value) {
    const el = document.getElementById(id);
    if (!el) throw new Error("no field #" + id);
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  },
  submit(id) { document.getElementById(id).form.requestSubmit(); return true; },
  failure() { const p = document.getElementById("connect-failure"); return p ? p.textContent.trim() : ""; },
}, true`

// TestWindowRefusalInSpanish: with Spanish chosen on this computer, a
// refused login shows in the real window in Spanish, both the control
// panel's words (what it was doing) and the service's (asked for with
// Accept-Language); screenshots at full size and at 360 px.
func TestWindowRefusalInSpanish(t *testing.T) {
	requireDesktop(t)
	requireFrontendBuilt(t)
	bin := buildDesktopBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// This window's own settings folder, with Spanish chosen.
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	if err := os.MkdirAll(filepath.Join(config, "clientportal"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(config, "clientportal", "language.json"), []byte(`{"chosen":"es"}`), 0o600); err != nil {
		t.Fatal(err)
	}

	env := servertest.Start(t)
	w := startWindow(ctx, t, bin)
	insp := dialInspector(ctx, t, w)
	waitForPage(ctx, t, insp)
	insp.must(t, windowHelpers)
	insp.must(t, languageHelpers)
	insp.waitTrue(ctx, t, `document.documentElement.lang === "es" && document.getElementById("connect-address") !== null`, "the Connect screen in Spanish")

	l := env.Login(t, "staff", "marcus@riverside.example")
	insp.must(t, fmt.Sprintf(`__l.fill("connect-address", %q) && __l.fill("connect-email", %q) && __l.fill("connect-password", "not the password") && __l.submit("connect-address")`,
		env.URL, l.Email))
	insp.waitTrue(ctx, t, `__l.failure() !== ""`, "the refusal")
	var got string
	if err := json.Unmarshal(insp.must(t, `__l.failure()`), &got); err != nil {
		t.Fatal(err)
	}
	const want = "No se pudo iniciar sesión: el correo electrónico o la contraseña no son correctos. Revíselos e inténtelo de nuevo."
	if got != want {
		t.Errorf("the window shows %q, want %q", got, want)
	}
	t.Logf("screenshot: %s", screenshot(ctx, t, w, "control-panel-refusal-es.png"))
	insp.resize(ctx, t, 360, 720, `window.innerWidth <= 380`, "360 px")
	insp.must(t, `document.getElementById("connect-failure").scrollIntoView({block: "center"}), true`)
	t.Logf("screenshot at 360 px: %s", screenshot(ctx, t, w, "control-panel-refusal-es-360.png"))

	// The Go side's own check, before any call: an address that is none.
	insp.must(t, `__l.fill("connect-address", "not an address at all") && __l.submit("connect-address")`)
	insp.waitTrue(ctx, t, `__l.failure().startsWith("\"not an address at all\" no es una dirección") || document.body.innerText.includes("no es una dirección del servicio")`, "the address refused in Spanish")
	if strings.Contains(string(insp.must(t, `document.body.innerText`)), "is not a service address") {
		t.Error("the address refusal is in English")
	}
}
