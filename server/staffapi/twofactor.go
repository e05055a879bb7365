package staffapi

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// Second factors in the staff API: the login's second step, a staff
// member's own second factor, the office's policy, and a client's second
// factor (required, reset).

// secondFactorNeeded is the login's answer when the password was right and
// a code must follow.
func secondFactorNeeded(n *auth.SecondFactorNeeded) *api.Error {
	if n.Enrol {
		return &api.Error{Status: http.StatusUnauthorized, Code: "second_factor_setup_required", Pending: n.Pending,
			Message: "the password is right, and this account must set up a second factor: POST /api/v1/session/second-factor with {\"pending\"} answers the key for an authenticator app; send it again with {\"pending\",\"code\"} to sign in"}
	}
	return &api.Error{Status: http.StatusUnauthorized, Code: "second_factor_required", Pending: n.Pending,
		Message: "the password is right; a second factor is required: POST /api/v1/session/second-factor with {\"pending\",\"code\"} (the 6-digit code from the authenticator app, or a recovery code)"}
}

var errBadCode = api.Refusal(http.StatusUnauthorized, "bad_code", "", apitext.New("staffapi.code_not_correct_was", "the code is not correct or was already used, or this sign-in expired (5 minutes, 5 codes): log in again with the password if it keeps failing"))

// secondStep is POST /api/v1/session/second-factor; rate limited with the
// logins, per address.
func (a *API) secondStep(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	ip := httpsec.ClientIP(r)
	if ok, wait := a.loginLimit.Take(ratelimit.AddressKey(ip)); !ok {
		a.auth.Refused(r.Context(), store.SessionStaff, ip, "rate_limited")
		a.writeError(w, r, api.ErrRateLimited.WithRetryAfter(wait))
		return
	}
	var in api.SecondFactorInput
	if err := decode(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if in.Pending == "" {
		a.writeError(w, r, api.Invalid("pending", apitext.New("staffapi.pending_required_token_from", "pending is required: the token from the login's second_factor_required answer")))
		return
	}
	t, err := a.auth.Pending(r.Context(), store.SessionStaff, in.Pending)
	if errors.Is(err, auth.ErrBadCode) {
		a.writeError(w, r, errBadCode)
		return
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if strings.TrimSpace(in.Code) == "" {
		if t.Purpose != store.TokenEnrol {
			a.writeError(w, r, api.Invalid("code", apitext.New("staffapi.code_required_6_digit", "code is required: the 6-digit code from the authenticator app, or a recovery code")))
			return
		}
		key, err := a.auth.PendingEnrolment(r.Context(), store.SessionStaff, t.SubjectID)
		if errors.Is(err, auth.ErrNoEnrolment) {
			key, err = a.auth.StartEnrolment(r.Context(), store.SessionStaff, t.SubjectID)
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, api.TwoFactorKey{Secret: key.Secret, URL: key.URL, Until: t.Expires})
		return
	}
	me, login, codes, err := a.auth.SecondStepStaff(r.Context(), in.Pending, in.Code, ip)
	if errors.Is(err, auth.ErrBadCode) {
		a.writeError(w, r, errBadCode)
		return
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.LoginResponse{Token: login.Token, Expires: login.Session.Expires, Staff: staffView(me), RecoveryCodes: codes})
}

func twoFactorView(s auth.SecondFactorState) api.TwoFactorState {
	return api.TwoFactorState{On: s.On, Since: optTime(s.Since), Required: s.Required, RequiredByStaff: s.RequiredByStaff,
		RecoveryLeft: s.RecoveryLeft, Passkeys: s.Passkeys}
}

func (a *API) getMyTwoFactor(w http.ResponseWriter, r request) error {
	st, err := a.auth.State(r.ctx(), store.SessionStaff, r.me.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, twoFactorView(st))
	return nil
}

// startMyTwoFactor begins setting up the caller's own second factor.
func (a *API) startMyTwoFactor(w http.ResponseWriter, r request) error {
	key, err := a.auth.StartEnrolment(r.ctx(), store.SessionStaff, r.me.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.TwoFactorKey{Secret: key.Secret, URL: key.URL, Until: a.store.Now().Add(auth.EnrolLife)})
	return nil
}

// confirmMyTwoFactor turns the caller's second factor on with a code.
func (a *API) confirmMyTwoFactor(w http.ResponseWriter, r request) error {
	var in api.CodeInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if ok, wait := a.loginLimit.Take(ratelimit.AddressKey(r.ip)); !ok {
		return api.ErrRateLimited.WithRetryAfter(wait)
	}
	codes, err := a.auth.ConfirmEnrolment(r.ctx(), store.SessionStaff, r.me.ID, in.Code, r.ip)
	switch {
	case errors.Is(err, auth.ErrNoEnrolment):
		return api.Refusal(http.StatusConflict, "no_setup", "", apitext.New("staffapi.no_second_factor_set", "no second factor set-up is under way: POST /api/v1/me/two-factor first"))
	case errors.Is(err, auth.ErrBadCode):
		return api.Invalid("code", apitext.New("staffapi.code_does_not_match", "the code does not match the key: check the app's clock and try the next code"))
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, api.RecoveryCodes{RecoveryCodes: codes})
	return nil
}

func (a *API) getTwoFactorPolicy(w http.ResponseWriter, r request) error {
	p, err := a.auth.Policy(r.ctx())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.TwoFactorPolicy{Clients: &p.Clients, Staff: &p.Staff})
	return nil
}

func (a *API) putTwoFactorPolicy(w http.ResponseWriter, r request) error {
	var in api.TwoFactorPolicy
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	p, err := a.auth.Policy(r.ctx())
	if err != nil {
		return err
	}
	if in.Clients != nil {
		p.Clients = *in.Clients
	}
	if in.Staff != nil {
		if *in.Staff {
			// Requiring it of staff must not lock out the caller: they set up theirs first.
			st, err := a.auth.State(r.ctx(), store.SessionStaff, r.me.ID)
			if err != nil {
				return err
			}
			if !st.On {
				return api.Invalid("staff", apitext.New("staffapi.set_up_your_own", "set up your own second factor first (POST /api/v1/me/two-factor), so that requiring it of staff does not lock you out"))
			}
		}
		p.Staff = *in.Staff
	}
	if err := a.auth.SetPolicy(r.ctx(), p, r.me, r.ip); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.TwoFactorPolicy{Clients: &p.Clients, Staff: &p.Staff})
	return nil
}

func (a *API) getClientTwoFactor(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.View(r.ctx(), func(tx *store.Tx) error { _, err := tx.Client(id); return err }); err != nil {
		return err
	}
	st, err := a.auth.State(r.ctx(), store.SessionClient, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, twoFactorView(st))
	return nil
}

func (a *API) putClientTwoFactor(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.TwoFactorRequiredInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Required == nil {
		return api.Invalid("required", apitext.New("staffapi.required_needed_true_false", "required is needed: true or false"))
	}
	st, err := a.auth.SetRequired(r.ctx(), id, *in.Required, r.me, r.ip)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, twoFactorView(st))
	return nil
}

// resetClientTwoFactor turns a client's second factor off and removes their
// passkeys (a lost phone), after staff checked who they are.
func (a *API) resetClientTwoFactor(w http.ResponseWriter, r request) error {
	return a.resetTwoFactor(w, r, store.SessionClient)
}

// resetStaffTwoFactor is resetClientTwoFactor for a staff member (admin
// only): one who lost their phone and recovery codes cannot sign in.
func (a *API) resetStaffTwoFactor(w http.ResponseWriter, r request) error {
	return a.resetTwoFactor(w, r, store.SessionStaff)
}

func (a *API) resetTwoFactor(w http.ResponseWriter, r request, kind store.SessionKind) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.TwoFactorResetInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	in.Checked = strings.TrimSpace(in.Checked)
	if in.Checked == "" || utf8.RuneCountInString(in.Checked) > 500 || !utf8.ValidString(in.Checked) {
		return api.Invalid("checked", apitext.New("staffapi.say_how_you_checked", "say how you checked who the client is (up to 500 characters), such as \"called back on the phone number on file, confirmed date of birth\"; it goes in the audit log"))
	}
	st, err := a.auth.Reset(r.ctx(), kind, id, r.me, r.ip, in.Checked)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, twoFactorView(st))
	return nil
}

// registerSecurity adds the routes of account security.
func (a *API) registerSecurity(mux Mux) {
	const get, post, put = "GET ", "POST ", "PUT "
	mux.HandleFunc(post+api.PathSessionSecondFactor, a.secondStep)
	mux.Handle(get+api.PathMeTwoFactor, a.staff(a.getMyTwoFactor))
	mux.Handle(post+api.PathMeTwoFactor, a.staff(a.startMyTwoFactor))
	mux.Handle(post+api.PathMeTwoFactorConfirm, a.staff(a.confirmMyTwoFactor))
	mux.Handle(get+api.PathSettingsTwoFactor, a.staff(a.getTwoFactorPolicy))
	mux.Handle(put+api.PathSettingsTwoFactor, a.admin(a.putTwoFactorPolicy))
	mux.Handle(get+api.PathClientTwoFactor, a.staff(a.getClientTwoFactor))
	mux.Handle(put+api.PathClientTwoFactor, a.staff(a.putClientTwoFactor))
	mux.Handle(post+api.PathClientTwoFactorReset, a.staff(a.resetClientTwoFactor))
	mux.Handle(post+api.PathStaffTwoFactorReset, a.admin(a.resetStaffTwoFactor))
	mux.Handle(post+api.PathClientPreview, a.staff(a.previewClient))
	mux.Handle(get+api.PathSettingsBranding, a.staff(a.getBranding))
	mux.Handle(put+api.PathSettingsBranding, a.admin(a.putBranding))
	mux.Handle(put+api.PathSettingsBrandingLogo, a.admin(a.putLogo))
	mux.Handle("DELETE "+api.PathSettingsBrandingLogo, a.admin(a.deleteLogo))
	mux.Handle(get+api.PathBrandingSnippet, a.staff(a.brandingSnippet))
}
