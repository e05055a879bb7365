package store

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// CasesWithUnread returns up to limit cases with an ID above after that
// have client messages no staff member has read, matching q as SearchCases
// does, in ID order. It walks the unread markers (case|note, kept by
// AddNote and MarkNotesReadByStaff) and jumps past each case's other
// markers, so its cost follows the cases with unread messages, never the
// office's size.
func (tx *Tx) CasesWithUnread(q string, after uint64, limit int) ([]Case, error) {
	needle := []byte(Fold(strings.TrimSpace(q)))
	search := tx.bucket(bucketCaseSearch)
	c := tx.bucket(bucketNotesUnreadStaff).Cursor()
	var out []Case
	for k, _ := c.Seek(u64(after + 1)); len(k) == 16 && len(out) < limit; k, _ = c.Seek(u64(binary.BigEndian.Uint64(k[:8]) + 1)) {
		id := binary.BigEndian.Uint64(k[:8])
		if len(needle) > 0 && !bytes.Contains(search.Get(u64(id)), needle) {
			continue
		}
		cs, err := tx.Case(id)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}
