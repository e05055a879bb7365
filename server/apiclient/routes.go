package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"clientportal/server/api"
)

// One method per route of api.Routes, in its order.

// Login opens a staff session and keeps its token for the calls that follow.
func (c *Client) Login(ctx context.Context, email, password string) (api.LoginResponse, error) {
	var out api.LoginResponse
	err := c.call(ctx, http.MethodPost, api.PathSession, nil, api.LoginRequest{Email: email, Password: password}, &out)
	if err == nil {
		c.setToken(out.Token)
	}
	return out, err
}

// Logout ends the session and forgets its token.
func (c *Client) Logout(ctx context.Context) error {
	err := c.call(ctx, http.MethodDelete, api.PathSession, nil, nil, nil)
	if err == nil {
		c.setToken("")
	}
	return err
}

// Me is the logged-in staff member.
func (c *Client) Me(ctx context.Context) (api.Staff, error) {
	var out api.Staff
	return out, c.call(ctx, http.MethodGet, api.PathMe, nil, nil, &out)
}

// Version is the service's version and store schema.
func (c *Client) Version(ctx context.Context) (api.Version, error) {
	var out api.Version
	return out, c.call(ctx, http.MethodGet, api.PathVersion, nil, nil, &out)
}

// ListStaff lists the staff members.
func (c *Client) ListStaff(ctx context.Context) (api.Page[api.Staff], error) {
	var out api.Page[api.Staff]
	return out, c.call(ctx, http.MethodGet, api.PathStaff, nil, nil, &out)
}

// CreateStaff adds a staff member (admin only).
func (c *Client) CreateStaff(ctx context.Context, in api.StaffInput) (api.Staff, error) {
	var out api.Staff
	return out, c.call(ctx, http.MethodPost, api.PathStaff, nil, in, &out)
}

// StaffMember reads one staff member.
func (c *Client) StaffMember(ctx context.Context, id uint64) (api.Staff, error) {
	var out api.Staff
	return out, c.call(ctx, http.MethodGet, path(api.PathStaffMember, id), nil, nil, &out)
}

// UpdateStaff changes the fields of a staff member that in sets (admin only).
func (c *Client) UpdateStaff(ctx context.Context, id uint64, in api.StaffInput) (api.Staff, error) {
	var out api.Staff
	return out, c.call(ctx, http.MethodPatch, path(api.PathStaffMember, id), nil, in, &out)
}

// ListClients searches the clients (name, email, phone) and pages them.
func (c *Client) ListClients(ctx context.Context, o ListOptions) (api.Page[api.Client], error) {
	var out api.Page[api.Client]
	return out, c.call(ctx, http.MethodGet, api.PathClients, o.query(), nil, &out)
}

// CreateClient adds a client.
func (c *Client) CreateClient(ctx context.Context, in api.ClientInput) (api.Client, error) {
	var out api.Client
	return out, c.call(ctx, http.MethodPost, api.PathClients, nil, in, &out)
}

// Client reads one client.
func (c *Client) Client(ctx context.Context, id uint64) (api.Client, error) {
	var out api.Client
	return out, c.call(ctx, http.MethodGet, path(api.PathClient, id), nil, nil, &out)
}

// UpdateClient changes the fields of a client that in sets.
func (c *Client) UpdateClient(ctx context.Context, id uint64, in api.ClientInput) (api.Client, error) {
	var out api.Client
	return out, c.call(ctx, http.MethodPatch, path(api.PathClient, id), nil, in, &out)
}

// ClientCases lists a client's cases.
func (c *Client) ClientCases(ctx context.Context, id uint64) (api.Page[api.Case], error) {
	var out api.Page[api.Case]
	return out, c.call(ctx, http.MethodGet, path(api.PathClientCases, id), nil, nil, &out)
}

// Access reads a client's portal access facts.
func (c *Client) Access(ctx context.Context, id uint64) (api.Access, error) {
	var out api.Access
	return out, c.call(ctx, http.MethodGet, path(api.PathClientAccess, id), nil, nil, &out)
}

// UpdateAccess changes a client's portal access: allowed to log on, email
// notice, locked (false unlocks and clears the bad-login count).
func (c *Client) UpdateAccess(ctx context.Context, id uint64, in api.AccessInput) (api.Access, error) {
	var out api.Access
	return out, c.call(ctx, http.MethodPatch, path(api.PathClientAccess, id), nil, in, &out)
}

// SetPassword sets or resets a client's password (checked against the
// office's policy); it ends the client's open sessions.
func (c *Client) SetPassword(ctx context.Context, id uint64, password string) (api.Access, error) {
	var out api.Access
	return out, c.call(ctx, http.MethodPut, path(api.PathClientPassword, id), nil, api.PasswordInput{Password: password}, &out)
}

// VerifyPassword tells whether password is the client's (audited, rate
// limited).
func (c *Client) VerifyPassword(ctx context.Context, id uint64, password string) (bool, error) {
	var out api.VerifyResult
	err := c.call(ctx, http.MethodPost, path(api.PathClientPasswordVerify, id), nil, api.PasswordInput{Password: password}, &out)
	return out.Matches, err
}

// ListCases searches the cases (number, title, client name) and pages them.
func (c *Client) ListCases(ctx context.Context, o ListOptions) (api.Page[api.Case], error) {
	var out api.Page[api.Case]
	return out, c.call(ctx, http.MethodGet, api.PathCases, o.query(), nil, &out)
}

// CreateCase opens a case.
func (c *Client) CreateCase(ctx context.Context, in api.CaseInput) (api.Case, error) {
	var out api.Case
	return out, c.call(ctx, http.MethodPost, api.PathCases, nil, in, &out)
}

// Case reads one case.
func (c *Client) Case(ctx context.Context, id uint64) (api.Case, error) {
	var out api.Case
	return out, c.call(ctx, http.MethodGet, path(api.PathCase, id), nil, nil, &out)
}

// UpdateCase changes the fields of a case that in sets.
func (c *Client) UpdateCase(ctx context.Context, id uint64, in api.CaseInput) (api.Case, error) {
	var out api.Case
	return out, c.call(ctx, http.MethodPatch, path(api.PathCase, id), nil, in, &out)
}

// StatusEntries is a case's status history, newest first.
func (c *Client) StatusEntries(ctx context.Context, caseID uint64) (api.Page[api.StatusEntry], error) {
	var out api.Page[api.StatusEntry]
	return out, c.call(ctx, http.MethodGet, path(api.PathCaseStatuses, caseID), nil, nil, &out)
}

// AddStatusEntry adds an entry to a case's status history.
func (c *Client) AddStatusEntry(ctx context.Context, caseID uint64, in api.StatusEntryInput) (api.StatusEntry, error) {
	var out api.StatusEntry
	return out, c.call(ctx, http.MethodPost, path(api.PathCaseStatuses, caseID), nil, in, &out)
}

// StatusEntry reads one entry of a case's status history.
func (c *Client) StatusEntry(ctx context.Context, caseID, entryID uint64) (api.StatusEntry, error) {
	var out api.StatusEntry
	return out, c.call(ctx, http.MethodGet, path(api.PathCaseStatus, caseID, entryID), nil, nil, &out)
}

// CorrectStatusEntry replaces a wrong status entry with a corrected one; the
// original stays in the record, marked.
func (c *Client) CorrectStatusEntry(ctx context.Context, caseID, entryID uint64, in api.StatusEntryInput) (api.StatusEntry, error) {
	var out api.StatusEntry
	return out, c.call(ctx, http.MethodPost, path(api.PathCaseStatusCorrect, caseID, entryID), nil, in, &out)
}

// WithdrawStatusEntry withdraws a status entry made by mistake, saying why.
func (c *Client) WithdrawStatusEntry(ctx context.Context, caseID, entryID uint64, reason string) (api.StatusEntry, error) {
	var out api.StatusEntry
	return out, c.call(ctx, http.MethodPost, path(api.PathCaseStatusWithdraw, caseID, entryID), nil, api.WithdrawInput{Reason: reason}, &out)
}

// Settings reads the office settings.
func (c *Client) Settings(ctx context.Context) (api.Settings, error) {
	var out api.Settings
	return out, c.call(ctx, http.MethodGet, api.PathSettings, nil, nil, &out)
}

// UpdateSettings changes the settings that in sets (admin only).
func (c *Client) UpdateSettings(ctx context.Context, in api.SettingsInput) (api.Settings, error) {
	var out api.Settings
	return out, c.call(ctx, http.MethodPatch, api.PathSettings, nil, in, &out)
}

// Statuses reads the office's status list, retired statuses included.
func (c *Client) Statuses(ctx context.Context) (api.Page[api.Status], error) {
	var out api.Page[api.Status]
	return out, c.call(ctx, http.MethodGet, api.PathSettingsStatuses, nil, nil, &out)
}

// PutStatuses replaces the status list (admin only); a status left out is
// kept as retired when entries use it.
func (c *Client) PutStatuses(ctx context.Context, list []api.Status) (api.Page[api.Status], error) {
	var out api.Page[api.Status]
	return out, c.call(ctx, http.MethodPut, api.PathSettingsStatuses, nil, list, &out)
}

// PasswordPolicy reads the client password policy.
func (c *Client) PasswordPolicy(ctx context.Context) (api.PasswordPolicy, error) {
	var out api.PasswordPolicy
	return out, c.call(ctx, http.MethodGet, api.PathSettingsPolicy, nil, nil, &out)
}

// PutPasswordPolicy sets the policy, from a preset or the numbers (admin only).
func (c *Client) PutPasswordPolicy(ctx context.Context, in api.PolicyInput) (api.PasswordPolicy, error) {
	var out api.PasswordPolicy
	return out, c.call(ctx, http.MethodPut, api.PathSettingsPolicy, nil, in, &out)
}

// Audit reads the audit log, newest first (admin only).
func (c *Client) Audit(ctx context.Context, o AuditOptions) (api.Page[api.AuditEntry], error) {
	v := url.Values{}
	if o.Before != 0 {
		v.Set("before", strconv.FormatUint(o.Before, 10))
	}
	if o.Limit != 0 {
		v.Set("limit", strconv.Itoa(o.Limit))
	}
	var out api.Page[api.AuditEntry]
	return out, c.call(ctx, http.MethodGet, api.PathAudit, v, nil, &out)
}
