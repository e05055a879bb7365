package store

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Appointment is a calendar entry of a case: a meeting, a call, a hearing.
// Portal appointments are shown to the case's clients; the others are for
// the staff only.
type Appointment struct {
	ID      uint64    `json:"id"`
	CaseID  uint64    `json:"case_id"`
	Title   string    `json:"title"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Place   string    `json:"place,omitempty"`
	Link    string    `json:"link,omitempty"`
	Note    string    `json:"note,omitempty"`
	Portal  bool      `json:"portal"`
	Created time.Time `json:"created"`
	// CreatedBy is the staff member who added it.
	CreatedBy uint64 `json:"created_by"`
	// Cancelled is when staff cancelled it; it stays, so the client sees it
	// was called off and a calendar that imports it again drops it.
	Cancelled time.Time `json:"cancelled,omitzero"`
	// Sequence counts the changes after creation, for calendars (the
	// iCalendar SEQUENCE): a higher one replaces what they hold.
	Sequence int `json:"sequence,omitempty"`
	// Updated is when staff last changed it (UpdateAppointment).
	Updated time.Time `json:"updated,omitzero"`
}

// ErrAppointmentInput is an appointment the store refuses to keep: no
// title, or an end that is not after its start.
var ErrAppointmentInput = errors.New("not a valid appointment")

// The appointment bucket keeps every appointment under caseID|id, so a
// case's appointments are one range read and an id under another case is
// simply not found.
//
//	appointments caseID|appointmentID -> Appointment

// AddAppointment writes a new appointment of an existing case, giving it the
// next ID and the transaction's time.
func (tx *Tx) AddAppointment(a *Appointment) error {
	if _, err := tx.Case(a.CaseID); err != nil {
		return err
	}
	if a.Title == "" || !a.End.After(a.Start) {
		return fmt.Errorf("appointment of case %d: %w", a.CaseID, ErrAppointmentInput)
	}
	b := tx.bucket(bucketAppointments)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	a.ID, a.Created = seq, tx.now
	a.Start, a.End = a.Start.UTC(), a.End.UTC()
	if err := putJSON(b, pairKey(a.CaseID, a.ID), a); err != nil {
		return fmt.Errorf("add appointment: %w", err)
	}
	return tx.bucket(bucketAppointmentCases).Put(u64(a.ID), u64(a.CaseID))
}

// Appointment reads one appointment of a case: an id of another case is
// ErrNotFound, alike with a missing one.
func (tx *Tx) Appointment(caseID, id uint64) (Appointment, error) {
	var a Appointment
	if err := getJSON(tx.bucket(bucketAppointments), pairKey(caseID, id), &a); err != nil {
		return Appointment{}, fmt.Errorf("appointment %d of case %d: %w", id, caseID, err)
	}
	return a, nil
}

// ErrAppointmentCancelled is a change to an appointment already cancelled.
var ErrAppointmentCancelled = errors.New("the appointment was already cancelled")

// CancelAppointment marks an appointment of the case cancelled at the
// transaction's time and counts the change.
func (tx *Tx) CancelAppointment(caseID, id uint64) (Appointment, error) {
	a, err := tx.Appointment(caseID, id)
	if err != nil {
		return Appointment{}, err
	}
	if !a.Cancelled.IsZero() {
		return Appointment{}, fmt.Errorf("appointment %d of case %d: %w", id, caseID, ErrAppointmentCancelled)
	}
	a.Cancelled, a.Sequence = tx.now, a.Sequence+1
	if err := putJSON(tx.bucket(bucketAppointments), pairKey(caseID, id), &a); err != nil {
		return Appointment{}, fmt.Errorf("cancel appointment: %w", err)
	}
	return a, nil
}

// Appointments returns the case's appointments, earliest start first: all of
// them (staff), or only the portal ones (what a client sees).
func (tx *Tx) Appointments(caseID uint64, portalOnly bool) ([]Appointment, error) {
	var out []Appointment
	c := tx.bucket(bucketAppointments).Cursor()
	prefix := u64(caseID)
	for k, v := c.Seek(prefix); k != nil && binary.BigEndian.Uint64(k) == caseID; k, v = c.Next() {
		var a Appointment
		if err := decode(v, &a); err != nil {
			return nil, fmt.Errorf("appointment %d of case %d: %w", binary.BigEndian.Uint64(k[8:]), caseID, err)
		}
		if portalOnly && !a.Portal {
			continue
		}
		out = append(out, a)
	}
	sortAppointments(out)
	return out, nil
}

func sortAppointments(list []Appointment) {
	slices.SortFunc(list, func(a, b Appointment) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
}

// migrateAppointments adds case appointments.
func migrateAppointments(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketAppointments); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketAppointments, err)
	}
	return nil
}
