package staffapi_test

import (
	"context"
	"encoding/csv"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

var nextAddr atomic.Uint32

// fromOwnAddress is an API client on its own loopback address (127.0.1.N),
// so this test's many logins have their own rate limit budget.
func fromOwnAddress(t *testing.T, env *servertest.Env) *apiclient.Client {
	t.Helper()
	n := nextAddr.Add(1)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(2+n%250))}}
	tr := env.HTTP.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = d.DialContext
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(strings.ReplaceAll(secret, " ", ""), at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestStaffSecondFactor: a staff member turns on a second factor; the API
// login then answers "second factor required" and a second call with the
// code signs in; a code is not accepted twice; wrong codes lock out; the
// office can require it of staff, and a member without one sets it up at
// login.
func TestStaffSecondFactor(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	ctx := context.Background()
	dana := env.Login(t, "staff", "dana@riverside.example")
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	admin := fromOwnAddress(t, env)
	if _, err := admin.Login(ctx, dana.Email, dana.Password); err != nil {
		t.Fatal(err)
	}
	// Requiring it of staff before having one would lock the admin out.
	yes := true
	if _, err := admin.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Staff: &yes}); !apiclient.IsCode(err, "invalid") {
		t.Errorf("require of staff without one's own: %v, want invalid", err)
	}
	key, err := admin.StartMyTwoFactor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ConfirmMyTwoFactor(ctx, "000000"); !apiclient.IsCode(err, "invalid") {
		t.Errorf("confirm with a wrong code: %v", err)
	}
	if _, err := admin.ConfirmMyTwoFactor(ctx, codeAt(t, key.Secret, env.Clock.Now())); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Staff: &yes}); err != nil {
		t.Fatal(err)
	}

	c := fromOwnAddress(t, env)
	_, err = c.Login(ctx, dana.Email, dana.Password)
	if !apiclient.IsCode(err, "second_factor_required") || !strings.Contains(err.Error(), "second-factor") {
		t.Fatalf("login: %v", err)
	}
	pending := apiclient.SecondFactorPending(err)
	// The code used to confirm is of this time step: refused again.
	if _, err := c.LoginSecondFactor(ctx, pending, codeAt(t, key.Secret, env.Clock.Now())); !apiclient.IsCode(err, "bad_code") {
		t.Errorf("replayed code: %v, want bad_code", err)
	}
	// The pending token is no session.
	forged := fromOwnAddress(t, env)
	forgedTok, _ := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithToken(pending))
	if _, err := forgedTok.Me(ctx); !apiclient.IsCode(err, "unauthorized") {
		t.Errorf("pending token as a session: %v", err)
	}
	_ = forged
	env.Clock.Advance(30 * time.Second)
	code := codeAt(t, key.Secret, env.Clock.Now())
	out, err := c.LoginSecondFactor(ctx, pending, code)
	if err != nil || out.Token == "" {
		t.Fatalf("second step: %v", err)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Errorf("Me after the second step: %v", err)
	}
	// The pending token was used up.
	if _, err := c.LoginSecondFactor(ctx, pending, code); !apiclient.IsCode(err, "bad_code") {
		t.Errorf("pending reused: %v", err)
	}
	// The same code in another login within its window: refused.
	d := fromOwnAddress(t, env)
	_, err = d.Login(ctx, dana.Email, dana.Password)
	if _, err := d.LoginSecondFactor(ctx, apiclient.SecondFactorPending(err), code); !apiclient.IsCode(err, "bad_code") {
		t.Errorf("replay in another login: %v", err)
	}

	// Marcus has none and staff must: he sets it up at login.
	m := fromOwnAddress(t, env)
	_, err = m.Login(ctx, marcus.Email, marcus.Password)
	if !apiclient.IsCode(err, "second_factor_setup_required") {
		t.Fatalf("login of staff without one: %v", err)
	}
	pending = apiclient.SecondFactorPending(err)
	mk, err := m.SecondFactorSetupKey(ctx, pending)
	if err != nil || !strings.Contains(mk.URL, "issuer=Riverside") {
		t.Fatalf("setup key: %+v %v", mk, err)
	}
	out, err = m.LoginSecondFactor(ctx, pending, codeAt(t, mk.Secret, env.Clock.Now()))
	if err != nil || len(out.RecoveryCodes) != 10 || out.Token == "" {
		t.Fatalf("set-up at login: %+v %v", out, err)
	}

	// Five wrong codes lock the account out: then even a right one fails.
	l := fromOwnAddress(t, env)
	_, err = l.Login(ctx, marcus.Email, marcus.Password)
	pending = apiclient.SecondFactorPending(err)
	for range 4 {
		if _, err := l.LoginSecondFactor(ctx, pending, "111111"); !apiclient.IsCode(err, "bad_code") {
			t.Fatalf("wrong code: %v", err)
		}
	}
	_, err = l.Login(ctx, marcus.Email, marcus.Password) // a fresh pending token: the count is the account's
	pending = apiclient.SecondFactorPending(err)
	l.LoginSecondFactor(ctx, pending, "111111")
	env.Clock.Advance(30 * time.Second)
	if _, err := l.LoginSecondFactor(ctx, pending, codeAt(t, mk.Secret, env.Clock.Now())); !apiclient.IsCode(err, "bad_code") {
		t.Errorf("right code after 5 wrong: %v, want refused (locked out)", err)
	}
	var st store.Staff
	env.Store.View(ctx, func(tx *store.Tx) (err error) { st, err = tx.StaffByEmail(marcus.Email); return err })
	if !st.LockedUntil.After(env.Clock.Now()) {
		t.Errorf("after 5 wrong codes: locked until %v", st.LockedUntil)
	}
}

// TestClientSecondFactorAdmin: staff require and reset a client's second
// factor; only an admin sets the policy; the reset is audited with how
// identity was checked, and ends the client's sessions.
func TestClientSecondFactorAdmin(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := fromOwnAddress(t, env)
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	if _, err := staff.Login(ctx, marcus.Email, marcus.Password); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := staff.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Clients: &yes}); !apiclient.IsCode(err, "admin_only") {
		t.Errorf("policy by non-admin: %v", err)
	}
	if _, err := staff.ClientTwoFactor(ctx, 9999); !apiclient.IsCode(err, "not_found") {
		t.Errorf("unknown client: %v", err)
	}
	if _, err := staff.ResetClientTwoFactor(ctx, 1, " "); !apiclient.IsCode(err, "invalid") {
		t.Errorf("reset without saying how identity was checked: %v", err)
	}
	if _, err := staff.ResetClientTwoFactor(ctx, 1, "=HYPERLINK(\"http://x\")"); err != nil {
		t.Fatal(err)
	}
	data, err := staff.AuditCSV(ctx, apiclient.AuditTrail{Client: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if last[6] != "client.two_factor_reset" || !strings.HasPrefix(last[8], "identity checked: =HYPERLINK") || last[4] != "Marcus Oyelaran" {
		t.Errorf("reset's audit row: %q", last)
	}
	// A cell that starts with = is written as text.
	if _, err := staff.UpdateClient(ctx, 1, api.ClientInput{Name: strPtr("=cmd|' /C calc'!A0")}); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.AuditCSV(ctx, apiclient.AuditTrail{Case: 1, Client: 1}); !apiclient.IsCode(err, "bad_request") {
		t.Errorf("both filters: %v", err)
	}
	if _, err := staff.AuditCSV(ctx, apiclient.AuditTrail{Case: 999}); !apiclient.IsCode(err, "not_found") {
		t.Errorf("unknown case: %v", err)
	}
	caseCSV, err := staff.AuditCSV(ctx, apiclient.AuditTrail{Case: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range mustCSV(t, caseCSV)[1:] {
		if row[7] != "case:1" && !strings.HasPrefix(row[7], "document:") {
			t.Errorf("case 1's trail holds %q", row)
		}
	}
}

func strPtr(s string) *string { return &s }

func mustCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestAuditCSVFormulaSafe: every cell a spreadsheet would run as a formula
// is exported as text.
func TestAuditCSVFormulaSafe(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	err := env.Store.Update(ctx, func(tx *store.Tx) error {
		for _, d := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "safe"} {
			if err := tx.Audit(store.AuditEntry{ActorKind: "staff", ActorName: d, Action: d, Target: "client:1", Detail: d}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	staff := fromOwnAddress(t, env)
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	staff.Login(ctx, marcus.Email, marcus.Password)
	data, err := staff.AuditCSV(ctx, apiclient.AuditTrail{Client: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, row := range mustCSV(t, data)[1:] {
		for _, i := range []int{4, 6, 8} {
			if c := row[i]; c != "" && strings.ContainsRune("=+-@\t", rune(c[0])) {
				t.Errorf("cell %q would run as a formula", c)
			}
		}
		if row[8] == "'=1+1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the =1+1 entry was not exported as '=1+1:\n%s", data)
	}
}

// TestCodeRaceOneWinner: the same code, and the same recovery code, sent at
// once by many waiting logins (each from its own address) sign in exactly
// one of them: the time step and the recovery code are used up inside the
// transaction that opens the session.
func TestCodeRaceOneWinner(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	ctx := context.Background()
	dana := env.Login(t, "staff", "dana@riverside.example")
	a := fromOwnAddress(t, env)
	if _, err := a.Login(ctx, dana.Email, dana.Password); err != nil {
		t.Fatal(err)
	}
	key, _ := a.StartMyTwoFactor(ctx)
	codes, err := a.ConfirmMyTwoFactor(ctx, codeAt(t, key.Secret, env.Clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(30 * time.Second)
	const n = 8
	for _, code := range []string{codeAt(t, key.Secret, env.Clock.Now()), codes.RecoveryCodes[0]} {
		clients := make([]*apiclient.Client, n)
		pendings := make([]string, n)
		for i := range clients {
			clients[i] = fromOwnAddress(t, env)
			_, err := clients[i].Login(ctx, dana.Email, dana.Password)
			if pendings[i] = apiclient.SecondFactorPending(err); pendings[i] == "" {
				t.Fatalf("login %d: %v", i, err)
			}
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := clients[i].LoginSecondFactor(ctx, pendings[i], code); err == nil {
					wins.Add(1)
				} else if !apiclient.IsCode(err, "bad_code") {
					t.Errorf("login %d: %v", i, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if w := wins.Load(); w != 1 {
			t.Errorf("code %q signed in %d of %d concurrent logins, want 1", code, w, n)
		}
		// The losers' wrong codes counted: clear them for the next round.
		env.Store.Update(ctx, func(tx *store.Tx) error {
			s, _ := tx.StaffByEmail(dana.Email)
			s.Lockout = store.Lockout{}
			return tx.PutStaff(&s)
		})
	}
}
