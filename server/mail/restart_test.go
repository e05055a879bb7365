package mail_test

import (
	"testing"
	"time"

	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
	"clientportal/store"
)

// The service stops (server closed, store closed) with mails pending and one
// left "sending"; after it starts again on the same data folder every mail
// arrives exactly once with its Message-ID. The one mail that may arrive
// twice, one whose acceptance the service did not get to record, arrives
// again with the same Message-ID.
func TestRestartNeitherLosesNorRepeats(t *testing.T) {
	smtp := mailtest.Start(t)
	dir := t.TempDir()
	clk := servertest.NewClock(time.Now())
	svc := startService(t, dir, clk, smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)

	// Li Wei's notice goes out before the stop.
	addStatus(t, dana, 4, "accepted")
	clk.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	smtp.Wait(t, 1, 10*time.Second)
	waitOutbox(t, svc, "sent", func(all []store.OutboxEntry) bool { return len(all) == 1 && all[0].State == store.OutboxSent })
	// Amina's and José's wait for the quiet period when the service stops.
	addStatus(t, dana, 1, "accepted")
	addStatus(t, dana, 2, "accepted")
	byTo := map[string]store.OutboxEntry{}
	for _, e := range outbox(t, svc, "") {
		byTo[e.To] = e
	}
	svc.stop()
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d emails before the stop, want 1", n)
	}

	// What a service that died mid-try leaves: José's entry marked sending
	// before the server was reached; Li's marked sending, accepted by the
	// server, and the acceptance never recorded.
	st, err := store.Open(dir, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for _, to := range []string{"jose@example.org", "li.wei@example.org"} {
			e := byTo[to]
			e.State, e.NextTry, e.Sent, e.Reply = store.OutboxSending, time.Time{}, time.Time{}, ""
			if e.FirstTry.IsZero() {
				e.FirstTry, e.Attempts = tx.Now(), 1
			}
			if err := tx.PutOutboxEntry(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Started again: the entries left sending go at once, without waiting
	// for the clock; Amina's when its quiet period ends.
	svc = startService(t, dir, clk, smtp)
	smtp.Wait(t, 3, 10*time.Second)
	clk.Advance(quiet)
	svc.srv.Mail().Wake()
	smtp.Wait(t, 4, 10*time.Second)
	waitOutbox(t, svc, "all sent", func(all []store.OutboxEntry) bool {
		for _, e := range all {
			if e.State != store.OutboxSent {
				return false
			}
		}
		return len(all) == 3
	})
	settle(svc)

	got := map[string][]string{} // Message-ID -> recipients
	for _, m := range smtp.Messages() {
		id := parse(t, m).messageID
		got[id] = append(got[id], m.To[0])
	}
	for to, e := range byTo {
		want := 1
		if to == "li.wei@example.org" {
			want = 2 // accepted before the stop, the record lost: sent again, same Message-ID
		}
		if n := len(got[e.MessageID]); n != want {
			t.Errorf("%s: Message-ID %s arrived %d times, want %d", to, e.MessageID, n, want)
		}
	}
	if len(got) != 3 || len(smtp.Messages()) != 4 {
		t.Errorf("received %v, want 3 Message-IDs in 4 emails", got)
	}
}

// The service stops in the middle of an SMTP conversation that the server
// then accepts: the stop waits for the conversation, which is recorded as
// sent, and the next start does not send it again.
func TestStopWaitsForTheMailUnderWay(t *testing.T) {
	smtp := mailtest.Start(t)
	dir := t.TempDir()
	clk := servertest.NewClock(time.Now())
	svc := startService(t, dir, clk, smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	addStatus(t, dana, 1, "accepted")
	smtp.Hold()
	clk.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	smtp.Held(t, 10*time.Second)
	stopped := make(chan struct{})
	go func() { svc.stop(); close(stopped) }()
	time.Sleep(200 * time.Millisecond) // the stop has begun
	smtp.Release(true)
	<-stopped
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d emails after the stop, want 1", n)
	}

	svc = startService(t, dir, clk, smtp)
	if e := outbox(t, svc, "")[0]; e.State != store.OutboxSent {
		t.Errorf("entry after the restart: %+v, want sent", e)
	}
	settle(svc)
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d emails after the restart, want 1 (not sent again)", n)
	}
}

// The service stops in the middle of an SMTP conversation the server never
// finishes: the stop waits for it at most the conversation's time limit;
// the entry was marked sending before it began and stays so; started again,
// the service sends it with the same Message-ID, and it arrives once.
func TestStopMidConversation(t *testing.T) {
	smtp := mailtest.Start(t)
	dir := t.TempDir()
	clk := servertest.NewClock(time.Now())
	svc := startService(t, dir, clk, smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	addStatus(t, dana, 1, "accepted")
	smtp.Hold()
	clk.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	smtp.Held(t, 10*time.Second)
	e := outbox(t, svc, "")[0]
	if e.State != store.OutboxSending || e.Attempts != 1 {
		t.Fatalf("entry during the conversation: %+v, want sending, first attempt", e)
	}
	svc.stop()
	smtp.Release(false) // the server never accepted it
	if n := len(smtp.Messages()); n != 0 {
		t.Fatalf("%d emails, want none yet", n)
	}

	svc = startService(t, dir, clk, smtp)
	m := smtp.Wait(t, 1, 10*time.Second)[0]
	if id := parse(t, m).messageID; id != e.MessageID {
		t.Errorf("resent with Message-ID %s, want %s", id, e.MessageID)
	}
	waitOutbox(t, svc, "sent", func(all []store.OutboxEntry) bool { return all[0].State == store.OutboxSent })
	settle(svc)
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}
}

// Sent entries leave the outbox after 90 days; the service prunes them when
// it starts (and every hour).
func TestOldSentEntriesArePruned(t *testing.T) {
	smtp := mailtest.Start(t)
	dir := t.TempDir()
	clk := servertest.NewClock(time.Now())
	svc := startService(t, dir, clk, smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, nil)
	addStatus(t, dana, 1, "accepted")
	clk.Advance(quiet + time.Second)
	svc.srv.Mail().Wake()
	waitOutbox(t, svc, "sent", func(all []store.OutboxEntry) bool { return len(all) == 1 && all[0].State == store.OutboxSent })
	svc.stop()
	clk.Advance(91 * 24 * time.Hour)
	svc = startService(t, dir, clk, smtp)
	waitOutbox(t, svc, "empty", func(all []store.OutboxEntry) bool { return len(all) == 0 })
}
