package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

var loginCtx = context.Background()

// from is an HTTP client whose connections come from the loopback address ip
// (any of 127.0.0.0/8 works on Linux), so tests can be many addresses.
func fromIP(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type httpReply struct {
	status int
	header http.Header
	body   string
}

func roundTrip(t testing.TB, c *http.Client, method, u, contentType, body, token string) httpReply {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return httpReply{resp.StatusCode, resp.Header, string(data)}
}

func portalLoginFrom(t testing.TB, c *http.Client, env *servertest.Env, email, pw string) httpReply {
	t.Helper()
	return roundTrip(t, c, "POST", env.URL+"/login", "application/x-www-form-urlencoded", url.Values{"email": {email}, "password": {pw}}.Encode(), "")
}

func apiLoginFrom(t testing.TB, c *http.Client, env *servertest.Env, email, pw string) httpReply {
	t.Helper()
	body, _ := json.Marshal(api.LoginRequest{Email: email, Password: pw})
	return roundTrip(t, c, "POST", env.URL+"/api/v1/session", "application/json", string(body), "")
}

func staffTokenFrom(t *testing.T, env *servertest.Env, ip, email string) string {
	t.Helper()
	l := env.Login(t, "staff", email)
	r := apiLoginFrom(t, fromIP(ip), env, l.Email, l.Password)
	if r.status != http.StatusCreated {
		t.Fatalf("staff login %s: %d %s", email, r.status, r.body)
	}
	var resp api.LoginResponse
	if err := json.Unmarshal([]byte(r.body), &resp); err != nil {
		t.Fatal(err)
	}
	return resp.Token
}

func auditEntries(t *testing.T, env *servertest.Env) []store.AuditEntry {
	t.Helper()
	var out []store.AuditEntry
	if err := env.Store.View(loginCtx, func(tx *store.Tx) (err error) { out, err = tx.AuditLog(0, 1<<20); return err }); err != nil {
		t.Fatal(err)
	}
	return out
}

func countActions(entries []store.AuditEntry, action string) int {
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

// sessionsOf counts the stored sessions of one account (in a transaction
// rolled back afterwards).
func sessionsOf(t *testing.T, env *servertest.Env, kind store.SessionKind, id uint64) int {
	t.Helper()
	var n int
	rollback := errors.New("rollback")
	err := env.Store.Update(loginCtx, func(tx *store.Tx) (err error) {
		if n, err = tx.DeleteSessionsOf(kind, id); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	return n
}

// TestClientAndStaffLoginsHaveSeparateBudgets: client typos from the office's
// own address do not lock staff out of the API.
func TestClientAndStaffLoginsHaveSeparateBudgets(t *testing.T) {
	env := servertest.Start(t)
	office := fromIP("127.0.0.1")
	var last httpReply
	for range 11 {
		last = portalLoginFrom(t, office, env, "amina@example.org", "typo")
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("11th client login from one address: %d, want 429", last.status)
	}
	staffTokenFrom(t, env, "127.0.0.1", "dana@riverside.example")
}

// TestRateLimitRetryAfterComesFromTheLimiter: the 429's Retry-After is how
// long until the address's next attempt is allowed, not a constant.
func TestRateLimitRetryAfterComesFromTheLimiter(t *testing.T) {
	env := servertest.Start(t)
	c := fromIP("127.0.0.3")
	for range 10 {
		portalLoginFrom(t, c, env, "amina@example.org", "typo")
		apiLoginFrom(t, c, env, "dana@riverside.example", "typo")
	}
	time.Sleep(1500 * time.Millisecond)
	for _, r := range []httpReply{portalLoginFrom(t, c, env, "amina@example.org", "typo"), apiLoginFrom(t, c, env, "dana@riverside.example", "typo")} {
		secs, err := strconv.Atoi(r.header.Get("Retry-After"))
		if r.status != http.StatusTooManyRequests || err != nil || secs < 1 || secs > 5 {
			t.Errorf("429 after 1.5 s of a 6 s refill: status %d, Retry-After %q; want 429 and 1 to 5 seconds", r.status, r.header.Get("Retry-After"))
		}
	}
}

// TestIPv6AddressesCountByTheirSlash64: every address of one /64 shares one
// login budget; another /64 has its own.
func TestIPv6AddressesCountByTheirSlash64(t *testing.T) {
	env := servertest.Start(t)
	attempt := func(path, remote string) int {
		var req *http.Request
		if path == "/login" {
			req = httptest.NewRequest("POST", path, strings.NewReader("email=amina%40example.org&password=typo"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest("POST", path, strings.NewReader(`{"email":"dana@riverside.example","password":"typo"}`))
			req.Header.Set("Content-Type", "application/json")
		}
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		env.Server.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	for _, path := range []string{"/login", "/api/v1/session"} {
		for i := range 10 {
			if got := attempt(path, fmt.Sprintf("[2001:db8:1:2::%x]:4000", i+1)); got != http.StatusUnauthorized {
				t.Fatalf("%s attempt %d: %d, want 401", path, i+1, got)
			}
		}
		if got := attempt(path, "[2001:db8:1:2:ffff:ffff:ffff:fffe]:4000"); got != http.StatusTooManyRequests {
			t.Errorf("%s: 11th attempt from the same /64: %d, want 429", path, got)
		}
		if got := attempt(path, "[2001:db8:1:3::1]:4000"); got != http.StatusUnauthorized {
			t.Errorf("%s: attempt from another /64: %d, want 401", path, got)
		}
	}
}

// TestFloodsLeaveABoundedAudit: 1,000 attempts from one address leave the
// audited attempts the limiter let through plus one entry per minute.
func TestFloodsLeaveABoundedAudit(t *testing.T) {
	env := servertest.Start(t)
	before := len(auditEntries(t, env))
	c := fromIP("127.0.0.4")
	for range 1000 {
		portalLoginFrom(t, c, env, "amina@example.org", "typo")
		apiLoginFrom(t, c, env, "dana@riverside.example", "typo")
	}
	entries := auditEntries(t, env)
	if added := len(entries) - before; added > 40 {
		t.Errorf("2,000 attempts from one address added %d audit entries; want at most 40", added)
	}
	for _, action := range []string{"client.login_rate_limited", "staff.login_rate_limited"} {
		if n := countActions(entries, action); n < 1 || n > 2 {
			t.Errorf("%d %s entries, want one (two at a minute's turn)", n, action)
		}
	}
}

// TestEveryFailedLoginIsAudited: unknown emails (recorded trimmed and
// bounded), wrong passwords, over-long input, disabled staff; never a password.
func TestEveryFailedLoginIsAudited(t *testing.T) {
	env := servertest.Start(t)
	const secret = "Sekret-Guess-4471"
	err := env.Store.Update(loginCtx, func(tx *store.Tx) error {
		s, err := tx.StaffByEmail("marcus@riverside.example")
		if err != nil {
			return err
		}
		s.Disabled = true
		return tx.PutStaff(&s)
	})
	if err != nil {
		t.Fatal(err)
	}
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	long := strings.Repeat("x", 240) + "@example.org"
	tests := []struct {
		name, action, detail string
		try                  func() httpReply
	}{
		{"unknown client email", "client.login_failed", `unknown email "nobody@example.org"`,
			func() httpReply { return portalLoginFrom(t, fromIP("127.0.0.5"), env, "  nobody@example.org ", secret) }},
		{"long unknown email", "client.login_failed", `unknown email "` + strings.Repeat("x", 100) + `…"`,
			func() httpReply { return portalLoginFrom(t, fromIP("127.0.0.5"), env, long, secret) }},
		{"wrong client password", "client.login_failed", "bad password (1 of 5)",
			func() httpReply { return portalLoginFrom(t, fromIP("127.0.0.5"), env, "amina@example.org", secret) }},
		{"over-long password", "client.login_failed", "longer than any account's",
			func() httpReply {
				return portalLoginFrom(t, fromIP("127.0.0.5"), env, "amina@example.org", strings.Repeat("ab", password.MaxLength))
			}},
		{"unknown staff email", "staff.login_failed", `unknown email "nobody@riverside.example"`,
			func() httpReply { return apiLoginFrom(t, fromIP("127.0.0.5"), env, "nobody@riverside.example", secret) }},
		{"disabled staff, right password", "staff.login_refused", "account disabled",
			func() httpReply { return apiLoginFrom(t, fromIP("127.0.0.5"), env, marcus.Email, marcus.Password) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.try(); r.status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", r.status)
			}
			last := auditEntries(t, env)[0]
			if last.Action != tt.action || !strings.Contains(last.Detail, tt.detail) || last.IP != "127.0.0.5" {
				t.Errorf("last audit entry %+v; want %s with %q from 127.0.0.5", last, tt.action, tt.detail)
			}
		})
	}
	for _, e := range auditEntries(t, env) {
		if data, _ := json.Marshal(e); bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(marcus.Password)) {
			t.Errorf("a password is in the audit log: %s", data)
		}
	}
}

// TestStaffLoginRacingAPasswordResetKeepsNoSession: logins with the old
// password, in flight while an administrator sets a new one, must not leave a
// session behind.
func TestStaffLoginRacingAPasswordResetKeepsNoSession(t *testing.T) {
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) {
		// A costlier hash keeps many logins between their check and their write.
		c.Hasher = password.Hasher{Params: password.Params{Memory: 8 << 10, Time: 2, Threads: 1}}
	}))
	admin := staffTokenFrom(t, env, "127.0.0.1", "dana@riverside.example")
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	var marcusID uint64
	env.Store.View(loginCtx, func(tx *store.Tx) error { s, err := tx.StaffByEmail(marcus.Email); marcusID = s.ID; return err })

	var mu sync.Mutex
	var tokens []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 20 {
		c := fromIP(fmt.Sprintf("127.0.1.%d", i+1))
		wg.Go(func() {
			for range 10 { // the address's whole login budget
				select {
				case <-stop:
					return
				default:
				}
				r := apiLoginFrom(t, c, env, marcus.Email, marcus.Password)
				if r.status == http.StatusCreated {
					var resp api.LoginResponse
					json.Unmarshal([]byte(r.body), &resp)
					mu.Lock()
					tokens = append(tokens, resp.Token)
					mu.Unlock()
				}
			}
		})
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		mu.Lock()
		n := len(tokens)
		mu.Unlock()
		if n >= 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d logins with the right password succeeded in 30 s", n)
		}
		time.Sleep(time.Millisecond)
	}
	r := roundTrip(t, fromIP("127.0.0.1"), "PATCH", fmt.Sprintf("%s/api/v1/staff/%d", env.URL, marcusID), "application/json",
		`{"password":"copper kettle morning drizzle"}`, admin)
	if r.status != http.StatusOK {
		t.Fatalf("set password: %d %s", r.status, r.body)
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	valid := 0
	for _, tok := range tokens {
		if r := roundTrip(t, fromIP("127.0.0.1"), "GET", env.URL+"/api/v1/me", "", "", tok); r.status != http.StatusUnauthorized {
			valid++
		}
	}
	if n := sessionsOf(t, env, store.SessionStaff, marcusID); valid > 0 || n > 0 {
		t.Errorf("after the password reset: %d of %d old-password tokens still work, %d sessions stored; want none", valid, len(tokens), n)
	}
}

// TestDisablingStaffEndsTheirSessionsAtOnce.
func TestDisablingStaffEndsTheirSessionsAtOnce(t *testing.T) {
	env := servertest.Start(t)
	admin := staffTokenFrom(t, env, "127.0.0.1", "dana@riverside.example")
	marcus := staffTokenFrom(t, env, "127.0.0.1", "marcus@riverside.example")
	var me api.Staff
	r := roundTrip(t, fromIP("127.0.0.1"), "GET", env.URL+"/api/v1/me", "", "", marcus)
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &me) != nil {
		t.Fatalf("me: %d %s", r.status, r.body)
	}
	if r := roundTrip(t, fromIP("127.0.0.1"), "PATCH", fmt.Sprintf("%s/api/v1/staff/%d", env.URL, me.ID), "application/json", `{"disabled":true}`, admin); r.status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	if r := roundTrip(t, fromIP("127.0.0.1"), "GET", env.URL+"/api/v1/me", "", "", marcus); r.status != http.StatusUnauthorized {
		t.Errorf("disabled staff member's token: %d, want 401", r.status)
	}
	if n := sessionsOf(t, env, store.SessionStaff, me.ID); n != 0 {
		t.Errorf("%d sessions of the disabled staff member still stored", n)
	}
}

// TestBusyHashingAnswers503: when the hashing budget stays full for the
// whole wait, logins (unknown emails too: they hash like known ones) are
// refused with 503 and Retry-After, and the refusal is audited once.
func TestBusyHashingAnswers503(t *testing.T) {
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) {
		c.Hasher = password.Hasher{Params: password.Params{Memory: 8 << 10, Time: 8, Threads: 1}}
		c.HashMemory = 8 << 20 // one hash at a time
		c.HashWait = 10 * time.Millisecond
	}))
	admin := staffTokenFrom(t, env, "127.0.0.1", "dana@riverside.example")
	var mu sync.Mutex
	got := map[string][]httpReply{}
	var wg sync.WaitGroup
	for i := range 8 {
		c := fromIP(fmt.Sprintf("127.0.2.%d", i+1))
		wg.Go(func() {
			p := portalLoginFrom(t, c, env, fmt.Sprintf("nobody%d@example.org", i), "guess")
			s := apiLoginFrom(t, c, env, fmt.Sprintf("nobody%d@riverside.example", i), "guess")
			mu.Lock()
			got["portal"] = append(got["portal"], p)
			got["api"] = append(got["api"], s)
			mu.Unlock()
		})
	}
	// Setting a password hashes too, within the same budget.
	time.Sleep(5 * time.Millisecond)
	for range 3 {
		r := roundTrip(t, fromIP("127.0.0.1"), "PUT", env.URL+"/api/v1/clients/1/password", "application/json", `{"password":"Copper-Kettle-91!Zq"}`, admin)
		if r.status == http.StatusOK {
			r.status = http.StatusUnauthorized // counted like a checked login below
		}
		mu.Lock()
		got["set password"] = append(got["set password"], r)
		mu.Unlock()
	}
	wg.Wait()
	for kind, replies := range got {
		busy := 0
		for _, r := range replies {
			switch r.status {
			case http.StatusUnauthorized:
			case http.StatusServiceUnavailable:
				busy++
				if r.header.Get("Retry-After") != "2" {
					t.Errorf("%s 503 with Retry-After %q, want 2", kind, r.header.Get("Retry-After"))
				}
				if kind != "portal" && !strings.Contains(r.body, `"code":"busy"`) {
					t.Errorf("API 503 body %s, want code busy", r.body)
				}
				if kind == "portal" && !strings.Contains(r.body, "Busy right now") {
					t.Errorf("portal 503 page does not say it is busy")
				}
			default:
				t.Errorf("%s login: %d %s", kind, r.status, r.body)
			}
		}
		if busy == 0 {
			t.Errorf("%s: no login refused as busy while eight hashed at once through a one-hash budget", kind)
		}
	}
	entries := auditEntries(t, env)
	if countActions(entries, "client.login_busy") == 0 || countActions(entries, "staff.login_busy") == 0 {
		t.Error("busy refusals not audited")
	}
}

// TestLockoutShownToStaffAndLiftedByUnlock: staff see a temporary lockout
// and an until-unlocked one, and unlocking lifts both.
func TestLockoutShownToStaffAndLiftedByUnlock(t *testing.T) {
	env := servertest.Start(t)
	admin := staffTokenFrom(t, env, "127.0.0.1", "dana@riverside.example")
	amina := env.Login(t, "client", "amina@example.org")
	var id uint64
	env.Store.View(loginCtx, func(tx *store.Tx) error { c, err := tx.ClientByEmail(amina.Email); id = c.ID; return err })
	accessURL := fmt.Sprintf("%s/api/v1/clients/%d/access", env.URL, id)
	access := func() api.Access {
		t.Helper()
		var a api.Access
		r := roundTrip(t, fromIP("127.0.0.1"), "GET", accessURL, "", "", admin)
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &a) != nil {
			t.Fatalf("access: %d %s", r.status, r.body)
		}
		return a
	}
	guess := func(n int, ip string) {
		for range n {
			portalLoginFrom(t, fromIP(ip), env, amina.Email, "typo")
		}
	}
	guess(5, "127.0.3.1")
	if a := access(); a.Locked || a.LockedOut || a.LockedUntil == nil || !a.LockedUntil.After(time.Now()) || a.BadLoginAttempts != 5 {
		t.Fatalf("after 5 bad guesses: %+v; want a temporary lockout shown", a)
	}
	if r := portalLoginFrom(t, fromIP("127.0.3.2"), env, amina.Email, amina.Password); r.status != http.StatusUnauthorized {
		t.Fatalf("right password during the lockout: %d, want 401", r.status)
	}
	unlock := func() {
		t.Helper()
		if r := roundTrip(t, fromIP("127.0.0.1"), "PATCH", accessURL, "application/json", `{"locked":false}`, admin); r.status != http.StatusOK {
			t.Fatalf("unlock: %d %s", r.status, r.body)
		}
		if a := access(); a.Locked || a.LockedOut || a.LockedUntil != nil || a.BadLoginAttempts != 0 {
			t.Fatalf("after unlock: %+v", a)
		}
	}
	unlock()
	if r := portalLoginFrom(t, fromIP("127.0.3.2"), env, amina.Email, amina.Password); r.status != http.StatusSeeOther {
		t.Fatalf("right password after unlock: %d, want 303", r.status)
	}

	settings := env.URL + "/api/v1/settings"
	if r := roundTrip(t, fromIP("127.0.0.1"), "PATCH", settings, "application/json", `{"lockout_mode":"forever"}`, admin); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"field":"lockout_mode"`) {
		t.Fatalf("unknown lockout_mode: %d %s; want 422 naming the field", r.status, r.body)
	}
	var set api.Settings
	r := roundTrip(t, fromIP("127.0.0.1"), "PATCH", settings, "application/json", `{"lockout_mode":"until_unlocked"}`, admin)
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &set) != nil || set.LockoutMode != "until_unlocked" {
		t.Fatalf("set lockout_mode: %d %s", r.status, r.body)
	}
	guess(5, "127.0.3.3")
	if a := access(); a.Locked || !a.LockedOut || a.LockedUntil != nil {
		t.Fatalf("after 5 bad guesses, until_unlocked: %+v; want locked_out", a)
	}
	unlock()
	if r := portalLoginFrom(t, fromIP("127.0.3.4"), env, amina.Email, amina.Password); r.status != http.StatusSeeOther {
		t.Fatalf("right password after unlock: %d, want 303", r.status)
	}
}

// TestLoginFormTakesEveryPasswordThePolicyAccepts: a password of
// password.MaxLength characters, typed in decomposed form (as some keyboards
// send it), fits the form and logs in; one character more fails unchecked.
func TestLoginFormTakesEveryPasswordThePolicyAccepts(t *testing.T) {
	env := servertest.Start(t)
	admin := staffTokenFrom(t, env, "127.0.0.1", "dana@riverside.example")
	amina := env.Login(t, "client", "amina@example.org")
	var id uint64
	env.Store.View(loginCtx, func(tx *store.Tx) error { c, err := tx.ClientByEmail(amina.Email); id = c.ID; return err })
	var b strings.Builder
	b.WriteString("Ab1!Cd2?")
	for i := 0; b.Len() < password.MaxLength*3; i++ {
		b.WriteRune(rune(0xAC00 + (i*7919)%11172)) // Hangul syllables
	}
	pw := string([]rune(b.String())[:password.MaxLength])
	body, _ := json.Marshal(api.PasswordInput{Password: pw})
	if r := roundTrip(t, fromIP("127.0.0.1"), "PUT", fmt.Sprintf("%s/api/v1/clients/%d/password", env.URL, id), "application/json", string(body), admin); r.status != http.StatusOK {
		t.Fatalf("set a %d-character password: %d %s", password.MaxLength, r.status, r.body)
	}
	typed := norm.NFD.String(pw) // each syllable as three jamo
	page := roundTrip(t, fromIP("127.0.0.1"), "GET", env.URL+"/login", "", "", "")
	input := page.body[strings.Index(page.body, `id="password"`):]
	input = input[:strings.Index(input, ">")]
	if i := strings.Index(input, `maxlength="`); i >= 0 {
		limit, _ := strconv.Atoi(input[i+len(`maxlength="`) : i+len(`maxlength="`)+strings.Index(input[i+len(`maxlength="`):], `"`)])
		if n := len(utf16.Encode([]rune(typed))); limit < n {
			t.Errorf("the form's password maxlength is %d; a password the policy accepts is %d UTF-16 units as typed", limit, n)
		}
	}
	if r := portalLoginFrom(t, fromIP("127.0.0.7"), env, amina.Email, typed); r.status != http.StatusSeeOther {
		t.Fatalf("login with the longest accepted password (%d bytes as typed): %d", len(typed), r.status)
	}
	if r := portalLoginFrom(t, fromIP("127.0.0.7"), env, amina.Email, pw+"x"); r.status != http.StatusUnauthorized {
		t.Fatalf("login with one character more: %d, want 401", r.status)
	}
	if last := auditEntries(t, env)[0]; !strings.Contains(last.Detail, "longer than any account's") {
		t.Errorf("over-long password audited as %+v", last)
	}
}
