package portal_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestAppointmentICSAfterMove: after staff move a portal appointment, its
// .ics, read by the second parser, has the same UID, the new time (read in
// another time zone) and a higher SEQUENCE, so a calendar that imports it
// again moves its entry; the appointments page shows the new time. Hidden
// from the portal, it is gone for the client.
func TestAppointmentICSAfterMove(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	caseID := caseIDs(t, env, amina)[0]
	ap := addAppointment(t, staff, caseID, api.AppointmentInput{Title: "Interview",
		Start: "2030-12-01T15:00:00-05:00", End: "2030-12-01T16:00:00-05:00", Portal: true})
	c := login(t, env, amina)
	u := caseURL(env, caseID, "appointments/"+strconv.FormatUint(ap.ID, 10)+".ics")
	read := func() goical.Event {
		t.Helper()
		a := get(t, c, u)
		wantStatus(t, a, http.StatusOK)
		cal, err := goical.NewDecoder(strings.NewReader(a.body)).Decode()
		if err != nil {
			t.Fatalf("parse .ics: %v\n%s", err, a.body)
		}
		if len(cal.Events()) != 1 {
			t.Fatalf("%d events", len(cal.Events()))
		}
		return cal.Events()[0]
	}
	seq := func(ev goical.Event) int {
		p := ev.Props.Get(goical.PropSequence)
		if p == nil {
			return 0
		}
		n, _ := strconv.Atoi(p.Value)
		return n
	}
	first := read()
	uid, _ := first.Props.Text(goical.PropUID)
	if _, err := staff.UpdateAppointment(context.Background(), ap.ID, api.AppointmentChange{
		Start: ptr("2030-12-03T09:30:00-05:00"), End: ptr("2030-12-03T11:00:00-05:00"), Place: ptr("Room 7")}); err != nil {
		t.Fatal(err)
	}
	moved := read()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	start, err := moved.DateTimeStart(tokyo)
	if err != nil {
		t.Fatal(err)
	}
	end, err := moved.DateTimeEnd(tokyo)
	if err != nil {
		t.Fatal(err)
	}
	// 09:30 in New York on 3 December is 23:30 on 3 December in Tokyo.
	if got := start.In(tokyo).Format("2006-01-02 15:04"); got != "2030-12-03 23:30" || end.Sub(start) != 90*time.Minute {
		t.Errorf("moved: start in Tokyo %s, length %s; want 2030-12-03 23:30 for 1h30", got, end.Sub(start))
	}
	if uid2, _ := moved.Props.Text(goical.PropUID); uid2 != uid {
		t.Errorf("UID %q after the move, was %q", uid2, uid)
	}
	if seq(moved) <= seq(first) {
		t.Errorf("SEQUENCE %d after the move, was %d: calendars would keep the old time", seq(moved), seq(first))
	}
	if place, _ := moved.Props.Text(goical.PropLocation); place != "Room 7" {
		t.Errorf("LOCATION %q", place)
	}
	if status, _ := moved.Props.Text(goical.PropStatus); status != "CONFIRMED" {
		t.Errorf("STATUS %q", status)
	}
	page := get(t, c, caseURL(env, caseID, "appointments"))
	wantContains(t, page, "Room 7")
	if strings.Contains(page.body, "1 December") || strings.Contains(page.body, "December 1,") {
		t.Errorf("the page still shows the old day:\n%s", page.body)
	}
	if _, err := staff.UpdateAppointment(context.Background(), ap.ID, api.AppointmentChange{Portal: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, get(t, c, u), http.StatusNotFound)
	if page := get(t, c, caseURL(env, caseID, "appointments")); strings.Contains(page.body, "Interview") {
		t.Error("an appointment hidden from the portal still shows")
	}
}

func ptr[T any](v T) *T { return &v }
