package staffapi

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"clientportal/server/api"
	"clientportal/server/password"
	"clientportal/store"
)

func settingsView(s store.Settings) api.Settings {
	return api.Settings{OfficeName: s.OfficeName, OfficePhone: s.OfficePhone, OfficeEmail: s.OfficeEmail, OfficeAddress: s.OfficeAddress,
		LockoutThreshold: s.LockoutThreshold, LockoutMode: string(cmp.Or(s.LockoutMode, store.LockoutTemporary)), SessionIdleMin: int(s.SessionIdle / time.Minute), SessionLifeHours: int(s.SessionLifetime / time.Hour),
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
	writeJSON(w, http.StatusOK, settingsView(s))
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

// changeSettings applies fn to the settings in one transaction with its audit entry.
func (a *API) changeSettings(w http.ResponseWriter, r request, action string, fn func(*store.Settings) (string, error), view func(store.Settings) any) error {
	var s store.Settings
	err := a.store.Update(r.ctx(), func(tx *store.Tx) error {
		var err error
		if s, err = tx.Settings(); err != nil {
			return err
		}
		detail, err := fn(&s)
		if err != nil {
			return err
		}
		if err := tx.PutSettings(s); err != nil {
			return err
		}
		return tx.Audit(r.audit(action, "settings", detail))
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view(s))
	return nil
}

func (a *API) updateSettings(w http.ResponseWriter, r request) error {
	var in api.SettingsInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	return a.changeSettings(w, r, "settings.update", func(s *store.Settings) (string, error) {
		var err error
		for _, f := range []struct {
			name     string
			in       *string
			out      *string
			max      int
			required bool
		}{
			{"office_name", in.OfficeName, &s.OfficeName, 120, true},
			{"office_phone", in.OfficePhone, &s.OfficePhone, 40, false},
			{"office_address", in.OfficeAddress, &s.OfficeAddress, 300, false},
		} {
			if f.in != nil {
				if *f.out, err = text(f.name, *f.in, f.max, f.required); err != nil {
					return "", err
				}
			}
		}
		if in.OfficeEmail != nil {
			if *in.OfficeEmail == "" {
				s.OfficeEmail = ""
			} else if s.OfficeEmail, err = email("office_email", *in.OfficeEmail); err != nil {
				return "", err
			}
		}
		if in.LockoutMode != nil {
			m := store.LockoutMode(*in.LockoutMode)
			if m == "" || !m.Valid() {
				return "", api.Invalid("lockout_mode", `lockout_mode must be "temporary" (bad guesses lock out for a while) or "until_unlocked" (until staff unlock)`)
			}
			s.LockoutMode = m
		}
		for _, n := range []struct {
			name     string
			in       *int
			min, max int
			set      func(int)
		}{
			{"lockout_threshold", in.LockoutThreshold, 1, 100, func(v int) { s.LockoutThreshold = v }},
			{"session_idle_minutes", in.SessionIdleMin, 5, 240, func(v int) { s.SessionIdle = time.Duration(v) * time.Minute }},
			{"session_lifetime_hours", in.SessionLifeHours, 1, 72, func(v int) { s.SessionLifetime = time.Duration(v) * time.Hour }},
		} {
			if n.in != nil {
				if *n.in < n.min || *n.in > n.max {
					return "", api.Invalid(n.name, fmt.Sprintf("%s must be from %d to %d", n.name, n.min, n.max))
				}
				n.set(*n.in)
			}
		}
		return changed(in), nil
	}, func(s store.Settings) any { return settingsView(s) })
}

var statusID = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// putStatuses replaces the status list. Statuses left out are kept as
// retired: old history entries still name them.
func (a *API) putStatuses(w http.ResponseWriter, r request) error {
	var in []api.Status
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	return a.changeSettings(w, r, "settings.statuses", func(s *store.Settings) (string, error) {
		if len(in) == 0 || len(in) > 100 {
			return "", api.Invalid("statuses", "the list needs from 1 to 100 statuses")
		}
		seen := map[string]bool{}
		var list []store.Status
		for i, st := range in {
			field := fmt.Sprintf("statuses[%d]", i)
			if !statusID.MatchString(st.ID) {
				return "", api.Invalid(field+".id", "id must be 1 to 40 lower-case letters, digits or _")
			}
			if seen[st.ID] {
				return "", api.Invalid(field+".id", "id "+st.ID+" appears twice")
			}
			seen[st.ID] = true
			names := map[string]string{}
			for lang, name := range st.Names {
				if !languages[lang] || lang == "" {
					return "", api.Invalid(field+".names", `names are given for "en" and "es"`)
				}
				n, err := text(field+".names."+lang, name, 80, false)
				if err != nil {
					return "", err
				}
				if n != "" {
					names[lang] = n
				}
			}
			if names["en"] == "" {
				return "", api.Invalid(field+".names.en", "every status needs an English name")
			}
			list = append(list, store.Status{ID: st.ID, Names: names, Retired: st.Retired})
		}
		for _, old := range s.Statuses {
			if !seen[old.ID] {
				old.Retired = true
				list = append(list, old)
			}
		}
		active := 0
		for _, st := range list {
			if !st.Retired {
				active++
			}
		}
		if active == 0 {
			return "", api.Invalid("statuses", "at least one status must not be retired")
		}
		s.Statuses = list
		return fmt.Sprintf("%d statuses, %d active", len(list), active), nil
	}, func(s store.Settings) any { return api.Page[api.Status]{Items: statusesView(s.Statuses)} })
}

func (a *API) putPolicy(w http.ResponseWriter, r request) error {
	var in api.PolicyInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	return a.changeSettings(w, r, "settings.password_policy", func(s *store.Settings) (string, error) {
		p := store.PasswordPolicy(in.PasswordPolicy)
		switch in.Preset {
		case "office":
			p = store.PolicyOffice
		case "nist":
			p = store.PolicyNIST
		case "":
			if msg := password.ValidPolicy(p); msg != "" {
				return "", api.Invalid("password_policy", msg)
			}
		default:
			return "", api.Invalid("preset", `preset must be "office", "nist" or left out`)
		}
		s.PasswordPolicy = p
		return fmt.Sprintf("%+v", p), nil
	}, func(s store.Settings) any { return api.PasswordPolicy(s.PasswordPolicy) })
}

func (a *API) listAudit(w http.ResponseWriter, r request) error {
	v := r.URL.Query()
	var before uint64
	if s := v.Get("before"); s != "" {
		if _, err := fmt.Sscan(s, &before); err != nil {
			return &api.Error{Status: http.StatusBadRequest, Code: "bad_request", Field: "before", Message: "before must be an audit entry id"}
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
