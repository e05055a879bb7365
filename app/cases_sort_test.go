package app

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"clientportal/server/servertest"
	"clientportal/store"
)

// TestCasesFindWaitingAndSorted: through the binding and the real service,
// the documents-waiting filter follows a client's upload and a checklist
// item from arrival to staff opening, returning or accepting it; the sort
// orders page through the office; an unknown order is refused naming it.
func TestCasesFindWaitingAndSorted(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, dana, "HOU-2026-0317")
	waiting := func() []uint64 {
		t.Helper()
		page, err := p.Cases.Find(CaseFilter{Waiting: true}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, r := range page.Items {
			out = append(out, r.ID)
		}
		return out
	}
	expect := func(what string, want bool) {
		t.Helper()
		if got := slices.Contains(waiting(), id); got != want {
			t.Fatalf("%s: listed with documents waiting = %v, want %v", what, got, want)
		}
	}
	expect("before any upload", false)

	clientUploads(t, env, "jose@example.org", id, "lease.pdf", "")
	expect("after the client's upload", true)
	sorted, err := p.Cases.Find(CaseFilter{Sort: "activity"}, 0, 3)
	if err != nil || len(sorted.Items) == 0 || sorted.Items[0].ID != id {
		t.Fatalf("latest activity first after the upload: %+v, %v", sorted.Items, err)
	}
	if r := sorted.Items[0]; r.ClientNames == "" || r.Activity == "" || r.Opened == "" {
		t.Errorf("row without clients, activity or opened: %+v", r)
	}
	docs, err := p.Documents.List(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.UploaderKind == "client" && d.Name == "lease.pdf" {
			if _, err := p.Documents.download(d, filepath.Join(t.TempDir(), "lease.pdf")); err != nil {
				t.Fatal(err)
			}
		}
	}
	expect("after staff opened it", false)

	items, err := p.Requests.Add(id, []NewRequest{{Title: "Pay stubs"}})
	if err != nil {
		t.Fatal(err)
	}
	item := items[len(items)-1].ID
	expect("an item asked for", false)
	clientUploadsToItem(t, env, "jose@example.org", id, item, "stubs.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	expect("the item submitted", true)
	if _, err := p.Requests.Return(item, "The page is cut off; please send all of it."); err != nil {
		t.Fatal(err)
	}
	expect("the item returned", false)
	clientUploadsToItem(t, env, "jose@example.org", id, item, "stubs2.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	expect("the item sent again", true)
	if _, err := p.Requests.Accept(item); err != nil {
		t.Fatal(err)
	}
	expect("the item accepted", false)

	// Client order, both ways, paged two at a time.
	for _, order := range []string{"asc", "desc"} {
		var names []string
		after := uint64(0)
		for range 50 {
			page, err := p.Cases.Find(CaseFilter{Sort: "client", Order: order}, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				names = append(names, store.Fold(r.ClientNames))
			}
			if after = page.Next; after == 0 {
				break
			}
		}
		want := slices.Clone(names)
		slices.Sort(want)
		if order == "desc" {
			slices.Reverse(want)
		}
		if len(names) < 3 || !slices.Equal(names, want) {
			t.Errorf("client order %s: %q", order, names)
		}
	}

	_, err = p.Cases.Find(CaseFilter{Sort: "title"}, 0, 0)
	if apiCode(err) != "invalid" || !strings.Contains(err.Error(), "sort must be one of") {
		t.Errorf("unknown sort: %v (code %q)", err, apiCode(err))
	}
}
