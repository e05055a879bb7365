package app

import (
	"context"
	"errors"
	"net"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// callTimeout bounds each call the control panel makes to the service.
const callTimeout = 30 * time.Second

// OfficeInfo is what the control panel shows once connected. The session's
// token is not in it: it stays in the Go side, which makes every call.
type OfficeInfo struct {
	Office  string `json:"office"`  // the office's name
	Service string `json:"service"` // the service's address
	Staff   string `json:"staff"`   // who is logged in
	StaffID uint64 `json:"staffId"` // their staff id
	Role    string `json:"role"`    // "admin" or "staff"
}

// Session is bound to the frontend as window.go.app.Session: the Connect
// screen (pairing with a server, logging in with a second factor, a kept
// session), and who is logged in. The session's token stays in Go: in
// memory, and in the OS's credential store when the person chose "Keep me
// signed in".
type Session struct {
	link   *link
	pairs  *pairings
	keep   *keeper
	signIn signIn
}

func newSession(l *link) *Session {
	k := &keeper{}
	l.keep = k
	return &Session{link: l, pairs: &pairings{}, keep: k}
}

// Connect logs in to the portal service at serviceURL as a staff member
// (LogIn without keeping the session), for an account without a second
// factor. A later Connect replaces the session, logging the earlier one
// out.
func (s *Session) Connect(serviceURL, email, password string) (OfficeInfo, error) {
	step, err := s.LogIn(serviceURL, email, password, false)
	if err != nil {
		return OfficeInfo{}, err
	}
	if !step.Done {
		s.signIn.set(nil)
		return OfficeInfo{}, uiText(apitext.New("error.needs_second_factor", "this account needs its second factor: log in from the Connect screen, which asks for the code"), nil)
	}
	return step.Office, nil
}

// Who is the connection's facts, checked with the service (the session may
// have ended since); an error when not connected.
func (s *Session) Who() (OfficeInfo, error) {
	var info OfficeInfo
	err := s.link.call(apitext.New("doing.check_session", "check the session"), func(ctx context.Context, c *apiclient.Client) error {
		me, err := c.Me(ctx)
		if err != nil {
			return err
		}
		info, _ = s.link.connected()
		info.Staff, info.Role = me.Name, me.Role
		return nil
	})
	return info, err
}

// Logout ends the session with the service, stops the live feed and
// removes the kept session; without a session it does nothing more.
func (s *Session) Logout() error {
	s.keep.remove()
	c, base := s.link.forget()
	if c == nil {
		return nil
	}
	s.link.mu.Lock()
	parent := s.link.ctx
	s.link.mu.Unlock()
	ctx, cancel := context.WithTimeout(parent, callTimeout)
	defer cancel()
	if err := c.Logout(ctx); err != nil {
		return explain(base, apitext.New("doing.log_out", "log out"), err)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// explain turns a failed call into a message for the person at the window,
// keeping the error underneath for errors.As.
func explain(base string, doing apitext.Text, err error) error {
	var e *api.Error
	var pe *apiclient.PinError
	switch {
	case errors.As(err, &pe):
		return pinWarning(pe, base)
	case errors.As(err, &e) && e.RetryAfter > 0:
		return uiText(apitext.New("error.refused_wait", "could not {{.Doing}}: {{.Why}} (the service asks to wait {{.Wait}})",
			"Doing", doing, "Why", e.Message, "Wait", e.RetryAfter.Round(time.Second).String()), err)
	case errors.As(err, &e):
		return uiText(apitext.New("error.refused", "could not {{.Doing}}: {{.Why}}", "Doing", doing, "Why", e.Message), err)
	case errors.Is(err, context.DeadlineExceeded):
		return uiText(apitext.New("error.timeout", "could not {{.Doing}}: the service at {{.Service}} did not answer within {{.Wait}}",
			"Doing", doing, "Service", base, "Wait", callTimeout.String()), err)
	default:
		return uiText(apitext.New("error.unreachable", "could not {{.Doing}}: cannot reach the service at {{.Service}}; check the address and that the service runs",
			"Doing", doing, "Service", base), err)
	}
}

// sessionEnded is a call refused because the service ended the session.
func sessionEnded(doing apitext.Text, err error) error {
	return uiText(apitext.New("error.session_ended", "could not {{.Doing}}: your session ended; connect again", "Doing", doing), err)
}

// endedReason is why the window is told a session ended.
var endedReason = apitext.New("error.session_ended_reason", "your session ended (logged out elsewhere, expired or ended by an administrator): connect again")

// uiError is a message written for the user, over the error it explains.
// Error is its English; the window says it in the chosen language.
type uiError struct {
	text apitext.Text
	err  error
}

// userError is a message already in words, said as it is (such as the
// service's own, already in the language asked).
func userError(msg string, err error) error {
	return &uiError{text: apitext.Text{English: msg}, err: err}
}

// uiText is the control panel's text t, over the error it explains.
func uiText(t apitext.Text, err error) error { return &uiError{text: t, err: err} }

func (e *uiError) Error() string { return e.text.String() }
func (e *uiError) Unwrap() error { return e.err }
