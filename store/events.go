package store

import (
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
