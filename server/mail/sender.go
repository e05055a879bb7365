package mail

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/emersion/go-smtp"

	"clientportal/store"
)

// Run delivers due outbox entries until ctx ends. It first resends the
// entries a stopped service left "sending" (with their Message-ID), then
// wakes when Notify queues an entry (after its commit) and on a timer.
func (m *Mailer) Run(ctx context.Context) {
	var stuck []store.OutboxEntry
	err := m.store.View(ctx, func(tx *store.Tx) (err error) {
		stuck, err = tx.OutboxInState(store.OutboxSending, 0, 1<<30)
		return err
	})
	if err != nil && ctx.Err() == nil {
		m.log.Error("mail outbox: read entries left sending", "err", err)
	}
	for _, e := range stuck {
		m.log.Warn("mail outbox: resending an entry the service was sending when it stopped", "entry", e.ID, "message_id", e.MessageID)
		m.try(ctx, e.ID, true)
	}
	var pruned time.Time
	for ctx.Err() == nil {
		if time.Since(pruned) > time.Hour {
			m.prune(ctx)
			pruned = time.Now()
		}
		m.sendDue(ctx)
		wait := m.opt.Poll
		var next time.Time
		var ok bool
		m.store.View(ctx, func(tx *store.Tx) error { next, ok = tx.NextOutboxDue(); return nil })
		if ok {
			wait = min(wait, max(next.Sub(m.store.Now()), 0))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-m.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// prune deletes sent entries older than Options.Keep, a batch per
// transaction so writers are not held up.
func (m *Mailer) prune(ctx context.Context) {
	for ctx.Err() == nil {
		var n int
		err := m.store.Update(ctx, func(tx *store.Tx) (err error) {
			n, err = tx.PruneOutbox(tx.Now().Add(-m.opt.Keep), 500)
			return err
		})
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error("mail outbox: prune sent entries", "err", err)
			}
			return
		}
		if n < 500 {
			return
		}
	}
}

// sendDue tries every entry that is due now.
func (m *Mailer) sendDue(ctx context.Context) {
	for ctx.Err() == nil {
		var due []store.OutboxEntry
		err := m.store.View(ctx, func(tx *store.Tx) (err error) { due, err = tx.DueOutbox(m.store.Now(), 50); return err })
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error("mail outbox: read due entries", "err", err)
			}
			return
		}
		if len(due) == 0 {
			return
		}
		for _, e := range due {
			m.try(ctx, e.ID, false)
		}
	}
}

// try makes one delivery attempt of entry id: marked "sending" in a
// committed transaction first, then the SMTP conversation, then "sent" or
// "failed" with the server's words and the time of the next try. resume
// takes an entry left "sending".
func (m *Mailer) try(ctx context.Context, id uint64, resume bool) {
	var e store.OutboxEntry
	var ms store.MailSettings
	var set store.Settings
	claimed := false
	err := m.store.Update(ctx, func(tx *store.Tx) (err error) {
		if e, err = tx.OutboxEntry(id); err != nil {
			return err
		}
		if resume && e.State != store.OutboxSending || !resume && (!e.Open() || e.NextTry.After(tx.Now())) {
			return nil // someone else's, or no longer due
		}
		if ms, err = tx.MailSettings(); err != nil {
			return err
		}
		if set, err = tx.Settings(); err != nil {
			return err
		}
		e.State, e.Attempts, e.NextTry = store.OutboxSending, e.Attempts+1, time.Time{}
		if e.FirstTry.IsZero() {
			e.FirstTry = tx.Now()
		}
		claimed = true
		return tx.PutOutboxEntry(&e)
	})
	if err != nil || !claimed {
		if err != nil && ctx.Err() == nil {
			m.log.Error("mail outbox: claim entry", "entry", id, "err", err)
		}
		return
	}

	var reply string
	l, err := m.letterOf(e, ms, set)
	var msg []byte
	if err == nil {
		msg, err = render(l)
	}
	if err == nil && !ms.Configured() {
		err = &Failure{Stage: "connect", Words: "no mail server is set (PUT /api/v1/settings/mail)"}
	}
	if err == nil {
		// A stop lets the conversation under way finish (within
		// Options.Timeout): the sender stops between mails, not in one.
		reply, err = m.deliver(context.WithoutCancel(ctx), ms, e.To, msg)
	}
	if ctx.Err() != nil && err != nil {
		// It failed while the service stopped (the server timed out): the
		// entry stays "sending" and the next start resends it, with the
		// same Message-ID.
		return
	}

	// The outcome is recorded even if ctx ended meanwhile: the server has
	// answered, and the record must say so.
	if err := m.record(context.WithoutCancel(ctx), id, reply, err); err != nil {
		m.log.Error("mail outbox: record a try", "entry", id, "err", err)
		return
	}
	if err != nil {
		m.log.Warn("mail outbox: try failed", "entry", id, "attempt", e.Attempts, "err", err)
	}
}

// record writes the outcome of a try.
func (m *Mailer) record(ctx context.Context, id uint64, reply string, sendErr error) error {
	return m.store.Update(ctx, func(tx *store.Tx) error {
		e, err := tx.OutboxEntry(id)
		if err != nil {
			return err
		}
		if sendErr == nil {
			// A link email's token is wiped once sent (links.go).
			e.State, e.Sent, e.Reply, e.LastError, e.Sealed = store.OutboxSent, tx.Now(), reply, "", nil
			return tx.PutOutboxEntry(&e)
		}
		e.State, e.LastError = store.OutboxFailed, sendErr.Error()
		if e.Attempts < m.opt.MaxAttempts && !permanent(sendErr) {
			e.NextTry = tx.Now().Add(m.backoff(e.Attempts))
		} else {
			e.Sealed = nil
		}
		return tx.PutOutboxEntry(&e)
	})
}

// permanent reports whether a failure will not go away by trying again: the
// server refused the recipient for good (5xx), such as a mailbox that does
// not exist. Staff see it failed, with the server's words, at once.
func permanent(err error) bool {
	var f *Failure
	var se *smtp.SMTPError
	return errors.As(err, &f) && f.Stage == "rcpt to" && errors.As(err, &se) && se.Code/100 == 5
}

// backoff is the wait after the nth failed try: Retry, doubled each time,
// at most an hour.
func (m *Mailer) backoff(n int) time.Duration {
	d := m.opt.Retry
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// letterOf is the email entry e stands for.
func (m *Mailer) letterOf(e store.OutboxEntry, ms store.MailSettings, set store.Settings) (letter, error) {
	l := letter{MessageID: e.MessageID, From: ms.From, Office: set.OfficeName, To: e.To, Lang: e.Language,
		Date: e.FirstTry, Kind: e.Kind, Changes: e.Changes, Expires: e.LinkExpires, Color: brandColor(set)}
	if isLink(e.Kind) {
		var err error
		l.Link, err = m.linkOf(e, m.portalURL(set.Domain))
		return l, err
	}
	if e.Kind == store.MailNotice {
		base := m.portalURL(set.Domain)
		if len(e.CaseIDs) == 1 {
			l.Link = base + "/cases/" + strconv.FormatUint(e.CaseIDs[0], 10)
		} else {
			l.Link = base + "/cases"
		}
	}
	return l, nil
}

// SendTest sends a test email to to now, and answers what the server said:
// its words of acceptance, or its words and the step that failed.
func (m *Mailer) SendTest(ctx context.Context, to string) (reply, stage string, sent bool) {
	var ms store.MailSettings
	var set store.Settings
	err := m.store.View(ctx, func(tx *store.Tx) (err error) {
		if ms, err = tx.MailSettings(); err != nil {
			return err
		}
		set, err = tx.Settings()
		return err
	})
	if err != nil {
		return "could not read the mail settings: " + err.Error(), "settings", false
	}
	msg, err := render(letter{MessageID: newMessageID(ms.From), From: ms.From, Office: set.OfficeName, To: to, Lang: "en",
		Date: m.store.Now(), Kind: "test", Color: brandColor(set)})
	if err != nil {
		return err.Error(), "render", false
	}
	reply, err = m.deliver(ctx, ms, to, msg)
	var f *Failure
	switch {
	case err == nil:
		return reply, "", true
	case errors.As(err, &f):
		return f.Words, f.Stage, false
	}
	return err.Error(), "", false
}

// brandColor is the office's colour for emails: its branding's, else the
// portal's own.
func brandColor(set store.Settings) string {
	if set.Brand.Color != "" {
		return set.Brand.Color
	}
	return "#1d4f7a"
}
