package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
)

func TestRoutesAreDistinctAndUnderTheAPI(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range api.Routes() {
		if seen[r.Pattern()] {
			t.Errorf("%s listed twice", r.Pattern())
		}
		seen[r.Pattern()] = true
		if !strings.HasPrefix(r.Path, "/api/v1/") || !api.IsJSONPath(r.Path) {
			t.Errorf("%s is not under /api/v1/", r.Pattern())
		}
	}
}

func TestWriteError(t *testing.T) {
	for _, tt := range []struct {
		name              string
		err               *api.Error
		retryAfter, allow string
	}{
		{"rate limited with a wait", api.ErrRateLimited.WithRetryAfter(1500 * time.Millisecond), "2", ""},
		{"rate limited without one", api.ErrRateLimited, "60", ""},
		{"wrong method", api.MethodNotAllowed("DELETE", []string{"GET", "HEAD", "POST"}), "", "GET, HEAD, POST"},
		{"invalid field", api.Invalid("email", apitext.New("test.email", "email must be an address")), "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			w.Header().Set("Content-Length", "3") // left by a handler that failed
			api.WriteError(w, tt.err)
			if w.Code != tt.err.Status || w.Header().Get("Retry-After") != tt.retryAfter || w.Header().Get("Allow") != tt.allow {
				t.Errorf("%d Retry-After %q Allow %q", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Allow"))
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" || w.Header().Get("Content-Length") != "" {
				t.Errorf("Content-Type %q, Content-Length %q", ct, w.Header().Get("Content-Length"))
			}
			var got map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got["code"] != tt.err.Code || got["error"] != tt.err.Message || got["field"] != tt.err.Field {
				t.Errorf("body %s, want code, error and field of %+v", w.Body, tt.err)
			}
		})
	}
	if s := api.MethodNotAllowed("PUT", []string{"GET"}).Status; s != http.StatusMethodNotAllowed {
		t.Errorf("MethodNotAllowed status %d", s)
	}
}
