package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"clientportal/store"
	"clientportal/store/storetest"
)

// twoClientCase makes a case with two clients and a staff advocate.
func twoClientCase(t *testing.T, s *store.Store) (c store.Case, a, b store.Client, staff store.Staff) {
	t.Helper()
	err := s.Update(ctx, func(tx *store.Tx) error {
		staff = store.Staff{Email: "s@office.example", Name: "S", Role: store.RoleStaff}
		a = store.Client{Name: "A", Email: "a@example.org"}
		b = store.Client{Name: "B", Email: "b@example.org"}
		for _, err := range []error{tx.PutStaff(&staff), tx.PutClient(&a), tx.PutClient(&b)} {
			if err != nil {
				return err
			}
		}
		c = store.Case{Number: "N1", Title: "T", ClientIDs: []uint64{a.ID, b.ID}, Kind: store.KindStaff, AdvocateID: staff.ID}
		return tx.PutCase(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, a, b, staff
}

func addNote(t *testing.T, s *store.Store, n store.Note) store.Note {
	t.Helper()
	if err := s.Update(ctx, func(tx *store.Tx) error { return tx.AddNote(&n) }); err != nil {
		t.Fatalf("add note %+v: %v", n, err)
	}
	return n
}

func ids(notes []store.Note) string {
	var out []string
	for _, n := range notes {
		out = append(out, fmt.Sprint(n.ID))
	}
	return join(out)
}

func TestNotesPageNewestFirstAndClientsSeeOnlyPortalOnes(t *testing.T) {
	s := storetest.New(t)
	c, a, _, staff := twoClientCase(t, s)
	var other store.Case
	s.Update(ctx, func(tx *store.Tx) error {
		other = store.Case{Number: "N2", Title: "T2", ClientIDs: []uint64{a.ID}, Kind: store.KindStaff, AdvocateID: staff.ID}
		return tx.PutCase(&other)
	})
	for i := range 7 {
		vis := store.Portal
		if i%3 == 1 {
			vis = store.Internal
		}
		addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: fmt.Sprint("n", i), Visibility: vis})
		addNote(t, s, store.Note{CaseID: other.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "other", Visibility: store.Portal})
	}
	// Notes of case c have IDs 1,3,5,...,13; 3, 9 are internal.
	s.View(ctx, func(tx *store.Tx) error {
		for _, tt := range []struct {
			before     uint64
			limit      int
			portalOnly bool
			want       string
		}{
			{0, 3, false, "13 11 9"},
			{9, 3, false, "7 5 3"},
			{3, 3, false, "1"},
			{0, 10, true, "13 11 7 5 1"},
			{7, 2, true, "5 1"},
			{1, 5, true, ""},
		} {
			got, err := tx.Notes(c.ID, tt.before, tt.limit, tt.portalOnly)
			if err != nil || ids(got) != tt.want {
				t.Errorf("Notes(before %d, limit %d, portal %v) = %q, %v; want %q", tt.before, tt.limit, tt.portalOnly, ids(got), err, tt.want)
			}
		}
		return nil
	})
}

func TestNoteReadStateBothWays(t *testing.T) {
	s := storetest.New(t)
	c, a, b, staff := twoClientCase(t, s)
	m1 := addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "1", Visibility: store.Portal})
	addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "internal", Visibility: store.Internal})
	m2 := addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "2", Visibility: store.Portal})
	q := addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, Body: "question", Visibility: store.Portal})

	unread := func() (int, int, int) {
		var ua, ub, us int
		s.View(ctx, func(tx *store.Tx) error {
			ua, ub, us = tx.UnreadByClient(a.ID, c.ID), tx.UnreadByClient(b.ID, c.ID), tx.UnreadByStaff(c.ID)
			return nil
		})
		return ua, ub, us
	}
	if ua, ub, us := unread(); ua != 2 || ub != 2 || us != 1 {
		t.Fatalf("unread a %d b %d staff %d, want 2 2 1 (internal notes and the client's own message do not count)", ua, ub, us)
	}
	// A reads up to m1: one marked, the note remembers who and when.
	var marked []uint64
	s.Update(ctx, func(tx *store.Tx) (err error) { marked, err = tx.MarkNotesReadByClient(a.ID, c.ID, m1.ID); return err })
	if fmt.Sprint(marked) != fmt.Sprint([]uint64{m1.ID}) {
		t.Errorf("marked %v, want [%d]", marked, m1.ID)
	}
	if ua, ub, _ := unread(); ua != 1 || ub != 2 {
		t.Errorf("after A read m1: a %d b %d, want 1 2", ua, ub)
	}
	// B reads all: the note keeps A's first reading.
	s.Update(ctx, func(tx *store.Tx) (err error) { marked, err = tx.MarkNotesReadByClient(b.ID, c.ID, 0); return err })
	if len(marked) != 2 {
		t.Errorf("B marked %v, want both", marked)
	}
	s.Update(ctx, func(tx *store.Tx) (err error) { marked, err = tx.MarkNotesReadByStaff(staff.ID, c.ID, 0); return err })
	if fmt.Sprint(marked) != fmt.Sprint([]uint64{q.ID}) {
		t.Errorf("staff marked %v, want [%d]", marked, q.ID)
	}
	s.View(ctx, func(tx *store.Tx) error {
		n1, _ := tx.Note(c.ID, m1.ID)
		n2, _ := tx.Note(c.ID, m2.ID)
		nq, _ := tx.Note(c.ID, q.ID)
		if n1.ReadByClientID != a.ID || n1.ReadByClientAt.IsZero() || n2.ReadByClientID != b.ID || nq.ReadByStaffID != staff.ID || nq.ReadByStaffAt.IsZero() {
			t.Errorf("read state m1 %+v m2 %+v q %+v", n1, n2, nq)
		}
		per, err := tx.UnreadByClientPerCase(a.ID)
		if err != nil || per[c.ID] != 1 {
			t.Errorf("UnreadByClientPerCase(a) = %v, %v; want case %d: 1", per, err, c.ID)
		}
		return nil
	})
	// Reading again marks nothing and keeps the counts at zero.
	s.Update(ctx, func(tx *store.Tx) (err error) { marked, err = tx.MarkNotesReadByClient(a.ID, c.ID, 0); return err })
	s.Update(ctx, func(tx *store.Tx) (err error) { _, err = tx.MarkNotesReadByClient(a.ID, c.ID, 0); return err })
	if ua, ub, us := unread(); ua != 0 || ub != 0 || us != 0 || len(marked) != 1 {
		t.Errorf("after everyone read: a %d b %d staff %d (marked %v)", ua, ub, us, marked)
	}
}

func TestNotesRefuseWhatCannotBe(t *testing.T) {
	s := storetest.New(t)
	c, a, _, staff := twoClientCase(t, s)
	var stranger store.Client
	s.Update(ctx, func(tx *store.Tx) error {
		stranger = store.Client{Name: "X", Email: "x@example.org"}
		return tx.PutClient(&stranger)
	})
	for _, n := range []store.Note{
		{CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, Body: "x", Visibility: store.Internal},
		{CaseID: c.ID, AuthorKind: "client", AuthorID: stranger.ID, Body: "x", Visibility: store.Portal},
		{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: "public"},
		{CaseID: c.ID, AuthorKind: "robot", Body: "x", Visibility: store.Portal},
	} {
		err := s.Update(ctx, func(tx *store.Tx) error { return tx.AddNote(&n) })
		if !errors.Is(err, store.ErrNoteInput) {
			t.Errorf("AddNote %+v: %v, want ErrNoteInput", n, err)
		}
	}
	n := store.Note{CaseID: 999, AuthorKind: "staff", Body: "x", Visibility: store.Portal}
	if err := s.Update(ctx, func(tx *store.Tx) error { return tx.AddNote(&n) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddNote to a missing case: %v", err)
	}
}

func TestClientMessageSlots(t *testing.T) {
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	s := storetest.NewWithClock(t, func() time.Time { return now })
	rate := store.ClientMessageRate{Max: 3, Window: time.Minute}
	take := func() (time.Duration, error) {
		var wait time.Duration
		err := s.Update(ctx, func(tx *store.Tx) (err error) { wait, err = tx.TakeClientMessageSlot(7, rate); return err })
		return wait, err
	}
	for i := range 3 {
		if _, err := take(); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		now = now.Add(10 * time.Second)
	}
	wait, err := take()
	if !errors.Is(err, store.ErrRateLimited) || wait != 30*time.Second {
		t.Errorf("fourth message within the minute: wait %v, %v; want 30s, ErrRateLimited", wait, err)
	}
	now = now.Add(30 * time.Second)
	if _, err := take(); err != nil {
		t.Errorf("after the oldest left the window: %v", err)
	}
}

func TestEventLogSpanAndSweep(t *testing.T) {
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	s := storetest.NewWithClock(t, func() time.Time { return now })
	var span store.EventSpan
	s.View(ctx, func(tx *store.Tx) error { span = tx.EventSpan(); return nil })
	if span != (store.EventSpan{}) || !span.Covers(0) || span.Covers(1) {
		t.Errorf("empty log: span %+v covers 0 %v covers 1 %v", span, span.Covers(0), span.Covers(1))
	}
	for i := range 5 {
		s.Update(ctx, func(tx *store.Tx) error { return tx.AppendEvent(&store.Event{Type: "x", CaseID: uint64(i)}) })
		now = now.Add(time.Hour)
	}
	s.View(ctx, func(tx *store.Tx) error {
		got, err := tx.EventsAfter(2, 2)
		if err != nil || len(got) != 2 || got[0].ID != 3 || got[1].ID != 4 {
			t.Errorf("EventsAfter(2, 2) = %+v, %v", got, err)
		}
		return nil
	})
	// Events stamped before 11:00 (IDs 1 and 2) go.
	var n int
	s.Update(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.DeleteEventsBefore(time.Date(2026, 5, 1, 11, 0, 0, 0, time.UTC), 100)
		return err
	})
	s.View(ctx, func(tx *store.Tx) error { span = tx.EventSpan(); return nil })
	if n != 2 || span != (store.EventSpan{Oldest: 3, Last: 5}) {
		t.Fatalf("swept %d, span %+v; want 2, {3 5}", n, span)
	}
	for after, want := range map[uint64]bool{0: false, 1: false, 2: true, 4: true, 5: true, 6: false} {
		if span.Covers(after) != want {
			t.Errorf("Covers(%d) = %v, want %v", after, !want, want)
		}
	}
	// Everything swept: only a subscriber who saw the last event is covered.
	s.Update(ctx, func(tx *store.Tx) (err error) { _, err = tx.DeleteEventsBefore(now, 100); return err })
	s.View(ctx, func(tx *store.Tx) error { span = tx.EventSpan(); return nil })
	if span.Oldest != 0 || span.Last != 5 || span.Covers(4) || !span.Covers(5) {
		t.Errorf("empty after sweep: %+v", span)
	}
}
