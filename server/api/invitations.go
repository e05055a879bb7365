package api

import "time"

// Onboarding routes: invitations, resets, temporary passwords and their
// settings. (A block of their own, so the main list's alignment stays put.)
const (
	PathClientInvitation        = "/api/v1/clients/{id}/invitation"
	PathClientReset             = "/api/v1/clients/{id}/reset"
	PathClientTemporaryPassword = "/api/v1/clients/{id}/temporary-password"
	PathInvitations             = "/api/v1/invitations"
	PathInvitationsWaiting      = "/api/v1/invitations/waiting"
	PathSettingsOnboarding      = "/api/v1/settings/onboarding"
)

// LinkState is a single-use link (an invitation or a password reset) as staff
// see it. The token itself is never shown: it exists only in the email.
type LinkState struct {
	Active    bool       `json:"active"`  // can be used now
	Expired   bool       `json:"expired"` // ran out of time unused
	Attempts  int        `json:"attempts"`
	Voided    bool       `json:"voided"` // too many wrong identity facts
	Email     string     `json:"email"`  // where it was sent
	Issued    time.Time  `json:"issued"`
	Expires   time.Time  `json:"expires"`
	Used      *time.Time `json:"used,omitempty"`
	Revoked   *time.Time `json:"revoked,omitempty"`
	EasyLogin bool       `json:"easy_login,omitempty"`
	Sends     int        `json:"sends"`
}

// Invitation is a client's onboarding state.
type Invitation struct {
	ClientID   uint64     `json:"client_id"`
	HasAccount bool       `json:"has_account"` // a password is set
	Activated  bool       `json:"activated"`   // has signed in at least once
	MustChange bool       `json:"must_change_password"`
	Invitation *LinkState `json:"invitation,omitempty"`
	Reset      *LinkState `json:"reset,omitempty"`
}

// BulkInviteInput invites every client of the listed cases.
type BulkInviteInput struct {
	Cases []uint64 `json:"cases"`
}

// InviteOutcome is what a bulk invitation did for one client: "invited",
// "has_account", "already_invited", "no_email" or "missing_fact".
type InviteOutcome struct {
	ClientID   uint64     `json:"client_id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Outcome    string     `json:"outcome"`
	Invitation *LinkState `json:"invitation,omitempty"`
}

// BulkInviteResult lists each client of the cases once.
type BulkInviteResult struct {
	Invited int             `json:"invited"`
	Items   []InviteOutcome `json:"items"`
}

// WaitingClient is a client with cases and no account.
type WaitingClient struct {
	ClientID   uint64     `json:"client_id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Cases      int        `json:"cases"`
	Invitation *LinkState `json:"invitation,omitempty"`
}

// OnboardingSettings are how the office brings clients onto the portal.
type OnboardingSettings struct {
	Fact               string `json:"fact"` // "birth_date" or "id_last4"
	InviteExpiryHours  int    `json:"invite_expiry_hours"`
	ResetExpiryMinutes int    `json:"reset_expiry_minutes"`
	MaxAttempts        int    `json:"max_attempts"` // wrong identity facts before an invitation is void
	AutoInvite         bool   `json:"auto_invite"`  // invite a new case's clients without being asked
	EasyLogin          bool   `json:"easy_login"`   // invitation links sign in once and ask for a password
}

// OnboardingInput changes the onboarding settings; omitted fields keep their value.
type OnboardingInput struct {
	Fact               *string `json:"fact"`
	InviteExpiryHours  *int    `json:"invite_expiry_hours"`
	ResetExpiryMinutes *int    `json:"reset_expiry_minutes"`
	MaxAttempts        *int    `json:"max_attempts"`
	AutoInvite         *bool   `json:"auto_invite"`
	EasyLogin          *bool   `json:"easy_login"`
}
