package store_test

import (
	"errors"
	"testing"
	"time"

	"clientportal/store"
	"clientportal/store/storetest"
)

// TestUpdateAppointment: an appointment is found by its id alone, a change
// counts in its Sequence and keeps what a change cannot touch, and a
// cancelled one or a bad one is refused.
func TestUpdateAppointment(t *testing.T) {
	s := storetest.New(t)
	c, _, _, _ := twoClientCase(t, s)
	start := time.Date(2030, 3, 1, 15, 0, 0, 0, time.UTC)
	a := store.Appointment{CaseID: c.ID, Title: "Interview", Start: start, End: start.Add(time.Hour), CreatedBy: 7}
	if err := s.Update(ctx, func(tx *store.Tx) error { return tx.AddAppointment(&a) }); err != nil {
		t.Fatal(err)
	}
	err := s.Update(ctx, func(tx *store.Tx) error {
		got, err := tx.AppointmentByID(a.ID)
		if err != nil || got.CaseID != c.ID || got.Title != "Interview" {
			t.Errorf("AppointmentByID = %+v, %v", got, err)
		}
		if _, err := tx.AppointmentByID(a.ID + 100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a missing id: %v", err)
		}
		moved := got
		moved.Start, moved.End, moved.CreatedBy = start.Add(24*time.Hour), start.Add(25*time.Hour), 99
		after, err := tx.UpdateAppointment(moved)
		if err != nil || after.Sequence != 1 || !after.Start.Equal(moved.Start) || after.CreatedBy != 7 || after.Updated.IsZero() {
			t.Errorf("UpdateAppointment = %+v, %v", after, err)
		}
		bad := after
		bad.End = bad.Start
		if _, err := tx.UpdateAppointment(bad); !errors.Is(err, store.ErrAppointmentInput) {
			t.Errorf("end at start: %v", err)
		}
		if _, err := tx.CancelAppointment(c.ID, a.ID); err != nil {
			return err
		}
		if _, err := tx.UpdateAppointment(after); !errors.Is(err, store.ErrAppointmentCancelled) {
			t.Errorf("a cancelled appointment changed: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
