package store_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"clientportal/store"

	bolt "go.etcd.io/bbolt"
)

// listNumbers pages through SortedCases three at a time and returns the case
// numbers in the order met, so paging is checked along with the order.
func listNumbers(t *testing.T, s *store.Store, f store.CaseFilter, o store.CaseSort) string {
	t.Helper()
	var out []string
	after := uint64(0)
	for range 100 {
		var page []store.Case
		err := s.View(ctx, func(tx *store.Tx) (err error) { page, err = tx.SortedCases(f, o, after, 3); return err })
		if err != nil {
			t.Fatalf("sorted %+v %+v after %d: %v", f, o, after, err)
		}
		for _, c := range page {
			out = append(out, c.Number)
		}
		if len(page) < 3 {
			return strings.Join(out, " ")
		}
		after = page[len(page)-1].ID
	}
	t.Fatal("paging does not end")
	return ""
}

type sortFixture struct {
	s     *store.Store
	dir   string
	now   *time.Time
	cases map[string]store.Case // by number
	staff store.Staff
}

// newSortFixture writes five cases to a real store file:
//
//	number    client        status (office list order)       opened
//	2024-10   Óscar Peña    under_review (2nd)               t+0
//	2024-9    ana ruiz      none                             t+1h
//	2023-100  Bruno Díaz    received (1st)                   t+2h
//	2024-11   Carla Núñez   old_step (not on the list)       t+3h
//	A-7       Álvaro Ruiz   received (1st)                   t+4h
func newSortFixture(t *testing.T) *sortFixture {
	t.Helper()
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	fx := &sortFixture{dir: t.TempDir(), now: &now, cases: map[string]store.Case{}}
	var err error
	fx.s, err = store.Open(fx.dir, store.Options{Now: func() time.Time { return *fx.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.s.Close() })
	rows := []struct{ number, client, status string }{
		{"2024-10", "Óscar Peña", "under_review"},
		{"2024-9", "ana ruiz", ""},
		{"2023-100", "Bruno Díaz", "received"},
		{"2024-11", "Carla Núñez", "old_step"},
		{"A-7", "Álvaro Ruiz", "received"},
	}
	err = fx.s.Update(ctx, func(tx *store.Tx) error {
		fx.staff = store.Staff{Email: "s@office.example", Name: "S", Role: store.RoleStaff}
		return tx.PutStaff(&fx.staff)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		*fx.now = now.Add(time.Duration(i) * time.Hour)
		err := fx.s.Update(ctx, func(tx *store.Tx) error {
			cl := store.Client{Name: r.client, Email: strings.ReplaceAll(r.number, "-", "") + "@example.org"}
			if err := tx.PutClient(&cl); err != nil {
				return err
			}
			c := store.Case{Number: r.number, Title: "T", ClientIDs: []uint64{cl.ID}, Kind: store.KindStaff, AdvocateID: fx.staff.ID}
			if err := tx.PutCase(&c); err != nil {
				return err
			}
			if r.status != "" {
				if err := tx.AddStatusEntry(&store.StatusEntry{CaseID: c.ID, Date: *fx.now, Status: r.status}); err != nil {
					return err
				}
			}
			fx.cases[r.number], err = tx.Case(c.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	*fx.now = now.Add(10 * time.Hour)
	return fx
}

// TestSortedCases: each order the office picks, both ways, paged three at a
// time: numbers compare their digits as numbers, names ignore accents and
// capitals, statuses follow the office's list (a status taken off the list
// after it, no status last), activity moves a case up when something happens
// on it, and a filter narrows a sorted list.
func TestSortedCases(t *testing.T) {
	fx := newSortFixture(t)
	check := func(name string, f store.CaseFilter, o store.CaseSort, want string) {
		t.Helper()
		if got := listNumbers(t, fx.s, f, o); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	all := store.CaseFilter{}
	check("number asc", all, store.CaseSort{By: store.SortNumber}, "2023-100 2024-9 2024-10 2024-11 A-7")
	check("number desc", all, store.CaseSort{By: store.SortNumber, Desc: true}, "A-7 2024-11 2024-10 2024-9 2023-100")
	check("client asc", all, store.CaseSort{By: store.SortClient}, "A-7 2024-9 2023-100 2024-11 2024-10")
	check("client desc", all, store.CaseSort{By: store.SortClient, Desc: true}, "2024-10 2024-11 2023-100 2024-9 A-7")
	check("status asc", all, store.CaseSort{By: store.SortStatus}, "2023-100 A-7 2024-10 2024-11 2024-9")
	check("status desc", all, store.CaseSort{By: store.SortStatus, Desc: true}, "2024-9 2024-11 2024-10 A-7 2023-100")
	check("opened asc", all, store.CaseSort{By: store.SortOpened}, "2024-10 2024-9 2023-100 2024-11 A-7")
	check("opened desc", all, store.CaseSort{By: store.SortOpened, Desc: true}, "A-7 2024-11 2023-100 2024-9 2024-10")
	check("activity desc", all, store.CaseSort{By: store.SortActivity, Desc: true}, "A-7 2024-11 2023-100 2024-9 2024-10")
	check("id order", all, store.CaseSort{}, "2024-10 2024-9 2023-100 2024-11 A-7")
	check("status filter, client order", store.CaseFilter{Status: "received"}, store.CaseSort{By: store.SortClient}, "A-7 2023-100")
	check("search, number order", store.CaseFilter{Q: "ruiz"}, store.CaseSort{By: store.SortNumber, Desc: true}, "A-7 2024-9")

	// A message on the oldest case makes it the latest activity; a new
	// status moves it in the status order; a client's new name, in the
	// client order.
	first := fx.cases["2024-10"]
	addNote(t, fx.s, store.Note{CaseID: first.ID, AuthorKind: "client", AuthorID: first.ClientIDs[0], Body: "hola", Visibility: store.Portal})
	check("activity after a message", all, store.CaseSort{By: store.SortActivity, Desc: true}, "2024-10 A-7 2024-11 2023-100 2024-9")
	*fx.now = fx.now.Add(time.Hour)
	err := fx.s.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddStatusEntry(&store.StatusEntry{CaseID: fx.cases["2024-9"].ID, Date: *fx.now, Status: "closed"}); err != nil {
			return err
		}
		cl, err := tx.Client(first.ClientIDs[0])
		if err != nil {
			return err
		}
		cl.Name = "Aaron Peña"
		return tx.PutClient(&cl)
	})
	if err != nil {
		t.Fatal(err)
	}
	check("status after closing 2024-9", all, store.CaseSort{By: store.SortStatus}, "2023-100 A-7 2024-10 2024-9 2024-11")
	check("client after a new name", all, store.CaseSort{By: store.SortClient}, "2024-10 A-7 2024-9 2023-100 2024-11")

	err = fx.s.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.SortedCases(all, store.CaseSort{By: "title"}, 0, 3); !errors.Is(err, store.ErrSortOrder) {
			t.Errorf("sort by title: %v, want ErrSortOrder", err)
		}
		if _, err := tx.SortedCases(all, store.CaseSort{By: store.SortNumber}, 999, 3); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after a case that does not exist: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitingNumbers is the cases the "documents waiting" filter lists, and
// checks they are the cases of the dashboard's uploads waiting for staff.
func waitingNumbers(t *testing.T, s *store.Store) string {
	t.Helper()
	var got, want []string
	err := s.View(ctx, func(tx *store.Tx) error {
		found, err := tx.FilterCases(store.CaseFilter{Waiting: true}, 0, 100)
		if err != nil {
			return err
		}
		for _, c := range found {
			got = append(got, c.Number)
		}
		_, items, err := tx.UploadsWaiting(1000)
		for _, it := range items {
			c, err := tx.Case(it.CaseID)
			if err != nil {
				return err
			}
			if !slices.Contains(want, c.Number) {
				want = append(want, c.Number)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("documents waiting filter %v, dashboard's uploads waiting %v", got, want)
	}
	// A sorted list with the filter holds the same cases.
	sorted := strings.Fields(listNumbers(t, s, store.CaseFilter{Waiting: true}, store.CaseSort{By: store.SortNumber}))
	slices.Sort(sorted)
	if strings.Join(sorted, " ") != strings.Join(got, " ") {
		t.Fatalf("sorted with the filter %v, unsorted %v", sorted, got)
	}
	return strings.Join(got, " ")
}

// TestWaitingFilter: a case is among those with documents waiting exactly
// while the dashboard counts an upload of it as waiting for staff: a
// client's free upload until staff open it, a submitted checklist item until
// it is accepted, returned or cancelled; and the migration builds the same
// from a file written before it.
func TestWaitingFilter(t *testing.T) {
	fx := newSortFixture(t)
	c1, c2 := fx.cases["2024-10"], fx.cases["2023-100"]
	step := func(name, want string, fn func(tx *store.Tx) error) {
		t.Helper()
		if err := fx.s.Update(ctx, fn); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := waitingNumbers(t, fx.s); got != want {
			t.Fatalf("%s: waiting %q, want %q", name, got, want)
		}
	}
	var d1, d2 store.Document
	var req store.DocumentRequest
	doc := func(c store.Case) store.Document {
		return store.Document{CaseID: c.ID, StoredName: "x", FileName: "f.pdf", ContentType: "application/pdf", Size: 3,
			SHA256: "ab", UploaderKind: "client", UploaderID: c.ClientIDs[0]}
	}
	if got := waitingNumbers(t, fx.s); got != "" {
		t.Fatalf("nothing uploaded: %q waiting", got)
	}
	step("two uploads to one case", "2024-10", func(tx *store.Tx) error {
		d1, d2 = doc(c1), doc(c1)
		for _, d := range []*store.Document{&d1, &d2} {
			if err := tx.AddDocument(d); err != nil {
				return err
			}
			if err := tx.AddWaitingDocument(*d); err != nil {
				return err
			}
		}
		return nil
	})
	step("staff open one of them", "2024-10", func(tx *store.Tx) error { _, err := tx.DocumentSeenByStaff(d1); return err })
	step("staff open the other", "", func(tx *store.Tx) error { _, err := tx.DocumentSeenByStaff(d2); return err })
	step("a staff upload does not wait", "", func(tx *store.Tx) error {
		d := doc(c2)
		d.UploaderKind = "staff"
		if err := tx.AddDocument(&d); err != nil {
			return err
		}
		return tx.AddWaitingDocument(d)
	})
	step("a checklist item asked for", "", func(tx *store.Tx) error {
		req = store.DocumentRequest{CaseID: c2.ID, Title: "ID card", CreatedBy: fx.staff.ID}
		return tx.AddRequest(&req)
	})
	submit := func(tx *store.Tx) error {
		req.State, req.Submitted = store.RequestSubmitted, *fx.now
		return tx.PutRequest(&req)
	}
	step("the client submits it", "2023-100", submit)
	step("staff return it", "", func(tx *store.Tx) error { req.State = store.RequestReturned; return tx.PutRequest(&req) })
	step("submitted again", "2023-100", func(tx *store.Tx) error { *fx.now = fx.now.Add(time.Minute); return submit(tx) })
	step("staff accept it", "", func(tx *store.Tx) error { req.State = store.RequestAccepted; return tx.PutRequest(&req) })
	step("another item submitted and a free upload", "2023-100 2024-10", func(tx *store.Tx) error {
		req = store.DocumentRequest{CaseID: c2.ID, Title: "Lease", CreatedBy: fx.staff.ID}
		if err := tx.AddRequest(&req); err != nil {
			return err
		}
		if err := submit(tx); err != nil {
			return err
		}
		d1 = doc(c1)
		if err := tx.AddDocument(&d1); err != nil {
			return err
		}
		return tx.AddWaitingDocument(d1)
	})
	// A write that fails takes its change of the facets back with it.
	err := fx.s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.DocumentSeenByStaff(d1); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("rolled back write: %v", err)
	}
	if got := waitingNumbers(t, fx.s); got != "2023-100 2024-10" {
		t.Fatalf("after a write that failed: waiting %q", got)
	}

	// The migration, from a file as the version before the case order's step
	// (the activity quarters' step after it runs again too) left it: no
	// order bucket, no waiting or no-status facets.
	fx.s.Close()
	db, err := bolt.Open(filepath.Join(fx.dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("case_order")); err != nil {
			return err
		}
		facets := tx.Bucket([]byte("case_facets"))
		var drop [][]byte
		facets.ForEach(func(k, _ []byte) error {
			if k[0] == 'w' || (len(k) == 10 && k[0] == 's' && k[1] == 0) {
				drop = append(drop, append([]byte{}, k...))
			}
			return nil
		})
		if len(drop) == 0 {
			t.Error("no waiting or no-status facets to drop")
		}
		for _, k := range drop {
			if err := facets.Delete(k); err != nil {
				return err
			}
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, uint64(store.SchemaVersion()-2))
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	fx.s, err = store.Open(fx.dir, store.Options{Now: func() time.Time { return *fx.now }})
	if err != nil {
		t.Fatal(err)
	}
	if got := waitingNumbers(t, fx.s); got != "2023-100 2024-10" {
		t.Fatalf("after the migration: waiting %q", got)
	}
	if got := listNumbers(t, fx.s, store.CaseFilter{}, store.CaseSort{By: store.SortStatus}); got != "2023-100 A-7 2024-10 2024-11 2024-9" {
		t.Fatalf("status order after the migration: %q", got)
	}
	if got := listNumbers(t, fx.s, store.CaseFilter{}, store.CaseSort{By: store.SortActivity, Desc: true}); !strings.HasPrefix(got, "2023-100 2024-10 ") {
		t.Fatalf("activity order after the migration: %q, want the uploads' cases first", got)
	}

	// From a file older still, before the dashboard's step: none of the
	// indexes the waiting uploads write to exist while that step runs.
	fx.s.Close()
	db, err = bolt.Open(filepath.Join(fx.dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{"case_order", "case_facets", "unread_staff_by_note", "uploads_waiting", "dashboard_counts", "activity_quarters"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return fmt.Errorf("delete %s: %w", b, err)
			}
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, uint64(store.SchemaVersion()-4))
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	fx.s, err = store.Open(fx.dir, store.Options{Now: func() time.Time { return *fx.now }})
	if err != nil {
		t.Fatal(err)
	}
	// The free upload is not known to be unopened (the dashboard's own
	// migration leaves it out): only the submitted item waits.
	if got := waitingNumbers(t, fx.s); got != "2023-100" {
		t.Fatalf("after migrating from before the dashboard: waiting %q", got)
	}
	if got := listNumbers(t, fx.s, store.CaseFilter{}, store.CaseSort{By: store.SortClient}); got != "A-7 2024-9 2023-100 2024-11 2024-10" {
		t.Fatalf("client order after migrating from before the dashboard: %q", got)
	}
}

var errRollback = errors.New("roll back")
