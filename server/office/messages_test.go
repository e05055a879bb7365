package office_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"clientportal/server/office"
	"clientportal/server/password"
	"clientportal/store"
	"clientportal/store/storetest"
)

// published records what the office publishes after commit, as the hub
// would receive it.
type published struct {
	mu     sync.Mutex
	events []store.Event
}

func (p *published) Publish(events []store.Event) {
	p.mu.Lock()
	p.events = append(p.events, events...)
	p.mu.Unlock()
}

// messageOffice is an office over a real store with a staff member, two
// clients and one case each.
type messageOffice struct {
	o              *office.Office
	st             *store.Store
	pub            *published
	staff          office.Actor
	ana, ben       office.Actor
	anaCase, bCase store.Case
}

func newMessageOffice(t *testing.T) *messageOffice {
	t.Helper()
	m := &messageOffice{st: storetest.New(t), pub: &published{}}
	m.o = office.New(m.st, passwords{password.Hasher{Params: password.TestParams}}, office.WithPublisher(m.pub))
	err := m.st.Update(ctx, func(tx *store.Tx) error {
		s := store.Staff{Email: "marcus@office.example", Name: "Marcus", Role: store.RoleStaff}
		a := store.Client{Name: "Ana", Email: "ana@example.org"}
		b := store.Client{Name: "Ben", Email: "ben@example.org"}
		for _, err := range []error{tx.PutStaff(&s), tx.PutClient(&a), tx.PutClient(&b)} {
			if err != nil {
				return err
			}
		}
		m.staff = office.Actor{Kind: "staff", ID: s.ID, Name: s.Name}
		m.ana = office.Actor{Kind: "client", ID: a.ID, Name: a.Name}
		m.ben = office.Actor{Kind: "client", ID: b.ID, Name: b.Name}
		m.anaCase = store.Case{Number: "A1", Title: "Ana's", ClientIDs: []uint64{a.ID}, Kind: store.KindStaff, AdvocateID: s.ID}
		m.bCase = store.Case{Number: "B1", Title: "Ben's", ClientIDs: []uint64{b.ID}, Kind: store.KindStaff, AdvocateID: s.ID}
		if err := tx.PutCase(&m.anaCase); err != nil {
			return err
		}
		return tx.PutCase(&m.bCase)
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *messageOffice) eventLog(t *testing.T) []store.Event {
	t.Helper()
	var evs []store.Event
	m.st.View(ctx, func(tx *store.Tx) (err error) { evs, err = tx.EventsAfter(0, 1000); return err })
	return evs
}

func TestMessagesWriteTheirEventsAndPublishThem(t *testing.T) {
	m := newMessageOffice(t)
	portal, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, "Your interview is on Monday.\r\nBring your passport.", store.Portal)
	if err != nil {
		t.Fatal(err)
	}
	if portal.Body != "Your interview is on Monday.\nBring your passport." || portal.AuthorName != "Marcus" {
		t.Errorf("portal message %+v", portal)
	}
	internal, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, "Client seemed worried.", store.Internal)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "Thank you, I will.")
	if err != nil {
		t.Fatal(err)
	}
	if answer.ToStaffID != m.staff.ID || answer.Visibility != store.Portal || answer.AuthorKind != "client" {
		t.Errorf("client message %+v: want a portal message to the advocate", answer)
	}
	logged := m.eventLog(t)
	want := []store.Event{
		{Type: "message.created", CaseID: m.anaCase.ID, Ref: portal.ID, ClientIDs: []uint64{m.ana.ID}},
		{Type: "message.created", CaseID: m.anaCase.ID, Ref: internal.ID, StaffOnly: true},
		{Type: "message.created", CaseID: m.anaCase.ID, Ref: answer.ID, ClientIDs: []uint64{m.ana.ID}},
	}
	if len(logged) != len(want) {
		t.Fatalf("event log %+v, want %d events", logged, len(want))
	}
	for i, e := range logged {
		w := want[i]
		if e.Type != w.Type || e.CaseID != w.CaseID || e.Ref != w.Ref || e.StaffOnly != w.StaffOnly ||
			len(e.ClientIDs) != len(w.ClientIDs) || (len(w.ClientIDs) > 0 && e.ClientIDs[0] != w.ClientIDs[0]) {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
	}
	m.pub.mu.Lock()
	defer m.pub.mu.Unlock()
	if len(m.pub.events) != 3 || m.pub.events[0].ID != logged[0].ID || m.pub.events[2].ID != logged[2].ID {
		t.Errorf("published %+v, want the three logged events with their IDs", m.pub.events)
	}
}

func TestMessagesRefuseBadInputAndChangeNothing(t *testing.T) {
	m := newMessageOffice(t)
	before := auditCount(t, m.st)
	for _, tt := range []struct {
		name string
		post func() error
		kind string // "invalid", "notfound", "limit", "error"
	}{
		{"empty", func() error {
			_, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, "  \n ", store.Portal)
			return err
		}, "invalid"},
		{"too long", func() error {
			_, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, strings.Repeat("é", office.MaxMessage+1), store.Portal)
			return err
		}, "invalid"},
		{"control characters", func() error { _, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "hi\x00there"); return err }, "invalid"},
		{"not UTF-8", func() error { _, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "\xff\xfe"); return err }, "invalid"},
		{"visibility", func() error { _, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, "x", "public"); return err }, "invalid"},
		{"missing case", func() error { _, err := m.o.PostStaffMessage(ctx, m.staff, 999, "x", store.Portal); return err }, "notfound"},
		{"client into a foreign case", func() error { _, err := m.o.PostClientMessage(ctx, m.ana, m.bCase.ID, "x"); return err }, "notfound"},
		{"client into a missing case", func() error { _, err := m.o.PostClientMessage(ctx, m.ana, 999, "x"); return err }, "notfound"},
		{"client marks a foreign case", func() error { _, err := m.o.MarkReadByClient(ctx, m.ana, m.bCase.ID, 0); return err }, "notfound"},
		{"staff posing as a client", func() error { _, err := m.o.PostClientMessage(ctx, m.staff, m.anaCase.ID, "x"); return err }, "error"},
	} {
		err := tt.post()
		var oe *office.Error
		switch tt.kind {
		case "invalid":
			if !errors.As(err, &oe) || oe.Field == "" || oe.Message == "" {
				t.Errorf("%s: %v, want an *office.Error naming the field", tt.name, err)
			}
		case "notfound":
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: %v, want not found", tt.name, err)
			}
		default:
			if err == nil {
				t.Errorf("%s: accepted", tt.name)
			}
		}
	}
	if n := auditCount(t, m.st); n != before || len(m.eventLog(t)) != 0 {
		t.Errorf("refused posts wrote %d audit entries and %d events", n-before, len(m.eventLog(t)))
	}
}

func TestClientMessagesAreRateLimited(t *testing.T) {
	m := newMessageOffice(t)
	for i := range office.ClientMessages {
		if _, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "question"); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	_, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "one too many")
	var rl *office.RateLimited
	if !errors.As(err, &rl) || rl.RetryAfter <= 0 || rl.RetryAfter > office.ClientMessageWindow {
		t.Fatalf("message %d within the window: %v, want *office.RateLimited with a wait", office.ClientMessages+1, err)
	}
	// Another client is not held back, and staff never are.
	if _, err := m.o.PostClientMessage(ctx, m.ben, m.bCase.ID, "hello"); err != nil {
		t.Errorf("another client: %v", err)
	}
	if _, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, "answer", store.Portal); err != nil {
		t.Errorf("staff: %v", err)
	}
}

// TestConcurrentClientPostsKeepTheLimit: the limit holds for posts racing
// from many sessions at once.
func TestConcurrentClientPostsKeepTheLimit(t *testing.T) {
	m := newMessageOffice(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 3 * office.ClientMessages {
		wg.Go(func() {
			if _, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "flood"); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != office.ClientMessages {
		t.Errorf("%d of %d racing posts accepted, want exactly %d", ok, 3*office.ClientMessages, office.ClientMessages)
	}
}

func TestMarkingReadWritesOnlyWhenSomethingWasNew(t *testing.T) {
	m := newMessageOffice(t)
	for range 2 {
		if _, err := m.o.PostStaffMessage(ctx, m.staff, m.anaCase.ID, "news", store.Portal); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.o.PostClientMessage(ctx, m.ana, m.anaCase.ID, "thanks"); err != nil {
		t.Fatal(err)
	}
	before, events := auditCount(t, m.st), len(m.eventLog(t))
	if n, err := m.o.MarkReadByClient(ctx, m.ana, m.anaCase.ID, 0); err != nil || n != 2 {
		t.Errorf("client read: %d, %v; want 2", n, err)
	}
	if n, err := m.o.MarkReadByStaff(ctx, m.staff, m.anaCase.ID, 0); err != nil || n != 1 {
		t.Errorf("staff read: %d, %v; want 1", n, err)
	}
	for range 3 {
		if n, err := m.o.MarkReadByClient(ctx, m.ana, m.anaCase.ID, 0); err != nil || n != 0 {
			t.Errorf("client read again: %d, %v", n, err)
		}
		if n, err := m.o.MarkReadByStaff(ctx, m.staff, m.anaCase.ID, 0); err != nil || n != 0 {
			t.Errorf("staff read again: %d, %v", n, err)
		}
	}
	evs := m.eventLog(t)[events:]
	if got := auditCount(t, m.st) - before; got != 2 || len(evs) != 2 {
		t.Fatalf("reading wrote %d audit entries and %d events, want 2 and 2", got, len(evs))
	}
	if evs[0].Type != "message.read" || evs[0].StaffOnly || len(evs[0].ClientIDs) != 1 || evs[0].ClientIDs[0] != m.ana.ID {
		t.Errorf("client's read event %+v: want message.read for Ana's pages and staff", evs[0])
	}
	if evs[1].Type != "message.read" || !evs[1].StaffOnly {
		t.Errorf("staff's read event %+v: want message.read for staff only", evs[1])
	}
}
