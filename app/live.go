package app

import (
	"context"
	"math/rand/v2"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Names of the events the Go side sends the frontend (runtime.EventsOn).
const (
	// EventLive carries one event of the service's log (a LiveEvent).
	EventLive = "live:event"
	// EventLiveState says how the feed stands (a LiveState).
	EventLiveState = "live:state"
	// EventLiveReload: events were missed beyond what the service's log
	// keeps; the open screens should read their lists again.
	EventLiveReload = "live:reload"
	// EventSessionEnded: the service ended the session (a SessionEnded);
	// the window goes back to the Connect screen.
	EventSessionEnded = "session:ended"
)

// Emitter sends an event to the frontend. In the window it is the Wails
// runtime's EventsEmit; tests record what is sent. (EventsEmit with a
// context that did not come from Wails ends the process, so it stays behind
// this interface.)
type Emitter interface {
	Emit(name string, data any)
}

type wailsEmitter struct{ ctx context.Context }

func (w wailsEmitter) Emit(name string, data any) { runtime.EventsEmit(w.ctx, name, data) }

type discard struct{}

func (discard) Emit(string, any) {}

// LiveEvent is an event of the service's log as the frontend receives it:
// what happened and where, never the content (the screen reads that).
type LiveEvent struct {
	ID     uint64 `json:"id"`
	Type   string `json:"type"` // message.created, message.read, status.added, appointment.created, ...
	CaseID uint64 `json:"caseId"`
	Ref    uint64 `json:"ref"`
	At     string `json:"at"` // RFC 3339
}

// LiveState is the feed's state: "live" (following), "reconnecting" (lost;
// trying again after Retry seconds, then catching up) or "stopped".
type LiveState struct {
	State  string `json:"state"`
	Detail string `json:"detail"`
	Retry  int    `json:"retry"`
}

// SessionEnded says why the window must connect again.
type SessionEnded struct {
	Reason string `json:"reason"`
}

// Reconnection backoff: first wait, and the longest.
const (
	retryFirst = time.Second
	retryMax   = 30 * time.Second
)

// follow forwards the staff event stream of c to the window until ctx ends
// or the service ends the session. A lost stream is opened again, with
// backoff (doubling, with jitter), and resumes after the last event seen, so
// nothing committed meanwhile is missed.
func (l *link) follow(ctx context.Context, c *apiclient.Client) {
	defer func() { l.emitter().Emit(EventLiveState, LiveState{State: "stopped"}) }()
	var after uint64
	resume := false
	wait := retryFirst
	for ctx.Err() == nil {
		s, err := c.Events(ctx, apiclient.EventsOptions{Resume: resume, After: after})
		if err == nil {
			wait = retryFirst
			var ended bool
			after, ended = l.forward(s, after, &resume)
			s.Close()
			if ended {
				l.drop(c, l.say(apitext.New("error.session_ended_live", "the service ended your session (logged out elsewhere, expired or ended by an administrator): connect again")))
				return
			}
		} else if apiclient.IsCode(err, "unauthorized") {
			l.drop(c, l.say(apitext.New("error.session_unknown", "the service no longer knows your session: connect again")))
			return
		}
		if ctx.Err() != nil {
			break
		}
		// Jitter keeps a room of control panels from coming back at once
		// after the service restarts.
		d := wait/2 + rand.N(wait/2+1)
		l.emitter().Emit(EventLiveState, LiveState{State: "reconnecting", Detail: l.say(apitext.New("live.reconnecting", "the live connection to the service was lost; trying again")), Retry: int((d + time.Second - 1) / time.Second)})
		select {
		case <-ctx.Done():
		case <-time.After(d):
		}
		wait = min(wait*2, retryMax)
	}
}

// forward reads frames until the stream ends, sending each event on, and
// returns the last event id seen and whether the session ended.
func (l *link) forward(s *apiclient.EventStream, after uint64, resume *bool) (uint64, bool) {
	for {
		items, err := s.Next()
		if err != nil {
			return after, apiclient.SessionEnded(err)
		}
		for _, it := range items {
			e := l.emitter()
			switch it.Type {
			case "ready":
				after, *resume = it.ID, true
				e.Emit(EventLiveState, LiveState{State: "live"})
			case "reload":
				after, *resume = it.ID, true
				e.Emit(EventLiveReload, nil)
				e.Emit(EventLiveState, LiveState{State: "live"})
			default:
				after = max(after, it.ID)
				ev := liveEvent(it)
				e.Emit(EventLive, ev)
				if l.notes != nil {
					l.notes.observe(ev)
				}
			}
		}
	}
}

func liveEvent(e api.Event) LiveEvent {
	return LiveEvent{ID: e.ID, Type: e.Type, CaseID: e.CaseID, Ref: e.Ref, At: stamp(e.At)}
}

// stamp writes a time for the frontend: RFC 3339 in UTC ("" for none).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
