package office

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"clientportal/server/apitext"
	"clientportal/store"
)

// Document request (checklist item) limits.
const (
	MaxRequestTitle  = 200
	MaxRequestNote   = 2000
	MaxRequestReason = 1000
	// MaxRequestsAtOnce is the most items one AddRequests call adds.
	MaxRequestsAtOnce = 50
)

// RequestInput is a new checklist item as staff write it: Due is a day
// ("2026-12-01", the office's time zone) or "".
type RequestInput struct {
	Title, Due, Note string
}

// RequestChange changes an item: nil fields keep their value; Due "" takes
// the due day away.
type RequestChange struct {
	Title, Due, Note *string
}

// AddRequests adds several items to the case's checklist at once, each
// raising request.created for the case's clients (and their email notice).
func (o *Office) AddRequests(ctx context.Context, a Actor, caseID uint64, items []RequestInput) ([]store.DocumentRequest, error) {
	switch {
	case len(items) == 0:
		return nil, invalid("items", apitext.New("request.send_least_one_item", "send at least one item, each with a title"))
	case len(items) > MaxRequestsAtOnce:
		return nil, invalid("items", apitext.New("request.items_too_many", "send at most {{.Max}} items at once", "Max", MaxRequestsAtOnce))
	}
	var out []store.DocumentRequest
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		set, err := tx.Settings()
		if err != nil {
			return change{}, err
		}
		loc := set.Location()
		checked := make([]store.DocumentRequest, len(items))
		for i, in := range items {
			if checked[i], err = requestFields(in, loc, tx.Now(), fmt.Sprintf("items[%d].", i)); err != nil {
				return change{}, err
			}
		}
		out = out[:0]
		var events []store.Event
		ids := make([]string, 0, len(checked))
		today := dayOf(tx.Now(), loc)
		for _, r := range checked {
			r.CaseID, r.CreatedBy = caseID, a.ID
			r.Reminded = reminderReached(r, today, loc)
			if err := tx.AddRequest(&r); err != nil {
				return change{}, err
			}
			out = append(out, r)
			ids = append(ids, itoa(r.ID))
			events = append(events, caseEvent("request.created", c, r.ID))
		}
		return change{action: "request.add", target: target("case", caseID), detail: "items " + strings.Join(ids, ","), events: events}, nil
	})
	return out, err
}

// UpdateRequest changes an item's title, due day or note (not a cancelled
// or accepted one), raising request.updated.
func (o *Office) UpdateRequest(ctx context.Context, a Actor, id uint64, ch RequestChange) (store.DocumentRequest, error) {
	var r store.DocumentRequest
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		set, err := tx.Settings()
		if err != nil {
			return change{}, err
		}
		loc := set.Location()
		if r, err = tx.RequestByID(id); err != nil {
			return change{}, err
		}
		if r.State == store.RequestCancelled || r.State == store.RequestAccepted {
			return change{}, inactive("state", apitext.New("request.state_final", "this item was {{.State}} and can no longer change", "State", stateText(r.State)))
		}
		in := RequestInput{Title: r.Title, Due: r.Due, Note: r.Note}
		var fields []string
		if ch.Title != nil {
			in.Title, fields = *ch.Title, append(fields, "title")
		}
		if ch.Due != nil {
			in.Due, fields = *ch.Due, append(fields, "due")
		}
		if ch.Note != nil {
			in.Note, fields = *ch.Note, append(fields, "note")
		}
		checked, err := requestFields(in, loc, tx.Now(), "")
		if err != nil {
			return change{}, err
		}
		dueChanged := checked.Due != r.Due
		r.Title, r.Due, r.Note = checked.Title, checked.Due, checked.Note
		if dueChanged {
			r.Reminded = reminderReached(r, dayOf(tx.Now(), loc), loc)
		}
		r.UpdatedByKind, r.UpdatedByID = a.Kind, a.ID
		if err := tx.PutRequest(&r); err != nil {
			return change{}, err
		}
		c, err := tx.Case(r.CaseID)
		if err != nil {
			return change{}, err
		}
		return change{action: "request.update", target: target("request", id), detail: "changed " + strings.Join(fields, ","),
			events: []store.Event{caseEvent("request.updated", c, id)}}, nil
	})
	return r, err
}

// CancelRequest takes an item off the checklist: it stays, marked
// cancelled, and the client no longer sees it. An accepted item cannot be
// cancelled; cancelling twice is NotActive.
func (o *Office) CancelRequest(ctx context.Context, a Actor, id uint64) (store.DocumentRequest, error) {
	return o.staffTransition(ctx, a, id, "request.cancel", "request.cancelled", func(r *store.DocumentRequest) error {
		if r.State == store.RequestCancelled || r.State == store.RequestAccepted {
			return inactive("state", apitext.New("request.state_already", "this item was already {{.State}}", "State", stateText(r.State)))
		}
		r.State = store.RequestCancelled
		return nil
	})
}

// AcceptRequest accepts what the client sent for an item.
func (o *Office) AcceptRequest(ctx context.Context, a Actor, id uint64) (store.DocumentRequest, error) {
	return o.staffTransition(ctx, a, id, "request.accept", "request.accepted", func(r *store.DocumentRequest) error {
		if r.State != store.RequestSubmitted {
			return inactive("state", apitext.New("request.accept_not_submitted", "only an item the client sent documents for can be accepted; this one is {{.State}}", "State", stateText(r.State)))
		}
		r.State, r.Reason = store.RequestAccepted, ""
		return nil
	})
}

// ReturnRequest returns what the client sent with the reason, which the
// client sees; the client can then send again.
func (o *Office) ReturnRequest(ctx context.Context, a Actor, id uint64, reason string) (store.DocumentRequest, error) {
	reason, err := longText("reason", strings.ReplaceAll(reason, "\r\n", "\n"), MaxRequestReason)
	if err != nil {
		return store.DocumentRequest{}, err
	}
	if reason == "" {
		return store.DocumentRequest{}, invalid("reason", apitext.New("request.say_why_returned_client", "say why it is returned: the client reads the reason to know what to send instead"))
	}
	return o.staffTransition(ctx, a, id, "request.return", "request.returned", func(r *store.DocumentRequest) error {
		if r.State != store.RequestSubmitted {
			return inactive("state", apitext.New("request.return_not_submitted", "only an item the client sent documents for can be returned; this one is {{.State}}", "State", stateText(r.State)))
		}
		r.State, r.Reason = store.RequestReturned, reason
		return nil
	})
}

// staffTransition changes an item's state with fn, in one transaction with
// its audit entry and its event.
func (o *Office) staffTransition(ctx context.Context, a Actor, id uint64, action, event string, fn func(r *store.DocumentRequest) error) (store.DocumentRequest, error) {
	var r store.DocumentRequest
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if r, err = tx.RequestByID(id); err != nil {
			return change{}, err
		}
		from := r.State
		if err := fn(&r); err != nil {
			return change{}, err
		}
		r.UpdatedByKind, r.UpdatedByID = a.Kind, a.ID
		if err := tx.PutRequest(&r); err != nil {
			return change{}, err
		}
		c, err := tx.Case(r.CaseID)
		if err != nil {
			return change{}, err
		}
		return change{action: action, target: target("request", id), detail: from + " -> " + r.State,
			events: []store.Event{caseEvent(event, c, id)}}, nil
	})
	return r, err
}

// SubmitToRequest records files already in the document store as the
// client's documents for an item of the case, in one transaction with the
// item's new state (submitted), the audit entry and the events
// (document.uploaded for each file, request.submitted). It re-checks in the
// transaction that the client is one of the case's clients: a case that is
// not theirs, an item of another case, a cancelled or missing one are all
// store.ErrNotFound. An accepted item takes nothing more (NotActive). When
// the record does not commit, the files are removed.
func (o *Office) SubmitToRequest(ctx context.Context, a Actor, caseID, id uint64, files []NewDocument) (r store.DocumentRequest, docs []store.Document, err error) {
	defer func() {
		if err != nil {
			o.removeFiles(files)
		}
	}()
	if o.docs == nil {
		return r, nil, errors.New("submit to request: the service has no document store")
	}
	if len(files) == 0 {
		return r, nil, invalid("file", apitext.New("document.send_least_one_file", "send at least one file (the form field file)"))
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Case(caseID)
		if err != nil {
			return change{}, err
		}
		if a.Kind == "client" && !c.HasClient(a.ID) {
			return change{}, fmt.Errorf("case %d: %w", caseID, store.ErrNotFound)
		}
		if r, err = tx.Request(caseID, id); err != nil {
			return change{}, err
		}
		switch r.State {
		case store.RequestCancelled:
			return change{}, fmt.Errorf("document request %d: %w", id, store.ErrNotFound)
		case store.RequestAccepted:
			return change{}, inactive("file", apitext.New("request.office_already_accepted_item", "the office already accepted this item: nothing more is needed for it"))
		}
		docs = docs[:0]
		var events []store.Event
		ids := make([]string, 0, len(files))
		newIDs := make([]uint64, 0, len(files))
		for _, f := range files {
			d := store.Document{CaseID: caseID, StoredName: f.Name, FileName: SafeFileName(f.FileName),
				ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256,
				UploaderKind: a.Kind, UploaderID: a.ID, UploaderName: a.Name, Portal: true}
			if err := tx.AddDocument(&d); err != nil {
				return change{}, err
			}
			docs = append(docs, d)
			ids = append(ids, itoa(d.ID))
			newIDs = append(newIDs, d.ID)
			events = append(events, caseEvent("document.uploaded", c, d.ID))
		}
		if r.State == store.RequestReturned {
			r.Earlier = append(r.Earlier, r.DocumentIDs...)
			r.DocumentIDs = nil
		}
		// Sent again while waiting (a forgotten page): the files join the submission.
		r.DocumentIDs = append(r.DocumentIDs, newIDs...)
		r.State, r.Submitted = store.RequestSubmitted, tx.Now()
		r.UpdatedByKind, r.UpdatedByID = a.Kind, a.ID
		if err := tx.PutRequest(&r); err != nil {
			return change{}, err
		}
		events = append(events, caseEvent("request.submitted", c, r.ID))
		return change{action: "request.submit", target: target("request", id),
			detail: "documents " + strings.Join(ids, ",") + " (case " + itoa(caseID) + ")", events: events}, nil
	})
	if err != nil {
		return store.DocumentRequest{}, nil, err
	}
	return r, docs, nil
}

// errNoReminder rolls back a sweep that found nothing to raise.
var errNoReminder = errors.New("no reminder due")

// RemindDueRequests raises request.due_soon for each open item whose due
// day is 3 days away, and again the day before (or on the day, when the
// sweep comes late), once each: the item records the reminder in the same
// transaction as the event, so a restart raises nothing twice. An item
// already overdue gets no reminder. It says how many it raised.
func (o *Office) RemindDueRequests(ctx context.Context) (int, error) {
	n := 0
	err := o.commit(ctx, Actor{Kind: "system", Name: "due-soon reminders"}, func(tx *store.Tx) (change, error) {
		set, err := tx.Settings()
		if err != nil {
			return change{}, err
		}
		loc := set.Location()
		today := dayOf(tx.Now(), loc)
		list, err := tx.RequestsDueBy(today.AddDate(0, 0, 3).Format(time.DateOnly))
		if err != nil {
			return change{}, err
		}
		var events []store.Event
		var ids []string
		wrote := false
		for _, r := range list {
			stage := reminderReached(r, today, loc)
			if !r.Open() || stage == 0 || stage == r.Reminded {
				continue
			}
			// Past its due day: nothing more to remind of, and off the index.
			overdue := stage < 0
			r.Reminded = stage
			if overdue {
				r.Reminded = 1
			}
			if err := tx.PutRequest(&r); err != nil {
				return change{}, err
			}
			wrote = true
			if overdue {
				continue
			}
			c, err := tx.Case(r.CaseID)
			if err != nil {
				return change{}, err
			}
			events = append(events, caseEvent("request.due_soon", c, r.ID))
			ids = append(ids, itoa(r.ID))
		}
		if !wrote {
			return change{}, errNoReminder
		}
		n = len(events)
		return change{action: "request.remind", target: "requests", detail: "due soon: " + strings.Join(ids, ","), events: events}, nil
	})
	if errors.Is(err, errNoReminder) {
		return 0, nil
	}
	return n, err
}

// reminderReached is the reminder r's due day has reached today: 1 from
// the day before (the due day included), 3 from three days before, 0 before
// that or without a due day, -1 once the due day has passed.
func reminderReached(r store.DocumentRequest, today time.Time, loc *time.Location) int {
	due, ok := r.DueDay(loc)
	if !ok {
		return 0
	}
	// Days between two midnights: a daylight-saving day is 23 or 25 hours.
	days := int(math.Round(due.Sub(today).Hours() / 24))
	switch {
	case days < 0:
		return -1
	case days <= 1:
		return 1
	case days <= 3:
		return 3
	}
	return 0
}

// dayOf is the start of t's day in loc.
func dayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// requestFields checks an item's fields, so the error names what to fix;
// prefix names the item in a list ("items[2].").
func requestFields(in RequestInput, loc *time.Location, now time.Time, prefix string) (store.DocumentRequest, error) {
	var r store.DocumentRequest
	var err error
	if r.Title, err = text(prefix+"title", in.Title, MaxRequestTitle, true); err != nil {
		return r, err
	}
	if r.Note, err = longText(prefix+"note", strings.ReplaceAll(in.Note, "\r\n", "\n"), MaxRequestNote); err != nil {
		return r, err
	}
	if due := strings.TrimSpace(in.Due); due != "" {
		d, err := time.ParseInLocation(time.DateOnly, due, loc)
		if err != nil {
			return r, invalid(prefix+"due", apitext.New("request.due_format", `due must be a day written as YYYY-MM-DD, such as "2026-12-01", or left out`))
		}
		if d.Before(dayOf(now, loc)) {
			return r, invalid(prefix+"due", apitext.New("request.due_day_already_past", "due is a day already past: give today or a later day"))
		}
		r.Due = d.Format(time.DateOnly)
	}
	return r, nil
}

// stateText is a request's state as a refusal names it.
func stateText(state string) apitext.Text {
	switch state {
	case store.RequestRequested:
		return apitext.New("request.state.requested", "requested")
	case store.RequestSubmitted:
		return apitext.New("request.state.submitted", "submitted")
	case store.RequestAccepted:
		return apitext.New("request.state.accepted", "accepted")
	case store.RequestReturned:
		return apitext.New("request.state.returned", "returned")
	case store.RequestCancelled:
		return apitext.New("request.state.cancelled", "cancelled")
	}
	return apitext.Text{English: state}
}
