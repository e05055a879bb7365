package app

import (
	"context"
	"testing"

	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/server/servertest"
)

// BenchmarkCasesList measures what the case list screen waits for, through
// the binding and the real service, in an office of 20,000 cases:
//
//	go test -run XXX -bench CasesList -benchtime 200x ./app/
//
// The screen holds one page at a time (50 cases), so its cost does not grow
// with the office; the search reads the store's search index.
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
	middle, err := p.Cases.List("BULK-0100", 0, 1)
	if err != nil || len(middle.Items) == 0 {
		b.Fatalf("find a case in the middle: %+v, %v", middle, err)
	}
	for _, bc := range []struct {
		name  string
		query string
		after uint64
	}{
		{"first page", "", 0},
		{"page after case 10000", "", middle.Items[0].ID},
		{"search by client name", "Client 04321", 0},
		{"search with no match", "no such words", 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				page, err := p.Cases.List(bc.query, bc.after, 0)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(page.Items)
			}
			b.ReportMetric(float64(rows), "rows/page")
			if bc.query == "" && rows != 50 {
				b.Fatalf("a page holds %d cases, want 50", rows)
			}
		})
	}
}
