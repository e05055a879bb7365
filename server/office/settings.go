package office

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"clientportal/server/apitext"
	"clientportal/server/docstore"
	"clientportal/server/password"
	"clientportal/store"
)

// SettingsFields are office settings to change; nil fields are left as they are.
type SettingsFields struct {
	OfficeName       *string
	OfficePhone      *string
	OfficeEmail      *string // "" clears it
	OfficeAddress    *string
	LockoutThreshold *int
	LockoutMode      *string // "temporary" or "until_unlocked"
	StaffLanguage    *string // "en" or "es"
	SessionIdleMin   *int
	SessionLifeHours *int
	TimeZone         *string   // an IANA name, "America/New_York"
	UploadMaxMB      *int      // 1 to MaxUploadMB
	UploadTypes      *[]string // docstore.Kinds' names, at least one
}

// MaxUploadMB is the largest upload limit an office may set, in MB.
const MaxUploadMB = 2048

func (f SettingsFields) names() []string {
	var out []string
	for _, x := range []struct {
		name string
		set  bool
	}{{"office_name", f.OfficeName != nil}, {"office_phone", f.OfficePhone != nil}, {"office_email", f.OfficeEmail != nil},
		{"office_address", f.OfficeAddress != nil}, {"lockout_threshold", f.LockoutThreshold != nil}, {"lockout_mode", f.LockoutMode != nil}, {"staff_language", f.StaffLanguage != nil},
		{"session_idle_minutes", f.SessionIdleMin != nil}, {"session_lifetime_hours", f.SessionLifeHours != nil}, {"time_zone", f.TimeZone != nil},
		{"upload_max_mb", f.UploadMaxMB != nil}, {"upload_types", f.UploadTypes != nil}} {
		if x.set {
			out = append(out, x.name)
		}
	}
	return out
}

// changeSettings applies fn to the settings as they are in the transaction.
func (o *Office) changeSettings(ctx context.Context, a Actor, action string, fn func(*store.Settings) (string, error)) (store.Settings, error) {
	var s store.Settings
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if s, err = tx.Settings(); err != nil {
			return change{}, err
		}
		detail, err := fn(&s)
		if err != nil {
			return change{}, err
		}
		return did(action, "settings", detail), tx.PutSettings(s)
	})
	return s, err
}

// UpdateSettings changes the office's name and contact, the lockout
// threshold and the session times.
func (o *Office) UpdateSettings(ctx context.Context, a Actor, in SettingsFields) (store.Settings, error) {
	return o.changeSettings(ctx, a, "settings.update", func(s *store.Settings) (string, error) {
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
			if err := optional(f.in, f.out, func(v string) (string, error) { return text(f.name, v, f.max, f.required) }); err != nil {
				return "", err
			}
		}
		if in.OfficeEmail != nil {
			if *in.OfficeEmail == "" {
				s.OfficeEmail = ""
			} else if err := optional(in.OfficeEmail, &s.OfficeEmail, func(v string) (string, error) { return email("office_email", v) }); err != nil {
				return "", err
			}
		}
		if in.LockoutMode != nil {
			m := store.LockoutMode(*in.LockoutMode)
			if m == "" || !m.Valid() {
				return "", invalid("lockout_mode", apitext.New("settings.lockout_mode_temporary_bad_guesses", `lockout_mode must be "temporary" (bad guesses lock out for a while) or "until_unlocked" (until staff unlock)`))
			}
			s.LockoutMode = m
		}
		if in.StaffLanguage != nil {
			if lang, err := language("staff_language", *in.StaffLanguage); err != nil || lang == "" {
				return "", invalid("staff_language", apitext.New("settings.staff_language_en_es_language", `staff_language must be "en" or "es": the language staff write case titles and notes in`))
			}
			s.StaffLanguage = *in.StaffLanguage
		}
		if in.TimeZone != nil {
			// "Local" names this machine's zone, not the office's: refused.
			if _, err := time.LoadLocation(*in.TimeZone); err != nil || *in.TimeZone == "" || *in.TimeZone == "Local" {
				return "", invalid("time_zone", apitext.New("settings.time_zone_time_zone_name", `time_zone must be a time zone name such as "America/New_York" or "UTC"`))
			}
			s.TimeZone = *in.TimeZone
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
			{"upload_max_mb", in.UploadMaxMB, 1, MaxUploadMB, func(v int) { s.UploadMaxMB = v }},
		} {
			if n.in != nil {
				if *n.in < n.min || *n.in > n.max {
					return "", invalid(n.name, apitext.New("settings.number_range", "{{.Field}} must be from {{.Min}} to {{.Max}}", "Field", n.name, "Min", n.min, "Max", n.max))
				}
				n.set(*n.in)
			}
		}
		if in.UploadTypes != nil {
			kinds, err := uploadKinds(*in.UploadTypes)
			if err != nil {
				return "", err
			}
			s.UploadTypes = kinds
		}
		return fieldsDetail(in.names()), nil
	})
}

// uploadKinds checks a list of upload kinds: each one of docstore.Kinds,
// none twice, at least one. They are kept in docstore.Kinds' order.
func uploadKinds(in []string) ([]string, error) {
	known := docstore.KindNames()
	kinds := `"` + strings.Join(known, `", "`) + `"`
	if len(in) == 0 {
		return nil, invalid("upload_types", apitext.New("settings.upload_types_empty", "upload_types needs at least one kind of file clients may send; the kinds are {{.Kinds}}", "Kinds", kinds))
	}
	seen := map[string]bool{}
	for _, k := range in {
		if !slices.Contains(known, k) {
			return nil, invalid("upload_types", apitext.New("settings.upload_type_unknown", "upload_types: {{.Kind}} is not a kind of file this service knows; the kinds are {{.Kinds}}", "Kind", strconv.Quote(k), "Kinds", kinds))
		}
		if seen[k] {
			return nil, invalid("upload_types", apitext.New("settings.upload_type_twice", "upload_types names {{.Kind}} twice", "Kind", strconv.Quote(k)))
		}
		seen[k] = true
	}
	var out []string
	for _, k := range known {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// UploadLimits are the office's upload limits in set, for
// docstore.PutLimited: the size limit (0: the store's own) and the allowed
// kinds (nil: all).
func UploadLimits(set store.Settings) docstore.Limits {
	return docstore.Limits{MaxSize: int64(set.UploadMaxMB) << 20, Kinds: set.UploadTypes}
}

var statusID = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// SetStatuses replaces the status list. Statuses left out are kept as
// retired: old history entries still name them.
func (o *Office) SetStatuses(ctx context.Context, a Actor, in []store.Status) (store.Settings, error) {
	return o.changeSettings(ctx, a, "settings.statuses", func(s *store.Settings) (string, error) {
		if len(in) == 0 || len(in) > 100 {
			return "", invalid("statuses", apitext.New("settings.list_needs_from_1", "the list needs from 1 to 100 statuses"))
		}
		seen := map[string]bool{}
		var list []store.Status
		for i, st := range in {
			field := fmt.Sprintf("statuses[%d]", i)
			if !statusID.MatchString(st.ID) {
				return "", invalid(field+".id", apitext.New("settings.id_1_40_lower", "id must be 1 to 40 lower-case letters, digits or _"))
			}
			if seen[st.ID] {
				return "", invalid(field+".id", apitext.New("settings.status_id_twice", "id {{.ID}} appears twice", "ID", st.ID))
			}
			seen[st.ID] = true
			names := map[string]string{}
			for lang, name := range st.Names {
				if !languages[lang] || lang == "" {
					return "", invalid(field+".names", apitext.New("settings.status_names_languages", `names are given for "en" and "es"`))
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
				return "", invalid(field+".names.en", apitext.New("settings.every_status_needs_english", "every status needs an English name"))
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
			return "", invalid("statuses", apitext.New("settings.least_one_status_not", "at least one status must not be retired"))
		}
		s.Statuses = list
		return fmt.Sprintf("%d statuses, %d active", len(list), active), nil
	})
}

// SetPasswordPolicy sets the client password policy: a preset ("office" or
// "nist") or, with preset "", the numbers given.
func (o *Office) SetPasswordPolicy(ctx context.Context, a Actor, preset string, p store.PasswordPolicy) (store.Settings, error) {
	return o.changeSettings(ctx, a, "settings.password_policy", func(s *store.Settings) (string, error) {
		switch preset {
		case "office":
			p = store.PolicyOffice
		case "nist":
			p = store.PolicyNIST
		case "":
			if msg := password.ValidPolicyText(p); msg.ID != "" {
				return "", invalid("password_policy", msg)
			}
		default:
			return "", invalid("preset", apitext.New("settings.preset_office_nist_left", `preset must be "office", "nist" or left out`))
		}
		s.PasswordPolicy = p
		return fmt.Sprintf("%+v", p), nil
	})
}
