package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// Outbox entry states.
const (
	OutboxPending = "pending" // waiting for its first try
	OutboxSending = "sending" // handed to the SMTP server; not yet known to be accepted
	OutboxSent    = "sent"    // the server accepted it
	OutboxFailed  = "failed"  // the last try failed: retried at NextTry, or given up when NextTry is zero
)

// Outbox entry kinds.
const (
	MailNotice = "notice" // tells a client something new waits on the portal
	MailAlert  = "alert"  // tells staff a client wrote
	MailInvite = "invite" // invites a client to register (a single-use link)
	MailReset  = "reset"  // a password reset link
)

// OutboxEntry is one email to send. It is written in the transaction of the
// change it tells of (a transactional outbox): a notification is never lost,
// and never sent for a change that did not commit. It holds what the email
// is about, never case content; the sender renders it when it sends.
type OutboxEntry struct {
	ID        uint64   `json:"id"`
	MessageID string   `json:"message_id"` // "random@domain" (no angle brackets), made at enqueue: the same on every try
	Key       string   `json:"key"`        // the recipient, for coalescing: "client:7", "staff:3", "office"
	To        string   `json:"to"`
	Language  string   `json:"language"`
	Kind      string   `json:"kind"`   // MailNotice or MailAlert
	Topics    []string `json:"topics"` // what is new: "status", "messages", "appointments", "documents"
	CaseIDs   []uint64 `json:"case_ids"`
	Changes   int      `json:"changes"` // how many changes it tells of
	// Sealed is the token of a link email (MailInvite, MailReset), encrypted
	// to the office key, which is kept outside the data folder: the file
	// never holds a usable token. It is wiped once the email is sent.
	Sealed      []byte    `json:"sealed,omitempty"`
	LinkExpires time.Time `json:"link_expires,omitzero"`

	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	NextTry   time.Time `json:"next_try,omitempty"`
	LastError string    `json:"last_error,omitempty"` // the SMTP server's words (or why it could not be reached)
	Reply     string    `json:"reply,omitempty"`      // the server's words when it accepted the mail
	Created   time.Time `json:"created"`
	FirstTry  time.Time `json:"first_try,omitempty"` // the Date header of every try
	Sent      time.Time `json:"sent,omitempty"`
}

// Open reports whether the entry can still absorb new changes: it waits to
// be sent (first try or a retry), and no try of it is under way.
func (e OutboxEntry) Open() bool {
	return (e.State == OutboxPending || e.State == OutboxFailed) && !e.NextTry.IsZero()
}

// outboxKey is what the outbox keeps per recipient: the open entry that new
// changes join, and when the last email went out.
type outboxKey struct {
	Open     uint64    `json:"open,omitempty"`
	LastSent time.Time `json:"last_sent,omitempty"`
}

func stateKey(state string, id uint64) []byte {
	return append(append([]byte(state), 0), u64(id)...)
}

func dueKey(t time.Time, id uint64) []byte { return pairKey(uint64(t.UnixNano()), id) }

// OutboxEntry reads an outbox entry by ID.
func (tx *Tx) OutboxEntry(id uint64) (OutboxEntry, error) {
	var e OutboxEntry
	if err := getJSON(tx.bucket(bucketOutbox), u64(id), &e); err != nil {
		return OutboxEntry{}, fmt.Errorf("outbox entry %d: %w", id, err)
	}
	return e, nil
}

func (tx *Tx) outboxKey(key string) (outboxKey, error) {
	var k outboxKey
	if err := getJSON(tx.bucket(bucketOutboxKeys), []byte(key), &k); err != nil && err != ErrNotFound {
		return k, err
	}
	return k, nil
}

// OpenOutboxEntry is the entry for key that new changes join, if there is one.
func (tx *Tx) OpenOutboxEntry(key string) (OutboxEntry, bool, error) {
	k, err := tx.outboxKey(key)
	if err != nil || k.Open == 0 {
		return OutboxEntry{}, false, err
	}
	e, err := tx.OutboxEntry(k.Open)
	if err != nil {
		return OutboxEntry{}, false, err
	}
	return e, e.Open(), nil
}

// OutboxLastSent is when the last email to key was accepted (zero: never).
func (tx *Tx) OutboxLastSent(key string) (time.Time, error) {
	k, err := tx.outboxKey(key)
	return k.LastSent, err
}

// PutOutboxEntry creates (ID 0, stamped Created now) or replaces an outbox
// entry, keeping its indexes: by state, by when it is due, and the open entry
// and last sending time of its recipient.
func (tx *Tx) PutOutboxEntry(e *OutboxEntry) error {
	b := tx.bucket(bucketOutbox)
	if e.ID == 0 {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		e.ID, e.Created = seq, tx.now
	} else {
		old, err := tx.OutboxEntry(e.ID)
		if err != nil {
			return err
		}
		e.Created = old.Created
		if err := tx.bucket(bucketOutboxState).Delete(stateKey(old.State, old.ID)); err != nil {
			return err
		}
		if old.Open() {
			if err := tx.bucket(bucketOutboxDue).Delete(dueKey(old.NextTry, old.ID)); err != nil {
				return err
			}
		}
	}
	if err := putJSON(b, u64(e.ID), e); err != nil {
		return fmt.Errorf("write outbox entry: %w", err)
	}
	if err := tx.bucket(bucketOutboxState).Put(stateKey(e.State, e.ID), nil); err != nil {
		return err
	}
	if e.Open() {
		if err := tx.bucket(bucketOutboxDue).Put(dueKey(e.NextTry, e.ID), nil); err != nil {
			return err
		}
	}
	k, err := tx.outboxKey(e.Key)
	if err != nil {
		return err
	}
	switch {
	case e.Open() && k.Open == 0:
		k.Open = e.ID
	case !e.Open() && k.Open == e.ID:
		k.Open = 0
	}
	if e.State == OutboxSent && e.Sent.After(k.LastSent) {
		k.LastSent = e.Sent
	}
	return putJSON(tx.bucket(bucketOutboxKeys), []byte(e.Key), k)
}

// DueOutbox returns up to limit open entries due at or before now, the
// earliest first.
func (tx *Tx) DueOutbox(now time.Time, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	c := tx.bucket(bucketOutboxDue).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if int64(binary.BigEndian.Uint64(k)) > now.UnixNano() {
			break
		}
		e, err := tx.OutboxEntry(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// NextOutboxDue is when the earliest open entry is due; false when none is.
func (tx *Tx) NextOutboxDue() (time.Time, bool) {
	k, _ := tx.bucket(bucketOutboxDue).Cursor().First()
	if k == nil {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k))).UTC(), true
}

// OutboxInState returns up to limit entries in state (every state when ""),
// newest first, with an ID below before (0: from the newest).
func (tx *Tx) OutboxInState(state string, before uint64, limit int) ([]OutboxEntry, error) {
	if before == 0 {
		before = ^uint64(0)
	}
	var out []OutboxEntry
	if state == "" {
		c := tx.bucket(bucketOutbox).Cursor()
		var k, v []byte
		if k, _ = c.Seek(u64(before)); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			var e OutboxEntry
			if err := decode(v, &e); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	}
	prefix := append([]byte(state), 0)
	c := tx.bucket(bucketOutboxState).Cursor()
	k, _ := c.Seek(stateKey(state, before))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Prev() {
		e, err := tx.OutboxEntry(binary.BigEndian.Uint64(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// RetryFailedOutbox makes every failed entry that is still being retried
// due now (the mail settings were just fixed, say), and answers how many.
func (tx *Tx) RetryFailedOutbox() (int, error) {
	failed, err := tx.OutboxInState(OutboxFailed, 0, int(^uint(0)>>1))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range failed {
		if !e.Open() || !e.NextTry.After(tx.now) {
			continue
		}
		e.NextTry = tx.now
		if err := tx.PutOutboxEntry(&e); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// PruneOutbox deletes up to limit sent entries that were sent before
// before, oldest first, and answers how many. The outbox is a queue and a
// recent record for staff, not an archive.
func (tx *Tx) PruneOutbox(before time.Time, limit int) (int, error) {
	prefix := append([]byte(OutboxSent), 0)
	c := tx.bucket(bucketOutboxState).Cursor()
	var ids []uint64
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(ids) < limit; k, _ = c.Next() {
		ids = append(ids, binary.BigEndian.Uint64(k[len(prefix):]))
	}
	n := 0
	for _, id := range ids {
		e, err := tx.OutboxEntry(id)
		if err != nil {
			return n, err
		}
		if !e.Sent.Before(before) {
			continue
		}
		if err := tx.bucket(bucketOutboxState).Delete(stateKey(e.State, e.ID)); err != nil {
			return n, err
		}
		if err := tx.bucket(bucketOutbox).Delete(u64(e.ID)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// OnCommit runs fn after the transaction commits (never when it rolls back):
// the place to wake whoever waits for what it wrote.
func (tx *Tx) OnCommit(fn func()) { tx.btx.OnCommit(fn) }
