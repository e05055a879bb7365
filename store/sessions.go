package store

import (
	"bytes"
	"fmt"
	"time"
)

// SessionKind says who a session belongs to.
type SessionKind string

// Session kinds.
const (
	SessionClient SessionKind = "client" // a portal login (cookie)
	SessionStaff  SessionKind = "staff"  // a staff API login (bearer token)
)

// Session is a login. It is stored under the SHA-256 of its token: the token
// itself is never written.
type Session struct {
	Hash      []byte      `json:"-"`
	Kind      SessionKind `json:"kind"`
	SubjectID uint64      `json:"subject_id"`
	Created   time.Time   `json:"created"`
	LastSeen  time.Time   `json:"last_seen"`
	Expires   time.Time   `json:"expires"` // the absolute end
	IP        string      `json:"ip,omitempty"`
}

func subjectKey(kind SessionKind, subject uint64, hash []byte) []byte {
	k := append([]byte(kind), '|')
	k = append(k, u64(subject)...)
	return append(k, hash...)
}

// SessionIdle is the office's idle limit for sessions
// (Settings.SessionIdle). Every request's session check reads it, so it is
// read from the kept settings (see Tx.Settings) without copying them, when
// their bytes are the ones this transaction sees.
func (tx *Tx) SessionIdle() (time.Duration, error) {
	raw := tx.bucket(bucketSettings).Get(keySettings)
	if c := tx.store.settings.Load(); c != nil && raw != nil && bytes.Equal(c.raw, raw) {
		return c.val.SessionIdle, nil
	}
	set, err := tx.Settings()
	return set.SessionIdle, err
}

// PutSession writes a session (new or touched).
func (tx *Tx) PutSession(s Session) error {
	if len(s.Hash) == 0 {
		return fmt.Errorf("put session: no hash")
	}
	if err := tx.bucket(bucketSessionsBySub).Put(subjectKey(s.Kind, s.SubjectID, s.Hash), nil); err != nil {
		return err
	}
	return putJSON(tx.bucket(bucketSessions), s.Hash, s)
}

// Session reads a session by its token hash.
func (tx *Tx) Session(hash []byte) (Session, error) {
	var s Session
	if err := tx.store.decoded.sessions.get(tx, tx.bucket(bucketSessions), hash, &s); err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	s.Hash = append([]byte(nil), hash...)
	return s, nil
}

// DeleteSession ends one session; ending a missing one is not an error.
func (tx *Tx) DeleteSession(hash []byte) error {
	s, err := tx.Session(hash)
	if err != nil {
		return nil
	}
	if err := tx.bucket(bucketSessionsBySub).Delete(subjectKey(s.Kind, s.SubjectID, hash)); err != nil {
		return err
	}
	return tx.bucket(bucketSessions).Delete(hash)
}

// DeleteSessionsOf ends every session of one client or staff member and says
// how many there were.
func (tx *Tx) DeleteSessionsOf(kind SessionKind, subject uint64) (int, error) {
	prefix := subjectKey(kind, subject, nil)
	c := tx.bucket(bucketSessionsBySub).Cursor()
	var hashes [][]byte
	for k, _ := c.Seek(prefix); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
		hashes = append(hashes, append([]byte(nil), k[len(prefix):]...))
	}
	for _, h := range hashes {
		if err := tx.DeleteSession(h); err != nil {
			return 0, err
		}
	}
	return len(hashes), nil
}

// DeleteExpiredSessions removes sessions past their absolute end or idle for
// longer than idle, and says how many it removed.
func (tx *Tx) DeleteExpiredSessions(idle time.Duration) (int, error) {
	var hashes [][]byte
	err := tx.bucket(bucketSessions).ForEach(func(k, v []byte) error {
		var s Session
		if err := decode(v, &s); err != nil {
			return err
		}
		if !tx.now.Before(s.Expires) || tx.now.Sub(s.LastSeen) > idle {
			hashes = append(hashes, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, h := range hashes {
		if err := tx.DeleteSession(h); err != nil {
			return 0, err
		}
	}
	return len(hashes), nil
}
