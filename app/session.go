package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
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
// screen, and who is logged in. The session's token stays in Go, in memory
// only (it is gone when the window closes; the OS keyring comes later).
type Session struct {
	link *link
}

// Connect logs in to the portal service at serviceURL as a staff member,
// reads the office's name and starts following the staff event stream. The
// service is reached over HTTPS, or plain HTTP on this computer (a password
// must not cross the network in clear). A later Connect replaces the
// session, logging the earlier one out.
func (s *Session) Connect(serviceURL, email, password string) (OfficeInfo, error) {
	l := s.link
	base, err := serviceAddress(serviceURL)
	if err != nil {
		return OfficeInfo{}, err
	}
	c, err := apiclient.New(base, apiclient.WithHTTPClient(l.httpClient()))
	if err != nil {
		return OfficeInfo{}, userError("the service address is not usable", err)
	}
	l.mu.Lock()
	parent := l.ctx
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(parent, callTimeout)
	defer cancel()
	login, err := c.Login(ctx, strings.TrimSpace(email), password)
	if err != nil {
		return OfficeInfo{}, explain(base, "log in", err)
	}
	settings, err := c.Settings(ctx)
	if err != nil {
		_ = c.Logout(ctx)
		return OfficeInfo{}, explain(base, "read the office settings", err)
	}
	info := OfficeInfo{Office: settings.OfficeName, Service: base, Staff: login.Staff.Name, StaffID: login.Staff.ID, Role: login.Staff.Role}
	if old := l.use(c, info); old != nil {
		// Best effort: the old session expires on its own if this fails.
		_ = old.Logout(ctx)
	}
	return info, nil
}

// Who is the connection's facts, checked with the service (the session may
// have ended since); an error when not connected.
func (s *Session) Who() (OfficeInfo, error) {
	var info OfficeInfo
	err := s.link.call("check the session", func(ctx context.Context, c *apiclient.Client) error {
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

// Logout ends the session with the service and stops the live feed; without
// a session it does nothing.
func (s *Session) Logout() error {
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
		return explain(base, "log out", err)
	}
	return nil
}

// serviceAddress checks the address the user typed and returns it without a
// trailing slash. "portal.example.org" means https://portal.example.org.
func serviceAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("enter the portal service's address, such as https://portal.example.org")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("%q is not a service address: write it as https://portal.example.org", s)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("use https://%s: plain http would send the password unencrypted (it is allowed only for a service on this computer)", u.Host)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
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
func explain(base, doing string, err error) error {
	var e *api.Error
	switch {
	case errors.As(err, &e) && e.RetryAfter > 0:
		return userError(fmt.Sprintf("could not %s: %s (the service asks to wait %s)", doing, e.Message, e.RetryAfter.Round(time.Second)), err)
	case errors.As(err, &e):
		return userError("could not "+doing+": "+e.Message, err)
	case errors.Is(err, context.DeadlineExceeded):
		return userError(fmt.Sprintf("could not %s: the service at %s did not answer within %s", doing, base, callTimeout), err)
	default:
		return userError(fmt.Sprintf("could not %s: cannot reach the service at %s; check the address and that the service runs", doing, base), err)
	}
}

// uiError is a message written for the user, over the error it explains.
type uiError struct {
	msg string
	err error
}

func userError(msg string, err error) error { return &uiError{msg: msg, err: err} }
func (e *uiError) Error() string            { return e.msg }
func (e *uiError) Unwrap() error            { return e.err }
