package app

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// clientID finds a demo client's id by email through the API.
func clientID(t *testing.T, c *apiclient.Client, email string) uint64 {
	t.Helper()
	page, err := c.ListClients(context.Background(), apiclient.ListOptions{Q: email})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("find client %s: %+v, %v", email, page, err)
	}
	return page.Items[0].ID
}

// portalLogin logs in to the portal as a client would and answers the
// status and where the portal sends them.
func portalLogin(t *testing.T, env *servertest.Env, email, password string) (int, string) {
	t.Helper()
	return portalLoginWith(t, env.Browser(), env, email, password)
}

// portalLoginWith logs in with browser b, which keeps the session.
func portalLoginWith(t *testing.T, b *http.Client, env *servertest.Env, email, password string) (int, string) {
	t.Helper()
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// TestClientsListGetUpdate pages and searches the clients, reads one, and
// changes their details; bad input is refused in words and changes nothing.
func TestClientsListGetUpdate(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "lucia@riverside.example")
	other := staffClient(t, env, "dana@riverside.example")

	first, err := p.Clients.List("", 0, 2)
	if err != nil || len(first.Items) != 2 || first.Next == 0 {
		t.Fatalf("first page = %+v, %v; want 2 clients and a next page", first, err)
	}
	second, err := p.Clients.List("", first.Next, 2)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range append(first.Items, second.Items...) {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"Amina Haddad", "José Ramírez", "Li Wei", "Samuel Okoro"}) || second.Next != 0 {
		t.Errorf("two pages = %v (next %d), want the 4 demo clients once", names, second.Next)
	}
	for _, tt := range []struct{ query, want string }{{" jose RAMIREZ ", "José Ramírez"}, {"0142", "Amina Haddad"}, {"nobody", ""}} {
		got, err := p.Clients.List(tt.query, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if (tt.want == "" && len(got.Items) != 0) || (tt.want != "" && (len(got.Items) != 1 || got.Items[0].Name != tt.want)) {
			t.Errorf("List(%q) = %+v, want %q", tt.query, got.Items, tt.want)
		}
	}
	samuel, _ := p.Clients.List("samuel", 0, 0)
	if r := samuel.Items[0]; r.CanLogOn || r.Locked || r.Email != "samuel@example.org" {
		t.Errorf("Samuel (not allowed to log on) = %+v", r)
	}
	if _, err := p.Clients.List("", 0, 501); err == nil || !has(err.Error(), "at most 500") {
		t.Errorf("List with limit 501: %v", err)
	}

	id := clientID(t, other, "jose@example.org")
	d, err := p.Clients.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "José Ramírez" || d.Email != "jose@example.org" || d.Language != "es" || d.Phone != "+1 555 0177" ||
		!d.Access.PasswordSet || !d.Access.AllowedToLogOn || !d.Access.CanLogOn || !d.Access.EmailNotice || d.Created == "" {
		t.Errorf("Get = %+v", d)
	}
	cases, err := p.Clients.Cases(id)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, c := range cases {
		numbers = append(numbers, c.Number)
	}
	slices.Sort(numbers)
	if !slices.Equal(numbers, []string{"FAM-2026-0058", "HOU-2026-0317"}) || cases[0].ID == 0 || cases[0].Status == "" {
		t.Errorf("Cases = %+v", cases)
	}

	// A colleague changes the phone while the panel changes the birth date
	// and ID digits: both stand.
	phone := "+1 555 0999"
	if _, err := other.UpdateClient(t.Context(), id, api.ClientInput{Phone: &phone}); err != nil {
		t.Fatal(err)
	}
	u, err := p.Clients.Update(id, ClientInput{BirthDate: ptr(" 1979-03-14 "), IDLast4: ptr("4821"), Name: ptr("José Ramírez Soto")})
	if err != nil {
		t.Fatal(err)
	}
	if u.BirthDate != "1979-03-14" || u.IDLast4 != "4821" || u.Phone != phone || u.Name != "José Ramírez Soto" || u.Email != "jose@example.org" {
		t.Errorf("Update = %+v, want the colleague's phone kept and the new facts", u)
	}
	if got, _ := other.Client(t.Context(), id); got.BirthDate != "1979-03-14" || got.Name != "José Ramírez Soto" {
		t.Errorf("the service holds %+v after Update", got)
	}

	for _, tt := range []struct {
		name string
		in   ClientInput
		code string
	}{
		{"not an email", ClientInput{Email: ptr("jose-at-example")}, "invalid"},
		{"taken email", ClientInput{Email: ptr("amina@example.org")}, "conflict"},
		{"bad date", ClientInput{BirthDate: ptr("14/03/1979")}, "invalid"},
		{"empty name", ClientInput{Name: ptr("  ")}, "invalid"},
	} {
		_, err := p.Clients.Update(id, tt.in)
		if err == nil || apiCode(err) != tt.code || !has(err.Error(), "could not change the client: ") {
			t.Errorf("%s: %v (code %q), want a sentence over the API's %s", tt.name, err, apiCode(err), tt.code)
		}
	}
	if got, _ := p.Clients.Get(id); got.Email != "jose@example.org" || got.BirthDate != "1979-03-14" || got.Name != "José Ramírez Soto" {
		t.Errorf("a refused update changed the client: %+v", got)
	}
	if _, err := p.Clients.Get(987654); apiCode(err) != "not_found" {
		t.Errorf("Get(no such client): %v", err)
	}
}

// TestClientsAccess: what the access panel shows after the client's own
// logins and bad guesses, and what staff change there (lock, unlock,
// allowed to log on, email notice), as the portal then behaves.
func TestClientsAccess(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	amina := env.Login(t, "client", "amina@example.org")
	id := clientID(t, staffClient(t, env, "dana@riverside.example"), amina.Email)

	if code, _ := portalLogin(t, env, amina.Email, amina.Password); code != http.StatusSeeOther {
		t.Fatalf("portal login: %d", code)
	}
	a, err := p.Clients.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Access.Activated || a.Access.LastLoginIP != "127.0.0.1" || a.Access.LastLoginAt == "" || a.Access.BadLoginAttempts != 0 {
		t.Errorf("after a login: %+v", a.Access)
	}
	if at, err := time.Parse(time.RFC3339, a.Access.LastLoginAt); err != nil || time.Since(at) > time.Minute {
		t.Errorf("last login at %q (%v), want about now", a.Access.LastLoginAt, err)
	}

	// Five wrong passwords lock new logins out for a while.
	for range 5 {
		portalLogin(t, env, amina.Email, "not her password")
	}
	got, _ := p.Clients.Get(id)
	if !got.Access.TemporarilyLocked || got.Access.LockedUntil == "" || got.Access.BadLoginAttempts != 5 || got.Access.Locked {
		t.Errorf("after 5 bad guesses: %+v", got.Access)
	}
	if rows, _ := p.Clients.List(amina.Email, 0, 0); !rows.Items[0].Locked {
		t.Errorf("the list does not show the lockout: %+v", rows.Items[0])
	}
	if code, _ := portalLogin(t, env, amina.Email, amina.Password); code == http.StatusSeeOther {
		t.Fatal("a locked-out client logged in")
	}

	// Unlock lifts it and clears the count; she logs in again.
	acc, err := p.Clients.SetAccess(id, AccessInput{Locked: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	if acc.TemporarilyLocked || acc.BadLoginAttempts != 0 || !acc.CanLogOn {
		t.Errorf("after unlock: %+v", acc)
	}
	if code, _ := portalLogin(t, env, amina.Email, amina.Password); code != http.StatusSeeOther {
		t.Errorf("login after unlock: %d", code)
	}

	// Locked by staff: no login, and the panel says so.
	acc, err = p.Clients.SetAccess(id, AccessInput{Locked: ptr(true)})
	if err != nil || !acc.Locked || acc.LockedAt == "" || acc.CanLogOn || !slices.Equal(acc.Missing, []string{"locked by staff: Unlock"}) {
		t.Errorf("lock: %+v, %v", acc, err)
	}
	if code, _ := portalLogin(t, env, amina.Email, amina.Password); code == http.StatusSeeOther {
		t.Error("a client locked by staff logged in")
	}
	acc, _ = p.Clients.SetAccess(id, AccessInput{Locked: ptr(false)})

	// Not allowed to log on; email notice off: only those fields change.
	acc, err = p.Clients.SetAccess(id, AccessInput{AllowedToLogOn: ptr(false), EmailNotice: ptr(false)})
	if err != nil || acc.AllowedToLogOn || acc.EmailNotice || acc.CanLogOn || acc.Locked || !acc.PasswordSet {
		t.Errorf("not allowed, no notice: %+v, %v", acc, err)
	}
	if !slices.Equal(acc.Missing, []string{"not allowed to log on: tick “Allowed to log on”"}) {
		t.Errorf("missing = %q, want it to name being allowed to log on, in the window's words", acc.Missing)
	}
	if code, _ := portalLogin(t, env, amina.Email, amina.Password); code == http.StatusSeeOther {
		t.Error("a client not allowed to log on logged in")
	}
	acc, _ = p.Clients.SetAccess(id, AccessInput{AllowedToLogOn: ptr(true)})
	if !acc.CanLogOn || acc.EmailNotice {
		t.Errorf("allowed again: %+v (email notice must stay off)", acc)
	}
	if _, err := p.Clients.SetAccess(987654, AccessInput{Locked: ptr(false)}); apiCode(err) != "not_found" {
		t.Errorf("SetAccess(no such client): %v", err)
	}
}

// TestClientsPasswords: the policy the forms check against, setting and
// resetting a password (refused with each unmet rule named), a temporary
// password the portal then asks to change, and verifying a password.
func TestClientsPasswords(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	li := env.Login(t, "client", "li.wei@example.org")
	id := clientID(t, dana, li.Email)

	pol, err := p.Clients.PasswordPolicy()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := dana.PasswordPolicy(t.Context())
	if pol != (PasswordPolicy{want.MinLength, want.MinUpper, want.MinLower, want.MinDigit, want.MinSpecial}) || pol.MinLength < 8 {
		t.Errorf("PasswordPolicy = %+v, the service has %+v", pol, want)
	}

	_, err = p.Clients.SetPassword(id, "short")
	if err == nil || apiCode(err) != "invalid" || !has(err.Error(), "could not set the password: ") || !has(err.Error(), "characters") {
		t.Errorf("a weak password: %v", err)
	}
	if code, _ := portalLogin(t, env, li.Email, li.Password); code != http.StatusSeeOther {
		t.Errorf("a refused password changed the client's: login %d", code)
	}

	const fresh = "Copper-Window-58!Lk"
	acc, err := p.Clients.SetPassword(id, fresh)
	if err != nil || !acc.PasswordSet || acc.MustChangePassword {
		t.Fatalf("SetPassword: %+v, %v", acc, err)
	}
	if code, _ := portalLogin(t, env, li.Email, li.Password); code == http.StatusSeeOther {
		t.Error("the old password still works")
	}
	if code, where := portalLogin(t, env, li.Email, fresh); code != http.StatusSeeOther || where == "/password" {
		t.Errorf("login with the new password: %d to %q", code, where)
	}

	for _, tt := range []struct {
		password string
		want     bool
	}{{fresh, true}, {"Copper-Window-58!lk", false}, {"", false}} {
		if ok, err := p.Clients.VerifyPassword(id, tt.password); err != nil || ok != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.password, ok, err, tt.want)
		}
	}

	const temporary = "Amber-Lantern-26?Vc"
	if _, err := p.Clients.SetTemporaryPassword(id, "password"); err == nil || apiCode(err) != "invalid" {
		t.Errorf("a weak temporary password: %v", err)
	}
	acc, err = p.Clients.SetTemporaryPassword(id, temporary)
	if err != nil || !acc.MustChangePassword {
		t.Fatalf("SetTemporaryPassword: %+v, %v", acc, err)
	}
	if code, _ := portalLogin(t, env, li.Email, temporary); code != http.StatusSeeOther {
		t.Fatalf("login with the temporary password: %d", code)
	}
	// The portal now sends her to choose her own before anything else.
	b := env.Browser()
	b.PostForm(env.URL+"/login", url.Values{"email": {li.Email}, "password": {temporary}})
	resp, err := b.Get(env.URL + "/cases")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
		t.Errorf("a case page with a temporary password: %d to %q, want /password", resp.StatusCode, resp.Header.Get("Location"))
	}
	if d, _ := p.Clients.Get(id); !d.Access.MustChangePassword {
		t.Errorf("Get does not show the temporary password: %+v", d.Access)
	}
}

// TestMissingWordsInLanguage: what keeps a client from logging on reads in
// the panel's language, in the access panel's words (never the API's routes).
func TestMissingWordsInLanguage(t *testing.T) {
	l := newLink()
	a := api.Access{Missing: []string{
		"no password: set one with PUT /api/v1/clients/7/password",
		"not allowed to log on: set allowed_to_log_on with PATCH /api/v1/clients/7/access",
		"locked by staff: unlock with PATCH /api/v1/clients/7/access and locked false",
	}}
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{"no password yet: send an invitation, or set a password", "not allowed to log on: tick “Allowed to log on”", "locked by staff: Unlock"}},
		{"es", []string{"todavía no tiene contraseña: envíe una invitación o establezca una contraseña", "no tiene permiso para entrar: marque «Tiene permiso para entrar al portal»", "bloqueado por el personal: Desbloquear"}},
	}
	for _, tt := range tests {
		if _, err := l.langs.set(tt.lang); err != nil {
			t.Fatal(err)
		}
		got := access(a, time.Now(), l.say).Missing
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
	}
}
