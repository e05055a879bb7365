package store

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Event is one entry of the event log: something a client or staff should see
// at once (a new message, a status entry...). Its ID is the log's sequence, so
// a page or control panel that reconnects asks for what came after the last
// ID it saw, also after a restart. Events say what happened and where, never
// the content: a subscriber reads that through the routes that check access.
type Event struct {
	ID     uint64    `json:"id"`
	Type   string    `json:"type"` // e.g. "status.added", "message.created"
	CaseID uint64    `json:"case,omitempty"`
	Ref    uint64    `json:"ref,omitempty"` // the record it is about: a status entry, a message...
	At     time.Time `json:"at"`
	// ClientIDs are the clients who may see the event (the case's clients when
	// it happened); empty with StaffOnly for what clients never see.
	ClientIDs []uint64 `json:"clients,omitempty"`
	StaffOnly bool     `json:"staff_only,omitempty"`
	// ActorKind is who raised it: "staff", "client" or "system" (office.commit
	// fills it in), so a client's message alerts staff and a staff one the client.
	ActorKind string `json:"actor_kind,omitempty"`
}

// AppendEvent adds e to the event log, giving it the next ID and the
// transaction's time.
func (tx *Tx) AppendEvent(e *Event) error {
	b := tx.bucket(bucketEvents)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.ID, e.At = seq, tx.now
	if err := putJSON(b, u64(seq), e); err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	return nil
}

// EventsAfter returns up to limit events with an ID above after, oldest
// first.
func (tx *Tx) EventsAfter(after uint64, limit int) ([]Event, error) {
	var out []Event
	c := tx.bucket(bucketEvents).Cursor()
	for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
		var e Event
		if err := decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// EventSpan is what the event log holds: events Oldest to Last (Oldest is 0
// when the log is empty; Last is the last ID ever given, kept or not).
type EventSpan struct{ Oldest, Last uint64 }

// EventSpan reads the span of the event log.
func (tx *Tx) EventSpan() EventSpan {
	b := tx.bucket(bucketEvents)
	var s EventSpan
	if k, _ := b.Cursor().First(); k != nil {
		s.Oldest = binary.BigEndian.Uint64(k)
	}
	s.Last = b.Sequence()
	return s
}

// Covers reports whether a subscriber who saw every event up to after can
// catch up from the log: nothing after it was deleted, and after is not from
// the future (another data folder, or one restored from an older backup).
func (s EventSpan) Covers(after uint64) bool {
	switch {
	case after > s.Last:
		return false
	case after == s.Last:
		return true
	}
	return s.Oldest != 0 && s.Oldest <= after+1
}

// DeleteEventsBefore deletes up to limit of the oldest events stamped before
// cutoff, and says how many it deleted (a sweep calls it in batches, so one
// transaction stays small).
func (tx *Tx) DeleteEventsBefore(cutoff time.Time, limit int) (int, error) {
	b := tx.bucket(bucketEvents)
	var keys [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && len(keys) < limit; k, v = c.Next() {
		var e Event
		if err := decode(v, &e); err != nil {
			return 0, err
		}
		if !e.At.Before(cutoff) {
			break
		}
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, fmt.Errorf("delete event: %w", err)
		}
	}
	return len(keys), nil
}
