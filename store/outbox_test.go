package store_test

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"clientportal/store"
	"clientportal/store/storetest"
)

// The outbox keeps its indexes as entries move through their states: due
// entries come out in order, a recipient's open entry is found while it can
// absorb changes and not after, and the states list newest first, paged.
func TestOutboxIndexes(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := storetest.NewWithClock(t, func() time.Time { return now })
	put := func(e *store.OutboxEntry) {
		t.Helper()
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.PutOutboxEntry(e) }); err != nil {
			t.Fatal(err)
		}
	}
	a := store.OutboxEntry{Key: "client:1", To: "a@example.org", State: store.OutboxPending, NextTry: now.Add(2 * time.Minute)}
	b := store.OutboxEntry{Key: "client:2", To: "b@example.org", State: store.OutboxPending, NextTry: now.Add(time.Minute)}
	put(&a)
	put(&b)
	view := func(fn func(tx *store.Tx)) {
		t.Helper()
		s.View(ctx, func(tx *store.Tx) error { fn(tx); return nil })
	}
	view(func(tx *store.Tx) {
		if due, _ := tx.DueOutbox(now.Add(90*time.Second), 10); len(due) != 1 || due[0].ID != b.ID {
			t.Errorf("due at +90s: %+v, want only b", due)
		}
		if due, _ := tx.DueOutbox(now.Add(time.Hour), 10); len(due) != 2 || due[0].ID != b.ID || due[1].ID != a.ID {
			t.Errorf("due at +1h: %+v, want b then a", due)
		}
		if next, ok := tx.NextOutboxDue(); !ok || !next.Equal(b.NextTry) {
			t.Errorf("next due %v %v, want %v", next, ok, b.NextTry)
		}
		if open, ok, _ := tx.OpenOutboxEntry("client:1"); !ok || open.ID != a.ID {
			t.Errorf("open entry of client:1: %+v %v", open, ok)
		}
	})
	// Sending: not due, not open; the state index moves.
	a.State, a.NextTry = store.OutboxSending, time.Time{}
	put(&a)
	view(func(tx *store.Tx) {
		if due, _ := tx.DueOutbox(now.Add(time.Hour), 10); len(due) != 1 || due[0].ID != b.ID {
			t.Errorf("due with a sending: %+v", due)
		}
		if _, ok, _ := tx.OpenOutboxEntry("client:1"); ok {
			t.Error("a sending entry is open")
		}
		if l, _ := tx.OutboxInState(store.OutboxSending, 0, 10); len(l) != 1 || l[0].ID != a.ID {
			t.Errorf("sending: %+v", l)
		}
		if l, _ := tx.OutboxInState(store.OutboxPending, 0, 10); len(l) != 1 || l[0].ID != b.ID {
			t.Errorf("pending: %+v", l)
		}
	})
	// Failed with a retry: open and due again; sent: the last sending time.
	b.State, b.NextTry, b.LastError = store.OutboxFailed, now.Add(time.Hour), "421 try later"
	put(&b)
	a.State, a.Sent = store.OutboxSent, now
	put(&a)
	view(func(tx *store.Tx) {
		if open, ok, _ := tx.OpenOutboxEntry("client:2"); !ok || open.ID != b.ID {
			t.Errorf("a failed entry with a retry is not open: %+v", open)
		}
		if last, _ := tx.OutboxLastSent("client:1"); !last.Equal(now) {
			t.Errorf("last sent %v, want %v", last, now)
		}
		if l, _ := tx.OutboxInState(store.OutboxFailed, 0, 10); len(l) != 1 || l[0].LastError != "421 try later" {
			t.Errorf("failed: %+v", l)
		}
	})
	// Given up: not open, not due, still listed as failed.
	b.NextTry = time.Time{}
	put(&b)
	view(func(tx *store.Tx) {
		if _, ok, _ := tx.OpenOutboxEntry("client:2"); ok {
			t.Error("a given-up entry is open")
		}
		if _, ok := tx.NextOutboxDue(); ok {
			t.Error("something is due")
		}
		if l, _ := tx.OutboxInState(store.OutboxFailed, 0, 10); len(l) != 1 {
			t.Errorf("failed: %+v", l)
		}
	})

	// Paging newest first, in one state and in all.
	for range 5 {
		e := store.OutboxEntry{Key: "office", State: store.OutboxSent, Sent: now}
		put(&e)
	}
	view(func(tx *store.Tx) {
		for _, state := range []string{"", store.OutboxSent} {
			var seen []uint64
			before := uint64(0)
			for {
				page, err := tx.OutboxInState(state, before, 2)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				for _, e := range page {
					if len(seen) > 0 && e.ID >= seen[len(seen)-1] {
						t.Errorf("state %q: %d after %d, want newest first", state, e.ID, seen[len(seen)-1])
					}
					seen = append(seen, e.ID)
				}
				before = page[len(page)-1].ID
			}
			want := map[string]int{"": 7, store.OutboxSent: 6}[state]
			if len(seen) != want {
				t.Errorf("state %q: paged %v, want %d entries", state, seen, want)
			}
		}
	})
}

// A store of schema 4 gets the outbox when it is opened.
func TestMigrationAddsOutbox(t *testing.T) {
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
	db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 4)
		tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
		for _, b := range []string{"outbox", "outbox_state", "outbox_due", "outbox_keys"} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	s, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(ctx, func(tx *store.Tx) error {
		e := store.OutboxEntry{Key: "office", State: store.OutboxPending, NextTry: tx.Now()}
		return tx.PutOutboxEntry(&e)
	})
	if err != nil {
		t.Fatalf("outbox after migration: %v", err)
	}
}

// Pruning deletes sent entries older than the cut, and nothing else.
func TestPruneOutbox(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	s := storetest.NewWithClock(t, func() time.Time { return now })
	day := 24 * time.Hour
	entries := []store.OutboxEntry{
		{Key: "client:1", State: store.OutboxSent, Sent: now.Add(-100 * day)},
		{Key: "client:2", State: store.OutboxSent, Sent: now.Add(-91 * day)},
		{Key: "client:3", State: store.OutboxSent, Sent: now.Add(-day)},
		{Key: "client:4", State: store.OutboxFailed, LastError: "given up"},
		{Key: "client:5", State: store.OutboxPending, NextTry: now},
	}
	err := s.Update(ctx, func(tx *store.Tx) error {
		for i := range entries {
			if err := tx.PutOutboxEntry(&entries[i]); err != nil {
				return err
			}
		}
		n, err := tx.PruneOutbox(now.Add(-90*day), 100)
		if n != 2 {
			t.Errorf("pruned %d, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *store.Tx) error {
		all, _ := tx.OutboxInState("", 0, 100)
		sent, _ := tx.OutboxInState(store.OutboxSent, 0, 100)
		if len(all) != 3 || len(sent) != 1 || sent[0].Key != "client:3" {
			t.Errorf("after pruning: all %+v, sent %+v", all, sent)
		}
		return nil
	})
}
