package live

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/store"
)

// conn is one subscriber's websocket.
type conn struct {
	ws       *websocket.Conn
	clientID uint64 // 0: a staff connection
	session  []byte // the SHA-256 of its session token
	send     chan *part
	// closeCode is why the hub closed send; written by the hub before
	// close(send), read by the writer after it sees the close.
	closeCode int
	// seen is the last event ID the catch-up covered: live events at or
	// below it were sent already. (Not raised by live events: two commits may
	// publish out of order, and the later one must not hide the earlier.)
	seen uint64
}

// sees reports whether this connection may see e.
func (c *conn) sees(e store.Event) bool {
	return c.clientID == 0 || forClient(e, c.clientID)
}

func (c *conn) encode(e store.Event) *part {
	if c.clientID == 0 {
		return encodeStaff(e)
	}
	return encodeClient(e)
}

// control is a frame item that is not an event: "ready" after the catch-up
// (id: resume from here), or "reload" when the catch-up is impossible.
type control struct {
	Type string `json:"type"`
	ID   uint64 `json:"id"`
}

// catchUp writes, as the first frame, the events after `after` that this
// connection may see, and a "ready" item with the ID to resume from; or a
// "reload" item when the log no longer holds everything after `after`.
// resume false: only the "ready" item (a fresh page has nothing to catch up).
func (h *Hub) catchUp(c *conn, resume bool, after uint64) error {
	var parts []*part
	ctl := control{Type: "ready"}
	err := h.store.View(context.Background(), func(tx *store.Tx) error {
		span := tx.EventSpan()
		ctl.ID = span.Last
		if !resume {
			return nil
		}
		if !span.Covers(after) || span.Last-after > maxReplay {
			ctl.Type = "reload"
			return nil
		}
		events, err := tx.EventsAfter(after, maxReplay)
		for _, e := range events {
			if c.sees(e) {
				parts = append(parts, c.encode(e))
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	c.seen = ctl.ID
	ctlJSON, _ := json.Marshal(ctl)
	return c.write(parts, ctlJSON)
}

// write sends parts (and extra, when not nil) as one frame: a JSON array.
func (c *conn) write(parts []*part, extra []byte) error {
	c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	if len(parts) == 1 && extra == nil {
		return c.ws.WritePreparedMessage(parts[0].alone)
	}
	w, err := c.ws.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(p.json)
	}
	if extra != nil {
		if len(parts) > 0 {
			b.WriteByte(',')
		}
		b.Write(extra)
	}
	b.WriteByte(']')
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	return w.Close()
}

// writer sends what the hub queues, pings, and closes the socket when the
// hub closes the queue (dropped, session ended, hub closing).
func (h *Hub) writer(c *conn) {
	ping := time.NewTicker(h.ping)
	defer func() {
		ping.Stop()
		c.ws.Close()
	}()
	var batch []*part
	for {
		select {
		case p, ok := <-c.send:
			if !ok {
				c.ws.SetWriteDeadline(time.Now().Add(time.Second))
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(c.closeCode, closeText(c.closeCode)))
				return
			}
			batch = batch[:0]
			if p.id > c.seen {
				batch = append(batch, p)
			}
			// Whatever else is queued goes in the same frame.
		drain:
			for len(batch) < queueLen {
				select {
				case q, ok := <-c.send:
					if !ok {
						break drain // the next receive sees the close
					}
					if q.id > c.seen {
						batch = append(batch, q)
					}
				default:
					break drain
				}
			}
			if len(batch) == 0 {
				continue
			}
			if err := c.write(batch, nil); err != nil {
				return
			}
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		}
	}
}

// reader reads (and discards) what the peer sends, answering pings and
// taking pongs, until the connection fails or closes; then it unregisters.
func (h *Hub) reader(c *conn) {
	defer func() {
		select {
		case h.unregister <- c:
		case <-h.done:
		}
		c.ws.Close()
	}()
	c.ws.SetReadLimit(readLimit)
	wait := 2 * h.ping
	c.ws.SetReadDeadline(time.Now().Add(wait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(wait)) })
	for {
		if _, _, err := c.ws.NextReader(); err != nil {
			return
		}
	}
}

func closeText(code int) string {
	switch code {
	case CloseSessionEnded:
		return "session ended: log in again"
	case CloseTooSlow:
		return "too slow: reconnect with ?after"
	case CloseTooMany:
		return "too many pages open: close some"
	case websocket.CloseGoingAway:
		return "service stopping"
	}
	return ""
}
