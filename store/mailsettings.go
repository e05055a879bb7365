package store

import (
	"errors"
	"fmt"
)

// Mail security modes: how the service talks to the office's SMTP server.
const (
	MailStartTLS = "starttls" // plain connection upgraded with STARTTLS (port 587)
	MailTLS      = "tls"      // TLS from the first byte (port 465)
	MailNone     = "none"     // no encryption: only for a server on the office's own network
)

// Where a client's message to the office is announced by email.
const (
	AlertAdvocate = "advocate"  // the case's advocate (a pro bono case: the office address, else every staff member)
	AlertAllStaff = "all_staff" // every staff member
	AlertOffice   = "office"    // the office address of the mail settings
	AlertNone     = "none"      // nobody
)

// MailNotify says which kinds of new things make a client's email notice.
type MailNotify struct {
	Status       bool `json:"status"`
	Messages     bool `json:"messages"`
	Appointments bool `json:"appointments"`
	Documents    bool `json:"documents"`
	Requests     bool `json:"requests"` // document requests: new, returned, due soon
}

// MailSettings are the office's SMTP server and what it sends. They are kept
// apart from Settings so the password never travels with the settings every
// page reads.
type MailSettings struct {
	Host          string     `json:"host,omitempty"`
	Port          int        `json:"port"`
	Security      string     `json:"security"` // MailStartTLS, MailTLS or MailNone
	Username      string     `json:"username,omitempty"`
	Password      string     `json:"password,omitempty"` // never read back by the API
	From          string     `json:"from,omitempty"`
	OfficeAddress string     `json:"office_address,omitempty"` // where AlertOffice alerts go
	Notify        MailNotify `json:"notify"`
	ClientAlerts  string     `json:"client_alerts"` // AlertAdvocate, AlertAllStaff, AlertOffice or AlertNone
}

// Configured reports whether the service can send mail at all.
func (m MailSettings) Configured() bool { return m.Host != "" && m.Port != 0 && m.From != "" }

// DefaultMailSettings is what an office starts with: no server yet, notices
// for status entries and messages, client messages announced to the advocate.
func DefaultMailSettings() MailSettings {
	return MailSettings{Port: 587, Security: MailStartTLS, Notify: MailNotify{Status: true, Messages: true, Appointments: true, Documents: true, Requests: true},
		ClientAlerts: AlertAdvocate}
}

var keyMailSettings = []byte("mail")

// MailSettings reads the mail settings (the defaults when none were saved).
func (tx *Tx) MailSettings() (MailSettings, error) {
	var m MailSettings
	err := getJSON(tx.bucket(bucketSettings), keyMailSettings, &m)
	if errors.Is(err, ErrNotFound) {
		return DefaultMailSettings(), nil
	}
	if err != nil {
		return MailSettings{}, fmt.Errorf("read mail settings: %w", err)
	}
	return m, nil
}

// PutMailSettings replaces the mail settings.
func (tx *Tx) PutMailSettings(m MailSettings) error {
	if err := putJSON(tx.bucket(bucketSettings), keyMailSettings, m); err != nil {
		return fmt.Errorf("write mail settings: %w", err)
	}
	return nil
}
