package store_test

import (
	"context"
	"errors"
	"testing"

	"clientportal/store"
	"clientportal/store/storetest"
)

// TestRequestsDueIndex: the due index holds an item while it is open with a
// due day and its last reminder was not raised, and follows every change of
// its day and state; an item is found only under its own case.
func TestRequestsDueIndex(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	var caseID, other uint64
	err := s.Update(ctx, func(tx *store.Tx) error {
		c := store.Case{Number: "A1", Title: "A", Kind: store.KindProBono}
		o := store.Case{Number: "B1", Title: "B", Kind: store.KindProBono}
		if err := tx.PutCase(&c); err != nil {
			return err
		}
		if err := tx.PutCase(&o); err != nil {
			return err
		}
		caseID, other = c.ID, o.ID
		for _, r := range []store.DocumentRequest{{Title: "late", Due: "2026-12-20"}, {Title: "soon", Due: "2026-12-03"}, {Title: "none"}} {
			r.CaseID = caseID
			if err := tx.AddRequest(&r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due := func(day string) []string {
		t.Helper()
		var titles []string
		s.View(ctx, func(tx *store.Tx) error {
			list, err := tx.RequestsDueBy(day)
			for _, r := range list {
				titles = append(titles, r.Title)
			}
			return err
		})
		return titles
	}
	change := func(id uint64, fn func(r *store.DocumentRequest)) {
		t.Helper()
		err := s.Update(ctx, func(tx *store.Tx) error {
			r, err := tx.RequestByID(id)
			if err != nil {
				return err
			}
			fn(&r)
			return tx.PutRequest(&r)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := due("2026-12-03"); len(got) != 1 || got[0] != "soon" {
		t.Fatalf("due by 3 December: %v", got)
	}
	if got := due("2026-12-31"); len(got) != 2 || got[0] != "soon" || got[1] != "late" {
		t.Fatalf("due by 31 December: %v, want soonest first", got)
	}
	change(2, func(r *store.DocumentRequest) { r.Due = "2027-01-05" })
	change(1, func(r *store.DocumentRequest) { r.State = store.RequestSubmitted })
	if got := due("2026-12-31"); len(got) != 0 {
		t.Fatalf("after moving one and sending the other: %v", got)
	}
	change(1, func(r *store.DocumentRequest) { r.State = store.RequestReturned })
	change(2, func(r *store.DocumentRequest) { r.Reminded = 1 })
	if got := due("2027-12-31"); len(got) != 1 || got[0] != "late" {
		t.Fatalf("returned (open again) and fully reminded: %v", got)
	}
	s.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Request(other, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("item 1 under another case: %v, want not found", err)
		}
		if _, err := tx.RequestByID(99); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing item: %v", err)
		}
		return nil
	})
	err = s.Update(ctx, func(tx *store.Tx) error {
		return tx.AddRequest(&store.DocumentRequest{CaseID: caseID, Title: "bad day", Due: "3 Dec"})
	})
	if !errors.Is(err, store.ErrRequestInput) {
		t.Errorf("a malformed due day: %v", err)
	}
}
