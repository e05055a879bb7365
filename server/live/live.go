// Package live is the websocket hub: it sends the events of the store's event
// log to open portal pages (GET /live, the client's session cookie) and
// control panels (GET /api/v1/events, a staff bearer token) as they are
// committed, and lets a page that reconnects catch up from the log.
//
// One goroutine owns the subscriptions: it takes registrations, removals and
// published events from channels and never waits for a connection. Each
// connection has a reader (read limit, pong deadline) and a writer (write
// deadline, pings) and a small buffered queue; a connection whose queue is
// full is too slow and is dropped, so it never holds up anyone else. Events
// queued while a writer was busy go out as one frame, a JSON array.
//
// A client's connection gets only events whose ClientIDs name the client and
// that are not StaffOnly; staff get every event. Events say what happened
// and where, never the content: pages read that through the routes that
// check access.
package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/store"
)

// Config is what a Hub needs.
type Config struct {
	Store *store.Store
	Auth  *auth.Authenticator
	Log   *slog.Logger
	// SessionCheck is how often the hub checks that the sessions of its
	// connections still stand (logout, lock, expiry end them). Default 3s.
	SessionCheck time.Duration
	// Retention is how long the event log keeps events for pages that
	// reconnect. Default 7 days.
	Retention time.Duration
	// PingEvery is how often a connection is pinged; it is dropped when no
	// pong came back for two periods. Default 30s.
	PingEvery time.Duration
	// MaxPerClient bounds the open connections of one client (pages in
	// tabs and on devices), so one login cannot hold the service's memory.
	// Default 2000, far above a person's use and below what one client
	// could make the service hold (about 13 KiB each).
	MaxPerClient int
}

// Defaults.
const (
	DefaultSessionCheck = 3 * time.Second
	DefaultRetention    = 7 * 24 * time.Hour
	DefaultPingEvery    = 30 * time.Second
	DefaultMaxPerClient = 2000

	// queueLen is how many events may wait for a connection's writer before
	// the connection counts as too slow and is dropped.
	queueLen = 64
	// writeWait bounds writing one frame.
	writeWait = 10 * time.Second
	// readLimit bounds what a peer may send: pages send nothing but control
	// frames.
	readLimit = 512
	// maxReplay bounds how many logged events a reconnecting subscriber's
	// catch-up reads; past it, the subscriber is told to reload.
	maxReplay = 10000
)

// Close codes a page's script acts on.
const (
	// CloseSessionEnded: log in again; reconnecting will not help.
	CloseSessionEnded = 4401
	// CloseTooSlow: the connection fell behind; reconnect with ?after.
	CloseTooSlow = 4408
	// CloseTooMany: the client has too many pages open; close some.
	CloseTooMany = 4429
)

// Hub fans committed events out to the open connections.
type Hub struct {
	store     *store.Store
	auth      *auth.Authenticator
	log       *slog.Logger
	check     time.Duration
	retention time.Duration
	ping      time.Duration
	maxClient int
	upgrader  websocket.Upgrader

	register   chan *conn
	unregister chan *conn
	drop       chan []*conn
	publish    chan []store.Event
	snapshot   chan chan []*conn
	done       chan struct{}
	closeOnce  sync.Once
	stopped    chan struct{}
}

// New starts a hub; Close stops it.
func New(cfg Config) *Hub {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SessionCheck <= 0 {
		cfg.SessionCheck = DefaultSessionCheck
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.PingEvery <= 0 {
		cfg.PingEvery = DefaultPingEvery
	}
	if cfg.MaxPerClient <= 0 {
		cfg.MaxPerClient = DefaultMaxPerClient
	}
	h := &Hub{
		store: cfg.Store, auth: cfg.Auth, log: cfg.Log,
		check: cfg.SessionCheck, retention: cfg.Retention, ping: cfg.PingEvery, maxClient: cfg.MaxPerClient,
		register:   make(chan *conn),
		unregister: make(chan *conn, 64),
		drop:       make(chan []*conn),
		publish:    make(chan []store.Event, 1024),
		snapshot:   make(chan chan []*conn),
		done:       make(chan struct{}),
		stopped:    make(chan struct{}),
	}
	h.upgrader = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		// Small read buffers and pooled write buffers: an idle connection
		// holds no write buffer at all.
		ReadBufferSize:  512,
		WriteBufferPool: &sync.Pool{},
		// The handlers check the Origin themselves, before upgrading.
		CheckOrigin: func(*http.Request) bool { return true },
		Error:       upgradeError,
	}
	go h.run()
	go h.checkSessions()
	return h
}

// upgradeError answers a request that is not a websocket handshake: as the
// API's JSON under /api/, as text on the portal.
func upgradeError(w http.ResponseWriter, r *http.Request, status int, reason error) {
	msg := "open this address as a websocket: " + reason.Error()
	if api.IsJSONPath(r.URL.Path) {
		api.WriteError(w, &api.Error{Status: status, Code: "websocket_required", Message: msg})
		return
	}
	http.Error(w, msg, status)
}

// Close ends every connection and stops the hub. Publish after Close does
// nothing.
func (h *Hub) Close() {
	h.closeOnce.Do(func() { close(h.done) })
	<-h.stopped
}

// Publish queues committed events for the open connections. It does not wait
// for any connection; it waits only when the hub itself is behind by more
// than a thousand publications.
func (h *Hub) Publish(events []store.Event) {
	if len(events) == 0 {
		return
	}
	select {
	case h.publish <- events:
	case <-h.done:
	}
}

// part is one event as one audience sees it, encoded once for everyone.
type part struct {
	id   uint64
	json []byte
	// alone is the frame [json], what nearly every connection sends, framed
	// once for all of them (written without a copy or a buffer per
	// connection).
	alone *websocket.PreparedMessage
}

func newPart(id uint64, data []byte) *part {
	frame := make([]byte, 0, len(data)+2)
	frame = append(append(append(frame, '['), data...), ']')
	// Cannot fail: a text message needs no compression here.
	alone, _ := websocket.NewPreparedMessage(websocket.TextMessage, frame)
	return &part{id: id, json: data, alone: alone}
}

// clientView is an event as a client's page gets it: without the list of
// who may see it.
type clientView struct {
	ID     uint64    `json:"id"`
	Type   string    `json:"type"`
	CaseID uint64    `json:"case,omitempty"`
	Ref    uint64    `json:"ref,omitempty"`
	At     time.Time `json:"at"`
}

func encodeStaff(e store.Event) *part {
	data, _ := json.Marshal(e) // a struct of numbers, strings and a time: cannot fail
	return newPart(e.ID, data)
}

func encodeClient(e store.Event) *part {
	data, _ := json.Marshal(clientView{ID: e.ID, Type: e.Type, CaseID: e.CaseID, Ref: e.Ref, At: e.At})
	return newPart(e.ID, data)
}

// forClient reports whether a client may see e.
func forClient(e store.Event, clientID uint64) bool {
	if e.StaffOnly {
		return false
	}
	for _, id := range e.ClientIDs {
		if id == clientID {
			return true
		}
	}
	return false
}

// run owns the subscriptions.
func (h *Hub) run() {
	defer close(h.stopped)
	staff := map[*conn]struct{}{}
	byClient := map[uint64]map[*conn]struct{}{}
	remove := func(c *conn, reason int) {
		if c.clientID != 0 {
			set := byClient[c.clientID]
			if _, ok := set[c]; !ok {
				return
			}
			delete(set, c)
			if len(set) == 0 {
				delete(byClient, c.clientID)
			}
		} else {
			if _, ok := staff[c]; !ok {
				return
			}
			delete(staff, c)
		}
		c.closeCode = reason
		close(c.send)
	}
	deliver := func(c *conn, p *part) {
		select {
		case c.send <- p:
		default:
			// Too slow: drop it now, and cut the socket so a writer stuck
			// in a write returns at once.
			remove(c, CloseTooSlow)
			c.ws.NetConn().Close()
		}
	}
	for {
		select {
		case c := <-h.register:
			if c.clientID != 0 && len(byClient[c.clientID]) >= h.maxClient {
				c.closeCode = CloseTooMany // never registered: its writer only says why
				close(c.send)
				continue
			}
			if c.clientID != 0 {
				if byClient[c.clientID] == nil {
					byClient[c.clientID] = map[*conn]struct{}{}
				}
				byClient[c.clientID][c] = struct{}{}
			} else {
				staff[c] = struct{}{}
			}
		case c := <-h.unregister:
			remove(c, websocket.CloseNormalClosure)
		case cs := <-h.drop:
			for _, c := range cs {
				remove(c, CloseSessionEnded)
			}
		case reply := <-h.snapshot:
			all := make([]*conn, 0, len(staff)+len(byClient))
			for c := range staff {
				all = append(all, c)
			}
			for _, set := range byClient {
				for c := range set {
					all = append(all, c)
				}
			}
			reply <- all
		case events := <-h.publish:
			for _, e := range events {
				if len(staff) > 0 {
					p := encodeStaff(e)
					for c := range staff {
						deliver(c, p)
					}
				}
				if e.StaffOnly {
					continue
				}
				var p *part
				for _, id := range e.ClientIDs {
					for c := range byClient[id] {
						if p == nil {
							p = encodeClient(e)
						}
						deliver(c, p)
					}
				}
			}
		case <-h.done:
			for c := range staff {
				remove(c, websocket.CloseGoingAway)
			}
			for _, set := range byClient {
				for c := range set {
					remove(c, websocket.CloseGoingAway)
				}
			}
			return
		}
	}
}

// connections is a snapshot of the open connections.
func (h *Hub) connections() []*conn {
	reply := make(chan []*conn, 1)
	select {
	case h.snapshot <- reply:
		return <-reply
	case <-h.done:
		return nil
	}
}

// Count is the number of open connections (for tests and the load command).
func (h *Hub) Count() int { return len(h.connections()) }

// ClientsOnline is the number of distinct clients with a portal page open:
// a client with three tabs open counts once; staff connections not at all.
func (h *Hub) ClientsOnline() int {
	seen := map[uint64]struct{}{}
	for _, c := range h.connections() {
		if c.clientID != 0 {
			seen[c.clientID] = struct{}{}
		}
	}
	return len(seen)
}

// SweepEvents deletes the events older than the retention, in batches, and
// says how many it deleted.
func (h *Hub) SweepEvents(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := h.store.Update(ctx, func(tx *store.Tx) (err error) {
			n, err = tx.DeleteEventsBefore(tx.Now().Add(-h.retention), 1000)
			return err
		})
		total += n
		if err != nil || n < 1000 {
			return total, err
		}
	}
}

// Sweep deletes old events now and every hour until ctx ends (the service
// runs it).
func (h *Hub) Sweep(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := h.SweepEvents(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("sweep event log", "err", err)
		} else if n > 0 {
			h.log.Info("old events removed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
