package app

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// errNotConnected is what a screen's call answers before Connect.
var errNotConnected = uiText(apitext.New("error.not_connected", "not connected: connect to the portal service first"), nil)

// link is the control panel's one connection to the service, shared by the
// bound structs: the staff API client (which holds the session's token, in
// memory only for now), who is logged in, and the live event feed.
type link struct {
	mu     sync.Mutex
	ctx    context.Context // the window's lifetime (Background until it starts)
	http   *http.Client    // nil: a client with callTimeout
	emit   Emitter         // nil: events are dropped
	client *apiclient.Client
	info   OfficeInfo
	stop   context.CancelFunc // stops the live feed of client
	fed    chan struct{}      // closed when the last feed started has stopped
	notes  *notes             // desktop notifications (nil: none)
	desk   *desk              // the native file dialogs and the browser
	texts  *apitext.Catalog   // the control panel's texts in every language
	langs  *languages         // the language the panel speaks
	keep   *keeper            // the session kept on this computer (nil: none)
}

func newLink() *link {
	return &link{ctx: context.Background(), desk: &desk{}, langs: newLanguages(""), texts: loadTexts()}
}

// start is the window's OnStartup: calls and the live feed then live as long
// as the window, and events go to it (unless a test set its own emitter).
func (l *link) start(ctx context.Context, e Emitter) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ctx = ctx
	if l.emit == nil {
		l.emit = e
	}
}

func (l *link) setEmitter(e Emitter) {
	l.mu.Lock()
	l.emit = e
	l.mu.Unlock()
}

func (l *link) setHTTP(hc *http.Client) {
	l.mu.Lock()
	l.http = hc
	l.mu.Unlock()
}

func (l *link) httpClient() *http.Client {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.http != nil {
		return l.http
	}
	return &http.Client{Timeout: callTimeout}
}

// emitter is where events go now (a no-op before the window starts).
func (l *link) emitter() Emitter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.emit == nil {
		return discard{}
	}
	return l.emit
}

// call runs fn with the connected client and a context bounded by
// callTimeout. A failure comes back in words for the person at the window;
// a session the service no longer knows is dropped, and the window told.
func (l *link) call(doing apitext.Text, fn func(ctx context.Context, c *apiclient.Client) error) error {
	l.mu.Lock()
	c, base, parent := l.client, l.info.Service, l.ctx
	l.mu.Unlock()
	if c == nil {
		return errNotConnected
	}
	c.SetLanguage(l.language()) // the service's refusals in the window's language
	ctx, cancel := context.WithTimeout(parent, callTimeout)
	defer cancel()
	err := fn(ctx, c)
	if err == nil {
		return nil
	}
	if apiclient.IsCode(err, "unauthorized") {
		l.drop(c, l.say(endedReason))
		return sessionEnded(doing, err)
	}
	if ui := (*uiError)(nil); errors.As(err, &ui) {
		return err // already in words (a check made before calling the service)
	}
	return explain(base, doing, err)
}

// use makes c the connected client and starts following its event stream,
// ending the earlier session's feed. It returns the earlier client.
func (l *link) use(c *apiclient.Client, info OfficeInfo) *apiclient.Client {
	l.mu.Lock()
	old, stop, fed := l.client, l.stop, l.fed
	ctx, cancel := context.WithCancel(l.ctx)
	done := make(chan struct{})
	l.client, l.info, l.stop, l.fed = c, info, cancel, done
	l.mu.Unlock()
	if l.notes != nil {
		l.notes.reset()
	}
	// The earlier feed ends (and says "stopped") before this one starts,
	// so the window never hears an old feed after the new one.
	if stop != nil {
		stop()
	}
	if fed != nil {
		<-fed
	}
	go func() {
		defer close(done)
		l.follow(ctx, c)
	}()
	return old
}

// forget ends the connection and its feed, and returns the client it held
// and the service's address.
func (l *link) forget() (*apiclient.Client, string) {
	l.mu.Lock()
	old, base, stop, fed := l.client, l.info.Service, l.stop, l.fed
	l.client, l.info, l.stop, l.fed = nil, OfficeInfo{}, nil, nil
	l.mu.Unlock()
	if stop != nil {
		stop()
	}
	if fed != nil {
		<-fed
	}
	return old, base
}

// drop forgets a connection whose session the service ended and tells the
// window why. Called from the feed itself, it must not wait for the feed; it
// keeps the feed's done channel, so the next Connect or Logout does.
func (l *link) drop(c *apiclient.Client, why string) {
	l.mu.Lock()
	if l.client != c {
		l.mu.Unlock()
		return
	}
	stop := l.stop
	l.client, l.info, l.stop = nil, OfficeInfo{}, nil
	emit := l.emit
	l.mu.Unlock()
	if stop != nil {
		stop()
	}
	// The service refuses the token from now on: keeping it would only
	// fail at the next start, and leave a dead secret in the store.
	if l.keep != nil {
		l.keep.forget(c.Token())
	}
	if emit != nil {
		emit.Emit(EventSessionEnded, SessionEnded{Reason: why})
	}
}

// connected is the current connection's facts (ok false when not connected).
func (l *link) connected() (OfficeInfo, *apiclient.Client) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.info, l.client
}

// fetch is call for the usual shape of a binding: one request whose answer
// is the binding's answer.
func fetch[T any](l *link, doing apitext.Text, fn func(ctx context.Context, c *apiclient.Client) (T, error)) (T, error) {
	var out T
	err := l.call(doing, func(ctx context.Context, c *apiclient.Client) error {
		var err error
		out, err = fn(ctx, c)
		return err
	})
	return out, err
}
