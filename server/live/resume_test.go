package live_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

// restartable runs the real service on a data folder that outlives it.
type restartable struct {
	dir string
	env *servertest.Env
}

func (r *restartable) start(t *testing.T, fill bool) {
	t.Helper()
	s, err := store.Open(r.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := password.Hasher{Params: password.TestParams}
	var logins []demo.Login
	if fill {
		if logins, err = demo.Fill(t.Context(), s, h); err != nil {
			t.Fatal(err)
		}
	} else {
		logins = r.env.Logins
	}
	srv, err := server.New(server.Config{Store: s, Hasher: h, Logger: slog.New(slog.DiscardHandler), OfficeKey: t.TempDir() + "/office.key"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	r.env = &servertest.Env{URL: hs.URL, Store: s, Server: srv, HTTP: hs, Logins: logins}
}

func (r *restartable) stop() {
	r.env.HTTP.Close()
	r.env.Server.Close()
	r.env.Store.Close()
}

// TestResumeAfterARestart: a page that was offline while two messages were
// posted, and while the service restarted, gets both when it reconnects
// with ?after= the last id it saw.
func TestResumeAfterARestart(t *testing.T) {
	r := &restartable{dir: t.TempDir()}
	r.start(t, true)
	jose := loginClient(t, r.env, "jose@example.org")
	page, first := jose.open(t, "")
	last := first[len(first)-1].ID
	page.ws.Close()

	marcus := staff(t, r.env)
	caseID := jose.cases[0].ID
	m1 := post(t, marcus, caseID, "First, while you were away.", "portal")
	post(t, marcus, caseID, "Staff only.", "internal")
	m2 := post(t, marcus, caseID, "Second, while you were away.", "portal")
	r.stop()

	r.start(t, false)
	defer r.stop()
	// Same browser, same session cookie (a jar keeps cookies by host, not
	// port); the service is new.
	jose.env = r.env
	_, got := jose.open(t, "?after="+itoa(last))
	if len(got) != 3 || got[0].Ref != m1.ID || got[1].Ref != m2.ID || got[2].Type != "ready" || got[2].ID < got[1].ID {
		t.Fatalf("after a restart, ?after=%d got %+v; want the two messages then ready", last, got)
	}
	// Resuming from the ready ID gets nothing old again.
	page2, again := jose.open(t, "?after="+itoa(got[2].ID))
	if len(again) != 1 || again[0].Type != "ready" {
		t.Errorf("resume from the ready ID got %+v", again)
	}
	m3 := post(t, staff(t, r.env), caseID, "Live again.", "portal")
	if live := page2.next(); len(live) != 1 || live[0].Ref != m3.ID {
		t.Errorf("after resuming, the next message came as %+v", live)
	}
}

// TestTooOldIDGetsReload: once the log no longer holds what a page missed
// (swept after the retention), or the id is one the log never gave, the page
// is told to reload.
func TestTooOldIDGetsReload(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	jose := loginClient(t, env, "jose@example.org")
	marcus := staff(t, env)
	_, first := jose.open(t, "")
	seen := first[0].ID
	caseID := jose.cases[0].ID
	for range 3 {
		post(t, marcus, caseID, "old news", "portal")
	}
	env.Clock.Advance(8 * 24 * time.Hour)
	n, err := env.Server.Live().SweepEvents(t.Context())
	if err != nil || n < 3 {
		t.Fatalf("sweep removed %d, %v", n, err)
	}
	// The session would have expired over 8 days: log in again.
	jose = loginClient(t, env, "jose@example.org")
	for _, q := range []string{"?after=" + itoa(seen), "?after=0", "?after=999999"} {
		_, got := jose.open(t, q)
		if len(got) != 1 || got[0].Type != "reload" || got[0].ID == 0 {
			t.Errorf("%s after the sweep: %+v, want one reload item with the id to resume from", q, got)
		}
	}
	// A bad id is refused before upgrading.
	if _, resp, err := jose.dial(t, "", "?after=x"); err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("?after=x: %v, want 400", err)
	}
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
