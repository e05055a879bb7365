package portal

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Sessions: the cookie, who is logged in, the login page and form, logout.

func sessionCookieName(r *http.Request) string {
	if r.TLS != nil {
		return sessionCookieTLS
	}
	return sessionCookie
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: token, Path: "/",
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: "", Path: "/", MaxAge: -1,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// who is the logged-in client, or nil. A cookie of a session that ended is
// cleared.
func (p *Portal) who(w http.ResponseWriter, r *http.Request) (*store.Client, error) {
	if pv := previewFrom(r.Context()); pv != nil { // staff previewing (preview.go)
		c := pv.Client
		return &c, nil
	}
	token := sessionToken(r)
	if token == "" {
		return nil, nil
	}
	c, err := p.auth.Client(r.Context(), token)
	if errors.Is(err, auth.ErrNoSession) {
		clearSessionCookie(w, r)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func (p *Portal) root(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl != nil {
		redirect(w, r, "/cases")
		return
	}
	redirect(w, r, "/login")
}

func (p *Portal) loginPage(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl != nil {
		redirect(w, r, "/cases")
		return
	}
	p.renderLogin(w, r, http.StatusOK, func(pg *page) {
		if d := r.URL.Query().Get("done"); d == "registered" || d == "reset" {
			pg.Done = d // the notice after a registration or a reset (register.go, reset.go)
		}
	})
}

func (p *Portal) renderLogin(w http.ResponseWriter, r *http.Request, status int, fill func(*page)) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	pg := p.newPage(r, nil, set, "/login")
	pg.Title = pg.T("login.title")
	pg.PasskeyScript = p.assets["passkey.js"].url
	fill(pg)
	p.render(w, r, status, "login", pg)
}

// parseForm reads a small urlencoded form body. It answers 413 for a body
// over maxFormBytes and 400 for one that cannot be read or is not UTF-8, and
// then reports false.
func (p *Portal) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.message(w, r, nil, http.StatusRequestEntityTooLarge, "toolarge")
		} else {
			p.message(w, r, nil, http.StatusBadRequest, "badrequest")
		}
		return false
	}
	for k, vs := range r.PostForm {
		ok := utf8.ValidString(k)
		for _, v := range vs {
			ok = ok && utf8.ValidString(v)
		}
		if !ok {
			p.message(w, r, nil, http.StatusBadRequest, "badrequest")
			return false
		}
	}
	return true
}

func (p *Portal) login(w http.ResponseWriter, r *http.Request) {
	ip := httpsec.ClientIP(r)
	if ok, wait := p.limit.Take(ratelimit.AddressKey(ip)); !ok {
		p.auth.Refused(r.Context(), store.SessionClient, ip, "rate_limited")
		w.Header().Set("Retry-After", retryAfter(wait))
		p.message(w, r, nil, http.StatusTooManyRequests, "ratelimit")
		return
	}
	if !p.parseForm(w, r) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	pw := r.PostForm.Get("password")
	if email == "" || pw == "" {
		p.renderLogin(w, r, http.StatusBadRequest, func(pg *page) {
			pg.Email, pg.EmailMissing, pg.PasswordMissing = email, email == "", pw == ""
		})
		return
	}
	// Over-long input (longer than password.MaxLength characters, the
	// policy's limit) fails in LoginClient like any bad login, and is audited.
	_, login, err := p.auth.LoginClient(r.Context(), email, pw, ip, sessionToken(r))
	var need *auth.SecondFactorNeeded
	switch {
	case errors.As(err, &need):
		p.secondFactorNeeded(w, r, need)
	case errors.Is(err, auth.ErrBadLogin):
		if len(email) > maxEmailLen {
			email = ""
		}
		p.renderLogin(w, r, http.StatusUnauthorized, func(pg *page) { pg.Email, pg.LoginFailed = email, true })
	case errors.Is(err, auth.ErrBusy):
		w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
		p.message(w, r, nil, http.StatusServiceUnavailable, "busy")
	case err != nil:
		p.internal(w, r, err)
	default:
		setSessionCookie(w, r, login.Token)
		redirect(w, r, "/cases")
	}
}

// retryAfter is a Retry-After header value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1))
}

func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	if token := sessionToken(r); token != "" {
		if err := p.auth.Logout(r.Context(), token, httpsec.ClientIP(r)); err != nil {
			p.internal(w, r, err)
			return
		}
	}
	clearSessionCookie(w, r)
	redirect(w, r, "/login")
}
