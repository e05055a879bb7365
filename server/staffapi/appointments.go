package staffapi

import (
	"net/http"

	"clientportal/server/api"
	"clientportal/server/office"
	"clientportal/store"
)

func appointmentView(a store.Appointment) api.Appointment {
	return api.Appointment{ID: a.ID, CaseID: a.CaseID, Title: a.Title, Start: a.Start, End: a.End, Place: a.Place,
		Link: a.Link, Note: a.Note, Portal: a.Portal, Created: a.Created, CreatedBy: a.CreatedBy, Cancelled: optTime(a.Cancelled),
		Sequence: a.Sequence, Updated: optTime(a.Updated)}
}

// listAppointments answers the case's appointments, staff-only ones
// included, earliest first.
func (a *API) listAppointments(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.Appointment], error) {
		var page api.Page[api.Appointment]
		if _, err := tx.Case(id); err != nil {
			return page, err
		}
		list, err := tx.Appointments(id, false)
		if err != nil {
			return page, err
		}
		page.Items = make([]api.Appointment, len(list))
		for i, ap := range list {
			page.Items[i] = appointmentView(ap)
		}
		return page, nil
	})
}

// postAppointment adds an appointment to the case.
func (a *API) postAppointment(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.AppointmentInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	ap, err := a.office.AddAppointment(r.ctx(), r.actor(), id, office.AppointmentInput{Title: in.Title, Start: in.Start,
		End: in.End, Place: in.Place, Link: in.Link, Note: in.Note, Portal: in.Portal})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, appointmentView(ap))
	return nil
}

// cancelAppointment cancels an appointment of the case; it stays, marked.
func (a *API) cancelAppointment(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "appointment")
	if err != nil {
		return err
	}
	ap, err := a.office.CancelAppointment(r.ctx(), r.actor(), id, aid)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appointmentView(ap))
	return nil
}

// updateAppointment changes the fields of an appointment that the body
// sends (PATCH /api/v1/appointments/{id}).
func (a *API) updateAppointment(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.AppointmentChange
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	ap, err := a.office.UpdateAppointment(r.ctx(), r.actor(), id, office.AppointmentChange{Title: in.Title, Start: in.Start,
		End: in.End, Place: in.Place, Link: in.Link, Note: in.Note, Portal: in.Portal})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, appointmentView(ap))
	return nil
}
