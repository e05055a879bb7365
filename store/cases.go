package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Case reads a case by ID.
func (tx *Tx) Case(id uint64) (Case, error) {
	var c Case
	if err := tx.store.decoded.cases.get(tx, tx.bucket(bucketCases), u64(id), &c); err != nil {
		return Case{}, fmt.Errorf("case %d: %w", id, err)
	}
	return c, nil
}

// PutCase creates (ID 0) or replaces a case. Its number must be unique, its
// clients and its advocate must exist. Current is kept from the stored case:
// only AddStatusEntry changes it.
func (tx *Tx) PutCase(c *Case) error {
	var old Case
	if c.ID != 0 {
		var err error
		if old, err = tx.Case(c.ID); err != nil {
			return err
		}
		c.Created, c.Current = old.Created, old.Current
	}
	for _, id := range c.ClientIDs {
		if _, err := tx.Client(id); err != nil {
			return fmt.Errorf("case client %d: %w", id, ErrReference)
		}
	}
	if c.AdvocateID != 0 {
		if _, err := tx.Staff(c.AdvocateID); err != nil {
			return fmt.Errorf("case advocate %d: %w", c.AdvocateID, ErrReference)
		}
	}
	numbers := tx.bucket(bucketCaseByNumber)
	key := []byte(strings.ToUpper(c.Number))
	if owner := numbers.Get(key); owner != nil && (c.ID == 0 || binary.BigEndian.Uint64(owner) != c.ID) {
		return fmt.Errorf("case number %q: %w", c.Number, ErrConflict)
	}
	if c.ID == 0 {
		seq, err := tx.bucket(bucketCases).NextSequence()
		if err != nil {
			return err
		}
		c.ID, c.Created = seq, tx.now
	}
	if old.Number != "" && !strings.EqualFold(old.Number, c.Number) {
		if err := numbers.Delete([]byte(strings.ToUpper(old.Number))); err != nil {
			return err
		}
	}
	if err := numbers.Put(key, u64(c.ID)); err != nil {
		return err
	}
	links := tx.bucket(bucketClientCases)
	for _, id := range old.ClientIDs {
		if err := links.Delete(pairKey(id, c.ID)); err != nil {
			return err
		}
	}
	for _, id := range c.ClientIDs {
		if err := links.Put(pairKey(id, c.ID), nil); err != nil {
			return err
		}
	}
	c.Updated = tx.now
	if err := tx.indexCase(*c); err != nil {
		return err
	}
	if err := tx.indexFacets(old, *c); err != nil {
		return err
	}
	if err := tx.indexOrder(*c); err != nil {
		return err
	}
	if err := tx.touchCase(c.ID); err != nil {
		return err
	}
	return putJSON(tx.bucket(bucketCases), u64(c.ID), c)
}

// indexCase writes the case's search text: its number, title and client names.
func (tx *Tx) indexCase(c Case) error {
	parts := []string{c.Number, c.Title}
	for _, id := range c.ClientIDs {
		cl, err := tx.Client(id)
		if err != nil {
			return err
		}
		parts = append(parts, cl.Name)
	}
	return tx.bucket(bucketCaseSearch).Put(u64(c.ID), []byte(Fold(strings.Join(parts, "\n"))))
}

// CasesOfClient returns the client's cases in ID order.
func (tx *Tx) CasesOfClient(clientID uint64) ([]Case, error) {
	var out []Case
	c := tx.bucket(bucketClientCases).Cursor()
	prefix := u64(clientID)
	for k, _ := c.Seek(prefix); len(k) == 16 && string(k[:8]) == string(prefix); k, _ = c.Next() {
		cs, err := tx.Case(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// SearchCases returns up to limit cases with an ID above after whose number,
// title or client names contain q (ignoring case and accents; empty q matches
// all), in ID order.
func (tx *Tx) SearchCases(q string, after uint64, limit int) ([]Case, error) {
	needle := []byte(Fold(strings.TrimSpace(q)))
	var out []Case
	c := tx.bucket(bucketCaseSearch).Cursor()
	for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
		if !bytes.Contains(v, needle) {
			continue
		}
		cs, err := tx.Case(binary.BigEndian.Uint64(k))
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

// AddStatusEntry appends an entry to its case's history and makes it the
// case's current status when it is the latest dated one.
func (tx *Tx) AddStatusEntry(e *StatusEntry) error {
	c, err := tx.Case(e.CaseID)
	if err != nil {
		return err
	}
	if err := tx.appendStatusEntry(e); err != nil {
		return err
	}
	if err := tx.touchCase(c.ID); err != nil {
		return err
	}
	if c.Current == nil || e.After(*c.Current) {
		old := c
		cur := *e
		c.Current = &cur
		c.Updated = tx.now
		if err := tx.indexFacets(old, c); err != nil {
			return err
		}
		return putJSON(tx.bucket(bucketCases), u64(c.ID), c)
	}
	return nil
}

func (tx *Tx) appendStatusEntry(e *StatusEntry) error {
	seq, err := tx.bucket(bucketStatusEntries).NextSequence()
	if err != nil {
		return err
	}
	e.ID, e.Created = seq, tx.now
	e.SupersededBy, e.Withdrawn = 0, nil
	return putJSON(tx.bucket(bucketStatusEntries), pairKey(e.CaseID, e.ID), e)
}

// ErrNotActive means a status entry was already corrected or withdrawn.
var ErrNotActive = errors.New("the status entry was already corrected or withdrawn")

// CorrectStatusEntry replaces the active entry entryID of e.CaseID with e: e is
// appended naming the entry it corrects, the old entry is kept and marked as
// superseded, and the case's current status is worked out again.
func (tx *Tx) CorrectStatusEntry(entryID uint64, e *StatusEntry) error {
	old, err := tx.StatusEntry(e.CaseID, entryID)
	if err != nil {
		return err
	}
	if !old.Active() {
		return fmt.Errorf("correct status entry %d: %w", entryID, ErrNotActive)
	}
	e.Corrects = entryID
	if err := tx.appendStatusEntry(e); err != nil {
		return err
	}
	old.SupersededBy = e.ID
	if err := putJSON(tx.bucket(bucketStatusEntries), pairKey(old.CaseID, old.ID), old); err != nil {
		return err
	}
	return tx.recomputeCurrent(e.CaseID)
}

// WithdrawStatusEntry marks the active entry as withdrawn (it stays in the
// record) and works out the case's current status again.
func (tx *Tx) WithdrawStatusEntry(caseID, entryID uint64, w Withdrawal) (StatusEntry, error) {
	e, err := tx.StatusEntry(caseID, entryID)
	if err != nil {
		return StatusEntry{}, err
	}
	if !e.Active() {
		return StatusEntry{}, fmt.Errorf("withdraw status entry %d: %w", entryID, ErrNotActive)
	}
	w.At = tx.now
	e.Withdrawn = &w
	if err := putJSON(tx.bucket(bucketStatusEntries), pairKey(caseID, entryID), e); err != nil {
		return StatusEntry{}, err
	}
	return e, tx.recomputeCurrent(caseID)
}

// recomputeCurrent sets the case's current status to its latest dated active
// entry, or none.
func (tx *Tx) recomputeCurrent(caseID uint64) error {
	c, err := tx.Case(caseID)
	if err != nil {
		return err
	}
	hist, err := tx.StatusHistory(caseID)
	if err != nil {
		return err
	}
	old := c
	c.Current = nil
	if len(hist) > 0 {
		c.Current = &hist[0]
	}
	c.Updated = tx.now
	if err := tx.indexFacets(old, c); err != nil {
		return err
	}
	if err := tx.touchCase(c.ID); err != nil {
		return err
	}
	return putJSON(tx.bucket(bucketCases), u64(c.ID), c)
}

// StatusHistory returns the case's active status entries (what clients see),
// the current one first.
func (tx *Tx) StatusHistory(caseID uint64) ([]StatusEntry, error) {
	all, err := tx.StatusRecord(caseID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if e.Active() {
			out = append(out, e)
		}
	}
	return out, nil
}

// StatusRecord returns every status entry of the case, corrected and
// withdrawn ones included (what staff see), latest dated first.
func (tx *Tx) StatusRecord(caseID uint64) ([]StatusEntry, error) {
	var out []StatusEntry
	c := tx.bucket(bucketStatusEntries).Cursor()
	prefix := u64(caseID)
	for k, v := c.Seek(prefix); k != nil && string(k[:8]) == string(prefix); k, v = c.Next() {
		var e StatusEntry
		if err := decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].After(out[j]) })
	return out, nil
}

// StatusEntry reads one entry of a case's history.
func (tx *Tx) StatusEntry(caseID, entryID uint64) (StatusEntry, error) {
	var e StatusEntry
	if err := getJSON(tx.bucket(bucketStatusEntries), pairKey(caseID, entryID), &e); err != nil {
		return StatusEntry{}, fmt.Errorf("status entry %d of case %d: %w", entryID, caseID, err)
	}
	return e, nil
}

// CountCases is the number of cases.
func (tx *Tx) CountCases() int { return tx.bucket(bucketCases).Stats().KeyN }
