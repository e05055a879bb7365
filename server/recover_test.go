package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"clientportal/server/api"
)

// TestPanicIsA500 runs a panicking handler behind the service's middleware:
// the caller gets a 500 (JSON under /api/, text elsewhere), the log gets the
// panic with the route pattern, and the service keeps serving.
func TestPanicIsA500(t *testing.T) {
	var log syncBuilder
	s := &Server{log: slog.New(slog.NewTextHandler(&log, nil))}
	mux := http.NewServeMux()
	boom := func(w http.ResponseWriter, r *http.Request) { panic("boom") }
	mux.HandleFunc("GET /api/v1/boom/{id}", boom)
	mux.HandleFunc("GET /boom/{token}", boom)
	srv := httptest.NewServer(s.middleware(Config{ReadTimeout: DefaultReadTimeout, WriteTimeout: DefaultWriteTimeout}, mux))
	defer srv.Close()

	for _, tt := range []struct{ path, contentType string }{
		{"/api/v1/boom/7", "application/json"},
		{"/boom/secret-token", "text/plain"},
	} {
		resp, err := srv.Client().Get(srv.URL + tt.path)
		if err != nil {
			t.Fatalf("GET %s: %v (the connection was dropped)", tt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) {
			t.Errorf("GET %s: %d %s, want 500 %s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.contentType)
		}
		if tt.contentType == "application/json" {
			var e api.Error
			if err := json.Unmarshal(body, &e); err != nil || e.Code != "internal" || e.Message == "" {
				t.Errorf("GET %s: body %q, want the API's internal error", tt.path, body)
			}
		}
	}
	if !strings.Contains(log.String(), "boom") || !strings.Contains(log.String(), "route=/boom/{token}") || strings.Contains(log.String(), "secret-token") {
		t.Errorf("panic log %q: want the panic and the route pattern, not the path", log.String())
	}
}

// syncBuilder is a log destination the test reads while handlers write.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
