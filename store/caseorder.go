package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// bucketCaseOrder holds the case list's sort orders, so a sorted page reads
// the keys of one page (and those its filters pass over) instead of every case:
//
//	kind|value|0|caseID -> nil     the case's place in one order
//	'R'|kind|caseID     -> key     where the case stands now, to move it and to
//	                               start a page after it
//
// Kinds: 'n' case number, 'c' first client's name, 't' last activity,
// 'o' opened. The status order needs no key of its own: it walks the status
// facets (case_facets) in the order of the office's status list.
var bucketCaseOrder = []byte("case_order")

// Sort orders of the case list (the same words as the staff API's sort=).
const (
	SortOpened   = "opened"   // when the case was opened (the default: ID order)
	SortActivity = "activity" // its last activity
	SortNumber   = "number"   // case number, digits compared as numbers
	SortClient   = "client"   // its first client's name
	SortStatus   = "status"   // its current status, in the order of the office's list
)

const (
	orderNumber   = 'n'
	orderClient   = 'c'
	orderActivity = 't'
	orderOpened   = 'o'
)

// noStatusFacet holds the cases without any status yet ("s" 0 caseID), so the
// status order can show them; no status id is empty, so no filter reads it.
var noStatusFacet = []byte{'s', 0}

// naturalKey is the sortable form of a number or a name: folded as search
// text is, without NUL bytes, and every run of digits left-padded to 20, so
// "2024-9" sorts before "2024-10".
func naturalKey(s string) []byte {
	s = Fold(strings.TrimSpace(s))
	out := make([]byte, 0, len(s)+8)
	digits := 0
	flush := func(i int) {
		if digits == 0 {
			return
		}
		run := s[i-digits : i]
		if len(run) < 20 {
			out = append(out, strings.Repeat("0", 20-len(run))...)
		}
		out = append(out, run...)
		digits = 0
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= '0' && ch <= '9' {
			digits++
			continue
		}
		flush(i)
		if ch == 0 {
			continue
		}
		out = append(out, ch)
	}
	flush(len(s))
	return out
}

func timeKey(t time.Time) []byte { return u64(uint64(max(t.UnixNano(), 0))) }

func orderKey(kind byte, value []byte, caseID uint64) []byte {
	k := make([]byte, 0, len(value)+10)
	k = append(k, kind)
	k = append(k, value...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, caseID)
}

func reverseKey(kind byte, caseID uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{'R', kind}, caseID)
}

// setOrder moves the case to value in the kind's order.
func (tx *Tx) setOrder(kind byte, caseID uint64, value []byte) error {
	b := tx.bucket(bucketCaseOrder)
	key, rk := orderKey(kind, value, caseID), reverseKey(kind, caseID)
	old := b.Get(rk)
	if bytes.Equal(old, key) {
		return nil
	}
	if old != nil {
		if err := b.Delete(old); err != nil {
			return fmt.Errorf("case %d order %c: %w", caseID, kind, err)
		}
	}
	if err := b.Put(key, nil); err != nil {
		return fmt.Errorf("case %d order %c: %w", caseID, kind, err)
	}
	return b.Put(rk, key)
}

// firstClientName is the name the client order sorts a case by: that of its
// first client.
func (tx *Tx) firstClientName(c Case) (string, error) {
	if len(c.ClientIDs) == 0 {
		return "", nil
	}
	cl, err := tx.Client(c.ClientIDs[0])
	if err != nil {
		return "", err
	}
	return cl.Name, nil
}

// indexOrder puts the case at its place in the number, client and opened
// orders (PutCase and a client's change of name call it).
func (tx *Tx) indexOrder(c Case) error {
	name, err := tx.firstClientName(c)
	if err != nil {
		return err
	}
	if err := tx.setOrder(orderNumber, c.ID, naturalKey(c.Number)); err != nil {
		return err
	}
	if err := tx.setOrder(orderClient, c.ID, naturalKey(name)); err != nil {
		return err
	}
	return tx.setOrder(orderOpened, c.ID, timeKey(c.Created))
}

// touchCase records activity on a case now: a change of the case or its
// status, a note or message, a document, a checklist item's step.
func (tx *Tx) touchCase(caseID uint64) error {
	return tx.touchCaseAt(caseID, tx.now)
}

// touchCaseAt moves the case's last activity to at, unless it is later already.
func (tx *Tx) touchCaseAt(caseID uint64, at time.Time) error {
	if have, ok := tx.CaseActivity(caseID); ok && !at.After(have) {
		return nil
	}
	return tx.setOrder(orderActivity, caseID, timeKey(at))
}

// CaseActivity is the case's last activity: the latest change of the case or
// its status, note or message, document or checklist item.
func (tx *Tx) CaseActivity(caseID uint64) (time.Time, bool) {
	k := tx.bucket(bucketCaseOrder).Get(reverseKey(orderActivity, caseID))
	if len(k) != 1+8+1+8 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[1:9]))).UTC(), true
}

// waitingFacet is a case's marker of an upload waiting for staff
// ("w" caseID kind id), kept in step with uploads_waiting.
func waitingFacet(caseID uint64, kind byte, id uint64) []byte {
	k := binary.BigEndian.AppendUint64([]byte{'w'}, caseID)
	k = append(k, kind)
	return binary.BigEndian.AppendUint64(k, id)
}

// hasWaiting reports whether an upload of the case waits for staff.
func hasWaiting(c interface{ Seek([]byte) ([]byte, []byte) }, caseID uint64) bool {
	var prefix [9]byte
	prefix[0] = 'w'
	binary.BigEndian.PutUint64(prefix[1:], caseID)
	k, _ := c.Seek(prefix[:])
	return k != nil && bytes.HasPrefix(k, prefix[:])
}

// migrateCaseOrder adds the sort orders and the facets of the uploads waiting
// and of the cases without a status, and fills them from what the file holds.
func migrateCaseOrder(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketCaseOrder); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketCaseOrder, err)
	}
	err := tx.bucket(bucketCases).ForEach(func(k, v []byte) error {
		var c Case
		if err := decode(v, &c); err != nil {
			return err
		}
		if c.Current == nil {
			if err := tx.bucket(bucketCaseFacets).Put(append(append([]byte{}, noStatusFacet...), u64(c.ID)...), nil); err != nil {
				return err
			}
		}
		if err := tx.indexOrder(c); err != nil {
			return err
		}
		return tx.touchCaseAt(c.ID, c.Updated)
	})
	if err != nil {
		return fmt.Errorf("index the cases' order: %w", err)
	}
	err = tx.bucket(bucketUploadsWaiting).ForEach(func(k, v []byte) error {
		if len(k) != 17 || len(v) != 8 {
			return nil
		}
		return tx.bucket(bucketCaseFacets).Put(waitingFacet(binary.BigEndian.Uint64(v), k[8], binary.BigEndian.Uint64(k[9:])), nil)
	})
	if err != nil {
		return fmt.Errorf("index the waiting uploads per case: %w", err)
	}
	// Last activity: the latest note, document or checklist step of each case.
	for _, src := range []struct {
		bucket []byte
		at     func(v []byte) (uint64, time.Time, error)
	}{
		{bucketNotes, func(v []byte) (uint64, time.Time, error) {
			var n Note
			err := decode(v, &n)
			return n.CaseID, n.Created, err
		}},
		{bucketDocuments, func(v []byte) (uint64, time.Time, error) {
			var d Document
			err := decode(v, &d)
			return d.CaseID, d.Uploaded, err
		}},
		{bucketRequests, func(v []byte) (uint64, time.Time, error) {
			var r DocumentRequest
			err := decode(v, &r)
			return r.CaseID, r.Updated, err
		}},
	} {
		err := tx.bucket(src.bucket).ForEach(func(_, v []byte) error {
			id, at, err := src.at(v)
			if err != nil || id == 0 {
				return err
			}
			if _, err := tx.Case(id); err != nil {
				return nil // a record of a case that is gone orders nothing
			}
			return tx.touchCaseAt(id, at)
		})
		if err != nil {
			return fmt.Errorf("last activity from %s: %w", src.bucket, err)
		}
	}
	return nil
}
