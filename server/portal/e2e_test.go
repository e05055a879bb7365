package portal_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium for the test, or skips the test when it is
// not installed (fails under CI=true, where it must be).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (CI=true): install it with apt-get install -y chromium", chromiumPath)
		}
		t.Skipf("%s is missing: install it with apt-get install -y chromium to run the browser test", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	b, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(b); err != nil { // start the browser
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return b
}

// tab opens a tab with its own cookies in the browser and collects the
// console's complaints (CSP violations, failed loads).
func tab(t *testing.T, b context.Context) (context.Context, func() []string) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		var e *log.EventEntryAdded
		switch v := ev.(type) {
		case *log.EventEntryAdded:
			e = v
		case log.EventEntryAdded:
			e = &v
		default:
			return
		}
		if e.Entry == nil || (e.Entry.Level != log.EntryLevelError && e.Entry.Level != log.EntryLevelWarning) {
			return
		}
		// A page answered with an error status on purpose (a failed login,
		// a 404) is not a problem; a failed style sheet or logo is.
		if e.Entry.Source == log.EntrySourceNetwork && !strings.Contains(e.Entry.URL, "/static/") &&
			(strings.Contains(e.Entry.Text, "status of 401") || strings.Contains(e.Entry.Text, "status of 404")) {
			return
		}
		mu.Lock()
		problems = append(problems, string(e.Entry.Level)+": "+e.Entry.Text+" "+e.Entry.URL)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "clientportal-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestBrowserEndToEnd drives the portal in headless Chromium the way a client
// does, at a phone and a desktop size: log in with the keyboard, read the
// status, open the history and contact tabs. It saves a full-page screenshot
// of each page in $SCREENSHOT_DIR.
func TestBrowserEndToEnd(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	l := env.Login(t, "client", amina)

	viewports := []struct {
		name string
		vp   chromedp.Action[chromedp.Void]
	}{
		{"phone", chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait)},
		{"desktop", chromedp.EmulateViewport(1280, 900)},
	}
	for _, v := range viewports {
		t.Run(v.name, func(t *testing.T) {
			ctx, problems := tab(t, b)
			if err := chromedp.Do(ctx, v.vp, chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(chromedp.ID("email"))); err != nil {
				t.Fatal(err)
			}
			if got := location(t, ctx); got != env.URL+"/login" {
				t.Fatalf("/ went to %s, want the login page", got)
			}
			if got := text(t, ctx, "h1"); got != "Log in to see your case" {
				t.Errorf("login heading %q", got)
			}
			shoot(t, ctx, dir, v.name+"-login")
			// The first Tab reaches the skip link.
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if got := eval[string](t, ctx, `document.activeElement.className`); got != "skip-link" {
				t.Errorf("first Tab focuses %q, want the skip link", got)
			}

			// Log in with the keyboard: type, then Enter.
			err := chromedp.Do(ctx,
				chromedp.Focus(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), l.Email),
				chromedp.SendKeys(chromedp.ID("password"), l.Password),
				chromedp.SendKeys(chromedp.ID("password"), kb.Enter),
				chromedp.WaitVisible(chromedp.CSS(".status-panel__name")),
			)
			if err != nil {
				t.Fatalf("log in: %v", err)
			}
			if got := text(t, ctx, ".status-panel__name"); got != "Hearing scheduled" {
				t.Errorf("current status %q, want Hearing scheduled", got)
			}
			if got := text(t, ctx, `.tabs__link[aria-current="page"]`); got != "Status" {
				t.Errorf("active tab %q", got)
			}
			if got := text(t, ctx, ".person__name"); got != "Marcus Oyelaran" {
				t.Errorf("advocate %q", got)
			}
			shoot(t, ctx, dir, v.name+"-status")

			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(`.tabs__link[href$="/history"]`)),
				chromedp.WaitVisible(chromedp.CSS(".timeline")),
			)
			if err != nil {
				t.Fatalf("open history: %v", err)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("ol.timeline > li").length`); n != 6 {
				t.Errorf("%d history entries, want 6", n)
			}
			if got := text(t, ctx, ".timeline__item--current .timeline__status"); got != "Hearing scheduled" {
				t.Errorf("newest history entry %q", got)
			}
			shoot(t, ctx, dir, v.name+"-history")

			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(`.tabs__link[href$="/contact"]`)),
				chromedp.WaitVisible(chromedp.CSS(".details")),
			)
			if err != nil {
				t.Fatalf("open contact: %v", err)
			}
			if got := text(t, ctx, `.tabs__link[aria-current="page"]`); got != "Contact" {
				t.Errorf("active tab %q", got)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll('a[href^="tel:"]').length`); n < 2 {
				t.Errorf("%d tel: links on the contact page, want the advocate's and the office's", n)
			}
			shoot(t, ctx, dir, v.name+"-contact")

			// The style sheet applied: the header is the brand colour.
			if bg := eval[string](t, ctx, `getComputedStyle(document.querySelector(".site-header")).backgroundColor`); bg != "rgb(29, 79, 122)" {
				t.Errorf("header background %q: the style sheet did not load", bg)
			}
			if p := problems(); len(p) > 0 {
				t.Errorf("browser console problems:\n%s", strings.Join(p, "\n"))
			}
		})
	}
}

// TestBrowserNarrowPhone checks that no page is wider than a 320 px phone,
// in English and in Spanish (longer words), and that the language switcher
// works by keyboard in a real browser.
func TestBrowserNarrowPhone(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	ctx, problems := tab(t, b)
	narrow := chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	if err := chromedp.Do(ctx, narrow); err != nil {
		t.Fatal(err)
	}
	fits := func(name string) {
		t.Helper()
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 320 {
			t.Errorf("%s: page is %d px wide at a 320 px viewport", name, w)
		}
		// A tab's name fits its tab (no name runs into the next).
		if !eval[bool](t, ctx, `[...document.querySelectorAll(".tabs__link")].every(a => a.scrollWidth <= a.clientWidth)`) {
			t.Errorf("%s: a tab's name is wider than its tab at a 320 px viewport", name)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email"))); err != nil {
		t.Fatal(err)
	}
	fits("login")
	l := env.Login(t, "client", jose)
	// A wrong password: the page says so, keeps the email, clears the password.
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("email"), l.Email),
		chromedp.SendKeys(chromedp.ID("password"), "not-the-password"+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	if err != nil {
		t.Fatalf("wrong password: %v", err)
	}
	if v := eval[string](t, ctx, `document.getElementById("email").value + "|" + document.getElementById("password").value`); v != l.Email+"|" {
		t.Errorf("after a failed login the fields hold %q", v)
	}
	fits("login error")
	shoot(t, ctx, dir, "phone320-login-error")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".case-list")),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "es" {
		t.Errorf("jose's pages are in %q, want es", got)
	}
	fits("cases (es)")
	shoot(t, ctx, dir, "phone320-cases-es")
	ids := caseIDs(t, env, jose)
	pages := []string{"", "/history", "/contact", "/messages", "/appointments", "/documents"}
	// New messages: the tabs carry a count too, and must still fit.
	staff := staffAPI(t, env, marcus)
	for _, id := range ids {
		for range 12 {
			staffPost(t, staff, id, "Hemos recibido sus documentos y los revisaremos esta semana.", "portal")
		}
	}
	// Appointments with long words, upcoming and past.
	sc := staffClient(t, env, marcus)
	next := strconv.Itoa(time.Now().Year() + 1)
	for _, id := range ids {
		addAppointment(t, sc, id, api.AppointmentInput{Title: "Audiencia de reconsideración migratoria",
			Start: next + "-03-10T13:30:00Z", End: next + "-03-12T15:00:00Z", Place: "Tribunal de Inmigración, 26 Federal Plaza, piso 12, Nueva York",
			Link: "https://videoconferencia.example.org/sala/0123456789abcdefghij", Note: "Traiga su pasaporte y la carta original.", Portal: true})
		addAppointment(t, sc, id, api.AppointmentInput{Title: "Primera consulta", Start: "2024-03-05T14:00:00Z", End: "2024-03-05T15:00:00Z",
			Link: "tel:+1 555 0100", Portal: true})
	}
	// Documents with long names, from the office and from the client.
	jc := login(t, env, jose)
	for _, id := range ids {
		long := pdfFile("Solicitud_de_reconsideración_migratoria_con_anexos_firmados_2026.pdf", "anexos")
		if _, err := sc.UploadDocuments(context.Background(), id, true, apiclient.UploadFile{Name: long.name, Content: bytes.NewReader(long.data)}); err != nil {
			t.Fatal(err)
		}
		upload(t, jc, caseURL(env, id, "documents"), nil, jpegFile("Comprobante_de_domicilio_fotografía_tomada_con_el_teléfono.jpg"))
	}
	for _, id := range ids {
		for _, p := range pages {
			u := caseURL(env, id, strings.TrimPrefix(p, "/"))
			if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
				t.Fatal(err)
			}
			fits(u + " (es)")
			if p == "/appointments" {
				shoot(t, ctx, dir, "phone320-appointments-es")
			}
			if p == "/documents" {
				shoot(t, ctx, dir, "phone320-documents-es")
			}
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(caseURL(env, ids[len(ids)-1], "")), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, dir, "phone320-status-es")

	// Switch to English with the keyboard: focus the button, press Enter.
	err = chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS(`button[name="lang"][value="en"]`)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] main h1`)),
	)
	if err != nil {
		t.Fatalf("switch language: %v", err)
	}
	if got, want := location(t, ctx), caseURL(env, ids[len(ids)-1], ""); got != want {
		t.Errorf("after switching language at %s, at %s", want, got)
	}
	for _, id := range ids {
		for _, p := range pages {
			u := caseURL(env, id, strings.TrimPrefix(p, "/"))
			if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
				t.Fatal(err)
			}
			fits(u + " (en)")
		}
	}
	shoot(t, ctx, dir, "phone320-appointments-en")
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/cases/999999"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	fits("404")
	shoot(t, ctx, dir, "phone320-notfound")
	// Log out with the button.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".logout__button")),
		chromedp.WaitVisible(chromedp.ID("email")),
	)
	if err != nil {
		t.Fatalf("log out: %v", err)
	}
	if got := location(t, ctx); got != env.URL+"/login" {
		t.Errorf("after logout at %s", got)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser console problems:\n%s", strings.Join(p, "\n"))
	}
}
