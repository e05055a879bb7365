package staffapi

import (
	"errors"
	"net/http"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/office"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	httpsec.NoStore(w)
	ip := httpsec.ClientIP(r)
	if ok, wait := a.loginLimit.Take(ratelimit.AddressKey(ip)); !ok {
		a.auth.Refused(r.Context(), store.SessionStaff, ip, "rate_limited")
		a.writeError(w, r, api.ErrRateLimited.WithRetryAfter(wait))
		return
	}
	var in api.LoginRequest
	if err := decode(w, r, &in); err != nil {
		a.writeError(w, r, err)
		return
	}
	if strings.TrimSpace(in.Email) == "" {
		a.writeError(w, r, api.Invalid("email", apitext.New("staffapi.email_required", "email is required")))
		return
	}
	if in.Password == "" {
		a.writeError(w, r, api.Invalid("password", apitext.New("staffapi.password_required", "password is required")))
		return
	}
	me, login, err := a.auth.LoginStaff(r.Context(), in.Email, in.Password, ip)
	var need *auth.SecondFactorNeeded
	if errors.As(err, &need) {
		a.writeError(w, r, secondFactorNeeded(need))
		return
	}
	if errors.Is(err, auth.ErrBadLogin) {
		a.writeError(w, r, api.ErrBadLogin)
		return
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.LoginResponse{Token: login.Token, Expires: login.Session.Expires, Staff: staffView(me)})
}

func (a *API) logout(w http.ResponseWriter, r request) error {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := a.auth.Logout(r.ctx(), strings.TrimSpace(token), r.ip); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) getMe(w http.ResponseWriter, r request) error {
	writeJSON(w, http.StatusOK, staffView(r.me))
	return nil
}

func (a *API) getVersion(w http.ResponseWriter, r request) error {
	writeJSON(w, http.StatusOK, map[string]any{"version": a.version, "schema": store.SchemaVersion()})
	return nil
}

func staffView(s store.Staff) api.Staff {
	return api.Staff{ID: s.ID, Email: s.Email, Name: s.Name, Title: s.Title, Role: string(s.Role), Phone: s.Phone, Address: s.Address, Disabled: s.Disabled,
		BadLoginAttempts: s.BadLoginAttempts, LockedUntil: optTime(s.LockedUntil),
		MailAlerts: !s.AlertsOff}
}

func (a *API) listStaff(w http.ResponseWriter, r request) error {
	var out []api.Staff
	err := a.store.View(r.ctx(), func(tx *store.Tx) error {
		all, err := tx.ListStaff()
		for _, s := range all {
			out = append(out, staffView(s))
		}
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.Page[api.Staff]{Items: out})
	return nil
}

func (a *API) getStaff(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var s store.Staff
	if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { s, err = tx.Staff(id); return err }); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, staffView(s))
	return nil
}

func staffFields(in api.StaffInput) office.StaffFields {
	return office.StaffFields{Email: in.Email, Name: in.Name, Title: in.Title, Role: in.Role, Phone: in.Phone,
		Address: in.Address, Password: in.Password, Disabled: in.Disabled, MailAlerts: in.MailAlerts}
}

func (a *API) createStaff(w http.ResponseWriter, r request) error {
	var in api.StaffInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	s, err := a.office.CreateStaff(r.ctx(), r.actor(), staffFields(in))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, staffView(s))
	return nil
}

func (a *API) updateStaff(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.StaffInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	s, err := a.office.UpdateStaff(r.ctx(), r.actor(), id, staffFields(in))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, staffView(s))
	return nil
}
