package live

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/server/httpsec"
)

// PathPortal is the portal's event stream.
const PathPortal = "/live"

// Cookie names of the portal session (as package portal sets them): under
// TLS the __Host- form, which the browser sends only to this host over HTTPS.
const (
	sessionCookie    = "portal_session"
	sessionCookieTLS = "__Host-portal_session"
)

// Mux is what Register adds its route to.
type Mux interface {
	Handle(pattern string, handler http.Handler)
}

// Register adds GET /live, the portal's stream, to mux. (The staff stream is
// a route of the staff API, which registers StaffHandler.)
func (h *Hub) Register(mux Mux) {
	mux.Handle("GET "+PathPortal, httpsec.LongRunning(http.HandlerFunc(h.servePortal), 10*time.Second, 10*time.Second))
}

// StaffHandler serves GET /api/v1/events.
func (h *Hub) StaffHandler() http.Handler {
	return httpsec.LongRunning(http.HandlerFunc(h.serveStaff), 10*time.Second, 10*time.Second)
}

// servePortal is GET /live: a client's page, authenticated by the session
// cookie, from the portal's own origin only.
func (h *Hub) servePortal(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	if !sameOrigin(r, true) {
		http.Error(w, "403 forbidden: the live stream is only for the portal's own pages", http.StatusForbidden)
		return
	}
	resume, after, ok := afterParam(r)
	if !ok {
		http.Error(w, "400 bad request: after must be an event id", http.StatusBadRequest)
		return
	}
	name := sessionCookie
	if r.TLS != nil {
		name = sessionCookieTLS
	}
	ck, err := r.Cookie(name)
	if err != nil || ck.Value == "" {
		http.Error(w, "401 unauthorized: log in to the portal first", http.StatusUnauthorized)
		return
	}
	cl, err := h.auth.Client(r.Context(), ck.Value)
	if err != nil {
		if errors.Is(err, auth.ErrNoSession) {
			http.Error(w, "401 unauthorized: log in to the portal first", http.StatusUnauthorized)
			return
		}
		h.log.Error("live: check portal session", "err", err)
		http.Error(w, "500 internal error", http.StatusInternalServerError)
		return
	}
	h.serve(w, r, cl.ID, auth.HashToken(ck.Value), resume, after)
}

// serveStaff is GET /api/v1/events: a control panel, authenticated by the
// staff bearer token (Authorization: Bearer TOKEN; the control panel's Go
// side sets it; a browser page cannot, and is refused if from elsewhere).
func (h *Hub) serveStaff(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	if !sameOrigin(r, false) {
		api.WriteError(w, api.ErrCrossOrigin)
		return
	}
	resume, after, ok := afterParam(r)
	if !ok {
		api.WriteError(w, &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "after", Message: "after must be an event id"})
		return
	}
	token, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !found {
		api.WriteError(w, api.ErrUnauthorized)
		return
	}
	token = strings.TrimSpace(token)
	if _, err := h.auth.Staff(r.Context(), token); err != nil {
		if errors.Is(err, auth.ErrNoSession) {
			api.WriteError(w, api.ErrUnauthorized)
			return
		}
		h.log.Error("live: check staff session", "err", err)
		api.WriteError(w, api.ErrInternal)
		return
	}
	h.serve(w, r, 0, auth.HashToken(token), resume, after)
}

// serve upgrades the request and starts the connection: register, catch
// up, then a writer and a reader.
func (h *Hub) serve(w http.ResponseWriter, r *http.Request, clientID uint64, session []byte, resume bool, after uint64) {
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered the error
	}
	c := &conn{ws: ws, clientID: clientID, session: session, send: make(chan *part, queueLen)}
	select {
	case h.register <- c:
	case <-h.done:
		ws.Close()
		return
	}
	if err := h.catchUp(c, resume, after); err != nil {
		if !isNetErr(err) {
			h.log.Warn("live: catch up", "err", err)
		}
		select {
		case h.unregister <- c:
		case <-h.done:
		}
		ws.Close()
		return
	}
	// Both in goroutines of their own, and the handler returns: the HTTP
	// server's goroutine, its buffers and the request are then freed, which
	// is most of what an idle connection would otherwise hold.
	go h.writer(c)
	go h.reader(c)
}

// sameOrigin reports whether the request's Origin is the service's own
// (scheme and host as the request reached it). A browser always sends Origin
// on a websocket; required says whether a request without one is refused.
func sameOrigin(r *http.Request, required bool) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return !required
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return u.Scheme == scheme && strings.EqualFold(u.Host, r.Host) && u.Path == "" && u.User == nil
}

// afterParam reads ?after=ID: resume says whether it was given.
func afterParam(r *http.Request) (resume bool, after uint64, ok bool) {
	s, given := r.URL.Query()["after"]
	if !given {
		return false, 0, true
	}
	after, err := strconv.ParseUint(s[0], 10, 64)
	return err == nil, after, err == nil
}

func isNetErr(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) || errors.Is(err, http.ErrHijacked) || strings.Contains(err.Error(), "closed")
}
