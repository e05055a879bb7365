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
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// staffClient is the staff API client of a demo staff member.
func staffClient(t *testing.T, env *servertest.Env, email string) *apiclient.Client {
	t.Helper()
	l := env.Login(t, "staff", email)
	_, login, err := env.Server.Auth().LoginStaff(t.Context(), l.Email, l.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithToken(login.Token))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func addAppointment(t *testing.T, staff *apiclient.Client, caseID uint64, in api.AppointmentInput) api.Appointment {
	t.Helper()
	ap, err := staff.AddAppointment(context.Background(), caseID, in)
	if err != nil {
		t.Fatalf("AddAppointment %+v: %v", in, err)
	}
	return ap
}

// TestAppointmentsPage: the tab lists the case's portal appointments,
// upcoming and past, at their times in the office's time zone with the zone
// named, in the client's language, and never a staff-only one.
func TestAppointmentsPage(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	admin := staffClient(t, env, "dana@riverside.example")
	ctx := context.Background()
	zone := "America/New_York"
	if set, err := admin.UpdateSettings(ctx, api.SettingsInput{TimeZone: &zone}); err != nil || set.TimeZone != zone {
		t.Fatalf("UpdateSettings time_zone: %+v, %v", set, err)
	}
	caseID := caseIDs(t, env, amina)[0]
	next := time.Now().AddDate(1, 0, 0).Year()
	// 20:00 UTC on 1 December is 15:00 in New York (EST), and 1 July 14:30
	// UTC is 10:30 (EDT).
	upcoming := addAppointment(t, staff, caseID, api.AppointmentInput{Title: "Interview at USCIS",
		Start: strconv.Itoa(next) + "-12-01T20:00:00Z", End: strconv.Itoa(next) + "-12-01T21:00:00Z",
		Place: "26 Federal Plaza", Link: "https://meet.example/abc", Note: "Bring your passport.", Portal: true})
	addAppointment(t, staff, caseID, api.AppointmentInput{Title: "Call with the court clerk",
		Start: strconv.Itoa(next) + "-07-01T14:30:00Z", End: strconv.Itoa(next) + "-07-01T15:00:00Z", Link: "tel:+1 555 0100", Portal: true})
	addAppointment(t, staff, caseID, api.AppointmentInput{Title: "First meeting",
		Start: "2024-03-05T14:00:00Z", End: "2024-03-05T15:00:00Z", Portal: true})
	addAppointment(t, staff, caseID, api.AppointmentInput{Title: "Staff strategy session",
		Start: strconv.Itoa(next) + "-11-01T14:00:00Z", End: strconv.Itoa(next) + "-11-01T15:00:00Z", Note: "internal only"})

	c := login(t, env, amina)
	a := get(t, c, caseURL(env, caseID, "appointments"))
	wantStatus(t, a, http.StatusOK)
	wantContains(t, a, "Your appointments", "America/New_York",
		"1 December "+strconv.Itoa(next)+", 15:00–16:00 EST", "1 July "+strconv.Itoa(next)+", 10:30–11:00 EDT",
		"5 March 2024, 09:00–10:00 EST", "26 Federal Plaza", `href="https://meet.example/abc"`, `href="tel:+15550100">+1 555 0100</a>`,
		"Bring your passport.", `href="/cases/`+strconv.FormatUint(caseID, 10)+`/appointments/`+strconv.FormatUint(upcoming.ID, 10)+`.ics"`,
		`aria-current="page">Appointments</a>`)
	wantNotContains(t, a, "Staff strategy session", "internal only")
	// Upcoming soonest first, then the past.
	if i, j, k := strings.Index(a.body, "Call with the court clerk"), strings.Index(a.body, "Interview at USCIS"), strings.Index(a.body, "First meeting"); !(i < j && j < k) || strings.Index(a.body, `id="past"`) > k {
		t.Errorf("order: call %d, interview %d, past %d: want upcoming soonest first, then past", i, j, k)
	}

	es := login(t, env, jose)
	josesCase := caseIDs(t, env, jose)[0]
	addAppointment(t, staff, josesCase, api.AppointmentInput{Title: "Audiencia",
		Start: strconv.Itoa(next) + "-12-01T20:00:00Z", End: strconv.Itoa(next) + "-12-01T21:00:00Z", Portal: true})
	a = get(t, es, caseURL(env, josesCase, "appointments"))
	wantContains(t, a, "Sus citas", "1 de diciembre de "+strconv.Itoa(next)+", 15:00–16:00 EST", "Añadir a mi calendario")
	b := get(t, es, caseURL(env, caseIDs(t, env, jose)[len(caseIDs(t, env, jose))-1], "appointments"))
	wantContains(t, b, "No tiene citas próximas")
}

// TestAppointmentICS: the download is an iCalendar file that a second,
// independent parser reads as one event at the right instant, read in
// another time zone; downloading it again gives the same UID.
func TestAppointmentICS(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	caseID := caseIDs(t, env, amina)[0]
	ap := addAppointment(t, staff, caseID, api.AppointmentInput{Title: "Interview at USCIS; room 4, floor 2",
		Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:30:00-05:00",
		Place: "26 Federal Plaza, New York", Note: "Bring your passport,\nand the letter.", Portal: true})
	c := login(t, env, amina)
	u := caseURL(env, caseID, "appointments/"+strconv.FormatUint(ap.ID, 10)+".ics")
	a := get(t, c, u)
	wantStatus(t, a, http.StatusOK)
	if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := a.resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	cal, err := goical.NewDecoder(strings.NewReader(a.body)).Decode()
	if err != nil {
		t.Fatalf("parse .ics: %v\n%s", err, a.body)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	ev := events[0]
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	start, err := ev.DateTimeStart(tokyo)
	if err != nil {
		t.Fatal(err)
	}
	end, err := ev.DateTimeEnd(tokyo)
	if err != nil {
		t.Fatal(err)
	}
	// 15:00 in New York on 1 December is 05:00 on 2 December in Tokyo.
	if got := start.In(tokyo); got.Format("2006-01-02 15:04") != "2026-12-02 05:00" || end.Sub(start) != 90*time.Minute {
		t.Errorf("start in Tokyo %s, length %s: want 2026-12-02 05:00 for 1h30", got, end.Sub(start))
	}
	for prop, want := range map[string]string{goical.PropSummary: "Interview at USCIS; room 4, floor 2",
		goical.PropLocation: "26 Federal Plaza, New York"} {
		if got, err := ev.Props.Text(prop); err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", prop, got, err, want)
		}
	}
	if desc, _ := ev.Props.Text(goical.PropDescription); !strings.Contains(desc, "Bring your passport,\nand the letter.") {
		t.Errorf("DESCRIPTION %q", desc)
	}
	uid, err := ev.Props.Text(goical.PropUID)
	if err != nil || uid == "" {
		t.Fatalf("UID %q, %v", uid, err)
	}
	again, err := goical.NewDecoder(strings.NewReader(get(t, c, u).body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if uid2, _ := again.Events()[0].Props.Text(goical.PropUID); uid2 != uid {
		t.Errorf("UID changed between downloads: %q then %q", uid, uid2)
	}
	seq := func(ev goical.Event) int {
		p := ev.Props.Get(goical.PropSequence)
		if p == nil {
			return 0
		}
		n, _ := strconv.Atoi(p.Value)
		return n
	}
	if status, _ := ev.Props.Text(goical.PropStatus); status != "CONFIRMED" {
		t.Errorf("STATUS %q, want CONFIRMED", status)
	}
	// Cancelled: the same UID, a higher SEQUENCE and STATUS:CANCELLED, so a
	// calendar that imports it again drops the entry it holds.
	if _, err := staff.CancelAppointment(context.Background(), caseID, ap.ID); err != nil {
		t.Fatal(err)
	}
	cancelled, err := goical.NewDecoder(strings.NewReader(get(t, c, u).body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	cev := cancelled.Events()[0]
	if uidC, _ := cev.Props.Text(goical.PropUID); uidC != uid {
		t.Errorf("UID after cancelling %q, want %q", uidC, uid)
	}
	if status, _ := cev.Props.Text(goical.PropStatus); status != "CANCELLED" || seq(cev) <= seq(ev) {
		t.Errorf("after cancelling: STATUS %q, SEQUENCE %d (was %d): want CANCELLED and higher", status, seq(cev), seq(ev))
	}
	wantContains(t, get(t, c, caseURL(env, caseID, "appointments")), `class="appointment__cancelled">Interview at USCIS; room 4, floor 2</span> <span class="tag">Cancelled</span>`)
	other := addAppointment(t, staff, caseID, api.AppointmentInput{Title: "Other", Start: "2026-12-02T15:00:00Z", End: "2026-12-02T16:00:00Z", Portal: true})
	third, err := goical.NewDecoder(strings.NewReader(get(t, c, caseURL(env, caseID, "appointments/"+strconv.FormatUint(other.ID, 10)+".ics")).body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if uid3, _ := third.Events()[0].Props.Text(goical.PropUID); uid3 == uid {
		t.Errorf("two appointments share the UID %q", uid)
	}
}
