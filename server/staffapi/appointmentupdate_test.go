package staffapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestUpdateAppointmentAPI: PATCH /api/v1/appointments/{id} against the real
// service changes only the fields sent; refusals name the field and change
// nothing; concurrent changes of different fields all survive (each reads
// and writes in one transaction), each counted in the sequence.
func TestUpdateAppointmentAPI(t *testing.T) {
	env := servertest.Start(t)
	ctx := t.Context()
	staff := staffClient(t, env, "marcus@riverside.example")
	caseID, _ := josesCase(t, env)
	ap := ok[api.Appointment](t, "add")(staff.AddAppointment(ctx, caseID, api.AppointmentInput{Title: "Interview",
		Start: "2030-12-01T15:00:00-05:00", End: "2030-12-01T16:00:00-05:00", Place: "Room 4", Note: "Bring your passport", Portal: true}))
	moved := ok[api.Appointment](t, "move")(staff.UpdateAppointment(ctx, ap.ID, api.AppointmentChange{
		Start: ptr("2030-12-03T09:30:00-05:00"), End: ptr("2030-12-03T10:30:00-05:00")}))
	if !moved.Start.Equal(time.Date(2030, 12, 3, 14, 30, 0, 0, time.UTC)) || moved.Title != "Interview" || moved.Place != "Room 4" ||
		moved.Note != "Bring your passport" || !moved.Portal || moved.Sequence != 1 || moved.Updated == nil || moved.CaseID != caseID {
		t.Errorf("moved: %+v", moved)
	}
	list := ok[api.Page[api.Appointment]](t, "list")(staff.Appointments(ctx, caseID))
	if len(list.Items) != 1 || fmt.Sprint(list.Items[0]) != fmt.Sprint(moved) {
		t.Errorf("listed %+v, want %+v", list.Items, moved)
	}

	c := login(t, env, "marcus@riverside.example")
	path := fmt.Sprintf("/api/v1/appointments/%d", ap.ID)
	before := snapshot(t, env.Store)
	for _, tt := range []struct {
		name, path string
		body       any
		status     int
		field      string
	}{
		{"nothing sent", path, `{}`, 422, "appointment"},
		{"end before the kept start", path, `{"end":"2030-12-03T08:00:00-05:00"}`, 422, "end"},
		{"bad RFC 3339", path, `{"start":"3 December, 9:30"}`, 422, "start"},
		{"empty title", path, `{"title":""}`, 422, "title"},
		{"script link", path, `{"link":"javascript:alert(1)"}`, 422, "link"},
		{"portal not a boolean", path, `{"portal":"yes"}`, 400, "portal"},
		{"unknown field", path, `{"case_id":2}`, 400, "case_id"},
		{"missing appointment", "/api/v1/appointments/999999", `{"title":"x"}`, 404, ""},
		{"not an id", "/api/v1/appointments/abc", `{"title":"x"}`, 404, ""},
	} {
		status, body := c.do("PATCH", tt.path, tt.body)
		if status != tt.status || (tt.field != "" && !strings.Contains(string(body), `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: %d %s, want %d naming %q", tt.name, status, body, tt.status, tt.field)
		}
	}
	if snapshot(t, env.Store) != before {
		t.Error("refused changes changed the store")
	}
	if status, _ := (caller{t: t, env: env}).do("PATCH", path, `{"title":"x"}`); status != http.StatusUnauthorized {
		t.Errorf("without a session: %d", status)
	}

	// Concurrent changes of different fields: none is lost.
	const rounds = 10
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	for i := range rounds {
		wg.Go(func() {
			_, err := staff.UpdateAppointment(ctx, ap.ID, api.AppointmentChange{Title: ptr(fmt.Sprintf("Interview %d", i))})
			errs <- err
		})
		wg.Go(func() {
			_, err := staff.UpdateAppointment(ctx, ap.ID, api.AppointmentChange{Note: ptr(fmt.Sprintf("Note %d", i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	list = ok[api.Page[api.Appointment]](t, "list")(staff.Appointments(ctx, caseID))
	got := list.Items[0]
	if !strings.HasPrefix(got.Title, "Interview ") || !strings.HasPrefix(got.Note, "Note ") || !got.Start.Equal(moved.Start) ||
		got.Sequence != 1+2*rounds {
		t.Errorf("after %d concurrent changes of the title and %d of the note: %+v (sequence %d)", rounds, rounds, got, got.Sequence)
	}
}
