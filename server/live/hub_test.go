package live_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/auth"
	"clientportal/server/demo"
	"clientportal/server/live"
	"clientportal/server/password"
	"clientportal/store/storetest"
)

// TestOneClientCannotOpenWithoutBound: past MaxPerClient open pages, a
// client's next socket is closed with 4429 at once; other clients are not
// affected, and closing a page makes room.
func TestOneClientCannotOpenWithoutBound(t *testing.T) {
	st := storetest.New(t)
	h := password.Hasher{Params: password.TestParams}
	logins, err := demo.Fill(t.Context(), st, h)
	if err != nil {
		t.Fatal(err)
	}
	a := auth.New(st, password.NewGate(h, 0, 0), slog.New(slog.DiscardHandler))
	hub := live.New(live.Config{Store: st, Auth: a, Log: slog.New(slog.DiscardHandler), MaxPerClient: 3})
	t.Cleanup(hub.Close)
	mux := http.NewServeMux()
	hub.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	token := func(email string) string {
		for _, l := range logins {
			if l.Email == email {
				_, login, err := a.LoginClient(t.Context(), l.Email, l.Password, "127.0.0.1", "")
				if err != nil {
					t.Fatal(err)
				}
				return login.Token
			}
		}
		t.Fatalf("no demo login %s", email)
		return ""
	}
	dial := func(tok string) *websocket.Conn {
		t.Helper()
		ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+live.PathPortal,
			http.Header{"Origin": {srv.URL}, "Cookie": {"portal_session=" + tok}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		return ws
	}
	ready := func(ws *websocket.Conn) error { _, _, err := ws.ReadMessage(); return err }
	jose, amina := token("jose@example.org"), token("amina@example.org")
	var open []*websocket.Conn
	for range 3 {
		ws := dial(jose)
		if err := ready(ws); err != nil {
			t.Fatal(err)
		}
		open = append(open, ws)
	}
	extra := dial(jose)
	ready(extra) // the catch-up frame
	_, _, err = extra.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != live.CloseTooMany {
		t.Errorf("fourth page: %v, want close %d", err, live.CloseTooMany)
	}
	if err := ready(dial(amina)); err != nil {
		t.Errorf("another client's page: %v", err)
	}
	// Closing a page makes room (once the hub has seen it go).
	open[0].Close()
	deadline := time.Now().Add(10 * time.Second)
	for hub.Count() > 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	again := dial(jose)
	if err := ready(again); err != nil {
		t.Fatal(err)
	}
	again.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, _, err := again.ReadMessage(); err != nil {
		if _, closed := err.(*websocket.CloseError); closed {
			t.Errorf("a page after another was closed: %v", err)
		}
	}
}
