package app

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
)

// startWithMail starts the real service with its mail sender running
// against a real SMTP server (mailtest), set as the office's mail server.
func startWithMail(t *testing.T) (*servertest.Env, *mailtest.Server) {
	t.Helper()
	smtp := mailtest.Start(t)
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) {
		c.Mail.RootCAs, c.Mail.Poll, c.Mail.Timeout = smtp.RootCAs(), time.Hour, 5*time.Second
	}))
	env.Server.Mail().SetBaseURL(env.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { env.Server.Mail().Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	str := func(s string) *string { return &s }
	port := smtp.Port
	if _, err := staffClient(t, env, "dana@riverside.example").PutMailSettings(ctx, api.MailSettingsInput{Host: str(smtp.Host), Port: &port,
		Security: str("starttls"), Username: str(smtp.Username), Password: str(smtp.Password), From: str("portal@riverside.example")}); err != nil {
		t.Fatal(err)
	}
	return env, smtp
}

// newClientWithCase adds a client without an account (with a birth date,
// the fact registration asks for) and a case of theirs.
func newClientWithCase(t *testing.T, c *apiclient.Client, name, email, number string) (clientID, caseID uint64) {
	t.Helper()
	bd, lang := "1984-06-02", "en"
	cl, err := c.CreateClient(t.Context(), api.ClientInput{Name: &name, Email: &email, Language: &lang, BirthDate: &bd})
	if err != nil {
		t.Fatal(err)
	}
	title, kind, adv := "Asylum application", "staff", uint64(1)
	cs, err := c.CreateCase(t.Context(), api.CaseInput{Number: &number, Title: &title, ClientIDs: &[]uint64{cl.ID}, Kind: &kind, AdvocateID: &adv})
	if err != nil {
		t.Fatal(err)
	}
	return cl.ID, cs.ID
}

var mailLink = regexp.MustCompile(`/(register|reset)/[A-Za-z0-9_-]{43}`)

// mailTo waits for the n-th email the SMTP server accepted (from 1) and
// checks that it went to addr and carries a link of kind.
func mailTo(t *testing.T, smtp *mailtest.Server, n int, addr, kind string) string {
	t.Helper()
	m := smtp.Wait(t, n, 15*time.Second)[n-1]
	link := mailLink.FindStringSubmatch(string(m.Data))
	if len(m.To) != 1 || m.To[0] != addr || link == nil || link[1] != kind {
		t.Fatalf("email %d: to %v, link %v; want to %s with a /%s/ link:\n%s", n, m.To, link, addr, kind, m.Data)
	}
	return link[0]
}

// TestInvitations sends, resends and revokes a client's invitation from the
// panel, with each email arriving at the office's SMTP server; sends a
// reset email; lists the clients waiting; invites a selection of cases.
func TestInvitations(t *testing.T) {
	env, smtp := startWithMail(t)
	p, _ := connect(t, env, "lucia@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	rosa, rosaCase := newClientWithCase(t, dana, "Rosa Quintero", "rosa@example.org", "ONB-0001")
	omar, omarCase := newClientWithCase(t, dana, "Omar Haddad", "omar@example.org", "ONB-0002")

	waiting, err := p.Invitations.Waiting()
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 2 || waiting[0].ClientID != rosa || waiting[0].Name != "Rosa Quintero" || waiting[0].Cases != 1 ||
		waiting[0].Invitation != nil || waiting[1].ClientID != omar {
		t.Fatalf("Waiting = %+v, want Rosa and Omar, never invited", waiting)
	}

	before, err := p.Invitations.Get(rosa)
	if err != nil || before.HasAccount || before.Invitation != nil || before.ClientID != rosa {
		t.Fatalf("Get before = %+v, %v", before, err)
	}
	sent, err := p.Invitations.Send(rosa)
	if err != nil {
		t.Fatal(err)
	}
	if inv := sent.Invitation; inv == nil || !inv.Active || inv.Sends != 1 || inv.Email != "rosa@example.org" || inv.Issued == "" || inv.Expires <= inv.Issued {
		t.Fatalf("Send = %+v", sent.Invitation)
	}
	first := mailTo(t, smtp, 1, "rosa@example.org", "register")

	again, err := p.Invitations.Send(rosa)
	if err != nil || again.Invitation.Sends != 2 || !again.Invitation.Active {
		t.Fatalf("resend = %+v, %v", again.Invitation, err)
	}
	second := mailTo(t, smtp, 2, "rosa@example.org", "register")
	if second == first {
		t.Error("the resent invitation carries the same link")
	}
	if w, _ := p.Invitations.Waiting(); w[0].Invitation == nil || !w[0].Invitation.Active {
		t.Errorf("Waiting after the invitation = %+v", w[0])
	}

	revoked, err := p.Invitations.Revoke(rosa)
	if err != nil || revoked.Invitation.Active || revoked.Invitation.Revoked == "" {
		t.Fatalf("Revoke = %+v, %v", revoked.Invitation, err)
	}
	if _, err := p.Invitations.Revoke(rosa); err == nil || !has(err.Error(), "could not revoke the invitation: ") {
		t.Errorf("revoking again: %v", err)
	}
	resp, err := env.Browser().Get(env.URL + second)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("the revoked link answers %d", resp.StatusCode)
	}

	// A client with an account gets a reset email, not an invitation.
	amina := clientID(t, dana, "amina@example.org")
	if _, err := p.Invitations.Send(amina); apiCode(err) != "conflict" || err.Error() != "could not send the invitation: the client already has an account: send a reset email or set a temporary password" {
		t.Errorf("inviting a client with an account: %v", err)
	}
	reset, err := p.Invitations.SendReset(amina)
	if err != nil || reset.Reset == nil || !reset.Reset.Active || !reset.HasAccount {
		t.Fatalf("SendReset = %+v, %v", reset, err)
	}
	mailTo(t, smtp, 3, "amina@example.org", "reset")

	// A selection of cases: Omar (no account, never invited) is invited,
	// Rosa (revoked) too, Amina has an account.
	aminaCase := caseByNumber(t, dana, "IMM-2026-0142")
	bulk, err := p.Invitations.InviteCases([]uint64{omarCase, rosaCase, aminaCase})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]string{}
	for _, o := range bulk.Items {
		outcomes[o.Name] = o.Outcome
	}
	if bulk.Invited != 2 || outcomes["Omar Haddad"] != "invited" || outcomes["Rosa Quintero"] != "invited" || outcomes["Amina Haddad"] != "has_account" {
		t.Errorf("InviteCases = %+v", bulk)
	}
	got := map[string]bool{}
	for i := 4; i <= 5; i++ {
		m := smtp.Wait(t, i, 15*time.Second)[i-1]
		got[strings.Join(m.To, ",")] = mailLink.Match(m.Data)
	}
	if !got["omar@example.org"] || !got["rosa@example.org"] {
		t.Errorf("bulk invitation emails went to %v", got)
	}
	// Again: both already invited, nothing sent.
	if again, err := p.Invitations.InviteCases([]uint64{omarCase}); err != nil || again.Invited != 0 || again.Items[0].Outcome != "already_invited" {
		t.Errorf("InviteCases again = %+v, %v", again, err)
	}

	for _, tt := range []struct {
		name  string
		cases []uint64
		want  string
	}{
		{"none", nil, "choose at least one case"},
		{"too many", make([]uint64, MaxBulkCases+1), "at most 1000"},
		{"unknown case", []uint64{omarCase, 987654}, "does not exist"},
	} {
		if _, err := p.Invitations.InviteCases(tt.cases); err == nil || !has(err.Error(), tt.want) {
			t.Errorf("InviteCases(%s): %v, want %q", tt.name, err, tt.want)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 5 {
		t.Errorf("%d emails sent, want 5 (refused and repeated invitations send nothing)", n)
	}
}

// TestInvitationsWithoutMailServer: without a mail server the panel says
// so, and nothing is invited.
func TestInvitationsWithoutMailServer(t *testing.T) {
	env := servertest.Start(t)
	p, _ := connect(t, env, "lucia@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	id, caseID := newClientWithCase(t, dana, "Rosa Quintero", "rosa@example.org", "ONB-0001")
	if _, err := p.Invitations.Send(id); err == nil || err.Error() != "could not send the invitation: no mail server is set: an administrator sets the office's mail server in the settings first" {
		t.Errorf("Send without a mail server: %v", err)
	}
	if _, err := p.Invitations.InviteCases([]uint64{caseID}); err == nil || !has(err.Error(), "no mail server") {
		t.Errorf("InviteCases without a mail server: %v", err)
	}
	if inv, err := p.Invitations.Get(id); err != nil || inv.Invitation != nil {
		t.Errorf("after refused invitations: %+v, %v", inv, err)
	}
}

// TestInvitationsConcurrent: two colleagues' panels invite the same client
// and change her access at once (-race): every acknowledged invitation is
// counted, exactly one emailed link works at the end, and each
// colleague's access change stands.
func TestInvitationsConcurrent(t *testing.T) {
	env, smtp := startWithMail(t)
	a, _ := connect(t, env, "lucia@riverside.example")
	b, _ := connect(t, env, "marcus@riverside.example")
	dana := staffClient(t, env, "dana@riverside.example")
	rosa, _ := newClientWithCase(t, dana, "Rosa Quintero", "rosa@example.org", "ONB-0001")

	const each = 6
	var mu sync.Mutex
	ok := 0
	var wg sync.WaitGroup
	for _, p := range []*Panel{a, b} {
		for range each {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := p.Invitations.Send(rosa); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if !has(err.Error(), "could not send the invitation") {
					t.Errorf("Send: %v", err)
				}
			}()
		}
	}
	wg.Add(2)
	go func() { defer wg.Done(); _, _ = a.Clients.SetAccess(rosa, AccessInput{EmailNotice: ptr(false)}) }()
	go func() { defer wg.Done(); _, _ = b.Clients.SetAccess(rosa, AccessInput{AllowedToLogOn: ptr(true)}) }()
	wg.Wait()

	inv, err := a.Invitations.Get(rosa)
	if err != nil || ok == 0 || inv.Invitation == nil || inv.Invitation.Sends != ok || !inv.Invitation.Active {
		t.Fatalf("after %d acknowledged invitations: %+v, %v", ok, inv.Invitation, err)
	}
	// A resend replaces an email still waiting in the outbox, so fewer
	// emails than invitations may leave; the link that works is in one.
	smtp.Wait(t, 1, 20*time.Second)
	time.Sleep(time.Second)
	msgs := smtp.Messages()
	working := 0
	for _, m := range msgs {
		l := mailLink.Find(m.Data)
		resp, err := env.Browser().Get(env.URL + string(l))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			working++
		}
	}
	if len(msgs) > ok || working != 1 {
		t.Errorf("%d acknowledged invitations, %d emails, %d working links; want one working link", ok, len(msgs), working)
	}
	if acc, err := b.Clients.Get(rosa); err != nil || acc.Access.EmailNotice || !acc.Access.AllowedToLogOn {
		t.Errorf("both colleagues' access changes must stand: %+v, %v", acc.Access, err)
	}
}
