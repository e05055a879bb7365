package mail_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
	"clientportal/store"
)

// dueSoonEvents counts the request.due_soon events in the event log, by item.
func dueSoonEvents(t *testing.T, s *service) map[uint64]int {
	t.Helper()
	got := map[uint64]int{}
	err := s.store.View(ctx, func(tx *store.Tx) error {
		events, err := tx.EventsAfter(0, 10000)
		for _, e := range events {
			if e.Type == "request.due_soon" {
				got[e.Ref]++
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// requestNotices sums, per recipient, the changes of the outbox entries
// about document requests, and their language.
func requestNotices(t *testing.T, s *service) map[string]string {
	t.Helper()
	out := map[string]string{}
	counts := map[string]int{}
	for _, e := range outbox(t, s, "") {
		if slices.Contains(e.Topics, "requests") {
			counts[e.To] += e.Changes
			out[e.To] = e.Language
		}
	}
	for to, n := range counts {
		out[to] += " " + strings.Repeat("x", n)
	}
	return out
}

// TestDueSoonRemindersOnce: an item due in ten days gets its due-soon
// reminder three days before and again the day before, once each, also
// across restarts of the service (whose start-up sweep runs again), and
// none once it is overdue or sent. Each reminder is a notice in the client's
// language, as is the new item.
func TestDueSoonRemindersOnce(t *testing.T) {
	smtp := mailtest.Start(t)
	dir := t.TempDir()
	clk := servertest.NewClock(time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC))
	svc := startService(t, dir, clk, smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Notify = &api.MailNotify{Requests: true} })
	lease, err := dana.AddRequests(ctx, 1, api.RequestItem{Title: "Copy of your lease", Due: "2026-11-12"}) // Amina, English
	if err != nil {
		t.Fatal(err)
	}
	passport, err := dana.AddRequests(ctx, 2, api.RequestItem{Title: "Pasaporte", Due: "2026-11-12"}) // José, Spanish
	if err != nil {
		t.Fatal(err)
	}
	sent, err := dana.AddRequests(ctx, 1, api.RequestItem{Title: "Already sent", Due: "2026-11-12"})
	if err != nil {
		t.Fatal(err)
	}
	// An item the client has done their part for gets no reminder.
	if err := svc.store.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.Request(1, sent[0].ID)
		if err != nil {
			return err
		}
		r.State = store.RequestSubmitted
		return tx.PutRequest(&r)
	}); err != nil {
		t.Fatal(err)
	}
	remind := func(want int) {
		t.Helper()
		n, err := svc.srv.RemindDueRequests(ctx)
		if err != nil || n != want {
			t.Fatalf("RemindDueRequests on %s: %d, %v; want %d", clk.Now().Format(time.DateOnly), n, err, want)
		}
	}
	restart := func() {
		t.Helper()
		svc.stop()
		svc = startService(t, dir, clk, smtp)
		time.Sleep(100 * time.Millisecond) // the start-up sweep
		remind(0)
	}
	want := func(n int) {
		t.Helper()
		got := dueSoonEvents(t, svc)
		if got[lease[0].ID] != n || got[passport[0].ID] != n || got[sent[0].ID] != 0 || len(got) > 2 {
			t.Fatalf("on %s: due-soon events by item %v, want %d for items %d and %d", clk.Now().Format(time.DateOnly), got, n, lease[0].ID, passport[0].ID)
		}
	}
	remind(0) // ten days before
	clk.Advance(6 * 24 * time.Hour)
	remind(0) // four days before
	clk.Advance(24 * time.Hour)
	remind(2) // three days before: both
	remind(0)
	want(1)
	restart()
	want(1)
	clk.Advance(24 * time.Hour)
	remind(0) // two days before
	clk.Advance(24 * time.Hour)
	remind(2) // the day before
	restart()
	want(2)
	clk.Advance(24 * time.Hour)
	remind(0) // the due day: the last reminder went out the day before
	clk.Advance(24 * time.Hour)
	remind(0) // overdue
	restart()
	want(2)

	// The new items and two reminders, in each client's language.
	notices := requestNotices(t, svc)
	// Amina's case has two new items (one already sent) and two reminders.
	if notices["amina@example.org"] != "en xxxx" {
		t.Errorf("Amina's notices about requests: %q, want 4 changes in English", notices["amina@example.org"])
	}
	if notices["jose@example.org"] != "es xxx" {
		t.Errorf("José's notices about requests: %q, want 3 changes in Spanish", notices["jose@example.org"])
	}
}

// TestReturnedRequestNotice: a returned item is a notice to the client (not
// the client's own upload, nor staff accepting it); none when the office
// turned request notices off.
func TestReturnedRequestNotice(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Notify = &api.MailNotify{Status: true} })
	items, err := dana.AddRequests(ctx, 2, api.RequestItem{Title: "Pasaporte"})
	if err != nil {
		t.Fatal(err)
	}
	if all := outbox(t, svc, ""); len(all) != 0 {
		t.Fatalf("with request notices off, a new item queued %+v", all)
	}
	configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Notify = &api.MailNotify{Requests: true} })
	submitted(t, svc, 2, items[0].ID)
	if _, err := dana.ReturnRequest(ctx, items[0].ID, "La foto no se lee."); err != nil {
		t.Fatal(err)
	}
	all := outbox(t, svc, "")
	if len(all) != 1 || all[0].To != "jose@example.org" || all[0].Language != "es" || !slices.Contains(all[0].Topics, "requests") || all[0].Changes != 1 {
		t.Fatalf("outbox after a return: %+v, want one Spanish notice to José", all)
	}
	submitted(t, svc, 2, items[0].ID)
	if _, err := dana.AcceptRequest(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if all := outbox(t, svc, ""); len(all) != 1 || all[0].Changes != 1 {
		t.Fatalf("accepting made a notice: %+v", all)
	}
}

// submitted marks an item sent, as the client's upload would.
func submitted(t *testing.T, s *service, caseID, id uint64) {
	t.Helper()
	err := s.store.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.Request(caseID, id)
		if err != nil {
			return err
		}
		r.State = store.RequestSubmitted
		return tx.PutRequest(&r)
	})
	if err != nil {
		t.Fatal(err)
	}
}
