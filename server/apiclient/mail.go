package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"clientportal/server/api"
)

// UpdateMe changes what a staff member may change of their own account:
// whether emails tell them a client wrote.
func (c *Client) UpdateMe(ctx context.Context, in api.MeInput) (api.Staff, error) {
	var out api.Staff
	return out, c.call(ctx, http.MethodPatch, api.PathMe, nil, in, &out)
}

// MailSettings reads the mail settings (the password only as password_set).
func (c *Client) MailSettings(ctx context.Context) (api.MailSettings, error) {
	var out api.MailSettings
	return out, c.call(ctx, http.MethodGet, api.PathSettingsMail, nil, nil, &out)
}

// PutMailSettings changes the mail settings that in sets (admin only).
func (c *Client) PutMailSettings(ctx context.Context, in api.MailSettingsInput) (api.MailSettings, error) {
	var out api.MailSettings
	return out, c.call(ctx, http.MethodPut, api.PathSettingsMail, nil, in, &out)
}

// TestMail sends a test email to to now (admin only) and answers what the
// mail server said; a refusal by the server is a result with Sent false,
// not an error.
func (c *Client) TestMail(ctx context.Context, to string) (api.MailTestResult, error) {
	var out api.MailTestResult
	return out, c.call(ctx, http.MethodPost, api.PathSettingsMailTest, nil, api.MailTestInput{To: to}, &out)
}

// OutboxOptions narrow the outbox list: State ("pending", "sending", "sent",
// "failed"; "" for all), Before (the Next of the page before) and Limit.
type OutboxOptions struct {
	State  string
	Before uint64
	Limit  int
}

// Outbox lists the outbox, newest first.
func (c *Client) Outbox(ctx context.Context, o OutboxOptions) (api.Page[api.OutboxEntry], error) {
	v := url.Values{}
	if o.State != "" {
		v.Set("state", o.State)
	}
	if o.Before != 0 {
		v.Set("before", strconv.FormatUint(o.Before, 10))
	}
	if o.Limit != 0 {
		v.Set("limit", strconv.Itoa(o.Limit))
	}
	var out api.Page[api.OutboxEntry]
	return out, c.call(ctx, http.MethodGet, api.PathOutbox, v, nil, &out)
}
