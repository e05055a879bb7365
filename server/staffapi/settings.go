package staffapi

import (
	"cmp"
	"fmt"
	"net/http"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/docstore"
	"clientportal/server/office"
	"clientportal/store"
)

// settingsView is the settings as staff see them; docs (nil: none) gives
// the service's upload limit where the office set none.
func settingsView(s store.Settings, docs *docstore.Store) api.Settings {
	maxMB := s.UploadMaxMB
	if maxMB == 0 && docs != nil {
		maxMB = int(docs.MaxSize() >> 20)
	}
	types := s.UploadTypes
	if types == nil {
		types = docstore.KindNames()
	}
	return api.Settings{UploadMaxMB: maxMB, UploadTypes: types, OfficeName: s.OfficeName, OfficePhone: s.OfficePhone, OfficeEmail: s.OfficeEmail, OfficeAddress: s.OfficeAddress,
		LockoutThreshold: s.LockoutThreshold, LockoutMode: string(cmp.Or(s.LockoutMode, store.LockoutTemporary)), StaffLanguage: cmp.Or(s.StaffLanguage, "en"), SessionIdleMin: int(s.SessionIdle / time.Minute), SessionLifeHours: int(s.SessionLifetime / time.Hour), TimeZone: cmp.Or(s.TimeZone, "UTC"),
		PasswordPolicy: api.PasswordPolicy(s.PasswordPolicy), Statuses: statusesView(s.Statuses)}
}

func statusesView(list []store.Status) []api.Status {
	out := make([]api.Status, len(list))
	for i, s := range list {
		out[i] = api.Status{ID: s.ID, Names: s.Names, Retired: s.Retired}
	}
	return out
}

func (a *API) readSettings(r request) (store.Settings, error) {
	var s store.Settings
	err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { s, err = tx.Settings(); return err })
	return s, err
}

func (a *API) getSettings(w http.ResponseWriter, r request) error {
	s, err := a.readSettings(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsView(s, a.office.Documents()))
	return nil
}

func (a *API) getStatuses(w http.ResponseWriter, r request) error {
	s, err := a.readSettings(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.Page[api.Status]{Items: statusesView(s.Statuses)})
	return nil
}

func (a *API) getPolicy(w http.ResponseWriter, r request) error {
	s, err := a.readSettings(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.PasswordPolicy(s.PasswordPolicy))
	return nil
}

func (a *API) updateSettings(w http.ResponseWriter, r request) error {
	var in api.SettingsInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	s, err := a.office.UpdateSettings(r.ctx(), r.actor(), office.SettingsFields{OfficeName: in.OfficeName, OfficePhone: in.OfficePhone,
		OfficeEmail: in.OfficeEmail, OfficeAddress: in.OfficeAddress, LockoutThreshold: in.LockoutThreshold, LockoutMode: in.LockoutMode, StaffLanguage: in.StaffLanguage,
		SessionIdleMin: in.SessionIdleMin, SessionLifeHours: in.SessionLifeHours, TimeZone: in.TimeZone,
		UploadMaxMB: in.UploadMaxMB, UploadTypes: in.UploadTypes})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsView(s, a.office.Documents()))
	return nil
}

// putStatuses replaces the status list. Statuses left out are kept as
// retired: old history entries still name them.
func (a *API) putStatuses(w http.ResponseWriter, r request) error {
	var in []api.Status
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	list := make([]store.Status, len(in))
	for i, st := range in {
		list[i] = store.Status{ID: st.ID, Names: st.Names, Retired: st.Retired}
	}
	s, err := a.office.SetStatuses(r.ctx(), r.actor(), list)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.Page[api.Status]{Items: statusesView(s.Statuses)})
	return nil
}

func (a *API) putPolicy(w http.ResponseWriter, r request) error {
	var in api.PolicyInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	s, err := a.office.SetPasswordPolicy(r.ctx(), r.actor(), in.Preset, store.PasswordPolicy(in.PasswordPolicy))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.PasswordPolicy(s.PasswordPolicy))
	return nil
}

func (a *API) listAudit(w http.ResponseWriter, r request) error {
	v := r.URL.Query()
	var before uint64
	if s := v.Get("before"); s != "" {
		if _, err := fmt.Sscan(s, &before); err != nil {
			return api.Refusal(http.StatusBadRequest, "bad_request", "before", apitext.New("staffapi.before_audit_entry_id", "before must be an audit entry id"))
		}
	}
	_, _, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	var page api.Page[api.AuditEntry]
	err = a.store.View(r.ctx(), func(tx *store.Tx) error {
		log, err := tx.AuditLog(before, limit)
		page.Items = make([]api.AuditEntry, 0, len(log))
		for _, e := range log {
			page.Items = append(page.Items, api.AuditEntry(e))
		}
		if len(log) == limit {
			page.Next = log[len(log)-1].ID
		}
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
