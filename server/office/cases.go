package office

import (
	"context"
	"errors"
	"strings"

	"clientportal/server/apitext"
	"clientportal/store"
)

// CaseFields are a case's details; nil fields are left as they are.
type CaseFields struct {
	Number     *string
	Title      *string
	ClientIDs  *[]uint64
	Kind       *string
	AdvocateID *uint64
	Attorney   *store.Attorney
}

func (f CaseFields) names() []string {
	var out []string
	for _, x := range []struct {
		name string
		set  bool
	}{{"number", f.Number != nil}, {"title", f.Title != nil}, {"client_ids", f.ClientIDs != nil}, {"kind", f.Kind != nil},
		{"advocate_id", f.AdvocateID != nil}, {"attorney", f.Attorney != nil}} {
		if x.set {
			out = append(out, x.name)
		}
	}
	return out
}

// CreateCase opens a case; number, title, client_ids and kind are required.
func (o *Office) CreateCase(ctx context.Context, a Actor, in CaseFields) (store.Case, error) {
	for _, req := range []struct {
		name string
		set  bool
	}{{"number", in.Number != nil}, {"title", in.Title != nil}, {"client_ids", in.ClientIDs != nil}, {"kind", in.Kind != nil}} {
		if !req.set {
			return store.Case{}, invalid(req.name, apitext.New("case.number_title_client_ids_kind", "number, title, client_ids and kind are required"))
		}
	}
	return o.saveCase(ctx, a, 0, in)
}

// UpdateCase changes the fields that are set, and only those; the case as a
// whole must still hold together (a staff case has an advocate, a pro bono
// case an outside attorney).
func (o *Office) UpdateCase(ctx context.Context, a Actor, id uint64, in CaseFields) (store.Case, error) {
	if id == 0 {
		return store.Case{}, store.ErrNotFound
	}
	return o.saveCase(ctx, a, id, in)
}

func (o *Office) saveCase(ctx context.Context, a Actor, id uint64, in CaseFields) (store.Case, error) {
	var c store.Case
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if id != 0 {
			var err error
			if c, err = tx.Case(id); err != nil {
				return change{}, err
			}
		}
		if err := in.apply(tx, &c); err != nil {
			return change{}, err
		}
		if err := tx.PutCase(&c); err != nil {
			return change{}, conflictAs(err, "number", apitext.New("case.another_case_has_number", "another case has this number"))
		}
		action := "case.update"
		if id == 0 {
			action = "case.create"
		}
		return did(action, target("case", c.ID), fieldsDetail(in.names())), nil
	})
	return c, err
}

// apply checks the fields that are set against the records in tx and writes
// them into c.
func (f CaseFields) apply(tx *store.Tx, c *store.Case) error {
	var err error
	if err = optional(f.Number, &c.Number, func(v string) (string, error) { return text("number", v, 40, true) }); err != nil {
		return err
	}
	if err = optional(f.Title, &c.Title, func(v string) (string, error) { return text("title", v, 200, true) }); err != nil {
		return err
	}
	if f.ClientIDs != nil {
		ids := *f.ClientIDs
		if len(ids) == 0 || len(ids) > 20 {
			return invalid("client_ids", apitext.New("case.case_needs_from_1", "a case needs from 1 to 20 clients"))
		}
		seen := map[uint64]bool{}
		for _, cid := range ids {
			if _, err := tx.Client(cid); err != nil || seen[cid] {
				return invalid("client_ids", apitext.New("case.client_ids_list_existing_clients", "client_ids must list existing clients, each once"))
			}
			seen[cid] = true
		}
		c.ClientIDs = append([]uint64(nil), ids...)
	}
	if f.Kind != nil {
		c.Kind = store.CaseKind(*f.Kind)
	}
	if f.AdvocateID != nil {
		c.AdvocateID = *f.AdvocateID
	}
	if f.Attorney != nil {
		at := *f.Attorney
		for _, x := range []struct {
			name     string
			v        *string
			max      int
			required bool
		}{{"attorney.name", &at.Name, 120, true}, {"attorney.firm", &at.Firm, 120, false}, {"attorney.phone", &at.Phone, 40, false}} {
			if *x.v, err = text(x.name, *x.v, x.max, x.required); err != nil {
				return err
			}
		}
		if at.Email != "" {
			if at.Email, err = email("attorney.email", at.Email); err != nil {
				return err
			}
		}
		c.Attorney = &at
	}
	switch c.Kind {
	case store.KindStaff:
		if c.AdvocateID == 0 {
			return invalid("advocate_id", apitext.New("case.staff_case_needs_advocate_id", "a staff case needs advocate_id: the staff member clients should contact"))
		}
		if _, err := tx.Staff(c.AdvocateID); err != nil {
			return invalid("advocate_id", apitext.New("case.advocate_id_not_staff_member", "advocate_id is not a staff member"))
		}
		c.Attorney = nil
	case store.KindProBono:
		if c.Attorney == nil {
			return invalid("attorney", apitext.New("case.pro_bono_case_needs", "a pro bono case needs attorney with at least the outside attorney's name"))
		}
		c.AdvocateID = 0
	default:
		return invalid("kind", apitext.New("case.kind_staff_pro_bono", `kind must be "staff" or "pro_bono"`))
	}
	return nil
}

// StatusInput is a status entry to add, or the corrected form of one.
type StatusInput struct {
	Date   string // YYYY-MM-DD; empty: today
	Status string // a status id of the office's list
	Info   string
}

// entry checks in against the settings and makes the entry, set by a.
func (in StatusInput) entry(tx *store.Tx, a Actor, caseID uint64) (store.StatusEntry, error) {
	info, err := longText("info", in.Info, 4000)
	if err != nil {
		return store.StatusEntry{}, err
	}
	set, err := tx.Settings()
	if err != nil {
		return store.StatusEntry{}, err
	}
	st, ok := set.Status(strings.TrimSpace(in.Status))
	if !ok || st.Retired {
		return store.StatusEntry{}, invalid("status", apitext.New("case.status_id_status_office", "status must be the id of a status in the office's list (GET /api/v1/settings/statuses)"))
	}
	date, err := statusDate(in.Date, tx.Now())
	if err != nil {
		return store.StatusEntry{}, err
	}
	return store.StatusEntry{CaseID: caseID, Date: date, Status: st.ID, Info: info, SetByID: a.ID, SetByName: a.Name}, nil
}

// AddStatus appends an entry to the case's status history.
func (o *Office) AddStatus(ctx context.Context, a Actor, caseID uint64, in StatusInput) (store.StatusEntry, error) {
	var e store.StatusEntry
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		if e, err = in.entry(tx, a, caseID); err != nil {
			return change{}, err
		}
		if err := tx.AddStatusEntry(&e); err != nil {
			return change{}, err
		}
		return change{action: "case.status", target: target("case", caseID),
			detail: "status " + e.Status + " dated " + e.Date.Format(DateLayout),
			events: []store.Event{caseEvent("status.added", c, e.ID)}}, nil
	})
	return e, err
}

// CorrectStatus replaces a wrong entry with a corrected one. The wrong entry is
// kept in the record, marked as corrected; clients see the correction.
func (o *Office) CorrectStatus(ctx context.Context, a Actor, caseID, entryID uint64, in StatusInput) (store.StatusEntry, error) {
	var e store.StatusEntry
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		old, err := tx.StatusEntry(caseID, entryID)
		if err != nil {
			return change{}, err
		}
		if e, err = in.entry(tx, a, caseID); err != nil {
			return change{}, err
		}
		if err := tx.CorrectStatusEntry(entryID, &e); err != nil {
			return change{}, notActive(err)
		}
		return did("case.status_correct", target("case", caseID), "entry "+itoa(entryID)+" ("+old.Status+" dated "+
			old.Date.Format(DateLayout)+") corrected by entry "+itoa(e.ID)+" ("+e.Status+" dated "+e.Date.Format(DateLayout)+")"), nil
	})
	return e, err
}

// WithdrawStatus withdraws an entry made by mistake; it stays in the record,
// marked, with the reason.
func (o *Office) WithdrawStatus(ctx context.Context, a Actor, caseID, entryID uint64, reason string) (store.StatusEntry, error) {
	reason, err := longText("reason", reason, 1000)
	if err != nil {
		return store.StatusEntry{}, err
	}
	if reason == "" {
		return store.StatusEntry{}, invalid("reason", apitext.New("case.say_why_entry_withdrawn", "say why the entry is withdrawn (reason): the record keeps it"))
	}
	var e store.StatusEntry
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if e, err = tx.WithdrawStatusEntry(caseID, entryID, store.Withdrawal{ByID: a.ID, ByName: a.Name, Reason: reason}); err != nil {
			return change{}, notActive(err)
		}
		return did("case.status_withdraw", target("case", caseID), "entry "+itoa(entryID)+" ("+e.Status+" dated "+
			e.Date.Format(DateLayout)+") withdrawn"), nil
	})
	return e, err
}

// caseEvent is an event about case c that its clients and staff see.
func caseEvent(typ string, c store.Case, ref uint64) store.Event {
	return store.Event{Type: typ, CaseID: c.ID, Ref: ref, ClientIDs: append([]uint64(nil), c.ClientIDs...)}
}

func notActive(err error) error {
	if errors.Is(err, store.ErrNotActive) {
		return inactive("entry", apitext.New("case.entry_was_already_corrected", "this entry was already corrected or withdrawn; correct the entry that replaced it"))
	}
	return err
}
