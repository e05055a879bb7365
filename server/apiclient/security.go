package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"clientportal/server/api"
)

// AuditTrail selects one trail for AuditCSV: a case's or a client's.
type AuditTrail struct {
	Case   uint64
	Client uint64
}

// AuditCSV downloads a case's or a client's audit trail as CSV, oldest first.
func (c *Client) AuditCSV(ctx context.Context, t AuditTrail) ([]byte, error) {
	v := url.Values{}
	if t.Case != 0 {
		v.Set("case", strconv.FormatUint(t.Case, 10))
	}
	if t.Client != 0 {
		v.Set("client", strconv.FormatUint(t.Client, 10))
	}
	return c.getRaw(ctx, api.PathAuditCSV, v)
}

// getRaw reads a GET answer that is not JSON (CSV, HTML, images).
func (c *Client) getRaw(ctx context.Context, p string, query url.Values) ([]byte, error) {
	target := c.base + p
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", p, err)
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", p, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: read the answer: %w", p, err)
	}
	if resp.StatusCode >= 300 {
		return nil, decodeError(resp, data)
	}
	if len(data) > maxAnswer {
		return nil, fmt.Errorf("GET %s: the answer is larger than %d MiB", p, maxAnswer>>20)
	}
	return data, nil
}

// SecondFactorPending is the pending token of a login that needs its second
// factor (Login's *api.Error with code "second_factor_required" or
// "second_factor_setup_required"), or "".
func SecondFactorPending(err error) string {
	var e *api.Error
	if errors.As(err, &e) && (e.Code == "second_factor_required" || e.Code == "second_factor_setup_required") {
		return e.Pending
	}
	return ""
}

// LoginSecondFactor completes a login with the code from the authenticator
// app (or a recovery code), and keeps the session's token. After a set-up
// at this login, the answer holds the recovery codes.
func (c *Client) LoginSecondFactor(ctx context.Context, pending, code string) (api.LoginResponse, error) {
	var out api.LoginResponse
	err := c.call(ctx, http.MethodPost, api.PathSessionSecondFactor, nil, api.SecondFactorInput{Pending: pending, Code: code}, &out)
	if err == nil {
		c.setToken(out.Token)
	}
	return out, err
}

// SecondFactorSetupKey answers the key to add to an authenticator app for a
// login that must set up its second factor (code second_factor_setup_required).
func (c *Client) SecondFactorSetupKey(ctx context.Context, pending string) (api.TwoFactorKey, error) {
	var out api.TwoFactorKey
	return out, c.call(ctx, http.MethodPost, api.PathSessionSecondFactor, nil, api.SecondFactorInput{Pending: pending}, &out)
}

// MyTwoFactor reads the caller's own second factor state.
func (c *Client) MyTwoFactor(ctx context.Context) (api.TwoFactorState, error) {
	var out api.TwoFactorState
	return out, c.call(ctx, http.MethodGet, api.PathMeTwoFactor, nil, nil, &out)
}

// StartMyTwoFactor begins setting up the caller's second factor: the key to
// add to an authenticator app, to confirm with ConfirmMyTwoFactor.
func (c *Client) StartMyTwoFactor(ctx context.Context) (api.TwoFactorKey, error) {
	var out api.TwoFactorKey
	return out, c.call(ctx, http.MethodPost, api.PathMeTwoFactor, nil, nil, &out)
}

// ConfirmMyTwoFactor turns the caller's second factor on with a code from the
// app, and answers the ten recovery codes (shown this once).
func (c *Client) ConfirmMyTwoFactor(ctx context.Context, code string) (api.RecoveryCodes, error) {
	var out api.RecoveryCodes
	return out, c.call(ctx, http.MethodPost, api.PathMeTwoFactorConfirm, nil, api.CodeInput{Code: code}, &out)
}

// TwoFactorPolicy reads who must use a second factor.
func (c *Client) TwoFactorPolicy(ctx context.Context) (api.TwoFactorPolicy, error) {
	var out api.TwoFactorPolicy
	return out, c.call(ctx, http.MethodGet, api.PathSettingsTwoFactor, nil, nil, &out)
}

// PutTwoFactorPolicy changes who must use a second factor (admin only).
func (c *Client) PutTwoFactorPolicy(ctx context.Context, in api.TwoFactorPolicy) (api.TwoFactorPolicy, error) {
	var out api.TwoFactorPolicy
	return out, c.call(ctx, http.MethodPut, api.PathSettingsTwoFactor, nil, in, &out)
}

// ClientTwoFactor reads a client's second factor state.
func (c *Client) ClientTwoFactor(ctx context.Context, id uint64) (api.TwoFactorState, error) {
	var out api.TwoFactorState
	return out, c.call(ctx, http.MethodGet, path(api.PathClientTwoFactor, id), nil, nil, &out)
}

// SetClientTwoFactorRequired requires (or not) a second factor of a client.
func (c *Client) SetClientTwoFactorRequired(ctx context.Context, id uint64, required bool) (api.TwoFactorState, error) {
	var out api.TwoFactorState
	return out, c.call(ctx, http.MethodPut, path(api.PathClientTwoFactor, id), nil, api.TwoFactorRequiredInput{Required: &required}, &out)
}

// ResetClientTwoFactor turns a client's second factor off and removes their
// passkeys, after staff checked who they are (checked says how; audited).
func (c *Client) ResetClientTwoFactor(ctx context.Context, id uint64, checked string) (api.TwoFactorState, error) {
	var out api.TwoFactorState
	return out, c.call(ctx, http.MethodPost, path(api.PathClientTwoFactorReset, id), nil, api.TwoFactorResetInput{Checked: checked}, &out)
}

// PreviewClient makes a one-time link that opens the client's portal,
// read-only, in a browser.
func (c *Client) PreviewClient(ctx context.Context, id uint64) (api.PreviewLink, error) {
	var out api.PreviewLink
	return out, c.call(ctx, http.MethodPost, path(api.PathClientPreview, id), nil, nil, &out)
}

// Branding reads the office's name, colour and logo.
func (c *Client) Branding(ctx context.Context) (api.Branding, error) {
	var out api.Branding
	return out, c.call(ctx, http.MethodGet, api.PathSettingsBranding, nil, nil, &out)
}

// SetBrandColor sets the office's colour ("#rrggbb"; "" for the portal's
// own); admin only. A colour white text cannot be read on is refused with
// a darker one to use.
func (c *Client) SetBrandColor(ctx context.Context, color string) (api.Branding, error) {
	var out api.Branding
	return out, c.call(ctx, http.MethodPut, api.PathSettingsBranding, nil, api.BrandingInput{Color: &color}, &out)
}

// SetLogo uploads the office's logo, a PNG or JPEG image of at most 256 KB;
// admin only.
func (c *Client) SetLogo(ctx context.Context, image []byte) (api.Branding, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.base+api.PathSettingsBrandingLogo, bytes.NewReader(image))
	if err != nil {
		return api.Branding{}, fmt.Errorf("PUT %s: %w", api.PathSettingsBrandingLogo, err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.send(req)
	if err != nil {
		return api.Branding{}, fmt.Errorf("PUT %s: %w", api.PathSettingsBrandingLogo, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return api.Branding{}, fmt.Errorf("PUT %s: read the answer: %w", api.PathSettingsBrandingLogo, err)
	}
	if resp.StatusCode >= 300 {
		return api.Branding{}, decodeError(resp, data)
	}
	var out api.Branding
	if err := json.Unmarshal(data, &out); err != nil {
		return api.Branding{}, fmt.Errorf("PUT %s: decode the answer: %w", api.PathSettingsBrandingLogo, err)
	}
	return out, nil
}

// RemoveLogo goes back to the portal's own logo; admin only.
func (c *Client) RemoveLogo(ctx context.Context) (api.Branding, error) {
	var out api.Branding
	return out, c.call(ctx, http.MethodDelete, api.PathSettingsBrandingLogo, nil, nil, &out)
}

// BrandingSnippet answers HTML for the office's website: a "client login"
// link to the portal.
func (c *Client) BrandingSnippet(ctx context.Context) (api.BrandingSnippet, error) {
	var out api.BrandingSnippet
	return out, c.call(ctx, http.MethodGet, api.PathBrandingSnippet, nil, nil, &out)
}

// ResetStaffTwoFactor turns a staff member's second factor off (admin
// only), after checking who they are (checked says how; audited).
func (c *Client) ResetStaffTwoFactor(ctx context.Context, id uint64, checked string) (api.TwoFactorState, error) {
	var out api.TwoFactorState
	return out, c.call(ctx, http.MethodPost, path(api.PathStaffTwoFactorReset, id), nil, api.TwoFactorResetInput{Checked: checked}, &out)
}
