package api

import "time"

// Account security: second factors, preview as the client, branding.

// SecondFactorInput is the body of POST /api/v1/session/second-factor: the
// pending token from the login's answer, and the 6-digit code from the
// authenticator app or a recovery code. For a login that must set up its
// second factor, a call without code answers the key (TwoFactorKey); the
// next, with a code from the app, signs in and answers the recovery codes.
type SecondFactorInput struct {
	Pending string `json:"pending"`
	Code    string `json:"code,omitempty"`
}

// TwoFactorKey is a key to add to an authenticator app: as text, and as
// the otpauth:// URL a QR code holds.
type TwoFactorKey struct {
	Secret string    `json:"secret"`
	URL    string    `json:"otpauth_url"`
	Until  time.Time `json:"confirm_before"`
}

// CodeInput carries a code from the authenticator app.
type CodeInput struct {
	Code string `json:"code"`
}

// RecoveryCodes answers a second factor turned on: ten one-time codes,
// shown this once.
type RecoveryCodes struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

// TwoFactorState is an account's second factor as staff see it.
type TwoFactorState struct {
	On              bool       `json:"on"`
	Since           *time.Time `json:"since,omitempty"`
	Required        bool       `json:"required"`          // by the office's policy or by staff
	RequiredByStaff bool       `json:"required_by_staff"` // for this client
	RecoveryLeft    int        `json:"recovery_codes_left"`
	Passkeys        int        `json:"passkeys"`
}

// TwoFactorRequiredInput is the body of PUT /api/v1/clients/{id}/two-factor.
type TwoFactorRequiredInput struct {
	Required *bool `json:"required"`
}

// TwoFactorResetInput is the body of POST /api/v1/clients/{id}/two-factor/reset:
// how staff checked who the client is (audited).
type TwoFactorResetInput struct {
	Checked string `json:"checked"`
}

// TwoFactorPolicy is GET and PUT /api/v1/settings/two-factor: who must use a
// second factor.
type TwoFactorPolicy struct {
	Clients *bool `json:"clients,omitempty"`
	Staff   *bool `json:"staff,omitempty"`
}

// PreviewLink answers POST /api/v1/clients/{id}/preview: a one-time link
// that opens the client's portal, read-only, in a browser. It works once,
// within two minutes; the preview then lasts 30 minutes.
type PreviewLink struct {
	URL     string    `json:"url"`
	Expires time.Time `json:"expires"`
}

// Branding is GET /api/v1/settings/branding: the office's name (changed with
// PATCH /api/v1/settings), colour and logo as the portal and emails show
// them.
type Branding struct {
	OfficeName string `json:"office_name"`
	Color      string `json:"color,omitempty"` // "#rrggbb"; absent: the portal's own
	Logo       bool   `json:"logo"`
	LogoType   string `json:"logo_type,omitempty"`
	LogoURL    string `json:"logo_url,omitempty"` // on the portal
}

// BrandingInput is the body of PUT /api/v1/settings/branding: the colour,
// "#rrggbb", which white text must be readable on (contrast 4.5:1); ""
// goes back to the portal's own.
type BrandingInput struct {
	Color *string `json:"color"`
}

// BrandingSnippet is GET /api/v1/branding/snippet: HTML for the office's
// website, a "client login" link to the portal in the office's colour.
type BrandingSnippet struct {
	HTML string `json:"html"`
	URL  string `json:"url"`
}
