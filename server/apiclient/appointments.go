package apiclient

import (
	"context"
	"net/http"

	"clientportal/server/api"
)

// UpdateAppointment changes the fields of an appointment that ch sends
// (moving it, renaming it, showing it on the portal or hiding it).
func (c *Client) UpdateAppointment(ctx context.Context, id uint64, ch api.AppointmentChange) (api.Appointment, error) {
	var out api.Appointment
	return out, c.call(ctx, http.MethodPatch, path(api.PathAppointment, id), nil, ch, &out)
}
