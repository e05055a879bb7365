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
		// The checklist and the next appointment (requests.go).
		{"a document request", func(tx *store.Tx, cs store.Case) error {
			return tx.AddRequest(&store.DocumentRequest{CaseID: cs.ID, Title: "Copy of your lease", Due: "2099-03-01", CreatedBy: cs.AdvocateID})
		}, []string{"Copy of your lease", "Due by 1 March 2099", "1 of 1 still needed"}, nil},
		{"a request returned", func(tx *store.Tx, cs store.Case) error {
			return setRequest(tx, cs, func(r *store.DocumentRequest) { r.State, r.Reason = store.RequestReturned, "The photo is blurred." })
		}, []string{"The office returned this. Reason:", "The photo is blurred."}, []string{"Sent: the office will check them"}},
		{"a request accepted", func(tx *store.Tx, cs store.Case) error {
			return setRequest(tx, cs, func(r *store.DocumentRequest) { r.State = store.RequestAccepted })
		}, []string{"request--done"}, []string{"Sent: the office will check them"}},
		{"a request overdue", func(tx *store.Tx, cs store.Case) error {
			return setRequest(tx, cs, func(r *store.DocumentRequest) { r.State, r.Due = store.RequestRequested, "2001-01-01" })
		}, []string{"Overdue", "request--overdue"}, nil},
		{"a request cancelled", func(tx *store.Tx, cs store.Case) error {
			return setRequest(tx, cs, func(r *store.DocumentRequest) { r.State = store.RequestCancelled })
		}, nil, []string{"Copy of your lease"}},
		{"a next appointment", func(tx *store.Tx, cs store.Case) error {
			start := time.Now().Add(48 * time.Hour)
			return tx.AddAppointment(&store.Appointment{CaseID: cs.ID, Title: "Interview at the office", Start: start, End: start.Add(time.Hour), Portal: true})
		}, []string{"Your next appointment", "Interview at the office"}, nil},
		{"the next appointment cancelled", func(tx *store.Tx, cs store.Case) error {
			_, err := tx.CancelAppointment(cs.ID, 1)
			return err
		}, nil, []string{"Your next appointment", "First meeting"}},
	}
	// What some changes change must be there before the first page.
	setups := map[string]func(tx *store.Tx, cs store.Case) error{
		"a request returned":  submittedRequest,
		"a request accepted":  submittedRequest,
		"a request overdue":   submittedRequest,
		"a request cancelled": submittedRequest,
		"the next appointment cancelled": func(tx *store.Tx, cs store.Case) error {
			start := time.Now().Add(48 * time.Hour)
			return tx.AddAppointment(&store.Appointment{CaseID: cs.ID, Title: "First meeting", Start: start, End: start.Add(time.Hour), Portal: true})
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := servertest.Start(t)
			c := login(t, env, amina)
			id := caseIDs(t, env, amina)[0]
			u := caseURL(env, id, "")
			if setup := setups[tt.name]; setup != nil {
				err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
					cs, err := tx.Case(id)
					if err != nil {
						return err
					}
					return setup(tx, cs)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			first := get(t, c, u)
			if setups[tt.name] != nil {
				wantContains(t, first, tt.not...) // what the change takes away
			}
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

// submittedRequest adds an item the client has sent a file for.
func submittedRequest(tx *store.Tx, cs store.Case) error {
	r := store.DocumentRequest{CaseID: cs.ID, Title: "Copy of your lease", CreatedBy: cs.AdvocateID}
	if err := tx.AddRequest(&r); err != nil {
		return err
	}
	r.State = store.RequestSubmitted
	return tx.PutRequest(&r)
}

// setRequest changes the case's first item with fn.
func setRequest(tx *store.Tx, cs store.Case, fn func(r *store.DocumentRequest)) error {
	list, err := tx.Requests(cs.ID)
	if err != nil {
		return err
	}
	fn(&list[0])
	return tx.PutRequest(&list[0])
}
