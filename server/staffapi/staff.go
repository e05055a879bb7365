package staffapi

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"

	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/server/httpsec"
	"clientportal/server/password"
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
		a.writeError(w, r, api.Invalid("email", "email is required"))
		return
	}
	if in.Password == "" {
		a.writeError(w, r, api.Invalid("password", "password is required"))
		return
	}
	me, login, err := a.auth.LoginStaff(r.Context(), in.Email, in.Password, ip)
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
	return api.Staff{ID: s.ID, Email: s.Email, Name: s.Name, Title: s.Title, Role: string(s.Role), Phone: s.Phone, Address: s.Address, Disabled: s.Disabled}
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

func (a *API) createStaff(w http.ResponseWriter, r request) error {
	var in api.StaffInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Email == nil || in.Name == nil || in.Password == nil {
		return api.Invalid(firstMissing(map[string]bool{"email": in.Email == nil, "name": in.Name == nil, "password": in.Password == nil}), "email, name and password are required")
	}
	s := store.Staff{Role: store.RoleStaff}
	return a.saveStaff(w, r, &s, in, http.StatusCreated)
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
	var s store.Staff
	if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { s, err = tx.Staff(id); return err }); err != nil {
		return err
	}
	if s.ID == r.me.ID && ((in.Role != nil && *in.Role != string(store.RoleAdmin)) || (in.Disabled != nil && *in.Disabled)) {
		return api.Invalid("role", "you cannot remove your own administrator role or disable yourself; ask another administrator")
	}
	return a.saveStaff(w, r, &s, in, http.StatusOK)
}

func (a *API) saveStaff(w http.ResponseWriter, r request, s *store.Staff, in api.StaffInput, status int) error {
	var err error
	if in.Email != nil {
		if s.Email, err = email("email", *in.Email); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		in   *string
		out  *string
		max  int
	}{{"name", in.Name, &s.Name, 120}, {"title", in.Title, &s.Title, 120}, {"phone", in.Phone, &s.Phone, 40}, {"address", in.Address, &s.Address, 300}} {
		if f.in != nil {
			if *f.out, err = text(f.name, *f.in, f.max, f.name == "name"); err != nil {
				return err
			}
		}
	}
	if in.Role != nil {
		switch store.Role(*in.Role) {
		case store.RoleAdmin, store.RoleStaff:
			s.Role = store.Role(*in.Role)
		default:
			return api.Invalid("role", `role must be "admin" or "staff"`)
		}
	}
	if in.Disabled != nil {
		s.Disabled = *in.Disabled
	}
	if in.Password != nil {
		// Staff passwords follow the NIST rules: long, and not common.
		if problems := password.Check(store.PolicyNIST, *in.Password, s.Name, s.Email); len(problems) > 0 {
			return api.Invalid("password", password.Summary(problems))
		}
		if s.PasswordHash, err = a.auth.HashPassword(r.ctx(), *in.Password); err != nil {
			return err
		}
	}
	create := s.ID == 0
	err = a.store.Update(r.ctx(), func(tx *store.Tx) error {
		if err := tx.PutStaff(s); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return api.Conflict("email", "another staff member has this email")
			}
			return err
		}
		if s.Disabled || in.Password != nil {
			if _, err := tx.DeleteSessionsOf(store.SessionStaff, s.ID); err != nil {
				return err
			}
		}
		action := "staff.update"
		if create {
			action = "staff.create"
		}
		return tx.Audit(r.audit(action, target("staff", s.ID), changed(in)))
	})
	if err != nil {
		return err
	}
	writeJSON(w, status, staffView(*s))
	return nil
}

// email checks and normalises an email address field.
func email(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", api.Invalid(field, field+" is required")
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || len(v) > 254 || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
		return "", api.Invalid(field, field+" must be a plain email address like name@example.org")
	}
	return store.NormalizeEmail(v), nil
}

func firstMissing(missing map[string]bool) string {
	for _, f := range []string{"name", "email", "password", "number", "title", "client_ids", "kind", "status"} {
		if missing[f] {
			return f
		}
	}
	return ""
}
