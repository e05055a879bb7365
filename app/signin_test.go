package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(strings.ReplaceAll(secret, " ", ""), at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSecondFactorLogin: when the office requires a second factor of
// staff, the login asks for the code; a member without one sets it up
// (key as text and QR code), gets the recovery codes once, and a recovery
// code signs in later.
func TestSecondFactorLogin(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	key, err := admin.StartMyTwoFactor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ConfirmMyTwoFactor(ctx, codeAt(t, key.Secret, env.Clock.Now())); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := admin.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Staff: &yes}); err != nil {
		t.Fatal(err)
	}
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	p := pairingPanel(t, t.TempDir())
	a := p.Session

	// Set up at login.
	step, err := a.LogIn(env.URL, marcus.Email, marcus.Password, false)
	if err != nil || step.Done || step.Need != "setup" || step.SetupKey == "" || step.SetupUntil == "" {
		t.Fatalf("LogIn needing set-up = %+v, %v", step, err)
	}
	decodeQR(t, step.SetupQR)
	if _, c := p.link.connected(); c != nil {
		t.Fatal("connected before the second factor")
	}
	if _, err := a.SecondFactor("000000"); err == nil || !has(err.Error(), "could not check the code") {
		t.Errorf("a wrong code: %v", err)
	}
	if _, err := a.SecondFactor("  "); err == nil || !has(err.Error(), "enter the 6-digit code") {
		t.Errorf("no code: %v", err)
	}
	step, err = a.SecondFactor(codeAt(t, step.SetupKey, env.Clock.Now()))
	if err != nil || !step.Done || step.Office.Staff != "Marcus Oyelaran" || len(step.RecoveryCodes) != 10 {
		t.Fatalf("SecondFactor after set-up = %+v, %v", step, err)
	}
	recovery := step.RecoveryCodes[0]
	if who, err := a.Who(); err != nil || who.Staff != "Marcus Oyelaran" {
		t.Errorf("Who = %+v, %v", who, err)
	}
	if _, err := a.SecondFactor("123456"); err == nil || !has(err.Error(), "no login is waiting") {
		t.Errorf("SecondFactor with nothing pending: %v", err)
	}
	if err := a.Logout(); err != nil {
		t.Fatal(err)
	}

	// Next time: the code, here a recovery code.
	env.Clock.Advance(30 * time.Second)
	step, err = a.LogIn(env.URL, marcus.Email, marcus.Password, false)
	if err != nil || step.Need != "code" || step.SetupKey != "" {
		t.Fatalf("LogIn with a second factor = %+v, %v", step, err)
	}
	step, err = a.SecondFactor(recovery)
	if err != nil || !step.Done || len(step.RecoveryCodes) != 0 {
		t.Fatalf("SecondFactor with a recovery code = %+v, %v", step, err)
	}
	// Connect (no second step) says where to log in instead of half-failing.
	if _, err := New("test").Session.Connect(env.URL, marcus.Email, marcus.Password); err == nil || !has(err.Error(), "needs its second factor") {
		t.Errorf("Connect of an account with a second factor: %v", err)
	}
}
