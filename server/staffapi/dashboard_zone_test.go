package staffapi_test

import (
	"testing"
	"time"

	"clientportal/server/office"
	"clientportal/server/servertest"
	"clientportal/store"
)

// TestDashboardActivityInOfficeZone: the weeks of "activity over recent
// weeks" are the office's weeks (Monday to Sunday in the time zone of its
// settings), not UTC's: a message a client writes on Sunday evening in Los
// Angeles, already Monday in UTC, counts in that Sunday's week.
func TestDashboardActivityInOfficeZone(t *testing.T) {
	env := servertest.Start(t, servertest.WithClock())
	ctx := t.Context()
	caseID, jose := josesCase(t, env)

	// The next Monday, 05:00 UTC: Sunday 21:00 in Los Angeles (UTC-8).
	now := env.Clock.Now().UTC()
	monday := time.Date(now.Year(), now.Month(), now.Day(), 5, 0, 0, 0, time.UTC)
	for monday.Weekday() != time.Monday || !monday.After(now) {
		monday = monday.AddDate(0, 0, 1)
	}
	env.Clock.Advance(monday.Sub(now))
	if _, err := office.New(env.Store, nil).PostClientMessage(ctx, jose, caseID, "Sunday evening question"); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(2 * 24 * time.Hour) // Wednesday of the same week
	marcus := staffClient(t, env, "marcus@riverside.example")

	weekOf := func(zone string) (weeks []string, messages []int) {
		t.Helper()
		err := env.Store.Update(ctx, func(tx *store.Tx) error {
			s, err := tx.Settings()
			if err != nil {
				return err
			}
			s.TimeZone = zone
			return tx.PutSettings(s)
		})
		if err != nil {
			t.Fatal(err)
		}
		d, err := marcus.Dashboard(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range d.Activity {
			weeks = append(weeks, w.Week)
			messages = append(messages, w.Messages)
		}
		return weeks, messages
	}
	utcWeeks, utc := weekOf("UTC")
	laWeeks, la := weekOf("America/Los_Angeles")
	thisMonday := monday.Format(time.DateOnly)
	lastMonday := monday.AddDate(0, 0, -7).Format(time.DateOnly)
	if utcWeeks[2] != thisMonday || laWeeks[2] != thisMonday || laWeeks[1] != lastMonday {
		t.Fatalf("weeks: UTC %v, Los Angeles %v; want the last to start %s", utcWeeks, laWeeks, thisMonday)
	}
	// In UTC the message is this week's; in Los Angeles, last week's.
	if utc[2] != la[2]+1 || la[1] != utc[1]+1 {
		t.Errorf("messages per week: UTC %v, Los Angeles %v; want the Sunday-evening message moved from this week to the last", utc, la)
	}
}
