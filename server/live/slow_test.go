package live_test

import (
	"context"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/live"
	"clientportal/server/servertest"
	"clientportal/store"
)

// TestSlowReaderIsDroppedWithoutHoldingUpOthers: one page of a client stops
// reading; as events keep coming, its queue fills and the hub drops it,
// while another page of the same client gets every event.
func TestSlowReaderIsDroppedWithoutHoldingUpOthers(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	fast, _ := jose.open(t, "")

	// The slow page: a small receive buffer, and nobody reading it.
	d := websocket.Dialer{Jar: jose.browser.Jar, NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		return nd.DialContext(ctx, network, addr)
	}}
	slow, _, err := d.Dial("ws"+env.URL[len("http"):]+live.PathPortal, map[string][]string{"Origin": {env.URL}})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	hub := env.Server.Live()
	// The hub registers a socket just after its handshake: wait for it.
	for deadline := time.Now().Add(5 * time.Second); hub.Count() < 2 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if n := hub.Count(); n != 2 {
		t.Fatalf("%d sockets open, want 2", n)
	}

	// Bursts smaller than a connection's queue, each read by the fast page
	// before the next: the fast page never falls behind; the slow one does.
	const burst, bursts = 32, 2000
	caseID := jose.cases[0].ID
	id := uint64(1 << 40) // far above the log's ids: these are published, not logged
	for b := 0; b < bursts; b++ {
		events := make([]store.Event, burst)
		for i := range events {
			id++
			events[i] = store.Event{ID: id, Type: "status.added", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}}
		}
		hub.Publish(events)
		fast.until(func(it item) bool { return it.ID == id })
		if b > 10 && hub.Count() == 1 {
			break
		}
	}
	if n := hub.Count(); n != 1 {
		t.Fatalf("%d sockets open after %d events to a page that does not read, want the slow one dropped", n, id-(1<<40))
	}
	// The fast page still gets what comes next.
	id++
	hub.Publish([]store.Event{{ID: id, Type: "status.added", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}}})
	fast.until(func(it item) bool { return it.ID == id })
	// The slow page, reading at last, finds its connection ended.
	slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := slow.ReadMessage(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the dropped connection is still open")
			}
			break
		}
	}
}

// TestStaffOnlyEventsNeverReachClients: an event marked staff-only stays
// from clients even when it names them, live and in the catch-up.
func TestStaffOnlyEventsNeverReachClients(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	page, _ := jose.open(t, "")
	hub := env.Server.Live()
	caseID := jose.cases[0].ID
	log := func(e store.Event) store.Event {
		if err := env.Store.Update(t.Context(), func(tx *store.Tx) error { return tx.AppendEvent(&e) }); err != nil {
			t.Fatal(err)
		}
		hub.Publish([]store.Event{e})
		return e
	}
	secret := log(store.Event{Type: "note.secret", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}, StaffOnly: true})
	end := log(store.Event{Type: "status.added", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}})
	for name, got := range map[string][]item{
		"live":     page.until(func(it item) bool { return it.ID == end.ID }),
		"catch-up": func() []item { _, first := jose.open(t, "?after=0"); return first }(),
	} {
		for _, it := range got {
			if it.ID == secret.ID || it.Type == "note.secret" {
				t.Errorf("%s: the client got the staff-only event %+v", name, it)
			}
		}
	}
}

// TestALatePublishIsNotSentTwice: an event committed before a page connected
// but published after it (the window between a commit and its publication)
// reaches the page once, in the catch-up.
func TestALatePublishIsNotSentTwice(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	caseID := jose.cases[0].ID
	e := store.Event{Type: "status.added", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}}
	if err := env.Store.Update(t.Context(), func(tx *store.Tx) error { return tx.AppendEvent(&e) }); err != nil {
		t.Fatal(err)
	}
	page, first := jose.open(t, "?after="+itoa(e.ID-1))
	if len(first) != 2 || first[0].ID != e.ID {
		t.Fatalf("catch-up %+v, want the event then ready", first)
	}
	end := store.Event{Type: "status.added", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}}
	env.Store.Update(t.Context(), func(tx *store.Tx) error { return tx.AppendEvent(&end) })
	env.Server.Live().Publish([]store.Event{e, end})
	for _, it := range page.until(func(it item) bool { return it.ID == end.ID }) {
		if it.ID == e.ID {
			t.Errorf("event %d came again after the catch-up", e.ID)
		}
	}
}

// TestEventsPublishedOutOfOrderAllArrive: two commits may publish in the
// other order than their IDs; the page gets both.
func TestEventsPublishedOutOfOrderAllArrive(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	page, _ := jose.open(t, "")
	caseID := jose.cases[0].ID
	var e1, e2 store.Event
	env.Store.Update(t.Context(), func(tx *store.Tx) error {
		e1 = store.Event{Type: "status.added", CaseID: caseID, ClientIDs: []uint64{jose.me.ID}}
		e2 = e1
		tx.AppendEvent(&e1)
		return tx.AppendEvent(&e2)
	})
	env.Server.Live().Publish([]store.Event{e2})
	page.until(func(it item) bool { return it.ID == e2.ID })
	env.Server.Live().Publish([]store.Event{e1})
	if got := page.next(); len(got) != 1 || got[0].ID != e1.ID {
		t.Errorf("the earlier event, published later, came as %+v", got)
	}
}
