package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"sync"

	"github.com/pquerna/otp"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// LoginStep is where a login stands after LogIn or SecondFactor.
type LoginStep struct {
	// Done: logged in, as Office says.
	Done   bool       `json:"done"`
	Office OfficeInfo `json:"office"`
	// Need, when not done: "code" (the 6-digit code from the authenticator
	// app, or a recovery code) or "setup" (the office requires a second
	// factor this account has not set up: add SetupKey to an authenticator
	// app, then give its code).
	Need string `json:"need"`
	// SetupKey is the key to type into the app, SetupQR the same as a QR
	// code (a data: URL of a PNG image), SetupUntil when it must be
	// confirmed by (RFC 3339).
	SetupKey   string `json:"setupKey"`
	SetupQR    string `json:"setupQr"`
	SetupUntil string `json:"setupUntil"`
	// RecoveryCodes, after a set-up, are shown this once.
	RecoveryCodes []string `json:"recoveryCodes"`
	// Kept: the session is kept in the credential store ("Keep me signed
	// in"); KeepProblem says why it could not be, when asked for.
	Kept        bool   `json:"kept"`
	KeepProblem string `json:"keepProblem"`
}

// KeptSession is the session kept on this computer, as the window may show
// it (the token stays in Go).
type KeptSession struct {
	Kept    bool   `json:"kept"`
	Service string `json:"service"`
	Staff   string `json:"staff"`
	Email   string `json:"email"`
	// CanKeep tells whether "Keep me signed in" can work here; Why says
	// why not.
	CanKeep bool   `json:"canKeep"`
	Why     string `json:"why"`
}

// pendingLogin is a login waiting for its second factor; its pending token
// stays in Go, like the session's.
type pendingLogin struct {
	client  *apiclient.Client
	service string
	email   string
	token   string
	keep    bool
}

// signIn is the Session's state between the steps of a login.
type signIn struct {
	mu      sync.Mutex
	pending *pendingLogin
}

func (s *signIn) set(p *pendingLogin) {
	s.mu.Lock()
	s.pending = p
	s.mu.Unlock()
}

func (s *signIn) get() *pendingLogin {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// context is the window's lifetime (Background until it starts).
func (l *link) context() context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ctx
}

// LogIn logs in to the service at address as a staff member. An https
// address must be paired first (Check, Pair) unless its certificate is
// signed by an authority; a paired server presenting another certificate
// is refused before the password leaves this computer. When the office
// requires a second factor the answer asks for it (Need), and SecondFactor
// completes the login. With keep, the session's token is kept in the OS's
// credential store for the next start (Resume).
func (s *Session) LogIn(address, email, password string, keep bool) (LoginStep, error) {
	s.signIn.set(nil)
	service, err := officeAddress(address)
	if err != nil {
		return LoginStep{}, err
	}
	c, err := s.clientFor(service)
	if err != nil {
		return LoginStep{}, uiText(apitext.New("error.address_unusable", "the service address is not usable"), err)
	}
	ctx, cancel := context.WithTimeout(s.link.context(), callTimeout)
	defer cancel()
	email = strings.TrimSpace(email)
	login, err := c.Login(ctx, email, password)
	if pending := apiclient.SecondFactorPending(err); pending != "" {
		p := &pendingLogin{client: c, service: service, email: email, token: pending, keep: keep}
		if !apiclient.IsCode(err, "second_factor_setup_required") {
			s.signIn.set(p)
			return LoginStep{Need: "code"}, nil
		}
		key, err := c.SecondFactorSetupKey(ctx, pending)
		if err != nil {
			return LoginStep{}, s.explainLogin(service, apitext.New("doing.start_setting_up_your_second_factor", "start setting up your second factor"), err)
		}
		s.signIn.set(p)
		return LoginStep{Need: "setup", SetupKey: key.Secret, SetupQR: qrDataURL(key.URL), SetupUntil: key.Until.Format("2006-01-02T15:04:05Z07:00")}, nil
	}
	if err != nil {
		return LoginStep{}, s.explainLogin(service, apitext.New("doing.log_in", "log in"), err)
	}
	return s.finish(ctx, c, service, email, login, keep)
}

// SecondFactor completes the login LogIn started with the code from the
// authenticator app (or a recovery code). A wrong code can be tried again.
func (s *Session) SecondFactor(code string) (LoginStep, error) {
	p := s.signIn.get()
	if p == nil {
		return LoginStep{}, uiText(apitext.New("error.no_login_waiting", "no login is waiting for a code: log in again"), nil)
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return LoginStep{}, uiText(apitext.New("error.code_empty", "enter the 6-digit code from your authenticator app, or one of your recovery codes"), nil)
	}
	ctx, cancel := context.WithTimeout(s.link.context(), callTimeout)
	defer cancel()
	login, err := p.client.LoginSecondFactor(ctx, p.token, code)
	if err != nil {
		return LoginStep{}, s.explainLogin(p.service, apitext.New("doing.check_code", "check the code"), err)
	}
	s.signIn.set(nil)
	return s.finish(ctx, p.client, p.service, p.email, login, p.keep)
}

// finish makes c the window's connection, keeps (or drops) its token, and
// logs the earlier session out.
func (s *Session) finish(ctx context.Context, c *apiclient.Client, service, email string, login api.LoginResponse, keep bool) (LoginStep, error) {
	settings, err := c.Settings(ctx)
	if err != nil {
		_ = c.Logout(ctx)
		return LoginStep{}, explain(service, apitext.New("doing.read_office_settings", "read the office settings"), err)
	}
	info := OfficeInfo{Office: settings.OfficeName, Service: service, Staff: login.Staff.Name, StaffID: login.Staff.ID, Role: login.Staff.Role}
	if old := s.link.use(c, info); old != nil {
		// Best effort: the old session expires on its own if this fails.
		_ = old.Logout(ctx)
	}
	step := LoginStep{Done: true, Office: info, RecoveryCodes: login.RecoveryCodes}
	s.keep.remove()
	if keep {
		if ok, why := s.keep.available(); !ok {
			step.KeepProblem = s.link.say(why)
		} else if err := s.keep.write(keptSession{Service: service, Token: c.Token(), Staff: info.Staff, Email: email}); err != nil {
			step.KeepProblem = s.link.say(apitext.New("error.keep_failed", "Could not keep you signed in ({{.Err}}): you will log in again next time.", "Err", err.Error()))
		} else {
			step.Kept = true
		}
	}
	return step, nil
}

// explainLogin is explain, with the pairing's own failures in plain words.
func (s *Session) explainLogin(service string, doing apitext.Text, err error) error {
	if certificateUnknown(err) {
		return uiText((&notPairedError{service: service}).text(), err)
	}
	return explain(service, doing, err)
}

// Kept tells whether a session is kept on this computer, whose, and
// whether one can be kept at all. It does not reach the service.
func (s *Session) Kept() KeptSession {
	var out KeptSession
	can, why := s.keep.available()
	out.CanKeep, out.Why = can, s.link.say(why)
	if k, ok := s.keep.read(); ok {
		out.Kept, out.Service, out.Staff, out.Email = true, k.Service, k.Staff, k.Email
	}
	return out
}

// Resume carries on with the kept session after checking it with the
// service. A session the service no longer knows is removed, and the
// person logs in again; a server that is unreachable keeps it for later.
func (s *Session) Resume() (OfficeInfo, error) {
	k, ok := s.keep.read()
	if !ok {
		return OfficeInfo{}, uiText(apitext.New("error.none_kept", "no session is kept on this computer: log in"), nil)
	}
	c, err := s.clientFor(k.Service, apiclient.WithToken(k.Token))
	if err != nil {
		return OfficeInfo{}, uiText(apitext.New("error.kept_address_unusable", "the kept session's address is not usable"), err)
	}
	ctx, cancel := context.WithTimeout(s.link.context(), callTimeout)
	defer cancel()
	me, err := c.Me(ctx)
	if apiclient.IsCode(err, "unauthorized") {
		s.keep.remove()
		return OfficeInfo{}, uiText(apitext.New("error.kept_ended", "your kept session has ended (logged out elsewhere, expired or ended by an administrator): log in again"), err)
	}
	if err != nil {
		return OfficeInfo{}, s.explainLogin(k.Service, apitext.New("doing.resume_your_session", "resume your session"), err)
	}
	settings, err := c.Settings(ctx)
	if err != nil {
		return OfficeInfo{}, explain(k.Service, apitext.New("doing.read_office_settings", "read the office settings"), err)
	}
	info := OfficeInfo{Office: settings.OfficeName, Service: k.Service, Staff: me.Name, StaffID: me.ID, Role: me.Role}
	if old := s.link.use(c, info); old != nil && old != c {
		_ = old.Logout(ctx)
	}
	return info, nil
}

// qrDataURL draws an otpauth:// URL as a QR code, a PNG data: URL ("" if
// it cannot: the key as text is enough).
func qrDataURL(u string) string {
	key, err := otp.NewKeyFromURL(u)
	if err != nil {
		return ""
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return ""
	}
	return fmt.Sprintf("data:image/png;base64,%s", base64.StdEncoding.EncodeToString(buf.Bytes()))
}
