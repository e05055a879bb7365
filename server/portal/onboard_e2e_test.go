package portal_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestBrowserOnboarding walks the onboarding pages in headless Chromium at a
// phone (375 px) and a desktop (1280 px) width: the invitation's page marks
// the password rules as the client types (the script loads under the CSP),
// a wrong birth date is shown in words, registration leads to the login
// page; the reset request and its link, and the forced password change.
// Screenshots go to $SCREENSHOT_DIR (onboard-WIDTH-*.png), the served HTML of
// each page to $SCREENSHOT_DIR/onboard-html for the Nu checker. With
// AXE_JS naming axe-core's axe.min.js, every page is also checked with axe
// (no violations allowed).
func TestBrowserOnboarding(t *testing.T) {
	b := browser(t)
	o := startOnboard(t)
	dir := screenshotDir(t)
	htmlDir := filepath.Join(dir, "onboard-html")
	if err := os.MkdirAll(htmlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var axeSrc string
	if p := os.Getenv("AXE_JS"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("AXE_JS: %v", err)
		}
		axeSrc = string(data)
	}
	ctxBG := context.Background()

	for _, width := range []int64{375, 1280} {
		w := itoa(uint64(width))
		ctx, problems := tab(t, b)
		opts := []chromedp.EmulateViewportOption{}
		if width < 600 {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800, opts...)); err != nil {
			t.Fatal(err)
		}
		check := func(name string) {
			t.Helper()
			shoot(t, ctx, dir, "onboard-"+w+"-"+name)
			if got := eval[int](t, ctx, `document.documentElement.scrollWidth`); got > int(width) {
				t.Errorf("%s at %d px: the page is %d px wide", name, width, got)
			}
			if axeSrc != "" {
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSrc+";true")); err != nil {
					t.Fatalf("inject axe: %v", err)
				}
				res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("axe: %v", err)
				}
				var v []string
				json.Unmarshal([]byte(res), &v)
				if len(v) > 0 {
					t.Errorf("axe, %s at %d px: %v", name, width, v)
				}
			}
		}

		// The invitation.
		email := "client" + w + "@example.org"
		id, _ := o.newClient(t, "Client"+w+" Test", email, "en")
		if _, err := o.staff.Invite(ctxBG, id); err != nil {
			t.Fatal(err)
		}
		m := o.mails(t, 1)[0]
		u := link(t, o, m)
		// The email as a mail program shows its HTML part.
		if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html;charset=utf-8;base64,"+base64.StdEncoding.EncodeToString([]byte(m.html)))); err != nil {
			t.Fatal(err)
		}
		shoot(t, ctx, dir, "onboard-"+w+"-invitation-email")
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.ID("password"))); err != nil {
			t.Fatal(err)
		}
		check("register")
		rule := func(kind string) string {
			return eval[string](t, ctx, `document.querySelector('li[data-rule="`+kind+`"]').className`)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("password"), "ab")); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rule("lower"), "rule--met") || !strings.Contains(rule("length"), "rule--unmet") || !strings.Contains(rule("upper"), "rule--unmet") {
			t.Errorf("after typing \"ab\": lower %q, length %q, upper %q", rule("lower"), rule("length"), rule("upper"))
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("password"), "CD12!?xyz")); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"length", "upper", "lower", "digit", "special"} {
			if !strings.Contains(rule(k), "rule--met") {
				t.Errorf("after typing a password that meets it, rule %s is %q", k, rule(k))
			}
		}
		check("register-typed")
		// A wrong birth date, sent with the keyboard.
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("fact"), "1999-01-01"+kb.Enter), chromedp.WaitVisible(chromedp.CSS(".error-summary"))); err != nil {
			t.Fatal(err)
		}
		if s := text(t, ctx, ".error-summary"); !strings.Contains(s, "does not match") {
			t.Errorf("error summary %q", s)
		}
		check("register-error")
		err := chromedp.Do(ctx,
			chromedp.Clear(chromedp.ID("fact")),
			chromedp.SendKeys(chromedp.ID("fact"), birthDate),
			chromedp.SendKeys(chromedp.ID("password"), goodPassword+kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(".notice")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(location(t, ctx), "/login?done=registered") {
			t.Errorf("after registering: at %s", location(t, ctx))
		}
		check("login-registered")

		// Forgot password.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/reset"]`)), chromedp.WaitVisible(chromedp.ID("email"))); err != nil {
			t.Fatal(err)
		}
		check("reset")
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("email"), email+kb.Enter), chromedp.WaitVisible(chromedp.ID("reset-sent"))); err != nil {
			t.Fatal(err)
		}
		check("reset-sent")
		ru := link(t, o, o.mails(t, 1)[0])
		if err := chromedp.Do(ctx, chromedp.Navigate(ru), chromedp.WaitVisible(chromedp.ID("password"))); err != nil {
			t.Fatal(err)
		}
		check("reset-link")
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("password"), "abc"+kb.Enter), chromedp.WaitVisible(chromedp.CSS(".error-summary"))); err != nil {
			t.Fatal(err)
		}
		check("reset-link-error")

		// A temporary password: signed in, sent to choose a new one.
		if _, err := o.staff.SetTemporaryPassword(ctxBG, id, otherPassword); err != nil {
			t.Fatal(err)
		}
		err = chromedp.Do(ctx, chromedp.Navigate(o.env.URL+"/login"),
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), otherPassword+kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(".rules")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(location(t, ctx), "/password") {
			t.Errorf("after signing in with a temporary password: at %s", location(t, ctx))
		}
		check("password-change")
		for _, p := range problems() {
			if !strings.Contains(p, "status of 422") { // a refused form answers 422 on purpose
				t.Errorf("console at %d px: %s", width, p)
			}
		}
	}

	// The served HTML of each page, for the Nu checker.
	save := func(name string, a answer) {
		if err := os.WriteFile(filepath.Join(htmlDir, name+".html"), []byte(a.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	id, _ := o.newClient(t, "Nu Checker", "nu@example.org", "en")
	if _, err := o.staff.Invite(ctxBG, id); err != nil {
		t.Fatal(err)
	}
	u := link(t, o, o.mails(t, 1)[0])
	hc := o.env.Browser()
	save("register", get(t, hc, u))
	save("register-error", post(t, hc, u, url.Values{"birth_date": {"1999-01-01"}, "password": {"abc"}}))
	save("register-weak", post(t, hc, u, url.Values{"birth_date": {birthDate}, "password": {"abc"}}))
	save("reset", get(t, hc, o.env.URL+"/reset"))
	save("reset-sent", post(t, hc, o.env.URL+"/reset", url.Values{"email": {"nu@example.org"}}))
	save("link-invalid", get(t, hc, o.env.URL+"/register/"+strings.Repeat("x", 43)))
	save("login", get(t, hc, o.env.URL+"/login?done=registered"))
	if _, err := o.staff.SetTemporaryPassword(ctxBG, id, otherPassword); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := o.staff.UpdateAccess(ctxBG, id, api.AccessInput{AllowedToLogOn: &yes}); err != nil {
		t.Fatal(err)
	}
	if a := post(t, hc, o.env.URL+"/login", url.Values{"email": {"nu@example.org"}, "password": {otherPassword}}); a.status != http.StatusSeeOther {
		t.Fatalf("login: %d", a.status)
	}
	save("password-change", get(t, hc, o.env.URL+"/password"))
	save("password-change-weak", post(t, hc, o.env.URL+"/password", url.Values{"password": {"abc"}}))
}

// TestBrowserOnboardingLinks follows the emails' links in headless Chromium:
// a bulk invitation of two cases reaches both clients; one registers and
// signs in for the first time, and their used link is refused after; a
// revoked, a guessed, an expired link, and one whose registration attempts
// ran out all show the same "no longer valid" page.
func TestBrowserOnboardingLinks(t *testing.T) {
	b := browser(t)
	o := startOnboard(t, servertest.WithClock())
	ctxBG := context.Background()
	ctx, problems := tab(t, b)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	refused := func(what, u string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatal(err)
		}
		if s := text(t, ctx, "main"); !strings.Contains(s, noLongerValid) {
			t.Errorf("%s link: the page says %q", what, s)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll("#password").length`); n != 0 {
			t.Errorf("%s link: the page still offers a password field", what)
		}
	}

	// A bulk invitation of two cases: one email to each of their clients.
	ana, anaCase := o.newClient(t, "Ana Bulk", "ana.bulk@example.org", "en")
	_, benCase := o.newClient(t, "Ben Bulk", "ben.bulk@example.org", "en")
	if _, err := o.staff.InviteCases(ctxBG, []uint64{anaCase, benCase}); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, m := range o.mails(t, 2) {
		links[m.to] = link(t, o, m)
	}
	if len(links) != 2 {
		t.Fatalf("the bulk invitation reached %v", links)
	}

	// Ana registers and signs in for the first time.
	err := chromedp.Do(ctx, chromedp.Navigate(links["ana.bulk@example.org"]), chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("fact"), birthDate),
		chromedp.SendKeys(chromedp.ID("password"), goodPassword+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
		chromedp.SendKeys(chromedp.ID("email"), "ana.bulk@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), goodPassword+kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".signed-in__name")))
	if err != nil {
		t.Fatalf("register and sign in: %v (at %s)", err, location(t, ctx))
	}
	if got, want := location(t, ctx), o.env.URL+"/cases/"+itoa(anaCase); got != want {
		t.Errorf("first sign-in went to %s, want %s", got, want)
	}
	if inv := o.invitation(t, ana); inv.Invitation == nil || inv.Invitation.Used == nil {
		t.Errorf("Ana's invitation after registering: %+v", inv.Invitation)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("email"))); err != nil {
		t.Fatal(err)
	}
	refused("a used", links["ana.bulk@example.org"])

	// Ben's invitation is revoked before he opens it.
	ben := readClient(t, o.env, "ben.bulk@example.org")
	if _, err := o.staff.RevokeInvitation(ctxBG, ben.ID); err != nil {
		t.Fatal(err)
	}
	refused("a revoked", links["ben.bulk@example.org"])

	// A guessed token.
	refused("a guessed", o.env.URL+"/register/"+strings.Repeat("A", 43))

	// Cleo's link expires (7 days by default).
	cleo, _ := o.newClient(t, "Cleo Late", "cleo@example.org", "en")
	if _, err := o.staff.Invite(ctxBG, cleo); err != nil {
		t.Fatal(err)
	}
	late := link(t, o, o.mails(t, 1)[0])
	o.env.Clock.Advance(7*24*time.Hour + time.Minute)
	o.relogin(t)
	refused("an expired", late)

	// Dev guesses his birth date wrong until the link is void (5 tries).
	dev, _ := o.newClient(t, "Dev Wrong", "dev@example.org", "en")
	if _, err := o.staff.Invite(ctxBG, dev); err != nil {
		t.Fatal(err)
	}
	guess := link(t, o, o.mails(t, 1)[0])
	for i := range 5 {
		// The first four say what was wrong; the fifth voids the link.
		answer := chromedp.WaitVisible(chromedp.CSS(".error-summary"))
		if i == 4 {
			answer = chromedp.WaitVisible(chromedp.CSS("main h1"))
		}
		c, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(c, chromedp.Navigate(guess), chromedp.WaitVisible(chromedp.ID("password")),
			chromedp.SendKeys(chromedp.ID("fact"), "1999-01-0"+itoa(uint64(i+1))),
			chromedp.SendKeys(chromedp.ID("password"), goodPassword+kb.Enter),
			answer)
		cancel()
		if err != nil {
			t.Fatalf("wrong birth date %d: %v", i+1, err)
		}
	}
	if s := text(t, ctx, "main"); !strings.Contains(s, noLongerValid) {
		t.Errorf("after the fifth wrong birth date the page says %q", s)
	}
	refused("a voided", guess)
	if inv := o.invitation(t, dev); inv.Invitation == nil || inv.Invitation.Active || !inv.Invitation.Voided {
		t.Errorf("Dev's invitation after 5 wrong tries: %+v", inv.Invitation)
	}
	if p := problems(); len(p) > 0 {
		t.Logf("console (the refused forms and links answer 4xx, as they should): %q", p)
	}
}
