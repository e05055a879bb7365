package staffapi_test

import (
	"context"
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// Onboarding requests the service cannot carry out are refused with what to
// fix, and change nothing: no mail server, a client with an account or
// without the identity fact, a case created with "invite": true while no
// mail server is set, bad settings.
func TestOnboardingRefusals(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	staff := staffClient(t, env, "marcus@riverside.example")

	c := ok[api.Client](t, "CreateClient")(staff.CreateClient(ctx, api.ClientInput{Name: ptr("Lena Vogel"), Email: ptr("lena@example.org")}))
	before := snapshot(t, env.Store)
	_, err := staff.Invite(ctx, c.ID)
	wantCode(t, "Invite without a mail server", err, 409, "not_active")
	_, err = staff.InviteCases(ctx, []uint64{1})
	wantCode(t, "InviteCases without a mail server", err, 409, "not_active")
	_, err = staff.CreateCase(ctx, api.CaseInput{Number: ptr("X-1"), Title: ptr("T"), ClientIDs: &[]uint64{c.ID}, Kind: ptr("staff"),
		AdvocateID: ptr(uint64(1)), Invite: ptr(true)})
	wantCode(t, "CreateCase with invite and no mail server", err, 409, "not_active")
	_, err = staff.SendReset(ctx, 1)
	wantCode(t, "SendReset without a mail server", err, 409, "not_active")
	if snapshot(t, env.Store) != before {
		t.Fatal("refused onboarding requests changed the store")
	}

	ok[api.MailSettings](t, "PutMailSettings")(admin.PutMailSettings(ctx, api.MailSettingsInput{Host: ptr("127.0.0.1"), Port: ptr(2525), From: ptr("portal@riverside.example")}))
	before = snapshot(t, env.Store)
	_, err = staff.Invite(ctx, c.ID)
	wantCode(t, "Invite without a birth date", err, 422, "invalid")
	_, err = staff.Invite(ctx, 1) // Amina has an account
	wantCode(t, "Invite a client with an account", err, 409, "conflict")
	_, err = staff.Invite(ctx, 99999)
	wantCode(t, "Invite an unknown client", err, 404, "not_found")
	_, err = staff.SendReset(ctx, c.ID) // no account yet: invite instead
	wantCode(t, "SendReset to a client without an account", err, 409, "not_active")
	_, err = staff.InviteCases(ctx, nil)
	wantCode(t, "InviteCases of no case", err, 422, "invalid")
	_, err = staff.RevokeInvitation(ctx, c.ID)
	wantCode(t, "RevokeInvitation of none", err, 409, "not_active")
	_, err = staff.UpdateClient(ctx, c.ID, api.ClientInput{BirthDate: ptr("1990-13-01")})
	wantCode(t, "UpdateClient with a bad birth date", err, 422, "invalid")
	_, err = staff.UpdateClient(ctx, c.ID, api.ClientInput{IDLast4: ptr("12345")})
	wantCode(t, "UpdateClient with a bad id_last4", err, 422, "invalid")
	_, err = staff.UpdateCase(ctx, 1, api.CaseInput{Invite: ptr(true)})
	wantCode(t, "UpdateCase with invite", err, 422, "invalid")
	_, err = staff.PutOnboardingSettings(ctx, api.OnboardingInput{EasyLogin: ptr(true)})
	wantCode(t, "PutOnboardingSettings as staff", err, 403, "admin_only")
	for _, in := range []api.OnboardingInput{{Fact: ptr("ssn")}, {InviteExpiryHours: ptr(0)}, {ResetExpiryMinutes: ptr(1)}, {MaxAttempts: ptr(0)}} {
		_, err = admin.PutOnboardingSettings(ctx, in)
		wantCode(t, "PutOnboardingSettings out of range", err, 422, "invalid")
	}
	_, err = staff.SetTemporaryPassword(ctx, c.ID, "password")
	wantCode(t, "SetTemporaryPassword common", err, 422, "invalid")
	if snapshot(t, env.Store) != before {
		t.Fatal("refused onboarding requests changed the store")
	}

	// With the fact, the invitation goes out; the case list of who waits shows it.
	ok[api.Client](t, "UpdateClient")(staff.UpdateClient(ctx, c.ID, api.ClientInput{IDLast4: ptr(" ab12 ")}))
	ok[api.OnboardingSettings](t, "PutOnboardingSettings")(admin.PutOnboardingSettings(ctx, api.OnboardingInput{Fact: ptr("id_last4")}))
	if got := ok[api.Client](t, "Client")(staff.Client(ctx, c.ID)); got.IDLast4 != "AB12" {
		t.Errorf("id_last4 stored as %q, want AB12", got.IDLast4)
	}
	if inv := ok[api.Invitation](t, "Invite")(staff.Invite(ctx, c.ID)); inv.Invitation == nil || !inv.Invitation.Active || inv.Invitation.Sends != 1 {
		t.Errorf("Invite = %+v", inv)
	}
}
