package store

import (
	"errors"
	"fmt"
)

// TLSSettings are how the service gets the certificate for the office's
// domain (Settings.Domain, which pages and emails read) and who may use the
// staff API from the internet. They are kept apart from Settings: every
// page reads those, and none needs these.
type TLSSettings struct {
	// ACMEEmail is the contact address the certificate authority writes
	// to about expiring or revoked certificates.
	ACMEEmail string `json:"acme_email,omitempty"`
	// ACMECA is the ACME directory URL; empty: Let's Encrypt.
	ACMECA string `json:"acme_ca,omitempty"`
	// ACMERootPEM is an extra trusted root (PEM) for the CA's own HTTPS,
	// for an office's internal ACME CA or a test CA.
	ACMERootPEM string `json:"acme_root_pem,omitempty"`
	// PublicStaffAPI lets the public listener serve the staff API; off,
	// staff reach it only through the staff listener on the office network.
	PublicStaffAPI bool `json:"public_staff_api,omitempty"`
}

var keyTLSSettings = []byte("tls")

// TLSSettings reads the TLS settings (the zero value when none were saved).
func (tx *Tx) TLSSettings() (TLSSettings, error) {
	var t TLSSettings
	err := getJSON(tx.bucket(bucketSettings), keyTLSSettings, &t)
	if errors.Is(err, ErrNotFound) {
		return TLSSettings{}, nil
	}
	if err != nil {
		return TLSSettings{}, fmt.Errorf("read TLS settings: %w", err)
	}
	return t, nil
}

// PutTLSSettings replaces the TLS settings.
func (tx *Tx) PutTLSSettings(t TLSSettings) error {
	if err := putJSON(tx.bucket(bucketSettings), keyTLSSettings, t); err != nil {
		return fmt.Errorf("write TLS settings: %w", err)
	}
	return nil
}
