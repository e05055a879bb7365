package app

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestLiveForwardsEvents: what staff and clients do elsewhere reaches the
// window as events, through the real service's staff event stream.
func TestLiveForwardsEvents(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	other := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, other, "IMM-2026-0142")
	rec.waitFor(t, "the live state", isState("live"))

	m, err := other.PostMessage(t.Context(), id, api.MessageInput{Body: "The court moved the hearing.", Visibility: "portal"})
	if err != nil {
		t.Fatal(err)
	}
	got := rec.waitFor(t, "a colleague's message", isLive("message.created", id)).data.(LiveEvent)
	if got.Ref != m.ID || got.ID == 0 || got.At == "" {
		t.Errorf("event = %+v, want message %d", got, m.ID)
	}

	clientPosts(t, env, "amina@example.org", id, "Which day is it now?")
	rec.waitFor(t, "the client's message", func(e emitted) bool {
		ev, ok := e.data.(LiveEvent)
		return ok && ev.Type == "message.created" && ev.CaseID == id && ev.Ref > m.ID
	})

	e, err := p.CasePage.SetStatus(id, StatusInput{Status: "in_progress"})
	if err != nil {
		t.Fatal(err)
	}
	st := rec.waitFor(t, "the status entry", isLive("status.added", id)).data.(LiveEvent)
	if st.Ref != e.ID {
		t.Errorf("status event = %+v, want entry %d", st, e.ID)
	}

	// The events carry no content: a screen reads it through the API.
	for _, x := range rec.all() {
		if ev, ok := x.data.(LiveEvent); ok && strings.Contains(strings.ToLower(ev.Type+ev.At), "court") {
			t.Errorf("event %+v carries content", ev)
		}
	}

	// Logging out stops the feed before Logout returns.
	if err := p.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if rec.count(isState("stopped")) != 1 {
		t.Errorf("feed not stopped when Logout returned: %+v", rec.all())
	}
	n := len(rec.all())
	if _, err := other.PostMessage(t.Context(), id, api.MessageInput{Body: "after logout", Visibility: "internal"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if later := rec.all()[n:]; len(later) != 0 {
		t.Errorf("events after Logout: %+v", later)
	}
}

// TestLiveReconnectCatchesUp cuts the connection to the service: the feed
// says it is reconnecting, comes back, and delivers what was committed
// while it was cut, once.
func TestLiveReconnectCatchesUp(t *testing.T) {
	env := servertest.Start(t)
	proxy := startProxy(t, strings.TrimPrefix(env.URL, "http://"))
	p := New("test")
	rec := newRecorder()
	p.SetEmitter(rec)
	t.Cleanup(p.Close)
	l := env.Login(t, "staff", "marcus@riverside.example")
	if _, err := p.Session.Connect("http://"+proxy.addr(), l.Email, l.Password); err != nil {
		t.Fatal(err)
	}
	other := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, other, "IMM-2026-0142")
	rec.waitFor(t, "the live state", isState("live"))

	proxy.cut(true) // drop every connection and refuse new ones
	rec.waitFor(t, "the reconnecting state", isState("reconnecting"))
	m, err := other.PostMessage(t.Context(), id, api.MessageInput{Body: "while you were away", Visibility: "portal"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if rec.count(isLive("message.created", id)) != 0 {
		t.Fatal("an event arrived through a cut connection")
	}
	proxy.cut(false)
	got := rec.waitFor(t, "the caught-up message", isLive("message.created", id)).data.(LiveEvent)
	if got.Ref != m.ID {
		t.Errorf("caught-up event = %+v, want message %d", got, m.ID)
	}
	if _, err := other.PostMessage(t.Context(), id, api.MessageInput{Body: "and now live", Visibility: "portal"}); err != nil {
		t.Fatal(err)
	}
	rec.waitFor(t, "the next message", func(e emitted) bool { ev, ok := e.data.(LiveEvent); return ok && ev.Ref > m.ID })
	if n := rec.count(isLive("message.created", id)); n != 2 {
		t.Errorf("%d message events, want each of the 2 once", n)
	}
}

// TestLiveSessionEnded: when an administrator ends the session (a new
// password), the window is told once, and the bindings say to connect again.
func TestLiveSessionEnded(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	rec.waitFor(t, "the live state", isState("live"))
	admin := staffClient(t, env, "dana@riverside.example")
	info, _ := p.Session.Who()
	if _, err := admin.UpdateStaff(t.Context(), info.StaffID, api.StaffInput{Password: ptr("a new long passphrase for marcus 2026")}); err != nil {
		t.Fatal(err)
	}
	// The stream's close (code 4401) tells the window, without any call.
	ended := rec.waitFor(t, "session:ended", func(e emitted) bool { return e.name == EventSessionEnded })
	if r := ended.data.(SessionEnded).Reason; !has(r, "connect again") {
		t.Errorf("reason %q", r)
	}
	if _, err := p.Cases.List("", 0, 0); !errors.Is(err, errNotConnected) {
		t.Errorf("List after the session ended: %v, want not connected", err)
	}
	rec.waitFor(t, "the stopped state", isState("stopped"))
	if n := rec.count(func(e emitted) bool { return e.name == EventSessionEnded }); n != 1 {
		t.Errorf("session:ended emitted %d times", n)
	}
	if _, err := p.Session.Who(); !errors.Is(err, errNotConnected) {
		t.Errorf("Who after the session ended: %v", err)
	}
}

// TestCallFindsSessionEnded: a call answered 401 drops the connection and
// tells the window, even before the stream notices.
func TestCallFindsSessionEnded(t *testing.T) {
	env := servertest.Start(t)
	l := env.Login(t, "staff", "marcus@riverside.example")
	// End the session in the store directly, as expiry would, and call at
	// once. The live hub checks sessions every 3 s: should its check fall
	// in between and end the feed first, try again.
	for attempt := 1; ; attempt++ {
		p := New("test")
		rec := newRecorder()
		p.SetEmitter(rec)
		t.Cleanup(p.Close)
		if _, err := p.Session.Connect(env.URL, l.Email, l.Password); err != nil {
			t.Fatal(err)
		}
		_, c := p.link.connected()
		if err := env.Server.Auth().Logout(t.Context(), c.Token(), "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		_, err := p.Cases.List("", 0, 0)
		if errors.Is(err, errNotConnected) && attempt < 3 {
			t.Logf("attempt %d: the feed noticed first", attempt)
			continue
		}
		if err == nil || !has(err.Error(), "session ended; connect again") || apiCode(err) != "unauthorized" {
			t.Errorf("List after the session ended: %v", err)
		}
		rec.waitFor(t, "session:ended", func(e emitted) bool { return e.name == EventSessionEnded })
		if _, err := p.Session.Who(); !errors.Is(err, errNotConnected) {
			t.Errorf("Who after the session ended: %v", err)
		}
		return
	}
}

// TestPanelConcurrentUse: screens call while the session is replaced and
// ended, and events flow (run with -race).
func TestPanelConcurrentUse(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	other := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, other, "IMM-2026-0142")
	l := env.Login(t, "staff", "lucia@riverside.example")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 10 {
				switch i {
				case 0:
					_, _ = p.Cases.List("", 0, 0)
				case 1:
					_, _ = p.CasePage.PostMessage(id, "busy", "internal")
				case 2:
					_, _ = p.Session.Connect(env.URL, l.Email, l.Password)
				case 3:
					_, _ = other.PostMessage(t.Context(), id, api.MessageInput{Body: "ping", Visibility: "internal"})
				}
			}
		})
	}
	wg.Wait()
	if err := p.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if live, stopped := rec.count(isState("live")), rec.count(isState("stopped")); stopped < live {
		t.Errorf("%d feeds went live but %d stopped: a feed leaked", live, stopped)
	}
}

// proxy is a TCP relay on loopback that a test can cut.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.relay(c)
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) relay(c net.Conn) {
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.conns[c] = true
	p.mu.Unlock()
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[s] = true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(s, c); s.Close() }()
	_, _ = io.Copy(c, s)
	c.Close()
}

// cut drops every relayed connection and refuses new ones (down), or lets
// them through again.
func (p *proxy) cut(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}
