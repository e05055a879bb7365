package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Visibility says who may read a note.
type Visibility string

// Visibilities.
const (
	Internal Visibility = "internal" // staff only: never shown to a client
	Portal   Visibility = "portal"   // a message between the office and the case's clients
)

// Note is a case note: an internal note of the staff, or a portal message
// (from staff to the case's clients, or from a client to the office,
// addressed to the case's advocate). Text only; the body is never HTML.
type Note struct {
	ID         uint64     `json:"id"`
	CaseID     uint64     `json:"case_id"`
	AuthorKind string     `json:"author_kind"` // "staff" or "client"
	AuthorID   uint64     `json:"author_id"`
	AuthorName string     `json:"author_name"`
	Created    time.Time  `json:"created"`
	Body       string     `json:"body"`
	Visibility Visibility `json:"visibility"`
	// ToStaffID is the advocate a client's message is addressed to (0 for a
	// pro bono case, whose advocate is outside the office: the office reads it).
	ToStaffID uint64 `json:"to_staff_id,omitempty"`
	// DocumentIDs are the documents the message carries, all of its case;
	// a portal message carries only documents the case's clients see.
	DocumentIDs []uint64 `json:"document_ids,omitempty"`
	// Read state, both ways: when a client of the case first read a staff
	// message, and when a staff member first read a client's message.
	ReadByClientAt time.Time `json:"read_by_client_at,omitzero"`
	ReadByClientID uint64    `json:"read_by_client_id,omitempty"`
	ReadByStaffAt  time.Time `json:"read_by_staff_at,omitzero"`
	ReadByStaffID  uint64    `json:"read_by_staff_id,omitempty"`
}

// FromClient reports whether a client wrote the note.
func (n Note) FromClient() bool { return n.AuthorKind == "client" }

// ErrNoteInput is a note the store refuses to keep: a missing case, an
// unknown visibility, an internal note by a client.
var ErrNoteInput = errors.New("not a valid note")

// The note buckets: every note under caseID|noteID; the portal ones also in
// an index, so a client's page of messages never skips over internal notes;
// per client and case, a marker for each unread staff message and their
// count, so the count of what is new is one read; per case, a marker for
// each client message no staff member has read.
//
//	notes               caseID|noteID -> Note
//	notes_portal        caseID|noteID -> nil
//	notes_unread_client clientID|caseID|noteID -> nil
//	notes_unread_count  clientID|caseID -> uint64
//	notes_unread_staff  caseID|noteID -> nil

// AddNote writes a new note, giving it the next ID and the transaction's
// time, and marks it unread for the other side: a staff portal message for
// each client of the case, a client's message for the staff.
func (tx *Tx) AddNote(n *Note) error {
	c, err := tx.Case(n.CaseID)
	if err != nil {
		return err
	}
	switch {
	case n.Visibility != Internal && n.Visibility != Portal:
		return fmt.Errorf("note visibility %q: %w", n.Visibility, ErrNoteInput)
	case n.AuthorKind != "staff" && n.AuthorKind != "client":
		return fmt.Errorf("note author %q: %w", n.AuthorKind, ErrNoteInput)
	case n.AuthorKind == "client" && (n.Visibility != Portal || !c.HasClient(n.AuthorID)):
		return fmt.Errorf("client %d writing to case %d: %w", n.AuthorID, n.CaseID, ErrNoteInput)
	}
	if err := tx.checkNoteDocuments(n); err != nil {
		return err
	}
	b := tx.bucket(bucketNotes)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	n.ID, n.Created = seq, tx.now
	n.ReadByClientAt, n.ReadByClientID, n.ReadByStaffAt, n.ReadByStaffID = time.Time{}, 0, time.Time{}, 0
	key := pairKey(n.CaseID, n.ID)
	if err := putJSON(b, key, n); err != nil {
		return fmt.Errorf("add note: %w", err)
	}
	if err := tx.touchCase(n.CaseID); err != nil {
		return err
	}
	if n.Visibility == Internal {
		return nil
	}
	if err := tx.bucket(bucketNotesPortal).Put(key, nil); err != nil {
		return err
	}
	if n.FromClient() {
		if err := tx.countActivity(n.Created, activityMessage, 1); err != nil {
			return err
		}
		if err := tx.markUnreadByStaff(*n); err != nil {
			return err
		}
		return tx.bucket(bucketNotesUnreadStaff).Put(key, nil)
	}
	for _, cl := range c.ClientIDs {
		if err := tx.bucket(bucketNotesUnreadClient).Put(tripleKey(cl, n.CaseID, n.ID), nil); err != nil {
			return err
		}
		if err := tx.addUnread(cl, n.CaseID, 1); err != nil {
			return err
		}
	}
	return nil
}

// MaxNoteDocuments is the most documents one note may carry.
const MaxNoteDocuments = 20

// checkNoteDocuments refuses a note that carries a document of another case
// (or none), one twice, more than MaxNoteDocuments, or, on a portal
// message, a document the case's clients do not see.
func (tx *Tx) checkNoteDocuments(n *Note) error {
	if len(n.DocumentIDs) > MaxNoteDocuments {
		return fmt.Errorf("note with %d documents: %w", len(n.DocumentIDs), ErrNoteInput)
	}
	for i, id := range n.DocumentIDs {
		d, err := tx.Document(id)
		if errors.Is(err, ErrNotFound) || err == nil && d.CaseID != n.CaseID {
			return fmt.Errorf("document %d is not of case %d: %w", id, n.CaseID, ErrNoteInput)
		}
		if err != nil {
			return err
		}
		if n.Visibility == Portal && !d.Portal {
			return fmt.Errorf("portal message with document %d, which is staff only: %w", id, ErrNoteInput)
		}
		if slices.Contains(n.DocumentIDs[:i], id) {
			return fmt.Errorf("document %d twice: %w", id, ErrNoteInput)
		}
	}
	return nil
}

// Note reads one note of a case.
func (tx *Tx) Note(caseID, id uint64) (Note, error) {
	var n Note
	if err := getJSON(tx.bucket(bucketNotes), pairKey(caseID, id), &n); err != nil {
		return Note{}, fmt.Errorf("note %d of case %d: %w", id, caseID, err)
	}
	return n, nil
}

// Notes returns up to limit notes of the case with an ID below before (0:
// from the newest), newest first: every note (staff), or only the portal
// messages (what a client sees).
func (tx *Tx) Notes(caseID, before uint64, limit int, portalOnly bool) ([]Note, error) {
	idx := tx.bucket(bucketNotes)
	if portalOnly {
		idx = tx.bucket(bucketNotesPortal)
	}
	if before == 0 {
		before = ^uint64(0)
	}
	var out []Note
	c := idx.Cursor()
	k, _ := c.Seek(pairKey(caseID, before))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && len(out) < limit && binary.BigEndian.Uint64(k) == caseID; k, _ = c.Prev() {
		n, err := tx.Note(caseID, binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// MarkNotesReadByClient marks the staff messages of the case that the client
// has not read, up to the note upTo (0: all), as read by them, and returns
// the IDs it marked. A note keeps the time its first reader read it.
func (tx *Tx) MarkNotesReadByClient(clientID, caseID, upTo uint64) ([]uint64, error) {
	var ids []uint64
	prefix := pairKey(clientID, caseID)
	c := tx.bucket(bucketNotesUnreadClient).Cursor()
	for k, _ := c.Seek(prefix); len(k) == 24 && string(k[:16]) == string(prefix); k, _ = c.Next() {
		id := binary.BigEndian.Uint64(k[16:])
		if upTo != 0 && id > upTo {
			break
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		if err := tx.bucket(bucketNotesUnreadClient).Delete(tripleKey(clientID, caseID, id)); err != nil {
			return nil, err
		}
		n, err := tx.Note(caseID, id)
		if err != nil {
			return nil, err
		}
		if n.ReadByClientAt.IsZero() {
			n.ReadByClientAt, n.ReadByClientID = tx.now, clientID
			if err := putJSON(tx.bucket(bucketNotes), pairKey(caseID, id), n); err != nil {
				return nil, err
			}
		}
	}
	if len(ids) > 0 {
		if err := tx.addUnread(clientID, caseID, -len(ids)); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// MarkNotesReadByStaff marks the client messages of the case that no staff
// member has read, up to the note upTo (0: all), as read by staffID, and
// returns the IDs it marked.
func (tx *Tx) MarkNotesReadByStaff(staffID, caseID, upTo uint64) ([]uint64, error) {
	var ids []uint64
	prefix := u64(caseID)
	b := tx.bucket(bucketNotesUnreadStaff)
	c := b.Cursor()
	for k, _ := c.Seek(prefix); len(k) == 16 && string(k[:8]) == string(prefix); k, _ = c.Next() {
		id := binary.BigEndian.Uint64(k[8:])
		if upTo != 0 && id > upTo {
			break
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		key := pairKey(caseID, id)
		if err := b.Delete(key); err != nil {
			return nil, err
		}
		if err := tx.clearUnreadByStaff(id); err != nil {
			return nil, err
		}
		n, err := tx.Note(caseID, id)
		if err != nil {
			return nil, err
		}
		n.ReadByStaffAt, n.ReadByStaffID = tx.now, staffID
		if err := putJSON(tx.bucket(bucketNotes), key, n); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// UnreadByClient is the number of the case's staff messages the client has
// not read: one read of a counter.
func (tx *Tx) UnreadByClient(clientID, caseID uint64) int {
	v := tx.bucket(bucketNotesUnreadCount).Get(pairKey(clientID, caseID))
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// UnreadByClientPerCase is, for each case of the client with unread staff
// messages, how many there are (for the case picker). It reads one counter
// per case of the client, and keeps only cases the client still belongs to.
func (tx *Tx) UnreadByClientPerCase(clientID uint64) (map[uint64]int, error) {
	out := map[uint64]int{}
	prefix := u64(clientID)
	c := tx.bucket(bucketNotesUnreadCount).Cursor()
	for k, v := c.Seek(prefix); len(k) == 16 && string(k[:8]) == string(prefix); k, v = c.Next() {
		caseID := binary.BigEndian.Uint64(k[8:])
		if len(v) != 8 || binary.BigEndian.Uint64(v) == 0 || tx.bucket(bucketClientCases).Get(k) == nil {
			continue
		}
		out[caseID] = int(binary.BigEndian.Uint64(v))
	}
	return out, nil
}

// UnreadByStaff is the number of the case's client messages no staff member
// has read; it reads only the markers of those.
func (tx *Tx) UnreadByStaff(caseID uint64) int {
	n := 0
	prefix := u64(caseID)
	c := tx.bucket(bucketNotesUnreadStaff).Cursor()
	for k, _ := c.Seek(prefix); len(k) == 16 && string(k[:8]) == string(prefix); k, _ = c.Next() {
		n++
	}
	return n
}

func (tx *Tx) addUnread(clientID, caseID uint64, delta int) error {
	b := tx.bucket(bucketNotesUnreadCount)
	key := pairKey(clientID, caseID)
	var have int64
	if v := b.Get(key); len(v) == 8 {
		have = int64(binary.BigEndian.Uint64(v))
	}
	have += int64(delta)
	if have <= 0 {
		return b.Delete(key)
	}
	return b.Put(key, u64(uint64(have)))
}

func tripleKey(a, b, c uint64) []byte {
	k := make([]byte, 24)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], b)
	binary.BigEndian.PutUint64(k[16:], c)
	return k
}

// ClientMessageRate is how many messages a client may post in a window,
// across all their cases: the store keeps the times of the last ones, so the
// limit holds across restarts and every session.
type ClientMessageRate struct {
	Max    int
	Window time.Duration
}

// ErrRateLimited means the client posted Max messages within the window.
var ErrRateLimited = errors.New("too many messages")

// TakeClientMessageSlot records a message of the client now, or returns
// ErrRateLimited and how long until the next one may be posted.
func (tx *Tx) TakeClientMessageSlot(clientID uint64, r ClientMessageRate) (time.Duration, error) {
	b := tx.bucket(bucketNotesClientRate)
	var times []time.Time
	if err := getJSON(b, u64(clientID), &times); err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	kept := times[:0]
	for _, t := range times {
		if tx.now.Sub(t) < r.Window {
			kept = append(kept, t)
		}
	}
	if len(kept) >= r.Max {
		return kept[len(kept)-r.Max].Add(r.Window).Sub(tx.now), ErrRateLimited
	}
	return 0, putJSON(b, u64(clientID), append(kept, tx.now))
}
