package portal_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestBrowserAuditPages walks the pages of the December 2026 audit (see
// README: the Appointments tab, the account page, the login's second step,
// the forced setup, the preview banner, the 404 page) at a phone's and a
// desktop's size, and holds what the audit fixed: a moved appointment says
// so, a card ends at its padding, the login's second step sits where the
// login does and the forced setup says why, a title does not leave a word
// alone on its last line. No page is wider than the window; with AXE_JS
// naming axe-core's axe.min.js, axe finds no violation on any of them.
// Screenshots: $SCREENSHOT_DIR/audit-{phone,desktop}-*.png.
func TestBrowserAuditPages(t *testing.T) {
	b := browser(t)
	dir := screenshotDir(t)
	var axeSrc string
	if p := os.Getenv("AXE_JS"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("AXE_JS: %v", err)
		}
		axeSrc = string(data)
	}
	for _, v := range viewportsTF {
		t.Run(v.name, func(t *testing.T) {
			// A service per size: the logins of one address share a budget.
			env := servertest.Start(t, servertest.WithClock())
			ctx, problems := tab(t, b)
			run(t, ctx, v.vp)
			width := eval[int](t, ctx, `window.innerWidth`)
			check := func(name string) {
				t.Helper()
				shoot(t, ctx, dir, "audit-"+v.name+"-"+name)
				if got := eval[int](t, ctx, `document.documentElement.scrollWidth`); got > width {
					t.Errorf("%s: the page is %d px wide in a %d px window", name, got, width)
				}
				// The page title: a last line of a word or two is a sign the
				// title broke where it should not have ("sign-" / "in").
				if ratio := eval[float64](t, ctx, auditTitleLastLine); ratio < 0.4 {
					t.Errorf("%s: the title's last line is %.0f%% of its longest", name, ratio*100)
				}
				if axeSrc == "" {
					return
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSrc+";true")); err != nil {
					t.Fatalf("inject axe: %v", err)
				}
				res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("axe: %v", err)
				}
				var found []string
				json.Unmarshal([]byte(res), &found)
				if len(found) > 0 {
					t.Errorf("axe, %s: %v", name, found)
				}
			}
			centred := func(name string) {
				t.Helper()
				if d := eval[float64](t, ctx, `(() => { const r = document.querySelector("main .narrow").getBoundingClientRect(); return Math.abs(r.left - (document.documentElement.clientWidth - r.right)); })()`); d > 2 {
					t.Errorf("%s: the panel is %.0f px off centre, unlike the login page", name, d)
				}
			}

			// Appointments: upcoming, cancelled, moved, past; English and Spanish.
			sc := staffClient(t, env, marcus)
			next := strconv.Itoa(time.Now().Year() + 1)
			ids := map[string]uint64{}
			for _, email := range []string{amina, jose} {
				caseID := caseIDs(t, env, email)[0]
				addAppointment(t, sc, caseID, api.AppointmentInput{Title: "Interview preparation", Start: next + "-01-15T15:00:00Z",
					End: next + "-01-15T16:00:00Z", Place: "12 Harbor Street, Suite 300", Note: "Bring your passport.", Portal: true})
				cancelled := addAppointment(t, sc, caseID, api.AppointmentInput{Title: "Phone call", Start: next + "-01-20T15:00:00Z",
					End: next + "-01-20T15:30:00Z", Link: "tel:+15550100", Portal: true})
				if _, err := sc.CancelAppointment(context.Background(), caseID, cancelled.ID); err != nil {
					t.Fatal(err)
				}
				moved := addAppointment(t, sc, caseID, api.AppointmentInput{Title: "Video call", Start: next + "-01-18T18:00:00Z",
					End: next + "-01-18T18:45:00Z", Link: "https://meet.example.org/riverside", Portal: true})
				start, end := next+"-01-22T16:00:00Z", next+"-01-22T16:45:00Z"
				if _, err := sc.UpdateAppointment(context.Background(), moved.ID, api.AppointmentChange{Start: &start, End: &end}); err != nil {
					t.Fatal(err)
				}
				addAppointment(t, sc, caseID, api.AppointmentInput{Title: "First consultation", Start: "2024-11-03T19:00:00Z",
					End: "2024-11-03T20:00:00Z", Portal: true})
				ids[email+"/case"], ids[email+"/cancelled"], ids[email+"/moved"] = caseID, cancelled.ID, moved.ID
			}
			appointments := func(email, lang, changed, cancelled string) {
				t.Helper()
				l := env.Login(t, "client", email)
				passwordLogin(t, ctx, env.URL, l.Email, l.Password)
				run(t, ctx, chromedp.WaitVisible(chromedp.CSS(".signed-in__name")),
					chromedp.Navigate(caseURL(env, ids[email+"/case"], "appointments")), chromedp.WaitVisible(chromedp.ID("appointments-part")))
				check("appointments-" + lang)
				// The tag's words as shown (upper case), "" when there is none.
				tag := func(id uint64) string {
					return eval[string](t, ctx, `(document.querySelector("#appt-`+strconv.FormatUint(id, 10)+` .tag") || {innerText: ""}).innerText`)
				}
				if got := tag(ids[email+"/moved"]); got != changed {
					t.Errorf("%s: the moved appointment's tag says %q, want %q", lang, got, changed)
				}
				if got := tag(ids[email+"/cancelled"]); got != cancelled {
					t.Errorf("%s: the cancelled appointment's tag says %q, want %q", lang, got, cancelled)
				}
				if n := eval[int](t, ctx, `document.querySelectorAll(".appointment .tag").length`); n != 2 {
					t.Errorf("%s: %d tags on the appointments, want 2 (cancelled, moved)", lang, n)
				}
				// Each card ends at its own padding, not padding and a margin.
				if extra := eval[float64](t, ctx, auditCardExtra); extra > 1 {
					t.Errorf("%s: a card has %.0f px below its last line beyond its padding", lang, extra)
				}
				run(t, ctx, chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("email")))
			}
			appointments(amina, "en", "CHANGED", "CANCELLED")
			appointments(jose, "es", "MODIFICADA", "CANCELADA")

			// The account page, the setup with a wrong code, the recovery codes.
			l := env.Login(t, "client", amina)
			passwordLogin(t, ctx, env.URL, l.Email, l.Password)
			run(t, ctx, chromedp.WaitVisible(chromedp.CSS(".signed-in__account")), chromedp.Navigate(env.URL+"/nothing-here"),
				chromedp.WaitVisible(chromedp.CSS("main h1")))
			check("notfound")
			run(t, ctx, chromedp.Click(chromedp.CSS(".signed-in__account")), chromedp.WaitVisible(chromedp.ID("tf-title")))
			check("account")
			run(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/account/two-factor"] button`)), chromedp.WaitVisible(chromedp.CSS("img.qr")))
			check("account-setup")
			secret := strings.ReplaceAll(text(t, ctx, ".secret code"), " ", "")
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), "000000"+kb.Enter), chromedp.WaitVisible(chromedp.ID("code-error")))
			check("account-setup-error")
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), codeAt(t, secret, env.Clock.Now())),
				chromedp.SendKeys(chromedp.ID("code"), kb.Enter), chromedp.WaitVisible(chromedp.CSS(".recovery-codes")))
			check("account-codes")
			run(t, ctx, chromedp.Navigate(env.URL+"/account"), chromedp.WaitVisible(chromedp.ID("tf-title")))
			check("account-on")

			// The login's second step, with a wrong code.
			run(t, ctx, chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("email")))
			passwordLogin(t, ctx, env.URL, l.Email, l.Password)
			run(t, ctx, chromedp.WaitVisible(chromedp.ID("code")))
			check("login-code")
			centred("login-code")
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), "123456"+kb.Enter), chromedp.WaitVisible(chromedp.ID("code-error")))
			check("login-code-error")
			centred("login-code-error")
			env.Clock.Advance(30 * time.Second)
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), codeAt(t, secret, env.Clock.Now())),
				chromedp.SendKeys(chromedp.ID("code"), kb.Enter), chromedp.WaitVisible(chromedp.CSS(".signed-in__name")),
				chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("email")))

			// The forced setup, in Spanish, with the code left out.
			if _, err := sc.SetClientTwoFactorRequired(context.Background(), readClient(t, env, jose).ID, true); err != nil {
				t.Fatal(err)
			}
			// Before signing in the page follows the browser: choose Spanish.
			run(t, ctx, chromedp.Navigate(env.URL+"/login"), chromedp.Click(chromedp.CSS(`button[name="lang"][value="es"]`)),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="es"] #email`)))
			lj := env.Login(t, "client", jose)
			passwordLogin(t, ctx, env.URL, lj.Email, lj.Password)
			run(t, ctx, chromedp.WaitVisible(chromedp.CSS("img.qr")))
			if got := location(t, ctx); got != env.URL+"/login/setup" {
				t.Fatalf("a client who must set up a second factor is at %s", got)
			}
			wantIn(t, eval[string](t, ctx, `(document.querySelector("main .lead") || {innerText: ""}).innerText`), "La oficina exige el inicio de sesión en dos pasos")
			check("login-setup-es")
			centred("login-setup-es")
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), kb.Enter), chromedp.WaitVisible(chromedp.ID("code-error")))
			check("login-setup-es-error")
			centred("login-setup-es-error")

			// The preview banner, in a tab of its own.
			link, err := sc.PreviewClient(context.Background(), readClient(t, env, amina).ID)
			if err != nil {
				t.Fatal(err)
			}
			pctx, _ := tab(t, b)
			run(t, pctx, v.vp, chromedp.Navigate(link.URL), chromedp.WaitVisible(chromedp.CSS(".preview-banner")),
				chromedp.Navigate(caseURL(env, ids[amina+"/case"], "appointments")), chromedp.WaitVisible(chromedp.CSS(".preview-banner")))
			ctx = pctx
			check("preview-appointments")
			if p := problems(); len(p) > 0 {
				for _, s := range p {
					// A refused code answers 400/422 on purpose.
					if !strings.Contains(s, "status of 400") && !strings.Contains(s, "status of 422") {
						t.Errorf("console: %s", s)
					}
				}
			}
		})
	}
}

// auditTitleLastLine answers the width of the page title's last line over
// its longest line (1 for a title on one line).
const auditTitleLastLine = `(() => {
	const h = document.querySelector("main h1");
	if (!h) return 1;
	const r = document.createRange();
	r.selectNodeContents(h);
	const lines = new Map();
	for (const b of r.getClientRects()) {
		const top = Math.round(b.top);
		lines.set(top, (lines.get(top) || 0) + b.width);
	}
	const widths = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
	return widths[widths.length - 1] / Math.max(...widths);
})()`

// auditCardExtra answers the most space, over all appointment cards, between
// the card's last line and its bottom padding.
const auditCardExtra = `Math.max(0, ...[...document.querySelectorAll(".appointment")].map(c => {
	const s = getComputedStyle(c);
	const inner = c.getBoundingClientRect().bottom - parseFloat(s.paddingBottom) - parseFloat(s.borderBottomWidth);
	return inner - c.lastElementChild.getBoundingClientRect().bottom;
}))`
