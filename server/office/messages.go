package office

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"clientportal/server/apitext"
	"clientportal/store"
)

// MaxMessage is the longest message or note body, in characters.
const MaxMessage = 4000

// How often one client may post, over all their cases and sessions: enough
// for a conversation, too slow for a flood.
const (
	ClientMessages      = 20
	ClientMessageWindow = 10 * time.Minute
)

// RateLimited is a client posting more than ClientMessages within
// ClientMessageWindow.
type RateLimited struct{ RetryAfter time.Duration }

func (e *RateLimited) Error() string {
	return fmt.Sprintf("too many messages: wait %s before sending another", e.RetryAfter.Round(time.Second))
}

// PostStaffMessage adds a note by staff member a to the case: an internal
// note (staff only) or a portal message to the case's clients. Its event,
// message.created, reaches the case's clients only for a portal message.
func (o *Office) PostStaffMessage(ctx context.Context, a Actor, caseID uint64, body string, vis store.Visibility) (store.Note, error) {
	return o.PostStaffMessageWithDocuments(ctx, a, caseID, body, vis, nil, false)
}

// PostStaffMessageWithDocuments is PostStaffMessage with documents of the
// case attached (documents, in that order). Every one must be a document of
// this case; a portal message may carry only documents the case's clients
// see, unless share is true: then those not yet shared are shared with them
// in the same transaction (event document.shared each), as the staff member
// asked. Refusals are *Error naming the document.
func (o *Office) PostStaffMessageWithDocuments(ctx context.Context, a Actor, caseID uint64, body string, vis store.Visibility, documents []uint64, share bool) (store.Note, error) {
	if vis != store.Internal && vis != store.Portal {
		return store.Note{}, invalid("visibility", apitext.New("message.visibility_portal_case_s", `visibility must be "portal" (the case's clients read it) or "internal" (staff only)`))
	}
	body, err := messageBody(body)
	if err != nil {
		return store.Note{}, err
	}
	var n store.Note
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		shared, err := attachable(tx, caseID, vis, documents, share)
		if err != nil {
			return change{}, err
		}
		var events []store.Event
		for _, id := range shared {
			if _, _, err := tx.SetDocumentPortal(id, true); err != nil {
				return change{}, err
			}
			events = append(events, caseEvent("document.shared", c, id))
		}
		n = store.Note{CaseID: caseID, AuthorKind: "staff", AuthorID: a.ID, AuthorName: a.Name, Body: body, Visibility: vis, DocumentIDs: documents}
		if err := tx.AddNote(&n); err != nil {
			return change{}, err
		}
		ev := caseEvent("message.created", c, n.ID)
		if vis == store.Internal {
			ev.ClientIDs, ev.StaffOnly = nil, true
		}
		detail := string(vis) + " note " + itoa(n.ID)
		if len(documents) > 0 {
			detail += " with documents " + joinIDs(documents)
		}
		if len(shared) > 0 {
			detail += ", shared " + joinIDs(shared)
		}
		return change{action: "case.message", target: target("case", caseID),
			detail: detail, events: append(events, ev)}, nil
	})
	return n, err
}

// attachable checks documents a staff note is to carry, and answers those
// to share with the case's clients first (a portal message, share true).
func attachable(tx *store.Tx, caseID uint64, vis store.Visibility, documents []uint64, share bool) ([]uint64, error) {
	if len(documents) > store.MaxNoteDocuments {
		return nil, invalid("documents", apitext.New("message.documents_too_many", "a message carries at most {{.Max}} documents", "Max", store.MaxNoteDocuments))
	}
	var toShare []uint64
	for i, id := range documents {
		d, err := tx.Document(id)
		if errors.Is(err, store.ErrNotFound) || err == nil && d.CaseID != caseID {
			return nil, invalid("documents", apitext.New("message.document_other_case", "document {{.ID}} is not a document of case {{.Case}}: attach only the case's own documents", "ID", id, "Case", caseID))
		}
		if err != nil {
			return nil, err
		}
		if slices.Contains(documents[:i], id) {
			return nil, invalid("documents", apitext.New("message.document_twice", "document {{.ID}} is listed twice", "ID", id))
		}
		if vis == store.Portal && !d.Portal {
			if !share {
				return nil, invalid("documents", apitext.New("message.document_not_shared", "document {{.ID}} is not shared with the case's clients: send share_documents true to share it with this message, or attach it to an internal note", "ID", id))
			}
			toShare = append(toShare, id)
		}
	}
	return toShare, nil
}

func joinIDs(ids []uint64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = itoa(id)
	}
	return strings.Join(s, ",")
}

// PostClientMessage adds a client's message to the office, addressed to the
// case's advocate. The client must be one of the case's clients (checked in
// the transaction that writes it, so a client removed meanwhile cannot post);
// a case that is not theirs is store.ErrNotFound, alike with a missing one.
// A client posting faster than ClientMessages a ClientMessageWindow gets
// *RateLimited.
func (o *Office) PostClientMessage(ctx context.Context, a Actor, caseID uint64, body string) (store.Note, error) {
	if a.Kind != "client" || a.ID == 0 {
		return store.Note{}, errors.New("post client message: the actor is not a client")
	}
	body, err := messageBody(body)
	if err != nil {
		return store.Note{}, err
	}
	var n store.Note
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		if !c.HasClient(a.ID) {
			return change{}, fmt.Errorf("case %d of client %d: %w", caseID, a.ID, store.ErrNotFound)
		}
		if n, err = o.addClientMessage(tx, a, c, body, nil); err != nil {
			return change{}, err
		}
		return change{action: "case.message", target: target("case", caseID), detail: "client message " + itoa(n.ID),
			events: []store.Event{caseEvent("message.created", c, n.ID)}}, nil
	})
	return n, err
}

// addClientMessage writes client a's message to the office on case c,
// carrying documents, within the client's message rate.
func (o *Office) addClientMessage(tx *store.Tx, a Actor, c store.Case, body string, documents []uint64) (store.Note, error) {
	if wait, err := tx.TakeClientMessageSlot(a.ID, store.ClientMessageRate{Max: ClientMessages, Window: ClientMessageWindow}); errors.Is(err, store.ErrRateLimited) {
		return store.Note{}, &RateLimited{RetryAfter: wait}
	} else if err != nil {
		return store.Note{}, err
	}
	n := store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, AuthorName: a.Name, Body: body,
		Visibility: store.Portal, ToStaffID: c.AdvocateID, DocumentIDs: documents}
	if err := tx.AddNote(&n); err != nil {
		return store.Note{}, err
	}
	return n, nil
}

// MarkReadByClient marks the case's staff messages up to upTo (0: all) as
// read by client a, and says how many were new. Reading what was already
// read writes nothing. Its event, message.read, goes to this client's other
// pages (their counts) and to staff (who see the message was read).
func (o *Office) MarkReadByClient(ctx context.Context, a Actor, caseID, upTo uint64) (int, error) {
	if a.Kind != "client" || a.ID == 0 {
		return 0, errors.New("mark read by client: the actor is not a client")
	}
	var c store.Case
	err := o.store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Case(caseID); return err })
	if err != nil {
		return 0, err
	}
	if !c.HasClient(a.ID) {
		return 0, fmt.Errorf("case %d of client %d: %w", caseID, a.ID, store.ErrNotFound)
	}
	if !o.hasUnread(ctx, func(tx *store.Tx) bool { return tx.UnreadByClient(a.ID, caseID) > 0 }) {
		return 0, nil
	}
	var marked []uint64
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if marked, err = tx.MarkNotesReadByClient(a.ID, caseID, upTo); err != nil {
			return change{}, err
		}
		return readChange("case.message_read_by_client", caseID, marked,
			store.Event{Type: "message.read", CaseID: caseID, ClientIDs: []uint64{a.ID}}), nil
	})
	return len(marked), err
}

// MarkReadByStaff marks the case's client messages up to upTo (0: all) as
// read by staff member a, and says how many were new.
func (o *Office) MarkReadByStaff(ctx context.Context, a Actor, caseID, upTo uint64) (int, error) {
	err := o.store.View(ctx, func(tx *store.Tx) error { _, err := tx.Case(caseID); return err })
	if err != nil {
		return 0, err
	}
	if !o.hasUnread(ctx, func(tx *store.Tx) bool { return tx.UnreadByStaff(caseID) > 0 }) {
		return 0, nil
	}
	var marked []uint64
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if marked, err = tx.MarkNotesReadByStaff(a.ID, caseID, upTo); err != nil {
			return change{}, err
		}
		return readChange("case.message_read_by_staff", caseID, marked,
			store.Event{Type: "message.read", CaseID: caseID, StaffOnly: true}), nil
	})
	return len(marked), err
}

// hasUnread reads in a read-only transaction whether there is anything to
// mark, so opening a page of read messages costs no write.
func (o *Office) hasUnread(ctx context.Context, check func(tx *store.Tx) bool) bool {
	var yes bool
	o.store.View(ctx, func(tx *store.Tx) error { yes = check(tx); return nil })
	return yes
}

func readChange(action string, caseID uint64, marked []uint64, ev store.Event) change {
	c := did(action, target("case", caseID), fmt.Sprintf("%d messages read", len(marked)))
	if len(marked) > 0 {
		ev.Ref = marked[len(marked)-1]
		c.events = []store.Event{ev}
	}
	return c
}

// messageBody checks a message: plain text (never rendered as HTML), not
// empty, at most MaxMessage characters, no control characters but line
// breaks and tabs. Windows line breaks become \n.
func messageBody(v string) (string, error) {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	body, err := longText("body", v, MaxMessage)
	if err != nil {
		return "", err
	}
	if body == "" {
		return "", invalid("body", apitext.New("message.write_message_body_empty", "write the message (body is empty)"))
	}
	return body, nil
}
