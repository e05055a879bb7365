package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/api"
)

// MessagesOptions page a case's messages, newest first: Before is the Next
// of the page before (0: the newest).
type MessagesOptions struct {
	Before uint64
	Limit  int
}

// Messages reads a page of the case's notes and messages, newest first.
func (c *Client) Messages(ctx context.Context, caseID uint64, o MessagesOptions) (api.Messages, error) {
	v := url.Values{}
	if o.Before != 0 {
		v.Set("before", strconv.FormatUint(o.Before, 10))
	}
	if o.Limit != 0 {
		v.Set("limit", strconv.Itoa(o.Limit))
	}
	var out api.Messages
	return out, c.call(ctx, http.MethodGet, path(api.PathCaseMessages, caseID), v, nil, &out)
}

// PostMessage adds an internal note or a portal message to the case.
func (c *Client) PostMessage(ctx context.Context, caseID uint64, in api.MessageInput) (api.Message, error) {
	var out api.Message
	return out, c.call(ctx, http.MethodPost, path(api.PathCaseMessages, caseID), nil, in, &out)
}

// MarkMessagesRead marks the case's client messages up to upTo (0: all) as
// read, and says how many were new.
func (c *Client) MarkMessagesRead(ctx context.Context, caseID, upTo uint64) (int, error) {
	var out api.MessagesRead
	err := c.call(ctx, http.MethodPost, path(api.PathCaseMessagesRead, caseID), nil, api.MessagesReadInput{UpTo: upTo}, &out)
	return out.Marked, err
}

// EventsOptions choose where a stream starts: with Resume, after the event
// After (a reconnect catches up from the service's event log); without, at
// the events committed from now on.
type EventsOptions struct {
	Resume bool
	After  uint64
}

// EventStream is an open live event stream (GET /api/v1/events).
type EventStream struct {
	ws   *websocket.Conn
	once sync.Once
	stop chan struct{}
}

// Events opens the live event stream. The first frame holds the missed
// events (with Resume) and an item of type "ready" whose ID is where to
// resume from; an item of type "reload" means the log no longer holds what
// was missed: read the lists again and resume from its ID. The stream ends
// when ctx ends, on Close, or when the session ends.
func (c *Client) Events(ctx context.Context, o EventsOptions) (*EventStream, error) {
	u, err := url.Parse(c.base + api.PathEvents)
	if err != nil {
		return nil, err
	}
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	if o.Resume {
		u.RawQuery = url.Values{"after": {strconv.FormatUint(o.After, 10)}}.Encode()
	}
	d := websocket.Dialer{HandshakeTimeout: c.http.Timeout}
	if d.HandshakeTimeout == 0 {
		d.HandshakeTimeout = 30 * time.Second
	}
	if t, ok := c.http.Transport.(*http.Transport); ok && t.TLSClientConfig != nil {
		d.TLSClientConfig = t.TLSClientConfig.Clone()
		// net/http adds "h2" to the transport's config once it has made a
		// request; a listener that speaks HTTP/2 (the staff listener, the
		// HTTPS one) would then choose it, and a websocket handshake is
		// HTTP/1.1 only.
		d.TLSClientConfig.NextProtos = []string{"http/1.1"}
	}
	h := http.Header{}
	if token := c.Token(); token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	ws, resp, err := d.DialContext(ctx, u.String(), h)
	if err != nil {
		if resp != nil {
			defer resp.Body.Close()
			data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			return nil, decodeError(resp, data)
		}
		return nil, fmt.Errorf("GET %s: %w", api.PathEvents, err)
	}
	s := &EventStream{ws: ws, stop: make(chan struct{})}
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.stop:
		}
	}()
	return s, nil
}

// Next waits for the next frame and returns its items. After the stream
// ended it returns an error; a *websocket.CloseError says why (4401: the
// session ended, log in again; 4408: the connection fell behind, reconnect
// with Resume).
func (s *EventStream) Next() ([]api.Event, error) {
	_, data, err := s.ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	var out []api.Event
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("GET %s: decode a frame: %w", api.PathEvents, err)
	}
	return out, nil
}

// Close ends the stream.
func (s *EventStream) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		err = s.ws.Close()
	})
	return err
}

// SessionEnded reports whether err, from Next, says the stream's session ended.
func SessionEnded(err error) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == 4401
}

// Appointments reads the case's appointments, staff-only ones included,
// earliest first.
func (c *Client) Appointments(ctx context.Context, caseID uint64) (api.Page[api.Appointment], error) {
	var out api.Page[api.Appointment]
	return out, c.call(ctx, http.MethodGet, path(api.PathCaseAppointments, caseID), nil, nil, &out)
}

// AddAppointment adds an appointment to the case.
func (c *Client) AddAppointment(ctx context.Context, caseID uint64, in api.AppointmentInput) (api.Appointment, error) {
	var out api.Appointment
	return out, c.call(ctx, http.MethodPost, path(api.PathCaseAppointments, caseID), nil, in, &out)
}

// CancelAppointment cancels an appointment of the case.
func (c *Client) CancelAppointment(ctx context.Context, caseID, appointmentID uint64) (api.Appointment, error) {
	var out api.Appointment
	return out, c.call(ctx, http.MethodPost, path(api.PathAppointmentCancel, caseID, appointmentID), nil, nil, &out)
}
