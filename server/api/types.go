package api

import "time"

// LoginRequest is the body of POST /api/v1/session.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// LoginResponse answers a staff login.
type LoginResponse struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	Staff   Staff     `json:"staff"`
	// RecoveryCodes, after a second factor was set up at this login, are
	// its ten one-time recovery codes, shown this once.
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

// Version answers GET /api/v1/version.
type Version struct {
	Version string `json:"version"`
	Schema  int    `json:"schema"` // the store's schema version
}

// Staff is a staff member as the API shows it.
type Staff struct {
	ID       uint64 `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	Role     string `json:"role"`
	Phone    string `json:"phone,omitempty"`
	Address  string `json:"address,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
	// Bad login attempts and the temporary lockout they caused; an
	// administrator setting a new password clears both.
	BadLoginAttempts int        `json:"bad_login_attempts,omitempty"`
	LockedUntil      *time.Time `json:"locked_until,omitempty"`
	// MailAlerts: emails tell this staff member when a client writes.
	MailAlerts bool `json:"mail_alerts"`
}

// StaffInput creates or changes a staff member (admin only). Omitted fields
// keep their value on PATCH.
type StaffInput struct {
	Email    *string `json:"email"`
	Name     *string `json:"name"`
	Title    *string `json:"title"`
	Role     *string `json:"role"`
	Phone    *string `json:"phone"`
	Address  *string `json:"address"`
	Password *string `json:"password"`
	Disabled *bool   `json:"disabled"`
	// MailAlerts false stops the emails that tell them a client wrote.
	MailAlerts *bool `json:"mail_alerts"`
}

// Client is a client as the API shows it.
type Client struct {
	ID       uint64    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Phone    string    `json:"phone,omitempty"`
	Language string    `json:"language,omitempty"`
	Access   Access    `json:"access"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`

	// Identity facts the client proves at registration.
	BirthDate string `json:"birth_date,omitempty"` // YYYY-MM-DD
	IDLast4   string `json:"id_last4,omitempty"`
}

// Access is a client's portal access facts.
type Access struct {
	PasswordSet    bool       `json:"password_set"`
	AllowedToLogOn bool       `json:"allowed_to_log_on"`
	EmailNotice    bool       `json:"email_notice"`
	Activated      bool       `json:"activated"`
	Locked         bool       `json:"locked"` // locked by staff: no login, and open sessions ended
	LockedAt       *time.Time `json:"locked_at,omitempty"`
	// Bad guesses lock out new logins only; whoever is signed in stays so.
	// LockedUntil: a temporary lockout, no login before this time (a past
	// time: it is over). LockedOut: the threshold was reached under
	// lockout_mode "until_unlocked", no login until staff unlock
	// (PATCH .../access {"locked": false} lifts both).
	LockedUntil      *time.Time `json:"locked_until,omitempty"`
	LockedOut        bool       `json:"locked_out"`
	BadLoginAttempts int        `json:"bad_login_attempts"`
	LastLoginAt      *time.Time `json:"last_login_at,omitempty"`
	LastLoginIP      string     `json:"last_login_ip,omitempty"`
	// CanLogOn says whether the client can log on to the portal now; Missing
	// says, in words for staff, what still keeps them from it.
	CanLogOn bool     `json:"can_log_on"`
	Missing  []string `json:"missing,omitempty"`

	// MustChangePassword: a temporary password; the portal asks for a new
	// one at the next sign-in.
	MustChangePassword bool `json:"must_change_password"`
}

// ClientInput creates (POST) or changes (PATCH) a client. Omitted fields keep
// their value on PATCH. On POST, a password (checked against the office's
// policy) lets the client log on at once: allowed_to_log_on then defaults to
// true. PATCH does not take the access fields: use .../password and .../access.
type ClientInput struct {
	Name           *string `json:"name"`
	Email          *string `json:"email"`
	Phone          *string `json:"phone"`
	Language       *string `json:"language"`
	Password       *string `json:"password,omitempty"`
	AllowedToLogOn *bool   `json:"allowed_to_log_on,omitempty"`
	EmailNotice    *bool   `json:"email_notice,omitempty"`

	BirthDate *string `json:"birth_date,omitempty"` // YYYY-MM-DD; "" clears
	IDLast4   *string `json:"id_last4,omitempty"`   // the last 4 letters or digits of an ID number; "" clears
}

// AccessInput changes a client's portal access (PATCH .../access).
type AccessInput struct {
	AllowedToLogOn *bool `json:"allowed_to_log_on"`
	EmailNotice    *bool `json:"email_notice"`
	Locked         *bool `json:"locked"` // true locks; false unlocks, lifts a lockout by bad guesses and clears the count
}

// PasswordInput sets a client's password, or is the password to verify.
type PasswordInput struct {
	Password string `json:"password"`
}

// VerifyResult answers a password verification: only whether it matches.
type VerifyResult struct {
	Matches bool `json:"matches"`
}

// Attorney is a pro bono case's outside attorney.
type Attorney struct {
	Name  string `json:"name"`
	Firm  string `json:"firm,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Case is a case as the API shows it.
type Case struct {
	ID         uint64       `json:"id"`
	Number     string       `json:"number"`
	Title      string       `json:"title"`
	ClientIDs  []uint64     `json:"client_ids"`
	Kind       string       `json:"kind"`
	AdvocateID uint64       `json:"advocate_id,omitempty"`
	Attorney   *Attorney    `json:"attorney,omitempty"`
	Current    *StatusEntry `json:"current,omitempty"`
	Created    time.Time    `json:"created"`
	Updated    time.Time    `json:"updated"`
	// In the case list only (GET /api/v1/cases): the clients' names in the
	// order of ClientIDs, and the case's last activity (a change of the case
	// or its status, a note or message, a document, a checklist item's step).
	ClientNames  []string   `json:"client_names,omitempty"`
	LastActivity *time.Time `json:"last_activity,omitempty"`
}

// Sort orders of GET /api/v1/cases (sort=), and its directions (order=).
const (
	CaseSortActivity = "activity"
	CaseSortNumber   = "number"
	CaseSortClient   = "client"
	CaseSortStatus   = "status"
	CaseSortOpened   = "opened"
	OrderAsc         = "asc"
	OrderDesc        = "desc"
)

// CaseInput creates (POST) or changes (PATCH) a case. Omitted fields keep
// their value on PATCH.
type CaseInput struct {
	Number     *string   `json:"number"`
	Title      *string   `json:"title"`
	ClientIDs  *[]uint64 `json:"client_ids"`
	Kind       *string   `json:"kind"`
	AdvocateID *uint64   `json:"advocate_id"`
	Attorney   *Attorney `json:"attorney"`

	// Invite (POST only) invites the case's clients who have no account
	// yet; the office setting auto_invite does it for every new case.
	Invite *bool `json:"invite,omitempty"`
}

// StatusEntry is one step of a case's status history. An entry that was
// corrected or withdrawn stays in the record with active false; clients see
// only active entries.
type StatusEntry struct {
	ID           uint64      `json:"id"`
	CaseID       uint64      `json:"case_id"`
	Date         string      `json:"date"` // YYYY-MM-DD
	Status       string      `json:"status"`
	StatusName   string      `json:"status_name"`
	Info         string      `json:"info,omitempty"`
	SetByID      uint64      `json:"set_by_id"`
	SetByName    string      `json:"set_by_name"`
	Created      time.Time   `json:"created"`
	Active       bool        `json:"active"`
	Corrects     uint64      `json:"corrects,omitempty"`      // the entry this one corrected
	SupersededBy uint64      `json:"superseded_by,omitempty"` // the entry that corrected this one
	Withdrawn    *Withdrawal `json:"withdrawn,omitempty"`
}

// Withdrawal says who withdrew a status entry, when and why.
type Withdrawal struct {
	At     time.Time `json:"at"`
	ByID   uint64    `json:"by_id"`
	ByName string    `json:"by_name"`
	Reason string    `json:"reason"`
}

// WithdrawInput withdraws a status entry (POST .../statuses/{entry}/withdraw).
type WithdrawInput struct {
	Reason string `json:"reason"`
}

// StatusEntryInput adds a status entry (POST .../statuses), or is the
// corrected form of one (POST .../statuses/{entry}/correct).
type StatusEntryInput struct {
	Date   string `json:"date"` // YYYY-MM-DD; empty: today
	Status string `json:"status"`
	Info   string `json:"info"`
}

// Status is one entry of the office's status list.
type Status struct {
	ID      string            `json:"id"`
	Names   map[string]string `json:"names"`
	Retired bool              `json:"retired,omitempty"`
}

// PasswordPolicy is the client password policy.
type PasswordPolicy struct {
	MinLength  int `json:"min_length"`
	MinUpper   int `json:"min_upper"`
	MinLower   int `json:"min_lower"`
	MinDigit   int `json:"min_digit"`
	MinSpecial int `json:"min_special"`
}

// PolicyInput sets the password policy: either a preset ("office" or "nist")
// or the numbers.
type PolicyInput struct {
	Preset string `json:"preset,omitempty"`
	PasswordPolicy
}

// Settings are the office settings staff can read; admins change them.
type Settings struct {
	OfficeName       string         `json:"office_name"`
	OfficePhone      string         `json:"office_phone"`
	OfficeEmail      string         `json:"office_email"`
	OfficeAddress    string         `json:"office_address"`
	LockoutThreshold int            `json:"lockout_threshold"`
	LockoutMode      string         `json:"lockout_mode"`   // "temporary" or "until_unlocked"
	StaffLanguage    string         `json:"staff_language"` // "en" or "es": the language staff write titles and notes in
	SessionIdleMin   int            `json:"session_idle_minutes"`
	SessionLifeHours int            `json:"session_lifetime_hours"`
	TimeZone         string         `json:"time_zone"` // the IANA name the portal shows times in
	PasswordPolicy   PasswordPolicy `json:"password_policy"`
	Statuses         []Status       `json:"statuses"`

	// UploadMaxMB is the largest file an upload may carry, in MB (2^20
	// bytes); UploadTypes the kinds of file it may be ("pdf", "word",
	// "excel", "jpeg", "png", "heic", "tiff", "text"), sniffed from the
	// content.
	UploadMaxMB int      `json:"upload_max_mb"`
	UploadTypes []string `json:"upload_types"`
}

// SettingsInput changes office settings (PATCH /api/v1/settings, admin only).
type SettingsInput struct {
	OfficeName       *string `json:"office_name"`
	OfficePhone      *string `json:"office_phone"`
	OfficeEmail      *string `json:"office_email"`
	OfficeAddress    *string `json:"office_address"`
	LockoutThreshold *int    `json:"lockout_threshold"`
	LockoutMode      *string `json:"lockout_mode"`
	StaffLanguage    *string `json:"staff_language"`
	SessionIdleMin   *int    `json:"session_idle_minutes"`
	SessionLifeHours *int    `json:"session_lifetime_hours"`
	TimeZone         *string `json:"time_zone"`

	UploadMaxMB *int      `json:"upload_max_mb"` // 1 to 2048
	UploadTypes *[]string `json:"upload_types"`  // at least one kind
}

// AuditEntry is one audit log line.
type AuditEntry struct {
	ID        uint64    `json:"id"`
	At        time.Time `json:"at"`
	ActorKind string    `json:"actor_kind"`
	ActorID   uint64    `json:"actor_id,omitempty"`
	ActorName string    `json:"actor_name,omitempty"`
	IP        string    `json:"ip,omitempty"`
	Action    string    `json:"action"`
	Target    string    `json:"target,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	Prev      string    `json:"prev,omitempty"` // SHA-256 of the entry before, as stored
}

// Page is a list answer; Next, when not 0, is the `after` of the next page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  uint64 `json:"next,omitempty"`
}

// Appointment is a calendar entry of a case (GET .../appointments).
type Appointment struct {
	ID      uint64    `json:"id"`
	CaseID  uint64    `json:"case_id"`
	Title   string    `json:"title"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Place   string    `json:"place,omitempty"`
	Link    string    `json:"link,omitempty"`
	Note    string    `json:"note,omitempty"`
	Portal  bool      `json:"portal"` // shown to the case's clients
	Created time.Time `json:"created"`
	// CreatedBy is the staff member who added it.
	CreatedBy uint64 `json:"created_by"`
	// Cancelled is when staff cancelled it (absent while it stands).
	Cancelled *time.Time `json:"cancelled,omitempty"`
	// Sequence counts its changes (the iCalendar SEQUENCE); Updated is
	// when staff last changed it (absent: never).
	Sequence int        `json:"sequence"`
	Updated  *time.Time `json:"updated,omitempty"`
}

// AppointmentInput adds an appointment (POST .../appointments): times in
// RFC 3339 with their offset.
type AppointmentInput struct {
	Title  string `json:"title"`
	Start  string `json:"start"`
	End    string `json:"end"`
	Place  string `json:"place,omitempty"`
	Link   string `json:"link,omitempty"`
	Note   string `json:"note,omitempty"`
	Portal bool   `json:"portal"`
}

// AppointmentChange changes an appointment (PATCH /api/v1/appointments/{id}):
// only the fields sent change, checked as AppointmentInput's.
type AppointmentChange struct {
	Title  *string `json:"title,omitempty"`
	Start  *string `json:"start,omitempty"`
	End    *string `json:"end,omitempty"`
	Place  *string `json:"place,omitempty"`
	Link   *string `json:"link,omitempty"`
	Note   *string `json:"note,omitempty"`
	Portal *bool   `json:"portal,omitempty"`
}
