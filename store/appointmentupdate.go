package store

import (
	"encoding/binary"
	"fmt"
)

// bucketAppointmentCases finds an appointment's case from its id alone
// (PATCH /api/v1/appointments/{id}):
//
//	appointment_cases appointmentID -> caseID
var bucketAppointmentCases = []byte("appointment_cases")

// AppointmentByID reads an appointment by its id alone.
func (tx *Tx) AppointmentByID(id uint64) (Appointment, error) {
	v := tx.bucket(bucketAppointmentCases).Get(u64(id))
	if len(v) != 8 {
		return Appointment{}, fmt.Errorf("appointment %d: %w", id, ErrNotFound)
	}
	return tx.Appointment(binary.BigEndian.Uint64(v), id)
}

// UpdateAppointment writes a changed appointment over the stored one (same
// case and id, not cancelled), stamping it with the transaction's time and
// counting the change in Sequence, so calendars replace what they hold. The
// fields a change cannot touch (case, creation, cancellation) are kept.
func (tx *Tx) UpdateAppointment(a Appointment) (Appointment, error) {
	old, err := tx.Appointment(a.CaseID, a.ID)
	if err != nil {
		return Appointment{}, err
	}
	if !old.Cancelled.IsZero() {
		return Appointment{}, fmt.Errorf("appointment %d of case %d: %w", a.ID, a.CaseID, ErrAppointmentCancelled)
	}
	if a.Title == "" || !a.End.After(a.Start) {
		return Appointment{}, fmt.Errorf("appointment %d of case %d: %w", a.ID, a.CaseID, ErrAppointmentInput)
	}
	a.Created, a.CreatedBy, a.Cancelled = old.Created, old.CreatedBy, old.Cancelled
	a.Start, a.End = a.Start.UTC(), a.End.UTC()
	a.Sequence, a.Updated = old.Sequence+1, tx.now
	if err := putJSON(tx.bucket(bucketAppointments), pairKey(a.CaseID, a.ID), &a); err != nil {
		return Appointment{}, fmt.Errorf("update appointment: %w", err)
	}
	return a, nil
}

// migrateAppointmentCases adds the index from an appointment's id to its
// case, for the appointments already kept.
func migrateAppointmentCases(tx *Tx) error {
	idx, err := tx.btx.CreateBucketIfNotExists(bucketAppointmentCases)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketAppointmentCases, err)
	}
	return tx.bucket(bucketAppointments).ForEach(func(k, _ []byte) error {
		return idx.Put(append([]byte(nil), k[8:16]...), append([]byte(nil), k[:8]...))
	})
}
