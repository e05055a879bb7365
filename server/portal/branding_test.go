package portal_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// TestBranding: an admin sets the office's colour and logo; every portal
// page links them (the status page kept in memory too), they are served
// under the CSP, and what would hurt the portal is refused with what to do.
func TestBranding(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	staff := staffClient(t, env, "marcus@riverside.example")
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	before := get(t, c, caseURL(env, id, ""))
	wantNotContains(t, before, "/branding.css")

	if _, err := staff.SetBrandColor(ctx, "#2e5e3a"); !apiclient.IsCode(err, "admin_only") {
		t.Errorf("colour by non-admin: %v", err)
	}
	if _, err := admin.SetBrandColor(ctx, "#ffcc00"); !apiclient.IsCode(err, "invalid") || !strings.Contains(err.Error(), "choose a darker colour, such as #") {
		t.Errorf("pale colour: %v", err)
	}
	if _, err := admin.SetBrandColor(ctx, "#2e5e3a"); err != nil {
		t.Fatal(err)
	}
	svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>`)
	if _, err := admin.SetLogo(ctx, svg); !apiclient.IsCode(err, "unsupported_type") {
		t.Errorf("SVG logo: %v", err)
	}
	if _, err := admin.SetLogo(ctx, make([]byte, 300<<10)); !apiclient.IsCode(err, "too_large") {
		t.Errorf("big logo: %v", err)
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 120, 40)))
	if _, err := admin.SetLogo(ctx, img.Bytes()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{caseURL(env, id, ""), caseURL(env, id, "history"), env.URL + "/account"} {
		a := get(t, c, u)
		wantContains(t, a, `<link rel="stylesheet" href="/branding.css?v=2e5e3a">`, `src="/branding/logo?v=`, `type="image/png"`)
	}
	wantContains(t, get(t, env.Browser(), env.URL+"/login"), "/branding.css?v=2e5e3a")
	css := get(t, c, env.URL+"/branding.css?v=2e5e3a")
	if css.resp.Header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css.body, "--brand:#2e5e3a") {
		t.Errorf("branding.css: %s %q", css.resp.Header.Get("Content-Type"), css.body)
	}
	logoURL := regexp.MustCompile(`src="(/branding/logo\?v=[0-9a-f]+)"`).FindStringSubmatch(get(t, c, caseURL(env, id, "")).body)[1]
	logo := get(t, env.Browser(), env.URL+logoURL)
	if logo.status != http.StatusOK || logo.resp.Header.Get("Content-Type") != "image/png" || logo.body != img.String() {
		t.Errorf("logo: %d %s", logo.status, logo.resp.Header.Get("Content-Type"))
	}
	// Back to the portal's own.
	admin.RemoveLogo(ctx)
	admin.SetBrandColor(ctx, "")
	after := get(t, c, caseURL(env, id, ""))
	wantNotContains(t, after, "/branding.css", "/branding/logo")
	if a := get(t, c, env.URL+"/branding/logo"); a.status != http.StatusNotFound {
		t.Errorf("removed logo: %d", a.status)
	}
	n := 0
	for _, e := range auditLog(t, env) {
		if e.Action == "settings.branding" || e.Action == "settings.logo" {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d branding changes audited, want 4", n)
	}
}
