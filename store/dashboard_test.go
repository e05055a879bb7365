package store_test

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"clientportal/store"
	"clientportal/store/storetest"

	bolt "go.etcd.io/bbolt"
)

type dashboardState struct {
	unread, waiting int
	newestNote      uint64
	kinds           []string
	activity        store.ActivityDay
}

func readDashboard(t *testing.T, s *store.Store, day time.Time) dashboardState {
	t.Helper()
	var d dashboardState
	err := s.View(ctx, func(tx *store.Tx) error {
		n, notes, err := tx.UnreadByStaffNewest(5)
		if err != nil {
			return err
		}
		d.unread = n
		if len(notes) > 0 {
			d.newestNote = notes[0].ID
		}
		w, items, err := tx.UploadsWaiting(5)
		if err != nil {
			return err
		}
		d.waiting = w
		for _, it := range items {
			d.kinds = append(d.kinds, it.Kind)
		}
		act, err := tx.Activity(day, day)
		d.activity = act[day.UTC().Format(time.DateOnly)]
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDashboardIndexes: a client's message is waiting until staff read it, a
// submitted checklist item until it is accepted, a client's free upload until
// staff open it; the day's activity counts messages, uploads and sign-ins;
// and the migration builds the same from a file written before it.
func TestDashboardIndexes(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	s, err := store.Open(dir, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c, a, _, staff := twoClientCase(t, s)
	m1 := addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, Body: "one", Visibility: store.Portal})
	m2 := addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, Body: "two", Visibility: store.Portal})
	addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "reply", Visibility: store.Portal})
	if d := readDashboard(t, s, now); d.unread != 2 || d.newestNote != m2.ID || d.activity.Messages != 2 {
		t.Fatalf("after two client messages: %+v, want 2 unread, newest %d, 2 messages today", d, m2.ID)
	}
	var doc store.Document
	var req store.DocumentRequest
	err = s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.MarkNotesReadByStaff(staff.ID, c.ID, m1.ID); err != nil {
			return err
		}
		doc = store.Document{CaseID: c.ID, StoredName: "x", FileName: "lease.pdf", ContentType: "application/pdf", Size: 3,
			SHA256: "ab", UploaderKind: "client", UploaderID: a.ID}
		if err := tx.AddDocument(&doc); err != nil {
			return err
		}
		if err := tx.AddWaitingDocument(doc); err != nil {
			return err
		}
		req = store.DocumentRequest{CaseID: c.ID, Title: "ID card", CreatedBy: staff.ID}
		if err := tx.AddRequest(&req); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "client", ActorID: a.ID, Action: "client.login"})
	})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	err = s.Update(ctx, func(tx *store.Tx) error {
		req.State, req.Submitted, req.DocumentIDs = store.RequestSubmitted, now, []uint64{doc.ID}
		return tx.PutRequest(&req)
	})
	if err != nil {
		t.Fatal(err)
	}
	d := readDashboard(t, s, now)
	if d.unread != 1 || d.newestNote != m2.ID || d.waiting != 2 || len(d.kinds) != 2 || d.kinds[0] != store.WaitingRequest ||
		d.activity != (store.ActivityDay{SignIns: 1, Messages: 2, Uploads: 1}) {
		t.Fatalf("after reading one, an upload, a submitted item and a sign-in: %+v", d)
	}

	// The migration, from a file as the version before it left it.
	s.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		// Before the dashboard's step, the fourth to last (the case
		// facets', order's and activity quarters' steps after it run again
		// too, which they may; the quarter hours then replace its days).
		binary.BigEndian.PutUint64(v, uint64(store.SchemaVersion()-4))
		for _, b := range []string{"unread_staff_by_note", "uploads_waiting", "dashboard_counts", "activity_quarters"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		if tx.Bucket([]byte("activity_days")) != nil {
			return errors.New("the daily activity counts are still there after their migration step")
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(dir, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d = readDashboard(t, s, now)
	// The free upload is not known to be unopened: only the item waits.
	if d.unread != 1 || d.newestNote != m2.ID || d.waiting != 1 || d.kinds[0] != store.WaitingRequest ||
		d.activity != (store.ActivityDay{SignIns: 1, Messages: 2, Uploads: 1}) {
		t.Fatalf("after the migration: %+v", d)
	}

	// Accepting the item and reading the rest empties the lists.
	err = s.Update(ctx, func(tx *store.Tx) error {
		req.State = store.RequestAccepted
		if err := tx.PutRequest(&req); err != nil {
			return err
		}
		_, err := tx.MarkNotesReadByStaff(staff.ID, c.ID, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := readDashboard(t, s, now); d.unread != 0 || d.waiting != 0 {
		t.Fatalf("after accepting and reading all: %+v", d)
	}
}

// TestDocumentSeenByStaff: opening takes a waiting document off, once.
func TestDocumentSeenByStaff(t *testing.T) {
	s := storetest.New(t)
	c, a, _, _ := twoClientCase(t, s)
	err := s.Update(ctx, func(tx *store.Tx) error {
		for i := range 2 {
			d := store.Document{CaseID: c.ID, StoredName: "x", FileName: "f.pdf", ContentType: "application/pdf", Size: 3,
				SHA256: "ab", UploaderKind: "client", UploaderID: a.ID}
			if err := tx.AddDocument(&d); err != nil {
				return err
			}
			if err := tx.AddWaitingDocument(d); err != nil {
				return err
			}
			if i == 0 {
				for range 2 {
					if _, err := tx.DocumentSeenByStaff(d); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := readDashboard(t, s, time.Now()); d.waiting != 1 || len(d.kinds) != 1 {
		t.Fatalf("one of two documents opened (twice): %+v, want 1 waiting", d)
	}
}
