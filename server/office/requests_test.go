package office_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"clientportal/server/office"
	"clientportal/store"
)

// TestSubmitToRequestRechecksTheClient: the action itself refuses a client
// who is not one of the case's clients (removed since the page was read,
// or never one), an item of another case and a cancelled item, alike with
// store.ErrNotFound, and removes the files it was given.
func TestSubmitToRequestRechecksTheClient(t *testing.T) {
	m, docs := withDocuments(t)
	items, err := m.o.AddRequests(ctx, m.staff, m.anaCase.ID, []office.RequestInput{{Title: "Lease"}, {Title: "Payslip"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := m.o.AddRequests(ctx, m.staff, m.bCase.ID, []office.RequestInput{{Title: "Ben's"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.o.CancelRequest(ctx, m.staff, items[1].ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		actor  office.Actor
		caseID uint64
		id     uint64
	}{
		{"another client's case", m.ben, m.anaCase.ID, items[0].ID},
		{"another case's item", m.ana, m.anaCase.ID, other[0].ID},
		{"a cancelled item", m.ana, m.anaCase.ID, items[1].ID},
		{"a missing item", m.ana, m.anaCase.ID, 999},
	} {
		f := put(t, docs, "lease.pdf")
		_, _, err := m.o.SubmitToRequest(ctx, tc.actor, tc.caseID, tc.id, []office.NewDocument{f})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, want not found", tc.name, err)
		}
		if n := count(t, docs.Dir()); n != 0 {
			t.Errorf("%s: %d files left", tc.name, n)
		}
	}
	r, ds, err := m.o.SubmitToRequest(ctx, m.ana, m.anaCase.ID, items[0].ID, []office.NewDocument{put(t, docs, "a.pdf"), put(t, docs, "b.pdf")})
	if err != nil || r.State != store.RequestSubmitted || len(r.DocumentIDs) != 2 || len(ds) != 2 || !ds[0].Portal {
		t.Fatalf("submit: %+v %+v %v", r, ds, err)
	}
	var types []string
	for _, e := range m.eventLog(t) {
		types = append(types, e.Type)
	}
	want := []string{"request.created", "request.created", "request.created", "request.cancelled", "document.uploaded", "document.uploaded", "request.submitted"}
	if len(types) != len(want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("events %v, want %v", types, want)
		}
	}
}

// TestRequestRaces: the client sending files while staff return and accept
// the same item, at once, from many goroutines: every action either happens
// whole or is refused, the item ends in a state its history allows, and
// every document sent is on the item (now or in an earlier submission).
func TestRequestRaces(t *testing.T) {
	m, docs := withDocuments(t)
	items, err := m.o.AddRequests(ctx, m.staff, m.anaCase.ID, []office.RequestInput{{Title: "Lease"}})
	if err != nil {
		t.Fatal(err)
	}
	id := items[0].ID
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				var err error
				switch (g + i) % 3 {
				case 0:
					st, perr := docs.Put(ctx, bytes.NewReader([]byte("%PDF-1.7\npage")))
					if perr != nil {
						t.Error(perr)
						return
					}
					_, _, err = m.o.SubmitToRequest(ctx, m.ana, m.anaCase.ID, id, []office.NewDocument{{Stored: st, FileName: "p.pdf"}})
					if err == nil {
						mu.Lock()
						sent++
						mu.Unlock()
					}
				case 1:
					_, err = m.o.ReturnRequest(ctx, m.staff, id, "again please")
				case 2:
					_, err = m.o.AcceptRequest(ctx, m.staff, id)
				}
				var oe *office.Error
				if err != nil && !(errors.As(err, &oe) && oe.Kind == office.NotActive) {
					t.Errorf("goroutine %d: %v", g, err)
				}
			}
		}()
	}
	wg.Wait()
	var r store.DocumentRequest
	var all []store.Document
	if err := m.st.View(ctx, func(tx *store.Tx) (err error) {
		if r, err = tx.Request(m.anaCase.ID, id); err != nil {
			return err
		}
		all, err = tx.CaseDocuments(m.anaCase.ID, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := len(r.DocumentIDs) + len(r.Earlier); got != sent || len(all) != sent || count(t, docs.Dir()) != sent {
		t.Errorf("%d uploads succeeded; the item holds %d documents, the case %d, the folder %d files", sent, got, len(all), count(t, docs.Dir()))
	}
	if r.State == store.RequestAccepted && len(r.DocumentIDs) == 0 {
		t.Errorf("accepted with nothing sent: %+v", r)
	}
}
