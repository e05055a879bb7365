package app

import (
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestRequestsChecklist: staff ask for two documents at once, the client
// sends one through the portal and it arrives live (document.uploaded and
// request.submitted, marked in the list as the client's); staff return it
// with a reason, the client sends again, staff accept it and cancel the
// other item.
func TestRequestsChecklist(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")
	due := time.Now().AddDate(0, 0, 10).Format("2006-01-02")

	added, err := p.Requests.Add(id, []NewRequest{{Title: " Copy of your lease ", Due: due, Note: "All pages."}, {Title: "Pay slips"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].Title != "Copy of your lease" || added[0].Due != due || added[0].State != "requested" || added[1].Due != "" {
		t.Fatalf("Add = %+v", added)
	}
	lease, slips := added[0], added[1]

	// A refused item adds nothing.
	if _, err := p.Requests.Add(id, []NewRequest{{Title: "Bank statement"}, {Title: ""}}); err == nil || apiCode(err) != "invalid" {
		t.Errorf("Add with an empty title: %v", err)
	}
	if list, _ := p.Requests.List(id); len(list) != 2 {
		t.Errorf("after a refused Add the checklist has %d items", len(list))
	}

	clientUploadsToItem(t, env, "amina@example.org", id, lease.ID, "lease.jpg", jpeg())
	rec.waitFor(t, "request.submitted", isLive("request.submitted", id))
	up := rec.waitFor(t, "document.uploaded", isLive("document.uploaded", id)).data.(LiveEvent)
	docs, err := p.Documents.List(id)
	if err != nil {
		t.Fatal(err)
	}
	var fromClient *Document
	for i := range docs {
		if docs[i].ID == up.Ref {
			fromClient = &docs[i]
		}
	}
	if fromClient == nil || fromClient.UploaderKind != "client" || fromClient.Name != "lease.jpg" {
		t.Fatalf("the client's upload (event ref %d) in the list: %+v", up.Ref, docs)
	}
	list, _ := p.Requests.List(id)
	if list[0].State != "submitted" || len(list[0].DocumentIDs) != 1 || list[0].DocumentIDs[0] != fromClient.ID || list[0].Submitted == "" {
		t.Errorf("the submitted item = %+v", list[0])
	}

	if _, err := p.Requests.Return(lease.ID, "  "); err == nil {
		t.Error("a return without a reason was accepted")
	}
	ret, err := p.Requests.Return(lease.ID, "The second page is missing.")
	if err != nil || ret.State != "returned" || ret.Reason != "The second page is missing." {
		t.Fatalf("Return = %+v, %v", ret, err)
	}
	clientUploadsToItem(t, env, "amina@example.org", id, lease.ID, "lease-all-pages.jpg", jpeg())
	rec.waitFor(t, "the second request.submitted", func(e emitted) bool {
		return isLive("request.submitted", id)(e) && rec.count(isLive("request.submitted", id)) >= 2
	})
	acc, err := p.Requests.Accept(lease.ID)
	if err != nil || acc.State != "accepted" || len(acc.EarlierDocumentIDs) != 1 {
		t.Errorf("Accept = %+v, %v", acc, err)
	}
	if _, err := p.Requests.Accept(slips.ID); err == nil {
		t.Error("an item with nothing sent was accepted")
	} else if strings.Contains(err.Error(), "/api/") {
		t.Errorf("refusal names a route: %v", err)
	}
	c, err := p.Requests.Cancel(slips.ID)
	if err != nil || c.State != "cancelled" {
		t.Errorf("Cancel = %+v, %v", c, err)
	}
}

func jpeg() []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}
	return append(b, make([]byte, 5000)...)
}

// TestAppointmentsInTheOfficeZone: an appointment entered as a wall-clock
// time is stored in the office's time zone, whatever this computer's; it
// moves, changes and cancels; a malformed time says what to fill in.
func TestAppointmentsInTheOfficeZone(t *testing.T) {
	env := servertest.Start(t)
	p, rec := connect(t, env, "marcus@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	id := caseByNumber(t, dana, "IMM-2026-0142")
	zone := "America/New_York"
	if _, err := dana.UpdateSettings(t.Context(), settingsZone(zone)); err != nil {
		t.Fatal(err)
	}
	if z, err := p.Appointments.TimeZone(); err != nil || z != zone {
		t.Fatalf("TimeZone = %q, %v", z, err)
	}
	day := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	a, err := p.Appointments.Add(id, AppointmentInput{Title: "Interview preparation", Start: day + "T09:30", End: day + "T10:15",
		Link: "https://meet.example.org/abc", Note: "Bring your passport.", Portal: true})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation(zone)
	start, _ := time.ParseInLocation("2006-01-02T15:04", day+"T09:30", loc)
	if a.Start != start.UTC().Format(time.RFC3339) || a.LocalStart != day+"T09:30" || a.LocalEnd != day+"T10:15" || a.Zone != zone || !a.Portal || a.Link == "" {
		t.Errorf("Add = %+v, want 09:30 in %s (%s)", a, zone, start.UTC())
	}
	rec.waitFor(t, "appointment.created", isLive("appointment.created", id))

	moved, err := p.Appointments.Update(a.ID, AppointmentChange{Start: ptr(day + "T11:00"), End: ptr(day + "T12:00"), Place: ptr("Office, room 2"), Portal: ptr(false)})
	if err != nil || moved.LocalStart != day+"T11:00" || moved.Place != "Office, room 2" || moved.Portal || moved.Title != "Interview preparation" || moved.Note != "Bring your passport." {
		t.Errorf("Update = %+v, %v", moved, err)
	}
	if _, err := p.Appointments.Update(a.ID, AppointmentChange{Start: ptr("tomorrow at nine")}); err == nil || !strings.Contains(err.Error(), "fill in the date and the time") {
		t.Errorf("Update with a malformed time: %v", err)
	}
	if _, err := p.Appointments.Update(a.ID, AppointmentChange{End: ptr(day + "T08:00")}); err == nil {
		t.Error("an end before the start was accepted")
	}
	list, _ := p.CasePage.Appointments(id)
	var found bool
	for _, x := range list {
		if x.ID == a.ID {
			found = x.LocalStart == day+"T11:00" && x.Zone == zone
		}
	}
	if !found {
		t.Errorf("Appointments after the move = %+v", list)
	}
	c, err := p.Appointments.Cancel(id, a.ID)
	if err != nil || c.Cancelled == "" {
		t.Errorf("Cancel = %+v, %v", c, err)
	}
}

// TestStatusCorrectWithdraw corrects an entry and withdraws another; the
// history keeps both originals, marked.
func TestStatusCorrectWithdraw(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "lucia@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "HOU-2026-0317")
	e, err := p.CasePage.SetStatus(id, StatusInput{Status: "hearing_scheduled", Info: "Court on Monday."})
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := p.CasePage.CorrectStatus(id, e.ID, StatusInput{Status: "hearing_scheduled", Info: "Court on Tuesday."})
	if err != nil || fixed.Corrects != e.ID || fixed.Info != "Court on Tuesday." || !fixed.Active {
		t.Fatalf("CorrectStatus = %+v, %v", fixed, err)
	}
	if _, err := p.CasePage.WithdrawStatus(id, fixed.ID, ""); err == nil {
		t.Error("a withdrawal without a reason was accepted")
	}
	w, err := p.CasePage.WithdrawStatus(id, fixed.ID, "Set on the wrong case.")
	if err != nil || w.Active || w.WithdrawnReason != "Set on the wrong case." || w.WithdrawnBy != "Lucía Fernández" {
		t.Errorf("WithdrawStatus = %+v, %v", w, err)
	}
	h, _ := p.CasePage.History(id)
	marks := map[uint64]HistoryEntry{}
	for _, x := range h {
		marks[x.ID] = x
	}
	if o := marks[e.ID]; o.Active || o.SupersededBy != fixed.ID {
		t.Errorf("the corrected original = %+v", o)
	}
	if d, _ := p.Cases.Get(id); d.Status == "Hearing scheduled" {
		t.Errorf("the case still shows the withdrawn status")
	}
}

// TestMessageAttachments: staff upload a document and send it with a
// portal message (which shares it); the client's page lists it; a
// client's attachment shows on the message with what downloading needs.
func TestMessageAttachments(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	id := caseByNumber(t, staffClient(t, env, "dana@riverside.example"), "IMM-2026-0142")
	path, sum := pdfFile(t, t.TempDir(), "checklist.pdf", 5000)
	up, err := p.Documents.upload(id, false, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.CasePage.SendMessage(id, OutgoingMessage{Body: "Here is the checklist.", Visibility: "portal", Documents: []uint64{up.Documents[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Documents) != 1 || m.Documents[0].Name != "checklist.pdf" || m.Documents[0].SHA256 != sum || !m.Documents[0].Portal {
		t.Errorf("SendMessage = %+v, want the shared attachment", m)
	}
	page, _ := p.CasePage.Messages(id, 0, 5)
	if len(page.Items[0].Documents) != 1 || page.Items[0].Documents[0].ID != up.Documents[0].ID {
		t.Errorf("Messages[0] = %+v", page.Items[0])
	}
	if _, err := p.CasePage.SendMessage(id, OutgoingMessage{Body: "x", Visibility: "portal", Documents: []uint64{999999}}); err == nil {
		t.Error("a message carrying another case's (missing) document was accepted")
	}
}

func settingsZone(zone string) api.SettingsInput { return api.SettingsInput{TimeZone: &zone} }
