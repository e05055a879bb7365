package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// bucketCaseFacets indexes the cases by what the case list filters on, so a
// filter walks the matching cases only: "s" status 0 caseID for the current
// status ("s" 0 caseID: none yet), "a" advocateID caseID for the staff
// advocate. PutCase, AddStatusEntry and recomputeCurrent keep it in step
// (indexFacets). "w" caseID kind id marks an upload of the case waiting for
// staff; putWaiting and deleteWaiting keep it in step with uploads_waiting.
var bucketCaseFacets = []byte("case_facets")

// CaseFilter narrows a case list; zero fields do not narrow.
type CaseFilter struct {
	Q        string // number, title or client names, as SearchCases
	Status   string // the current status's id
	Advocate uint64 // the staff advocate
	Unread   bool   // only cases with client messages no staff member has read
	// Waiting: only cases with a client upload waiting for staff, as the
	// dashboard counts them (uploads_waiting: a submitted checklist item, a
	// document sent outside the checklist that no staff member has opened).
	Waiting bool
}

// narrows reports whether f narrows the list by anything but the search text.
func (f CaseFilter) narrows() bool { return f.Status != "" || f.Advocate != 0 || f.Unread || f.Waiting }

// passer returns the check of one case against f, by key: the search text,
// the facets, the unread and waiting markers; no case is decoded.
func (tx *Tx) passer(f CaseFilter) func(id uint64) bool {
	needle := []byte(Fold(strings.TrimSpace(f.Q)))
	search, facets := tx.bucket(bucketCaseSearch), tx.bucket(bucketCaseFacets)
	unread := tx.bucket(bucketNotesUnreadStaff).Cursor()
	waiting := facets.Cursor()
	var ukey [8]byte
	hasUnread := func(id uint64) bool {
		binary.BigEndian.PutUint64(ukey[:], id)
		k, _ := unread.Seek(ukey[:])
		return len(k) == 16 && binary.BigEndian.Uint64(k[:8]) == id
	}
	// One buffer for the keys looked up: a walk checks thousands of cases.
	status, advocate := statusFacet(f.Status), advocateFacet(f.Advocate)
	var key []byte
	with := func(prefix []byte, id uint64) []byte {
		key = binary.BigEndian.AppendUint64(append(key[:0], prefix...), id)
		return key
	}
	return func(id uint64) bool {
		switch {
		case len(needle) > 0 && !bytes.Contains(search.Get(with(nil, id)), needle):
		case f.Status != "" && facets.Get(with(status, id)) == nil:
		case f.Advocate != 0 && facets.Get(with(advocate, id)) == nil:
		case f.Unread && !hasUnread(id):
		case f.Waiting && !hasWaiting(waiting, id):
		default:
			return true
		}
		return false
	}
}

func statusFacet(status string) []byte { return append([]byte("s"+status), 0) }

func advocateFacet(staffID uint64) []byte { return append([]byte("a"), u64(staffID)...) }

func facetKeys(c Case) [][]byte {
	var out [][]byte
	if c.ID == 0 {
		return nil
	}
	if c.Current != nil {
		out = append(out, append(statusFacet(c.Current.Status), u64(c.ID)...))
	} else {
		out = append(out, append(append([]byte{}, noStatusFacet...), u64(c.ID)...))
	}
	if c.AdvocateID != 0 {
		out = append(out, append(advocateFacet(c.AdvocateID), u64(c.ID)...))
	}
	return out
}

// indexFacets moves a case's facets from what old was to what c is.
func (tx *Tx) indexFacets(old, c Case) error {
	b := tx.bucket(bucketCaseFacets)
	for _, k := range facetKeys(old) {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("case %d facets: %w", old.ID, err)
		}
	}
	for _, k := range facetKeys(c) {
		if err := b.Put(k, nil); err != nil {
			return fmt.Errorf("case %d facets: %w", c.ID, err)
		}
	}
	return nil
}

// migrateCaseFacets adds the facets index of the case list's filters.
func migrateCaseFacets(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketCaseFacets); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketCaseFacets, err)
	}
	return tx.bucket(bucketCases).ForEach(func(k, v []byte) error {
		var c Case
		if err := decode(v, &c); err != nil {
			return err
		}
		return tx.indexFacets(Case{}, c)
	})
}

// FilterCases returns up to limit cases with an ID above after that pass
// f, in ID order. It walks one index, the narrowest at hand (the unread
// markers, else the waiting uploads', else a status's cases, else an
// advocate's; without a filter the search index), and
// checks each candidate's other conditions by key, so its cost follows the
// cases that index holds, never the whole office.
func (tx *Tx) FilterCases(f CaseFilter, after uint64, limit int) ([]Case, error) {
	if !f.narrows() {
		return tx.SearchCases(f.Q, after, limit)
	}
	ids := tx.filterIDs(f, after, limit)
	out := make([]Case, 0, len(ids))
	for _, id := range ids {
		cs, err := tx.Case(id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// filterIDs is FilterCases without decoding a case: the ids only. Without a
// filter but the search text it walks the search index.
func (tx *Tx) filterIDs(f CaseFilter, after uint64, limit int) []uint64 {
	var out []uint64
	if !f.narrows() {
		needle := []byte(Fold(strings.TrimSpace(f.Q)))
		c := tx.bucket(bucketCaseSearch).Cursor()
		for k, v := c.Seek(u64(after + 1)); len(k) == 8 && len(out) < limit; k, v = c.Next() {
			if bytes.Contains(v, needle) {
				out = append(out, binary.BigEndian.Uint64(k))
			}
		}
		return out
	}
	pass := tx.passer(f)
	facets := tx.bucket(bucketCaseFacets)
	// next walks the driving index: the first id above after, 0 at its end.
	var next func(after uint64) uint64
	switch {
	// Cases waiting for a reply or with an upload waiting are few next to
	// those of a status or an advocate: with either asked for, its markers
	// drive.
	case f.Waiting && !f.Unread:
		// The waiting markers are "w" case kind id: the next case's first
		// marker is where "w" after+1 would be.
		c := facets.Cursor()
		next = func(after uint64) uint64 {
			k, _ := c.Seek(binary.BigEndian.AppendUint64([]byte{'w'}, after+1))
			if len(k) != 18 || k[0] != 'w' {
				return 0
			}
			return binary.BigEndian.Uint64(k[1:9])
		}
	case !f.Unread:
		prefix := statusFacet(f.Status)
		if f.Status == "" {
			prefix = advocateFacet(f.Advocate)
		}
		c := facets.Cursor()
		next = func(after uint64) uint64 {
			k, _ := c.Seek(append(append([]byte{}, prefix...), u64(after+1)...))
			if len(k) != len(prefix)+8 || !bytes.HasPrefix(k, prefix) {
				return 0
			}
			return binary.BigEndian.Uint64(k[len(prefix):])
		}
	default:
		// The unread markers are case|message: the next case's first
		// marker is where after+1 would be.
		c := tx.bucket(bucketNotesUnreadStaff).Cursor()
		next = func(after uint64) uint64 {
			k, _ := c.Seek(u64(after + 1))
			if len(k) != 16 {
				return 0
			}
			return binary.BigEndian.Uint64(k[:8])
		}
	}
	for id := next(after); id != 0 && len(out) < limit; id = next(id) {
		if pass(id) {
			out = append(out, id)
		}
	}
	return out
}
