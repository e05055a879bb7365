package staffapi

import (
	"errors"
	"fmt"
	"net/http"

	"clientportal/server/api"
	"clientportal/server/password"
	"clientportal/store"
)

// languages the portal ships.
var languages = map[string]bool{"": true, "en": true, "es": true}

func clientView(c store.Client) api.Client {
	x := c.Access
	return api.Client{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, Language: c.Language, Created: c.Created, Updated: c.Updated,
		Access: api.Access{PasswordSet: x.PasswordHash != "", AllowedToLogOn: x.AllowedToLogOn, EmailNotice: x.EmailNotice, Activated: x.Activated,
			Locked: x.Locked, LockedAt: optTime(x.LockedAt), LockedUntil: optTime(x.LockedUntil), LockedOut: x.LockedOut, BadLoginAttempts: x.BadLoginAttempts, LastLoginAt: optTime(x.LastLoginAt), LastLoginIP: x.LastLoginIP}}
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

// loadClient reads the {id} client.
func (a *API) loadClient(r request) (store.Client, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Client{}, err
	}
	var c store.Client
	err = a.store.View(r.ctx(), func(tx *store.Tx) (err error) { c, err = tx.Client(id); return err })
	return c, err
}

func (a *API) getClient(w http.ResponseWriter, r request) error {
	c, err := a.loadClient(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c))
	return nil
}

func (a *API) getAccess(w http.ResponseWriter, r request) error {
	c, err := a.loadClient(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c).Access)
	return nil
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

func (a *API) createClient(w http.ResponseWriter, r request) error {
	var in api.ClientInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Name == nil || in.Email == nil {
		return api.Invalid(firstMissing(map[string]bool{"name": in.Name == nil, "email": in.Email == nil}), "name and email are required")
	}
	// A new client may not log on until staff set a password and allow it.
	c := store.Client{Access: store.PortalAccess{EmailNotice: true}}
	return a.saveClient(w, r, &c, in, http.StatusCreated)
}

func (a *API) updateClient(w http.ResponseWriter, r request) error {
	c, err := a.loadClient(r)
	if err != nil {
		return err
	}
	var in api.ClientInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	return a.saveClient(w, r, &c, in, http.StatusOK)
}

func (a *API) saveClient(w http.ResponseWriter, r request, c *store.Client, in api.ClientInput, status int) error {
	var err error
	if in.Name != nil {
		if c.Name, err = text("name", *in.Name, 120, true); err != nil {
			return err
		}
	}
	if in.Email != nil {
		if c.Email, err = email("email", *in.Email); err != nil {
			return err
		}
	}
	if in.Phone != nil {
		if c.Phone, err = text("phone", *in.Phone, 40, false); err != nil {
			return err
		}
	}
	if in.Language != nil {
		if !languages[*in.Language] {
			return api.Invalid("language", `language must be "en", "es" or empty (the browser's)`)
		}
		c.Language = *in.Language
	}
	create := c.ID == 0
	err = a.store.Update(r.ctx(), func(tx *store.Tx) error {
		if err := tx.PutClient(c); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return api.Conflict("email", "another client has this email: each client logs in with their own address")
			}
			return err
		}
		action := "client.update"
		if create {
			action = "client.create"
		}
		return tx.Audit(r.audit(action, target("client", c.ID), changed(in)))
	})
	if err != nil {
		return err
	}
	writeJSON(w, status, clientView(*c))
	return nil
}

// changeClient applies fn to the {id} client in one transaction with its
// audit entry, and answers with the client's access facts.
func (a *API) changeClient(w http.ResponseWriter, r request, action string, fn func(tx *store.Tx, c *store.Client) (detail string, err error)) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c store.Client
	err = a.store.Update(r.ctx(), func(tx *store.Tx) error {
		if c, err = tx.Client(id); err != nil {
			return err
		}
		detail, err := fn(tx, &c)
		if err != nil {
			return err
		}
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		return tx.Audit(r.audit(action, target("client", c.ID), detail))
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c).Access)
	return nil
}

func (a *API) updateAccess(w http.ResponseWriter, r request) error {
	var in api.AccessInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	return a.changeClient(w, r, "client.access", func(tx *store.Tx, c *store.Client) (string, error) {
		endSessions := false
		if in.AllowedToLogOn != nil {
			c.Access.AllowedToLogOn = *in.AllowedToLogOn
			endSessions = endSessions || !*in.AllowedToLogOn
		}
		if in.EmailNotice != nil {
			c.Access.EmailNotice = *in.EmailNotice
		}
		if in.Locked != nil {
			if *in.Locked && !c.Access.Locked {
				c.Access.LockedAt = tx.Now()
			}
			c.Access.Locked = *in.Locked
			if !*in.Locked {
				c.Access.Unlock() // also lifts a lockout by bad guesses
			}
			endSessions = endSessions || *in.Locked
		}
		if endSessions {
			if _, err := tx.DeleteSessionsOf(store.SessionClient, c.ID); err != nil {
				return "", err
			}
		}
		return accessDetail(in), nil
	})
}

func accessDetail(in api.AccessInput) string {
	var s string
	add := func(name string, v *bool) {
		if v != nil {
			s += fmt.Sprintf("%s=%v ", name, *v)
		}
	}
	add("allowed_to_log_on", in.AllowedToLogOn)
	add("email_notice", in.EmailNotice)
	add("locked", in.Locked)
	return s
}

func (a *API) setPassword(w http.ResponseWriter, r request) error {
	var in api.PasswordInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Password == "" {
		return api.Invalid("password", "password is required")
	}
	c, err := a.loadClient(r)
	if err != nil {
		return err
	}
	var policy store.PasswordPolicy
	if err := a.store.View(r.ctx(), func(tx *store.Tx) error {
		set, err := tx.Settings()
		policy = set.PasswordPolicy
		return err
	}); err != nil {
		return err
	}
	if problems := password.Check(policy, in.Password, c.Name, c.Email); len(problems) > 0 {
		return api.Invalid("password", password.Summary(problems))
	}
	hash, err := a.auth.HashPassword(r.ctx(), in.Password)
	if err != nil {
		return err
	}
	return a.changeClient(w, r, "client.password_set", func(tx *store.Tx, c *store.Client) (string, error) {
		c.Access.PasswordHash, c.Access.PasswordSet = hash, tx.Now()
		// A new password ends every session opened with the old one.
		_, err := tx.DeleteSessionsOf(store.SessionClient, c.ID)
		return "password set by staff", err
	})
}

func (a *API) verifyPassword(w http.ResponseWriter, r request) error {
	if ok, wait := a.verifyLimit.Take(target("staff", r.me.ID)); !ok {
		return api.ErrRateLimited.WithRetryAfter(wait)
	}
	var in api.PasswordInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	c, err := a.loadClient(r)
	if err != nil {
		return err
	}
	matches := false
	if c.Access.PasswordHash != "" {
		if matches, err = a.auth.VerifyPassword(r.ctx(), c.Access.PasswordHash, in.Password); err != nil {
			return fmt.Errorf("verify client %d password: %w", c.ID, err)
		}
	}
	detail := "does not match"
	if matches {
		detail = "matches"
	}
	if err := a.store.Update(r.ctx(), func(tx *store.Tx) error {
		return tx.Audit(r.audit("client.password_verify", target("client", c.ID), detail))
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.VerifyResult{Matches: matches})
	return nil
}
