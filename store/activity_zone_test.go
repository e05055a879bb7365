package store_test

import (
	"testing"
	"time"

	"clientportal/store"
	"clientportal/store/storetest"
)

// TestActivityIn: activity is counted per quarter hour, so the days are
// those of any zone: sign-ins just before and just after midnight in
// Kathmandu (UTC+05:45) and across New York's change to summer time fall
// on their own local days, and UTC's days stay as they were.
func TestActivityIn(t *testing.T) {
	var now time.Time
	s := storetest.NewWithClock(t, func() time.Time { return now })
	signIn := func(at string) {
		t.Helper()
		var err error
		if now, err = time.Parse(time.RFC3339, at); err != nil {
			t.Fatal(err)
		}
		if err := s.Update(t.Context(), func(tx *store.Tx) error {
			return tx.Audit(store.AuditEntry{ActorKind: "client", ActorID: 1, Action: "client.login"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	signIn("2026-03-01T18:14:00Z") // 23:59 in Kathmandu, 1 March
	signIn("2026-03-01T18:15:00Z") // 00:00 in Kathmandu, 2 March
	signIn("2026-03-08T06:59:00Z") // 01:59 EST in New York, 8 March
	signIn("2026-03-08T07:00:00Z") // 03:00 EDT, still 8 March
	signIn("2026-03-09T03:59:00Z") // 23:59 EDT, 8 March
	signIn("2026-03-09T04:00:00Z") // 00:00 EDT, 9 March

	count := func(zone, from, to string) map[string]int {
		t.Helper()
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := time.ParseInLocation(time.DateOnly, from, loc)
		l, _ := time.ParseInLocation(time.DateOnly, to, loc)
		out := map[string]int{}
		err = s.View(t.Context(), func(tx *store.Tx) error {
			days, err := tx.ActivityIn(f, l, loc)
			for d, a := range days {
				out[d] = a.SignIns
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, c := range []struct {
		zone, from, to string
		want           map[string]int
	}{
		{"Asia/Kathmandu", "2026-03-01", "2026-03-02", map[string]int{"2026-03-01": 1, "2026-03-02": 1}},
		{"America/New_York", "2026-03-08", "2026-03-09", map[string]int{"2026-03-08": 3, "2026-03-09": 1}},
		{"America/New_York", "2026-03-09", "2026-03-09", map[string]int{"2026-03-09": 1}},
		{"UTC", "2026-03-01", "2026-03-09", map[string]int{"2026-03-01": 2, "2026-03-08": 2, "2026-03-09": 2}},
	} {
		got := count(c.zone, c.from, c.to)
		if len(got) != len(c.want) {
			t.Errorf("%s %s..%s: %v, want %v", c.zone, c.from, c.to, got, c.want)
			continue
		}
		for d, n := range c.want {
			if got[d] != n {
				t.Errorf("%s %s..%s: %v, want %v", c.zone, c.from, c.to, got, c.want)
				break
			}
		}
	}
}
