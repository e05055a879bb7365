package staffapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/office"
	"clientportal/store"
)

func entryView(e store.StatusEntry, set store.Settings) api.StatusEntry {
	name := e.Status
	if st, ok := set.Status(e.Status); ok {
		name = st.Name("en")
	}
	v := api.StatusEntry{ID: e.ID, CaseID: e.CaseID, Date: e.Date.Format(office.DateLayout), Status: e.Status, StatusName: name,
		Info: e.Info, SetByID: e.SetByID, SetByName: e.SetByName, Created: e.Created,
		Active: e.Active(), Corrects: e.Corrects, SupersededBy: e.SupersededBy}
	if w := e.Withdrawn; w != nil {
		v.Withdrawn = &api.Withdrawal{At: w.At, ByID: w.ByID, ByName: w.ByName, Reason: w.Reason}
	}
	return v
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
	// Filters (store.FilterCases walks an index, not the whole office):
	// status=ID (the current status), advocate=ID (the staff advocate),
	// unread=true (client messages no staff member has read).
	f := store.CaseFilter{Q: q, Status: r.URL.Query().Get("status")}
	if len(f.Status) > 64 || strings.ContainsRune(f.Status, 0) {
		return api.Refusal(http.StatusBadRequest, "bad_request", "status", apitext.New("staffapi.status_id_status_office", "status must be the id of a status of the office's list"))
	}
	if s := r.URL.Query().Get("advocate"); s != "" {
		if f.Advocate, err = strconv.ParseUint(s, 10, 64); err != nil || f.Advocate == 0 {
			return api.Refusal(http.StatusBadRequest, "bad_request", "advocate", apitext.New("staffapi.advocate_staff_member_s", "advocate must be a staff member's id"))
		}
	}
	switch v := r.URL.Query().Get("unread"); v {
	case "", "false":
	case "true":
		f.Unread = true
	default:
		return api.Refusal(http.StatusBadRequest, "bad_request", "unread", apitext.New("staffapi.unread_true_false", "unread must be true or false"))
	}
	// waiting=true: a client upload waits for staff (the dashboard's
	// "uploads waiting for staff"); sort= and order= choose the order.
	switch v := r.URL.Query().Get("waiting"); v {
	case "", "false":
	case "true":
		f.Waiting = true
	default:
		return api.Invalid("waiting", apitext.New("cases.waiting_bool", "waiting must be true or false"))
	}
	s, err := caseSort(r)
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.Case], error) {
		set, err := tx.Settings()
		if err != nil {
			return api.Page[api.Case]{}, err
		}
		found, err := tx.SortedCases(f, s, after, limit+1)
		if errors.Is(err, store.ErrNotFound) && after != 0 {
			return api.Page[api.Case]{}, api.Invalid("after", apitext.New("cases.after_not_in_list", "after must be the id of a case of the page before; start again from the first page"))
		}
		if err != nil {
			return api.Page[api.Case]{}, err
		}
		var viewErr error
		page := pageOf(found, limit, func(c store.Case) (api.Case, uint64) {
			v := caseView(c, set)
			v.ClientNames = make([]string, 0, len(c.ClientIDs))
			for _, id := range c.ClientIDs {
				cl, err := tx.Client(id)
				if err != nil {
					viewErr = err
					continue
				}
				v.ClientNames = append(v.ClientNames, cl.Name)
			}
			if at, ok := tx.CaseActivity(c.ID); ok {
				v.LastActivity = &at
			}
			return v, c.ID
		})
		return page, viewErr
	})
}

// caseSort reads the case list's sort= (one of the api.CaseSort* orders;
// absent: the order cases were opened in, by id) and order= (asc or desc;
// absent: asc, but desc for activity, the newest first).
func caseSort(r request) (store.CaseSort, error) {
	q := r.URL.Query()
	var s store.CaseSort
	switch by := q.Get("sort"); by {
	case "":
	case api.CaseSortActivity, api.CaseSortNumber, api.CaseSortClient, api.CaseSortStatus, api.CaseSortOpened:
		s.By = by
		s.Desc = by == api.CaseSortActivity
	default:
		return s, api.Invalid("sort", apitext.New("cases.sort_unknown", "sort must be one of activity, number, client, status or opened"))
	}
	switch o := q.Get("order"); o {
	case "":
	case api.OrderAsc, api.OrderDesc:
		if s.By == "" {
			return s, api.Invalid("order", apitext.New("cases.order_needs_sort", "order needs a sort: give sort=activity, number, client, status or opened"))
		}
		s.Desc = o == api.OrderDesc
	default:
		return s, api.Invalid("order", apitext.New("cases.order_unknown", "order must be asc or desc"))
	}
	return s, nil
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

func caseFields(in api.CaseInput) office.CaseFields {
	f := office.CaseFields{Number: in.Number, Title: in.Title, ClientIDs: in.ClientIDs, Kind: in.Kind, AdvocateID: in.AdvocateID}
	if in.Attorney != nil {
		at := store.Attorney(*in.Attorney)
		f.Attorney = &at
	}
	return f
}

// answerCase answers with c as the API shows it.
func (a *API) answerCase(w http.ResponseWriter, r request, status int, c store.Case) error {
	return readStatus(a, w, r, status, func(tx *store.Tx) (api.Case, error) {
		set, err := tx.Settings()
		return caseView(c, set), err
	})
}

func (a *API) createCase(w http.ResponseWriter, r request) error {
	var in api.CaseInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	ask := in.Invite != nil && *in.Invite
	if ask { // refused before the case is made, so a refusal changes nothing
		if err := a.office.CanInvite(r.ctx()); err != nil {
			return err
		}
	}
	c, err := a.office.CreateCase(r.ctx(), r.actor(), caseFields(in))
	if err != nil {
		return err
	}
	if _, err := a.office.AutoInvite(r.ctx(), r.actor(), c.ID, ask); err != nil {
		a.log.Error("invite the clients of a new case", "case", c.ID, "err", err)
	}
	return a.answerCase(w, r, http.StatusCreated, c)
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
	if in.Invite != nil {
		return api.Invalid("invite", apitext.New("staffapi.invite_applies_only_when", "invite applies only when a case is created; invite its clients with POST /api/v1/invitations"))
	}
	c, err := a.office.UpdateCase(r.ctx(), r.actor(), id, caseFields(in))
	if err != nil {
		return err
	}
	return a.answerCase(w, r, http.StatusOK, c)
}

// listStatusEntries answers the case's whole status record, corrected and
// withdrawn entries included, latest dated first.
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
		record, err := tx.StatusRecord(id)
		page.Items = make([]api.StatusEntry, 0, len(record))
		for _, e := range record {
			page.Items = append(page.Items, entryView(e, set))
		}
		return page, err
	})
}

func (a *API) getStatusEntry(w http.ResponseWriter, r request) error {
	id, entry, err := entryIDs(r)
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

func entryIDs(r request) (caseID, entryID uint64, err error) {
	if caseID, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	entryID, err = pathID(r, "entry")
	return caseID, entryID, err
}

// answerEntry answers with e as the API shows it.
func (a *API) answerEntry(w http.ResponseWriter, r request, status int, e store.StatusEntry) error {
	return readStatus(a, w, r, status, func(tx *store.Tx) (api.StatusEntry, error) {
		set, err := tx.Settings()
		return entryView(e, set), err
	})
}

func statusInput(in api.StatusEntryInput) office.StatusInput {
	return office.StatusInput{Date: in.Date, Status: in.Status, Info: in.Info}
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
	e, err := a.office.AddStatus(r.ctx(), r.actor(), id, statusInput(in))
	if err != nil {
		return err
	}
	return a.answerEntry(w, r, http.StatusCreated, e)
}

func (a *API) correctStatusEntry(w http.ResponseWriter, r request) error {
	id, entry, err := entryIDs(r)
	if err != nil {
		return err
	}
	var in api.StatusEntryInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	e, err := a.office.CorrectStatus(r.ctx(), r.actor(), id, entry, statusInput(in))
	if err != nil {
		return err
	}
	return a.answerEntry(w, r, http.StatusCreated, e)
}

func (a *API) withdrawStatusEntry(w http.ResponseWriter, r request) error {
	id, entry, err := entryIDs(r)
	if err != nil {
		return err
	}
	var in api.WithdrawInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	e, err := a.office.WithdrawStatus(r.ctx(), r.actor(), id, entry, in.Reason)
	if err != nil {
		return err
	}
	return a.answerEntry(w, r, http.StatusOK, e)
}
