package app

import (
	"context"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// StaffAccounts is bound to the frontend as window.go.app.StaffAccounts:
// the office's staff accounts (administrators add and change them).
type StaffAccounts struct {
	link *link
}

// List reads the staff accounts.
func (s *StaffAccounts) List() ([]api.Staff, error) {
	var out []api.Staff
	err := s.link.call(apitext.New("doing.read_staff_accounts", "read the staff accounts"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.ListStaff(ctx)
		out = page.Items
		return err
	})
	return out, err
}

// Add creates a staff account (email, name and a first password are
// needed; role "admin" or "staff").
func (s *StaffAccounts) Add(in api.StaffInput) (api.Staff, error) {
	return fetch(s.link, apitext.New("doing.add_staff_account", "add the staff account"), func(ctx context.Context, c *apiclient.Client) (api.Staff, error) {
		trim(&in.Email, &in.Name, &in.Title, &in.Role, &in.Phone, &in.Address)
		return c.CreateStaff(ctx, in)
	})
}

// Update changes the fields in gives of staff member id (title, role,
// disabled, ...); the others keep their value.
func (s *StaffAccounts) Update(id uint64, in api.StaffInput) (api.Staff, error) {
	return fetch(s.link, apitext.New("doing.change_staff_account", "change the staff account"), func(ctx context.Context, c *apiclient.Client) (api.Staff, error) {
		trim(&in.Email, &in.Name, &in.Title, &in.Role, &in.Phone, &in.Address)
		if in.Password != nil && *in.Password == "" {
			in.Password = nil
		}
		return c.UpdateStaff(ctx, id, in)
	})
}

// ResetTwoFactor turns off staff member id's second factor, after the
// administrator checked who is asking (checked says how; the service
// audits it). They set up a new one at their next login.
func (s *StaffAccounts) ResetTwoFactor(id uint64, checked string) (api.TwoFactorState, error) {
	return fetch(s.link, apitext.New("doing.reset_second_factor", "reset the second factor"), func(ctx context.Context, c *apiclient.Client) (api.TwoFactorState, error) {
		return c.ResetStaffTwoFactor(ctx, id, strings.TrimSpace(checked))
	})
}
