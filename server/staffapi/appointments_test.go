package staffapi_test

import (
	"fmt"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/office"
	"clientportal/server/servertest"
)

// TestAppointmentInputIsChecked: every bad appointment is refused with the
// field to fix, and nothing changes.
func TestAppointmentInputIsChecked(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, "marcus@riverside.example")
	admin := login(t, env, "dana@riverside.example")
	caseID, _ := josesCase(t, env)
	path := fmt.Sprintf("/api/v1/cases/%d/appointments", caseID)
	good := api.AppointmentInput{Title: "Interview", Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00", Portal: true}
	with := func(f func(*api.AppointmentInput)) api.AppointmentInput { in := good; f(&in); return in }
	before := snapshot(t, env.Store)
	for _, tt := range []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"end before start", "POST", path, with(func(in *api.AppointmentInput) { in.End = "2026-12-01T14:00:00-05:00" }), 422, "end"},
		{"bad RFC 3339", "POST", path, with(func(in *api.AppointmentInput) { in.Start = "2026-12-01 15:00" }), 422, "start"},
		{"no title", "POST", path, with(func(in *api.AppointmentInput) { in.Title = "" }), 422, "title"},
		{"overlong title", "POST", path, with(func(in *api.AppointmentInput) { in.Title = strings.Repeat("t", office.MaxAppointmentTitle+1) }), 422, "title"},
		{"overlong note", "POST", path, with(func(in *api.AppointmentInput) { in.Note = strings.Repeat("n", office.MaxAppointmentNote+1) }), 422, "note"},
		{"script link", "POST", path, with(func(in *api.AppointmentInput) { in.Link = "javascript:alert(1)" }), 422, "link"},
		{"portal not a boolean", "POST", path, `{"title":"T","start":"2026-12-01T15:00:00Z","end":"2026-12-01T16:00:00Z","portal":"yes"}`, 400, "portal"},
		{"unknown field", "POST", path, `{"title":"T","start":"2026-12-01T15:00:00Z","end":"2026-12-01T16:00:00Z","visible":true}`, 400, "visible"},
		{"missing case", "POST", "/api/v1/cases/999999/appointments", good, 404, ""},
		{"missing case list", "GET", "/api/v1/cases/999999/appointments", nil, 404, ""},
		{"cancel a missing appointment", "POST", path + "/999999/cancel", nil, 404, ""},
		{"cancel under a missing case", "POST", "/api/v1/cases/999999/appointments/1/cancel", nil, 404, ""},
		{"bad time zone", "PATCH", "/api/v1/settings", `{"time_zone":"Mars/Olympus"}`, 422, "time_zone"},
	} {
		cl := c
		if tt.method == "PATCH" {
			cl = admin
		}
		status, body := cl.do(tt.method, tt.path, tt.body)
		if status != tt.status || (tt.field != "" && !strings.Contains(string(body), `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: %d %s, want %d naming %q", tt.name, status, body, tt.status, tt.field)
		}
	}
	if snapshot(t, env.Store) != before {
		t.Error("refused appointment requests changed the store")
	}
}
