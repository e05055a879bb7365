package staffapi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// The domain settings: admins change them (normalised, audited), staff
// read the certificates' state, and every field's bad value is refused
// with what to fix, changing nothing.
func TestDomainSettings(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	staff := staffClient(t, env, "marcus@riverside.example")

	_, err := staff.PutDomainSettings(ctx, api.DomainInput{Domain: ptr("portal.riverside.example")})
	wantCode(t, "PutDomainSettings as staff", err, 403, "admin_only")
	_, err = staff.DomainSettings(ctx)
	wantCode(t, "DomainSettings as staff", err, 403, "admin_only")
	if st := ok[api.TLSStatus](t, "TLS")(staff.TLS(ctx)); st.State != api.TLSOff || st.Domain != "" {
		t.Errorf("TLS before a domain = %+v", st)
	}

	root, err := os.ReadFile(filepath.Join("..", "tlsmgr", "testdata", "root.pem"))
	if err != nil {
		t.Fatal(err)
	}
	d := ok[api.DomainSettings](t, "PutDomainSettings")(admin.PutDomainSettings(ctx, api.DomainInput{Domain: ptr(" Portal.Riverside-Law.example. "),
		ACMEEmail: ptr("IT@Riverside.example"), ACMECA: ptr("https://ca.riverside.example/acme/directory"), ACMERootPEM: ptr(string(root))}))
	if d.Domain != "portal.riverside-law.example" || d.ACMEEmail != "it@riverside.example" || d.ACMECA != "https://ca.riverside.example/acme/directory" ||
		d.ACMERootPEM != string(root) || d.PublicStaffAPI {
		t.Errorf("PutDomainSettings = %+v", d)
	}
	audit := ok[api.Page[api.AuditEntry]](t, "Audit")(admin.Audit(ctx, apiclient.AuditOptions{Limit: 1}))
	if a := audit.Items[0]; a.Action != "settings.domain" || a.Detail != "fields: domain, acme_email, acme_ca, acme_root_pem" {
		t.Errorf("audit %+v", a)
	}
	// Fields left out keep their value; "" clears the CA and the root.
	d = ok[api.DomainSettings](t, "PutDomainSettings")(admin.PutDomainSettings(ctx, api.DomainInput{ACMECA: ptr(""), ACMERootPEM: ptr(""), PublicStaffAPI: ptr(true)}))
	if d.Domain != "portal.riverside-law.example" || d.ACMEEmail != "it@riverside.example" || d.ACMECA != "" || d.ACMERootPEM != "" || !d.PublicStaffAPI {
		t.Errorf("PutDomainSettings of some fields = %+v", d)
	}

	c := login(t, env, "dana@riverside.example")
	for _, tc := range []struct {
		body  string
		field string
	}{
		{`{"domain":"https://portal.example.org"}`, "domain"},
		{`{"domain":"portal.example.org:443"}`, "domain"},
		{`{"domain":"portal.example.org/login"}`, "domain"},
		{`{"domain":"203.0.113.7"}`, "domain"},
		{`{"domain":"*.example.org"}`, "domain"},
		{`{"domain":"localhost"}`, "domain"},
		{`{"domain":"portal"}`, "domain"},
		{`{"domain":"-bad.example.org"}`, "domain"},
		{`{"domain":"bad_name.example.org"}`, "domain"},
		{`{"domain":"portál.example.org"}`, "domain"},
		{`{"domain":"` + strings.Repeat("a", 64) + `.example.org"}`, "domain"},
		{`{"acme_email":""}`, "acme_email"}, // the domain needs a contact
		{`{"acme_email":"not an address"}`, "acme_email"},
		{`{"acme_ca":"http://ca.example.org/dir"}`, "acme_ca"},
		{`{"acme_ca":"ca.example.org/dir"}`, "acme_ca"},
		{`{"acme_root_pem":"not pem"}`, "acme_root_pem"},
		{`{"acme_root_pem":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`, "acme_root_pem"},
		{`{"acme_root_pem":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}`, "acme_root_pem"},
		{`{"public_staff_api":"yes"}`, "public_staff_api"},
	} {
		before := snapshot(t, env.Store)
		status, body := c.do("PUT", "/api/v1/settings/domain", tc.body)
		var e api.Error
		json.Unmarshal(body, &e)
		if status/100 != 4 || e.Field != tc.field || e.Message == "" {
			t.Errorf("PUT %s: %d %s, want a 4xx naming %s", tc.body, status, body, tc.field)
		}
		if snapshot(t, env.Store) != before {
			t.Errorf("PUT %s changed the store", tc.body)
		}
	}
	// No domain: plain HTTP again; the email may go then.
	d = ok[api.DomainSettings](t, "PutDomainSettings")(admin.PutDomainSettings(ctx, api.DomainInput{Domain: ptr(""), ACMEEmail: ptr("")}))
	if d.Domain != "" || d.ACMEEmail != "" {
		t.Errorf("clearing the domain = %+v", d)
	}
}
