package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// send makes one request with the given headers and returns the answer with
// its body read.
func send(t *testing.T, env *servertest.Env, method, path, body string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, env.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := env.Browser().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(data)
}

// TestAPIErrorsAreJSON: whatever refuses a request under /api/ (no route, a
// wrong method, the cross-origin check), the answer is the API's JSON error
// that a program can read.
func TestAPIErrorsAreJSON(t *testing.T) {
	env := servertest.Start(t)
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example", "Content-Type": "application/json"}
	for _, tt := range []struct {
		name, method, path string
		headers            map[string]string
		status             int
		code, allow        string
	}{
		{"unknown route", "GET", "/api/v1/nothing", nil, 404, "no_route", ""},
		{"unknown version", "POST", "/api/v2/session", nil, 404, "no_route", ""},
		{"the bare prefix", "GET", "/api/", nil, 404, "no_route", ""},
		{"delete the client list", "DELETE", "/api/v1/clients", nil, 405, "method_not_allowed", "GET, HEAD, POST"},
		{"post to a client", "POST", "/api/v1/clients/1", nil, 405, "method_not_allowed", "GET, HEAD, PATCH"},
		{"get the session", "GET", "/api/v1/session", nil, 405, "method_not_allowed", "POST, DELETE"},
		{"put a status entry", "PUT", "/api/v1/cases/1/statuses/2", nil, 405, "method_not_allowed", "GET, HEAD"},
		{"login from another site", "POST", "/api/v1/session", crossSite, 403, "cross_origin", ""},
		{"change from another site", "PATCH", "/api/v1/clients/1", crossSite, 403, "cross_origin", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, env, tt.method, tt.path, "{}", tt.headers)
			var e api.Error
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Code != tt.code || e.Message == "" {
				t.Errorf("%s %s: body %q, want JSON with code %q and a message", tt.method, tt.path, body, tt.code)
			}
			if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s %s: %d %s, want %d JSON", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.status)
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
			}
		})
	}
}

// TestPortalWrongMethods: a portal address asked with a method it does not
// take answers 405 with Allow (GET /logout is not "no such page"); unknown
// addresses keep the portal's own 404 page, and cross-site form posts their
// plain refusal.
func TestPortalWrongMethods(t *testing.T) {
	env := servertest.Start(t)
	for _, tt := range []struct {
		method, path string
		status       int
		allow, words string
	}{
		{"GET", "/logout", 405, "POST", "takes only POST"},
		{"GET", "/language", 405, "POST", "takes only POST"},
		{"PUT", "/login", 405, "GET, HEAD, POST", "takes only GET, HEAD, POST"},
		{"DELETE", "/cases/1", 405, "GET, HEAD", ""},
		{"POST", "/healthz", 405, "GET, HEAD", ""},
		{"GET", "/no-such-page", 404, "", "Riverside Legal Aid"},
		{"POST", "/no-such-page", 404, "", "Riverside Legal Aid"},
	} {
		resp, body := send(t, env, tt.method, tt.path, "", nil)
		if resp.StatusCode != tt.status || resp.Header.Get("Allow") != tt.allow || !strings.Contains(body, tt.words) {
			t.Errorf("%s %s: %d Allow %q %q; want %d Allow %q saying %q", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Allow"), body, tt.status, tt.allow, tt.words)
		}
	}
	resp, body := send(t, env, "POST", "/login", "email=a", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example", "Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != 403 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || !strings.Contains(body, "portal's own pages") {
		t.Errorf("cross-site portal login: %d %s %q, want the plain refusal", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
