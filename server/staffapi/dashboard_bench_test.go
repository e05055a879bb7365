package staffapi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

// BenchmarkDashboard measures GET /api/v1/dashboard through the Go client
// and the real service, in the demo office grown to 20,000 cases with a
// client message on each over the last twelve weeks (5,000 of them unread),
// 2,000 submitted checklist items and 2,000 client documents waiting:
//
//	go test -run XXX -bench Dashboard -benchtime 200x ./server/staffapi/
//
// The answer is read from the store's dashboard indexes, so it costs the
// same in a small office and a large one.
func BenchmarkDashboard(b *testing.B) {
	env := servertest.Start(b, servertest.WithClock())
	ctx := context.Background()
	marcus, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		b.Fatal(err)
	}
	l := env.Login(b, "staff", "marcus@riverside.example")
	if _, err := marcus.Login(ctx, l.Email, l.Password); err != nil {
		b.Fatal(err)
	}
	b.Run("demo office", func(b *testing.B) {
		for b.Loop() {
			if _, err := marcus.Dashboard(ctx, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	if err := demo.Grow(ctx, env.Store, password.Hasher{Params: password.TestParams}, 5000, 20000, 1, nil); err != nil {
		b.Fatal(err)
	}
	var cases []store.Case
	if err := env.Store.View(ctx, func(tx *store.Tx) (err error) { cases, err = tx.SearchCases("", 0, 30000); return err }); err != nil {
		b.Fatal(err)
	}
	// 84 days of client activity, in batches of one day.
	start := env.Clock.Now()
	env.Clock.Advance(-84 * 24 * time.Hour)
	per := len(cases)/84 + 1
	for day := 0; day < 84; day++ {
		err := env.Store.Update(ctx, func(tx *store.Tx) error {
			for i := day * per; i < min((day+1)*per, len(cases)); i++ {
				c := cases[i]
				if len(c.ClientIDs) == 0 {
					continue
				}
				n := store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: c.ClientIDs[0], AuthorName: "Client",
					Body: fmt.Sprint("Question ", i), Visibility: store.Portal}
				if err := tx.AddNote(&n); err != nil {
					return err
				}
				if i%4 != 0 {
					if _, err := tx.MarkNotesReadByStaff(1, c.ID, 0); err != nil {
						return err
					}
				}
				if i%10 == 0 {
					r := store.DocumentRequest{CaseID: c.ID, Title: "Lease", CreatedBy: 1}
					if err := tx.AddRequest(&r); err != nil {
						return err
					}
					r.State, r.Submitted = store.RequestSubmitted, tx.Now()
					if err := tx.PutRequest(&r); err != nil {
						return err
					}
				}
				if i%10 == 5 {
					d := store.Document{CaseID: c.ID, StoredName: "x", FileName: "scan.pdf", ContentType: "application/pdf", Size: 1,
						SHA256: "00", UploaderKind: "client", UploaderID: c.ClientIDs[0]}
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
		env.Clock.Advance(24 * time.Hour)
	}
	env.Clock.Advance(start.Sub(env.Clock.Now()))
	var d api.Dashboard
	b.Run("20000 cases", func(b *testing.B) {
		for b.Loop() {
			var err error
			if d, err = marcus.Dashboard(ctx, 0); err != nil {
				b.Fatal(err)
			}
		}
		if d.Messages.Total < 5000 || len(d.Messages.Items) != api.DashboardListLimit || d.Uploads.Total < 4000 {
			b.Fatalf("dashboard of the grown office: %d messages, %d listed, %d uploads", d.Messages.Total, len(d.Messages.Items), d.Uploads.Total)
		}
		msgs := 0
		for _, w := range d.Activity {
			msgs += w.Messages
		}
		b.ReportMetric(float64(len(cases)), "cases")
		b.ReportMetric(float64(d.Messages.Total), "unread")
		b.ReportMetric(float64(msgs), "msgs/12wk")
	})
}
