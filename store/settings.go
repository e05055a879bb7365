package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Status is one entry of the office's status list. Its ID never changes, so a
// renamed status keeps its history; a status removed from the list is kept as
// Retired, because old entries still name it.
type Status struct {
	ID      string            `json:"id"`
	Names   map[string]string `json:"names"` // language tag -> name; "en" is the fallback
	Retired bool              `json:"retired,omitempty"`
}

// Name is the status name in lang, else in English, else its ID.
func (s Status) Name(lang string) string {
	if n := s.Names[lang]; n != "" {
		return n
	}
	if n := s.Names["en"]; n != "" {
		return n
	}
	return s.ID
}

// PasswordPolicy is what a client password must satisfy. Every policy also
// refuses common and easily guessed passwords.
type PasswordPolicy struct {
	MinLength  int `json:"min_length"`
	MinUpper   int `json:"min_upper"`
	MinLower   int `json:"min_lower"`
	MinDigit   int `json:"min_digit"`
	MinSpecial int `json:"min_special"`
}

// Password policy presets.
var (
	// PolicyOffice is the default: 10 characters with 2 of each kind.
	PolicyOffice = PasswordPolicy{MinLength: 10, MinUpper: 2, MinLower: 2, MinDigit: 2, MinSpecial: 2}
	// PolicyNIST follows NIST SP 800-63B: length, no composition rules, and
	// the common-password check.
	PolicyNIST = PasswordPolicy{MinLength: 15}
)

// Settings are the office-wide settings.
type Settings struct {
	OfficeName       string         `json:"office_name"`
	OfficePhone      string         `json:"office_phone,omitempty"`
	OfficeEmail      string         `json:"office_email,omitempty"`
	OfficeAddress    string         `json:"office_address,omitempty"`
	Statuses         []Status       `json:"statuses"`
	PasswordPolicy   PasswordPolicy `json:"password_policy"`
	LockoutThreshold int            `json:"lockout_threshold"`      // bad logins before the account locks
	LockoutMode      LockoutMode    `json:"lockout_mode,omitempty"` // for clients; empty: LockoutTemporary
	SessionIdle      time.Duration  `json:"session_idle"`
	SessionLifetime  time.Duration  `json:"session_lifetime"`
	Domain           string         `json:"domain,omitempty"` // public name; empty: plain HTTP on loopback
	// StaffLanguage is the language tag staff write case titles and notes
	// in, so the portal can mark that text when a page is in another
	// language. Empty reads as "en".
	StaffLanguage string `json:"staff_language,omitempty"`
	// TimeZone is the IANA name of the office's time zone, in which the
	// portal shows appointment times. Empty reads as "UTC".
	TimeZone string `json:"time_zone,omitempty"`
	// UploadMaxMB is the largest file a client or staff member may upload,
	// in MB (2^20 bytes); 0 reads as the service's limit (50 MB unless
	// configured otherwise).
	UploadMaxMB int `json:"upload_max_mb,omitempty"`
	// UploadTypes are the kinds of file an upload may be (docstore.Kinds'
	// names: "pdf", "word", "excel", "jpeg", "png", "heic", "tiff", "text");
	// nil reads as all of them.
	UploadTypes []string `json:"upload_types,omitempty"`
	// Brand is the office's colour and logo (branding.go).
	Brand Branding `json:"brand,omitzero"`
}

// Location is the office's time zone: UTC when unset or unknown to this
// machine.
func (s Settings) Location() *time.Location {
	if s.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Status finds a status of the list by ID, retired ones included.
func (s Settings) Status(id string) (Status, bool) {
	for _, st := range s.Statuses {
		if st.ID == id {
			return st, true
		}
	}
	return Status{}, false
}

// DefaultSettings is what a new office starts with.
func DefaultSettings() Settings {
	st := func(id, en, es string) Status {
		return Status{ID: id, Names: map[string]string{"en": en, "es": es}}
	}
	return Settings{
		OfficeName: "Our office",
		Statuses: []Status{
			st("received", "Application received", "Solicitud recibida"),
			st("under_review", "Under review", "En revisión"),
			st("accepted", "Accepted", "Aceptado"),
			st("assigned", "Assigned to advocate", "Asignado a un defensor"),
			st("in_progress", "In progress", "En curso"),
			st("waiting_documents", "Waiting for client documents", "Esperando documentos del cliente"),
			st("hearing_scheduled", "Hearing scheduled", "Audiencia programada"),
			st("closed", "Closed", "Cerrado"),
		},
		PasswordPolicy:   PolicyOffice,
		LockoutThreshold: 5,
		LockoutMode:      LockoutTemporary,
		SessionIdle:      30 * time.Minute,
		SessionLifetime:  12 * time.Hour,
		StaffLanguage:    "en",
	}
}

// clone is a copy of s that shares no memory with it: the cached settings
// are handed to many requests at once. A slice, map or pointer field added to
// Settings must be copied here (TestSettingsCloneCoversEveryField checks).
func (s Settings) clone() Settings {
	c := s
	if s.Statuses != nil {
		c.Statuses = make([]Status, len(s.Statuses))
		for i, st := range s.Statuses {
			st.Names = maps.Clone(st.Names)
			c.Statuses[i] = st
		}
	}
	c.UploadTypes = slices.Clone(s.UploadTypes)
	return c
}

var keySettings = []byte("office")

// cachedSettings is one stored settings record, as bytes and decoded.
type cachedSettings struct {
	raw []byte
	val Settings
}

// Settings reads the office settings. Every request reads them and they
// rarely change, so the store keeps the last decoded record: it is used only
// when its bytes equal the bytes this transaction sees, so a reader never
// gets settings other than those of its own snapshot. Only read-only
// transactions and committed writes fill the cache, so it never holds
// settings that were not committed.
func (tx *Tx) Settings() (Settings, error) {
	raw := tx.bucket(bucketSettings).Get(keySettings)
	if raw == nil {
		return Settings{}, fmt.Errorf("read settings: %w", ErrNotFound)
	}
	if c := tx.store.settings.Load(); c != nil && bytes.Equal(c.raw, raw) {
		return c.val.clone(), nil
	}
	var s Settings
	if err := decode(raw, &s); err != nil {
		return Settings{}, fmt.Errorf("read settings: %w", err)
	}
	if !tx.btx.Writable() {
		tx.store.settings.Store(&cachedSettings{raw: bytes.Clone(raw), val: s.clone()})
	}
	return s, nil
}

// PutSettings replaces the office settings.
func (tx *Tx) PutSettings(s Settings) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("write settings: encode: %w", err)
	}
	if err := tx.bucket(bucketSettings).Put(keySettings, data); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	// The next reader finds them decoded, once they are committed.
	c := &cachedSettings{raw: data, val: s.clone()}
	tx.btx.OnCommit(func() { tx.store.settings.Store(c) })
	return nil
}
