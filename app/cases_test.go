package app

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"clientportal/server/servertest"
)

// TestCasesList pages and searches the real service's cases.
func TestCasesList(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")

	// Two pages of two: every demo case once, in order.
	first, err := p.Cases.List("", 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 2 || first.Next == 0 {
		t.Fatalf("first page = %+v, want 2 cases and a next page", first)
	}
	second, err := p.Cases.List("", first.Next, 2)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range append(first.Items, second.Items...) {
		if seen[r.Number] {
			t.Errorf("case %s on two pages", r.Number)
		}
		seen[r.Number] = true
	}
	if len(seen) != 4 || second.Next != 0 {
		t.Errorf("two pages hold %v (next %d), want the 4 demo cases and no third page", seen, second.Next)
	}

	for _, tt := range []struct {
		query   string
		numbers []string
	}{
		{"  eviction ", []string{"HOU-2026-0317"}},
		{"jose ramirez", []string{"HOU-2026-0317", "FAM-2026-0058"}}, // accents and case ignored
		{"no such thing", nil},
	} {
		got, err := p.Cases.List(tt.query, 0, 0)
		if err != nil {
			t.Fatalf("List(%q): %v", tt.query, err)
		}
		var numbers []string
		for _, r := range got.Items {
			numbers = append(numbers, r.Number)
		}
		if len(numbers) != len(tt.numbers) {
			t.Errorf("List(%q) = %v, want %v", tt.query, numbers, tt.numbers)
			continue
		}
		for _, n := range tt.numbers {
			if !seen[n] {
				t.Errorf("List(%q) = %v, want %v", tt.query, numbers, tt.numbers)
			}
		}
	}

	rows, _ := p.Cases.List("HOU-2026-0317", 0, 0)
	want := CaseRow{ID: rows.Items[0].ID, Number: "HOU-2026-0317", Title: "Eviction defense", Kind: "staff", Advocate: "Lucía Fernández",
		Status: "Waiting for client documents", StatusDate: rows.Items[0].StatusDate, Updated: rows.Items[0].Updated,
		ClientNames: "José Ramírez", Opened: rows.Items[0].Opened, Activity: rows.Items[0].Activity}
	if rows.Items[0] != want || len(want.StatusDate) != 10 || want.Updated == "" || want.Opened == "" || want.Activity == "" {
		t.Errorf("row = %+v, want %+v", rows.Items[0], want)
	}
	rows, _ = p.Cases.List("FAM-2026-0058", 0, 0)
	if r := rows.Items[0]; r.Kind != "pro_bono" || r.Advocate != "Helen Park" {
		t.Errorf("pro bono row = %+v, want the outside attorney as advocate", r)
	}

	if _, err := p.Cases.List("", 0, 501); err == nil || !has(err.Error(), "at most 500") {
		t.Errorf("List with limit 501: %v", err)
	}
	if _, err := New("t").Cases.List("", 0, 0); !errors.Is(err, errNotConnected) {
		t.Errorf("List before Connect: %v, want not connected", err)
	}
}

// TestCasesGetCreateUpdate reads, opens and changes cases through the
// bindings; bad input is refused with the service's words.
func TestCasesGetCreateUpdate(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "dana@riverside.example")
	other := staffClient(t, env, "lucia@riverside.example")

	id := caseByNumber(t, other, "IMM-2026-0142")
	d, err := p.Cases.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "IMM-2026-0142" || d.Advocate != "Marcus Oyelaran" || d.AdvocateID == 0 || len(d.Clients) != 1 ||
		d.Clients[0].Name != "Amina Haddad" || d.Clients[0].Email != "amina@example.org" || d.Status != "Hearing scheduled" {
		t.Errorf("Get = %+v", d)
	}
	pb, err := p.Cases.Get(caseByNumber(t, other, "IMM-2026-0190"))
	if err != nil || pb.Attorney == nil || pb.Attorney.Firm != "Okafor Immigration Law" || pb.Advocate != "Daniel Okafor" {
		t.Errorf("Get pro bono = %+v, %v", pb, err)
	}

	staff, err := p.Cases.Staff()
	if err != nil || len(staff) != 3 {
		t.Fatalf("Staff = %+v, %v", staff, err)
	}
	created, err := p.Cases.Create(CaseInput{Number: ptr("IMM-2026-0500"), Title: ptr("Visa appeal"),
		ClientIDs: &[]uint64{d.Clients[0].ID}, Kind: ptr("staff"), AdvocateID: ptr(d.AdvocateID)})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.Title != "Visa appeal" || created.Advocate != "Marcus Oyelaran" || created.Status != "" {
		t.Errorf("Create = %+v", created)
	}
	if got, err := other.Case(t.Context(), created.ID); err != nil || got.Number != "IMM-2026-0500" {
		t.Errorf("the new case as another staff member reads it: %+v, %v", got, err)
	}

	// A colleague changes the title while the panel changes the advocate:
	// both stand, since Update sends only its own field.
	if _, err := other.UpdateCase(t.Context(), created.ID, apiCaseTitle("Visa appeal (BIA)")); err != nil {
		t.Fatal(err)
	}
	lucia := staff[2].ID
	for _, s := range staff {
		if s.Name == "Lucía Fernández" {
			lucia = s.ID
		}
	}
	updated, err := p.Cases.Update(created.ID, CaseInput{AdvocateID: &lucia})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Title != "Visa appeal (BIA)" || updated.Advocate != "Lucía Fernández" || updated.Number != "IMM-2026-0500" {
		t.Errorf("Update = %+v, want the colleague's title kept and the new advocate", updated)
	}

	// Refusals come back in words, and change nothing.
	for _, tt := range []struct {
		name string
		do   func() error
		code string
	}{
		{"taken number", func() error {
			_, err := p.Cases.Create(CaseInput{Number: ptr("IMM-2026-0500"), Title: ptr("x"), ClientIDs: &[]uint64{d.Clients[0].ID}, Kind: ptr("staff"), AdvocateID: &lucia})
			return err
		}, "conflict"},
		{"no title", func() error {
			_, err := p.Cases.Update(created.ID, CaseInput{Title: ptr("  ")})
			return err
		}, "invalid"},
		{"no such case", func() error { _, err := p.Cases.Get(987654); return err }, "not_found"},
	} {
		err := tt.do()
		if err == nil || apiCode(err) != tt.code || !has(err.Error(), "could not ") {
			t.Errorf("%s: %v (code %q), want a sentence over the API's %s", tt.name, err, apiCode(err), tt.code)
		}
	}
	if got, _ := other.Case(t.Context(), created.ID); got.Title != "Visa appeal (BIA)" {
		t.Errorf("a refused update changed the case: %+v", got)
	}
}

// TestCasesListUnread: the list narrowed to cases with client messages no
// staff member has read follows a client's message and its reading.
func TestCasesListUnread(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "HOU-2026-0317")
	ids := func(query string) []uint64 {
		t.Helper()
		page, err := p.Cases.Find(CaseFilter{Query: query, Unread: true}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, r := range page.Items {
			out = append(out, r.ID)
		}
		return out
	}
	before := ids("")
	if slices.Contains(before, id) {
		t.Fatalf("case %d is listed as unread before any client message: %v", id, before)
	}
	clientPosts(t, env, "jose@example.org", id, "When is the hearing?")
	clientPosts(t, env, "jose@example.org", id, "And where?")
	after := ids("")
	if !slices.Contains(after, id) || len(after) != len(before)+1 {
		t.Errorf("unread cases after the client wrote: %v (before %v)", after, before)
	}
	if got := ids("HOU-2026-0317"); len(got) != 1 || got[0] != id {
		t.Errorf("unread cases searched by number = %v", got)
	}
	if got := ids("no such words"); len(got) != 0 {
		t.Errorf("unread cases for a search with no match = %v", got)
	}
	if _, err := p.CasePage.MarkRead(id); err != nil {
		t.Fatal(err)
	}
	if got := ids(""); slices.Contains(got, id) {
		t.Errorf("case %d still listed as unread after it was read: %v", id, got)
	}
	// A malformed filter is refused, saying what to send.
	dana := staffClient(t, env, "dana@riverside.example")
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/cases?unread=yes", nil)
	req.Header.Set("Authorization", "Bearer "+dana.Token())
	resp, err := env.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "unread must be true or false") {
		t.Errorf("GET /api/v1/cases?unread=yes: %s %s", resp.Status, body)
	}
	// Paging: one case a page, with the cursor.
	page, err := p.Cases.Find(CaseFilter{Unread: true}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) > 1 && (len(page.Items) != 1 || page.Next == 0) {
		t.Errorf("a page of one unread case = %+v", page)
	}
}

// TestCasesFind: the status and advocate filters follow a status set and
// corrected, and a case's new advocate; filters combine.
func TestCasesFind(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, dana, "HOU-2026-0317")
	found := func(f CaseFilter) []uint64 {
		t.Helper()
		page, err := p.Cases.Find(f, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, r := range page.Items {
			out = append(out, r.ID)
		}
		return out
	}
	if got := found(CaseFilter{Status: "hearing_scheduled"}); slices.Contains(got, id) {
		t.Fatalf("HOU-2026-0317 listed under hearing_scheduled before it had it: %v", got)
	}
	e, err := p.CasePage.SetStatus(id, StatusInput{Status: "hearing_scheduled"})
	if err != nil {
		t.Fatal(err)
	}
	if got := found(CaseFilter{Status: "hearing_scheduled"}); !slices.Contains(got, id) {
		t.Errorf("not listed under its new status: %v", got)
	}
	if got := found(CaseFilter{Status: "waiting_documents"}); slices.Contains(got, id) {
		t.Errorf("still listed under its former status: %v", got)
	}
	if _, err := p.CasePage.WithdrawStatus(id, e.ID, "wrong case"); err != nil {
		t.Fatal(err)
	}
	if got := found(CaseFilter{Status: "waiting_documents"}); !slices.Contains(got, id) {
		t.Errorf("not back under its former status after the withdrawal: %v", got)
	}

	staff, _ := p.Cases.Staff()
	ids := map[string]uint64{}
	for _, s := range staff {
		ids[s.Name] = s.ID
	}
	lucia, marcus := ids["Lucía Fernández"], ids["Marcus Oyelaran"]
	if got := found(CaseFilter{AdvocateID: lucia}); !slices.Contains(got, id) {
		t.Errorf("not listed under its advocate: %v", got)
	}
	if _, err := p.Cases.Update(id, CaseInput{AdvocateID: &marcus}); err != nil {
		t.Fatal(err)
	}
	if got := found(CaseFilter{AdvocateID: lucia}); slices.Contains(got, id) {
		t.Errorf("still listed under its former advocate: %v", got)
	}
	if got := found(CaseFilter{AdvocateID: marcus, Status: "waiting_documents", Query: "eviction"}); len(got) != 1 || got[0] != id {
		t.Errorf("advocate, status and search combined = %v", got)
	}
	if got := found(CaseFilter{AdvocateID: marcus, Status: "waiting_documents", Unread: true}); slices.Contains(got, id) {
		t.Errorf("listed as unread with no client message: %v", got)
	}
	clientPosts(t, env, "jose@example.org", id, "Any news?")
	if got := found(CaseFilter{AdvocateID: marcus, Status: "waiting_documents", Unread: true}); len(got) != 1 || got[0] != id {
		t.Errorf("advocate, status and unread combined = %v", got)
	}
	if got := found(CaseFilter{Status: "no_such_status"}); len(got) != 0 {
		t.Errorf("an unknown status lists %v", got)
	}
}
