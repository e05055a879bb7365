package mail_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
	"clientportal/store"
)

// A status entry added through the staff API reaches the office's SMTP
// server (STARTTLS, AUTH PLAIN) as one email per client, in the client's
// language, text and HTML, linking to the case, with no case content.
func TestStatusEntryEmailsTheClient(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)

	addStatus(t, dana, 2, "under_review") // José, Spanish
	addStatus(t, dana, 1, "accepted")     // Amina, English
	// Nothing goes out during the quiet period.
	settle(svc)
	if n := len(smtp.Messages()); n != 0 {
		t.Fatalf("%d emails during the quiet period, want 0", n)
	}
	svc.clock.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	msgs := smtp.Wait(t, 2, 10*time.Second)

	want := map[string]struct{ lang, subject, words, link string }{
		"jose@example.org":  {"es", "Hay novedades en su portal de clientes", "Inicie sesión para verlo", svc.url + "/cases/2"},
		"amina@example.org": {"en", "Something new on your client portal", "Log in to see it", svc.url + "/cases/1"},
	}
	for _, m := range msgs {
		e := parse(t, m)
		if len(m.To) != 1 {
			t.Fatalf("recipients %v", m.To)
		}
		w, ok := want[m.To[0]]
		if !ok {
			t.Errorf("email to %v, want only the cases' clients", m.To)
			continue
		}
		delete(want, m.To[0])
		if !m.TLS || m.User != smtp.Username || m.From != "portal@riverside.example" {
			t.Errorf("to %s: TLS %v, user %q, from %q: want STARTTLS, AUTH PLAIN and the office's sender", m.To[0], m.TLS, m.User, m.From)
		}
		if e.mediaType != "multipart/alternative" || e.plain == "" || e.html == "" {
			t.Errorf("to %s: %s with text %d bytes, html %d bytes: want multipart/alternative with both", m.To[0], e.mediaType, len(e.plain), len(e.html))
		}
		if e.subject != w.subject || e.h.Get("Content-Language") != w.lang || !strings.Contains(e.plain, w.words) || !strings.Contains(e.html, `lang="`+w.lang+`"`) {
			t.Errorf("to %s: subject %q, language %q: want %s\n%s", m.To[0], e.subject, e.h.Get("Content-Language"), w.lang, e.plain)
		}
		if !strings.Contains(e.plain, w.link) || !strings.Contains(e.html, `href="`+w.link+`"`) {
			t.Errorf("to %s: no link to %s\n%s\n%s", m.To[0], w.link, e.plain, e.html)
		}
		if !strings.Contains(e.plain, "Riverside Legal Aid") {
			t.Errorf("to %s: the office is not named\n%s", m.To[0], e.plain)
		}
		noCaseContent(t, e)
		if e.messageID == "" || !strings.HasSuffix(e.messageID, "@riverside.example") {
			t.Errorf("Message-ID %q", e.messageID)
		}
	}
	if len(want) > 0 {
		t.Errorf("no email to %v", want)
	}

	// The outbox says sent, with the server's words and the Message-IDs
	// the server received. (The server holds a mail a moment before the
	// sender hears its 250 and records it.)
	waitOutbox(t, svc, "sent twice", func(all []store.OutboxEntry) bool {
		return len(all) == 2 && all[0].State == store.OutboxSent && all[1].State == store.OutboxSent
	})
	sent, err := dana.Outbox(ctx, apiclient.OutboxOptions{State: "sent"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Items) != 2 {
		t.Fatalf("outbox sent: %+v", sent.Items)
	}
	for _, e := range sent.Items {
		if !strings.HasPrefix(e.Reply, "250 ") || e.Sent == nil || e.Attempts != 1 {
			t.Errorf("sent entry %+v", e)
		}
	}
}

// Several changes within the window make one email; a change after an email
// waits for the window to pass since it.
func TestQuickChangesMakeOneEmail(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)

	for _, st := range []string{"under_review", "accepted", "in_progress"} {
		addStatus(t, dana, 1, st)
		svc.clock.Advance(10 * time.Second)
	}
	svc.clock.Advance(quiet)
	svc.srv.Mail().Wake()
	smtp.Wait(t, 1, 10*time.Second)
	waitOutbox(t, svc, "sent", func(all []store.OutboxEntry) bool { return len(all) == 1 && all[0].State == store.OutboxSent })
	settle(svc)
	if msgs := smtp.Messages(); len(msgs) != 1 {
		t.Fatalf("%d emails for three quick changes, want 1", len(msgs))
	}
	all := outbox(t, svc, "")
	if len(all) != 1 || all[0].Changes != 3 {
		t.Fatalf("outbox %+v: want one entry of 3 changes", all)
	}

	// A change a minute after that email waits for the window.
	svc.clock.Advance(time.Minute)
	addStatus(t, dana, 1, "closed")
	svc.clock.Advance(quiet + time.Second)
	settle(svc)
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d emails within the window after the last one, want 1", n)
	}
	svc.clock.Advance(window)
	svc.srv.Mail().Wake()
	msgs := smtp.Wait(t, 2, 10*time.Second)
	if parse(t, msgs[0]).messageID == parse(t, msgs[1]).messageID {
		t.Error("two emails with one Message-ID")
	}
}

// Many staff changing one case at once: every change commits, and the
// client's open entry counts each of them once.
func TestConcurrentChangesCoalesce(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	clients := []*apiclient.Client{dana, svc.staff(t, marcus), svc.staff(t, lucia)}
	const n = 30
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { addStatus(t, clients[i%len(clients)], 1, "in_progress") })
	}
	wg.Wait()
	all := outbox(t, svc, "")
	if len(all) != 1 || all[0].Changes != n || all[0].To != "amina@example.org" {
		t.Fatalf("outbox after %d concurrent changes: %+v", n, all)
	}
}

// With the mail server down, changes still commit and the outbox holds the
// mails, failed with the error; when it is back every mail arrives once.
func TestServerDownThenBack(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	smtp.Stop()

	addStatus(t, dana, 1, "accepted")
	addStatus(t, dana, 2, "accepted")
	if hist, err := dana.StatusEntries(ctx, 1); err != nil || hist.Items[0].Status != "accepted" {
		t.Fatalf("the change did not commit: %+v %v", hist.Items, err)
	}
	svc.clock.Advance(quiet + time.Second)
	waitOutbox(t, svc, "failed twice", func(all []store.OutboxEntry) bool {
		return len(all) == 2 && all[0].State == store.OutboxFailed && all[1].State == store.OutboxFailed
	})
	failed, err := dana.Outbox(ctx, apiclient.OutboxOptions{State: "failed"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range failed.Items {
		if !strings.Contains(e.LastError, "connect") || !strings.Contains(e.LastError, "refused") || e.NextTry == nil {
			t.Errorf("failed entry %+v: want the connection error and a next try", e)
		}
	}
	// More tries fail while it stays down, further apart each time.
	svc.clock.Advance(retry + time.Second)
	waitOutbox(t, svc, "failed twice", func(all []store.OutboxEntry) bool {
		for _, e := range all {
			if e.Attempts != 2 || e.State != store.OutboxFailed {
				return false
			}
		}
		return true
	})
	e := outbox(t, svc, "")[0]
	if wait := e.NextTry.Sub(svc.clock.Now()); wait < 2*retry-2*time.Second {
		t.Errorf("second retry in %s, want about %s (backoff)", wait, 2*retry)
	}

	smtp.Restart(t)
	svc.clock.Advance(2*retry + time.Second)
	svc.srv.Mail().Wake()
	smtp.Wait(t, 2, 10*time.Second)
	waitOutbox(t, svc, "sent twice", func(all []store.OutboxEntry) bool {
		return all[0].State == store.OutboxSent && all[1].State == store.OutboxSent
	})
	settle(svc)
	msgs := smtp.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d emails after the server came back, want 2", len(msgs))
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[parse(t, m).messageID] = true
	}
	for _, e := range outbox(t, svc, "") {
		if e.State != store.OutboxSent || !ids[e.MessageID] || e.Attempts != 3 || e.LastError != "" {
			t.Errorf("entry %+v: want sent on the third try with the Message-ID the server got (%v)", e, ids)
		}
	}
}

// "Send a test email" answers the server's words: its acceptance, or its
// refusal of a wrong password.
func TestTestEmailAnswersTheServersWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []mailtest.Option
	}{{"starttls", nil}, {"implicit tls", []mailtest.Option{mailtest.WithImplicitTLS()}}} {
		t.Run(tc.name, func(t *testing.T) {
			smtp := mailtest.Start(t, tc.opts...)
			svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
			dana := svc.staff(t, admin)

			if _, err := dana.TestMail(ctx, "dana@riverside.example"); !apiclient.IsCode(err, "invalid") {
				t.Errorf("test email with no mail server: %v, want invalid", err)
			}
			configure(t, dana, smtp, nil)
			res, err := dana.TestMail(ctx, "dana@riverside.example")
			if err != nil {
				t.Fatal(err)
			}
			if !res.Sent || res.Reply != "250 2.0.0 OK: queued" {
				t.Errorf("test email: %+v, want sent with the server's 250 2.0.0 OK: queued", res)
			}
			m := smtp.Wait(t, 1, 5*time.Second)[0]
			if e := parse(t, m); m.To[0] != "dana@riverside.example" || !strings.Contains(e.plain, "test email") {
				t.Errorf("test email received: %v %q", m.To, e.plain)
			}

			configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Password = str("wrong") })
			res, err = dana.TestMail(ctx, "dana@riverside.example")
			if err != nil {
				t.Fatal(err)
			}
			if res.Sent || res.Stage != "auth" || res.Reply != "535 5.7.8 Username and Password not accepted" {
				t.Errorf("test email with a wrong password: %+v, want the server's 535 5.7.8 words at auth", res)
			}
			if len(smtp.Messages()) != 1 {
				t.Error("a refused test email arrived")
			}
		})
	}
}

// A certificate the service does not trust fails the test email with the
// reason, instead of sending the password over it.
func TestUntrustedCertificateRefused(t *testing.T) {
	smtp := mailtest.Start(t)
	other := mailtest.Start(t) // its RootCAs do not trust smtp's certificate
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), other)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	res, err := dana.TestMail(ctx, "dana@riverside.example")
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent || res.Stage != "tls" || !strings.Contains(res.Reply, "certificate") {
		t.Errorf("test email to an untrusted server: %+v, want a tls certificate error", res)
	}
	if len(smtp.Messages()) != 0 {
		t.Error("mail sent over an untrusted connection")
	}
}

// clientWrites raises a client's message on case caseID the way the
// messages' office action will: an event with the client as actor, through
// the notifier, in a store transaction. (The live engineer's message action
// is not on this branch yet.)
func clientWrites(t *testing.T, svc *service, caseID, clientID uint64) {
	t.Helper()
	err := svc.store.Update(ctx, func(tx *store.Tx) error {
		e := store.Event{Type: "message.created", CaseID: caseID, Ref: 1, ClientIDs: []uint64{clientID}, ActorKind: "client"}
		if err := tx.AppendEvent(&e); err != nil {
			return err
		}
		return svc.srv.Mail().Notify(tx, e)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A client's message alerts staff as the routing setting says, skipping
// staff who turned their alerts off; it never notifies the client.
func TestClientMessageAlertsFollowRouting(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	lu := svc.staff(t, lucia)

	for _, tc := range []struct {
		name    string
		routing string
		office  string
		caseID  uint64
		off     bool // Lucía turned her alerts off
		want    []string
	}{
		{"advocate", "advocate", "", 1, false, []string{"marcus@riverside.example"}},
		{"advocate of another case", "advocate", "", 2, false, []string{"lucia@riverside.example"}},
		{"advocate who turned alerts off", "advocate", "", 2, true, nil},
		{"pro bono case goes to the office address", "advocate", "front@riverside.example", 3, false, []string{"front@riverside.example"}},
		{"pro bono case without office address goes to all staff", "advocate", "", 3, false,
			[]string{"dana@riverside.example", "marcus@riverside.example", "lucia@riverside.example"}},
		{"all staff", "all_staff", "", 1, false, []string{"dana@riverside.example", "marcus@riverside.example", "lucia@riverside.example"}},
		{"all staff but who turned theirs off", "all_staff", "", 1, true, []string{"dana@riverside.example", "marcus@riverside.example"}},
		{"office", "office", "front@riverside.example", 1, false, []string{"front@riverside.example"}},
		{"none", "none", "", 1, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			configure(t, dana, smtp, func(in *api.MailSettingsInput) {
				in.ClientMessageAlerts, in.OfficeAddress = str(tc.routing), str(tc.office)
			})
			if _, err := lu.UpdateMe(ctx, api.MeInput{MailAlerts: boolp(!tc.off)}); err != nil {
				t.Fatal(err)
			}
			before := len(outbox(t, svc, ""))
			clientWrites(t, svc, tc.caseID, 1)
			var got []string
			for _, e := range outbox(t, svc, "")[:len(outbox(t, svc, ""))-before] {
				if e.Kind != store.MailAlert {
					t.Errorf("entry %+v: a client's message made a client notice", e)
				}
				got = append(got, e.To)
			}
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("alerts to %v, want %v", got, want)
			}
			// Sent, so the next case starts with no open entries.
			svc.clock.Advance(window + time.Minute)
			waitOutbox(t, svc, "all sent", func(all []store.OutboxEntry) bool {
				for _, e := range all {
					if e.State != store.OutboxSent {
						return false
					}
				}
				return true
			})
		})
	}
	// The alert reached the server, in words without content.
	for _, m := range smtp.Messages() {
		e := parse(t, m)
		if e.subject != "A client wrote on the portal" {
			t.Errorf("alert subject %q", e.subject)
		}
		noCaseContent(t, e)
	}
}

// A staff message notifies the case's clients; a staff-only event and a
// kind the office turned off notify nobody.
func TestNotifyKinds(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, func(in *api.MailSettingsInput) {
		in.Notify = &api.MailNotify{Status: false, Messages: true}
	})
	raise := func(e store.Event) {
		t.Helper()
		if err := svc.store.Update(ctx, func(tx *store.Tx) error { return svc.srv.Mail().Notify(tx, e) }); err != nil {
			t.Fatal(err)
		}
	}
	addStatus(t, dana, 1, "accepted") // status notices are off
	raise(store.Event{Type: "message.created", CaseID: 1, ClientIDs: []uint64{1}, StaffOnly: true, ActorKind: "staff"})
	raise(store.Event{Type: "document.uploaded", CaseID: 1, ClientIDs: []uint64{1}, ActorKind: "staff"})
	if all := outbox(t, svc, ""); len(all) != 0 {
		t.Fatalf("outbox %+v, want nothing", all)
	}
	raise(store.Event{Type: "message.created", CaseID: 1, ClientIDs: []uint64{1}, ActorKind: "staff"})
	if all := outbox(t, svc, ""); len(all) != 1 || all[0].To != "amina@example.org" || all[0].Topics[0] != "messages" {
		t.Fatalf("outbox %+v, want Amina's notice of a message", all)
	}
}

// A client with email notice off gets no email; nothing is queued while no
// mail server is set.
func TestNoNoticeWhenOffOrUnset(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	addStatus(t, dana, 1, "accepted")
	if all := outbox(t, svc, ""); len(all) != 0 {
		t.Fatalf("queued without a mail server: %+v", all)
	}
	configure(t, dana, smtp, nil)
	if _, err := dana.UpdateAccess(ctx, 1, api.AccessInput{EmailNotice: boolp(false)}); err != nil {
		t.Fatal(err)
	}
	addStatus(t, dana, 1, "in_progress")
	if all := outbox(t, svc, ""); len(all) != 0 {
		t.Fatalf("queued for a client with email notice off: %+v", all)
	}
}

// A wrong password fails every try with the server's words; fixing the
// settings sends the waiting mails at once, without waiting for the backoff.
func TestFixedSettingsRetryAtOnce(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Password = str("wrong") })
	addStatus(t, dana, 1, "accepted")
	svc.clock.Advance(quiet + time.Second)
	all := waitOutbox(t, svc, "failed", func(all []store.OutboxEntry) bool { return len(all) == 1 && all[0].State == store.OutboxFailed })
	if all[0].LastError != "auth: 535 5.7.8 Username and Password not accepted" {
		t.Errorf("last error %q, want the server's words at auth", all[0].LastError)
	}
	configure(t, dana, smtp, nil)
	smtp.Wait(t, 1, 10*time.Second)
}

// An email not sent yet goes to the client's address as it is at the last
// change it tells of, not as it was at the first.
func TestNoticeFollowsAChangedAddress(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	addStatus(t, dana, 1, "accepted")
	if _, err := dana.UpdateClient(ctx, 1, api.ClientInput{Email: str("amina.new@example.org")}); err != nil {
		t.Fatal(err)
	}
	addStatus(t, dana, 1, "in_progress")
	svc.clock.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	if m := smtp.Wait(t, 1, 10*time.Second)[0]; m.To[0] != "amina.new@example.org" {
		t.Errorf("sent to %v, want the new address", m.To)
	}
}

// With a domain set, the link is the portal's public HTTPS address.
func TestLinkUsesTheDomain(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	err := svc.store.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.Domain = "portal.riverside.example"
		return tx.PutSettings(set)
	})
	if err != nil {
		t.Fatal(err)
	}
	addStatus(t, dana, 2, "accepted")
	addStatus(t, dana, 3, "accepted") // José's two cases: the link goes to his case picker
	svc.clock.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	e := parse(t, smtp.Wait(t, 1, 10*time.Second)[0])
	if !strings.Contains(e.html, `href="https://portal.riverside.example/cases"`) {
		t.Errorf("no link to https://portal.riverside.example/cases:\n%s", e.html)
	}
}

// A recipient the server refuses for good (550) is given up at once, with
// the server's words; a temporary failure is retried.
func TestRefusedRecipientIsGivenUp(t *testing.T) {
	smtp := mailtest.Start(t)
	smtp.Refuse("amina@example.org")
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	addStatus(t, dana, 1, "accepted")
	svc.clock.Advance(quiet + time.Second)
	all := waitOutbox(t, svc, "failed", func(all []store.OutboxEntry) bool { return len(all) == 1 && all[0].State == store.OutboxFailed })
	if e := all[0]; !e.NextTry.IsZero() || e.LastError != "rcpt to: 550 5.1.1 No such user here" {
		t.Errorf("entry %+v: want given up with the server's words", e)
	}
}

// Staff post changes while the sender is sending: every change is told in
// exactly one email, and every email arrives once.
func TestChangesWhileSending(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	staff := []*apiclient.Client{dana, svc.staff(t, marcus), svc.staff(t, lucia)}
	const rounds = 15
	stop := make(chan struct{})
	var ticker sync.WaitGroup
	ticker.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				// A sixth of the quiet time a tick: enough for the sender
				// to send between changes, slow enough that a loaded
				// machine's run stays far within the sessions' lifetime.
				svc.clock.Advance(quiet / 6)
				svc.srv.Mail().Wake()
			}
		}
	})
	var wg sync.WaitGroup
	for i, c := range staff {
		wg.Go(func() {
			for range rounds {
				addStatus(t, c, uint64(1+i%2), "in_progress")
			}
		})
	}
	wg.Wait()
	close(stop)
	ticker.Wait()
	svc.clock.Advance(window + quiet)
	all := waitOutbox(t, svc, "all sent", func(all []store.OutboxEntry) bool {
		for _, e := range all {
			if e.State != store.OutboxSent {
				return false
			}
		}
		return true
	})
	changes := map[string]int{}
	ids := map[string]bool{}
	for _, e := range all {
		changes[e.To] += e.Changes
		ids[e.MessageID] = true
	}
	// Cases 1 (Amina) and 2 (José): two posters on case 1, one on case 2.
	if changes["amina@example.org"] != 2*rounds || changes["jose@example.org"] != rounds {
		t.Errorf("changes told: %v, want amina %d, jose %d", changes, 2*rounds, rounds)
	}
	settle(svc)
	msgs := smtp.Messages()
	got := map[string]int{}
	for _, m := range msgs {
		got[parse(t, m).messageID]++
	}
	for id := range ids {
		if got[id] != 1 {
			t.Errorf("Message-ID %s arrived %d times", id, got[id])
		}
	}
	if len(msgs) != len(all) {
		t.Errorf("%d emails for %d outbox entries", len(msgs), len(all))
	}
	t.Logf("%d changes made %d emails", 3*rounds, len(msgs))
}
