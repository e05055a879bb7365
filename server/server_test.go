package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"clientportal/server/servertest"
)

func get(t *testing.T, env *servertest.Env, path string) *http.Response {
	t.Helper()
	resp, err := env.Browser().Get(env.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestHealthz(t *testing.T) {
	env := servertest.Start(t)
	if resp := get(t, env, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
	env.Store.Close()
	if resp := get(t, env, "/healthz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the store closed: %d, want 503", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	for _, tls := range []bool{false, true} {
		var opts []servertest.Option
		if tls {
			opts = append(opts, servertest.WithTLS())
		}
		env := servertest.Start(t, opts...)
		for _, path := range []string{"/login", "/healthz", "/api/v1/me", "/no-such-page", "/api/v1/no-such-route", "/logout", "/static/portal.css"} {
			h := get(t, env, path).Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s CSP %q lacks %q", path, csp, want)
				}
			}
			// Script only from the service's own files, connections only to
			// itself: nothing inline, evaluated, or from elsewhere.
			if strings.Contains(csp, "unsafe-") || strings.Contains(csp, "*") ||
				strings.Count(csp, "script-src") != 1 || strings.Count(csp, "connect-src") != 1 ||
				!regexp.MustCompile(`(^|; )script-src 'self'(;|$)`).MatchString(csp) ||
				!regexp.MustCompile(`(^|; )connect-src 'self'(;|$)`).MatchString(csp) {
				t.Errorf("%s CSP %q allows more script or connections than the service's own", path, csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "no-referrer",
				// Another site's window cannot reach the portal's (opener),
				// nor embed its answers (images, scripts) in its pages.
				"Cross-Origin-Opener-Policy":   "same-origin",
				"Cross-Origin-Resource-Policy": "same-origin",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s %s = %q, want %q", path, name, got, want)
				}
			}
			// No page of the portal may use the camera, microphone, location
			// or payments, whatever a frame or injected content asks.
			pp := h.Get("Permissions-Policy")
			for _, want := range []string{"camera=()", "microphone=()", "geolocation=()", "payment=()"} {
				if !strings.Contains(pp, want) {
					t.Errorf("%s Permissions-Policy %q lacks %q", path, pp, want)
				}
			}
			if hsts := h.Get("Strict-Transport-Security"); tls != strings.HasPrefix(hsts, "max-age=") {
				t.Errorf("%s over TLS=%v: HSTS %q", path, tls, hsts)
			}
		}
	}
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	env := servertest.Start(t)
	l := env.Login(t, "staff", "")
	post := func(path, contentType, body string, headers map[string]string) int {
		req, _ := http.NewRequest("POST", env.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := env.Browser().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	apiBody := `{"email":"` + l.Email + `","password":"` + l.Password + `"}`
	form := "email=amina%40example.org&password=x"
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	oldBrowser := map[string]string{"Origin": "https://evil.example"}
	sameOrigin := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": env.URL}
	for _, tt := range []struct {
		name, path, ct, body string
		headers              map[string]string
		refused              bool
	}{
		{"portal login from another site", "/login", "application/x-www-form-urlencoded", form, crossSite, true},
		{"portal login, Origin only", "/login", "application/x-www-form-urlencoded", form, oldBrowser, true},
		{"portal logout from another site", "/logout", "application/x-www-form-urlencoded", "", crossSite, true},
		{"API login from another site", "/api/v1/session", "application/json", apiBody, crossSite, true},
		{"API login from the same origin", "/api/v1/session", "application/json", apiBody, sameOrigin, false},
		{"API login without browser headers", "/api/v1/session", "application/json", apiBody, nil, false},
	} {
		status := post(tt.path, tt.ct, tt.body, tt.headers)
		if tt.refused != (status == http.StatusForbidden) {
			t.Errorf("%s: status %d, refused want %v", tt.name, status, tt.refused)
		}
	}
}

func TestUnknownPagesGetThePortals404(t *testing.T) {
	env := servertest.Start(t)
	resp, err := env.Browser().Get(env.URL + "/no-such-page")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "Riverside Legal Aid") || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("unknown page: %d %s, want the portal's HTML 404 with the office name", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = env.Browser().Get(env.URL + "/api/v1/no-such-route")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("unknown API route: %d %s, want a JSON 404", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
