package store_test

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"clientportal/store"
	"clientportal/store/storetest"
)

func statuses(hist []store.StatusEntry) string {
	var out []string
	for _, e := range hist {
		out = append(out, e.Status)
	}
	return join(out)
}

func TestCorrectAndWithdrawStatusEntries(t *testing.T) {
	s := storetest.New(t)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	var c store.Case
	var first, wrong store.StatusEntry
	err := s.Update(ctx, func(tx *store.Tx) error {
		cl := store.Client{Name: "A", Email: "a@example.org"}
		tx.PutClient(&cl)
		c = store.Case{Number: "N1", Title: "Asylum", ClientIDs: []uint64{cl.ID}, Kind: store.KindProBono}
		if err := tx.PutCase(&c); err != nil {
			return err
		}
		first = store.StatusEntry{CaseID: c.ID, Date: day(1), Status: "received"}
		if err := tx.AddStatusEntry(&first); err != nil {
			return err
		}
		wrong = store.StatusEntry{CaseID: c.ID, Date: day(5), Status: "closed", Info: "typo"}
		return tx.AddStatusEntry(&wrong)
	})
	if err != nil {
		t.Fatal(err)
	}
	current := func() string {
		var cs store.Case
		s.View(ctx, func(tx *store.Tx) (err error) { cs, err = tx.Case(c.ID); return err })
		if cs.Current == nil {
			return ""
		}
		return cs.Current.Status
	}
	if current() != "closed" {
		t.Fatalf("current = %q before the correction", current())
	}

	// Correcting the wrong entry: the correction is current, the original is kept.
	var fixed store.StatusEntry
	err = s.Update(ctx, func(tx *store.Tx) error {
		fixed = store.StatusEntry{CaseID: c.ID, Date: day(5), Status: "accepted", Info: "fixed"}
		return tx.CorrectStatusEntry(wrong.ID, &fixed)
	})
	if err != nil {
		t.Fatal(err)
	}
	if current() != "accepted" || fixed.Corrects != wrong.ID {
		t.Errorf("after correction: current %q, corrects %d", current(), fixed.Corrects)
	}
	s.View(ctx, func(tx *store.Tx) error {
		hist, _ := tx.StatusHistory(c.ID)
		record, _ := tx.StatusRecord(c.ID)
		if got := statuses(hist); got != "accepted received" {
			t.Errorf("client history %q", got)
		}
		if len(record) != 3 {
			t.Errorf("staff record has %d entries, want 3 (the original kept)", len(record))
		}
		old, _ := tx.StatusEntry(c.ID, wrong.ID)
		if old.SupersededBy != fixed.ID || old.Status != "closed" || old.Info != "typo" {
			t.Errorf("original entry %+v: want it kept as it was, marked superseded", old)
		}
		return nil
	})
	// A corrected entry cannot be corrected or withdrawn again.
	err = s.Update(ctx, func(tx *store.Tx) error {
		e := store.StatusEntry{CaseID: c.ID, Date: day(6), Status: "closed"}
		return tx.CorrectStatusEntry(wrong.ID, &e)
	})
	if !errors.Is(err, store.ErrNotActive) {
		t.Errorf("correcting a corrected entry: %v, want ErrNotActive", err)
	}

	// Withdrawing the correction leaves the first entry current; withdrawing
	// that one too leaves no status.
	for _, step := range []struct {
		id   uint64
		want string
	}{{fixed.ID, "received"}, {first.ID, ""}} {
		err = s.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.WithdrawStatusEntry(c.ID, step.id, store.Withdrawal{ByID: 1, ByName: "Staff", Reason: "entered by mistake"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if current() != step.want {
			t.Errorf("after withdrawing %d: current %q, want %q", step.id, current(), step.want)
		}
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.WithdrawStatusEntry(c.ID, first.ID, store.Withdrawal{})
		return err
	})
	if !errors.Is(err, store.ErrNotActive) {
		t.Errorf("withdrawing twice: %v, want ErrNotActive", err)
	}
}

func TestSearchIgnoresAccentsAndCase(t *testing.T) {
	s := storetest.New(t)
	s.Update(ctx, func(tx *store.Tx) error {
		for i, name := range []string{"José Ramírez", "Ana RAMIREZ", "Jürgen Straße", "Zoë Peña"} {
			c := store.Client{Name: name, Email: string(rune('a'+i)) + "@example.org"}
			if err := tx.PutClient(&c); err != nil {
				return err
			}
			cs := store.Case{Number: "C-" + string(rune('A'+i)), Title: "Matter", ClientIDs: []uint64{c.ID}, Kind: store.KindProBono}
			if err := tx.PutCase(&cs); err != nil {
				return err
			}
		}
		return nil
	})
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"ramirez", 2}, {"Ramírez", 2}, {"RAMÍREZ", 2}, {"jose", 1}, {"strasse", 1}, {"straße", 1},
		{"pena", 1}, {"peña", 1}, {"zoe", 1}, {"nobody", 0},
	} {
		s.View(ctx, func(tx *store.Tx) error {
			clients, err := tx.SearchClients(tc.q, 0, 10)
			if err != nil || len(clients) != tc.want {
				t.Errorf("clients %q: %d (%v), want %d", tc.q, len(clients), err, tc.want)
			}
			cases, err := tx.SearchCases(tc.q, 0, 10)
			if err != nil || len(cases) != tc.want {
				t.Errorf("cases %q: %d (%v), want %d", tc.q, len(cases), err, tc.want)
			}
			return nil
		})
	}
}

// TestMigrationFoldsSearch opens a file as schema version 2 left it (case
// index in plain lower case, no client index) and checks that step 3 makes
// both searches ignore accents.
func TestMigrationFoldsSearch(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var caseID uint64
	s.Update(ctx, func(tx *store.Tx) error {
		c := store.Client{Name: "Sofía Ramírez", Email: "s@example.org"}
		tx.PutClient(&c)
		cs := store.Case{Number: "OLD-2", Title: "Petición", ClientIDs: []uint64{c.ID}, Kind: store.KindProBono}
		err := tx.PutCase(&cs)
		caseID = cs.ID
		return err
	})
	s.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 2)
		tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
		k := make([]byte, 8)
		binary.BigEndian.PutUint64(k, caseID)
		tx.Bucket([]byte("case_search")).Put(k, []byte("old-2\npetición\nsofía ramírez"))
		return tx.DeleteBucket([]byte("client_search"))
	})
	db.Close()
	s, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(ctx, func(tx *store.Tx) error {
		cases, err := tx.SearchCases("ramirez", 0, 10)
		clients, err2 := tx.SearchClients("sofia", 0, 10)
		if err != nil || err2 != nil || len(cases) != 1 || len(clients) != 1 {
			t.Errorf("after migration: %d cases (%v), %d clients (%v), want 1 and 1", len(cases), err, len(clients), err2)
		}
		return nil
	})
}
