package mail

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"clientportal/store"
)

// Event types that make a client's notice, and the setting that turns each on.
var topics = map[string]string{
	"status.added":          "status",
	"message.created":       "messages",
	"appointment.created":   "appointments",
	"appointment.cancelled": "appointments",
	"appointment.updated":   "appointments",
	"document.shared":       "documents",
	// Document requests: a new item, one returned with a reason, one due soon.
	"request.created":  "requests",
	"request.returned": "requests",
	"request.due_soon": "requests",
}

func enabled(n store.MailNotify, topic string) bool {
	switch topic {
	case "status":
		return n.Status
	case "messages":
		return n.Messages
	case "appointments":
		return n.Appointments
	case "documents":
		return n.Documents
	case "requests":
		return n.Requests
	}
	return false
}

// maxCases bounds the cases one entry lists (its link goes to the case
// picker once there are two).
const maxCases = 20

// Notify adds, in the transaction that raised e, the outbox entries e makes.
// It implements office.Notifier. Nothing is queued while no mail server is
// set: notices about old changes would only confuse once one is.
func (m *Mailer) Notify(tx *store.Tx, e store.Event) error {
	topic := topics[e.Type]
	if topic == "" || e.CaseID == 0 {
		return nil
	}
	ms, err := tx.MailSettings()
	if err != nil {
		return err
	}
	if !ms.Configured() {
		return nil
	}
	if e.ActorKind == "client" {
		if e.Type == "message.created" {
			return m.alertStaff(tx, ms, e)
		}
		return nil
	}
	if e.StaffOnly || !enabled(ms.Notify, topic) {
		return nil
	}
	for _, id := range e.ClientIDs {
		c, err := tx.Client(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		// A notice invites the client to log in: none for a client who cannot.
		if !c.Access.EmailNotice || !c.Access.AllowedToLogOn || c.Email == "" {
			continue
		}
		lang := "en"
		if c.Language == "es" {
			lang = "es"
		}
		if err := m.enqueue(tx, ms, "client:"+strconv.FormatUint(c.ID, 10), c.Email, lang, store.MailNotice, topic, e.CaseID); err != nil {
			return err
		}
	}
	return nil
}

// alertStaff tells staff that a client wrote, as the routing setting says,
// skipping staff who turned their alerts off.
func (m *Mailer) alertStaff(tx *store.Tx, ms store.MailSettings, e store.Event) error {
	office := func() error {
		return m.enqueue(tx, ms, "office", ms.OfficeAddress, "en", store.MailAlert, "messages", e.CaseID)
	}
	switch ms.ClientAlerts {
	case store.AlertNone:
		return nil
	case store.AlertOffice:
		return office()
	case store.AlertAdvocate:
		c, err := tx.Case(e.CaseID)
		if err != nil {
			return err
		}
		if c.AdvocateID != 0 {
			s, err := tx.Staff(c.AdvocateID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err == nil && !s.Disabled {
				return m.alertOne(tx, ms, s, e.CaseID)
			}
		}
		// No advocate on the staff (a pro bono case, or a disabled
		// account): the office address, else every staff member, so a
		// client's message is never announced to nobody.
		if ms.OfficeAddress != "" {
			return office()
		}
	}
	all, err := tx.ListStaff()
	if err != nil {
		return err
	}
	for _, s := range all {
		if s.Disabled {
			continue
		}
		if err := m.alertOne(tx, ms, s, e.CaseID); err != nil {
			return err
		}
	}
	return nil
}

func (m *Mailer) alertOne(tx *store.Tx, ms store.MailSettings, s store.Staff, caseID uint64) error {
	if s.AlertsOff || s.Email == "" {
		return nil
	}
	return m.enqueue(tx, ms, "staff:"+strconv.FormatUint(s.ID, 10), s.Email, "en", store.MailAlert, "messages", caseID)
}

// enqueue adds a change to key's open entry, or opens one due after the
// quiet period and at least Window after the last email to key.
func (m *Mailer) enqueue(tx *store.Tx, ms store.MailSettings, key, to, lang, kind, topic string, caseID uint64) error {
	open, ok, err := tx.OpenOutboxEntry(key)
	if err != nil {
		return fmt.Errorf("outbox of %s: %w", key, err)
	}
	if ok && open.Kind == kind {
		if !slices.Contains(open.Topics, topic) {
			open.Topics = append(open.Topics, topic)
		}
		if !slices.Contains(open.CaseIDs, caseID) && len(open.CaseIDs) < maxCases {
			open.CaseIDs = append(open.CaseIDs, caseID)
		}
		open.Changes++
		// Not sent yet: to the recipient's address and language as they are now.
		open.To, open.Language = to, lang
		return tx.PutOutboxEntry(&open)
	}
	last, err := tx.OutboxLastSent(key)
	if err != nil {
		return err
	}
	due := tx.Now().Add(m.opt.Quiet)
	if next := last.Add(m.opt.Window); next.After(due) {
		due = next
	}
	entry := store.OutboxEntry{MessageID: newMessageID(ms.From), Key: key, To: to, Language: lang, Kind: kind,
		Topics: []string{topic}, CaseIDs: []uint64{caseID}, Changes: 1, State: store.OutboxPending, NextTry: due}
	if err := tx.PutOutboxEntry(&entry); err != nil {
		return fmt.Errorf("queue email to %s: %w", key, err)
	}
	tx.OnCommit(m.Wake)
	return nil
}
