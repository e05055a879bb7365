package portal

import (
	"errors"
	"net/http"
	"strings"

	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// The account page (second factor, passkeys) and the second step of the
// login. Between the password and the code the browser holds only a
// random token (cookie pendingCookie, path /login); what it stands for is
// kept server-side, hashed, for minutes (auth.SecondFactorNeeded).

const pendingCookie = "portal_pending"

// accountView is what the account page and the login's second step show.
type accountView struct {
	Mode string // "code", "setup", "codes", "overview"
	// Action is where the code form posts.
	Action string
	// setup
	QR, Secret string
	// codes: the recovery codes, shown once
	Codes []string
	Next  string
	// overview
	On, Required  bool
	RecoveryLeft  int
	Passkeys      int
	PasskeyScript string
	Done          string // what just happened ("off", "passkey"; then its words)
	// errors
	CodeFailed, CodeMissing bool
	// Submit is the code form's button; Page is the page,
	// for the code form's texts.
	Submit string
	Page   *page
}

func setPendingCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: token, Path: "/login", MaxAge: 15 * 60,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearPendingCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: "/login", MaxAge: -1,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func pendingToken(r *http.Request) string {
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// secondFactorNeeded continues a login whose password was right.
func (p *Portal) secondFactorNeeded(w http.ResponseWriter, r *http.Request, need *auth.SecondFactorNeeded) {
	setPendingCookie(w, r, need.Pending)
	if need.Enrol {
		redirect(w, r, "/login/setup")
		return
	}
	redirect(w, r, "/login/code")
}

func (p *Portal) renderAccount(w http.ResponseWriter, r *http.Request, status int, cl *store.Client, av *accountView) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	next := "/login"
	if cl != nil {
		next = "/account"
	}
	pg := p.newPage(r, cl, set, next)
	pg.Account = av
	av.Page = pg
	if av.Mode == "overview" {
		pg.PasskeyScript = av.PasskeyScript
	}
	switch av.Mode {
	case "code":
		pg.Title, av.Submit = pg.T("twofactor.code_title"), pg.T("twofactor.code_submit")
	case "setup":
		pg.Title, av.Submit = pg.T("twofactor.setup_title"), pg.T("twofactor.setup_submit")
	case "codes":
		pg.Title = pg.T("twofactor.codes_title")
	default:
		pg.Title, av.Submit = pg.T("twofactor.account_title"), pg.T("twofactor.off_submit")
	}
	switch av.Done {
	case "off":
		av.Done = pg.T("twofactor.done_off")
	case "passkey":
		av.Done = pg.T("twofactor.done_passkey")
	}
	p.render(w, r, status, "account", pg)
}

// codePage is the login's second step: a code or a recovery code.
func (p *Portal) codePage(w http.ResponseWriter, r *http.Request) {
	t, err := p.auth.Pending(r.Context(), store.SessionClient, pendingToken(r))
	if err != nil || t.Purpose != store.TokenSecondFactor {
		p.pendingEnded(w, r, err)
		return
	}
	p.renderAccount(w, r, http.StatusOK, nil, &accountView{Mode: "code", Action: "/login/code"})
}

// pendingEnded answers a second step whose waiting login is gone: back to
// the password.
func (p *Portal) pendingEnded(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil && !errors.Is(err, auth.ErrBadCode) {
		p.internal(w, r, err)
		return
	}
	clearPendingCookie(w, r)
	redirect(w, r, "/login")
}

// setupPage is the login's second step for an account that must set up a
// second factor: the key as a QR code and as text, and the code.
func (p *Portal) setupPage(w http.ResponseWriter, r *http.Request) {
	t, err := p.auth.Pending(r.Context(), store.SessionClient, pendingToken(r))
	if err != nil || t.Purpose != store.TokenEnrol {
		p.pendingEnded(w, r, err)
		return
	}
	key, err := p.auth.PendingEnrolment(r.Context(), store.SessionClient, t.SubjectID)
	if errors.Is(err, auth.ErrNoEnrolment) {
		key, err = p.auth.StartEnrolment(r.Context(), store.SessionClient, t.SubjectID)
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	p.renderAccount(w, r, http.StatusOK, nil,
		&accountView{Mode: "setup", Action: "/login/code", QR: "/login/setup/qr.png", Secret: key.Secret})
}

// setupQR is the QR code of the key being set up at login.
func (p *Portal) setupQR(w http.ResponseWriter, r *http.Request) {
	t, err := p.auth.Pending(r.Context(), store.SessionClient, pendingToken(r))
	if err != nil || t.Purpose != store.TokenEnrol {
		http.NotFound(w, r)
		return
	}
	p.servePNG(w, r, t.SubjectID)
}

func (p *Portal) servePNG(w http.ResponseWriter, r *http.Request, clientID uint64) {
	img, err := p.auth.EnrolmentQR(r.Context(), store.SessionClient, clientID)
	if errors.Is(err, auth.ErrNoEnrolment) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	httpsec.NoStore(w) // the image is the key
	w.Header().Set("Content-Type", "image/png")
	w.Write(img)
}

// postCode checks the second step's code; rate limited with the logins.
func (p *Portal) postCode(w http.ResponseWriter, r *http.Request) {
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
	pending := pendingToken(r)
	t, err := p.auth.Pending(r.Context(), store.SessionClient, pending)
	if err != nil {
		p.pendingEnded(w, r, err)
		return
	}
	code := r.PostForm.Get("code")
	again := func(status int, fill func(*accountView)) {
		av := &accountView{Mode: "code", Action: "/login/code"}
		if t.Purpose == store.TokenEnrol {
			key, err := p.auth.PendingEnrolment(r.Context(), store.SessionClient, t.SubjectID)
			if err != nil {
				p.pendingEnded(w, r, nil)
				return
			}
			av = &accountView{Mode: "setup", Action: "/login/code", QR: "/login/setup/qr.png", Secret: key.Secret}
		}
		fill(av)
		p.renderAccount(w, r, status, nil, av)
	}
	if strings.TrimSpace(code) == "" {
		again(http.StatusBadRequest, func(av *accountView) { av.CodeMissing = true })
		return
	}
	_, login, codes, err := p.auth.SecondStepClient(r.Context(), pending, code, ip)
	switch {
	case errors.Is(err, auth.ErrBadCode):
		if _, still := p.auth.Pending(r.Context(), store.SessionClient, pending); still != nil {
			// Too many tries, a lock, or expiry ended the waiting login.
			clearPendingCookie(w, r)
			p.renderLogin(w, r, http.StatusUnauthorized, func(pg *page) { pg.LoginFailed = true })
			return
		}
		again(http.StatusUnauthorized, func(av *accountView) { av.CodeFailed = true })
		return
	case errors.Is(err, auth.ErrBusy):
		w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
		p.message(w, r, nil, http.StatusServiceUnavailable, "busy")
		return
	case err != nil:
		p.internal(w, r, err)
		return
	}
	clearPendingCookie(w, r)
	setSessionCookie(w, r, login.Token)
	if len(codes) > 0 {
		cl, err := p.clientByID(r, login.Session.SubjectID)
		if err != nil {
			p.internal(w, r, err)
			return
		}
		p.renderAccount(w, r, http.StatusOK, cl, &accountView{Mode: "codes", Codes: codes, Next: "/cases"})
		return
	}
	redirect(w, r, "/cases")
}

func (p *Portal) clientByID(r *http.Request, id uint64) (*store.Client, error) {
	var c store.Client
	err := p.store.View(r.Context(), func(tx *store.Tx) (err error) { c, err = tx.Client(id); return err })
	return &c, err
}

// signedIn is the logged-in client, or it sends the browser to the login
// page and answers nil.
func (p *Portal) signedIn(w http.ResponseWriter, r *http.Request) *store.Client {
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return nil
	}
	if cl == nil {
		redirect(w, r, "/login")
		return nil
	}
	return cl
}

// accountPage shows the client's sign-in security: the second factor and
// passkeys.
func (p *Portal) accountPage(w http.ResponseWriter, r *http.Request) {
	cl := p.signedIn(w, r)
	if cl == nil {
		return
	}
	p.renderOverview(w, r, http.StatusOK, cl, func(av *accountView) {
		switch r.URL.Query().Get("done") {
		case "off", "passkey":
			av.Done = r.URL.Query().Get("done")
		}
	})
}

func (p *Portal) renderOverview(w http.ResponseWriter, r *http.Request, status int, cl *store.Client, fill func(*accountView)) {
	st, err := p.auth.State(r.Context(), store.SessionClient, cl.ID)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	av := &accountView{Mode: "overview", Action: "/account/two-factor/off", On: st.On, Required: st.Required,
		RecoveryLeft: st.RecoveryLeft, Passkeys: st.Passkeys, PasskeyScript: p.assets["passkey.js"].url}
	fill(av)
	p.renderAccount(w, r, status, cl, av)
}

// startSetup begins setting up the second factor from the account page.
func (p *Portal) startSetup(w http.ResponseWriter, r *http.Request) {
	cl := p.signedIn(w, r)
	if cl == nil {
		return
	}
	if _, err := p.auth.StartEnrolment(r.Context(), store.SessionClient, cl.ID); err != nil {
		p.internal(w, r, err)
		return
	}
	redirect(w, r, "/account/two-factor")
}

// accountSetupPage shows the key being set up from the account page.
func (p *Portal) accountSetupPage(w http.ResponseWriter, r *http.Request) {
	cl := p.signedIn(w, r)
	if cl == nil {
		return
	}
	if InPreview(r.Context()) { // a key being set up is the client's secret
		p.message(w, r, cl, http.StatusForbidden, "preview")
		return
	}
	p.renderSetup(w, r, http.StatusOK, cl, func(*accountView) {})
}

func (p *Portal) renderSetup(w http.ResponseWriter, r *http.Request, status int, cl *store.Client, fill func(*accountView)) {
	key, err := p.auth.PendingEnrolment(r.Context(), store.SessionClient, cl.ID)
	if errors.Is(err, auth.ErrNoEnrolment) {
		redirect(w, r, "/account")
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	av := &accountView{Mode: "setup", Action: "/account/two-factor/confirm", QR: "/account/two-factor/qr.png", Secret: key.Secret}
	fill(av)
	p.renderAccount(w, r, status, cl, av)
}

func (p *Portal) accountQR(w http.ResponseWriter, r *http.Request) {
	cl, err := p.who(w, r)
	if err != nil || cl == nil || InPreview(r.Context()) {
		http.NotFound(w, r)
		return
	}
	p.servePNG(w, r, cl.ID)
}

// confirmSetup turns the second factor on once the code matches, and shows
// the recovery codes once.
func (p *Portal) confirmSetup(w http.ResponseWriter, r *http.Request) {
	cl := p.signedIn(w, r)
	if cl == nil || !p.codeAllowed(w, r) {
		return
	}
	code := r.PostForm.Get("code")
	if strings.TrimSpace(code) == "" {
		p.renderSetup(w, r, http.StatusBadRequest, cl, func(av *accountView) { av.CodeMissing = true })
		return
	}
	codes, err := p.auth.ConfirmEnrolment(r.Context(), store.SessionClient, cl.ID, code, httpsec.ClientIP(r))
	switch {
	case errors.Is(err, auth.ErrBadCode):
		p.renderSetup(w, r, http.StatusUnprocessableEntity, cl, func(av *accountView) { av.CodeFailed = true })
		return
	case errors.Is(err, auth.ErrNoEnrolment):
		redirect(w, r, "/account")
		return
	case err != nil:
		p.internal(w, r, err)
		return
	}
	p.renderAccount(w, r, http.StatusOK, cl, &accountView{Mode: "codes", Codes: codes, Next: "/account"})
}

// turnOff turns the second factor off with a current code.
func (p *Portal) turnOff(w http.ResponseWriter, r *http.Request) {
	cl := p.signedIn(w, r)
	if cl == nil || !p.codeAllowed(w, r) {
		return
	}
	code := r.PostForm.Get("code")
	if strings.TrimSpace(code) == "" {
		p.renderOverview(w, r, http.StatusBadRequest, cl, func(av *accountView) { av.CodeMissing = true })
		return
	}
	err := p.auth.TurnOff(r.Context(), store.SessionClient, cl.ID, code, httpsec.ClientIP(r))
	switch {
	case errors.Is(err, auth.ErrBadCode):
		p.renderOverview(w, r, http.StatusUnprocessableEntity, cl, func(av *accountView) { av.CodeFailed = true })
	case errors.Is(err, auth.ErrSecondFactorRequired):
		p.renderOverview(w, r, http.StatusConflict, cl, func(*accountView) {})
	case err != nil:
		p.internal(w, r, err)
	default:
		redirect(w, r, "/account?done=off")
	}
}

// codeAllowed rate limits code checks on the account page (with the
// logins, per address) and parses the form.
func (p *Portal) codeAllowed(w http.ResponseWriter, r *http.Request) bool {
	ip := httpsec.ClientIP(r)
	if ok, wait := p.limit.Take(ratelimit.AddressKey(ip)); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		p.message(w, r, nil, http.StatusTooManyRequests, "ratelimit")
		return false
	}
	return p.parseForm(w, r)
}

// registerAccount adds the account page and the login's second step.
func (p *Portal) registerAccount(mux *http.ServeMux) {
	mux.HandleFunc("GET /preview/{token}", p.openPreview)
	mux.HandleFunc("GET /branding.css", p.brandCSS)
	mux.HandleFunc("GET /branding/logo", p.brandLogo)
	mux.HandleFunc("GET /login/code", p.codePage)
	mux.HandleFunc("POST /login/code", p.postCode)
	mux.HandleFunc("GET /login/setup", p.setupPage)
	mux.HandleFunc("GET /login/setup/qr.png", p.setupQR)
	mux.HandleFunc("GET /account", p.accountPage)
	mux.HandleFunc("POST /account/two-factor", p.startSetup)
	mux.HandleFunc("GET /account/two-factor", p.accountSetupPage)
	mux.HandleFunc("GET /account/two-factor/qr.png", p.accountQR)
	mux.HandleFunc("POST /account/two-factor/confirm", p.confirmSetup)
	mux.HandleFunc("POST /account/two-factor/off", p.turnOff)
	mux.HandleFunc("POST /account/passkeys/options", p.passkeyAddOptions)
	mux.HandleFunc("POST /account/passkeys", p.passkeyAdd)
	mux.HandleFunc("POST /login/passkey/options", p.passkeyLoginOptions)
	mux.HandleFunc("POST /login/passkey", p.passkeyLogin)
}
