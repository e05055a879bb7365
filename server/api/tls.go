package api

import (
	"time"

	"clientportal/server/apitext"
)

// DomainSettings are the office's domain and how its certificate is got
// (GET and PUT /api/v1/settings/domain).
type DomainSettings struct {
	// Domain is the portal's public name; "" serves plain HTTP only.
	Domain string `json:"domain"`
	// ACMEEmail is the contact the certificate authority writes to.
	ACMEEmail string `json:"acme_email"`
	// ACMECA is the ACME directory URL; "" is Let's Encrypt.
	ACMECA string `json:"acme_ca"`
	// ACMERootPEM is an extra trusted root for the CA's own HTTPS.
	ACMERootPEM string `json:"acme_root_pem"`
	// PublicStaffAPI lets the public listener serve the staff API (off:
	// only the staff listener on the office network serves it).
	PublicStaffAPI bool `json:"public_staff_api"`
}

// DomainInput changes the domain settings (PUT /api/v1/settings/domain,
// admin only). Fields left out keep their value; "" clears a text field.
type DomainInput struct {
	Domain         *string `json:"domain"`
	ACMEEmail      *string `json:"acme_email"`
	ACMECA         *string `json:"acme_ca"`
	ACMERootPEM    *string `json:"acme_root_pem"`
	PublicStaffAPI *bool   `json:"public_staff_api"`
}

// TLS states (TLSStatus.State).
const (
	TLSOff       = "off"       // no domain, or the service serves plain HTTP only
	TLSObtaining = "obtaining" // asking the CA for the first certificate
	TLSValid     = "valid"     // a certificate is served
	TLSFailed    = "failed"    // the last issuance or renewal failed; NextTry says when it tries again
)

// TLSStatus is the state of the service's certificates (GET /api/v1/tls).
type TLSStatus struct {
	State  string `json:"state"`
	Domain string `json:"domain,omitempty"`
	// Names, Issuer, NotBefore and NotAfter describe the certificate
	// served, when there is one (it stays served while a renewal fails).
	Names     []string   `json:"names,omitempty"`
	Issuer    string     `json:"issuer,omitempty"`
	NotBefore *time.Time `json:"not_before,omitempty"`
	NotAfter  *time.Time `json:"not_after,omitempty"`
	// Stage is how far the certificate being obtained is: "asking" (the
	// service asks the CA), "proving" (the CA checks that the domain leads
	// to this server); "" when nothing is under way.
	Stage string `json:"stage,omitempty"`
	// LastError is why the last issuance or renewal failed, at
	// LastErrorAt; NextTry is when the service tries again. Problem sorts
	// it: "domain" (the CA could not reach this server at the domain),
	// "ca_unreachable", "rate_limited", "refused", "other"; "https_port"
	// when another program holds the HTTPS port, "https_listen" when the
	// HTTPS listener could not be opened for another reason (Message says).
	Problem     string     `json:"problem,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
	NextTry     *time.Time `json:"next_try,omitempty"`
	// Message says in words what the state means and what to do.
	Message string `json:"message"`
	// Text is Message's catalog id and values, to say it in the caller's
	// language.
	Text apitext.Text `json:"-"`
	// StaffFingerprint is the SHA-256 fingerprint of the staff listener's
	// certificate (colon-separated hex), which the control panel pins;
	// StaffAddress where that listener is ("" when it is off).
	StaffFingerprint string `json:"staff_fingerprint,omitempty"`
	StaffAddress     string `json:"staff_address,omitempty"`
}
