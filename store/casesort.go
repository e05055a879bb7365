package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// CaseSort is the order of a case list: By one of SortOrders ("" is ID
// order, as FilterCases), Desc for descending. Ties are broken by case ID in
// the same direction, so every case has one place and pages never overlap.
type CaseSort struct {
	By   string
	Desc bool
}

// ErrSortOrder is a sort order the case list does not know.
var ErrSortOrder = errors.New("not a sort order of the case list")

// SortedCases returns up to limit cases that pass f, in the order s, from the
// one after the case after (0: from the start). It walks the order's index
// and checks each key against f by key (passer), decoding only the cases it
// returns: a page costs the keys up to its last case, never the whole office.
// A case that moved since the page before (new activity, a new status) is
// where it is now: the next page starts after its new place.
func (tx *Tx) SortedCases(f CaseFilter, s CaseSort, after uint64, limit int) ([]Case, error) {
	if s.By == "" {
		return tx.FilterCases(f, after, limit)
	}
	groups, b, err := tx.orderGroups(s.By)
	if err != nil {
		return nil, err
	}
	// A narrow filter (unread messages, uploads waiting, a rare search
	// word) passes few cases: sorting those beats walking the whole order
	// to find them. A status or an advocate alone holds many: their cases
	// turn up soon in any order.
	if f.Unread || f.Waiting || f.Q != "" {
		if ids := tx.filterIDs(f, 0, sortInMemoryMax+1); len(ids) <= sortInMemoryMax {
			return tx.sortFew(ids, s, groups, after, limit)
		}
	}
	if s.Desc {
		slices.Reverse(groups)
	}
	// Where to start: the group and the key of the case after.
	g, from := 0, []byte(nil)
	if after != 0 {
		if g, from, err = tx.placeOf(s.By, groups, after); err != nil {
			return nil, err
		}
	}
	pass := tx.passer(f)
	c := b.Cursor()
	var out []Case
	for ; g < len(groups) && len(out) < limit; g, from = g+1, nil {
		prefix := groups[g]
		var k []byte
		switch {
		case !s.Desc && from == nil:
			k, _ = c.Seek(prefix)
		case !s.Desc:
			if k, _ = c.Seek(from); bytes.Equal(k, from) {
				k, _ = c.Next()
			}
		case from == nil:
			k = seekLast(c, prefix)
		default:
			// Seek lands on from (or the key after it): the one before is next.
			if k, _ = c.Seek(from); k == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k = step(c, s.Desc) {
			if len(k) < len(prefix)+8 {
				continue
			}
			id := binary.BigEndian.Uint64(k[len(k)-8:])
			if !pass(id) {
				continue
			}
			cs, err := tx.Case(id)
			if err != nil {
				return nil, err
			}
			out = append(out, cs)
		}
	}
	return out, nil
}

// sortInMemoryMax is the most cases a filter may pass for SortedCases to
// sort them in memory rather than walk the order's index (a variable only so
// the tests can compare both ways; nothing changes it).
var sortInMemoryMax = 3000

// sortFew sorts the cases ids (that passed the filter) by their keys in
// the order, and returns up to limit of them from the one after after.
func (tx *Tx) sortFew(ids []uint64, s CaseSort, groups [][]byte, after uint64, limit int) ([]Case, error) {
	keyOf, err := tx.orderKeyOf(s.By, groups)
	if err != nil {
		return nil, err
	}
	type entry struct {
		key []byte
		id  uint64
	}
	all := make([]entry, 0, len(ids))
	for _, id := range ids {
		k, err := keyOf(id)
		if err != nil {
			return nil, err
		}
		all = append(all, entry{k, id})
	}
	cmp := func(a, b entry) int {
		if s.Desc {
			return bytes.Compare(b.key, a.key)
		}
		return bytes.Compare(a.key, b.key)
	}
	slices.SortFunc(all, cmp)
	start := 0
	if after != 0 {
		from, err := keyOf(after)
		if err != nil {
			return nil, err
		}
		// The first entry that comes after the case after.
		start, _ = slices.BinarySearchFunc(all, entry{key: from}, cmp)
		if start < len(all) && bytes.Equal(all[start].key, from) {
			start++
		}
	}
	out := make([]Case, 0, min(limit, len(all)-start))
	for _, e := range all[start:min(start+limit, len(all))] {
		cs, err := tx.Case(e.id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// orderKeyOf returns a case's key in the order by, as bytes that compare as
// the order does: its key in case_order, or for the status order its
// status's place among groups (ascending) and its id.
func (tx *Tx) orderKeyOf(by string, groups [][]byte) (func(id uint64) ([]byte, error), error) {
	if by != SortStatus {
		b, kind := tx.bucket(bucketCaseOrder), groups[0][0]
		return func(id uint64) ([]byte, error) {
			k := b.Get(reverseKey(kind, id))
			if k == nil {
				return nil, fmt.Errorf("case %d in the %s order: %w", id, by, ErrNotFound)
			}
			return k, nil
		}, nil
	}
	rank := make(map[string]uint32, len(groups))
	for i, g := range groups {
		rank[string(g)] = uint32(i)
	}
	return func(id uint64) ([]byte, error) {
		c, err := tx.Case(id)
		if err != nil {
			return nil, err
		}
		g := noStatusFacet
		if c.Current != nil {
			g = statusFacet(c.Current.Status)
		}
		k := binary.BigEndian.AppendUint32(nil, rank[string(g)])
		return binary.BigEndian.AppendUint64(k, id), nil
	}, nil
}

func step(c *bolt.Cursor, desc bool) []byte {
	if desc {
		k, _ := c.Prev()
		return k
	}
	k, _ := c.Next()
	return k
}

// seekLast finds the last key with prefix (nil when none).
func seekLast(c *bolt.Cursor, prefix []byte) []byte {
	end := append(append([]byte{}, prefix...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	k, _ := c.Seek(end)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return nil
	}
	return k
}

// orderGroups returns the key prefixes an order walks, in ascending order,
// and the bucket they are in. The status order walks the statuses of the
// office's list in its order, then statuses no longer on the list, then the
// cases without a status.
func (tx *Tx) orderGroups(by string) ([][]byte, *bolt.Bucket, error) {
	switch by {
	case SortNumber:
		return [][]byte{{orderNumber}}, tx.bucket(bucketCaseOrder), nil
	case SortClient:
		return [][]byte{{orderClient}}, tx.bucket(bucketCaseOrder), nil
	case SortActivity:
		return [][]byte{{orderActivity}}, tx.bucket(bucketCaseOrder), nil
	case SortOpened:
		return [][]byte{{orderOpened}}, tx.bucket(bucketCaseOrder), nil
	case SortStatus:
	default:
		return nil, nil, fmt.Errorf("sort %q: %w", by, ErrSortOrder)
	}
	set, err := tx.Settings()
	if err != nil {
		return nil, nil, err
	}
	var groups [][]byte
	listed := map[string]bool{}
	for _, st := range set.Statuses {
		listed[st.ID] = true
		groups = append(groups, statusFacet(st.ID))
	}
	// Statuses taken off the list still hold cases: after the listed ones,
	// found by jumping from one status's keys to the next.
	facets := tx.bucket(bucketCaseFacets)
	c := facets.Cursor()
	for k, _ := c.Seek([]byte{'s', 1}); k != nil && k[0] == 's'; {
		end := bytes.IndexByte(k, 0)
		if end < 0 {
			k, _ = c.Next()
			continue
		}
		if id := string(k[1:end]); !listed[id] {
			groups = append(groups, statusFacet(id))
		}
		k, _ = c.Seek(append(append([]byte{}, k[:end]...), 1))
	}
	groups = append(groups, noStatusFacet)
	return groups, facets, nil
}

// placeOf finds the case's group and key in an order, to start after it.
func (tx *Tx) placeOf(by string, groups [][]byte, caseID uint64) (int, []byte, error) {
	if by != SortStatus {
		kind := groups[0][0]
		k := tx.bucket(bucketCaseOrder).Get(reverseKey(kind, caseID))
		if k == nil {
			return 0, nil, fmt.Errorf("case %d in the %s order: %w", caseID, by, ErrNotFound)
		}
		return 0, append([]byte{}, k...), nil
	}
	c, err := tx.Case(caseID)
	if err != nil {
		return 0, nil, err
	}
	prefix := noStatusFacet
	if c.Current != nil {
		prefix = statusFacet(c.Current.Status)
	}
	for i, g := range groups {
		if bytes.Equal(g, prefix) {
			return i, append(append([]byte{}, g...), u64(caseID)...), nil
		}
	}
	return 0, nil, fmt.Errorf("case %d in the status order: %w", caseID, ErrNotFound)
}
