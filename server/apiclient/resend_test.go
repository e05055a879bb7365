package apiclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"clientportal/server/api"
)

// TestReadSentAgainAfterLostConnection: a read whose connection is closed
// under it (the service restarted) is sent once more and answered; a change
// is never sent twice.
func TestReadSentAgainAfterLostConnection(t *testing.T) {
	var gets, posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := &gets
		if r.Method == http.MethodPost {
			n = &posts
		}
		if n.Add(1) == 1 {
			// The first of each kind loses its connection before any answer.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"name":"Dana Whitfield","office":"Riverside Legal Aid"}`))
	}))
	defer srv.Close()
	c, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Office string }
	if err := c.call(context.Background(), http.MethodGet, api.PathMe, nil, nil, &me); err != nil || me.Office != "Riverside Legal Aid" {
		t.Fatalf("GET after a lost connection = %+v, %v; want it sent again and answered", me, err)
	}
	if got := gets.Load(); got != 2 {
		t.Errorf("GET reached the service %d times, want 2", got)
	}
	if err := c.call(context.Background(), http.MethodPost, api.PathMe, nil, map[string]string{"x": "y"}, nil); err == nil {
		t.Error("POST whose connection was lost: no error")
	}
	if got := posts.Load(); got != 1 {
		t.Errorf("POST reached the service %d times, want exactly 1: a change is never sent twice", got)
	}
}
