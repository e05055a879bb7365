package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// Appointments is bound to the frontend as window.go.app.Appointments:
// add, move or change, and cancel a case's appointments. Times go both ways
// as wall-clock times in the office's time zone (the setting time_zone,
// the zone the portal shows its clients), whatever this computer's zone.
type Appointments struct {
	link *link
}

// localLayout is a wall-clock time as the window's date and time fields
// give it: "2026-12-10T09:30".
const localLayout = "2006-01-02T15:04"

// AppointmentInput is a new appointment: Start and End as "YYYY-MM-DDTHH:MM"
// in the office's time zone; Place, or Link (a phone or video call link).
type AppointmentInput struct {
	Title  string `json:"title"`
	Start  string `json:"start"`
	End    string `json:"end"`
	Place  string `json:"place"`
	Link   string `json:"link"`
	Note   string `json:"note"`
	Portal bool   `json:"portal"` // show it to the case's clients
}

// AppointmentChange changes the fields it gives (the others keep their
// value); Start and End as AppointmentInput's.
type AppointmentChange struct {
	Title  *string `json:"title,omitempty"`
	Start  *string `json:"start,omitempty"`
	End    *string `json:"end,omitempty"`
	Place  *string `json:"place,omitempty"`
	Link   *string `json:"link,omitempty"`
	Note   *string `json:"note,omitempty"`
	Portal *bool   `json:"portal,omitempty"`
}

// TimeZone is the office's time zone (an IANA name such as
// "America/New_York"), the one appointments are entered and shown in.
func (a *Appointments) TimeZone() (string, error) {
	var out string
	err := a.link.call(apitext.New("doing.read_office_s_time_zone", "read the office's time zone"), func(ctx context.Context, c *apiclient.Client) error {
		loc, err := officeZone(ctx, c)
		if loc != nil {
			out = loc.String()
		}
		return err
	})
	return out, err
}

// Add adds an appointment to the case.
func (a *Appointments) Add(caseID uint64, in AppointmentInput) (Appointment, error) {
	var out Appointment
	err := a.link.call(apitext.New("doing.add_appointment", "add the appointment"), func(ctx context.Context, c *apiclient.Client) error {
		loc, err := officeZone(ctx, c)
		if err != nil {
			return err
		}
		start, err := instant(in.Start, loc, "start")
		if err != nil {
			return err
		}
		end, err := instant(in.End, loc, "end")
		if err != nil {
			return err
		}
		ap, err := c.AddAppointment(ctx, caseID, api.AppointmentInput{Title: strings.TrimSpace(in.Title), Start: start, End: end,
			Place: strings.TrimSpace(in.Place), Link: strings.TrimSpace(in.Link), Note: strings.TrimSpace(in.Note), Portal: in.Portal})
		out = appointment(ap, loc)
		return err
	})
	return out, err
}

// Update moves or changes an appointment: only the fields given change.
func (a *Appointments) Update(id uint64, ch AppointmentChange) (Appointment, error) {
	var out Appointment
	err := a.link.call(apitext.New("doing.change_appointment", "change the appointment"), func(ctx context.Context, c *apiclient.Client) error {
		loc, err := officeZone(ctx, c)
		if err != nil {
			return err
		}
		in := api.AppointmentChange{Title: trimmed(ch.Title), Place: trimmed(ch.Place), Link: trimmed(ch.Link), Note: trimmed(ch.Note), Portal: ch.Portal}
		for _, f := range []struct {
			from *string
			to   **string
			name string
		}{{ch.Start, &in.Start, "start"}, {ch.End, &in.End, "end"}} {
			if f.from == nil {
				continue
			}
			s, err := instant(*f.from, loc, f.name)
			if err != nil {
				return err
			}
			*f.to = &s
		}
		ap, err := c.UpdateAppointment(ctx, id, in)
		out = appointment(ap, loc)
		return err
	})
	return out, err
}

// Cancel cancels an appointment of the case; it stays listed, marked.
func (a *Appointments) Cancel(caseID, id uint64) (Appointment, error) {
	var out Appointment
	err := a.link.call(apitext.New("doing.cancel_appointment", "cancel the appointment"), func(ctx context.Context, c *apiclient.Client) error {
		loc, err := officeZone(ctx, c)
		if err != nil {
			return err
		}
		ap, err := c.CancelAppointment(ctx, caseID, id)
		out = appointment(ap, loc)
		return err
	})
	return out, err
}

// officeZone reads the office's time zone; an unknown name (an old
// setting) is UTC, as the portal does.
func officeZone(ctx context.Context, c *apiclient.Client) (*time.Location, error) {
	set, err := c.Settings(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(set.TimeZone)
	if err != nil || set.TimeZone == "" {
		return time.UTC, nil
	}
	return loc, nil
}

// instant reads a wall-clock time of the window in the office's zone and
// writes it as RFC 3339 with its offset.
func instant(local string, loc *time.Location, field string) (string, error) {
	t, err := time.ParseInLocation(localLayout, strings.TrimSpace(local), loc)
	if err != nil {
		return "", uiText(apitext.New("error.time_format", "the {{.Field}} time {{.Value}} is not a date and time such as 2026-12-10T09:30: fill in the date and the time", "Field", fieldName(field), "Value", strconv.Quote(local)), err)
	}
	return t.Format(time.RFC3339), nil
}

func appointment(a api.Appointment, loc *time.Location) Appointment {
	ap := Appointment{ID: a.ID, Title: a.Title, Start: stamp(a.Start), End: stamp(a.End), Place: a.Place,
		Link: a.Link, Note: a.Note, Portal: a.Portal}
	if a.Cancelled != nil {
		ap.Cancelled = stamp(*a.Cancelled)
	}
	if loc != nil && !a.Start.IsZero() {
		ap.LocalStart, ap.LocalEnd, ap.Zone = a.Start.In(loc).Format(localLayout), a.End.In(loc).Format(localLayout), loc.String()
	}
	return ap
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

// fieldName is how an appointment's time field is named in a message.
func fieldName(field string) apitext.Text {
	switch field {
	case "start":
		return apitext.New("field.start", "start")
	case "end":
		return apitext.New("field.end", "end")
	}
	return apitext.Text{English: field}
}
