package portal

import (
	"encoding/json"
	"errors"
	"net/http"

	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Passkeys: the account page adds one, the login page signs in with one.
// The page's script (static/passkey.js, under the CSP's script-src 'self')
// asks for the ceremony's options, calls navigator.credentials, and posts
// the answer back as JSON; everything is checked here (auth/passkey.go).

const maxPasskeyBody = 64 << 10

// passkeyAnswer is what the script posts back.
type passkeyAnswer struct {
	Ceremony   string          `json:"ceremony"`
	Credential json.RawMessage `json:"credential"`
}

// relyingParty is the relying party for r: the configured origin, else the
// host the browser reached the portal by.
func (p *Portal) relyingParty(r *http.Request) (auth.RelyingParty, error) {
	origin := p.passkeyOrigin
	if origin == "" {
		scheme := "http://"
		if r.TLS != nil {
			scheme = "https://"
		}
		origin = scheme + r.Host
	}
	set, err := p.settings(r.Context())
	if err != nil {
		return auth.RelyingParty{}, err
	}
	return auth.RelyingPartyFor(origin, set.OfficeName)
}

func writeJSONAnswer(w http.ResponseWriter, status int, v any) {
	httpsec.NoStore(w)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func readPasskeyAnswer(w http.ResponseWriter, r *http.Request) (passkeyAnswer, bool) {
	var in passkeyAnswer
	r.Body = http.MaxBytesReader(w, r.Body, maxPasskeyBody)
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Ceremony == "" || len(in.Credential) == 0 {
		writeJSONAnswer(w, http.StatusBadRequest, map[string]string{"error": "send {\"ceremony\", \"credential\"} as JSON"})
		return in, false
	}
	return in, true
}

// passkeyAddOptions starts adding a passkey for the signed-in client.
func (p *Portal) passkeyAddOptions(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil || cl == nil {
		writeJSONAnswer(w, http.StatusUnauthorized, map[string]string{"error": "sign in first"})
		return
	}
	rp, err := p.relyingParty(r)
	if err != nil {
		p.log.Error("passkey", "err", err)
		writeJSONAnswer(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	c, err := p.auth.BeginPasskeyAdd(r.Context(), rp, cl.ID)
	if err != nil {
		p.log.Error("passkey", "err", err)
		writeJSONAnswer(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	writeJSONAnswer(w, http.StatusOK, c)
}

// passkeyAdd keeps the passkey the browser made.
func (p *Portal) passkeyAdd(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil || cl == nil {
		writeJSONAnswer(w, http.StatusUnauthorized, map[string]string{"error": "sign in first"})
		return
	}
	in, ok := readPasskeyAnswer(w, r)
	if !ok {
		return
	}
	rp, err := p.relyingParty(r)
	if err == nil {
		err = p.auth.FinishPasskeyAdd(r.Context(), rp, cl.ID, in.Ceremony, in.Credential, httpsec.ClientIP(r))
	}
	switch {
	case errors.Is(err, auth.ErrPasskey):
		writeJSONAnswer(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
	case err != nil:
		p.log.Error("passkey", "err", err)
		writeJSONAnswer(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
	default:
		writeJSONAnswer(w, http.StatusCreated, map[string]string{"next": "/account?done=passkey"})
	}
}

// passkeyLoginOptions starts a sign-in with a passkey; rate limited with
// the logins.
func (p *Portal) passkeyLoginOptions(w http.ResponseWriter, r *http.Request) {
	if !p.passkeyLimit(w, r) {
		return
	}
	rp, err := p.relyingParty(r)
	var c auth.Ceremony
	if err == nil {
		c, err = p.auth.BeginPasskeyLogin(r.Context(), rp)
	}
	if err != nil {
		p.log.Error("passkey", "err", err)
		writeJSONAnswer(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	writeJSONAnswer(w, http.StatusOK, c)
}

func (p *Portal) passkeyLimit(w http.ResponseWriter, r *http.Request) bool {
	ip := httpsec.ClientIP(r)
	if ok, wait := p.limit.Take(ratelimit.AddressKey(ip)); !ok {
		p.auth.Refused(r.Context(), store.SessionClient, ip, "rate_limited")
		w.Header().Set("Retry-After", retryAfter(wait))
		writeJSONAnswer(w, http.StatusTooManyRequests, map[string]string{"error": "too many attempts: wait a minute"})
		return false
	}
	return true
}

// passkeyLogin signs the client in with the passkey's answer.
func (p *Portal) passkeyLogin(w http.ResponseWriter, r *http.Request) {
	if !p.passkeyLimit(w, r) {
		return
	}
	in, ok := readPasskeyAnswer(w, r)
	if !ok {
		return
	}
	rp, err := p.relyingParty(r)
	var login auth.Login
	if err == nil {
		_, login, err = p.auth.FinishPasskeyLogin(r.Context(), rp, in.Ceremony, in.Credential, httpsec.ClientIP(r), sessionToken(r))
	}
	switch {
	case errors.Is(err, auth.ErrBadLogin):
		writeJSONAnswer(w, http.StatusUnauthorized, map[string]string{"error": auth.ErrBadLogin.Error()})
	case errors.Is(err, password.ErrBusy):
		writeJSONAnswer(w, http.StatusServiceUnavailable, map[string]string{"error": "busy"})
	case err != nil:
		p.log.Error("passkey login", "err", err)
		writeJSONAnswer(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
	default:
		setSessionCookie(w, r, login.Token)
		writeJSONAnswer(w, http.StatusOK, map[string]string{"next": "/cases"})
	}
}
