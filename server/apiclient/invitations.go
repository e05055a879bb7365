package apiclient

import (
	"context"
	"net/http"

	"clientportal/server/api"
)

// Invitation reads a client's onboarding state: their invitation and reset
// links (active, expired, attempts, where sent, issued, used), and whether
// they have an account and have signed in.
func (c *Client) Invitation(ctx context.Context, clientID uint64) (api.Invitation, error) {
	var out api.Invitation
	return out, c.call(ctx, http.MethodGet, path(api.PathClientInvitation, clientID), nil, nil, &out)
}

// Invite sends the client an invitation to register, or a new one that
// replaces the one before.
func (c *Client) Invite(ctx context.Context, clientID uint64) (api.Invitation, error) {
	var out api.Invitation
	return out, c.call(ctx, http.MethodPost, path(api.PathClientInvitation, clientID), nil, nil, &out)
}

// RevokeInvitation ends the client's invitation: its link stops working.
func (c *Client) RevokeInvitation(ctx context.Context, clientID uint64) (api.Invitation, error) {
	var out api.Invitation
	return out, c.call(ctx, http.MethodDelete, path(api.PathClientInvitation, clientID), nil, nil, &out)
}

// InviteCases invites every client of the cases who has no account and no
// active invitation, and says per client what it did.
func (c *Client) InviteCases(ctx context.Context, caseIDs []uint64) (api.BulkInviteResult, error) {
	var out api.BulkInviteResult
	return out, c.call(ctx, http.MethodPost, api.PathInvitations, nil, api.BulkInviteInput{Cases: caseIDs}, &out)
}

// WaitingForInvitation lists the clients with cases and no account.
func (c *Client) WaitingForInvitation(ctx context.Context) (api.Page[api.WaitingClient], error) {
	var out api.Page[api.WaitingClient]
	return out, c.call(ctx, http.MethodGet, api.PathInvitationsWaiting, nil, nil, &out)
}

// SendReset emails the client a password reset link.
func (c *Client) SendReset(ctx context.Context, clientID uint64) (api.Invitation, error) {
	var out api.Invitation
	return out, c.call(ctx, http.MethodPost, path(api.PathClientReset, clientID), nil, nil, &out)
}

// SetTemporaryPassword sets a password the client must change at their next
// sign-in (checked against the office's policy).
func (c *Client) SetTemporaryPassword(ctx context.Context, clientID uint64, password string) (api.Access, error) {
	var out api.Access
	return out, c.call(ctx, http.MethodPut, path(api.PathClientTemporaryPassword, clientID), nil, api.PasswordInput{Password: password}, &out)
}

// OnboardingSettings reads the onboarding settings.
func (c *Client) OnboardingSettings(ctx context.Context) (api.OnboardingSettings, error) {
	var out api.OnboardingSettings
	return out, c.call(ctx, http.MethodGet, api.PathSettingsOnboarding, nil, nil, &out)
}

// PutOnboardingSettings changes the onboarding settings that in sets (admin only).
func (c *Client) PutOnboardingSettings(ctx context.Context, in api.OnboardingInput) (api.OnboardingSettings, error) {
	var out api.OnboardingSettings
	return out, c.call(ctx, http.MethodPut, api.PathSettingsOnboarding, nil, in, &out)
}
