package office

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"clientportal/server/apitext"
	"clientportal/store"
)

// Appointment text limits, in characters.
const (
	MaxAppointmentTitle = 200
	MaxAppointmentPlace = 300
	MaxAppointmentLink  = 500
	MaxAppointmentNote  = 2000
)

// MaxAppointmentLength is the longest appointment: a hearing may run for
// days, nothing the office books runs for months.
const MaxAppointmentLength = 31 * 24 * time.Hour

// AppointmentInput is a new appointment as staff write it: times in RFC 3339
// with their offset ("2026-12-01T15:00:00-05:00").
type AppointmentInput struct {
	Title, Start, End, Place, Link, Note string
	// Portal shows it to the case's clients.
	Portal bool
}

// AddAppointment adds an appointment to the case. Its event,
// appointment.created, reaches the case's clients only for a portal
// appointment; the others are staff only.
func (o *Office) AddAppointment(ctx context.Context, a Actor, caseID uint64, in AppointmentInput) (store.Appointment, error) {
	ap, err := appointmentFields(in)
	if err != nil {
		return store.Appointment{}, err
	}
	ap.CaseID, ap.CreatedBy = caseID, a.ID
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		if err := tx.AddAppointment(&ap); err != nil {
			return change{}, err
		}
		ev := caseEvent("appointment.created", c, ap.ID)
		detail := "portal appointment " + itoa(ap.ID)
		if !ap.Portal {
			ev.ClientIDs, ev.StaffOnly = nil, true
			detail = "internal appointment " + itoa(ap.ID)
		}
		return change{action: "case.appointment", target: target("case", caseID), detail: detail,
			events: []store.Event{ev}}, nil
	})
	return ap, err
}

// CancelAppointment cancels an appointment of the case: it stays, marked
// cancelled. Its event, appointment.cancelled, reaches the case's clients
// only for a portal appointment. Cancelling twice is a conflict.
func (o *Office) CancelAppointment(ctx context.Context, a Actor, caseID, id uint64) (store.Appointment, error) {
	var ap store.Appointment
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		ap, err = tx.CancelAppointment(caseID, id)
		if errors.Is(err, store.ErrAppointmentCancelled) {
			return change{}, conflict("appointment", apitext.New("appointment.appointment_was_already_cancelled", "this appointment was already cancelled"))
		}
		if err != nil {
			return change{}, err
		}
		ev := caseEvent("appointment.cancelled", c, ap.ID)
		if !ap.Portal {
			ev.ClientIDs, ev.StaffOnly = nil, true
		}
		return change{action: "case.appointment_cancel", target: target("case", caseID), detail: "appointment " + itoa(ap.ID),
			events: []store.Event{ev}}, nil
	})
	return ap, err
}

// AppointmentChange is a change to an appointment: only the fields that are
// not nil change, checked as AppointmentInput's.
type AppointmentChange struct {
	Title, Start, End, Place, Link, Note *string
	Portal                               *bool
}

// UpdateAppointment changes the fields of an appointment that ch sends,
// reading and writing it in one transaction, and counts the change in the
// appointment's Sequence so calendars replace the entry they hold. The
// event is appointment.updated: to the case's clients and staff for a
// portal appointment, staff only for a staff-only one. An appointment made
// visible on the portal is, to its clients, a new one (a further
// appointment.created for them); one hidden from the portal is, to them,
// called off (appointment.cancelled). A change that changes nothing writes
// nothing; a cancelled appointment cannot change (a conflict); an unknown id
// is store.ErrNotFound.
func (o *Office) UpdateAppointment(ctx context.Context, a Actor, id uint64, ch AppointmentChange) (store.Appointment, error) {
	if ch == (AppointmentChange{}) {
		return store.Appointment{}, invalid("appointment", apitext.New("appointment.send_least_one_title", "send at least one of title, start, end, place, link, note and portal"))
	}
	var ap store.Appointment
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		before, err := tx.AppointmentByID(id)
		if err != nil {
			return change{}, err
		}
		if !before.Cancelled.IsZero() {
			return change{}, conflict("appointment", apitext.New("appointment.appointment_was_cancelled_cannot", "this appointment was cancelled and cannot change: add a new one"))
		}
		in := AppointmentInput{Title: before.Title, Start: before.Start.Format(time.RFC3339Nano), End: before.End.Format(time.RFC3339Nano),
			Place: before.Place, Link: before.Link, Note: before.Note, Portal: before.Portal}
		for _, f := range []struct {
			to   *string
			from *string
		}{{&in.Title, ch.Title}, {&in.Start, ch.Start}, {&in.End, ch.End}, {&in.Place, ch.Place}, {&in.Link, ch.Link}, {&in.Note, ch.Note}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		if ch.Portal != nil {
			in.Portal = *ch.Portal
		}
		next, err := appointmentFields(in)
		if err != nil {
			return change{}, err
		}
		next.ID, next.CaseID = before.ID, before.CaseID
		changed := appointmentChanges(before, next)
		if len(changed) == 0 {
			ap = before
			return change{}, errUnchanged
		}
		if ap, err = tx.UpdateAppointment(next); err != nil {
			return change{}, err
		}
		c, err := tx.Case(ap.CaseID)
		if err != nil {
			return change{}, err
		}
		ev := caseEvent("appointment.updated", c, ap.ID)
		events := []store.Event{ev}
		switch {
		case !before.Portal && !ap.Portal:
			events[0].ClientIDs, events[0].StaffOnly = nil, true
		case before.Portal != ap.Portal:
			events[0].ClientIDs, events[0].StaffOnly = nil, true
			typ := "appointment.created"
			if !ap.Portal {
				typ = "appointment.cancelled"
			}
			events = append(events, caseEvent(typ, c, ap.ID))
		}
		return change{action: "case.appointment_update", target: target("case", ap.CaseID),
			detail: "appointment " + itoa(ap.ID) + ": " + strings.Join(changed, ", "), events: events}, nil
	})
	if errors.Is(err, errUnchanged) {
		return ap, nil
	}
	return ap, err
}

// errUnchanged ends a change's transaction that has nothing to write.
var errUnchanged = errors.New("nothing changed")

// appointmentChanges names the fields in which a and b differ.
func appointmentChanges(a, b store.Appointment) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{{"title", a.Title == b.Title}, {"start", a.Start.Equal(b.Start)}, {"end", a.End.Equal(b.End)}, {"place", a.Place == b.Place},
		{"link", a.Link == b.Link}, {"note", a.Note == b.Note}, {"portal", a.Portal == b.Portal}} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

// appointmentFields checks the input field by field, so the error names
// what to fix.
func appointmentFields(in AppointmentInput) (store.Appointment, error) {
	var ap store.Appointment
	var err error
	if ap.Title, err = text("title", in.Title, MaxAppointmentTitle, true); err != nil {
		return ap, err
	}
	if ap.Start, err = rfc3339("start", in.Start); err != nil {
		return ap, err
	}
	if ap.End, err = rfc3339("end", in.End); err != nil {
		return ap, err
	}
	switch d := ap.End.Sub(ap.Start); {
	case d <= 0:
		return ap, invalid("end", apitext.New("appointment.end_after_start", "end must be after start"))
	case d > MaxAppointmentLength:
		return ap, invalid("end", apitext.New("appointment.appointment_may_last_most", "an appointment may last at most 31 days: check end"))
	}
	if ap.Place, err = text("place", in.Place, MaxAppointmentPlace, false); err != nil {
		return ap, err
	}
	if ap.Link, err = text("link", in.Link, MaxAppointmentLink, false); err != nil {
		return ap, err
	}
	if ap.Link != "" {
		u, err := url.Parse(ap.Link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "tel") || u.Opaque == "" && u.Host == "" {
			return ap, invalid("link", apitext.New("appointment.link_web_address_https", `link must be a web address ("https://...") or a phone number ("tel:+1...")`))
		}
	}
	if ap.Note, err = longText("note", strings.ReplaceAll(in.Note, "\r\n", "\n"), MaxAppointmentNote); err != nil {
		return ap, err
	}
	ap.Portal = in.Portal
	return ap, nil
}

func rfc3339(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, invalid(field, apitext.New("appointment.time_format", `{{.Field}} must be a time in RFC 3339 with its offset, such as "2026-12-01T15:00:00-05:00"`, "Field", field))
	}
	return t, nil
}
