package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"
)

// The dashboard's indexes, kept in step by the writers in the same
// transaction, so the control panel's dashboard reads a few keys instead of
// every case of the office:
//
//	unread_staff_by_note  noteID -> caseID, each client message no staff member has read
//	uploads_waiting       arrival (unix ns)|kind|id -> caseID: submitted checklist items
//	                      (kind 'r') and client documents sent outside the checklist that
//	                      no staff member has opened yet (kind 'd')
//	dashboard_counts      name -> uint64, the sizes of the two above
//	                      (each waiting upload also marks its case in case_facets,
//	                      for the case list's "documents waiting" filter)
//	activity_quarters     YYYY-MM-DDTHH:MM (UTC, a quarter hour)|kind -> uint64, client
//	                      sign-ins ('s'), client messages ('m') and client uploads ('u',
//	                      one per file). Quarter hours, so the days and weeks can be the
//	                      office's in any time zone (every zone's offset is a multiple of
//	                      15 minutes); schemas 14 to 16 counted UTC days (activity_days).
var (
	bucketUnreadStaffByNote = []byte("unread_staff_by_note")
	bucketUploadsWaiting    = []byte("uploads_waiting")
	bucketDashboardCounts   = []byte("dashboard_counts")
	bucketActivityDays      = []byte("activity_days") // schema 14 only (migrateDashboard)
	bucketActivityQuarters  = []byte("activity_quarters")
)

var (
	countUnreadStaff    = []byte("unread_staff")
	countUploadsWaiting = []byte("uploads_waiting")
)

// Kinds of a waiting upload.
const (
	WaitingRequest  = "request"  // a checklist item the client submitted
	WaitingDocument = "document" // a document the client sent outside the checklist
)

// Activity kinds, counted per day.
const (
	activitySignIn  = 's'
	activityMessage = 'm'
	activityUpload  = 'u'
)

// WaitingUpload is one entry of the uploads waiting for staff.
type WaitingUpload struct {
	Kind   string    // WaitingRequest or WaitingDocument
	ID     uint64    // the request's or the document's id
	CaseID uint64    //
	At     time.Time // when it arrived
}

// ActivityDay is what clients did on one day.
type ActivityDay struct {
	SignIns, Messages, Uploads int
}

func (tx *Tx) addCount(name []byte, delta int) error {
	b := tx.bucket(bucketDashboardCounts)
	var have int64
	if v := b.Get(name); len(v) == 8 {
		have = int64(binary.BigEndian.Uint64(v))
	}
	have = max(have+int64(delta), 0)
	return b.Put(name, u64(uint64(have)))
}

func (tx *Tx) count(name []byte) int {
	if v := tx.bucket(bucketDashboardCounts).Get(name); len(v) == 8 {
		return int(binary.BigEndian.Uint64(v))
	}
	return 0
}

// quarterLayout writes a quarter hour of the activity keys.
const quarterLayout = "2006-01-02T15:04"

func activityKey(t time.Time, kind byte) []byte {
	return append([]byte(t.UTC().Truncate(15*time.Minute).Format(quarterLayout)), kind)
}

// countActivity adds n to the kind's count of the quarter hour t falls in.
func (tx *Tx) countActivity(t time.Time, kind byte, n int) error {
	return tx.countIn(bucketActivityQuarters, activityKey(t, kind), n)
}

// countActivityDay is schema 14's count per UTC day, for migrateDashboard
// only (a released migration step does not change).
func (tx *Tx) countActivityDay(t time.Time, kind byte, n int) error {
	return tx.countIn(bucketActivityDays, append([]byte(t.UTC().Format(time.DateOnly)), kind), n)
}

func (tx *Tx) countIn(bucket, key []byte, n int) error {
	b := tx.bucket(bucket)
	var have uint64
	if v := b.Get(key); len(v) == 8 {
		have = binary.BigEndian.Uint64(v)
	}
	return b.Put(key, u64(have+uint64(n)))
}

// Activity reads the clients' activity of each UTC day from the day of from
// to the day of to (both included): ActivityIn UTC.
func (tx *Tx) Activity(from, to time.Time) (map[string]ActivityDay, error) {
	return tx.ActivityIn(from, to, time.UTC)
}

// ActivityIn reads the clients' activity of each day of loc from the day of
// from to the day of to (loc's days, both included), keyed by "YYYY-MM-DD";
// days without any are left out. It reads only the keys of those days.
func (tx *Tx) ActivityIn(from, to time.Time, loc *time.Location) (map[string]ActivityDay, error) {
	f, l := from.In(loc), to.In(loc)
	// The days' starts as keys (UTC quarter hours), the end of the last
	// day after them: the keys are in time order, so each falls in the day
	// whose start it last passed, without reading a time from every key.
	var days []string
	var starts [][]byte
	for d := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc); ; d = d.AddDate(0, 0, 1) {
		starts = append(starts, activityKey(d, 0)[:len(quarterLayout)])
		if d.After(l) {
			break
		}
		days = append(days, d.Format(time.DateOnly))
	}
	out := map[string]ActivityDay{}
	day := 0
	c := tx.bucket(bucketActivityQuarters).Cursor()
	for k, v := c.Seek(starts[0]); k != nil && bytes.Compare(k, starts[len(starts)-1]) < 0; k, v = c.Next() {
		if len(k) != len(quarterLayout)+1 || len(v) != 8 {
			continue
		}
		for day+1 < len(days) && bytes.Compare(k[:len(quarterLayout)], starts[day+1]) >= 0 {
			day++
		}
		n := int(binary.BigEndian.Uint64(v))
		a := out[days[day]]
		switch k[len(k)-1] {
		case activitySignIn:
			a.SignIns += n
		case activityMessage:
			a.Messages += n
		case activityUpload:
			a.Uploads += n
		}
		out[days[day]] = a
	}
	return out, nil
}

// markUnreadByStaff and clearUnreadByStaff keep the office-wide index of
// unread client messages in step with notes_unread_staff.
func (tx *Tx) markUnreadByStaff(n Note) error {
	if err := tx.bucket(bucketUnreadStaffByNote).Put(u64(n.ID), u64(n.CaseID)); err != nil {
		return fmt.Errorf("index unread message %d: %w", n.ID, err)
	}
	return tx.addCount(countUnreadStaff, 1)
}

func (tx *Tx) clearUnreadByStaff(noteID uint64) error {
	b := tx.bucket(bucketUnreadStaffByNote)
	if b.Get(u64(noteID)) == nil {
		return nil
	}
	if err := b.Delete(u64(noteID)); err != nil {
		return err
	}
	return tx.addCount(countUnreadStaff, -1)
}

// UnreadByStaffNewest returns how many client messages no staff member has
// read in the whole office, and up to limit of them, newest first.
func (tx *Tx) UnreadByStaffNewest(limit int) (int, []Note, error) {
	var out []Note
	c := tx.bucket(bucketUnreadStaffByNote).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		if len(k) != 8 || len(v) != 8 {
			continue
		}
		n, err := tx.Note(binary.BigEndian.Uint64(v), binary.BigEndian.Uint64(k))
		if err != nil {
			return 0, nil, err
		}
		out = append(out, n)
	}
	return tx.count(countUnreadStaff), out, nil
}

func waitingKey(at time.Time, kind byte, id uint64) []byte {
	k := make([]byte, 0, 17)
	k = binary.BigEndian.AppendUint64(k, uint64(at.UnixNano()))
	k = append(k, kind)
	return binary.BigEndian.AppendUint64(k, id)
}

func (tx *Tx) putWaiting(at time.Time, kind byte, id, caseID uint64) error {
	b := tx.bucket(bucketUploadsWaiting)
	key := waitingKey(at, kind, id)
	if b.Get(key) != nil {
		return nil
	}
	if err := b.Put(key, u64(caseID)); err != nil {
		return fmt.Errorf("index waiting upload %d: %w", id, err)
	}
	// Migrating a file from before the case list's indexes (migrateDashboard
	// runs first): migrateCaseOrder fills them from uploads_waiting later.
	if facets := tx.bucket(bucketCaseFacets); facets != nil && tx.bucket(bucketCaseOrder) != nil {
		if err := facets.Put(waitingFacet(caseID, kind, id), nil); err != nil {
			return fmt.Errorf("index waiting upload %d of case %d: %w", id, caseID, err)
		}
		if err := tx.touchCase(caseID); err != nil {
			return err
		}
	}
	return tx.addCount(countUploadsWaiting, 1)
}

func (tx *Tx) deleteWaiting(at time.Time, kind byte, id uint64) error {
	b := tx.bucket(bucketUploadsWaiting)
	key := waitingKey(at, kind, id)
	v := b.Get(key)
	if v == nil {
		return nil
	}
	// The case's marker goes with it (the list's "documents waiting").
	if facets := tx.bucket(bucketCaseFacets); facets != nil && len(v) == 8 {
		if err := facets.Delete(waitingFacet(binary.BigEndian.Uint64(v), kind, id)); err != nil {
			return fmt.Errorf("unindex waiting upload %d: %w", id, err)
		}
	}
	if err := b.Delete(key); err != nil {
		return err
	}
	return tx.addCount(countUploadsWaiting, -1)
}

// indexRequestWaiting keeps a checklist item in the waiting uploads while it
// is submitted (not yet accepted, returned or cancelled).
func (tx *Tx) indexRequestWaiting(before DocumentRequest, r *DocumentRequest) error {
	if before.ID != 0 && before.State == RequestSubmitted {
		if err := tx.deleteWaiting(before.Submitted, 'r', before.ID); err != nil {
			return err
		}
	}
	if r.State == RequestSubmitted {
		return tx.putWaiting(r.Submitted, 'r', r.ID, r.CaseID)
	}
	return nil
}

// AddWaitingDocument puts a client's document sent outside the checklist
// among the uploads waiting for staff, until a staff member opens it.
func (tx *Tx) AddWaitingDocument(d Document) error {
	if d.UploaderKind != "client" {
		return nil
	}
	return tx.putWaiting(d.Uploaded, 'd', d.ID, d.CaseID)
}

// DocumentSeenByStaff takes a document off the waiting uploads (a staff
// member opened it), and says whether it was waiting; a document that was
// not waiting is left alone.
func (tx *Tx) DocumentSeenByStaff(d Document) (bool, error) {
	if tx.bucket(bucketUploadsWaiting).Get(waitingKey(d.Uploaded, 'd', d.ID)) == nil {
		return false, nil
	}
	return true, tx.deleteWaiting(d.Uploaded, 'd', d.ID)
}

// UploadsWaiting returns how many client uploads wait for staff, and up to
// limit of them, newest first.
func (tx *Tx) UploadsWaiting(limit int) (int, []WaitingUpload, error) {
	var out []WaitingUpload
	c := tx.bucket(bucketUploadsWaiting).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		if len(k) != 17 || len(v) != 8 {
			continue
		}
		w := WaitingUpload{
			At:     time.Unix(0, int64(binary.BigEndian.Uint64(k))).UTC(),
			ID:     binary.BigEndian.Uint64(k[9:]),
			CaseID: binary.BigEndian.Uint64(v),
			Kind:   WaitingDocument,
		}
		if k[8] == 'r' {
			w.Kind = WaitingRequest
		}
		out = append(out, w)
	}
	return tx.count(countUploadsWaiting), out, nil
}

// OutboxFailedCount is the number of outbox entries given up on; it reads
// only the keys of the state index.
func (tx *Tx) OutboxFailedCount() int {
	n := 0
	prefix := append([]byte(OutboxFailed), 0)
	c := tx.bucket(bucketOutboxState).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// migrateDashboard adds the dashboard's indexes and fills them from what the
// file holds: the unread client messages, the submitted checklist items, and
// the clients' sign-ins, messages and uploads of the past. Client documents
// sent before this version are not put among the waiting uploads (nothing
// says whether staff opened them).
func migrateDashboard(tx *Tx) error {
	for _, name := range [][]byte{bucketUnreadStaffByNote, bucketUploadsWaiting, bucketDashboardCounts, bucketActivityDays} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	err := tx.bucket(bucketNotesUnreadStaff).ForEach(func(k, _ []byte) error {
		if len(k) != 16 {
			return nil
		}
		return tx.markUnreadByStaff(Note{CaseID: binary.BigEndian.Uint64(k), ID: binary.BigEndian.Uint64(k[8:])})
	})
	if err != nil {
		return fmt.Errorf("index unread messages: %w", err)
	}
	err = tx.bucket(bucketRequests).ForEach(func(_, v []byte) error {
		var r DocumentRequest
		if err := decode(v, &r); err != nil {
			return err
		}
		return tx.indexRequestWaiting(DocumentRequest{}, &r)
	})
	if err != nil {
		return fmt.Errorf("index submitted document requests: %w", err)
	}
	return recountActivity(tx, tx.countActivityDay)
}

// recountActivity counts the clients' activity of the past from what the
// file holds: their messages, uploads and sign-ins.
func recountActivity(tx *Tx, count func(t time.Time, kind byte, n int) error) error {
	err := tx.bucket(bucketNotes).ForEach(func(_, v []byte) error {
		var n Note
		if err := decode(v, &n); err != nil {
			return err
		}
		if !n.FromClient() {
			return nil
		}
		return count(n.Created, activityMessage, 1)
	})
	if err != nil {
		return fmt.Errorf("count client messages: %w", err)
	}
	err = tx.bucket(bucketDocuments).ForEach(func(_, v []byte) error {
		var d Document
		if err := decode(v, &d); err != nil {
			return err
		}
		if d.UploaderKind != "client" {
			return nil
		}
		return count(d.Uploaded, activityUpload, 1)
	})
	if err != nil {
		return fmt.Errorf("count client uploads: %w", err)
	}
	err = tx.bucket(bucketAudit).ForEach(func(_, v []byte) error {
		// Most entries are not sign-ins: skip them before decoding.
		if !bytes.Contains(v, []byte(`"client.login"`)) {
			return nil
		}
		var e AuditEntry
		if err := decode(v, &e); err != nil {
			return err
		}
		if e.Action != "client.login" {
			return nil
		}
		return count(e.At, activitySignIn, 1)
	})
	if err != nil {
		return fmt.Errorf("count client sign-ins: %w", err)
	}
	return nil
}

// migrateActivityQuarters counts the clients' activity per quarter hour
// instead of per UTC day, so the dashboard's weeks can be the office's: the
// counts are made again from the messages, uploads and sign-ins, and the
// daily counts removed.
func migrateActivityQuarters(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketActivityQuarters); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketActivityQuarters, err)
	}
	if err := recountActivity(tx, tx.countActivity); err != nil {
		return err
	}
	if err := tx.btx.DeleteBucket(bucketActivityDays); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
		return fmt.Errorf("remove the daily activity counts: %w", err)
	}
	return nil
}
