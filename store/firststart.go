package store

import (
	"errors"
	"fmt"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"
)

// What a new office needs before anyone can log in: the single-use setup code
// for the first administrator, and the mark that tells a demo office from a
// real one. Both live in the meta bucket, so they need no migration.
var (
	keySetupCode  = []byte("setup_code")
	keyDemoOffice = []byte("demo_office")
)

// SetupCode is the single-use code that creates the first administrator. Only
// its SHA-256 is stored; the code itself is in a file in the data directory
// that only the service's OS user can read.
type SetupCode struct {
	Hash    []byte    `json:"hash"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// SetupCode reads the active setup code; ErrNotFound when there is none.
func (tx *Tx) SetupCode() (SetupCode, error) {
	var c SetupCode
	if err := getJSON(tx.bucket(bucketMeta), keySetupCode, &c); err != nil {
		return SetupCode{}, fmt.Errorf("setup code: %w", err)
	}
	return c, nil
}

// PutSetupCode replaces the setup code.
func (tx *Tx) PutSetupCode(c SetupCode) error {
	if len(c.Hash) == 0 || c.Expires.IsZero() {
		return errors.New("put setup code: no hash or no expiry")
	}
	if c.Created.IsZero() {
		c.Created = tx.now
	}
	if err := putJSON(tx.bucket(bucketMeta), keySetupCode, c); err != nil {
		return fmt.Errorf("write setup code: %w", err)
	}
	return nil
}

// DeleteSetupCode removes the setup code; removing a missing one is not an
// error.
func (tx *Tx) DeleteSetupCode() error {
	return tx.bucket(bucketMeta).Delete(keySetupCode)
}

// HasStaff reports whether any staff member exists, without reading them all.
func (tx *Tx) HasStaff() bool {
	k, _ := tx.bucket(bucketStaff).Cursor().First()
	return k != nil
}

// DemoOffice lists the accounts the demo office was made with (emails only:
// the demo's passwords are constants of the demo package).
type DemoOffice struct {
	StaffEmails  []string  `json:"staff_emails"`
	ClientEmails []string  `json:"client_emails"`
	Created      time.Time `json:"created"`
}

// MarkDemoOffice records that this office is the demo office.
func (tx *Tx) MarkDemoOffice(d DemoOffice) error {
	d.Created = tx.now
	if err := putJSON(tx.bucket(bucketMeta), keyDemoOffice, d); err != nil {
		return fmt.Errorf("mark demo office: %w", err)
	}
	return nil
}

// DemoOffice reads the demo mark; ErrNotFound for an office that is not the
// demo.
func (tx *Tx) DemoOffice() (DemoOffice, error) {
	var d DemoOffice
	if err := getJSON(tx.bucket(bucketMeta), keyDemoOffice, &d); err != nil {
		return DemoOffice{}, fmt.Errorf("demo office mark: %w", err)
	}
	return d, nil
}

// IsInUse reports whether Open failed because another process (the running
// service) holds the database file.
func IsInUse(err error) bool { return errors.Is(err, bolterrors.ErrTimeout) }
