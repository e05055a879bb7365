package staffapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/store"
)

const dateLayout = "2006-01-02"

func entryView(e store.StatusEntry, set store.Settings) api.StatusEntry {
	name := e.Status
	if st, ok := set.Status(e.Status); ok {
		name = st.Name("en")
	}
	return api.StatusEntry{ID: e.ID, CaseID: e.CaseID, Date: e.Date.Format(dateLayout), Status: e.Status, StatusName: name,
		Info: e.Info, SetByID: e.SetByID, SetByName: e.SetByName, Created: e.Created}
}

func caseView(c store.Case, set store.Settings) api.Case {
	v := api.Case{ID: c.ID, Number: c.Number, Title: c.Title, ClientIDs: c.ClientIDs, Kind: string(c.Kind), AdvocateID: c.AdvocateID,
		Created: c.Created, Updated: c.Updated}
	if v.ClientIDs == nil {
		v.ClientIDs = []uint64{}
	}
	if c.Attorney != nil {
		at := api.Attorney(*c.Attorney)
		v.Attorney = &at
	}
	if c.Current != nil {
		e := entryView(*c.Current, set)
		v.Current = &e
	}
	return v
}

func (a *API) listCases(w http.ResponseWriter, r request) error {
	q, after, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.Case], error) {
		set, err := tx.Settings()
		if err != nil {
			return api.Page[api.Case]{}, err
		}
		found, err := tx.SearchCases(q, after, limit+1)
		return pageOf(found, limit, func(c store.Case) (api.Case, uint64) { return caseView(c, set), c.ID }), err
	})
}

func (a *API) getCase(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Case, error) {
		c, err := tx.Case(id)
		if err != nil {
			return api.Case{}, err
		}
		set, err := tx.Settings()
		return caseView(c, set), err
	})
}

func (a *API) createCase(w http.ResponseWriter, r request) error {
	var in api.CaseInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Number == nil || in.Title == nil || in.ClientIDs == nil || in.Kind == nil {
		return api.Invalid(firstMissing(map[string]bool{"number": in.Number == nil, "title": in.Title == nil, "client_ids": in.ClientIDs == nil, "kind": in.Kind == nil}),
			"number, title, client_ids and kind are required")
	}
	return a.saveCase(w, r, 0, in, http.StatusCreated)
}

func (a *API) updateCase(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.CaseInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	return a.saveCase(w, r, id, in, http.StatusOK)
}

// saveCase applies in to case id (0: a new case), checks the result as a
// whole, and writes it with its audit entry.
func (a *API) saveCase(w http.ResponseWriter, r request, id uint64, in api.CaseInput, status int) error {
	var v api.Case
	err := a.store.Update(r.ctx(), func(tx *store.Tx) error {
		var c store.Case
		if id != 0 {
			var err error
			if c, err = tx.Case(id); err != nil {
				return err
			}
		}
		var err error
		if in.Number != nil {
			if c.Number, err = text("number", *in.Number, 40, true); err != nil {
				return err
			}
		}
		if in.Title != nil {
			if c.Title, err = text("title", *in.Title, 200, true); err != nil {
				return err
			}
		}
		if in.ClientIDs != nil {
			ids := *in.ClientIDs
			if len(ids) == 0 || len(ids) > 20 {
				return api.Invalid("client_ids", "a case needs from 1 to 20 clients")
			}
			seen := map[uint64]bool{}
			for _, cid := range ids {
				if _, err := tx.Client(cid); err != nil || seen[cid] {
					return api.Invalid("client_ids", "client_ids must list existing clients, each once")
				}
				seen[cid] = true
			}
			c.ClientIDs = ids
		}
		if in.Kind != nil {
			c.Kind = store.CaseKind(*in.Kind)
		}
		if in.AdvocateID != nil {
			c.AdvocateID = *in.AdvocateID
		}
		if in.Attorney != nil {
			at := *in.Attorney
			if at.Name, err = text("attorney.name", at.Name, 120, true); err != nil {
				return err
			}
			if at.Firm, err = text("attorney.firm", at.Firm, 120, false); err != nil {
				return err
			}
			if at.Phone, err = text("attorney.phone", at.Phone, 40, false); err != nil {
				return err
			}
			if at.Email != "" {
				if at.Email, err = email("attorney.email", at.Email); err != nil {
					return err
				}
			}
			sa := store.Attorney(at)
			c.Attorney = &sa
		}
		switch c.Kind {
		case store.KindStaff:
			if c.AdvocateID == 0 {
				return api.Invalid("advocate_id", "a staff case needs advocate_id: the staff member clients should contact")
			}
			if _, err := tx.Staff(c.AdvocateID); err != nil {
				return api.Invalid("advocate_id", "advocate_id is not a staff member")
			}
			c.Attorney = nil
		case store.KindProBono:
			if c.Attorney == nil {
				return api.Invalid("attorney", "a pro bono case needs attorney with at least the outside attorney's name")
			}
			c.AdvocateID = 0
		default:
			return api.Invalid("kind", `kind must be "staff" or "pro_bono"`)
		}
		if err := tx.PutCase(&c); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return api.Conflict("number", "another case has this number")
			}
			return err
		}
		action := "case.update"
		if id == 0 {
			action = "case.create"
		}
		if err := tx.Audit(r.audit(action, target("case", c.ID), changed(in))); err != nil {
			return err
		}
		set, err := tx.Settings()
		v = caseView(c, set)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, status, v)
	return nil
}

func (a *API) listStatusEntries(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.StatusEntry], error) {
		var page api.Page[api.StatusEntry]
		if _, err := tx.Case(id); err != nil {
			return page, err
		}
		set, err := tx.Settings()
		if err != nil {
			return page, err
		}
		hist, err := tx.StatusHistory(id)
		page.Items = make([]api.StatusEntry, 0, len(hist))
		for _, e := range hist {
			page.Items = append(page.Items, entryView(e, set))
		}
		return page, err
	})
}

func (a *API) getStatusEntry(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	entry, err := pathID(r, "entry")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.StatusEntry, error) {
		e, err := tx.StatusEntry(id, entry)
		if err != nil {
			return api.StatusEntry{}, err
		}
		set, err := tx.Settings()
		return entryView(e, set), err
	})
}

func (a *API) addStatusEntry(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.StatusEntryInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	info, err := longText("info", in.Info, 4000)
	if err != nil {
		return err
	}
	var v api.StatusEntry
	err = a.store.Update(r.ctx(), func(tx *store.Tx) error {
		if _, err := tx.Case(id); err != nil {
			return err
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		st, ok := set.Status(strings.TrimSpace(in.Status))
		if !ok || st.Retired {
			return api.Invalid("status", "status must be the id of a status in the office's list (GET /api/v1/settings/statuses)")
		}
		today := tx.Now().Truncate(24 * time.Hour)
		date := today
		if in.Date != "" {
			if date, err = time.Parse(dateLayout, in.Date); err != nil {
				return api.Invalid("date", "date must be a day as YYYY-MM-DD")
			}
			// A day ahead allows for time zones; a status cannot take effect later.
			if date.After(today.AddDate(0, 0, 1)) || date.Year() < 1900 {
				return api.Invalid("date", "date cannot be in the future or before 1900")
			}
		}
		e := store.StatusEntry{CaseID: id, Date: date, Status: st.ID, Info: info, SetByID: r.me.ID, SetByName: r.me.Name}
		if err := tx.AddStatusEntry(&e); err != nil {
			return err
		}
		if err := tx.Audit(r.audit("case.status", target("case", id), "status "+st.ID+" dated "+date.Format(dateLayout))); err != nil {
			return err
		}
		v = entryView(e, set)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}
