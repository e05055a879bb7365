package apiclient_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 64))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// securityCallsMore calls the preview and branding routes for TestEveryRoute.
func securityCallsMore(t *testing.T, env *servertest.Env, rec *calls, admin, staff *apiclient.Client, clientID uint64) {
	t.Helper()
	ctx := context.Background()
	link := must[api.PreviewLink](t, "PreviewClient")(staff.PreviewClient(ctx, clientID))
	if !strings.HasPrefix(link.URL, env.URL+"/preview/") {
		t.Errorf("PreviewClient = %+v", link)
	}
	if b := must[api.Branding](t, "Branding")(staff.Branding(ctx)); b.OfficeName != "Riverside Legal Aid" || b.Logo || b.Color != "" {
		t.Errorf("Branding = %+v", b)
	}
	if b := must[api.Branding](t, "SetBrandColor")(admin.SetBrandColor(ctx, "#2E5E3A")); b.Color != "#2e5e3a" {
		t.Errorf("SetBrandColor = %+v", b)
	}
	if b := must[api.Branding](t, "SetLogo")(admin.SetLogo(ctx, testPNG(t))); !b.Logo || b.LogoType != "image/png" || b.LogoURL == "" {
		t.Errorf("SetLogo = %+v", b)
	}
	if b := must[api.Branding](t, "RemoveLogo")(admin.RemoveLogo(ctx)); b.Logo {
		t.Errorf("RemoveLogo = %+v", b)
	}
	if s := must[api.BrandingSnippet](t, "BrandingSnippet")(staff.BrandingSnippet(ctx)); !strings.Contains(s.HTML, `href="`+env.URL+`/login"`) || !strings.Contains(s.HTML, "#2e5e3a") {
		t.Errorf("BrandingSnippet = %+v", s)
	}
	admin.SetBrandColor(ctx, "")
	me := must[api.Staff](t, "Me")(staff.Me(ctx))
	if st := must[api.TwoFactorState](t, "ResetStaffTwoFactor")(admin.ResetStaffTwoFactor(ctx, me.ID, "in person at the office")); st.On {
		t.Errorf("ResetStaffTwoFactor = %+v", st)
	}
	if _, err := staff.Me(ctx); !apiclient.IsCode(err, "unauthorized") {
		t.Errorf("the reset staff member's session: %v, want ended", err)
	}
	// Signing in again needs only the password now.
	l := env.Login(t, "staff", me.Email)
	must[api.LoginResponse](t, "Login after the reset")(staff.Login(ctx, l.Email, l.Password))
}
