package staffapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

// The mail settings: admins change them (validated, audited), staff read
// them, and nobody reads the password back.
func TestMailSettings(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	staff := staffClient(t, env, "marcus@riverside.example")

	def := ok[api.MailSettings](t, "MailSettings")(staff.MailSettings(ctx))
	if def.Host != "" || def.Port != 587 || def.Security != "starttls" || def.ClientMessageAlerts != "advocate" || !def.Notify.Status || !def.Notify.Messages {
		t.Errorf("default mail settings %+v", def)
	}
	_, err := staff.PutMailSettings(ctx, api.MailSettingsInput{Host: ptr("smtp.example.org")})
	wantCode(t, "PutMailSettings as staff", err, 403, "admin_only")

	const secret = "Smtp-Password-Never-Shown"
	m := ok[api.MailSettings](t, "PutMailSettings")(admin.PutMailSettings(ctx, api.MailSettingsInput{Host: ptr("smtp.example.org"), Port: ptr(465),
		Security: ptr("tls"), Username: ptr("portal"), Password: ptr(secret), From: ptr("Portal@Riverside.example")}))
	if !m.PasswordSet || m.From != "portal@riverside.example" || m.Security != "tls" || m.Port != 465 {
		t.Errorf("PutMailSettings = %+v", m)
	}
	// Fields left out keep their value, the password too.
	m = ok[api.MailSettings](t, "PutMailSettings")(admin.PutMailSettings(ctx, api.MailSettingsInput{ClientMessageAlerts: ptr("all_staff")}))
	if !m.PasswordSet || m.Host != "smtp.example.org" || m.ClientMessageAlerts != "all_staff" {
		t.Errorf("PutMailSettings of one field = %+v", m)
	}
	c := login(t, env, "dana@riverside.example")
	for _, path := range []string{"/api/v1/settings/mail", "/api/v1/settings", "/api/v1/audit"} {
		if _, body := c.do("GET", path, nil); strings.Contains(string(body), secret) {
			t.Errorf("GET %s shows the mail password", path)
		}
	}
	// "" clears it.
	m = ok[api.MailSettings](t, "PutMailSettings")(admin.PutMailSettings(ctx, api.MailSettingsInput{Password: ptr("")}))
	if m.PasswordSet {
		t.Error("password \"\" kept the password")
	}
	audit := ok[api.Page[api.AuditEntry]](t, "Audit")(admin.Audit(ctx, apiclient.AuditOptions{Limit: 1}))
	if a := audit.Items[0]; a.Action != "settings.mail" || a.Detail != "fields: password" {
		t.Errorf("audit %+v", a)
	}
}

func TestMailSettingsBadInputChangesNothing(t *testing.T) {
	env := servertest.Start(t)
	admin := login(t, env, "dana@riverside.example")
	for _, tc := range []struct {
		body  string
		field string
	}{
		{`{"host":"smtp.example.org:587"}`, "host"},
		{`{"host":"smtp example.org"}`, "host"},
		{`{"host":"smtp.example.org"}`, "from"}, // a server needs a sender
		{`{"port":0}`, "port"},
		{`{"port":70000}`, "port"},
		{`{"security":"ssl"}`, "security"},
		{`{"from":"not an address"}`, "from"},
		{`{"office_address":"x@"}`, "office_address"},
		{`{"client_message_alerts":"everyone"}`, "client_message_alerts"},
		{`{"client_message_alerts":"office"}`, "office_address"},
		{`{"username":"line\nbreak"}`, "username"},
		{`{"password":"bell\u0007"}`, "password"},
		{`{"notify":{"status":"yes"}}`, "notify.status"},
	} {
		before := snapshot(t, env.Store)
		status, body := admin.do("PUT", "/api/v1/settings/mail", tc.body)
		var e api.Error
		json.Unmarshal(body, &e)
		if status/100 != 4 || e.Field != tc.field || e.Message == "" {
			t.Errorf("PUT %s: %d %s, want a 4xx naming %s", tc.body, status, body, tc.field)
		}
		if snapshot(t, env.Store) != before {
			t.Errorf("PUT %s changed the store", tc.body)
		}
	}
	// Test email: admin only, a real address, and a server to send through.
	staff := login(t, env, "marcus@riverside.example")
	if status, _ := staff.do("POST", "/api/v1/settings/mail/test", `{"to":"x@example.org"}`); status != http.StatusForbidden {
		t.Errorf("test email as staff: %d, want 403", status)
	}
	if status, body := admin.do("POST", "/api/v1/settings/mail/test", `{"to":"nobody"}`); status != 422 || !strings.Contains(string(body), `"to"`) {
		t.Errorf("test email to a bad address: %d %s", status, body)
	}
	if status, body := admin.do("POST", "/api/v1/settings/mail/test", `{"to":"x@example.org"}`); status != 422 || !strings.Contains(string(body), "mail server") {
		t.Errorf("test email without a server: %d %s", status, body)
	}
	if status, body := staff.do("GET", "/api/v1/outbox?state=lost", nil); status != 400 || !strings.Contains(string(body), "state") {
		t.Errorf("outbox?state=lost: %d %s", status, body)
	}
}

// Every staff member turns their own client-message alerts off and on;
// admins can too, through the staff PATCH.
func TestOwnMailAlerts(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	staff := staffClient(t, env, "marcus@riverside.example")
	me := ok[api.Staff](t, "UpdateMe")(staff.UpdateMe(ctx, api.MeInput{MailAlerts: ptr(false)}))
	if me.MailAlerts {
		t.Error("UpdateMe mail_alerts false: still on")
	}
	var s store.Staff
	env.Store.View(ctx, func(tx *store.Tx) (err error) { s, err = tx.Staff(me.ID); return err })
	if !s.AlertsOff {
		t.Error("alerts off not stored")
	}
	if got := ok[api.Staff](t, "UpdateStaff")(admin.UpdateStaff(ctx, me.ID, api.StaffInput{MailAlerts: ptr(true)})); !got.MailAlerts {
		t.Error("UpdateStaff mail_alerts true: still off")
	}
	_, err := staff.UpdateMe(ctx, api.MeInput{})
	wantCode(t, "UpdateMe without mail_alerts", err, 422, "invalid")
}

// Test emails reach a real inbox: an administrator gets a few, then one
// every ten seconds.
func TestTestEmailIsRateLimited(t *testing.T) {
	env := servertest.Start(t)
	admin := login(t, env, "dana@riverside.example")
	var last int
	for range 6 {
		last, _ = admin.do("POST", "/api/v1/settings/mail/test", `{"to":"x@example.org"}`)
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("sixth test email in a row: %d, want 429", last)
	}
}
