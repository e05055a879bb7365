package store_test

import (
	"fmt"
	"testing"

	"clientportal/store"
	"clientportal/store/storetest"
)

// TestCountCasesOfClient agrees with CasesOfClient, also for clients whose
// IDs are neighbours, and after a case moves to another client.
func TestCountCasesOfClient(t *testing.T) {
	s := storetest.New(t)
	err := s.Update(ctx, func(tx *store.Tx) error {
		var ids []uint64
		for i := range 3 {
			c := store.Client{Name: "C", Email: fmt.Sprintf("c%d@example.org", i)}
			if err := tx.PutClient(&c); err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		var moved store.Case
		for i, owners := range [][]uint64{{ids[0]}, {ids[1]}, {ids[1], ids[2]}, {ids[1]}} {
			c := store.Case{Number: fmt.Sprint("N", i), Title: "T", ClientIDs: owners, Kind: store.KindProBono}
			if err := tx.PutCase(&c); err != nil {
				return err
			}
			moved = c
		}
		moved.ClientIDs = []uint64{ids[2]}
		if err := tx.PutCase(&moved); err != nil {
			return err
		}
		for i, want := range []int{1, 2, 2} {
			cases, err := tx.CasesOfClient(ids[i])
			if err != nil {
				return err
			}
			if got := tx.CountCasesOfClient(ids[i]); got != want || len(cases) != want {
				t.Errorf("client %d: count %d, CasesOfClient %d, want %d", ids[i], got, len(cases), want)
			}
		}
		if got := tx.CountCasesOfClient(999); got != 0 {
			t.Errorf("unknown client: %d cases", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
