package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// The bare hub is gorilla/websocket's chat example, as its authors wrote
// it: one goroutine owns the clients and takes register, unregister and
// broadcast from channels; each client has a read pump and a write pump and a
// buffered send channel, and is dropped when that is full; queued messages go
// out in the same frame. It has no sessions, no store and no filtering: the
// floor that the service's hub is compared with.

const (
	bareWriteWait  = 10 * time.Second
	barePongWait   = 60 * time.Second
	barePingPeriod = (barePongWait * 9) / 10
	bareMaxMessage = 512
)

type bareHub struct {
	clients    map[*bareClient]bool
	broadcast  chan []byte
	register   chan *bareClient
	unregister chan *bareClient
}

type bareClient struct {
	hub  *bareHub
	conn *websocket.Conn
	send chan []byte
}

func (h *bareHub) run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = true
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case m := <-h.broadcast:
			for c := range h.clients {
				select {
				case c.send <- m:
				default:
					close(c.send)
					delete(h.clients, c)
				}
			}
		}
	}
}

func (c *bareClient) readPump() {
	defer func() {
		c.hub.unregister <- c
		c.conn.Close()
	}()
	c.conn.SetReadLimit(bareMaxMessage)
	c.conn.SetReadDeadline(time.Now().Add(barePongWait))
	c.conn.SetPongHandler(func(string) error { c.conn.SetReadDeadline(time.Now().Add(barePongWait)); return nil })
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			return
		}
	}
}

func (c *bareClient) writePump() {
	ticker := time.NewTicker(barePingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case m, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(bareWriteWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, []byte{})
				return
			}
			w, err := c.conn.NextWriter(websocket.TextMessage)
			if err != nil {
				return
			}
			w.Write(m)
			for range len(c.send) {
				w.Write([]byte{'\n'})
				w.Write(<-c.send)
			}
			if err := w.Close(); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(bareWriteWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

// serveBare serves the bare hub at addr. It prints its URL on the first line.
func serveBare(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr())
	srv := &http.Server{Handler: bareHandler(), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// bareHandler is the bare hub: GET /ws subscribes, POST /broadcast sends its
// body to every subscriber.
func bareHandler() http.Handler {
	hub := &bareHub{clients: map[*bareClient]bool{}, broadcast: make(chan []byte),
		register: make(chan *bareClient), unregister: make(chan *bareClient)}
	go hub.run()
	upgrader := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &bareClient{hub: hub, conn: conn, send: make(chan []byte, 256)}
		hub.register <- c
		go c.writePump()
		go c.readPump()
	})
	mux.HandleFunc("POST /broadcast", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		hub.broadcast <- bytes.Clone(body)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}
