package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Document request states. An item starts requested; the client's upload
// makes it submitted; staff accept it or return it (with a reason), and a
// returned item can be submitted again. Staff may cancel an item that is not
// accepted.
const (
	RequestRequested = "requested"
	RequestSubmitted = "submitted"
	RequestAccepted  = "accepted"
	RequestReturned  = "returned"
	RequestCancelled = "cancelled"
)

// DocumentRequest is an item of a case's checklist: a document the office
// asks the client for ("a copy of your lease"), with an optional due day.
type DocumentRequest struct {
	ID     uint64 `json:"id"`
	CaseID uint64 `json:"case_id"`
	Title  string `json:"title"`
	// Due is the last day, "YYYY-MM-DD" in the office's time zone ("": none).
	Due   string `json:"due,omitempty"`
	Note  string `json:"note,omitempty"`
	State string `json:"state"`
	// DocumentIDs are the documents of the latest submission; Earlier those
	// of submissions that were returned, oldest first.
	DocumentIDs []uint64 `json:"document_ids,omitempty"`
	Earlier     []uint64 `json:"earlier_document_ids,omitempty"`
	// Reason is the staff member's reason of the latest return.
	Reason    string    `json:"reason,omitempty"`
	Submitted time.Time `json:"submitted,omitzero"`
	// Reminded is the last due-soon reminder raised: the days before the
	// due day it was for (3, then 1), 0 when none. A reminder is raised once.
	Reminded int `json:"reminded,omitempty"`

	Created       time.Time `json:"created"`
	CreatedBy     uint64    `json:"created_by"` // staff
	Updated       time.Time `json:"updated"`
	UpdatedByKind string    `json:"updated_by_kind"` // "staff", "client" or "system"
	UpdatedByID   uint64    `json:"updated_by_id"`
}

// Open reports whether the client still has to send something for r.
func (r DocumentRequest) Open() bool {
	return r.State == RequestRequested || r.State == RequestReturned
}

// DueDay is r's due day as a time at its start in loc, and whether it has one.
func (r DocumentRequest) DueDay(loc *time.Location) (time.Time, bool) {
	if r.Due == "" {
		return time.Time{}, false
	}
	d, err := time.ParseInLocation(time.DateOnly, r.Due, loc)
	return d, err == nil
}

// Deadline is the end of r's due day in loc (the start of the next day).
func (r DocumentRequest) Deadline(loc *time.Location) (time.Time, bool) {
	d, ok := r.DueDay(loc)
	if !ok {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, 1), true
}

// Errors of document requests.
var (
	ErrRequestInput = errors.New("not a valid document request")
	// ErrRequestState is a change the item's state does not allow (e.g.
	// accepting an item nothing was sent for, or anything on a cancelled one).
	ErrRequestState = errors.New("the document request is not in a state that allows this")
)

// The document request buckets:
//
//	requests       caseID|requestID -> DocumentRequest (an id under another case is not found)
//	request_case   requestID -> caseID (the staff API names an item by its id alone)
//	requests_due   due day (YYYY-MM-DD)|0|requestID -> nil, for open items with a due day
//	               whose last reminder (1 day before) was not raised yet
//
// AddRequest writes a new item of an existing case, giving it the next ID,
// the state requested and the transaction's time.
func (tx *Tx) AddRequest(r *DocumentRequest) error {
	if _, err := tx.Case(r.CaseID); err != nil {
		return err
	}
	if r.Title == "" {
		return fmt.Errorf("document request of case %d without a title: %w", r.CaseID, ErrRequestInput)
	}
	if r.Due != "" {
		if _, err := time.Parse(time.DateOnly, r.Due); err != nil {
			return fmt.Errorf("document request due %q: %w", r.Due, ErrRequestInput)
		}
	}
	b := tx.bucket(bucketRequests)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	r.ID, r.State, r.Created, r.Updated = seq, RequestRequested, tx.now, tx.now
	if r.UpdatedByKind == "" {
		r.UpdatedByKind, r.UpdatedByID = "staff", r.CreatedBy
	}
	if err := tx.bucket(bucketRequestCase).Put(u64(r.ID), u64(r.CaseID)); err != nil {
		return fmt.Errorf("add document request: %w", err)
	}
	return tx.putRequest(DocumentRequest{}, r)
}

// Request reads one item of a case: an id of another case is ErrNotFound,
// alike with a missing one.
func (tx *Tx) Request(caseID, id uint64) (DocumentRequest, error) {
	var r DocumentRequest
	if err := getJSON(tx.bucket(bucketRequests), pairKey(caseID, id), &r); err != nil {
		return DocumentRequest{}, fmt.Errorf("document request %d of case %d: %w", id, caseID, err)
	}
	return r, nil
}

// RequestByID reads an item by its id alone (staff).
func (tx *Tx) RequestByID(id uint64) (DocumentRequest, error) {
	v := tx.bucket(bucketRequestCase).Get(u64(id))
	if len(v) != 8 {
		return DocumentRequest{}, fmt.Errorf("document request %d: %w", id, ErrNotFound)
	}
	return tx.Request(binary.BigEndian.Uint64(v), id)
}

// Requests lists a case's items in the order staff added them.
func (tx *Tx) Requests(caseID uint64) ([]DocumentRequest, error) {
	out := []DocumentRequest{}
	c := tx.bucket(bucketRequests).Cursor()
	for k, v := c.Seek(u64(caseID)); k != nil && binary.BigEndian.Uint64(k) == caseID; k, v = c.Next() {
		var r DocumentRequest
		if err := decode(v, &r); err != nil {
			return nil, fmt.Errorf("document request %d of case %d: %w", binary.BigEndian.Uint64(k[8:]), caseID, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// PutRequest writes a changed item (its case and id unchanged), stamping
// the transaction's time as its update, and keeps the due index in step.
func (tx *Tx) PutRequest(r *DocumentRequest) error {
	before, err := tx.Request(r.CaseID, r.ID)
	if err != nil {
		return err
	}
	if r.Title == "" || !slices.Contains([]string{RequestRequested, RequestSubmitted, RequestAccepted, RequestReturned, RequestCancelled}, r.State) {
		return fmt.Errorf("document request %d: %w", r.ID, ErrRequestInput)
	}
	if r.Due != "" {
		if _, err := time.Parse(time.DateOnly, r.Due); err != nil {
			return fmt.Errorf("document request due %q: %w", r.Due, ErrRequestInput)
		}
	}
	r.Updated = tx.now
	return tx.putRequest(before, r)
}

func (tx *Tx) putRequest(before DocumentRequest, r *DocumentRequest) error {
	if err := putJSON(tx.bucket(bucketRequests), pairKey(r.CaseID, r.ID), r); err != nil {
		return fmt.Errorf("write document request %d: %w", r.ID, err)
	}
	if err := tx.indexRequestWaiting(before, r); err != nil {
		return err
	}
	// A reminder the service raised is no step of the case's own.
	if r.UpdatedByKind != "system" {
		if err := tx.touchCase(r.CaseID); err != nil {
			return err
		}
	}
	due := tx.bucket(bucketRequestsDue)
	if before.ID != 0 && before.Due != "" {
		if err := due.Delete(requestDueKey(before.Due, before.ID)); err != nil {
			return err
		}
	}
	if r.Due != "" && r.Open() && r.Reminded != 1 {
		if err := due.Put(requestDueKey(r.Due, r.ID), u64(r.CaseID)); err != nil {
			return fmt.Errorf("index document request %d: %w", r.ID, err)
		}
	}
	return nil
}

func requestDueKey(day string, id uint64) []byte {
	k := make([]byte, 0, len(day)+9)
	k = append(k, day...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, id)
}

// RequestsDueBy lists the open items whose due day is on or before day
// ("YYYY-MM-DD") and whose last reminder was not raised yet, soonest first.
func (tx *Tx) RequestsDueBy(day string) ([]DocumentRequest, error) {
	var out []DocumentRequest
	limit := []byte(day + "\x01")
	c := tx.bucket(bucketRequestsDue).Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k, limit) < 0; k, v = c.Next() {
		if len(k) < 9 || len(v) != 8 {
			continue
		}
		r, err := tx.Request(binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(k[len(k)-8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// migrateRequests adds document requests. An office that saved its mail
// settings before they existed gets their notices on, as a new office does.
func migrateRequests(tx *Tx) error {
	for _, name := range [][]byte{bucketRequests, bucketRequestCase, bucketRequestsDue} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	if tx.bucket(bucketSettings).Get(keyMailSettings) == nil {
		return nil
	}
	ms, err := tx.MailSettings()
	if err != nil {
		return err
	}
	ms.Notify.Requests = true
	return tx.PutMailSettings(ms)
}
