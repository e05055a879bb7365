package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"clientportal/store"
	"clientportal/store/storetest"
)

var ctx = context.Background()

func TestReopenKeepsCommittedWrites(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := store.Client{Name: "Ana López", Email: " Ana@Example.org "}
	if err := s.Update(ctx, func(tx *store.Tx) error { return tx.PutClient(&c) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx *store.Tx) error {
		got, err := tx.ClientByEmail("ANA@example.org")
		if err != nil {
			return err
		}
		if got.ID != c.ID || got.Name != "Ana López" || got.Email != "ana@example.org" {
			t.Errorf("after reopen got %+v, want %+v", got, c)
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		if len(set.Statuses) != 8 || set.PasswordPolicy != store.PolicyOffice || set.LockoutThreshold != 5 {
			t.Errorf("default settings not stored: %+v", set)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, uint64(store.SchemaVersion()+1))
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dir, store.Options{}); !errors.Is(err, store.ErrTooNew) {
		t.Fatalf("open newer schema: got %v, want ErrTooNew", err)
	}
}

func TestOpenIsExclusive(t *testing.T) {
	s := storetest.New(t)
	_, err := store.Open(filepath.Dir(s.Path()), store.Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("a second Open of the same file succeeded; the file lock must be exclusive")
	}
}

func TestFailedUpdateWritesNothing(t *testing.T) {
	s := storetest.New(t)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx *store.Tx) error {
		c := store.Client{Name: "X", Email: "x@example.org"}
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{Action: "client.create"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	s.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.ClientByEmail("x@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client of a failed transaction is visible: %v", err)
		}
		if log, _ := tx.AuditLog(0, 10); len(log) != 0 {
			t.Errorf("audit entry of a failed transaction is visible: %+v", log)
		}
		return nil
	})
}

func TestUniqueEmailsAndNumbers(t *testing.T) {
	s := storetest.New(t)
	err := s.Update(ctx, func(tx *store.Tx) error {
		a := store.Client{Name: "A", Email: "a@example.org"}
		b := store.Client{Name: "B", Email: "b@example.org"}
		if err := tx.PutClient(&a); err != nil {
			return err
		}
		if err := tx.PutClient(&b); err != nil {
			return err
		}
		dup := store.Client{Name: "A2", Email: "A@example.org"}
		if err := tx.PutClient(&dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("new client with a taken email: got %v, want ErrConflict", err)
		}
		b.Email = "a@example.org"
		if err := tx.PutClient(&b); !errors.Is(err, store.ErrConflict) {
			t.Errorf("email change to a taken email: got %v, want ErrConflict", err)
		}
		b.Email = "b2@example.org"
		if err := tx.PutClient(&b); err != nil {
			t.Errorf("email change: %v", err)
		}
		if _, err := tx.ClientByEmail("b@example.org"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old email still finds the client: %v", err)
		}
		c1 := store.Case{Number: "2026-001", Title: "T", ClientIDs: []uint64{a.ID}, Kind: store.KindProBono}
		if err := tx.PutCase(&c1); err != nil {
			return err
		}
		c2 := store.Case{Number: "2026-001", Title: "T2", ClientIDs: []uint64{a.ID}, Kind: store.KindProBono}
		if err := tx.PutCase(&c2); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate case number: got %v", err)
		}
		c3 := store.Case{Number: "2026-002", Title: "T3", ClientIDs: []uint64{999}, Kind: store.KindProBono}
		if err := tx.PutCase(&c3); !errors.Is(err, store.ErrReference) {
			t.Errorf("case of a missing client: got %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCaseLinksAndCurrentStatus(t *testing.T) {
	s := storetest.New(t)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	err := s.Update(ctx, func(tx *store.Tx) error {
		a := store.Client{Name: "A", Email: "a@example.org"}
		b := store.Client{Name: "B", Email: "b@example.org"}
		tx.PutClient(&a)
		tx.PutClient(&b)
		c := store.Case{Number: "N1", Title: "Asylum", ClientIDs: []uint64{a.ID, b.ID}, Kind: store.KindProBono}
		if err := tx.PutCase(&c); err != nil {
			return err
		}
		for _, e := range []store.StatusEntry{
			{CaseID: c.ID, Date: day(5), Status: "under_review"},
			{CaseID: c.ID, Date: day(1), Status: "received"}, // entered late, dated early
			{CaseID: c.ID, Date: day(5), Status: "accepted"}, // same day, entered later: current
		} {
			if err := tx.AddStatusEntry(&e); err != nil {
				return err
			}
		}
		got, _ := tx.Case(c.ID)
		if got.Current == nil || got.Current.Status != "accepted" {
			t.Errorf("current status = %+v, want accepted", got.Current)
		}
		hist, _ := tx.StatusHistory(c.ID)
		var order []string
		for _, e := range hist {
			order = append(order, e.Status)
		}
		if want := "accepted under_review received"; join(order) != want {
			t.Errorf("history order %q, want %q", join(order), want)
		}
		// Moving the case to one client drops the other's link.
		c.ClientIDs = []uint64{b.ID}
		if err := tx.PutCase(&c); err != nil {
			return err
		}
		if cs, _ := tx.CasesOfClient(a.ID); len(cs) != 0 {
			t.Errorf("client a still linked: %+v", cs)
		}
		if cs, _ := tx.CasesOfClient(b.ID); len(cs) != 1 || cs[0].Current.Status != "accepted" {
			t.Errorf("client b cases: %+v", cs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func join(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	return b.String()
}

func TestSessionsOfSubjectEndTogether(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := storetest.NewWithClock(t, func() time.Time { return now })
	err := s.Update(ctx, func(tx *store.Tx) error {
		for i, h := range []string{"h1", "h2", "h3"} {
			kind := store.SessionClient
			if i == 2 {
				kind = store.SessionStaff
			}
			if err := tx.PutSession(store.Session{Hash: []byte(h), Kind: kind, SubjectID: 7, LastSeen: now, Expires: now.Add(time.Hour)}); err != nil {
				return err
			}
		}
		n, err := tx.DeleteSessionsOf(store.SessionClient, 7)
		if n != 2 || err != nil {
			t.Errorf("DeleteSessionsOf = %d, %v; want 2", n, err)
		}
		if _, err := tx.Session([]byte("h1")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("client session survived: %v", err)
		}
		if _, err := tx.Session([]byte("h3")); err != nil {
			t.Errorf("staff session with the same subject ID was ended: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	s.Update(ctx, func(tx *store.Tx) error {
		if n, _ := tx.DeleteExpiredSessions(time.Hour); n != 1 {
			t.Errorf("expired sessions removed: %d, want 1", n)
		}
		return nil
	})
}

func TestBackupIsAWorkingStore(t *testing.T) {
	s := storetest.New(t)
	c := store.Client{Name: "Backed Up", Email: "b@example.org"}
	s.Update(ctx, func(tx *store.Tx) error { return tx.PutClient(&c) })
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup = %d, %v (buffer %d)", n, err, buf.Len())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.FileName), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	restored.View(ctx, func(tx *store.Tx) error {
		if got, err := tx.Client(c.ID); err != nil || got.Name != "Backed Up" {
			t.Errorf("restored client = %+v, %v", got, err)
		}
		return nil
	})
}

func TestAuditLogPages(t *testing.T) {
	s := storetest.New(t)
	s.Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < 5; i++ {
			tx.Audit(store.AuditEntry{Action: "x"})
		}
		return nil
	})
	s.View(ctx, func(tx *store.Tx) error {
		first, _ := tx.AuditLog(0, 2)
		if len(first) != 2 || first[0].ID != 5 || first[1].ID != 4 {
			t.Errorf("first page: %+v", first)
		}
		next, _ := tx.AuditLog(first[1].ID, 10)
		if len(next) != 3 || next[0].ID != 3 || next[2].ID != 1 {
			t.Errorf("second page: %+v", next)
		}
		return nil
	})
}

func TestCaseSearchFollowsRenames(t *testing.T) {
	s := storetest.New(t)
	var c store.Client
	var cs store.Case
	s.Update(ctx, func(tx *store.Tx) error {
		c = store.Client{Name: "Farah Nasser", Email: "f@example.org"}
		tx.PutClient(&c)
		cs = store.Case{Number: "IMM-7", Title: "Naturalisation", ClientIDs: []uint64{c.ID}, Kind: store.KindProBono}
		return tx.PutCase(&cs)
	})
	find := func(q string) int {
		var n int
		s.View(ctx, func(tx *store.Tx) error {
			found, err := tx.SearchCases(q, 0, 10)
			n = len(found)
			return err
		})
		return n
	}
	for q, want := range map[string]int{"nasser": 1, "NATURAL": 1, "imm-7": 1, "": 1, "smith": 0} {
		if got := find(q); got != want {
			t.Errorf("search %q: %d cases, want %d", q, got, want)
		}
	}
	s.Update(ctx, func(tx *store.Tx) error {
		c.Name = "Farah Smith"
		return tx.PutClient(&c)
	})
	if find("smith") != 1 || find("nasser") != 0 {
		t.Error("case search does not follow the client's new name")
	}
}

// TestMigrationBuildsCaseSearch opens a file as schema version 1 left it (no
// search index) and checks that the step to version 2 indexes every case.
func TestMigrationBuildsCaseSearch(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(ctx, func(tx *store.Tx) error {
		c := store.Client{Name: "Old Record", Email: "o@example.org"}
		tx.PutClient(&c)
		cs := store.Case{Number: "OLD-1", Title: "From version one", ClientIDs: []uint64{c.ID}, Kind: store.KindProBono}
		return tx.PutCase(&cs)
	})
	s.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 1)
		tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
		return tx.DeleteBucket([]byte("case_search"))
	})
	db.Close()
	s, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(ctx, func(tx *store.Tx) error {
		found, err := tx.SearchCases("old record", 0, 10)
		if err != nil || len(found) != 1 {
			t.Errorf("after migration, search finds %d cases (%v), want 1", len(found), err)
		}
		return nil
	})
}
