package office_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"clientportal/server/office"
	"clientportal/store"
)

func TestAddAppointmentEvents(t *testing.T) {
	m := newMessageOffice(t)
	in := office.AppointmentInput{Title: "Interview", Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00",
		Place: "26 Federal Plaza", Link: "tel:+1 555 0100", Note: "Bring\r\nyour passport", Portal: true}
	ap, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if !ap.Start.Equal(time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)) || ap.Note != "Bring\nyour passport" || ap.CreatedBy != m.staff.ID {
		t.Errorf("AddAppointment = %+v", ap)
	}
	in.Portal = false
	internal, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.pub.events) != 2 {
		t.Fatalf("published %+v, want two events", m.pub.events)
	}
	portal, staff := m.pub.events[0], m.pub.events[1]
	if portal.Type != "appointment.created" || portal.Ref != ap.ID || portal.StaffOnly || len(portal.ClientIDs) != 1 || portal.ClientIDs[0] != m.ana.ID {
		t.Errorf("portal appointment event %+v: want it for the case's client", portal)
	}
	if staff.Type != "appointment.created" || staff.Ref != internal.ID || !staff.StaffOnly || len(staff.ClientIDs) != 0 {
		t.Errorf("staff-only appointment event %+v: want it staff only", staff)
	}
}

// TestCancelAppointment: cancelling marks the appointment and raises
// appointment.cancelled (staff only for a staff-only one); cancelling again,
// or under another case, is refused and writes nothing.
func TestCancelAppointment(t *testing.T) {
	m := newMessageOffice(t)
	in := office.AppointmentInput{Title: "Interview", Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00", Portal: true}
	portal, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Portal = false
	internal, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	m.pub.events = nil
	got, err := m.o.CancelAppointment(ctx, m.staff, m.anaCase.ID, portal.ID)
	if err != nil || got.Cancelled.IsZero() || got.Sequence != 1 {
		t.Fatalf("CancelAppointment = %+v, %v", got, err)
	}
	if _, err := m.o.CancelAppointment(ctx, m.staff, m.anaCase.ID, internal.ID); err != nil {
		t.Fatal(err)
	}
	if len(m.pub.events) != 2 {
		t.Fatalf("published %+v", m.pub.events)
	}
	if e := m.pub.events[0]; e.Type != "appointment.cancelled" || e.Ref != portal.ID || e.StaffOnly || len(e.ClientIDs) != 1 {
		t.Errorf("portal cancel event %+v", e)
	}
	if e := m.pub.events[1]; e.Type != "appointment.cancelled" || e.Ref != internal.ID || !e.StaffOnly || len(e.ClientIDs) != 0 {
		t.Errorf("staff-only cancel event %+v", e)
	}
	before := auditCount(t, m.st)
	var oe *office.Error
	if _, err := m.o.CancelAppointment(ctx, m.staff, m.anaCase.ID, portal.ID); !errors.As(err, &oe) || oe.Kind != office.Conflict {
		t.Errorf("cancelling twice: %v, want a conflict", err)
	}
	if _, err := m.o.CancelAppointment(ctx, m.staff, m.bCase.ID, internal.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cancelling under another case: %v, want not found", err)
	}
	if auditCount(t, m.st) != before || len(m.pub.events) != 2 {
		t.Error("a refused cancel wrote something")
	}
}

// TestAddAppointmentRefusesBadInput: each bad input is refused with the
// field to fix, and nothing is written (no appointment, no audit entry, no
// event).
func TestAddAppointmentRefusesBadInput(t *testing.T) {
	m := newMessageOffice(t)
	good := office.AppointmentInput{Title: "Interview", Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00"}
	with := func(f func(*office.AppointmentInput)) office.AppointmentInput { in := good; f(&in); return in }
	for _, tc := range []struct {
		name  string
		in    office.AppointmentInput
		field string
	}{
		{"no title", with(func(in *office.AppointmentInput) { in.Title = "  " }), "title"},
		{"overlong title", with(func(in *office.AppointmentInput) { in.Title = strings.Repeat("x", office.MaxAppointmentTitle+1) }), "title"},
		{"title with a line break", with(func(in *office.AppointmentInput) { in.Title = "a\nb" }), "title"},
		{"no offset", with(func(in *office.AppointmentInput) { in.Start = "2026-12-01T15:00:00" }), "start"},
		{"a date only", with(func(in *office.AppointmentInput) { in.End = "2026-12-01" }), "end"},
		{"not a time", with(func(in *office.AppointmentInput) { in.Start = "tomorrow at 3" }), "start"},
		{"end before start", with(func(in *office.AppointmentInput) { in.End = "2026-12-01T14:00:00-05:00" }), "end"},
		{"end at start", with(func(in *office.AppointmentInput) { in.End = in.Start }), "end"},
		{"end before start across zones", with(func(in *office.AppointmentInput) { in.End = "2026-12-01T20:30:00+01:00" }), "end"},
		{"longer than 31 days", with(func(in *office.AppointmentInput) { in.End = "2027-01-02T16:00:00-05:00" }), "end"},
		{"overlong place", with(func(in *office.AppointmentInput) { in.Place = strings.Repeat("p", office.MaxAppointmentPlace+1) }), "place"},
		{"overlong note", with(func(in *office.AppointmentInput) { in.Note = strings.Repeat("n", office.MaxAppointmentNote+1) }), "note"},
		{"script link", with(func(in *office.AppointmentInput) { in.Link = "javascript:alert(1)" }), "link"},
		{"link without host", with(func(in *office.AppointmentInput) { in.Link = "https://" }), "link"},
		{"bad UTF-8", with(func(in *office.AppointmentInput) { in.Place = "\xff" }), "place"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, m.st)
			_, err := m.o.AddAppointment(ctx, m.staff, m.anaCase.ID, tc.in)
			var oe *office.Error
			if !errors.As(err, &oe) || oe.Kind != office.Invalid || oe.Field != tc.field || oe.Message == "" {
				t.Fatalf("AddAppointment: %v, want an invalid %s", err, tc.field)
			}
			var list []store.Appointment
			if err := m.st.View(ctx, func(tx *store.Tx) (err error) { list, err = tx.Appointments(m.anaCase.ID, false); return err }); err != nil {
				t.Fatal(err)
			}
			if len(list) != 0 || auditCount(t, m.st) != before || len(m.pub.events) != 0 {
				t.Errorf("a refused appointment wrote something: %d appointments, %d events", len(list), len(m.pub.events))
			}
		})
	}
	if _, err := m.o.AddAppointment(ctx, m.staff, 999, good); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddAppointment to a missing case: %v, want not found", err)
	}
}

func TestTimeZoneSetting(t *testing.T) {
	m := newMessageOffice(t)
	admin := m.staff
	for _, bad := range []string{"", "Local", "Mars/Olympus", "America/New York", "../../etc/passwd"} {
		if _, err := m.o.UpdateSettings(ctx, admin, office.SettingsFields{TimeZone: ptr(bad)}); err == nil {
			t.Errorf("time_zone %q accepted", bad)
		}
	}
	s, err := m.o.UpdateSettings(ctx, admin, office.SettingsFields{TimeZone: ptr("America/New_York")})
	if err != nil || s.TimeZone != "America/New_York" || s.Location().String() != "America/New_York" {
		t.Errorf("time_zone America/New_York: %+v, %v", s.TimeZone, err)
	}
}
