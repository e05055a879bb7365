package apiclient_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(strings.ReplaceAll(secret, " ", ""), at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// securityCalls calls the account security routes for TestEveryRoute.
func securityCalls(t *testing.T, env *servertest.Env, rec *calls, admin, staff *apiclient.Client) {
	t.Helper()
	ctx := context.Background()
	amina := env.Login(t, "client", "amina@example.org")
	var aminaID uint64
	env.Store.View(ctx, func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(amina.Email)
		aminaID = c.ID
		return err
	})
	if st := must[api.TwoFactorState](t, "MyTwoFactor")(staff.MyTwoFactor(ctx)); st.On {
		t.Errorf("MyTwoFactor = %+v", st)
	}
	key := must[api.TwoFactorKey](t, "StartMyTwoFactor")(staff.StartMyTwoFactor(ctx))
	if !strings.HasPrefix(key.URL, "otpauth://totp/") {
		t.Errorf("StartMyTwoFactor = %+v", key)
	}
	codes := must[api.RecoveryCodes](t, "ConfirmMyTwoFactor")(staff.ConfirmMyTwoFactor(ctx, totpCode(t, key.Secret, time.Now())))
	if len(codes.RecoveryCodes) != 10 {
		t.Errorf("ConfirmMyTwoFactor = %+v", codes)
	}
	// The next login needs the second factor.
	again := newClient(t, env, rec)
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	_, err := again.Login(ctx, marcus.Email, marcus.Password)
	pending := apiclient.SecondFactorPending(err)
	if pending == "" || again.Token() != "" {
		t.Fatalf("Login with a second factor on: %v; want second_factor_required with a pending token", err)
	}
	if _, err := again.SecondFactorSetupKey(ctx, pending); !apiclient.IsCode(err, "invalid") {
		t.Errorf("SecondFactorSetupKey of a login that needs a code: %v, want invalid (code is required)", err)
	}
	out := must[api.LoginResponse](t, "LoginSecondFactor")(again.LoginSecondFactor(ctx, pending, codes.RecoveryCodes[0]))
	if out.Token == "" || again.Token() != out.Token {
		t.Errorf("LoginSecondFactor = %+v", out)
	}
	pol := must[api.TwoFactorPolicy](t, "TwoFactorPolicy")(admin.TwoFactorPolicy(ctx))
	if *pol.Clients || *pol.Staff {
		t.Errorf("TwoFactorPolicy = %+v", pol)
	}
	yes := true
	if pol := must[api.TwoFactorPolicy](t, "PutTwoFactorPolicy")(admin.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Clients: &yes})); !*pol.Clients || *pol.Staff {
		t.Errorf("PutTwoFactorPolicy = %+v", pol)
	}
	no := false
	admin.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Clients: &no})
	if st := must[api.TwoFactorState](t, "SetClientTwoFactorRequired")(staff.SetClientTwoFactorRequired(ctx, aminaID, true)); !st.Required || !st.RequiredByStaff {
		t.Errorf("SetClientTwoFactorRequired = %+v", st)
	}
	if st := must[api.TwoFactorState](t, "ClientTwoFactor")(staff.ClientTwoFactor(ctx, aminaID)); !st.RequiredByStaff {
		t.Errorf("ClientTwoFactor = %+v", st)
	}
	if st := must[api.TwoFactorState](t, "ResetClientTwoFactor")(staff.ResetClientTwoFactor(ctx, aminaID, "called back on the number on file")); st.On {
		t.Errorf("ResetClientTwoFactor = %+v", st)
	}
	staff.SetClientTwoFactorRequired(ctx, aminaID, false)
	data := must[[]byte](t, "AuditCSV")(staff.AuditCSV(ctx, apiclient.AuditTrail{Client: aminaID}))
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][6] != "action" {
		t.Fatalf("AuditCSV: %v, %q", err, data)
	}
	if last := rows[len(rows)-1]; last[6] != "client.two_factor_required" {
		t.Errorf("AuditCSV's last row = %q", last)
	}
	securityCallsMore(t, env, rec, admin, staff, aminaID)
}
