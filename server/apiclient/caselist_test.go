package apiclient_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

// allCases pages through ListCases two at a time and returns the pages'
// cases in order.
func allCases(t *testing.T, c *apiclient.Client, o apiclient.ListOptions) []api.Case {
	t.Helper()
	var out []api.Case
	o.Limit = 2
	for range 100 {
		page, err := c.ListCases(context.Background(), o)
		if err != nil {
			t.Fatalf("ListCases %+v: %v", o, err)
		}
		out = append(out, page.Items...)
		if page.Next == 0 {
			return out
		}
		o.After = page.Next
	}
	t.Fatal("paging does not end")
	return nil
}

func numbers(cs []api.Case) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return strings.Join(out, " ")
}

// TestListCasesSortAndWaiting: ListCases' Sort, Order and Waiting reach the
// real service: every order pages through every case once, the rows carry
// their clients' names and last activity, and the documents-waiting filter
// lists the case a client upload waits on until staff open it.
func TestListCasesSortAndWaiting(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := loggedIn(t, env, nil, "marcus@riverside.example")
	byID := allCases(t, staff, apiclient.ListOptions{})
	if len(byID) < 3 {
		t.Fatalf("the demo has %d cases", len(byID))
	}
	sortedNumbers := numbers(byID)
	for _, o := range []apiclient.ListOptions{
		{Sort: api.CaseSortNumber}, {Sort: api.CaseSortNumber, Order: api.OrderDesc},
		{Sort: api.CaseSortClient}, {Sort: api.CaseSortClient, Order: api.OrderDesc},
		{Sort: api.CaseSortStatus}, {Sort: api.CaseSortStatus, Order: api.OrderDesc},
		{Sort: api.CaseSortOpened}, {Sort: api.CaseSortOpened, Order: api.OrderDesc},
		{Sort: api.CaseSortActivity}, {Sort: api.CaseSortActivity, Order: api.OrderAsc},
	} {
		got := allCases(t, staff, o)
		if len(got) != len(byID) {
			t.Errorf("%+v: %d cases, want %d", o, len(got), len(byID))
		}
		ids := make([]uint64, 0, len(got))
		for _, c := range got {
			ids = append(ids, c.ID)
			if len(c.ClientNames) != len(c.ClientIDs) || c.LastActivity == nil {
				t.Errorf("%+v: case %s without its clients' names or last activity: %+v", o, c.Number, c)
			}
		}
		slices.Sort(ids)
		if len(slices.Compact(ids)) != len(byID) {
			t.Errorf("%+v: a case listed twice: %s", o, numbers(got))
		}
		cmp := func(a, b api.Case) int {
			switch o.Sort {
			case api.CaseSortNumber:
				return strings.Compare(a.Number, b.Number) // the demo's numbers have as many digits each
			case api.CaseSortClient:
				return strings.Compare(store.Fold(strings.Join(a.ClientNames, ",")), store.Fold(strings.Join(b.ClientNames, ",")))
			case api.CaseSortOpened:
				return a.Created.Compare(b.Created)
			case api.CaseSortActivity:
				return a.LastActivity.Compare(*b.LastActivity)
			}
			return 0
		}
		desc := o.Order == api.OrderDesc || (o.Sort == api.CaseSortActivity && o.Order == "")
		if !slices.IsSortedFunc(got, func(a, b api.Case) int {
			if desc {
				return cmp(b, a)
			}
			return cmp(a, b)
		}) {
			t.Errorf("%+v: not in order: %s", o, numbers(got))
		}
	}
	if n := numbers(allCases(t, staff, apiclient.ListOptions{})); n != sortedNumbers {
		t.Errorf("without sort: %s, want the id order %s", n, sortedNumbers)
	}

	// A client's upload waits on its case until staff open it.
	target := byID[1]
	if got := allCases(t, staff, apiclient.ListOptions{Waiting: true}); slices.ContainsFunc(got, func(c api.Case) bool { return c.ID == target.ID }) {
		t.Fatalf("case %s waiting before any upload", target.Number)
	}
	var doc store.Document
	err := env.Store.Update(ctx, func(tx *store.Tx) error {
		doc = store.Document{CaseID: target.ID, StoredName: "x", FileName: "lease.pdf", ContentType: "application/pdf", Size: 3,
			SHA256: "ab", UploaderKind: "client", UploaderID: target.ClientIDs[0]}
		if err := tx.AddDocument(&doc); err != nil {
			return err
		}
		return tx.AddWaitingDocument(doc)
	})
	if err != nil {
		t.Fatal(err)
	}
	got := allCases(t, staff, apiclient.ListOptions{Waiting: true, Sort: api.CaseSortActivity})
	if len(got) == 0 || got[0].ID != target.ID {
		t.Fatalf("waiting, latest activity first: %s, want %s first", numbers(got), target.Number)
	}
	if got := allCases(t, staff, apiclient.ListOptions{Sort: api.CaseSortActivity}); got[0].ID != target.ID {
		t.Errorf("latest activity first: %s, want %s first (just uploaded to)", numbers(got), target.Number)
	}
	if err := env.Store.Update(ctx, func(tx *store.Tx) error { _, err := tx.DocumentSeenByStaff(doc); return err }); err != nil {
		t.Fatal(err)
	}
	if got := allCases(t, staff, apiclient.ListOptions{Waiting: true}); slices.ContainsFunc(got, func(c api.Case) bool { return c.ID == target.ID }) {
		t.Fatalf("case %s still waiting after staff opened the upload", target.Number)
	}
}
