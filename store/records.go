package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Role is what a staff member may do.
type Role string

// Roles.
const (
	RoleAdmin Role = "admin" // everything, including settings and staff accounts
	RoleStaff Role = "staff" // clients and cases
)

// Staff is an office employee who uses the control panel. The contact fields
// are what clients see for the cases the staff member advocates.
type Staff struct {
	ID           uint64    `json:"id"`
	Email        string    `json:"email"` // login and contact address, lower case
	Name         string    `json:"name"`
	Title        string    `json:"title,omitempty"` // e.g. "Immigration attorney"
	Role         Role      `json:"role"`
	Phone        string    `json:"phone,omitempty"`
	Address      string    `json:"address,omitempty"` // office address
	PasswordHash string    `json:"password_hash,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	AlertsOff    bool      `json:"mail_alerts_off,omitempty"` // no email when a client writes
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
	// Lockout counts bad logins; staff are always locked out temporarily
	// (an "until unlocked" lockout would let anyone lock out the last
	// administrator).
	Lockout
	LastLoginAt time.Time `json:"last_login_at,omitzero"`
	LastLoginIP string    `json:"last_login_ip,omitempty"`
}

// Client is a person the office represents.
type Client struct {
	ID       uint64       `json:"id"`
	Name     string       `json:"name"`
	Email    string       `json:"email"` // the portal login, lower case
	Phone    string       `json:"phone,omitempty"`
	Language string       `json:"language,omitempty"` // preferred language tag, e.g. "es"; empty: the browser's
	Access   PortalAccess `json:"access"`
	Created  time.Time    `json:"created"`
	Updated  time.Time    `json:"updated"`

	// BirthDate (YYYY-MM-DD) and IDLast4 are facts the office holds, which
	// the client proves at registration (OnboardingSettings.Fact).
	BirthDate string `json:"birth_date,omitempty"`
	IDLast4   string `json:"id_last4,omitempty"`
}

// PortalAccess is the client's portal login state.
type PortalAccess struct {
	PasswordHash   string    `json:"password_hash,omitempty"`
	PasswordSet    time.Time `json:"password_set,omitempty"`
	AllowedToLogOn bool      `json:"allowed_to_log_on"`
	EmailNotice    bool      `json:"email_notice"`
	Activated      bool      `json:"activated"` // has logged on at least once
	// Locked is a lock set by staff: no login, and open sessions end. Bad
	// guesses never set it; they lock out through Lockout, which only
	// refuses new logins.
	Locked   bool      `json:"locked"`
	LockedAt time.Time `json:"locked_at,omitempty"`
	Lockout
	LastLoginAt time.Time `json:"last_login_at,omitempty"`
	LastLoginIP string    `json:"last_login_ip,omitempty"`

	// MustChangePassword: the password is a temporary one staff set (or the
	// client came in by an easy login link); the portal shows nothing but
	// the change-password page until the client chooses their own.
	MustChangePassword bool `json:"must_change_password,omitempty"`
}

// Unlock lifts every lock: the one staff set and the lockout bad guesses caused.
func (a *PortalAccess) Unlock() {
	a.Locked, a.LockedAt = false, time.Time{}
	a.Lockout.Clear()
}

// CaseKind says who advocates the case.
type CaseKind string

// Case kinds.
const (
	KindStaff   CaseKind = "staff"    // a staff member is the advocate
	KindProBono CaseKind = "pro_bono" // an outside attorney is
)

// Attorney is the outside attorney of a pro bono case.
type Attorney struct {
	Name  string `json:"name"`
	Firm  string `json:"firm,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Case is a matter the office handles for one or more clients.
type Case struct {
	ID         uint64    `json:"id"`
	Number     string    `json:"number"`
	Title      string    `json:"title"`
	ClientIDs  []uint64  `json:"client_ids"`
	Kind       CaseKind  `json:"kind"`
	AdvocateID uint64    `json:"advocate_id,omitempty"` // a Staff ID, for KindStaff
	Attorney   *Attorney `json:"attorney,omitempty"`    // for KindProBono
	// Current is the latest dated status entry, kept here so a portal page
	// does not scan the history. AddStatusEntry maintains it.
	Current *StatusEntry `json:"current,omitempty"`
	Created time.Time    `json:"created"`
	Updated time.Time    `json:"updated"`
}

// HasClient reports whether clientID is one of the case's clients.
func (c Case) HasClient(clientID uint64) bool {
	for _, id := range c.ClientIDs {
		if id == clientID {
			return true
		}
	}
	return false
}

// StatusEntry is one step of a case's status history. What an entry says is
// never changed or deleted: a wrong entry is corrected by a new entry that
// names it (Corrects), or withdrawn, and the original stays in the record,
// marked, so the history shows what was wrong and who fixed it.
type StatusEntry struct {
	ID        uint64    `json:"id"`
	CaseID    uint64    `json:"case_id"`
	Date      time.Time `json:"date"`   // the day the status took effect, midnight UTC
	Status    string    `json:"status"` // a Status.ID from the settings
	Info      string    `json:"info,omitempty"`
	SetByID   uint64    `json:"set_by_id"`
	SetByName string    `json:"set_by_name"`
	Created   time.Time `json:"created"`

	Corrects     uint64      `json:"corrects,omitempty"`      // the entry this one replaces
	SupersededBy uint64      `json:"superseded_by,omitempty"` // the entry that corrected this one
	Withdrawn    *Withdrawal `json:"withdrawn,omitempty"`
}

// Withdrawal says who withdrew a status entry, when and why.
type Withdrawal struct {
	At     time.Time `json:"at"`
	ByID   uint64    `json:"by_id"`
	ByName string    `json:"by_name"`
	Reason string    `json:"reason,omitempty"`
}

// Active reports whether the entry still stands: neither corrected nor
// withdrawn. Only active entries make the current status and the history
// clients see.
func (e StatusEntry) Active() bool { return e.SupersededBy == 0 && e.Withdrawn == nil }

// After reports whether e is more current than o: a later date, or the same
// date and entered later.
func (e StatusEntry) After(o StatusEntry) bool {
	if !e.Date.Equal(o.Date) {
		return e.Date.After(o.Date)
	}
	return e.ID > o.ID
}

// AuditEntry records one change: who, what, when, from where.
type AuditEntry struct {
	ID        uint64    `json:"id"`
	At        time.Time `json:"at"`
	ActorKind string    `json:"actor_kind"` // "staff", "client" or "system"
	ActorID   uint64    `json:"actor_id,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	IP        string    `json:"ip,omitempty"`
	Action    string    `json:"action"` // e.g. "client.create"
	Target    string    `json:"target,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	// Prev is the SHA-256 (hex) of the entry before as stored, so an edit,
	// a gap or a removal shows (audit.go).
	Prev string `json:"prev,omitempty"`
}

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode record %x: %w", key, err)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	return b.Put(key, data)
}

func (tx *Tx) bucket(name []byte) *bolt.Bucket { return tx.btx.Bucket(name) }

func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}
