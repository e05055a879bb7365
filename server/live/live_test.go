package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/live"
	"clientportal/server/servertest"
	"clientportal/store"
)

// item is one item of a frame, as the portal's script reads it.
type item struct {
	ID        uint64          `json:"id"`
	Type      string          `json:"type"`
	CaseID    uint64          `json:"case"`
	Ref       uint64          `json:"ref"`
	ClientIDs json.RawMessage `json:"clients"`
	StaffOnly bool            `json:"staff_only"`
}

// socket is an open /live or /api/v1/events connection.
type socket struct {
	t  *testing.T
	ws *websocket.Conn
}

// next reads the next frame (waiting at most 10 s).
func (s *socket) next() []item {
	s.t.Helper()
	items, err := s.read(10 * time.Second)
	if err != nil {
		s.t.Fatalf("read frame: %v", err)
	}
	return items
}

func (s *socket) read(wait time.Duration) ([]item, error) {
	s.ws.SetReadDeadline(time.Now().Add(wait))
	_, data, err := s.ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	var items []item
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, fmt.Errorf("frame %s is not a JSON array: %w", data, err)
	}
	return items, nil
}

// until reads frames until one holds an item for which stop is true, and
// returns every item read.
func (s *socket) until(stop func(item) bool) []item {
	s.t.Helper()
	var all []item
	for {
		items := s.next()
		all = append(all, items...)
		for _, it := range items {
			if stop(it) {
				return all
			}
		}
	}
}

// closed waits for the service to end the socket and returns its close code.
func (s *socket) closed(wait time.Duration) int {
	s.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		_, err := s.read(time.Until(deadline))
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			s.t.Fatalf("socket ended without a close frame: %v", err)
		}
	}
	s.t.Fatalf("socket still open after %s", wait)
	return 0
}

// client is a logged-in portal visitor.
type client struct {
	env     *servertest.Env
	browser *http.Client
	me      store.Client
	cases   []store.Case
}

func loginClient(t *testing.T, env *servertest.Env, email string) *client {
	t.Helper()
	l := env.Login(t, "client", email)
	b := env.Browser()
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {l.Email}, "password": {l.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal login %s: %d", email, resp.StatusCode)
	}
	c := &client{env: env, browser: b}
	env.Store.View(t.Context(), func(tx *store.Tx) (err error) {
		if c.me, err = tx.ClientByEmail(email); err != nil {
			return err
		}
		c.cases, err = tx.CasesOfClient(c.me.ID)
		return err
	})
	return c
}

func (c *client) owns(caseID uint64) bool {
	for _, cs := range c.cases {
		if cs.ID == caseID {
			return true
		}
	}
	return false
}

// dial opens /live with the client's cookie, from origin ("" : the
// service's own), with the query q.
func (c *client) dial(t *testing.T, origin, q string) (*socket, *http.Response, error) {
	t.Helper()
	if origin == "" {
		origin = c.env.URL
	}
	u := "ws" + strings.TrimPrefix(c.env.URL, "http") + live.PathPortal + q
	d := websocket.Dialer{Jar: c.browser.Jar, HandshakeTimeout: 10 * time.Second}
	ws, resp, err := d.Dial(u, http.Header{"Origin": {origin}})
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { ws.Close() })
	return &socket{t: t, ws: ws}, resp, nil
}

// open opens /live and reads its first frame, which ends with "ready".
func (c *client) open(t *testing.T, q string) (*socket, []item) {
	t.Helper()
	s, resp, err := c.dial(t, "", q)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial /live%s: %v (%d)", q, err, status)
	}
	first := s.next()
	if len(first) == 0 || (first[len(first)-1].Type != "ready" && first[len(first)-1].Type != "reload") {
		t.Fatalf("first frame %+v: want it to end with ready or reload", first)
	}
	return s, first
}

// staff is a staff API client logged in as the demo's caseworker.
func staff(t *testing.T, env *servertest.Env) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	l := env.Login(t, "staff", "marcus@riverside.example")
	if _, err := c.Login(t.Context(), l.Email, l.Password); err != nil {
		t.Fatal(err)
	}
	return c
}

func post(t *testing.T, s *apiclient.Client, caseID uint64, body, vis string) api.Message {
	t.Helper()
	m, err := s.PostMessage(t.Context(), caseID, api.MessageInput{Body: body, Visibility: vis})
	if err != nil {
		t.Fatalf("post %s message to case %d: %v", vis, caseID, err)
	}
	return m
}

// TestStaffMessageReachesTheClientsOpenPage: staff post through the staff API;
// the client's open socket gets message.created for their case at once, the
// staff stream too; an internal note reaches staff only.
func TestStaffMessageReachesTheClientsOpenPage(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	page, _ := jose.open(t, "")
	marcus := staff(t, env)
	panel, err := marcus.Events(t.Context(), apiclient.EventsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer panel.Close()
	if ready, err := panel.Next(); err != nil || ready[0].Type != "ready" {
		t.Fatalf("staff stream first frame %+v, %v", ready, err)
	}
	caseID := jose.cases[0].ID

	note := post(t, marcus, caseID, "Client sounded worried on the phone.", "internal")
	msg := post(t, marcus, caseID, "Your interview is on Monday.", "portal")

	got := page.next()
	if len(got) != 1 || got[0].Type != "message.created" || got[0].CaseID != caseID || got[0].Ref != msg.ID || got[0].ID == 0 {
		t.Fatalf("client's page got %+v, want only message.created of message %d (never the internal note %d)", got, msg.ID, note.ID)
	}
	if got[0].ClientIDs != nil || got[0].StaffOnly {
		t.Errorf("client's page got who may see the event: %+v", got[0])
	}
	var seen []api.Event
	for len(seen) < 2 {
		items, err := panel.Next()
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, items...)
	}
	if seen[0].Ref != note.ID || !seen[0].StaffOnly || seen[1].Ref != msg.ID || len(seen[1].ClientIDs) != 1 || seen[1].ClientIDs[0] != jose.me.ID {
		t.Errorf("staff stream got %+v, want the internal note (staff only) then the message (for José)", seen)
	}
}

// TestClientSocketNeverGetsForeignEvents: with every demo client's page open,
// staff write to every case of the demo office (portal messages, internal
// notes, status entries); each page gets exactly the events of its own cases'
// portal messages and status entries, nothing of anyone else's.
func TestClientSocketNeverGetsForeignEvents(t *testing.T) {
	env := servertest.Start(t)
	marcus := staff(t, env)
	var clients []*client
	var pages []*socket
	for _, l := range env.Logins {
		if l.Kind != "client" {
			continue
		}
		c := loginClient(t, env, l.Email)
		s, _ := c.open(t, "")
		clients, pages = append(clients, c), append(pages, s)
	}
	if len(clients) < 2 {
		t.Fatalf("the demo office has %d clients; the walk needs two or more", len(clients))
	}
	var all []store.Case
	env.Store.View(t.Context(), func(tx *store.Tx) (err error) { all, err = tx.SearchCases("", 0, 1000); return err })
	want := map[uint64]map[string]bool{} // client -> the events they must get
	for _, cs := range all {
		post(t, marcus, cs.ID, "internal "+cs.Number, "internal")
		msg := post(t, marcus, cs.ID, "portal "+cs.Number, "portal")
		entry, err := marcus.AddStatusEntry(t.Context(), cs.ID, api.StatusEntryInput{Status: "under_review"})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range cs.ClientIDs {
			if want[id] == nil {
				want[id] = map[string]bool{}
			}
			want[id][fmt.Sprint("message.created ", msg.ID)] = true
			want[id][fmt.Sprint("status.added ", entry.ID)] = true
		}
	}
	// A last message to each client's first case marks the end of the walk.
	ends := map[uint64]uint64{}
	for _, c := range clients {
		ends[c.me.ID] = post(t, marcus, c.cases[0].ID, "end", "portal").ID
	}
	for i, c := range clients {
		got := pages[i].until(func(it item) bool { return it.Type == "message.created" && it.Ref == ends[c.me.ID] })
		for _, it := range got {
			if !c.owns(it.CaseID) {
				t.Errorf("%s's page got %+v of a foreign case", c.me.Email, it)
			}
			key := fmt.Sprint(it.Type, " ", it.Ref)
			if it.Ref != ends[c.me.ID] && !want[c.me.ID][key] {
				t.Errorf("%s's page got %s, which is not theirs to see", c.me.Email, key)
			}
			delete(want[c.me.ID], key)
		}
		if len(want[c.me.ID]) > 0 {
			t.Errorf("%s's page missed %v of their own cases", c.me.Email, want[c.me.ID])
		}
	}
}

// TestConcurrentPostsAllArrive: staff post from many goroutines at once while
// the client's page is open and a second page connects mid-way with a
// catch-up; each page gets every message exactly once.
func TestConcurrentPostsAllArrive(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	first, ready := jose.open(t, "")
	from := ready[0].ID
	marcus := staff(t, env)
	caseID := jose.cases[0].ID
	const posters, each = 8, 10
	var mu sync.Mutex
	refs := map[uint64]bool{}
	var wg sync.WaitGroup
	for p := range posters {
		wg.Go(func() {
			for i := range each {
				m, err := marcus.PostMessage(context.Background(), caseID, api.MessageInput{Body: fmt.Sprint(p, " ", i), Visibility: "portal"})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				refs[m.ID] = true
				mu.Unlock()
			}
		})
	}
	// A second page opens while the posts fly, catching up from the start.
	second, caught := jose.open(t, "?after="+itoa(from))
	wg.Wait()
	for name, got := range map[string][]item{"open page": nil, "page opened meanwhile": caught} {
		s := first
		if name != "open page" {
			s = second
		}
		seen := map[uint64]int{}
		for _, it := range got {
			if it.Type == "message.created" {
				seen[it.Ref]++
			}
		}
		for len(seen) < len(refs) {
			for _, it := range s.next() {
				if it.Type == "message.created" {
					seen[it.Ref]++
				}
			}
		}
		for ref, n := range seen {
			if !refs[ref] || n != 1 {
				t.Errorf("%s got message %d %d times", name, ref, n)
			}
		}
	}
}
