// Package office holds the office actions: every change that staff or a client
// make to the office's records — a client's details, portal access and
// password, a case and its status entries, staff accounts, the settings. The
// staff API and the portal only decode a request and call one action here.
//
// An action checks the values it is given, then runs one store transaction
// that re-reads what it changes, changes only the fields it was given, and
// writes the change with its audit entry, so two colleagues' changes never
// undo each other and nothing is half written. Ending a person's sessions when
// their access is revoked happens here and nowhere else. (The outbox entry and
// the live event of a change will join the same transaction here.)
package office

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"clientportal/server/apitext"
	"clientportal/server/docstore"
	"clientportal/store"
)

// Passwords hashes and verifies passwords; the service bounds how many run at
// once, since each costs tens of MiB.
type Passwords interface {
	Hash(ctx context.Context, pw string) (string, error)
	Verify(ctx context.Context, encoded, pw string) (bool, error)
}

// Publisher hears of events after the transaction that wrote them commits
// (the live hub: open portal pages and control panels see them at once).
type Publisher interface {
	Publish(events []store.Event)
}

// Notifier decides, inside the transaction that raises an event, which email
// notifications it makes (outbox entries), so a notification is never lost
// and never sent for a change that did not commit.
type Notifier interface {
	Notify(tx *store.Tx, e store.Event) error
}

// Office runs the office actions against the store.
type Office struct {
	store     *store.Store
	passwords Passwords
	publisher Publisher       // nil: nobody listens
	notifier  Notifier        // nil: no email notifications
	docs      *docstore.Store // nil: no document uploads
	links     LinkMailer      // nil: no invitation or reset emails

	// ordered is held from a write's start until its events are published,
	// so the publisher hears of events in the order of their ids: a page
	// that resumes with ?after=ID would otherwise miss an event published
	// late. The store serialises writes anyway, so this costs no
	// concurrency.
	ordered sync.Mutex
}

// Option configures an Office.
type Option func(*Office)

// WithPublisher sends committed events to p.
func WithPublisher(p Publisher) Option { return func(o *Office) { o.publisher = p } }

// WithNotifier lets n turn events into email notifications.
func WithNotifier(n Notifier) Option { return func(o *Office) { o.notifier = n } }

// WithDocuments keeps uploaded documents' files in d.
func WithDocuments(d *docstore.Store) Option { return func(o *Office) { o.docs = d } }

// New returns the office actions over st.
func New(st *store.Store, pw Passwords, opts ...Option) *Office {
	o := &Office{store: st, passwords: pw}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

// Actor is who does an action, as the audit log records it.
type Actor struct {
	Kind string // "staff", "client" or "system"
	ID   uint64
	Name string
	IP   string
}

func (a Actor) entry(c change) store.AuditEntry {
	return store.AuditEntry{ActorKind: a.Kind, ActorID: a.ID, ActorName: a.Name, IP: a.IP,
		Action: c.action, Target: c.target, Detail: c.detail}
}

// Kind is what is wrong with an action's input.
type Kind int

// Kinds of Error.
const (
	Invalid   Kind = iota // a value that cannot be used
	Conflict              // a value that must be unique and is taken
	NotActive             // the record is in a state the action does not apply to
)

// Error is input an action cannot use: the field, and what to fix.
type Error struct {
	Kind    Kind
	Field   string
	Message string       // in English
	Text    apitext.Text // Message's catalog id and values, to say it in another language
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func refuse(kind Kind, field string, t apitext.Text) *Error {
	return &Error{Kind: kind, Field: field, Message: t.String(), Text: t}
}

func invalid(field string, t apitext.Text) *Error  { return refuse(Invalid, field, t) }
func conflict(field string, t apitext.Text) *Error { return refuse(Conflict, field, t) }
func inactive(field string, t apitext.Text) *Error { return refuse(NotActive, field, t) }

// change is what one action wrote: its audit entry, and the events it raises.
type change struct {
	action, target, detail string
	events                 []store.Event
}

// commit runs fn in one transaction and writes, in the same transaction, the
// audit entry of the change it made, its events and the notifications they
// make. Once the transaction has committed, the events are published.
func (o *Office) commit(ctx context.Context, a Actor, fn func(tx *store.Tx) (change, error)) error {
	var events []store.Event
	if o.publisher != nil {
		o.ordered.Lock()
		defer o.ordered.Unlock()
	}
	err := o.store.Update(ctx, func(tx *store.Tx) error {
		c, err := fn(tx)
		if err != nil {
			return err
		}
		if err := tx.Audit(a.entry(c)); err != nil {
			return err
		}
		events = c.events
		for i := range events {
			if events[i].ActorKind == "" {
				events[i].ActorKind = a.Kind
			}
			if err := tx.AppendEvent(&events[i]); err != nil {
				return err
			}
			if o.notifier != nil {
				if err := o.notifier.Notify(tx, events[i]); err != nil {
					return fmt.Errorf("notify %s: %w", events[i].Type, err)
				}
			}
		}
		return nil
	})
	if err == nil && o.publisher != nil && len(events) > 0 {
		o.publisher.Publish(events)
	}
	return err
}

func target(kind string, id uint64) string { return kind + ":" + itoa(id) }

func itoa(id uint64) string { return strconv.FormatUint(id, 10) }

// endSessions ends every session of a client or staff member: the one place
// where revoking access takes effect at once.
func endSessions(tx *store.Tx, kind store.SessionKind, id uint64) error {
	if _, err := tx.DeleteSessionsOf(kind, id); err != nil {
		return fmt.Errorf("end sessions of %s %d: %w", kind, id, err)
	}
	return nil
}

// settings reads the office settings.
func (o *Office) settings(ctx context.Context) (store.Settings, error) {
	var set store.Settings
	err := o.store.View(ctx, func(tx *store.Tx) (err error) { set, err = tx.Settings(); return err })
	return set, err
}

// conflictAs turns the store's uniqueness error into a conflict on field.
func conflictAs(err error, field string, t apitext.Text) error {
	if errors.Is(err, store.ErrConflict) {
		return conflict(field, t)
	}
	return err
}

// did is a change with no events.
func did(action, target, detail string) change {
	return change{action: action, target: target, detail: detail}
}
