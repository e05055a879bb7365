package app

import (
	"context"
	"testing"

	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

// BenchmarkCasesList measures what the case list screen waits for, through
// the binding and the real service, in an office of 20,000 cases:
//
//	go test -run XXX -bench CasesList -benchtime 200x ./app/
//
// The screen holds one page at a time (50 cases), so its cost does not grow
// with the office; the search reads the store's search index, a sorted page
// the order's index (store/casesort.go).
func BenchmarkCasesList(b *testing.B) {
	env := servertest.Start(b)
	if err := demo.Grow(context.Background(), env.Store, password.Hasher{Params: password.TestParams}, 5000, 20000, 2, nil); err != nil {
		b.Fatal(err)
	}
	p := New("bench")
	p.SetHTTPClient(env.HTTP.Client())
	b.Cleanup(p.Close)
	l := env.Login(b, "staff", "marcus@riverside.example")
	if _, err := p.Session.Connect(env.URL, l.Email, l.Password); err != nil {
		b.Fatal(err)
	}
	// One case in 100 has a client message no staff member has read, one
	// in 150 a client's document waiting for staff.
	if err := env.Store.Update(context.Background(), func(tx *store.Tx) error {
		for id := uint64(1); id <= uint64(tx.CountCases()); id++ {
			if id%100 != 1 && id%150 != 7 {
				continue
			}
			c, err := tx.Case(id)
			if err != nil || len(c.ClientIDs) == 0 {
				continue
			}
			if id%100 == 1 {
				if err := tx.AddNote(&store.Note{CaseID: id, AuthorKind: "client", AuthorID: c.ClientIDs[0], Body: "a question", Visibility: store.Portal}); err != nil {
					return err
				}
				continue
			}
			d := store.Document{CaseID: id, StoredName: "x", FileName: "f.pdf", ContentType: "application/pdf", Size: 3, SHA256: "ab",
				UploaderKind: "client", UploaderID: c.ClientIDs[0]}
			if err := tx.AddDocument(&d); err != nil {
				return err
			}
			if err := tx.AddWaitingDocument(d); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	middle, err := p.Cases.List("BULK-0100", 0, 1)
	if err != nil || len(middle.Items) == 0 {
		b.Fatalf("find a case in the middle: %+v, %v", middle, err)
	}
	// A status and an advocate of the grown office, to filter on.
	var status string
	var advocate uint64
	if err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		c, err := tx.Case(middle.Items[0].ID)
		if c.Current != nil {
			status = c.Current.Status
		}
		advocate = c.AdvocateID
		return err
	}); err != nil || status == "" || advocate == 0 {
		b.Fatalf("the middle case has no status or advocate (%q, %d): %v", status, advocate, err)
	}
	for _, bc := range []struct {
		name   string
		query  string
		after  uint64
		filter *CaseFilter
	}{
		{"first page", "", 0, nil},
		{"page after case 10000", "", middle.Items[0].ID, nil},
		{"search by client name", "Client 04321", 0, nil},
		{"search with no match", "no such words", 0, nil},
		{"unread client messages", "", 0, &CaseFilter{Unread: true}},
		{"unread, page after case 10000", "", middle.Items[0].ID, &CaseFilter{Unread: true}},
		{"unread, search with no match", "", 0, &CaseFilter{Query: "no such words", Unread: true}},
		{"status " + status, "", 0, &CaseFilter{Status: status}},
		{"status, page after case 10000", "", middle.Items[0].ID, &CaseFilter{Status: status}},
		{"advocate", "", 0, &CaseFilter{AdvocateID: advocate}},
		{"advocate and status and unread", "", 0, &CaseFilter{AdvocateID: advocate, Status: status, Unread: true}},
		{"sorted by last activity", "", 0, &CaseFilter{Sort: "activity"}},
		{"sorted by last activity, page after case 10000", "", middle.Items[0].ID, &CaseFilter{Sort: "activity"}},
		{"sorted by client name", "", 0, &CaseFilter{Sort: "client"}},
		{"sorted by number, descending", "", 0, &CaseFilter{Sort: "number", Order: "desc"}},
		{"sorted by status", "", 0, &CaseFilter{Sort: "status"}},
		{"documents waiting", "", 0, &CaseFilter{Waiting: true}},
		{"documents waiting, by client name", "", 0, &CaseFilter{Waiting: true, Sort: "client"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			list := p.Cases.List
			if bc.filter != nil {
				list = func(_ string, after uint64, limit int) (CaseList, error) {
					return p.Cases.Find(*bc.filter, after, limit)
				}
			}
			rows := 0
			for b.Loop() {
				page, err := list(bc.query, bc.after, 0)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(page.Items)
			}
			b.ReportMetric(float64(rows), "rows/page")
			if bc.query == "" && bc.filter == nil && bc.after == 0 && rows != 50 {
				b.Fatalf("a page holds %d cases, want 50", rows)
			}
		})
	}
}
