package portal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/servertest"
	"clientportal/store"
)

var viewportsTF = []struct {
	name string
	vp   chromedp.Action[chromedp.Void]
}{
	{"phone", chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait)},
	{"desktop", chromedp.EmulateViewport(1280, 900)},
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("browser: %v (at %s)", err, location(t, ctx))
	}
}

func passwordLogin(t *testing.T, ctx context.Context, base, email, pw string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.SendKeys(chromedp.ID("password"), kb.Enter))
}

// TestTwoFactorInChromium turns on two-step sign-in from the account page
// (the QR code loads under the CSP), keeps the recovery codes, and signs in
// again with the password and then a code, at a phone's and a desktop's
// size, with screenshots.
func TestTwoFactorInChromium(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t, servertest.WithClock())
	dir := screenshotDir(t)
	for i, v := range viewportsTF {
		email := []string{amina, liWei}[i]
		l := env.Login(t, "client", email)
		t.Run(v.name, func(t *testing.T) {
			ctx, problems := tab(t, b)
			run(t, ctx, v.vp)
			passwordLogin(t, ctx, env.URL, l.Email, l.Password)
			run(t, ctx, chromedp.WaitVisible(chromedp.CSS(".signed-in__account")), chromedp.Click(chromedp.CSS(".signed-in__account")),
				chromedp.WaitVisible(chromedp.ID("tf-title")))
			shoot(t, ctx, dir, v.name+"-account")
			run(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/account/two-factor"] button`)), chromedp.WaitVisible(chromedp.CSS("img.qr")))
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("img.qr").complete`)); err != nil {
				t.Fatal(err)
			}
			if w := eval[int](t, ctx, `document.querySelector("img.qr").naturalWidth`); w != 256 {
				t.Errorf("QR code image is %d px wide: did it load?", w)
			}
			shoot(t, ctx, dir, v.name+"-2fa-setup")
			secret := strings.ReplaceAll(text(t, ctx, ".secret code"), " ", "")
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), codeAt(t, secret, env.Clock.Now())),
				chromedp.SendKeys(chromedp.ID("code"), kb.Enter), chromedp.WaitVisible(chromedp.CSS(".recovery-codes")))
			if n := eval[int](t, ctx, `document.querySelectorAll(".recovery-codes li").length`); n != 10 {
				t.Errorf("%d recovery codes shown", n)
			}
			shoot(t, ctx, dir, v.name+"-2fa-codes")
			run(t, ctx, chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("email")))
			passwordLogin(t, ctx, env.URL, l.Email, l.Password)
			run(t, ctx, chromedp.WaitVisible(chromedp.ID("code")))
			if got := location(t, ctx); got != env.URL+"/login/code" {
				t.Fatalf("after the password: %s", got)
			}
			shoot(t, ctx, dir, v.name+"-2fa-code")
			env.Clock.Advance(30 * time.Second)
			run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), codeAt(t, secret, env.Clock.Now())),
				chromedp.SendKeys(chromedp.ID("code"), kb.Enter), chromedp.WaitVisible(chromedp.CSS(".signed-in__name")))
			if got := location(t, ctx); !strings.Contains(got, "/cases") {
				t.Errorf("after the code: %s", got)
			}
			if p := problems(); len(p) > 0 {
				t.Errorf("console: %q", p)
			}
		})
	}
}

// TestPasskeyInChromium adds a passkey from the account page with
// Chromium's virtual authenticator (through the DevTools protocol: the real
// page script and navigator.credentials), then signs in with it instead of
// the password.
func TestPasskeyInChromium(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	// An IP address cannot be a WebAuthn relying party: use localhost.
	base := strings.Replace(env.URL, "127.0.0.1", "localhost", 1)
	for i, v := range viewportsTF {
		email := []string{amina, liWei}[i]
		l := env.Login(t, "client", email)
		t.Run(v.name, func(t *testing.T) {
			ctx, problems := tab(t, b)
			yes := true
			run(t, ctx, v.vp, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{EnableUI: new(bool)}); err != nil {
					return err
				}
				_, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
					Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
					HasResidentKey: true, HasUserVerification: true, IsUserVerified: yes, AutomaticPresenceSimulation: true}})
				return err
			}))
			passwordLogin(t, ctx, base, l.Email, l.Password)
			run(t, ctx, chromedp.WaitVisible(chromedp.CSS(".signed-in__name")), chromedp.Navigate(base+"/account"),
				chromedp.WaitVisible(chromedp.ID("passkey-add")))
			shoot(t, ctx, dir, v.name+"-passkey-prompt")
			run(t, ctx, chromedp.Click(chromedp.ID("passkey-add")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
			if got := text(t, ctx, "p.notice"); got != "Your passkey was added." {
				t.Fatalf("after adding: %q", got)
			}
			wantIn(t, text(t, ctx, "#passkeys"), "Passkeys on your account: 1")
			run(t, ctx, chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("passkey-signin")))
			shoot(t, ctx, dir, v.name+"-passkey-login")
			// A client staff locked cannot sign in with a passkey either.
			setLocked(t, env, email, true)
			run(t, ctx, chromedp.Click(chromedp.ID("passkey-signin")))
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("passkey-login-note").textContent !== ""`)); err != nil {
				t.Fatal(err)
			}
			wantIn(t, text(t, ctx, "#passkey-login-note"), "did not work")
			setLocked(t, env, email, false)
			run(t, ctx, chromedp.Click(chromedp.ID("passkey-signin")), chromedp.WaitVisible(chromedp.CSS(".signed-in__name")))
			wantIn(t, text(t, ctx, ".signed-in__name"), "Signed in as")
			if p := problems(); len(p) > 0 {
				t.Errorf("console: %q", p)
			}
		})
	}
	n := 0
	for _, e := range auditLog(t, env) {
		if e.Action == "client.login" && e.Detail == "with a passkey" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d passkey sign-ins audited, want 2", n)
	}
}

func setLocked(t *testing.T, env *servertest.Env, email string, locked bool) {
	t.Helper()
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(email)
		if err != nil {
			return err
		}
		c.Access.Locked = locked
		return tx.PutClient(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func wantIn(t *testing.T, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("%q lacks %q", got, want)
	}
}

// TestPreviewBannerInChromium opens a staff member's preview link in the
// browser at a phone's and a desktop's size: the client's pages show with
// the preview banner, and sending a message is refused.
func TestPreviewBannerInChromium(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	cl := readClient(t, env, amina)
	caseID := caseIDs(t, env, amina)[0]
	for _, v := range viewportsTF {
		t.Run(v.name, func(t *testing.T) {
			link, err := staff.PreviewClient(context.Background(), cl.ID)
			if err != nil {
				t.Fatal(err)
			}
			ctx, problems := tab(t, b)
			run(t, ctx, v.vp, chromedp.Navigate(link.URL), chromedp.WaitVisible(chromedp.CSS(".preview-banner")))
			if got := text(t, ctx, ".preview-banner__text"); !strings.Contains(got, "Amina Haddad") {
				t.Errorf("banner says %q", got)
			}
			run(t, ctx, chromedp.Navigate(caseURL(env, caseID, "messages")), chromedp.WaitVisible(chromedp.CSS(".preview-banner")))
			shoot(t, ctx, dir, v.name+"-preview-banner")
			run(t, ctx, chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), "from the preview"),
				chromedp.Submit(chromedp.CSS(`textarea[name="body"]`)), chromedp.WaitVisible(chromedp.CSS("main h1")))
			if body := text(t, ctx, "main"); !strings.Contains(body, "nothing can be sent, saved or changed") {
				t.Errorf("posting from the preview: %q", body)
			}
			_ = problems // a refused post logs a 403 in the console, as it should
		})
	}
}

// TestRecoveryCodeInChromium: a client who lost their phone signs in with a
// recovery code instead of the app's code, and that code works only once.
// (Its own service: the logins of one address share a budget.)
func TestRecoveryCodeInChromium(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t, servertest.WithClock())
	l := env.Login(t, "client", amina)
	ctx, _ := tab(t, b)
	run(t, ctx, viewportsTF[0].vp)
	passwordLogin(t, ctx, env.URL, l.Email, l.Password)
	run(t, ctx, chromedp.WaitVisible(chromedp.CSS(".signed-in__account")), chromedp.Click(chromedp.CSS(".signed-in__account")),
		chromedp.WaitVisible(chromedp.ID("tf-title")),
		chromedp.Click(chromedp.CSS(`form[action="/account/two-factor"] button`)), chromedp.WaitVisible(chromedp.CSS("img.qr")))
	secret := strings.ReplaceAll(text(t, ctx, ".secret code"), " ", "")
	run(t, ctx, chromedp.SendKeys(chromedp.ID("code"), codeAt(t, secret, env.Clock.Now())),
		chromedp.SendKeys(chromedp.ID("code"), kb.Enter), chromedp.WaitVisible(chromedp.CSS(".recovery-codes")))
	recovery := strings.TrimSpace(text(t, ctx, ".recovery-codes li"))
	for i, want := range []bool{true, false} {
		run(t, ctx, chromedp.Click(chromedp.CSS(".logout__button")), chromedp.WaitVisible(chromedp.ID("email")))
		passwordLogin(t, ctx, env.URL, l.Email, l.Password)
		// Signed in, or the code page again with the code refused.
		after := chromedp.WaitVisible(chromedp.CSS(".signed-in__name, #code-error"))
		run(t, ctx, chromedp.WaitVisible(chromedp.ID("code")), chromedp.SendKeys(chromedp.ID("code"), recovery),
			chromedp.SendKeys(chromedp.ID("code"), kb.Enter), after)
		if in := strings.Contains(location(t, ctx), "/cases"); in != want {
			t.Fatalf("recovery code, use %d: signed in %v, want %v (at %s)", i+1, in, want, location(t, ctx))
		}
		if !want {
			break
		}
	}
}
