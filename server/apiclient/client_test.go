package apiclient_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// calls records the method and path of every request a client sends.
type calls struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []*http.Request
}

func (c *calls) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.seen = append(c.seen, r)
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// routes are the api.Routes the recorded requests went to.
func (c *calls) routes() map[string]bool {
	mux := http.NewServeMux()
	for _, rt := range api.Routes() {
		mux.Handle(rt.Pattern(), http.NotFoundHandler())
	}
	got := map[string]bool{}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.seen {
		if _, pattern := mux.Handler(r); pattern != "" {
			got[pattern] = true
		}
	}
	return got
}

// newClient is a client of env's service that records its calls in rec.
func newClient(t *testing.T, env *servertest.Env, rec *calls) *apiclient.Client {
	t.Helper()
	hc := env.HTTP.Client()
	if rec != nil {
		rec.next = hc.Transport
		hc = &http.Client{Transport: rec}
	}
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loggedIn is a client logged in as the demo staff member with email.
func loggedIn(t *testing.T, env *servertest.Env, rec *calls, email string) *apiclient.Client {
	t.Helper()
	c := newClient(t, env, rec)
	l := env.Login(t, "staff", email)
	if _, err := c.Login(context.Background(), l.Email, l.Password); err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return c
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func str(s string) *string { return &s }

func intp(v int) *int { return &v }

// TestEveryRoute calls every method against the real service, checks what
// each answers, and then that the calls reached every route the API has.
func TestEveryRoute(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	rec := &calls{}
	admin := loggedIn(t, env, rec, "dana@riverside.example")
	staff := loggedIn(t, env, rec, "marcus@riverside.example")

	me := must[api.Staff](t, "Me")(staff.Me(ctx))
	if me.Name != "Marcus Oyelaran" || me.Role != "staff" {
		t.Errorf("Me = %+v", me)
	}
	if v := must[api.Version](t, "Version")(staff.Version(ctx)); v.Version != "test" || v.Schema < 1 {
		t.Errorf("Version = %+v", v)
	}

	// Staff members.
	if list := must[api.Page[api.Staff]](t, "ListStaff")(staff.ListStaff(ctx)); len(list.Items) != 3 {
		t.Errorf("ListStaff: %d members, want the demo's 3", len(list.Items))
	}
	added := must[api.Staff](t, "CreateStaff")(admin.CreateStaff(ctx, api.StaffInput{
		Email: str("rosa@riverside.example"), Name: str("Rosa Quintero"), Password: str("lantern orchard velvet canoe")}))
	if got := must[api.Staff](t, "StaffMember")(staff.StaffMember(ctx, added.ID)); got.Email != "rosa@riverside.example" || got.Role != "staff" {
		t.Errorf("StaffMember = %+v", got)
	}
	if got := must[api.Staff](t, "UpdateStaff")(admin.UpdateStaff(ctx, added.ID, api.StaffInput{Title: str("Paralegal")})); got.Title != "Paralegal" || got.Name != "Rosa Quintero" {
		t.Errorf("UpdateStaff = %+v: want the title changed and the rest kept", got)
	}

	// Clients and their access.
	cl := must[api.Client](t, "CreateClient")(staff.CreateClient(ctx, api.ClientInput{Name: str("Nadia Karimi"), Email: str("Nadia@Example.org"), Language: str("es")}))
	if cl.Email != "nadia@example.org" {
		t.Errorf("CreateClient = %+v: want the email normalised", cl)
	}
	if got := must[api.Client](t, "Client")(staff.Client(ctx, cl.ID)); got.Name != "Nadia Karimi" {
		t.Errorf("Client = %+v", got)
	}
	if got := must[api.Client](t, "UpdateClient")(staff.UpdateClient(ctx, cl.ID, api.ClientInput{Phone: str("+1 555 0123")})); got.Phone != "+1 555 0123" || got.Language != "es" {
		t.Errorf("UpdateClient = %+v", got)
	}
	found := must[api.Page[api.Client]](t, "ListClients")(staff.ListClients(ctx, apiclient.ListOptions{Q: "karimi"}))
	if len(found.Items) != 1 || found.Items[0].ID != cl.ID {
		t.Errorf("ListClients q=karimi: %+v", found.Items)
	}
	if acc := must[api.Access](t, "SetPassword")(staff.SetPassword(ctx, cl.ID, "Qv7!Lm2#Zr9x")); !acc.PasswordSet {
		t.Errorf("SetPassword = %+v", acc)
	}
	yes := true
	if acc := must[api.Access](t, "UpdateAccess")(staff.UpdateAccess(ctx, cl.ID, api.AccessInput{AllowedToLogOn: &yes})); !acc.AllowedToLogOn {
		t.Errorf("UpdateAccess = %+v", acc)
	}
	if acc := must[api.Access](t, "Access")(staff.Access(ctx, cl.ID)); !acc.AllowedToLogOn || !acc.PasswordSet {
		t.Errorf("Access = %+v", acc)
	}
	if ok := must[bool](t, "VerifyPassword")(staff.VerifyPassword(ctx, cl.ID, "Qv7!Lm2#Zr9x")); !ok {
		t.Error("VerifyPassword of the password just set: false")
	}

	// Cases and their status history.
	advocate := me.ID
	cs := must[api.Case](t, "CreateCase")(staff.CreateCase(ctx, api.CaseInput{Number: str("IMM-2026-0999"), Title: str("U visa"),
		ClientIDs: &[]uint64{cl.ID}, Kind: str("staff"), AdvocateID: &advocate}))
	entry := must[api.StatusEntry](t, "AddStatusEntry")(staff.AddStatusEntry(ctx, cs.ID, api.StatusEntryInput{Date: "2026-01-05", Status: "received", Info: "Intake done"}))
	if entry.StatusName != "Application received" || entry.SetByName != "Marcus Oyelaran" {
		t.Errorf("AddStatusEntry = %+v", entry)
	}
	if got := must[api.StatusEntry](t, "StatusEntry")(staff.StatusEntry(ctx, cs.ID, entry.ID)); got.Info != "Intake done" {
		t.Errorf("StatusEntry = %+v", got)
	}
	if hist := must[api.Page[api.StatusEntry]](t, "StatusEntries")(staff.StatusEntries(ctx, cs.ID)); len(hist.Items) != 1 {
		t.Errorf("StatusEntries: %+v", hist.Items)
	}
	if got := must[api.Case](t, "UpdateCase")(staff.UpdateCase(ctx, cs.ID, api.CaseInput{Title: str("U visa petition")})); got.Title != "U visa petition" || got.Current == nil || got.Current.Status != "received" {
		t.Errorf("UpdateCase = %+v", got)
	}
	if got := must[api.Case](t, "Case")(staff.Case(ctx, cs.ID)); got.Number != "IMM-2026-0999" {
		t.Errorf("Case = %+v", got)
	}
	if list := must[api.Page[api.Case]](t, "ListCases")(staff.ListCases(ctx, apiclient.ListOptions{Q: "U visa"})); len(list.Items) != 1 || list.Items[0].ID != cs.ID {
		t.Errorf("ListCases: %+v", list.Items)
	}
	if list := must[api.Page[api.Case]](t, "ClientCases")(staff.ClientCases(ctx, cl.ID)); len(list.Items) != 1 || list.Items[0].ID != cs.ID {
		t.Errorf("ClientCases: %+v", list.Items)
	}
	fixed := must[api.StatusEntry](t, "CorrectStatusEntry")(staff.CorrectStatusEntry(ctx, cs.ID, entry.ID, api.StatusEntryInput{Date: "2026-01-05", Status: "under_review"}))
	if fixed.Corrects != entry.ID || !fixed.Active {
		t.Errorf("CorrectStatusEntry = %+v", fixed)
	}
	if got := must[api.StatusEntry](t, "WithdrawStatusEntry")(staff.WithdrawStatusEntry(ctx, cs.ID, fixed.ID, "entered twice")); got.Active || got.Withdrawn == nil {
		t.Errorf("WithdrawStatusEntry = %+v", got)
	}

	// Mail settings (a server that refuses connections), the test email,
	// the outbox, and a staff member's own alerts.
	port := 1
	ms := must[api.MailSettings](t, "PutMailSettings")(admin.PutMailSettings(ctx, api.MailSettingsInput{Host: str("127.0.0.1"), Port: &port,
		Security: str("none"), From: str("portal@riverside.example"), Password: str("smtp secret")}))
	if !ms.PasswordSet || ms.Host != "127.0.0.1" {
		t.Errorf("PutMailSettings = %+v", ms)
	}
	if got := must[api.MailSettings](t, "MailSettings")(staff.MailSettings(ctx)); got != ms {
		t.Errorf("MailSettings = %+v, want %+v", got, ms)
	}
	if res := must[api.MailTestResult](t, "TestMail")(admin.TestMail(ctx, "dana@riverside.example")); res.Sent || res.Stage != "connect" {
		t.Errorf("TestMail to a closed port = %+v", res)
	}
	if _, err := staff.Outbox(ctx, apiclient.OutboxOptions{State: "failed"}); err != nil {
		t.Errorf("Outbox: %v", err)
	}
	no := false
	if got := must[api.Staff](t, "UpdateMe")(staff.UpdateMe(ctx, api.MeInput{MailAlerts: &no})); got.MailAlerts || got.ID != me.ID {
		t.Errorf("UpdateMe = %+v", got)
	}

	// Settings.
	if set := must[api.Settings](t, "Settings")(staff.Settings(ctx)); set.OfficeName != "Riverside Legal Aid" {
		t.Errorf("Settings = %+v", set)
	}
	if set := must[api.Settings](t, "UpdateSettings")(admin.UpdateSettings(ctx, api.SettingsInput{OfficePhone: str("+1 555 0199")})); set.OfficePhone != "+1 555 0199" || set.OfficeName != "Riverside Legal Aid" {
		t.Errorf("UpdateSettings = %+v", set)
	}
	statuses := must[api.Page[api.Status]](t, "Statuses")(staff.Statuses(ctx))
	statuses.Items[0].Names["en"] = "Intake complete"
	if got := must[api.Page[api.Status]](t, "PutStatuses")(admin.PutStatuses(ctx, statuses.Items)); got.Items[0].Names["en"] != "Intake complete" {
		t.Errorf("PutStatuses = %+v", got.Items[0])
	}
	if p := must[api.PasswordPolicy](t, "PutPasswordPolicy")(admin.PutPasswordPolicy(ctx, api.PolicyInput{Preset: "nist"})); p.MinLength != 15 {
		t.Errorf("PutPasswordPolicy nist = %+v", p)
	}
	if p := must[api.PasswordPolicy](t, "PasswordPolicy")(staff.PasswordPolicy(ctx)); p.MinLength != 15 || p.MinUpper != 0 {
		t.Errorf("PasswordPolicy = %+v", p)
	}

	// The audit log, paged.
	first := must[api.Page[api.AuditEntry]](t, "Audit")(admin.Audit(ctx, apiclient.AuditOptions{Limit: 2}))
	if len(first.Items) != 2 || first.Items[0].Action != "settings.password_policy" || first.Next == 0 {
		t.Errorf("Audit limit 2: %+v next %d", first.Items, first.Next)
	}
	second := must[api.Page[api.AuditEntry]](t, "Audit")(admin.Audit(ctx, apiclient.AuditOptions{Before: first.Next, Limit: 2}))
	if len(second.Items) == 0 || second.Items[0].ID >= first.Items[1].ID {
		t.Errorf("Audit before %d: %+v", first.Next, second.Items)
	}

	// Messages, and the live stream that announces them.
	stream, err := staff.Events(ctx, apiclient.EventsOptions{})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	defer stream.Close()
	if ready, err := stream.Next(); err != nil || len(ready) != 1 || ready[0].Type != "ready" {
		t.Fatalf("Events first frame %+v, %v: want ready", ready, err)
	}
	msg := must[api.Message](t, "PostMessage")(staff.PostMessage(ctx, cs.ID, api.MessageInput{Body: "Bring your passport.", Visibility: "portal"}))
	if msg.Body != "Bring your passport." || msg.AuthorName != "Marcus Oyelaran" || msg.ReadByClientAt != nil {
		t.Errorf("PostMessage = %+v", msg)
	}
	if got, err := stream.Next(); err != nil || len(got) != 1 || got[0].Type != "message.created" || got[0].CaseID != cs.ID || got[0].Ref != msg.ID {
		t.Errorf("Events after PostMessage: %+v, %v", got, err)
	}
	if page := must[api.Messages](t, "Messages")(staff.Messages(ctx, cs.ID, apiclient.MessagesOptions{Limit: 1})); len(page.Items) != 1 || page.Items[0].ID != msg.ID {
		t.Errorf("Messages = %+v", page)
	}
	if n := must[int](t, "MarkMessagesRead")(staff.MarkMessagesRead(ctx, cs.ID, 0)); n != 0 {
		t.Errorf("MarkMessagesRead with no client message: %d marked", n)
	}

	// Appointments.
	ap := must[api.Appointment](t, "AddAppointment")(staff.AddAppointment(ctx, cs.ID, api.AppointmentInput{Title: "Interview at USCIS",
		Start: "2026-12-01T15:00:00-05:00", End: "2026-12-01T16:00:00-05:00", Place: "26 Federal Plaza", Portal: true}))
	if !ap.Start.Equal(time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)) || ap.Title != "Interview at USCIS" || !ap.Portal {
		t.Errorf("AddAppointment = %+v", ap)
	}
	if got, err := stream.Next(); err != nil || len(got) != 1 || got[0].Type != "appointment.created" || got[0].Ref != ap.ID {
		t.Errorf("Events after AddAppointment: %+v, %v", got, err)
	}
	if list := must[api.Page[api.Appointment]](t, "Appointments")(staff.Appointments(ctx, cs.ID)); len(list.Items) != 1 || list.Items[0].ID != ap.ID {
		t.Errorf("Appointments = %+v", list)
	}
	newPlace := "Room 7"
	if got := must[api.Appointment](t, "UpdateAppointment")(staff.UpdateAppointment(ctx, ap.ID, api.AppointmentChange{Place: &newPlace})); got.Place != "Room 7" || got.Title != ap.Title || got.Sequence != 1 {
		t.Errorf("UpdateAppointment = %+v", got)
	}
	if got, err := stream.Next(); err != nil || len(got) != 1 || got[0].Type != "appointment.updated" || got[0].Ref != ap.ID {
		t.Errorf("Events after UpdateAppointment: %+v, %v", got, err)
	}
	if got := must[api.Appointment](t, "CancelAppointment")(staff.CancelAppointment(ctx, cs.ID, ap.ID)); got.Cancelled == nil {
		t.Errorf("CancelAppointment = %+v", got)
	}
	if got, err := stream.Next(); err != nil || len(got) != 1 || got[0].Type != "appointment.cancelled" || got[0].Ref != ap.ID {
		t.Errorf("Events after CancelAppointment: %+v, %v", got, err)
	}
	// Documents: upload (streamed multipart), list, share, download.
	content := "Notes of the first meeting.\n"
	docs := must[[]api.Document](t, "UploadDocuments")(staff.UploadDocuments(ctx, cs.ID, false, apiclient.UploadFile{Name: "meeting.txt", Content: strings.NewReader(content)}))
	if len(docs) != 1 || docs[0].FileName != "meeting.txt" || docs[0].Portal || docs[0].Size != int64(len(content)) {
		t.Fatalf("UploadDocuments = %+v", docs)
	}
	if list := must[[]api.Document](t, "Documents")(staff.Documents(ctx, cs.ID)); len(list) != 1 || list[0].ID != docs[0].ID {
		t.Errorf("Documents = %+v", list)
	}
	if d := must[api.Document](t, "SetDocumentPortal")(staff.SetDocumentPortal(ctx, docs[0].ID, true)); !d.Portal {
		t.Errorf("SetDocumentPortal = %+v", d)
	}
	resp := must[*http.Response](t, "DocumentContent")(staff.DocumentContent(ctx, docs[0].ID, ""))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != content {
		t.Errorf("DocumentContent = %q", body)
	}

	// Backups and the configuration check (admin only).
	backupDir := t.TempDir()
	if s := must[api.BackupSettings](t, "PutBackupSettings")(admin.PutBackupSettings(ctx, api.BackupSettingsInput{Folder: &backupDir})); s.Folder != backupDir {
		t.Errorf("PutBackupSettings = %+v", s)
	}
	if s := must[api.BackupSettings](t, "BackupSettings")(admin.BackupSettings(ctx)); s.Folder != backupDir || s.Retention != 7 {
		t.Errorf("BackupSettings = %+v", s)
	}
	if r := must[api.BackupResult](t, "BackupNow")(admin.BackupNow(ctx)); !r.OK || r.Size == 0 {
		t.Errorf("BackupNow = %+v", r)
	}
	if b := must[api.Backups](t, "Backups")(admin.Backups(ctx)); b.Last == nil || !b.Last.OK || len(b.Files) != 1 || b.Next == nil {
		t.Errorf("Backups = %+v", b)
	}
	if r := must[api.ConfigReport](t, "ConfigCheck")(admin.ConfigCheck(ctx)); len(r.Checks) != 5 {
		t.Errorf("ConfigCheck = %+v", r)
	}
	// Onboarding: invitations need a mail server set (the email is only
	// queued here), and the identity fact registration asks for.
	must[api.MailSettings](t, "PutMailSettings")(admin.PutMailSettings(ctx, api.MailSettingsInput{Host: str("127.0.0.1"), Port: intp(2525), From: str("portal@riverside.example")}))
	if ob := must[api.OnboardingSettings](t, "OnboardingSettings")(staff.OnboardingSettings(ctx)); ob.Fact != "birth_date" || ob.InviteExpiryHours != 168 || ob.AutoInvite || ob.EasyLogin {
		t.Errorf("OnboardingSettings = %+v: want the defaults", ob)
	}
	if ob := must[api.OnboardingSettings](t, "PutOnboardingSettings")(admin.PutOnboardingSettings(ctx, api.OnboardingInput{MaxAttempts: intp(3)})); ob.MaxAttempts != 3 || ob.Fact != "birth_date" {
		t.Errorf("PutOnboardingSettings = %+v", ob)
	}
	iris := must[api.Client](t, "CreateClient")(staff.CreateClient(ctx, api.ClientInput{Name: str("Iris Moreno"), Email: str("iris@example.org")}))
	if _, err := staff.Invite(ctx, iris.ID); !apiclient.IsCode(err, "invalid") {
		t.Errorf("Invite without a birth date: %v, want invalid", err)
	}
	if got := must[api.Client](t, "UpdateClient")(staff.UpdateClient(ctx, iris.ID, api.ClientInput{BirthDate: str("1990-04-05")})); got.BirthDate != "1990-04-05" {
		t.Errorf("UpdateClient birth_date = %+v", got)
	}
	irisCase := must[api.Case](t, "CreateCase")(staff.CreateCase(ctx, api.CaseInput{Number: str("IMM-2026-0998"), Title: str("Visa"),
		ClientIDs: &[]uint64{iris.ID}, Kind: str("staff"), AdvocateID: &advocate}))
	waiting := must[api.Page[api.WaitingClient]](t, "WaitingForInvitation")(staff.WaitingForInvitation(ctx))
	if len(waiting.Items) == 0 || waiting.Items[len(waiting.Items)-1].ClientID != iris.ID {
		t.Errorf("WaitingForInvitation = %+v: want Iris last", waiting.Items)
	}
	if inv := must[api.Invitation](t, "Invite")(staff.Invite(ctx, iris.ID)); inv.Invitation == nil || !inv.Invitation.Active {
		t.Errorf("Invite = %+v", inv)
	}
	if inv := must[api.Invitation](t, "Invitation")(staff.Invitation(ctx, iris.ID)); inv.Invitation == nil || inv.Invitation.Email != "iris@example.org" {
		t.Errorf("Invitation = %+v", inv)
	}
	if res := must[api.BulkInviteResult](t, "InviteCases")(staff.InviteCases(ctx, []uint64{irisCase.ID})); len(res.Items) != 1 || res.Items[0].Outcome != "already_invited" {
		t.Errorf("InviteCases = %+v", res)
	}
	if inv := must[api.Invitation](t, "RevokeInvitation")(staff.RevokeInvitation(ctx, iris.ID)); inv.Invitation.Active || inv.Invitation.Revoked == nil {
		t.Errorf("RevokeInvitation = %+v", inv)
	}
	if acc := must[api.Access](t, "SetTemporaryPassword")(staff.SetTemporaryPassword(ctx, cl.ID, "Lilac-Garden-47!Tq")); !acc.MustChangePassword {
		t.Errorf("SetTemporaryPassword = %+v", acc)
	}
	if inv := must[api.Invitation](t, "SendReset")(staff.SendReset(ctx, cl.ID)); inv.Reset == nil || !inv.Reset.Active {
		t.Errorf("SendReset = %+v", inv)
	}
	// Document requests (the checklist): add, change, cancel; accepting or
	// returning an item nothing was sent for is refused.
	reqs := must[[]api.DocumentRequest](t, "AddRequests")(staff.AddRequests(ctx, cs.ID,
		api.RequestItem{Title: "Copy of your lease", Due: "2099-01-15"}, api.RequestItem{Title: "Proof of income"}))
	if len(reqs) != 2 || reqs[0].State != "requested" || reqs[0].Due != "2099-01-15" {
		t.Fatalf("AddRequests = %+v", reqs)
	}
	if list := must[[]api.DocumentRequest](t, "Requests")(staff.Requests(ctx, cs.ID)); len(list) != 2 || list[1].Title != "Proof of income" {
		t.Errorf("Requests = %+v", list)
	}
	if got := must[api.DocumentRequest](t, "UpdateRequest")(staff.UpdateRequest(ctx, reqs[1].ID, api.RequestChange{Note: str("The last three pay slips")})); got.Note != "The last three pay slips" {
		t.Errorf("UpdateRequest = %+v", got)
	}
	if got := must[api.DocumentRequest](t, "CancelRequest")(staff.CancelRequest(ctx, reqs[1].ID)); got.State != "cancelled" {
		t.Errorf("CancelRequest = %+v", got)
	}
	if _, err := staff.AcceptRequest(ctx, reqs[0].ID); !apiclient.IsCode(err, "not_active") {
		t.Errorf("AcceptRequest of an item nothing was sent for: %v, want not_active", err)
	}
	if _, err := staff.ReturnRequest(ctx, reqs[0].ID, "Blurred"); !apiclient.IsCode(err, "not_active") {
		t.Errorf("ReturnRequest of an item nothing was sent for: %v, want not_active", err)
	}
	securityCalls(t, env, rec, admin, staff) // security_test.go
	// The domain settings, and the certificates' state (this service serves
	// plain HTTP only, so the domain waits for a start with listeners).
	if d := must[api.DomainSettings](t, "PutDomainSettings")(admin.PutDomainSettings(ctx, api.DomainInput{Domain: str("Portal.Riverside.example."),
		ACMEEmail: str("it@riverside.example")})); d.Domain != "portal.riverside.example" || d.ACMEEmail != "it@riverside.example" || d.PublicStaffAPI {
		t.Errorf("PutDomainSettings = %+v", d)
	}
	if d := must[api.DomainSettings](t, "DomainSettings")(admin.DomainSettings(ctx)); d.Domain != "portal.riverside.example" || d.ACMECA != "" {
		t.Errorf("DomainSettings = %+v", d)
	}
	if st := must[api.TLSStatus](t, "TLS")(staff.TLS(ctx)); st.State != api.TLSOff || st.Domain != "portal.riverside.example" || st.Message == "" ||
		strings.ContainsAny(st.Message, "`*_") { // the dashboard shows it as it is: plain words, no markup
		t.Errorf("TLS = %+v", st)
	}

	// The dashboard (dashboard_test.go in server/staffapi checks its figures).
	if d := must[api.Dashboard](t, "Dashboard")(staff.Dashboard(ctx, 4)); len(d.Activity) != 4 || d.Messages.Total < len(d.Messages.Items) || d.Uploads.Items == nil {
		t.Errorf("Dashboard = %+v", d)
	}
	if _, err := staff.Dashboard(ctx, api.DashboardMaxWeeks+1); !apiclient.IsCode(err, "bad_request") {
		t.Errorf("Dashboard of %d weeks: %v, want bad_request", api.DashboardMaxWeeks+1, err)
	}

	// Logout forgets the token, and the service ends the session.
	token := staff.Token()
	if err := staff.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if staff.Token() != "" {
		t.Error("Logout kept the token")
	}
	again, _ := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithToken(token))
	if _, err := again.Me(ctx); !apiclient.IsCode(err, "unauthorized") {
		t.Errorf("Me with the token after Logout: %v, want unauthorized", err)
	}

	got := rec.routes()
	// The event stream is a websocket, which the recorder (a RoundTripper)
	// does not see: it was opened and read above.
	got["GET "+api.PathEvents] = true
	for _, rt := range api.Routes() {
		if !got[rt.Pattern()] {
			t.Errorf("no client call reached %s", rt.Pattern())
		}
	}
}

// TestErrors: error answers come back as *api.Error with everything the
// service said.
func TestErrors(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := loggedIn(t, env, nil, "marcus@riverside.example")
	apiErr := func(t *testing.T, err error) *api.Error {
		t.Helper()
		var e *api.Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v (%T) is not an *api.Error", err, err)
		}
		return e
	}

	for _, tt := range []struct {
		name               string
		call               func() error
		status             int
		code, field, words string
	}{
		{"no such client", func() error { _, err := staff.Client(ctx, 999); return err }, 404, "not_found", "", "no such record"},
		{"invalid email", func() error {
			_, err := staff.CreateClient(ctx, api.ClientInput{Name: str("X"), Email: str("not an email")})
			return err
		}, 422, "invalid", "email", "email"},
		{"email taken", func() error {
			_, err := staff.CreateClient(ctx, api.ClientInput{Name: str("X"), Email: str("amina@example.org")})
			return err
		}, 409, "conflict", "email", ""},
		{"weak password names the rules", func() error { _, err := staff.SetPassword(ctx, 1, "abcdefgh"); return err }, 422, "invalid", "password", "2 digits"},
		{"admin only", func() error { _, err := staff.Audit(ctx, apiclient.AuditOptions{}); return err }, 403, "admin_only", "", "administrator"},
		{"bad login", func() error {
			_, err := newClient(t, env, nil).Login(ctx, "marcus@riverside.example", "wrong")
			return err
		}, 401, "bad_login", "", "not correct"},
		{"not logged in", func() error { _, err := newClient(t, env, nil).Me(ctx); return err }, 401, "unauthorized", "", "log in first"},
		{"bad page size", func() error { _, err := staff.ListCases(ctx, apiclient.ListOptions{Limit: 501}); return err }, 400, "bad_request", "limit", "1 to 500"},
		{"unknown sort", func() error { _, err := staff.ListCases(ctx, apiclient.ListOptions{Sort: "title"}); return err }, 422, "invalid", "sort", "activity, number, client, status or opened"},
		{"unknown order", func() error {
			_, err := staff.ListCases(ctx, apiclient.ListOptions{Sort: api.CaseSortNumber, Order: "up"})
			return err
		}, 422, "invalid", "order", "asc or desc"},
		{"order without sort", func() error { _, err := staff.ListCases(ctx, apiclient.ListOptions{Order: api.OrderDesc}); return err }, 422, "invalid", "order", "needs a sort"},
		{"sorted page after no case", func() error {
			_, err := staff.ListCases(ctx, apiclient.ListOptions{Sort: api.CaseSortClient, After: 99999})
			return err
		}, 422, "invalid", "after", "first page"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := apiErr(t, tt.call())
			if e.Status != tt.status || e.Code != tt.code || e.Field != tt.field || !strings.Contains(e.Message, tt.words) {
				t.Errorf("got %d %q field %q %q, want %d %q field %q saying %q", e.Status, e.Code, e.Field, e.Message, tt.status, tt.code, tt.field, tt.words)
			}
		})
	}

	t.Run("rate limited with Retry-After", func(t *testing.T) {
		var err error
		for i := 0; i < 6 && !apiclient.IsCode(err, "rate_limited"); i++ {
			_, err = staff.VerifyPassword(ctx, 1, "guess")
		}
		e := apiErr(t, err)
		if e.Status != http.StatusTooManyRequests || e.RetryAfter < time.Second {
			t.Errorf("6th verification: %d %q, RetryAfter %v; want 429 with the wait", e.Status, e.Code, e.RetryAfter)
		}
	})

	t.Run("not the API", func(t *testing.T) {
		// The portal's pages are not the API: the client says so rather
		// than decoding an HTML page.
		c, err := apiclient.New(env.URL+"/static", apiclient.WithHTTPClient(env.HTTP.Client()))
		if err != nil {
			t.Fatal(err)
		}
		e := apiErr(t, func() error { _, err := c.Me(ctx); return err }())
		if e.Status != http.StatusNotFound || e.Code != "http_404" {
			t.Errorf("an HTML 404: %d %q %q", e.Status, e.Code, e.Message)
		}
	})

	t.Run("redirected", func(t *testing.T) {
		// A service moved to HTTPS redirects: the client says where
		// instead of resending the login as a GET without its body.
		var got []string
		moved := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = append(got, r.Method+" "+r.URL.Path)
			http.Redirect(w, r, env.URL+r.URL.Path, http.StatusMovedPermanently)
		}))
		defer moved.Close()
		c, err := apiclient.New(moved.URL)
		if err != nil {
			t.Fatal(err)
		}
		l := env.Login(t, "staff", "")
		_, err = c.Login(ctx, l.Email, l.Password)
		e := apiErr(t, err)
		if e.Status != http.StatusMovedPermanently || e.Code != "redirect" || !strings.Contains(e.Message, env.URL+"/api/v1/session") || len(got) != 1 {
			t.Errorf("redirected login: %d %q %q after %v; want the redirect reported, not followed", e.Status, e.Code, e.Message, got)
		}
	})

	t.Run("no service", func(t *testing.T) {
		c, err := apiclient.New("http://127.0.0.1:1")
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Me(ctx)
		var e *api.Error
		if err == nil || errors.As(err, &e) || !strings.Contains(err.Error(), "GET /api/v1/me") {
			t.Errorf("unreachable service: %v, want a transport error naming the call", err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := staff.Me(cctx); !errors.Is(err, context.Canceled) {
			t.Errorf("call with a cancelled context: %v", err)
		}
	})
}

func TestNewRefusesBadAddresses(t *testing.T) {
	for _, bad := range []string{"", "portal.example.org", "ftp://portal.example.org", "https://", "https://u:p@portal.example.org", "https://portal.example.org/?x=1", "http://[::1"} {
		if _, err := apiclient.New(bad); err == nil {
			t.Errorf("New(%q): no error", bad)
		}
	}
	for _, good := range []string{"https://portal.example.org", "https://portal.example.org/", "http://127.0.0.1:8080", "https://example.org/portal/"} {
		if _, err := apiclient.New(good); err != nil {
			t.Errorf("New(%q): %v", good, err)
		}
	}
}

// TestBasePath: a service behind a path prefix (a reverse proxy's) is
// called under it, with or without a trailing slash.
func TestBasePath(t *testing.T) {
	env := servertest.Start(t)
	mux := http.NewServeMux()
	mux.Handle("/portal/", http.StripPrefix("/portal", env.Server.Handler()))
	front := httptest.NewServer(mux)
	defer front.Close()
	l := env.Login(t, "staff", "")
	for _, base := range []string{front.URL + "/portal", front.URL + "/portal/"} {
		c, err := apiclient.New(base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Login(context.Background(), l.Email, l.Password); err != nil {
			t.Errorf("login at %s: %v", base, err)
		}
	}
}

// TestConcurrentUse: one client serves many goroutines (the control panel's
// bindings run concurrently), logging in again while others call.
func TestConcurrentUse(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	c := loggedIn(t, env, nil, "marcus@riverside.example")
	l := env.Login(t, "staff", "marcus@riverside.example")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				var err error
				if i == 0 && j == 2 {
					_, err = c.Login(ctx, l.Email, l.Password)
				} else {
					_, err = c.ListCases(ctx, apiclient.ListOptions{Limit: 10})
				}
				if err != nil {
					errs <- err
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
