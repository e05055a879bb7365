package staffapi

import (
	"net/http"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/office"
	"clientportal/store"
)

func clientView(c store.Client) api.Client {
	x := c.Access
	missing := office.Missing(c)
	return api.Client{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, Language: c.Language, Created: c.Created, Updated: c.Updated,
		Access: api.Access{PasswordSet: x.PasswordHash != "", AllowedToLogOn: x.AllowedToLogOn, EmailNotice: x.EmailNotice, Activated: x.Activated,
			Locked: x.Locked, LockedAt: optTime(x.LockedAt), LockedUntil: optTime(x.LockedUntil), LockedOut: x.LockedOut, BadLoginAttempts: x.BadLoginAttempts, LastLoginAt: optTime(x.LastLoginAt), LastLoginIP: x.LastLoginIP,
			CanLogOn: len(missing) == 0, Missing: missing, MustChangePassword: x.MustChangePassword},
		BirthDate: c.BirthDate, IDLast4: c.IDLast4}
}

func (a *API) listClients(w http.ResponseWriter, r request) error {
	q, after, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.Client], error) {
		found, err := tx.SearchClients(q, after, limit+1)
		return pageOf(found, limit, func(c store.Client) (api.Client, uint64) { return clientView(c), c.ID }), err
	})
}

func (a *API) getClient(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Client, error) {
		c, err := tx.Client(id)
		return clientView(c), err
	})
}

func (a *API) getAccess(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Access, error) {
		c, err := tx.Client(id)
		return clientView(c).Access, err
	})
}

func (a *API) clientCases(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.Case], error) {
		if _, err := tx.Client(id); err != nil {
			return api.Page[api.Case]{}, err
		}
		set, err := tx.Settings()
		if err != nil {
			return api.Page[api.Case]{}, err
		}
		cases, err := tx.CasesOfClient(id)
		return pageOf(cases, len(cases), func(c store.Case) (api.Case, uint64) { return caseView(c, set), c.ID }), err
	})
}

func clientFields(in api.ClientInput) office.ClientFields {
	return office.ClientFields{Name: in.Name, Email: in.Email, Phone: in.Phone, Language: in.Language, BirthDate: in.BirthDate, IDLast4: in.IDLast4}
}

func (a *API) createClient(w http.ResponseWriter, r request) error {
	var in api.ClientInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	c, err := a.office.CreateClient(r.ctx(), r.actor(), office.NewClient{ClientFields: clientFields(in),
		Password: in.Password, AllowedToLogOn: in.AllowedToLogOn, EmailNotice: in.EmailNotice})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, clientView(c))
	return nil
}

func (a *API) updateClient(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.ClientInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	switch {
	case in.Password != nil:
		return api.Invalid("password", apitext.New("staffapi.set_client_s_password", "set a client's password with PUT /api/v1/clients/{id}/password"))
	case in.AllowedToLogOn != nil:
		return api.Invalid("allowed_to_log_on", apitext.New("staffapi.change_portal_access_patch", "change portal access with PATCH /api/v1/clients/{id}/access"))
	case in.EmailNotice != nil:
		return api.Invalid("email_notice", apitext.New("staffapi.change_portal_access_patch", "change portal access with PATCH /api/v1/clients/{id}/access"))
	}
	c, err := a.office.UpdateClient(r.ctx(), r.actor(), id, clientFields(in))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c))
	return nil
}

func (a *API) updateAccess(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.AccessInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	c, err := a.office.SetAccess(r.ctx(), r.actor(), id, office.AccessChange{AllowedToLogOn: in.AllowedToLogOn, EmailNotice: in.EmailNotice, Locked: in.Locked})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c).Access)
	return nil
}

func (a *API) setPassword(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.PasswordInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	c, err := a.office.SetClientPassword(r.ctx(), r.actor(), id, in.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c).Access)
	return nil
}

func (a *API) verifyPassword(w http.ResponseWriter, r request) error {
	if ok, wait := a.verifyLimit.Take(target("staff", r.me.ID)); !ok {
		return api.ErrRateLimited.WithRetryAfter(wait)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.PasswordInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	matches, err := a.office.VerifyClientPassword(r.ctx(), r.actor(), id, in.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.VerifyResult{Matches: matches})
	return nil
}
