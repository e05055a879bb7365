package store

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Single-use links: an invitation to register, or a password reset, sent to
// a client by email. A client has at most one of each kind at a time; a new
// one replaces the old. The token itself is never written: only its SHA-256
// (Hash), under which an index finds the link.

// Link kinds.
const (
	LinkInvite = "invite" // /register/{token}: prove who you are, choose a password
	LinkReset  = "reset"  // /reset/{token}: choose a new password
)

// Identity facts a client proves at registration (OnboardingSettings.Fact).
const (
	FactBirthDate = "birth_date" // YYYY-MM-DD
	FactIDLast4   = "id_last4"   // the last 4 characters of an ID number
)

// LinkToken is one single-use link of a client.
type LinkToken struct {
	Kind     string    `json:"kind"`
	ClientID uint64    `json:"client_id"`
	Hash     []byte    `json:"hash"`  // SHA-256 of the token
	Email    string    `json:"email"` // the address it was sent to
	Issued   time.Time `json:"issued"`
	Expires  time.Time `json:"expires"`
	Used     time.Time `json:"used,omitzero"`
	Revoked  time.Time `json:"revoked,omitzero"`
	// Attempts counts failed identity checks; at the office's limit the
	// link is Voided.
	Attempts int  `json:"attempts"`
	Voided   bool `json:"voided,omitempty"`
	// EasyLogin: the link signs the client in once (no identity fact) and
	// asks them to set a password.
	EasyLogin bool `json:"easy_login,omitempty"`
	Sends     int  `json:"sends"` // how many times it was sent (a resend makes a new token)
}

// Active reports whether the link can still be used at now.
func (t LinkToken) Active(now time.Time) bool {
	return len(t.Hash) > 0 && t.Used.IsZero() && t.Revoked.IsZero() && !t.Voided && now.Before(t.Expires)
}

// Expired reports whether the link ran out of time unused.
func (t LinkToken) Expired(now time.Time) bool {
	return t.Used.IsZero() && t.Revoked.IsZero() && !t.Voided && !now.Before(t.Expires)
}

// ErrLinkInvalid is the one answer for a link that is unknown, expired, used,
// revoked or voided.
var ErrLinkInvalid = errors.New("this link is no longer valid")

func linkKey(kind string, clientID uint64) []byte {
	return append(append([]byte(kind), 0), u64(clientID)...)
}

// LinkToken reads the client's link of kind.
func (tx *Tx) LinkToken(kind string, clientID uint64) (LinkToken, error) {
	var t LinkToken
	if err := getJSON(tx.bucket(bucketLinkTokens), linkKey(kind, clientID), &t); err != nil {
		return LinkToken{}, fmt.Errorf("%s link of client %d: %w", kind, clientID, err)
	}
	return t, nil
}

// PutLinkToken writes the client's link of its kind, replacing the one
// before (whose token stops working), and keeps the hash index: only an
// active link is found by its token.
func (tx *Tx) PutLinkToken(t LinkToken) error {
	if t.Kind != LinkInvite && t.Kind != LinkReset {
		return fmt.Errorf("put link: unknown kind %q", t.Kind)
	}
	key := linkKey(t.Kind, t.ClientID)
	idx := tx.bucket(bucketLinkHashes)
	if old, err := tx.LinkToken(t.Kind, t.ClientID); err == nil && len(old.Hash) > 0 {
		if err := idx.Delete(old.Hash); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if t.Active(tx.now) {
		if err := idx.Put(t.Hash, key); err != nil {
			return err
		}
	}
	if err := putJSON(tx.bucket(bucketLinkTokens), key, t); err != nil {
		return fmt.Errorf("write %s link of client %d: %w", t.Kind, t.ClientID, err)
	}
	return nil
}

// LinkTokenByHash finds the active link of kind whose token hashes to hash;
// anything else (unknown, another kind, expired, used, revoked, voided) is
// ErrLinkInvalid, alike. The stored hash is compared in constant time.
func (tx *Tx) LinkTokenByHash(kind string, hash []byte) (LinkToken, error) {
	key := tx.bucket(bucketLinkHashes).Get(hash)
	if len(key) != len(kind)+9 || !bytes.Equal(key[:len(kind)], []byte(kind)) {
		return LinkToken{}, ErrLinkInvalid
	}
	t, err := tx.LinkToken(kind, binary.BigEndian.Uint64(key[len(kind)+1:]))
	if errors.Is(err, ErrNotFound) {
		return LinkToken{}, ErrLinkInvalid
	}
	if err != nil {
		return LinkToken{}, err
	}
	if subtle.ConstantTimeCompare(t.Hash, hash) != 1 || !t.Active(tx.now) {
		return LinkToken{}, ErrLinkInvalid
	}
	return t, nil
}

// ClientsWithCases calls fn for each client that has at least one case, in
// client ID order, with the number of their cases.
func (tx *Tx) ClientsWithCases(fn func(c Client, cases int) error) error {
	cur := tx.bucket(bucketClientCases).Cursor()
	var last uint64
	n := 0
	flush := func() error {
		if last == 0 {
			return nil
		}
		c, err := tx.Client(last)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(c, n)
	}
	for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
		if len(k) < 8 {
			continue
		}
		id := binary.BigEndian.Uint64(k)
		if id != last {
			if err := flush(); err != nil {
				return err
			}
			last, n = id, 0
		}
		n++
	}
	return flush()
}

// OnboardingSettings are how the office brings clients onto the portal:
// invitations, registration and password resets. They are kept apart from
// Settings, as the mail settings are.
type OnboardingSettings struct {
	// Fact is what a client proves at registration: FactBirthDate or FactIDLast4.
	Fact string `json:"fact"`
	// InviteExpiry and ResetExpiry are how long a link works.
	InviteExpiry time.Duration `json:"invite_expiry"`
	ResetExpiry  time.Duration `json:"reset_expiry"`
	// MaxAttempts failed identity checks void an invitation.
	MaxAttempts int `json:"max_attempts"`
	// AutoInvite invites a new case's clients who have no account yet.
	AutoInvite bool `json:"auto_invite"`
	// EasyLogin makes invitation links sign the client in once, without the
	// identity fact, and ask them to set a password.
	EasyLogin bool `json:"easy_login"`
}

// DefaultOnboardingSettings is what an office starts with.
func DefaultOnboardingSettings() OnboardingSettings {
	return OnboardingSettings{Fact: FactBirthDate, InviteExpiry: 7 * 24 * time.Hour, ResetExpiry: time.Hour, MaxAttempts: 5}
}

var keyOnboarding = []byte("onboarding")

// OnboardingSettings reads the onboarding settings (the defaults when none
// were saved).
func (tx *Tx) OnboardingSettings() (OnboardingSettings, error) {
	var s OnboardingSettings
	err := getJSON(tx.bucket(bucketSettings), keyOnboarding, &s)
	if errors.Is(err, ErrNotFound) {
		return DefaultOnboardingSettings(), nil
	}
	if err != nil {
		return OnboardingSettings{}, fmt.Errorf("read onboarding settings: %w", err)
	}
	return s, nil
}

// PutOnboardingSettings replaces the onboarding settings.
func (tx *Tx) PutOnboardingSettings(s OnboardingSettings) error {
	if err := putJSON(tx.bucket(bucketSettings), keyOnboarding, s); err != nil {
		return fmt.Errorf("write onboarding settings: %w", err)
	}
	return nil
}

// migrateLinkTokens adds invitation and reset links.
func migrateLinkTokens(tx *Tx) error {
	for _, name := range [][]byte{bucketLinkTokens, bucketLinkHashes} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// DeleteSessionsOfExcept ends every session of one client or staff member
// but the one stored under keep (a password change ends the others), and
// says how many it ended.
func (tx *Tx) DeleteSessionsOfExcept(kind SessionKind, subject uint64, keep []byte) (int, error) {
	prefix := subjectKey(kind, subject, nil)
	c := tx.bucket(bucketSessionsBySub).Cursor()
	var hashes [][]byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if h := k[len(prefix):]; len(h) > 0 && !bytes.Equal(h, keep) {
			hashes = append(hashes, bytes.Clone(h))
		}
	}
	for _, h := range hashes {
		if err := tx.DeleteSession(h); err != nil {
			return 0, err
		}
	}
	return len(hashes), nil
}
