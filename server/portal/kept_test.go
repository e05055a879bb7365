package portal_test

import (
	"context"
	"testing"
	"time"

	"clientportal/server/servertest"
	"clientportal/store"
)

// TestKeptStatusPageFollowsChanges: the status page is kept once rendered
// (kept.go); whatever changes what it shows shows at the next request: a
// new status, a renamed case or client, another advocate's phone, a second
// case, a renamed office or status, the client's language. Keeping pages
// under anything less than their whole key would answer the page rendered
// before the change.
func TestKeptStatusPageFollowsChanges(t *testing.T) {
	tests := []struct {
		name     string
		change   func(tx *store.Tx, cs store.Case) error
		now, not []string // what the page shows after the change, and no longer
	}{
		{"new status", func(tx *store.Tx, cs store.Case) error {
			e := store.StatusEntry{CaseID: cs.ID, Date: time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC), Status: "closed", Info: "Granted, well done."}
			return tx.AddStatusEntry(&e)
		}, []string{"Closed", "Granted, well done."}, nil},
		{"case renamed", func(tx *store.Tx, cs store.Case) error {
			cs.Title = "Work permit renewal"
			return tx.PutCase(&cs)
		}, []string{"Work permit renewal"}, []string{"Asylum application"}},
		{"client renamed", func(tx *store.Tx, cs store.Case) error {
			c, err := tx.Client(cs.ClientIDs[0])
			if err != nil {
				return err
			}
			c.Name = "Amina Haddad-Rossi"
			return tx.PutClient(&c)
		}, []string{"Amina Haddad-Rossi"}, nil},
		{"advocate's phone", func(tx *store.Tx, cs store.Case) error {
			s, err := tx.Staff(cs.AdvocateID)
			if err != nil {
				return err
			}
			s.Phone = "+1 555 0777"
			return tx.PutStaff(&s)
		}, []string{"+1 555 0777"}, nil},
		{"an event elsewhere in the office", func(tx *store.Tx, cs store.Case) error {
			for range 7 {
				if err := tx.AppendEvent(&store.Event{Type: "status.added", CaseID: 999}); err != nil {
					return err
				}
			}
			return nil
		}, []string{`data-live-after="7"`}, nil},
		{"a second case", func(tx *store.Tx, cs store.Case) error {
			second := store.Case{Number: "X-1", Title: "Second", ClientIDs: cs.ClientIDs, Kind: store.KindProBono}
			return tx.PutCase(&second)
		}, []string{`href="/cases"`}, nil},
		{"office renamed", func(tx *store.Tx, cs store.Case) error {
			set, err := tx.Settings()
			if err != nil {
				return err
			}
			set.OfficeName = "Lakeside Legal Aid"
			return tx.PutSettings(set)
		}, []string{"Lakeside Legal Aid"}, []string{office}},
		{"status renamed in the office's list", func(tx *store.Tx, cs store.Case) error {
			set, err := tx.Settings()
			if err != nil {
				return err
			}
			for i := range set.Statuses {
				if set.Statuses[i].ID == cs.Current.Status {
					set.Statuses[i].Names["en"] = "Renamed status"
				}
			}
			return tx.PutSettings(set)
		}, []string{"Renamed status"}, nil},
		{"language", func(tx *store.Tx, cs store.Case) error {
			c, err := tx.Client(cs.ClientIDs[0])
			if err != nil {
				return err
			}
			c.Language = "es"
			return tx.PutClient(&c)
		}, []string{`<html lang="es">`}, []string{`<html lang="en">`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := servertest.Start(t)
			c := login(t, env, amina)
			id := caseIDs(t, env, amina)[0]
			u := caseURL(env, id, "")
			first := get(t, c, u)
			if again := get(t, c, u); again.body != first.body { // the second is the kept page
				t.Fatalf("the same page twice differs")
			}
			wantNotContains(t, first, tt.now...)
			err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
				cs, err := tx.Case(id)
				if err != nil {
					return err
				}
				return tt.change(tx, cs)
			})
			if err != nil {
				t.Fatal(err)
			}
			after := get(t, c, u)
			wantStatus(t, after, 200)
			wantContains(t, after, tt.now...)
			wantNotContains(t, after, tt.not...)
		})
	}
}
