package app

import (
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestCasePageStatus sets a status from the office's list and reads it
// back in the history and on the case.
func TestCasePageStatus(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "lucia@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "HOU-2026-0317")

	es, err := p.CasePage.Statuses("es")
	if err != nil {
		t.Fatal(err)
	}
	en, _ := p.CasePage.Statuses("xx") // no such language: English
	names := map[string]string{}
	for i, s := range es {
		names[s.ID] = s.Name + " / " + en[i].Name
	}
	if names["waiting_documents"] != "Esperando documentos del cliente / Waiting for client documents" {
		t.Errorf("Statuses = %v", names)
	}

	before, err := p.CasePage.History(id)
	if err != nil || len(before) != 4 || before[0].Status != "waiting_documents" || before[0].SetBy != "Lucía Fernández" || !before[0].Active {
		t.Fatalf("History = %+v, %v", before, err)
	}
	e, err := p.CasePage.SetStatus(id, StatusInput{Status: "hearing_scheduled", Info: "  Court on Monday at 9:00. "})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID == 0 || e.Name != "Hearing scheduled" || e.Info != "Court on Monday at 9:00." || len(e.Date) != 10 || e.SetBy != "Lucía Fernández" {
		t.Errorf("SetStatus = %+v", e)
	}
	after, _ := p.CasePage.History(id)
	if len(after) != 5 || after[0].ID != e.ID {
		t.Errorf("History after SetStatus = %+v", after)
	}
	if d, _ := p.Cases.Get(id); d.Status != "Hearing scheduled" {
		t.Errorf("the case's status is %q after SetStatus", d.Status)
	}

	for _, in := range []StatusInput{{Status: "no_such_status"}, {Status: "accepted", Date: "31/12/2026"}} {
		if _, err := p.CasePage.SetStatus(id, in); err == nil || apiCode(err) != "invalid" {
			t.Errorf("SetStatus(%+v): %v, want the service's refusal", in, err)
		}
	}
	if again, _ := p.CasePage.History(id); len(again) != 5 {
		t.Errorf("a refused status changed the history: %d entries", len(again))
	}

	// A withdrawn entry stays, marked, with the reason.
	other := staffClient(t, env, "dana@riverside.example")
	if _, err := other.WithdrawStatusEntry(t.Context(), id, e.ID, "set on the wrong case"); err != nil {
		t.Fatal(err)
	}
	h, _ := p.CasePage.History(id)
	for _, x := range h {
		if x.ID == e.ID && (x.Active || x.WithdrawnReason != "set on the wrong case" || x.WithdrawnBy != "Dana Whitfield") {
			t.Errorf("withdrawn entry = %+v", x)
		}
	}
}

// TestCasePageMessages posts a message and a note, reads them in pages,
// sees a client's reply and marks it read.
func TestCasePageMessages(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")

	m, err := p.CasePage.PostMessage(id, "Please bring your passport on Monday.", "portal")
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || m.AuthorName != "Marcus Oyelaran" || m.AuthorKind != "staff" || m.Visibility != "portal" || m.Read {
		t.Errorf("PostMessage = %+v", m)
	}
	if _, err := p.CasePage.PostMessage(id, "Client called about the hearing.", "internal"); err != nil {
		t.Fatal(err)
	}
	clientPosts(t, env, "amina@example.org", id, "I will bring it. Thank you!")

	page, err := p.CasePage.Messages(id, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].Body != "I will bring it. Thank you!" || page.Items[0].AuthorKind != "client" ||
		page.Items[1].Visibility != "internal" || page.Unread != 1 || page.Next == 0 {
		t.Fatalf("Messages page 1 = %+v", page)
	}
	older, err := p.CasePage.Messages(id, page.Next, 2)
	if err != nil || len(older.Items) != 1 || older.Items[0].ID != m.ID || older.Next != 0 {
		t.Errorf("Messages page 2 = %+v, %v", older, err)
	}

	n, err := p.CasePage.MarkRead(id)
	if err != nil || n != 1 {
		t.Errorf("MarkRead = %d, %v; want 1", n, err)
	}
	page, _ = p.CasePage.Messages(id, 0, 0)
	if page.Unread != 0 || !page.Items[0].Read || page.Items[0].ReadAt == "" {
		t.Errorf("after MarkRead: %+v", page)
	}

	for _, tt := range []struct{ body, visibility string }{{"", "portal"}, {"hello", "public"}} {
		if _, err := p.CasePage.PostMessage(id, tt.body, tt.visibility); err == nil || apiCode(err) != "invalid" {
			t.Errorf("PostMessage(%q, %q): %v, want the service's refusal", tt.body, tt.visibility, err)
		}
	}
	if again, _ := p.CasePage.Messages(id, 0, 0); len(again.Items) != 3 {
		t.Errorf("refused messages were kept: %d messages", len(again.Items))
	}
}

// TestCasePageAppointments lists a case's appointments, staff-only and
// cancelled ones included.
func TestCasePageAppointments(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	other := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, other, "IMM-2026-0142")

	if list, err := p.CasePage.Appointments(id); err != nil || len(list) != 0 {
		t.Fatalf("Appointments = %+v, %v", list, err)
	}
	hearing, err := other.AddAppointment(t.Context(), id, api.AppointmentInput{Title: "Hearing", Start: "2026-12-01T09:00:00-05:00",
		End: "2026-12-01T10:00:00-05:00", Place: "Immigration Court, room 4", Portal: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.AddAppointment(t.Context(), id, api.AppointmentInput{Title: "Prepare testimony", Start: "2026-11-28T15:00:00Z",
		End: "2026-11-28T16:00:00Z", Note: "staff only"}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CancelAppointment(t.Context(), id, hearing.ID); err != nil {
		t.Fatal(err)
	}
	list, err := p.CasePage.Appointments(id)
	if err != nil || len(list) != 2 {
		t.Fatalf("Appointments = %+v, %v", list, err)
	}
	prep, h := list[0], list[1]
	if prep.Title != "Prepare testimony" || prep.Portal || prep.Cancelled != "" || prep.Start != "2026-11-28T15:00:00Z" {
		t.Errorf("staff-only appointment = %+v", prep)
	}
	if h.Title != "Hearing" || !h.Portal || h.Cancelled == "" || h.Start != "2026-12-01T14:00:00Z" || h.Place != "Immigration Court, room 4" {
		t.Errorf("cancelled portal appointment = %+v", h)
	}
	if _, err := p.CasePage.Appointments(987654); apiCode(err) != "not_found" {
		t.Errorf("Appointments of no case: %v", err)
	}
}
