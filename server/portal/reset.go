package portal

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"clientportal/server/httpsec"
	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/store"
)

// Password reset: /reset asks for the login email and always answers the
// same page at once; the work (finding the client, issuing the link, queuing
// the email) runs off the request path, so neither the answer nor its time
// tells whether the email belongs to anyone. /reset/{token} takes the new
// password.

// resetWorkers bounds the reset requests worked on at once; more are
// dropped (and logged): the per-address rate limit comes first, so only a
// flood from many addresses gets here.
const resetWorkers = 4

// resetDelay is how long the work of a reset request waits after the answer.
const resetDelay = 50 * time.Millisecond

// resetTimeout bounds one reset request's work.
const resetTimeout = 30 * time.Second

func (p *Portal) resetRequestPage(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	p.renderReset(w, r, http.StatusOK, func(*page) {})
}

func (p *Portal) renderReset(w http.ResponseWriter, r *http.Request, status int, fill func(*page)) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	pg := p.newPage(r, nil, set, "/reset")
	pg.Title = pg.T("reset.title")
	fill(pg)
	p.render(w, r, status, "reset", pg)
}

func (p *Portal) resetRequest(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	if !p.takeLinkTry(w, r) || !p.parseForm(w, r) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	if email == "" || len(email) > maxEmailLen || !strings.Contains(email, "@") {
		p.renderReset(w, r, http.StatusUnprocessableEntity, func(pg *page) { pg.EmailMissing = true })
		return
	}
	// The answer goes out first, then the work starts: the work must not
	// compete with writing the answer, or its time would tell.
	p.renderReset(w, r, http.StatusOK, func(pg *page) { pg.ResetSent = true })
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	p.queueReset(email, httpsec.ClientIP(r))
}

// queueReset hands a reset request to a worker, off the request path.
func (p *Portal) queueReset(email, ip string) {
	select {
	case p.resetSlots <- struct{}{}:
	default:
		p.log.Warn("portal: password reset requests: too many at once; one was dropped")
		return
	}
	go func() {
		defer func() { <-p.resetSlots }()
		// Start once the answer is surely on its way: the work's CPU and
		// disk must not slow the answer it follows, or its time would tell.
		time.Sleep(resetDelay)
		ctx, cancel := context.WithTimeout(context.Background(), resetTimeout)
		defer cancel()
		if err := p.office.RequestReset(ctx, email, ip); err != nil {
			p.log.Error("portal: password reset request", "err", err)
		}
	}()
}

func (p *Portal) resetForm(token string) *passwordForm {
	return &passwordForm{Action: "/reset/" + token, Kind: "reset"}
}

func (p *Portal) resetPage(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	token, info, ok := p.openLink(w, r, store.LinkReset)
	if !ok {
		return
	}
	pol := info.Policy
	p.renderPasswordPage(w, r, nil, http.StatusOK, p.resetForm(token), pol, nil)
}

func (p *Portal) reset(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	if !p.takeLinkTry(w, r) || !p.parseForm(w, r) {
		return
	}
	token, info, ok := p.openLink(w, r, store.LinkReset)
	if !ok {
		return
	}
	pol := info.Policy
	f := p.resetForm(token)
	pw := r.PostForm.Get("password")
	if pw == "" {
		f.Missing = true
		p.renderPasswordPage(w, r, nil, http.StatusUnprocessableEntity, f, pol, nil)
		return
	}
	_, err := p.office.Reset(r.Context(), token, pw, httpsec.ClientIP(r))
	var weak *office.WeakPassword
	switch {
	case err == nil:
		clearSessionCookie(w, r)
		redirect(w, r, "/login?done=reset")
	case errors.Is(err, office.ErrLinkInvalid):
		p.linkInvalid(w, r)
	case errors.As(err, &weak):
		p.renderPasswordPage(w, r, nil, http.StatusUnprocessableEntity, f, pol, weak.Problems)
	case errors.Is(err, password.ErrBusy):
		w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
		p.message(w, r, nil, http.StatusServiceUnavailable, "busy")
	default:
		p.internal(w, r, err)
	}
}

// registerOnboarding adds the onboarding routes.
func (p *Portal) registerOnboarding(mux *http.ServeMux) {
	mux.HandleFunc("GET /register/{token}", p.registerPage)
	mux.HandleFunc("POST /register/{token}", p.register)
	mux.HandleFunc("GET /reset", p.resetRequestPage)
	mux.HandleFunc("POST /reset", p.resetRequest)
	mux.HandleFunc("GET /reset/{token}", p.resetPage)
	mux.HandleFunc("POST /reset/{token}", p.reset)
	mux.HandleFunc("GET /password", p.passwordPage)
	mux.HandleFunc("POST /password", p.changePassword)
}
