package store_test

import (
	"fmt"
	"testing"
	"time"

	"clientportal/store"
)

// BenchmarkCaseList measures one page (50 cases and the one that says there
// is a next) of the case list in an office of 30,000 cases in a real bbolt
// file: the first page and a deep one, each filter, each sort order both ways:
//
//	go test -run XXX -bench CaseList -benchmem ./store/
//
// One case in 100 has an unread client message, one in 150 an upload
// waiting for staff; statuses and advocates are spread evenly.
func BenchmarkCaseList(b *testing.B) {
	const cases, clients, advocates = 30000, 12000, 6
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	s, err := store.Open(b.TempDir(), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	statuses := store.DefaultSettings().Statuses
	var staffIDs, clientIDs []uint64
	err = s.Update(ctx, func(tx *store.Tx) error {
		for i := range advocates {
			st := store.Staff{Email: fmt.Sprintf("s%d@office.example", i), Name: fmt.Sprintf("Advocate %d", i), Role: store.RoleStaff}
			if err := tx.PutStaff(&st); err != nil {
				return err
			}
			staffIDs = append(staffIDs, st.ID)
		}
		for i := range clients {
			cl := store.Client{Name: fmt.Sprintf("Client %05d Pérez", (i*7919)%clients), Email: fmt.Sprintf("c%d@example.org", i)}
			if err := tx.PutClient(&cl); err != nil {
				return err
			}
			clientIDs = append(clientIDs, cl.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < cases; start += 1000 {
		err := s.Update(ctx, func(tx *store.Tx) error {
			for i := start; i < start+1000; i++ {
				now = now.Add(time.Minute)
				cl := clientIDs[i%clients]
				c := store.Case{Number: fmt.Sprintf("HOU-%d-%d", 2020+i%7, (i*104729)%cases), Title: fmt.Sprintf("Matter %d", i),
					ClientIDs: []uint64{cl}, Kind: store.KindStaff, AdvocateID: staffIDs[i%advocates]}
				if err := tx.PutCase(&c); err != nil {
					return err
				}
				if err := tx.AddStatusEntry(&store.StatusEntry{CaseID: c.ID, Date: now, Status: statuses[(i*31)%len(statuses)].ID}); err != nil {
					return err
				}
				if i%100 == 3 {
					if err := tx.AddNote(&store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: cl, Body: "a question", Visibility: store.Portal}); err != nil {
						return err
					}
				}
				if i%150 == 7 {
					d := store.Document{CaseID: c.ID, StoredName: "x", FileName: "f.pdf", ContentType: "application/pdf", Size: 3,
						SHA256: "ab", UploaderKind: "client", UploaderID: cl}
					if err := tx.AddDocument(&d); err != nil {
						return err
					}
					if err := tx.AddWaitingDocument(d); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// A deep page: the one after the 25,000th case of each order.
	deepAfter := func(f store.CaseFilter, o store.CaseSort) uint64 {
		var after uint64
		err := s.View(ctx, func(tx *store.Tx) error {
			page, err := tx.SortedCases(f, o, 0, 25000)
			if len(page) > 0 {
				after = page[len(page)-1].ID
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		return after
	}
	status, advocate := statuses[3].ID, staffIDs[2]
	type bench struct {
		name string
		f    store.CaseFilter
		o    store.CaseSort
		deep bool
	}
	runs := []bench{
		{"first page", store.CaseFilter{}, store.CaseSort{}, false},
		{"deep page", store.CaseFilter{}, store.CaseSort{}, true},
		{"search", store.CaseFilter{Q: "client 04321"}, store.CaseSort{}, false},
		{"search no match", store.CaseFilter{Q: "no such words"}, store.CaseSort{}, false},
		{"filter status", store.CaseFilter{Status: status}, store.CaseSort{}, false},
		{"filter advocate", store.CaseFilter{Advocate: advocate}, store.CaseSort{}, false},
		{"filter unread", store.CaseFilter{Unread: true}, store.CaseSort{}, false},
		{"filter waiting", store.CaseFilter{Waiting: true}, store.CaseSort{}, false},
	}
	for _, by := range []string{store.SortActivity, store.SortNumber, store.SortClient, store.SortStatus, store.SortOpened} {
		for _, desc := range []bool{false, true} {
			o := store.CaseSort{By: by, Desc: desc}
			dir := "asc"
			if desc {
				dir = "desc"
			}
			runs = append(runs, bench{"sort " + by + " " + dir, store.CaseFilter{}, o, false},
				bench{"sort " + by + " " + dir + " deep page", store.CaseFilter{}, o, true})
		}
	}
	for _, f := range []struct {
		name string
		f    store.CaseFilter
	}{
		{"status", store.CaseFilter{Status: status}}, {"advocate", store.CaseFilter{Advocate: advocate}},
		{"unread", store.CaseFilter{Unread: true}}, {"waiting", store.CaseFilter{Waiting: true}},
		{"search", store.CaseFilter{Q: "client 0432"}}, {"broad search", store.CaseFilter{Q: "pérez"}},
	} {
		runs = append(runs, bench{"filter " + f.name + " sort client", f.f, store.CaseSort{By: store.SortClient}, false},
			bench{"filter " + f.name + " sort activity desc", f.f, store.CaseSort{By: store.SortActivity, Desc: true}, false})
	}
	for _, r := range runs {
		after := uint64(0)
		if r.deep {
			if after = deepAfter(r.f, r.o); after == 0 {
				b.Fatalf("%s: no case 25,000", r.name)
			}
		}
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			rows := 0
			for b.Loop() {
				err := s.View(ctx, func(tx *store.Tx) error {
					page, err := tx.SortedCases(r.f, r.o, after, 51)
					rows = len(page)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "cases/page")
		})
	}
}
