package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestSortedCasesBothWays: a filtered, sorted list is the same whether the
// filter's few cases are sorted in memory or the order's index is walked
// (a broad filter), page by page, for every order and filter, both ways;
// and it holds exactly the cases the filter passes.
func TestSortedCasesBothWays(t *testing.T) {
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	s, err := Open(t.TempDir(), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	statuses := DefaultSettings().Statuses
	var advocates []uint64
	err = s.Update(ctx, func(tx *Tx) error {
		for i := range 3 {
			st := Staff{Email: fmt.Sprintf("s%d@office.example", i), Name: "S", Role: RoleStaff}
			if err := tx.PutStaff(&st); err != nil {
				return err
			}
			advocates = append(advocates, st.ID)
		}
		for i := range 60 {
			now = now.Add(time.Duration(i%7) * time.Minute)
			cl := Client{Name: fmt.Sprintf("Cliente %d Núñez", (i*13)%17), Email: fmt.Sprintf("c%d@example.org", i)}
			if err := tx.PutClient(&cl); err != nil {
				return err
			}
			c := Case{Number: fmt.Sprintf("N-%d", (i*37)%60), Title: "T", ClientIDs: []uint64{cl.ID}, Kind: KindStaff, AdvocateID: advocates[i%3]}
			if err := tx.PutCase(&c); err != nil {
				return err
			}
			if i%5 != 0 {
				if err := tx.AddStatusEntry(&StatusEntry{CaseID: c.ID, Date: now, Status: statuses[(i*3)%len(statuses)].ID}); err != nil {
					return err
				}
			}
			if i%4 == 1 {
				if err := tx.AddNote(&Note{CaseID: c.ID, AuthorKind: "client", AuthorID: cl.ID, Body: "?", Visibility: Portal}); err != nil {
					return err
				}
			}
			if i%3 == 2 {
				d := Document{CaseID: c.ID, StoredName: "x", FileName: "f.pdf", ContentType: "application/pdf", Size: 3, SHA256: "ab", UploaderKind: "client", UploaderID: cl.ID}
				if err := tx.AddDocument(&d); err != nil {
					return err
				}
				if err := tx.AddWaitingDocument(d); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list := func(f CaseFilter, o CaseSort) []uint64 {
		var out []uint64
		after := uint64(0)
		for {
			var page []Case
			if err := s.View(ctx, func(tx *Tx) (err error) { page, err = tx.SortedCases(f, o, after, 4); return err }); err != nil {
				t.Fatal(err)
			}
			for _, c := range page {
				out = append(out, c.ID)
			}
			if len(page) < 4 {
				return out
			}
			after = page[len(page)-1].ID
		}
	}
	defer func(n int) { sortInMemoryMax = n }(sortInMemoryMax)
	for _, f := range []CaseFilter{
		{}, {Q: "núñez"}, {Q: "cliente 1 "}, {Status: statuses[3].ID}, {Advocate: advocates[1]}, {Unread: true}, {Waiting: true},
		{Waiting: true, Unread: true}, {Advocate: advocates[2], Waiting: true, Q: "nunez"},
	} {
		var want []uint64
		if err := s.View(ctx, func(tx *Tx) error { want = tx.filterIDs(f, 0, 1000); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, by := range []string{SortActivity, SortNumber, SortClient, SortStatus, SortOpened} {
			for _, desc := range []bool{false, true} {
				o := CaseSort{By: by, Desc: desc}
				sortInMemoryMax = 3000
				few := list(f, o)
				sortInMemoryMax = -1
				walked := list(f, o)
				if !slices.Equal(few, walked) {
					t.Errorf("%+v %+v: sorted in memory %v, walked %v", f, o, few, walked)
				}
				got := slices.Sorted(slices.Values(walked))
				if !slices.Equal(got, want) {
					t.Errorf("%+v %+v: cases %v, the filter passes %v", f, o, got, want)
				}
			}
		}
	}
}
