package store

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// Account security records: second factors (TOTP and recovery codes), the
// office's policy for them, passkeys (WebAuthn credentials), and short-lived
// tokens (a login waiting for its second factor, a preview link or session,
// a passkey ceremony). Nothing here knows HTTP; server/auth judges.

var (
	bucketSecondFactors = []byte("second_factors") // kind|id -> SecondFactor
	bucketPasskeys      = []byte("passkeys")       // kind|id|credential id -> Passkey
	bucketShortTokens   = []byte("short_tokens")   // sha256(token) -> ShortToken
	bucketSecurity      = []byte("security")       // keyTwoFactorPolicy -> TwoFactorPolicy
)

var keyTwoFactorPolicy = []byte("two_factor_policy")

// SecondFactor is one account's second factor state.
type SecondFactor struct {
	Kind      SessionKind `json:"kind"`
	SubjectID uint64      `json:"subject_id"`
	// Secret is the TOTP key (base32) once confirmed; "" when off.
	Secret  string    `json:"secret,omitempty"`
	Enabled time.Time `json:"enabled,omitzero"`
	// PendingSecret is a key shown for enrolment and not yet confirmed with
	// a code.
	PendingSecret string    `json:"pending_secret,omitempty"`
	PendingAt     time.Time `json:"pending_at,omitzero"`
	// LastStep is the TOTP time step of the last code accepted: a code of
	// that step or an earlier one is refused (no replay within its window).
	LastStep uint64 `json:"last_step,omitempty"`
	// Recovery holds the SHA-256 of each unused recovery code.
	Recovery [][]byte `json:"recovery,omitempty"`
	// Required: staff require a second factor of this client.
	Required bool `json:"required,omitempty"`
	// UserHandle is the account's random WebAuthn user handle.
	UserHandle []byte `json:"user_handle,omitempty"`
}

// On reports whether a confirmed TOTP key is set.
func (f SecondFactor) On() bool { return f.Secret != "" }

// TwoFactorPolicy is the office's setting: who must use a second factor.
type TwoFactorPolicy struct {
	Clients bool `json:"clients"` // every client
	Staff   bool `json:"staff"`   // every staff member
}

func accountKey(kind SessionKind, id uint64) []byte {
	return append(append([]byte(kind), '|'), u64(id)...)
}

// SecondFactor reads an account's second factor state; an account with none
// has the zero record (with Kind and SubjectID set).
func (tx *Tx) SecondFactor(kind SessionKind, id uint64) (SecondFactor, error) {
	f := SecondFactor{Kind: kind, SubjectID: id}
	err := getJSON(tx.bucket(bucketSecondFactors), accountKey(kind, id), &f)
	if errors.Is(err, ErrNotFound) {
		return SecondFactor{Kind: kind, SubjectID: id}, nil
	}
	return f, err
}

// PutSecondFactor writes an account's second factor state.
func (tx *Tx) PutSecondFactor(f SecondFactor) error {
	if f.Kind == "" || f.SubjectID == 0 {
		return fmt.Errorf("put second factor: no account")
	}
	return putJSON(tx.bucket(bucketSecondFactors), accountKey(f.Kind, f.SubjectID), f)
}

// TwoFactorPolicy reads the office's second factor policy.
func (tx *Tx) TwoFactorPolicy() (TwoFactorPolicy, error) {
	var p TwoFactorPolicy
	err := getJSON(tx.bucket(bucketSecurity), keyTwoFactorPolicy, &p)
	if errors.Is(err, ErrNotFound) {
		return TwoFactorPolicy{}, nil
	}
	return p, err
}

// PutTwoFactorPolicy writes the office's second factor policy.
func (tx *Tx) PutTwoFactorPolicy(p TwoFactorPolicy) error {
	return putJSON(tx.bucket(bucketSecurity), keyTwoFactorPolicy, p)
}

// Passkey is a WebAuthn credential of an account. Credential is the
// library's credential record as JSON (store knows nothing of WebAuthn).
type Passkey struct {
	Kind       SessionKind `json:"kind"`
	SubjectID  uint64      `json:"subject_id"`
	ID         []byte      `json:"id"` // the credential id
	Name       string      `json:"name,omitempty"`
	Credential []byte      `json:"credential"`
	Created    time.Time   `json:"created"`
	LastUsed   time.Time   `json:"last_used,omitzero"`
}

// Passkeys lists an account's passkeys.
func (tx *Tx) Passkeys(kind SessionKind, id uint64) ([]Passkey, error) {
	prefix := accountKey(kind, id)
	var out []Passkey
	c := tx.bucket(bucketPasskeys).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var p Passkey
		if err := decode(v, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// PutPasskey adds or updates a passkey.
func (tx *Tx) PutPasskey(p Passkey) error {
	if len(p.ID) == 0 || p.SubjectID == 0 {
		return fmt.Errorf("put passkey: no credential id or account")
	}
	return putJSON(tx.bucket(bucketPasskeys), append(accountKey(p.Kind, p.SubjectID), p.ID...), p)
}

// DeletePasskeys removes every passkey of an account and says how many.
func (tx *Tx) DeletePasskeys(kind SessionKind, id uint64) (int, error) {
	prefix := accountKey(kind, id)
	var keys [][]byte
	c := tx.bucket(bucketPasskeys).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := tx.bucket(bucketPasskeys).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// TokenPurpose says what a short-lived token is for.
type TokenPurpose string

// Token purposes.
const (
	TokenSecondFactor TokenPurpose = "second_factor" // password right, code to come
	TokenEnrol        TokenPurpose = "enrol"         // password right, a second factor must be set up
	TokenPreviewLink  TokenPurpose = "preview_link"  // a one-time link that opens a preview
	TokenPreview      TokenPurpose = "preview"       // a preview session
	TokenPasskeyLogin TokenPurpose = "passkey_login" // a passkey sign-in ceremony
	TokenPasskeyAdd   TokenPurpose = "passkey_add"   // a passkey registration ceremony
)

// ShortToken is a short-lived server-side token, stored under the SHA-256
// of its value.
type ShortToken struct {
	Hash      []byte       `json:"-"`
	Purpose   TokenPurpose `json:"purpose"`
	Kind      SessionKind  `json:"kind,omitempty"`
	SubjectID uint64       `json:"subject_id,omitempty"`
	StaffID   uint64       `json:"staff_id,omitempty"` // who opened a preview
	StaffName string       `json:"staff_name,omitempty"`
	Created   time.Time    `json:"created"`
	Expires   time.Time    `json:"expires"`
	Attempts  int          `json:"attempts,omitempty"`
	IP        string       `json:"ip,omitempty"`
	Data      []byte       `json:"data,omitempty"` // e.g. a WebAuthn ceremony's session data
	// ReplaceHash is the hash of the session the browser had before the
	// login; it ends when the login completes.
	ReplaceHash []byte `json:"replace_hash,omitempty"`
}

// PutShortToken writes a short-lived token.
func (tx *Tx) PutShortToken(t ShortToken) error {
	if len(t.Hash) == 0 {
		return fmt.Errorf("put token: no hash")
	}
	return putJSON(tx.bucket(bucketShortTokens), t.Hash, t)
}

// ShortToken reads a live token of purpose; a missing, expired or
// other-purpose token is ErrNotFound.
func (tx *Tx) ShortToken(hash []byte, purpose ...TokenPurpose) (ShortToken, error) {
	var t ShortToken
	if err := getJSON(tx.bucket(bucketShortTokens), hash, &t); err != nil {
		return ShortToken{}, err
	}
	t.Hash = append([]byte(nil), hash...)
	if !tx.now.Before(t.Expires) {
		return ShortToken{}, ErrNotFound
	}
	for _, p := range purpose {
		if t.Purpose == p {
			return t, nil
		}
	}
	return ShortToken{}, ErrNotFound
}

// DeleteShortToken removes a token; a missing one is not an error.
func (tx *Tx) DeleteShortToken(hash []byte) error {
	return tx.bucket(bucketShortTokens).Delete(hash)
}

// DeleteExpiredShortTokens removes expired tokens and says how many.
func (tx *Tx) DeleteExpiredShortTokens() (int, error) {
	var keys [][]byte
	err := tx.bucket(bucketShortTokens).ForEach(func(k, v []byte) error {
		var t ShortToken
		if err := decode(v, &t); err != nil {
			return err
		}
		if !tx.now.Before(t.Expires) {
			keys = append(keys, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if err := tx.bucket(bucketShortTokens).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// DeleteShortTokensOf removes an account's tokens of the given purposes
// (a reset of its second factor ends its waiting logins and previews).
func (tx *Tx) DeleteShortTokensOf(kind SessionKind, id uint64, purposes ...TokenPurpose) error {
	var keys [][]byte
	err := tx.bucket(bucketShortTokens).ForEach(func(k, v []byte) error {
		var t ShortToken
		if err := decode(v, &t); err != nil {
			return err
		}
		if t.Kind == kind && t.SubjectID == id {
			for _, p := range purposes {
				if t.Purpose == p {
					keys = append(keys, append([]byte(nil), k...))
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.bucket(bucketShortTokens).Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// migrateAccountSecurity adds the second factor, passkey, short token and
// security buckets.
func migrateAccountSecurity(tx *Tx) error {
	for _, name := range [][]byte{bucketSecondFactors, bucketPasskeys, bucketShortTokens, bucketSecurity} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}
