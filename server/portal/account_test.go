package portal_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"clientportal/server/servertest"
	"clientportal/store"
)

var (
	secretRe   = regexp.MustCompile(`<p class="secret"><code>([A-Z2-7 ]+)</code></p>`)
	recoveryRe = regexp.MustCompile(`<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>`)
)

// codeAt is the authenticator app's code for secret at t.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol turns on the second factor from the account page of a logged-in
// browser, and answers the key and the recovery codes.
func enrol(t *testing.T, env *servertest.Env, c *http.Client) (string, []string) {
	t.Helper()
	a := get(t, c, env.URL+"/account")
	wantStatus(t, a, http.StatusOK)
	wantContains(t, a, "Two-step sign-in is off", `action="/account/two-factor"`)
	wantRedirect(t, post(t, c, env.URL+"/account/two-factor", nil), "/account/two-factor")
	a = get(t, c, env.URL+"/account/two-factor")
	wantStatus(t, a, http.StatusOK)
	wantContains(t, a, `src="/account/two-factor/qr.png"`)
	m := secretRe.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("setup page shows no key:\n%s", a.body)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	png := get(t, c, env.URL+"/account/two-factor/qr.png")
	if png.status != 200 || png.resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png.body, "\x89PNG") {
		t.Fatalf("QR code: %d %s", png.status, png.resp.Header.Get("Content-Type"))
	}
	a = post(t, c, env.URL+"/account/two-factor/confirm", url.Values{"code": {"000000"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "not correct") {
		t.Fatalf("wrong code at set-up: %d", a.status)
	}
	a = post(t, c, env.URL+"/account/two-factor/confirm", url.Values{"code": {codeAt(t, secret, env.Clock.Now())}})
	wantStatus(t, a, http.StatusOK)
	var codes []string
	for _, m := range recoveryRe.FindAllStringSubmatch(a.body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10:\n%s", len(codes), a.body)
	}
	return secret, codes
}

var nextAddr atomic.Uint32

// browserFrom is a browser on its own loopback address (127.0.0.N), so the
// per-address login rate limit of one test's many sign-ins is its own.
func browserFrom(env *servertest.Env) *http.Client {
	c := env.Browser()
	n := nextAddr.Add(1)
	ip := net.IPv4(127, 0, byte(1+n/250), byte(2+n%250))
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}
	tr := env.HTTP.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = d.DialContext
	c.Transport = tr
	return c
}

// passwordStep posts the password and expects the second step.
func passwordStep(t *testing.T, env *servertest.Env, email, to string) *http.Client {
	t.Helper()
	c := browserFrom(env)
	l := env.Login(t, "client", email)
	wantRedirect(t, post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}}), to)
	return c
}

func TestTwoFactorLogin(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	c := login(t, env, amina)
	secret, codes := enrol(t, env, c)
	a := get(t, c, env.URL+"/account")
	wantContains(t, a, "Two-step sign-in is on", "Recovery codes left: 10")

	// The password alone opens no session now.
	b := passwordStep(t, env, amina, "/login/code")
	wantRedirect(t, get(t, b, env.URL+"/cases"), "/login")
	wantStatus(t, get(t, b, env.URL+"/login/code"), http.StatusOK)
	a = post(t, b, env.URL+"/login/code", url.Values{"code": {"123456"}})
	wantStatus(t, a, http.StatusUnauthorized)
	// The code used at set-up was of this time step: it is refused again.
	a = post(t, b, env.URL+"/login/code", url.Values{"code": {codeAt(t, secret, env.Clock.Now())}})
	wantStatus(t, a, http.StatusUnauthorized)
	env.Clock.Advance(30 * time.Second)
	code := codeAt(t, secret, env.Clock.Now())
	wantRedirect(t, post(t, b, env.URL+"/login/code", url.Values{"code": {code}}), "/cases")
	wantStatus(t, get(t, b, env.URL+"/account"), http.StatusOK)

	// Replay: the same code in another browser within its window is refused.
	r := passwordStep(t, env, amina, "/login/code")
	wantStatus(t, post(t, r, env.URL+"/login/code", url.Values{"code": {code}}), http.StatusUnauthorized)
	// A recovery code works once.
	wantRedirect(t, post(t, r, env.URL+"/login/code", url.Values{"code": {strings.ToUpper(codes[3])}}), "/cases")
	r2 := passwordStep(t, env, amina, "/login/code")
	wantStatus(t, post(t, r2, env.URL+"/login/code", url.Values{"code": {codes[3]}}), http.StatusUnauthorized)
	wantContains(t, get(t, b, env.URL+"/account"), "Recovery codes left: 9")

	// Wrong codes count toward the lockout: after the threshold (5: one
	// above, four here), even the right code is refused.
	l := passwordStep(t, env, amina, "/login/code")
	for range 4 {
		post(t, l, env.URL+"/login/code", url.Values{"code": {"999999"}})
	}
	env.Clock.Advance(30 * time.Second)
	a = post(t, l, env.URL+"/login/code", url.Values{"code": {codeAt(t, secret, env.Clock.Now())}})
	if a.status == http.StatusSeeOther {
		t.Fatalf("right code after 5 wrong ones: signed in; want the lockout to refuse it")
	}
	var failed, passed int
	for _, e := range auditLog(t, env) {
		switch e.Action {
		case "client.login_failed":
			if strings.Contains(e.Detail, "second factor") {
				failed++
			}
		case "client.login_password":
			passed++
		}
	}
	if failed < 5 || passed != 4 {
		t.Errorf("audit: %d wrong codes, %d passwords-right; want each audited", failed, passed)
	}
}

// TestTwoFactorRequired: the office requires a second factor of clients; a
// client without one sets it up at sign-in, and cannot turn it off.
func TestTwoFactorRequired(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutTwoFactorPolicy(store.TwoFactorPolicy{Clients: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	b := passwordStep(t, env, jose, "/login/setup")
	wantRedirect(t, get(t, b, env.URL+"/cases"), "/login")
	a := get(t, b, env.URL+"/login/setup")
	wantStatus(t, a, http.StatusOK)
	m := secretRe.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("setup page shows no key:\n%s", a.body)
	}
	if png := get(t, b, env.URL+"/login/setup/qr.png"); png.status != 200 || !strings.HasPrefix(png.body, "\x89PNG") {
		t.Fatalf("QR code at sign-in: %d", png.status)
	}
	// Another browser without the waiting login gets no QR code.
	if png := get(t, env.Browser(), env.URL+"/login/setup/qr.png"); png.status != 404 {
		t.Errorf("QR code without the waiting login: %d, want 404", png.status)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	a = post(t, b, env.URL+"/login/code", url.Values{"code": {codeAt(t, secret, env.Clock.Now())}})
	wantStatus(t, a, http.StatusOK)
	if n := len(recoveryRe.FindAllString(a.body, -1)); n != 10 {
		t.Fatalf("%d recovery codes after set-up at sign-in", n)
	}
	a = get(t, b, env.URL+"/account")
	wantContains(t, a, "exige el inicio de sesión en dos pasos")
	wantNotContains(t, a, `action="/account/two-factor/off"`)
	env.Clock.Advance(30 * time.Second)
	a = post(t, b, env.URL+"/account/two-factor/off", url.Values{"code": {codeAt(t, secret, env.Clock.Now())}})
	wantStatus(t, a, http.StatusConflict)
}

// TestPendingLoginIsNotASession: the waiting login's token opens nothing
// but the second step, and expires.
func TestPendingLoginIsNotASession(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	c := login(t, env, amina)
	secret, _ := enrol(t, env, c)
	b := passwordStep(t, env, amina, "/login/code")
	u, _ := url.Parse(env.URL + "/login")
	var pending string
	for _, ck := range b.Jar.Cookies(u) {
		if ck.Name == "portal_pending" {
			pending = ck.Value
		}
	}
	if pending == "" {
		t.Fatal("no pending cookie")
	}
	// Sent as a session cookie, it is no session.
	forged := env.Browser()
	forged.Jar.SetCookies(u, []*http.Cookie{{Name: "portal_session", Value: pending}})
	wantRedirect(t, get(t, forged, env.URL+"/cases"), "/login")
	env.Clock.Advance(6 * time.Minute)
	wantRedirect(t, post(t, b, env.URL+"/login/code", url.Values{"code": {codeAt(t, secret, env.Clock.Now())}}), "/login")
}
