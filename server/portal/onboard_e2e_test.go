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

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/api"
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
