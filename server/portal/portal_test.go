package portal_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"clientportal/server/auth"
	"clientportal/server/servertest"
	"clientportal/store"
)

// Demo accounts the tests use (see server/demo).
const (
	amina  = "amina@example.org"   // English, one staff case
	jose   = "jose@example.org"    // Spanish, a staff case and a pro bono case
	liWei  = "li.wei@example.org"  // no language set, one pro bono case
	samuel = "samuel@example.org"  // not allowed to log on
	nobody = "nobody@example.org"  // no such client
	lockMe = "li.wei@example.org"  // locked by TestLoginFailureIsGeneric
	office = "Riverside Legal Aid" // the demo office's name
)

type answer struct {
	status int
	body   string
	resp   *http.Response
}

func do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return answer{status: resp.StatusCode, body: string(b), resp: resp}
}

func get(t *testing.T, c *http.Client, u string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, c, req)
}

func postBody(t *testing.T, c *http.Client, u, body string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, c, req)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) answer {
	t.Helper()
	return postBody(t, c, u, form.Encode())
}

func wantStatus(t *testing.T, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s %s: status %d, want %d; body:\n%.2000s", a.resp.Request.Method, a.resp.Request.URL, a.status, status, a.body)
	}
}

func wantRedirect(t *testing.T, a answer, to string) {
	t.Helper()
	if a.status != http.StatusSeeOther {
		t.Fatalf("%s %s: status %d, want 303 to %s; body:\n%.1000s", a.resp.Request.Method, a.resp.Request.URL, a.status, to, a.body)
	}
	if loc := a.resp.Header.Get("Location"); loc != to {
		t.Fatalf("%s %s: redirect to %q, want %q", a.resp.Request.Method, a.resp.Request.URL, loc, to)
	}
}

func wantContains(t *testing.T, a answer, parts ...string) {
	t.Helper()
	text := html.UnescapeString(a.body)
	for _, p := range parts {
		if !strings.Contains(a.body, p) && !strings.Contains(text, p) {
			t.Errorf("%s %s: body lacks %q", a.resp.Request.Method, a.resp.Request.URL, p)
		}
	}
	if t.Failed() {
		t.Logf("body:\n%s", a.body)
		t.FailNow()
	}
}

func wantNotContains(t *testing.T, a answer, parts ...string) {
	t.Helper()
	text := html.UnescapeString(a.body)
	for _, p := range parts {
		if strings.Contains(a.body, p) || strings.Contains(text, p) {
			t.Errorf("%s %s: body contains %q", a.resp.Request.Method, a.resp.Request.URL, p)
		}
	}
}

// login logs a demo client in with a fresh browser and returns it.
func login(t *testing.T, env *servertest.Env, email string) *http.Client {
	t.Helper()
	c := env.Browser()
	l := env.Login(t, "client", email)
	a := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	wantRedirect(t, a, "/cases")
	return c
}

// caseIDs are the IDs of a client's cases.
func caseIDs(t *testing.T, env *servertest.Env, email string) []uint64 {
	t.Helper()
	var ids []uint64
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(email)
		if err != nil {
			return err
		}
		cases, err := tx.CasesOfClient(c.ID)
		for _, cs := range cases {
			ids = append(ids, cs.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func readCase(t *testing.T, env *servertest.Env, id uint64) store.Case {
	t.Helper()
	var c store.Case
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		var err error
		c, err = tx.Case(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readClient(t *testing.T, env *servertest.Env, email string) store.Client {
	t.Helper()
	var c store.Client
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		var err error
		c, err = tx.ClientByEmail(email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func auditLog(t *testing.T, env *servertest.Env) []store.AuditEntry {
	t.Helper()
	var log []store.AuditEntry
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		var err error
		log, err = tx.AuditLog(0, 1000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func caseURL(env *servertest.Env, id uint64, tab string) string {
	u := env.URL + "/cases/" + strconv.FormatUint(id, 10)
	if tab != "" {
		u += "/" + tab
	}
	return u
}

var englishMonths = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var spanishMonths = []string{"", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

func englishDate(d time.Time) string {
	d = d.UTC()
	return fmt.Sprintf("%d %s %d", d.Day(), englishMonths[d.Month()], d.Year())
}

func spanishDate(d time.Time) string {
	d = d.UTC()
	return fmt.Sprintf("%d de %s de %d", d.Day(), spanishMonths[d.Month()], d.Year())
}

func sessionCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestLoginFlow(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()

	wantRedirect(t, get(t, c, env.URL+"/"), "/login")
	wantRedirect(t, get(t, c, env.URL+"/cases"), "/login")
	page := get(t, c, env.URL+"/login")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, `<html lang="en">`, office, `action="/login"`, `name="email"`, `name="password"`,
		`type="password"`, `autocomplete="current-password"`, `<label class="field__label" for="email">`, "Log in to see your case")

	l := env.Login(t, "client", amina)
	a := post(t, c, env.URL+"/login", url.Values{"email": {"  AMINA@example.org "}, "password": {l.Password}})
	wantRedirect(t, a, "/cases")

	wantRedirect(t, get(t, c, env.URL+"/"), "/cases")
	wantRedirect(t, get(t, c, env.URL+"/login"), "/cases")
	ids := caseIDs(t, env, amina)
	wantRedirect(t, get(t, c, env.URL+"/cases"), "/cases/"+strconv.FormatUint(ids[0], 10))
	status := get(t, c, caseURL(env, ids[0], ""))
	wantStatus(t, status, http.StatusOK)
	wantContains(t, status, "Hearing scheduled", "Signed in as Amina Haddad", `action="/logout"`)

	cl := readClient(t, env, amina)
	if !cl.Access.Activated || cl.Access.LastLoginIP != "127.0.0.1" {
		t.Errorf("after login: activated %v, last IP %q", cl.Access.Activated, cl.Access.LastLoginIP)
	}
}

func TestSessionCookieOnPlainHTTP(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	l := env.Login(t, "client", amina)
	a := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	wantRedirect(t, a, "/cases")
	ck := sessionCookie(a.resp, "portal_session")
	if ck == nil {
		t.Fatalf("no portal_session cookie; Set-Cookie: %q", a.resp.Header.Values("Set-Cookie"))
	}
	if !ck.HttpOnly || ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" || ck.MaxAge != 0 || !ck.Expires.IsZero() {
		t.Errorf("cookie %+v: want HttpOnly, not Secure, SameSite=Lax, Path=/, no Domain, session cookie", ck)
	}
	if sessionCookie(a.resp, "__Host-portal_session") != nil {
		t.Error("__Host- cookie set on plain HTTP")
	}
}

func TestSessionCookieUnderTLS(t *testing.T) {
	env := servertest.Start(t, servertest.WithTLS())
	if !strings.HasPrefix(env.URL, "https://") {
		t.Fatalf("URL %s is not https", env.URL)
	}
	c := env.Browser()
	l := env.Login(t, "client", jose)
	a := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	wantRedirect(t, a, "/cases")
	ck := sessionCookie(a.resp, "__Host-portal_session")
	if ck == nil {
		t.Fatalf("no __Host-portal_session cookie; Set-Cookie: %q", a.resp.Header.Values("Set-Cookie"))
	}
	if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" || ck.MaxAge != 0 {
		t.Errorf("cookie %+v: want Secure, HttpOnly, SameSite=Lax, Path=/, no Domain, no Max-Age", ck)
	}
	if sessionCookie(a.resp, "portal_session") != nil {
		t.Error("plain portal_session cookie set under TLS")
	}
	// The browser sends it back: the pages work over HTTPS.
	cases := get(t, c, env.URL+"/cases")
	wantStatus(t, cases, http.StatusOK)
	wantContains(t, cases, "Mis casos")
	out := post(t, c, env.URL+"/logout", nil)
	wantRedirect(t, out, "/login")
	if ck := sessionCookie(out.resp, "__Host-portal_session"); ck == nil || ck.MaxAge >= 0 || !ck.Secure {
		t.Errorf("logout under TLS: cookie %+v, want a Secure clearing cookie", ck)
	}
}

func TestLoginFailureIsGeneric(t *testing.T) {
	env := servertest.Start(t)
	// Lock Li Wei's account, as too many bad passwords would.
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(lockMe)
		if err != nil {
			return err
		}
		c.Access.Locked = true
		return tx.PutClient(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	pw := env.Login(t, "client", amina).Password
	tries := []struct{ name, email, password string }{
		{"unknown email", nobody, pw},
		{"wrong password", amina, "Wrong-Password-11!!"},
		{"locked", lockMe, pw},
		{"not allowed", samuel, pw},
	}
	var first string
	for _, try := range tries {
		c := env.Browser()
		a := post(t, c, env.URL+"/login", url.Values{"email": {try.email}, "password": {try.password}})
		wantStatus(t, a, http.StatusUnauthorized)
		wantContains(t, a, "We could not log you in", `value="`+try.email+`"`, `role="alert"`)
		wantNotContains(t, a, try.password)
		if len(a.resp.Cookies()) != 0 {
			t.Errorf("%s: cookies set: %v", try.name, a.resp.Cookies())
		}
		body := strings.ReplaceAll(a.body, try.email, "EMAIL")
		if first == "" {
			first = body
		} else if body != first {
			t.Errorf("%s: the page differs from the %s page", try.name, tries[0].name)
		}
		wantRedirect(t, get(t, c, env.URL+"/cases"), "/login")
	}
	if n := readClient(t, env, amina).Access.BadLoginAttempts; n != 1 {
		t.Errorf("amina's bad login attempts: %d, want 1", n)
	}
}

func TestLoginBadInput(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	pw := env.Login(t, "client", amina).Password
	before := len(auditLog(t, env))

	a := post(t, c, env.URL+"/login", url.Values{"password": {pw}})
	wantStatus(t, a, http.StatusBadRequest)
	wantContains(t, a, "Enter your email address", `aria-invalid="true"`, `href="#email"`)
	wantNotContains(t, a, pw, "Enter your password")

	a = post(t, c, env.URL+"/login", url.Values{"email": {amina}})
	wantStatus(t, a, http.StatusBadRequest)
	wantContains(t, a, "Enter your password", `value="`+amina+`"`)

	a = postBody(t, c, env.URL+"/login", "")
	wantStatus(t, a, http.StatusBadRequest)
	wantContains(t, a, "Enter your email address", "Enter your password")

	a = postBody(t, c, env.URL+"/login", "email=amina%40example.org%ff&password="+url.QueryEscape(pw))
	wantStatus(t, a, http.StatusBadRequest)
	wantContains(t, a, "Something went wrong with the form")

	a = postBody(t, c, env.URL+"/login", "email=%zz&password=x")
	wantStatus(t, a, http.StatusBadRequest)

	big := "email=" + url.QueryEscape(amina) + "&password=" + strings.Repeat("A", 1<<20)
	a = postBody(t, c, env.URL+"/login", big)
	wantStatus(t, a, http.StatusRequestEntityTooLarge)
	wantContains(t, a, "Too much was sent")

	if after := len(auditLog(t, env)); after != before {
		t.Errorf("audit log grew from %d to %d entries on bad input", before, after)
	}
	if cl := readClient(t, env, amina); cl.Access.BadLoginAttempts != 0 || cl.Access.Activated {
		t.Errorf("amina changed by bad input: %+v", cl.Access)
	}
	wantRedirect(t, get(t, c, env.URL+"/cases"), "/login")
}

func TestLoginRateLimit(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	l := env.Login(t, "client", amina)
	for i := range 10 {
		a := post(t, c, env.URL+"/login", url.Values{"email": {nobody}, "password": {fmt.Sprintf("guess-%d", i)}})
		wantStatus(t, a, http.StatusUnauthorized)
	}
	// The burst is spent: even the right password waits.
	a := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	wantStatus(t, a, http.StatusTooManyRequests)
	wantContains(t, a, "Too many attempts", office)
	if ra, err := strconv.Atoi(a.resp.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q, want a positive number of seconds", a.resp.Header.Get("Retry-After"))
	}
	if len(a.resp.Cookies()) != 0 {
		t.Errorf("429 set cookies: %v", a.resp.Cookies())
	}
	if readClient(t, env, amina).Access.Activated {
		t.Error("a rate-limited login logged amina in")
	}
}

func TestCasePicker(t *testing.T) {
	env := servertest.Start(t)

	one := login(t, env, amina)
	ids := caseIDs(t, env, amina)
	wantRedirect(t, get(t, one, env.URL+"/cases"), "/cases/"+strconv.FormatUint(ids[0], 10))
	page := get(t, one, caseURL(env, ids[0], ""))
	wantNotContains(t, page, `href="/cases"`)

	two := login(t, env, jose)
	a := get(t, two, env.URL+"/cases")
	wantStatus(t, a, http.StatusOK)
	if a.resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("case picker Cache-Control %q, want no-store", a.resp.Header.Get("Cache-Control"))
	}
	ids = caseIDs(t, env, jose)
	if len(ids) != 2 {
		t.Fatalf("jose has %d cases, want 2", len(ids))
	}
	wantContains(t, a, "Mis casos", "Eviction defense", "Family petition", "HOU-2026-0317", "FAM-2026-0058",
		`href="/cases/`+strconv.FormatUint(ids[0], 10)+`"`, `href="/cases/`+strconv.FormatUint(ids[1], 10)+`"`,
		"Esperando documentos del cliente", "En curso")
	// A client with several cases gets a way back to them from each case.
	wantContains(t, get(t, two, caseURL(env, ids[1], "history")), `href="/cases"`, "Mis casos")
}

func TestStatusPageStaffCase(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	cs := readCase(t, env, id)
	a := get(t, c, caseURL(env, id, ""))
	wantStatus(t, a, http.StatusOK)
	if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	wantContains(t, a, `<html lang="en">`, office, "Asylum application", "IMM-2026-0142",
		"Current status", "Hearing scheduled", "Since "+englishDate(cs.Current.Date),
		"Bring your passport and arrive 30 minutes early.",
		"Your advocate", "Marcus Oyelaran", "Immigration attorney",
		`href="tel:+15550102"`, `href="mailto:marcus@riverside.example"`,
		`<a class="tabs__link" href="/cases/`+strconv.FormatUint(id, 10)+`" aria-current="page">Status</a>`,
		`href="/cases/`+strconv.FormatUint(id, 10)+`/history"`, `href="/cases/`+strconv.FormatUint(id, 10)+`/contact"`)
	wantNotContains(t, a, "Under review") // an older status
}

func TestContactPages(t *testing.T) {
	env := servertest.Start(t)

	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	a := get(t, c, caseURL(env, id, "contact"))
	wantStatus(t, a, http.StatusOK)
	if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	wantContains(t, a, "Who to contact", "Your advocate", "Marcus Oyelaran", "Immigration attorney",
		`href="tel:+15550102"`, `href="mailto:marcus@riverside.example"`, "12 Harbor Street, Suite 300, Riverside",
		"The office", `href="tel:+15550100"`, `href="mailto:help@riverside.example"`, "IMM-2026-0142",
		`aria-current="page">Contact</a>`)
	wantNotContains(t, a, "pro bono")

	c = login(t, env, liWei)
	id = caseIDs(t, env, liWei)[0]
	a = get(t, c, caseURL(env, id, ""))
	wantContains(t, a, "Your attorney", "Daniel Okafor", "Okafor Immigration Law",
		`href="tel:+15550300"`, `href="mailto:daniel@okaforlaw.example"`, "Waiting for client documents")
	a = get(t, c, caseURL(env, id, "contact"))
	wantContains(t, a, "Your attorney", "Daniel Okafor", "Okafor Immigration Law", "pro bono",
		`href="tel:+15550300"`, `href="mailto:daniel@okaforlaw.example"`, `href="tel:+15550100"`)
	wantNotContains(t, a, "Marcus", "Lucía")
}

func TestHistoryTimeline(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	a := get(t, c, caseURL(env, id, "history"))
	wantStatus(t, a, http.StatusOK)
	if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	wantContains(t, a, `<ol class="timeline">`, "Updated by Marcus Oyelaran", "We filed form I-589 with the court.",
		`aria-current="page">History</a>`)
	var history []store.StatusEntry
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		var err error
		history, err = tx.StatusHistory(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(a.body, `<li class="timeline__item`); n != len(history) {
		t.Errorf("%d timeline items, want %d", n, len(history))
	}
	// Newest first, each with its date and status name.
	names := []string{"Hearing scheduled", "In progress", "Assigned to advocate", "Accepted", "Under review", "Application received"}
	last := -1
	for i, e := range history {
		datetime := `<time datetime="` + e.Date.UTC().Format(time.DateOnly) + `">` + englishDate(e.Date) + `</time>`
		at := strings.Index(a.body, datetime)
		name := strings.Index(a.body, "<h3 class=\"timeline__status\">"+names[i]+"</h3>")
		if at < 0 || name < 0 || at <= last || name <= at {
			t.Errorf("entry %d (%s, %s): not in order (date at %d, name at %d, previous at %d)", i, names[i], datetime, at, name, last)
		}
		last = name
	}
	if strings.Count(a.body, "timeline__item--current") != 1 {
		t.Error("want exactly one current entry")
	}
}

func TestSpanishClient(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, jose)
	ids := caseIDs(t, env, jose)
	var staffCase, proBono uint64
	for _, id := range ids {
		if readCase(t, env, id).Kind == store.KindProBono {
			proBono = id
		} else {
			staffCase = id
		}
	}
	cs := readCase(t, env, staffCase)
	a := get(t, c, caseURL(env, staffCase, ""))
	wantStatus(t, a, http.StatusOK)
	wantContains(t, a, `<html lang="es">`, "Estado actual", "Esperando documentos del cliente",
		"Desde el "+spanishDate(cs.Current.Date), "Su defensor", "Lucía Fernández", `href="tel:+15550103"`,
		">Estado</a>", ">Historial</a>", ">Contacto</a>", "Mis casos", "Cerrar sesión", "Saltar al contenido principal")
	wantNotContains(t, a, "Waiting for client documents", "Current status", "January", "February", "March")
	if !regexp.MustCompile(`Desde el \d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de \d{4}`).MatchString(a.body) {
		t.Error("no Spanish date on the status page")
	}

	h := get(t, c, caseURL(env, staffCase, "history"))
	wantContains(t, h, "Historial del caso", "Solicitud recibida", "Aceptado", "Asignado a un defensor", "Actualizado por Lucía Fernández")
	for _, e := range []string{"Application received", "Accepted"} {
		wantNotContains(t, h, e)
	}

	p := get(t, c, caseURL(env, proBono, "contact"))
	wantContains(t, p, "Su abogado", "Helen Park", "Park &amp; Rowe LLP", `href="mailto:hpark@parkrowe.example"`, "La oficina")
}

func TestAcceptLanguage(t *testing.T) {
	env := servertest.Start(t)
	// Li Wei has no preferred language: the browser's choice decides.
	c := login(t, env, liWei)
	id := caseIDs(t, env, liWei)[0]
	es := get(t, c, caseURL(env, id, ""), "Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
	wantContains(t, es, `<html lang="es">`, "Esperando documentos del cliente", "Su abogado")
	fr := get(t, c, caseURL(env, id, ""), "Accept-Language", "fr-CA,fr;q=0.9")
	wantContains(t, fr, `<html lang="en">`, "Waiting for client documents")
	en := get(t, c, caseURL(env, id, ""), "Accept-Language", "de;q=0.9,en-GB;q=0.8")
	wantContains(t, en, `<html lang="en">`)
	bad := get(t, c, caseURL(env, id, ""), "Accept-Language", strings.Repeat("x-", 300)+";q=zz")
	wantStatus(t, bad, http.StatusOK)
	wantContains(t, bad, `<html lang="en">`)

	// A stored preference wins over the browser: Amina chose English.
	c = login(t, env, amina)
	id = caseIDs(t, env, amina)[0]
	wantContains(t, get(t, c, caseURL(env, id, ""), "Accept-Language", "es"), `<html lang="en">`)

	// Before login, too.
	anon := env.Browser()
	wantContains(t, get(t, anon, env.URL+"/login", "Accept-Language", "es-419"), `<html lang="es">`, "Inicie sesión para ver su caso", "Correo electrónico")
}

func TestLanguageSwitcher(t *testing.T) {
	env := servertest.Start(t)

	// Anonymous: only the cookie remembers.
	anon := env.Browser()
	lp := get(t, anon, env.URL+"/login")
	wantContains(t, lp, `action="/language"`, `name="lang" value="en"`, `name="lang" value="es"`, `name="next" value="/login"`,
		`lang="es">Español</button>`, `aria-current="true">English</button>`)
	a := post(t, anon, env.URL+"/language", url.Values{"lang": {"es"}, "next": {"/login"}})
	wantRedirect(t, a, "/login")
	ck := sessionCookie(a.resp, "lang")
	if ck == nil || ck.Value != "es" || ck.Path != "/" || !ck.HttpOnly {
		t.Fatalf("lang cookie %+v", ck)
	}
	wantContains(t, get(t, anon, env.URL+"/login"), `<html lang="es">`, `aria-current="true">Español</button>`)

	// Logged in: the choice is stored on the client, with an audit entry.
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	next := "/cases/" + strconv.FormatUint(id, 10) + "/history"
	page := get(t, c, env.URL+next)
	wantContains(t, page, `name="next" value="`+next+`"`)
	wantRedirect(t, post(t, c, env.URL+"/language", url.Values{"lang": {"es"}, "next": {next}}), next)
	wantContains(t, get(t, c, env.URL+next), `<html lang="es">`, "Historial del caso")
	if lang := readClient(t, env, amina).Language; lang != "es" {
		t.Errorf("amina's stored language %q, want es", lang)
	}
	found := false
	for _, e := range auditLog(t, env) {
		found = found || (e.Action == "client.language" && e.ActorKind == "client" && e.Target == "client:"+strconv.FormatUint(readClient(t, env, amina).ID, 10))
	}
	if !found {
		t.Error("no client.language audit entry")
	}
	// It persists: a new browser with no cookies, asking for English, gets Spanish.
	fresh := login(t, env, amina)
	wantContains(t, get(t, fresh, caseURL(env, id, ""), "Accept-Language", "en"), `<html lang="es">`, "Estado actual")

	// Bad values.
	wantStatus(t, post(t, c, env.URL+"/language", url.Values{"lang": {"fr"}, "next": {"/cases"}}), http.StatusBadRequest)
	wantStatus(t, post(t, c, env.URL+"/language", url.Values{"next": {"/cases"}}), http.StatusBadRequest)
	for _, bad := range []string{"//evil.example/", "/\\evil.example", "https://evil.example/", "evil", "", "javascript:alert(1)"} {
		wantRedirect(t, post(t, c, env.URL+"/language", url.Values{"lang": {"en"}, "next": {bad}}), "/")
	}
	if lang := readClient(t, env, amina).Language; lang != "en" {
		t.Errorf("amina's stored language %q, want en", lang)
	}
}

func TestNotYourCaseIsNotFound(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	joseCase := caseIDs(t, env, jose)[0]
	var first string
	for _, tab := range []string{"", "history", "contact"} {
		for _, id := range []string{strconv.FormatUint(joseCase, 10), "999999", "abc", "0", "01", "-1", "1e3", "18446744073709551616", "%20" + "1"} {
			u := env.URL + "/cases/" + id
			if tab != "" {
				u += "/" + tab
			}
			a := get(t, c, u)
			wantStatus(t, a, http.StatusNotFound)
			if first == "" {
				first = a.body
				wantContains(t, a, "Page not found", office, `href="/cases"`)
			} else if a.body != first {
				t.Errorf("GET %s: the 404 page differs from the first one", u)
			}
			wantNotContains(t, a, "Eviction defense", "HOU-2026-0317", "Lucía")
		}
	}
	// Logged out, a case route only says: log in.
	anon := env.Browser()
	for _, p := range []string{"/cases/" + strconv.FormatUint(joseCase, 10), "/cases/999999/history", "/cases/abc/contact"} {
		wantRedirect(t, get(t, anon, env.URL+p), "/login")
	}
}

func TestLogoutEndsSession(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	l := env.Login(t, "client", amina)
	a := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	wantRedirect(t, a, "/cases")
	token := sessionCookie(a.resp, "portal_session").Value
	id := caseIDs(t, env, amina)[0]
	wantStatus(t, get(t, c, caseURL(env, id, "")), http.StatusOK)

	out := post(t, c, env.URL+"/logout", nil)
	wantRedirect(t, out, "/login")
	if ck := sessionCookie(out.resp, "portal_session"); ck == nil || ck.MaxAge >= 0 || ck.Value != "" {
		t.Errorf("logout cookie %+v, want one that clears the session cookie", ck)
	}
	if _, err := env.Server.Auth().Client(context.Background(), token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("session after logout: %v, want ErrNoSession", err)
	}
	// Replaying the old cookie does not work.
	replay := env.Browser()
	req, _ := http.NewRequest(http.MethodGet, caseURL(env, id, ""), nil)
	req.AddCookie(&http.Cookie{Name: "portal_session", Value: token})
	r := do(t, replay, req)
	wantRedirect(t, r, "/login")
	if ck := sessionCookie(r.resp, "portal_session"); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("a dead session's cookie is not cleared: %+v", ck)
	}
	// Logging out again without a session is harmless.
	wantRedirect(t, post(t, env.Browser(), env.URL+"/logout", nil), "/login")
}

func TestLoginRotatesSession(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	l := env.Login(t, "client", amina)
	first := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	old := sessionCookie(first.resp, "portal_session").Value
	second := post(t, c, env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	wantRedirect(t, second, "/cases")
	now := sessionCookie(second.resp, "portal_session").Value
	if now == old || now == "" {
		t.Fatal("the session token did not change at login")
	}
	if _, err := env.Server.Auth().Client(context.Background(), old); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("the replaced session still works: %v", err)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	c := login(t, env, amina)
	wantRedirect(t, get(t, c, env.URL+"/"), "/cases")
	env.Clock.Advance(31 * time.Minute)
	a := get(t, c, env.URL+"/cases")
	wantRedirect(t, a, "/login")
	if ck := sessionCookie(a.resp, "portal_session"); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("expired session's cookie not cleared: %+v", ck)
	}
}

func TestStaticFiles(t *testing.T) {
	env := servertest.Start(t)
	c := env.Browser()
	lp := get(t, c, env.URL+"/login")
	m := regexp.MustCompile(`href="(/static/portal\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(lp.body)
	if m == nil {
		t.Fatal("the login page links no versioned style sheet")
	}
	css := get(t, c, env.URL+m[1])
	wantStatus(t, css, http.StatusOK)
	if ct := css.resp.Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	etag := css.resp.Header.Get("ETag")
	if etag == "" || !strings.Contains(css.resp.Header.Get("Cache-Control"), "max-age=31536000") {
		t.Errorf("ETag %q, Cache-Control %q", etag, css.resp.Header.Get("Cache-Control"))
	}
	wantContains(t, css, ".tabs__link", ":focus-visible")
	wantStatus(t, get(t, c, env.URL+"/static/portal.css", "If-None-Match", etag), http.StatusNotModified)
	logo := get(t, c, env.URL+"/static/logo.svg")
	wantStatus(t, logo, http.StatusOK)
	if ct := logo.resp.Header.Get("Content-Type"); ct != "image/svg+xml" {
		t.Errorf("logo Content-Type %q", ct)
	}
	for _, p := range []string{"/static/nope.css", "/static/..%2fportal.go", "/static/"} {
		if a := get(t, c, env.URL+p); a.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, a.status)
		}
	}
}

// TestPagesAreAccessibleAndScriptFree checks what every page shares: the
// office's name, a language attribute, landmarks, a skip link, the language
// switcher, and no script or inline style (the CSP forbids both).
func TestPagesAreAccessibleAndScriptFree(t *testing.T) {
	env := servertest.Start(t)
	anon := env.Browser()
	c := login(t, env, jose)
	id := caseIDs(t, env, jose)[0]
	pages := map[string]answer{
		"login":    get(t, anon, env.URL+"/login"),
		"cases":    get(t, c, env.URL+"/cases"),
		"status":   get(t, c, caseURL(env, id, "")),
		"history":  get(t, c, caseURL(env, id, "history")),
		"contact":  get(t, c, caseURL(env, id, "contact")),
		"messages": get(t, c, caseURL(env, id, "messages")),
		"404":      get(t, c, env.URL+"/cases/999999"),
	}
	inline := regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=|javascript:`)
	// The scripts a page may have: the live script's file, deferred (and on
	// the login page the passkey script's, account.go).
	liveScript := regexp.MustCompile(`<script src="/static/(live|passkey)\.js\?v=[0-9a-f]{16}" defer></script>`)
	for name, a := range pages {
		a.body = liveScript.ReplaceAllString(a.body, "")
		for _, want := range []string{`<html lang="`, office, `<header class="masthead">`, `<main `, `id="main"`, `<footer`,
			`class="skip-link" href="#main"`, `action="/language"`, `<meta name="viewport"`, `<title>`} {
			if !strings.Contains(a.body, want) {
				t.Errorf("%s page lacks %q", name, want)
			}
		}
		if m := inline.FindString(a.body); m != "" {
			t.Errorf("%s page has %q", name, m)
		}
		// Everything above <main> is inside the banner landmark, the
		// "signed in as" bar too (axe: region).
		head, _, _ := strings.Cut(a.body, "<main ")
		_, head, _ = strings.Cut(head, `<a class="skip-link" href="#main">`)
		inside, after, ok := strings.Cut(head, "</header>")
		if !ok || strings.TrimSpace(after) != "" {
			t.Errorf("%s page has content between the header landmark and main: %q", name, after)
		}
		if name != "login" && !strings.Contains(inside, `class="signed-in__name"`) {
			t.Errorf("%s page: the signed-in bar is not inside the header landmark", name)
		}
		if csp := a.resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s page CSP %q", name, csp)
		}
		if cc := a.resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s page Cache-Control %q, want no-store", name, cc)
		}
	}
	for _, name := range []string{"status", "history", "contact", "messages"} {
		a := pages[name]
		if !strings.Contains(a.body, `<nav class="tabs" id="case-tabs" data-live-part aria-label="`) || strings.Count(a.body, `aria-current="page"`) != 1 {
			t.Errorf("%s page: want a labelled tab nav with one aria-current tab", name)
		}
	}
	// Every input has a label.
	for _, id := range []string{"email", "password"} {
		if !strings.Contains(pages["login"].body, `for="`+id+`"`) {
			t.Errorf("login input %s has no label", id)
		}
	}
	if !strings.Contains(pages["messages"].body, `<label class="field__label" for="body">`) {
		t.Errorf("the message box has no label")
	}
}

// TestEmptyStates: a case with no status and no advocate yet, and a client
// with no case yet, get friendly pages, not empty boxes.
func TestEmptyStates(t *testing.T) {
	env := servertest.Start(t)
	pw := env.Login(t, "client", amina).Password
	var newCase uint64
	err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		a, err := tx.ClientByEmail(amina)
		if err != nil {
			return err
		}
		c := store.Case{Number: "IMM-2026-0999", Title: "Travel document", ClientIDs: []uint64{a.ID}, Kind: store.KindStaff}
		if err := tx.PutCase(&c); err != nil {
			return err
		}
		newCase = c.ID
		hash, err := env.Server.Auth().Hasher().Hash(pw)
		if err != nil {
			return err
		}
		n := store.Client{Name: "Nadia Novak", Email: "nadia@example.org", Language: "en",
			Access: store.PortalAccess{PasswordHash: hash, AllowedToLogOn: true}}
		return tx.PutClient(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	c := login(t, env, amina)
	picker := get(t, c, env.URL+"/cases")
	wantStatus(t, picker, http.StatusOK)
	wantContains(t, picker, "Travel document", "No status yet", "Asylum application", "Hearing scheduled")
	status := get(t, c, caseURL(env, newCase, ""))
	wantStatus(t, status, http.StatusOK)
	wantContains(t, status, "No status yet", "The office will post them here", "No one has been assigned to your case yet", `href="/cases"`)
	history := get(t, c, caseURL(env, newCase, "history"))
	wantContains(t, history, "Your case has no updates yet")
	wantNotContains(t, history, `<ol class="timeline">`)
	contact := get(t, c, caseURL(env, newCase, "contact"))
	wantContains(t, contact, "No one has been assigned to your case yet", `href="tel:+15550100"`)

	n := env.Browser()
	wantRedirect(t, post(t, n, env.URL+"/login", url.Values{"email": {"nadia@example.org"}, "password": {pw}}), "/cases")
	none := get(t, n, env.URL+"/cases")
	wantStatus(t, none, http.StatusOK)
	wantContains(t, none, "There are no cases to show yet")
}

func TestLanguageBadInput(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	before := len(auditLog(t, env))
	wantStatus(t, postBody(t, c, env.URL+"/language", "lang=es%ff&next=/cases"), http.StatusBadRequest)
	wantStatus(t, postBody(t, c, env.URL+"/language", "lang=es&next=%2Fcases%ff"), http.StatusBadRequest)
	wantStatus(t, postBody(t, c, env.URL+"/language", "lang=es&next="+strings.Repeat("a", 20<<10)), http.StatusRequestEntityTooLarge)
	if after := len(auditLog(t, env)); after != before {
		t.Errorf("audit log grew from %d to %d on bad input", before, after)
	}
	if lang := readClient(t, env, amina).Language; lang != "en" {
		t.Errorf("language changed to %q by bad input", lang)
	}
}
