package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"clientportal/server/apiclient"
	"clientportal/server/auth"
	"clientportal/server/servertest"
	"clientportal/store"
)

// turnOn gives an account a second factor directly, and answers its key.
func turnOn(t *testing.T, env *servertest.Env, kind store.SessionKind, id uint64) string {
	t.Helper()
	a := env.Server.Auth()
	key, err := a.StartEnrolment(context.Background(), kind, id)
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.ReplaceAll(key.Secret, " ", "")
	code, _ := totp.GenerateCode(secret, env.Clock.Now().Add(-30*time.Second))
	if _, err := a.ConfirmEnrolment(context.Background(), kind, id, code, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	return secret
}

func cookieOf(b *http.Client, u, name string) string {
	pu, _ := url.Parse(u)
	for _, c := range b.Jar.Cookies(pu) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// TestSecurityTokensDoNotCross: each short-lived token kind opens only what
// it is for. A client's waiting login cannot finish as staff (even with the
// right code) and a staff member's cannot finish on the portal; preview
// tokens and links are no sessions, and no token is a preview but a
// preview's.
func TestSecurityTokensDoNotCross(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	ctx := context.Background()
	var clientID, staffID uint64
	env.Store.View(ctx, func(tx *store.Tx) error {
		c, _ := tx.ClientByEmail("amina@example.org")
		s, _ := tx.StaffByEmail("marcus@riverside.example")
		clientID, staffID = c.ID, s.ID
		return nil
	})
	cSecret := turnOn(t, env, store.SessionClient, clientID)
	sSecret := turnOn(t, env, store.SessionStaff, staffID)
	now := func(secret string) string { c, _ := totp.GenerateCode(secret, env.Clock.Now()); return c }

	// A client's waiting login.
	cl := env.Login(t, "client", "amina@example.org")
	b := env.Browser()
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {cl.Email}, "password": {cl.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cPending := cookieOf(b, env.URL+"/login", "portal_pending")
	if resp.Header.Get("Location") != "/login/code" || cPending == "" {
		t.Fatalf("client login: %s", resp.Header.Get("Location"))
	}
	api1, _ := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if _, err := api1.LoginSecondFactor(ctx, cPending, now(cSecret)); !apiclient.IsCode(err, "bad_code") {
		t.Errorf("client's waiting login finished at the staff API: %v", err)
	}
	// A staff member's waiting login, on the portal.
	st := env.Login(t, "staff", "marcus@riverside.example")
	_, err = api1.Login(ctx, st.Email, st.Password)
	sPending := apiclient.SecondFactorPending(err)
	if sPending == "" {
		t.Fatalf("staff login: %v", err)
	}
	s := env.Browser()
	s.Jar.SetCookies(mustURL(env.URL+"/login"), []*http.Cookie{{Name: "portal_pending", Value: sPending}})
	resp, err = s.PostForm(env.URL+"/login/code", url.Values{"code": {now(sSecret)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Location") != "/login" || cookieOf(s, env.URL+"/", "portal_session") != "" {
		t.Errorf("staff's waiting login on the portal: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Waiting logins are no sessions and no previews.
	for _, tok := range []string{cPending, sPending} {
		for _, name := range []string{"portal_session", "portal_preview"} {
			x := env.Browser()
			x.Jar.SetCookies(mustURL(env.URL+"/"), []*http.Cookie{{Name: name, Value: tok}})
			resp, err := x.Get(env.URL + "/cases")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
				t.Errorf("waiting login as %s: %d", name, resp.StatusCode)
			}
		}
		bearer, _ := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithToken(tok))
		if _, err := bearer.Me(ctx); !apiclient.IsCode(err, "unauthorized") {
			t.Errorf("waiting login as a bearer token: %v", err)
		}
	}
	// Preview link and preview session tokens.
	var marcus store.Staff
	env.Store.View(ctx, func(tx *store.Tx) (err error) { marcus, err = tx.Staff(staffID); return err })
	link, _, err := env.Server.Auth().PreviewLink(ctx, clientID, marcus, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	x := env.Browser()
	x.Jar.SetCookies(mustURL(env.URL+"/"), []*http.Cookie{{Name: "portal_preview", Value: link}, {Name: "portal_session", Value: link}})
	if resp, _ := x.Get(env.URL + "/cases"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a preview link as a cookie: %d", resp.StatusCode)
	}
	pv, _, err := env.Server.Auth().OpenPreview(ctx, link, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	y := env.Browser()
	y.Jar.SetCookies(mustURL(env.URL+"/"), []*http.Cookie{{Name: "portal_session", Value: pv}})
	if resp, _ := y.Get(env.URL + "/cases"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a preview token as a session: %d", resp.StatusCode)
	}
	bearer, _ := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithToken(pv))
	if _, err := bearer.Me(ctx); !apiclient.IsCode(err, "unauthorized") {
		t.Errorf("preview token as a bearer token: %v", err)
	}
	// A preview ends when its staff member is disabled.
	z := env.Browser()
	z.Jar.SetCookies(mustURL(env.URL+"/"), []*http.Cookie{{Name: "portal_preview", Value: pv}})
	if resp, _ := z.Get(env.URL + "/cases"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") == "/login" {
		t.Fatalf("open preview: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	env.Store.Update(ctx, func(tx *store.Tx) error { marcus.Disabled = true; return tx.PutStaff(&marcus) })
	if _, err := env.Server.Auth().Preview(ctx, pv); err != auth.ErrNoSession {
		t.Errorf("preview of a disabled staff member: %v", err)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
