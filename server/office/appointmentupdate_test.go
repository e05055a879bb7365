package office_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"clientportal/server/office"
	"clientportal/store"
)

// TestUpdateAppointment: only the fields sent change; each change counts in
// the Sequence; the events follow who may see the appointment before and
// after the change.
func TestUpdateAppointment(t *testing.T) {
	m := newMessageOffice(t)
	in := office.AppointmentInput{Title: "Interview", Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00",
		Place: "Room 4", Note: "Bring your passport", Portal: true}
	ap, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		typ       string
		staffOnly bool
	}
	for _, tc := range []struct {
		name   string
		ch     office.AppointmentChange
		check  func(store.Appointment) bool
		events []want
	}{
		{"moved, on the portal", office.AppointmentChange{Start: ptr("2026-12-02T15:00:00-05:00"), End: ptr("2026-12-02T16:00:00-05:00")},
			func(a store.Appointment) bool {
				return a.Start.Equal(time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC)) && a.Title == "Interview" && a.Place == "Room 4" && a.Portal
			},
			[]want{{"appointment.updated", false}}},
		{"hidden from the portal", office.AppointmentChange{Portal: ptr(false)},
			func(a store.Appointment) bool { return !a.Portal && a.Title == "Interview" },
			[]want{{"appointment.updated", true}, {"appointment.cancelled", false}}},
		{"renamed, staff only", office.AppointmentChange{Title: ptr("Interview (prep)"), Note: ptr("")},
			func(a store.Appointment) bool { return a.Title == "Interview (prep)" && a.Note == "" && !a.Portal },
			[]want{{"appointment.updated", true}}},
		{"shown on the portal", office.AppointmentChange{Portal: ptr(true), Link: ptr("https://meet.example/abc")},
			func(a store.Appointment) bool { return a.Portal && a.Link == "https://meet.example/abc" },
			[]want{{"appointment.updated", true}, {"appointment.created", false}}},
		{"the same values again: nothing written", office.AppointmentChange{Title: ptr("Interview (prep)"), Portal: ptr(true)},
			func(store.Appointment) bool { return true }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.pub.events = nil
			audit := auditCount(t, m.st)
			got, err := m.o.UpdateAppointment(ctx, m.staff, ap.ID, tc.ch)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(got) || got.ID != ap.ID || got.CaseID != m.anaCase.ID || got.Created != ap.Created {
				t.Errorf("after the change: %+v", got)
			}
			if tc.events == nil {
				if got.Sequence != ap.Sequence || len(m.pub.events) != 0 || auditCount(t, m.st) != audit {
					t.Errorf("a change of nothing wrote: sequence %d (was %d), %d events", got.Sequence, ap.Sequence, len(m.pub.events))
				}
				return
			}
			if got.Sequence != ap.Sequence+1 || got.Updated.IsZero() {
				t.Errorf("sequence %d after %d, updated %v", got.Sequence, ap.Sequence, got.Updated)
			}
			ap = got
			var have []want
			for _, e := range m.pub.events {
				if e.Ref != ap.ID || e.CaseID != m.anaCase.ID || e.StaffOnly != (len(e.ClientIDs) == 0) {
					t.Errorf("event %+v", e)
				}
				have = append(have, want{e.Type, e.StaffOnly})
			}
			if fmt.Sprint(have) != fmt.Sprint(tc.events) {
				t.Errorf("events %v, want %v", have, tc.events)
			}
			var stored store.Appointment
			m.st.View(ctx, func(tx *store.Tx) (err error) { stored, err = tx.Appointment(m.anaCase.ID, ap.ID); return err })
			if fmt.Sprint(stored) != fmt.Sprint(got) {
				t.Errorf("stored %+v, answered %+v", stored, got)
			}
		})
	}
}

// TestUpdateAppointmentRefusals: a bad change names the field and changes
// nothing; a cancelled appointment is a conflict; an unknown id not found.
func TestUpdateAppointmentRefusals(t *testing.T) {
	m := newMessageOffice(t)
	ap, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, office.AppointmentInput{Title: "Interview",
		Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00", Portal: true})
	if err != nil {
		t.Fatal(err)
	}
	m.pub.events = nil
	for _, tc := range []struct {
		name  string
		ch    office.AppointmentChange
		field string
	}{
		{"nothing sent", office.AppointmentChange{}, "appointment"},
		{"start after the kept end", office.AppointmentChange{Start: ptr("2026-12-01T17:00:00-05:00")}, "end"},
		{"end before the kept start", office.AppointmentChange{End: ptr("2026-12-01T14:00:00-05:00")}, "end"},
		{"no offset", office.AppointmentChange{Start: ptr("2026-12-01T15:00:00")}, "start"},
		{"empty title", office.AppointmentChange{Title: ptr(" ")}, "title"},
		{"script link", office.AppointmentChange{Link: ptr("javascript:alert(1)")}, "link"},
		{"overlong note", office.AppointmentChange{Note: ptr(strings.Repeat("n", office.MaxAppointmentNote+1))}, "note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			audit := auditCount(t, m.st)
			_, err := m.o.UpdateAppointment(ctx, m.staff, ap.ID, tc.ch)
			var oe *office.Error
			if !errors.As(err, &oe) || oe.Kind != office.Invalid || oe.Field != tc.field || oe.Message == "" {
				t.Fatalf("UpdateAppointment: %v, want an invalid %s", err, tc.field)
			}
			var stored store.Appointment
			m.st.View(ctx, func(tx *store.Tx) (err error) { stored, err = tx.Appointment(m.anaCase.ID, ap.ID); return err })
			if fmt.Sprint(stored) != fmt.Sprint(ap) || auditCount(t, m.st) != audit || len(m.pub.events) != 0 {
				t.Errorf("a refused change wrote something: %+v", stored)
			}
		})
	}
	if _, err := m.o.UpdateAppointment(ctx, m.staff, ap.ID+100, office.AppointmentChange{Title: ptr("x")}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := m.o.CancelAppointment(ctx, m.staff, m.anaCase.ID, ap.ID); err != nil {
		t.Fatal(err)
	}
	var oe *office.Error
	if _, err := m.o.UpdateAppointment(ctx, m.staff, ap.ID, office.AppointmentChange{Title: ptr("x")}); !errors.As(err, &oe) || oe.Kind != office.Conflict {
		t.Errorf("changing a cancelled appointment: %v, want a conflict", err)
	}
}
