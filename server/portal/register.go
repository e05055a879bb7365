package portal

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Registration from an invitation (/register/{token}), and the page where a
// signed-in client chooses their own password (/password), which a temporary
// password or an easy login link sends them to before anything else.

// passwordForm is what the register, reset and change-password pages show.
type passwordForm struct {
	Action    string // where the form posts
	Kind      string // "register", "easy", "change", "must" or "reset": which words (texts)
	Heading   string // in the page's language (texts)
	Intro     string
	Submit    string
	Fact      string // the identity fact asked for: "birth_date", "id_last4" or ""
	FactLabel string
	FactHint  string
	FactValue string
	FactWrong bool
	FactLeft  string // how many tries are left when the fact did not match
	FactError string
	EasyLogin bool // the easy login page: one button, no fields
	Rules     []ruleView
	Unmet     []string // the rules a refused password missed, in words
	Missing   bool     // no password was typed
	// Current asks for the current password (a change not required);
	// CurrentWrong says it did not match.
	Current      bool
	CurrentWrong bool
}

// ruleView is one rule of the password policy as the page lists it. The
// script (static/password.js) marks each as met or not as the client types
// Kind's count reaching Need; without it, the server's answer marks them.
type ruleView struct {
	Kind  string // "length", "upper", "lower", "digit", "special", or "common" (checked by the server only)
	Need  int
	Text  string
	Unmet bool
}

// rules lists the policy's rules in pg's language, marking those problems
// name as unmet.
func rules(pg *page, pol store.PasswordPolicy, problems []password.Problem) []ruleView {
	unmet := map[password.Rule]bool{}
	for _, p := range problems {
		unmet[p.Rule] = true
	}
	var out []ruleView
	add := func(kind string, need int, text string) {
		if need <= 0 && kind != "common" {
			return
		}
		out = append(out, ruleView{Kind: kind, Need: need, Text: text,
			Unmet: unmet[password.Rule(kind)] || kind == "common" && (unmet[password.RuleGuessable] || unmet[password.RuleCommon])})
	}
	n := strconv.Itoa
	add("length", pol.MinLength, pg.T("password.rule.length", "Need", n(pol.MinLength)))
	add("upper", pol.MinUpper, pg.T("password.rule.upper", "Need", n(pol.MinUpper)))
	add("lower", pol.MinLower, pg.T("password.rule.lower", "Need", n(pol.MinLower)))
	add("digit", pol.MinDigit, pg.T("password.rule.digit", "Need", n(pol.MinDigit)))
	add("special", pol.MinSpecial, pg.T("password.rule.special", "Need", n(pol.MinSpecial)))
	add("common", 0, pg.T("password.rule.common"))
	return out
}

// unmetTexts says, in pg's language, each rule a refused password missed.
func unmetTexts(pg *page, problems []password.Problem) []string {
	var out []string
	for _, p := range problems {
		need := strconv.Itoa(p.Need)
		var text string
		switch p.Rule {
		case password.RuleInvalid:
			text = pg.T("password.unmet.invalid")
		case password.RuleLength:
			text = pg.T("password.unmet.length", "Need", need)
		case password.RuleTooLong:
			text = pg.T("password.unmet.too_long", "Need", need)
		case password.RuleUpper:
			text = pg.T("password.unmet.upper", "Need", need)
		case password.RuleLower:
			text = pg.T("password.unmet.lower", "Need", need)
		case password.RuleDigit:
			text = pg.T("password.unmet.digit", "Need", need)
		case password.RuleSpecial:
			text = pg.T("password.unmet.special", "Need", need)
		case password.RuleCommon:
			text = pg.T("password.unmet.common")
		default:
			text = pg.T("password.unmet.guessable")
		}
		out = append(out, text)
	}
	return out
}

// texts puts the form's words in pg's language.
func (f *passwordForm) texts(pg *page) {
	switch f.Kind {
	case "register":
		f.Heading, f.Intro, f.Submit = pg.T("register.heading"), pg.T("register.intro"), pg.T("register.submit")
	case "easy":
		f.Heading, f.Intro, f.Submit = pg.T("register.heading"), pg.T("register.easy_intro"), pg.T("register.easy_submit")
	case "change":
		f.Heading, f.Intro, f.Submit = pg.T("change.heading"), pg.T("change.intro"), pg.T("change.submit")
	case "must":
		f.Heading, f.Intro, f.Submit = pg.T("change.heading"), pg.T("change.must_intro"), pg.T("change.submit")
	default:
		f.Heading, f.Intro, f.Submit = pg.T("reset.new_heading"), pg.T("reset.new_intro"), pg.T("reset.new_submit")
	}
	switch f.Fact {
	case store.FactBirthDate:
		f.FactLabel, f.FactHint = pg.T("register.birth_date"), pg.T("register.birth_date_hint")
		if f.FactWrong {
			f.FactError = pg.T("register.birth_date_wrong", "Left", f.FactLeft)
		}
	case store.FactIDLast4:
		f.FactLabel, f.FactHint = pg.T("register.id_last4"), pg.T("register.id_last4_hint")
		if f.FactWrong {
			f.FactError = pg.T("register.id_last4_wrong", "Left", f.FactLeft)
		}
	}
}

// renderPasswordPage renders one of the password pages.
func (p *Portal) renderPasswordPage(w http.ResponseWriter, r *http.Request, cl *store.Client, status int, f *passwordForm, pol store.PasswordPolicy, problems []password.Problem) {
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	next := "/login"
	if cl != nil {
		next = "/password"
	}
	pg := p.newPage(r, cl, set, next)
	switch f.Kind {
	case "register", "easy":
		pg.Title = pg.T("register.title")
	case "change", "must":
		pg.Title = pg.T("change.title")
	default:
		pg.Title = pg.T("reset.new_title")
	}
	f.texts(pg)
	if !f.EasyLogin {
		f.Rules = rules(pg, pol, problems)
		f.Unmet = unmetTexts(pg, problems)
		pg.Script = p.assets["password.js"].url
	}
	pg.Form = f
	p.render(w, r, status, "password", pg)
}

// linkInvalid is the one answer to a link that is unknown, expired, used,
// revoked or voided.
func (p *Portal) linkInvalid(w http.ResponseWriter, r *http.Request) {
	p.message(w, r, nil, http.StatusNotFound, "link")
}

// linkToken reads {token} from the path: a link token is 43 base64url
// characters; anything else is no link.
func linkToken(r *http.Request) (string, bool) {
	t := r.PathValue("token")
	if len(t) != 43 || strings.Trim(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return "", false
	}
	return t, true
}

// takeLinkTry applies the per-address budget of link form posts (register,
// reset), answering 429 itself when it is spent.
func (p *Portal) takeLinkTry(w http.ResponseWriter, r *http.Request) bool {
	if ok, wait := p.linkLimit.Take(ratelimit.AddressKey(httpsec.ClientIP(r))); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		p.message(w, r, nil, http.StatusTooManyRequests, "ratelimit")
		return false
	}
	return true
}

// openLink reads the link token of the request's path and checks it is a
// live link of kind; when it is not, it answers the one "no longer valid"
// page (or the error) itself and reports false.
func (p *Portal) openLink(w http.ResponseWriter, r *http.Request, kind string) (string, office.LinkInfo, bool) {
	token, ok := linkToken(r)
	if !ok {
		p.linkInvalid(w, r)
		return "", office.LinkInfo{}, false
	}
	info, err := p.office.CheckLink(r.Context(), kind, token)
	if errors.Is(err, office.ErrLinkInvalid) {
		p.linkInvalid(w, r)
		return "", office.LinkInfo{}, false
	}
	if err != nil {
		p.internal(w, r, err)
		return "", office.LinkInfo{}, false
	}
	return token, info, true
}

func registerForm(token string, info office.LinkInfo) *passwordForm {
	f := &passwordForm{Action: "/register/" + token, Kind: "register", Fact: info.Fact}
	if info.EasyLogin {
		f.EasyLogin, f.Kind, f.Fact = true, "easy", ""
	}
	return f
}

func (p *Portal) registerPage(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	token, info, ok := p.openLink(w, r, store.LinkInvite)
	if !ok {
		return
	}
	p.renderPasswordPage(w, r, nil, http.StatusOK, registerForm(token, info), info.Policy, nil)
}

func (p *Portal) register(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	if !p.takeLinkTry(w, r) || !p.parseForm(w, r) {
		return
	}
	token, info, ok := p.openLink(w, r, store.LinkInvite)
	if !ok {
		return
	}
	ip := httpsec.ClientIP(r)
	if info.EasyLogin {
		p.easyLogin(w, r, token, ip)
		return
	}
	f := registerForm(token, info)
	f.FactValue = strings.TrimSpace(r.PostForm.Get(info.Fact))
	if len(f.FactValue) > 40 {
		f.FactValue = ""
	}
	pw := r.PostForm.Get("password")
	if pw == "" {
		f.Missing = true
		p.renderPasswordPage(w, r, nil, http.StatusUnprocessableEntity, f, info.Policy, nil)
		return
	}
	_, err := p.office.Register(r.Context(), token, r.PostForm.Get(info.Fact), pw, ip)
	var mismatch *office.FactMismatch
	var weak *office.WeakPassword
	switch {
	case err == nil:
		redirect(w, r, "/login?done=registered")
	case errors.Is(err, office.ErrLinkInvalid), errors.As(err, &mismatch) && mismatch.Left == 0:
		p.linkInvalid(w, r)
	case errors.As(err, &mismatch):
		f.FactWrong, f.FactLeft = true, strconv.Itoa(mismatch.Left)
		p.renderPasswordPage(w, r, nil, http.StatusUnprocessableEntity, f, info.Policy, nil)
	case errors.As(err, &weak):
		p.renderPasswordPage(w, r, nil, http.StatusUnprocessableEntity, f, info.Policy, weak.Problems)
	case errors.Is(err, password.ErrBusy):
		w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
		p.message(w, r, nil, http.StatusServiceUnavailable, "busy")
	default:
		p.internal(w, r, err)
	}
}

// easyLogin spends an easy login link, signs the client in and sends them to
// choose a password.
func (p *Portal) easyLogin(w http.ResponseWriter, r *http.Request, token, ip string) {
	c, err := p.office.EasyLogin(r.Context(), token, ip)
	if errors.Is(err, office.ErrLinkInvalid) {
		p.linkInvalid(w, r)
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	login, err := p.auth.OpenClientSession(r.Context(), c.ID, ip, sessionToken(r), "easy login link")
	var need *auth.SecondFactorNeeded
	if errors.As(err, &need) {
		// The link is the first proof; the second factor (or setting one
		// up) comes next, then the new password (MustChangePassword).
		p.secondFactorNeeded(w, r, need)
		return
	}
	if errors.Is(err, auth.ErrBadLogin) {
		p.linkInvalid(w, r)
		return
	}
	if err != nil {
		p.internal(w, r, err)
		return
	}
	setSessionCookie(w, r, login.Token)
	redirect(w, r, "/password")
}

// mustChange sends a client who must choose a new password to the page for
// it, and reports whether it did: the case pages and the picker show nothing
// else until they have.
func mustChange(w http.ResponseWriter, r *http.Request, cl *store.Client) bool {
	if cl == nil || !cl.Access.MustChangePassword {
		return false
	}
	httpsec.NoStore(w)
	redirect(w, r, "/password")
	return true
}

func changeForm(cl *store.Client) *passwordForm {
	f := &passwordForm{Action: "/password", Kind: "change"}
	if cl.Access.MustChangePassword {
		f.Kind = "must"
	} else {
		f.Current = true
	}
	return f
}

func (p *Portal) passwordPage(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl == nil {
		redirect(w, r, "/login")
		return
	}
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	p.renderPasswordPage(w, r, cl, http.StatusOK, changeForm(cl), set.PasswordPolicy, nil)
}

// changePassword sets the signed-in client's own password. The session is
// fresh proof enough while a change is required (they just signed in with
// the temporary password or a link); otherwise the current password is asked.
func (p *Portal) changePassword(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	cl, err := p.who(w, r)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	if cl == nil {
		redirect(w, r, "/login")
		return
	}
	if !p.takeLinkTry(w, r) || !p.parseForm(w, r) {
		return
	}
	set, err := p.settings(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	f := changeForm(cl)
	pw := r.PostForm.Get("password")
	if pw == "" {
		f.Missing = true
		p.renderPasswordPage(w, r, cl, http.StatusUnprocessableEntity, f, set.PasswordPolicy, nil)
		return
	}
	if f.Current {
		ok, err := p.auth.VerifyPassword(r.Context(), cl.Access.PasswordHash, r.PostForm.Get("current"))
		if err != nil && !errors.Is(err, password.ErrBusy) {
			p.internal(w, r, err)
			return
		}
		if errors.Is(err, password.ErrBusy) {
			w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
			p.message(w, r, cl, http.StatusServiceUnavailable, "busy")
			return
		}
		if !ok {
			f.CurrentWrong = true
			p.renderPasswordPage(w, r, cl, http.StatusUnprocessableEntity, f, set.PasswordPolicy, nil)
			return
		}
	}
	_, err = p.office.ChangePassword(r.Context(), cl.ID, pw, httpsec.ClientIP(r), auth.HashToken(sessionToken(r)))
	var weak *office.WeakPassword
	switch {
	case err == nil:
		redirect(w, r, "/cases")
	case errors.As(err, &weak):
		p.renderPasswordPage(w, r, cl, http.StatusUnprocessableEntity, f, set.PasswordPolicy, weak.Problems)
	case errors.Is(err, password.ErrBusy):
		w.Header().Set("Retry-After", retryAfter(password.RetryBusy))
		p.message(w, r, cl, http.StatusServiceUnavailable, "busy")
	default:
		p.internal(w, r, err)
	}
}
