package store

import "fmt"

// Audit appends an entry to the audit log, stamped with the transaction's time.
func (tx *Tx) Audit(e AuditEntry) error {
	b := tx.bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.ID, e.At = seq, tx.now
	if err := putJSON(b, u64(seq), e); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// AuditLog returns up to limit entries with an ID below before (0: from the
// newest), newest first.
func (tx *Tx) AuditLog(before uint64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	c := tx.bucket(bucketAudit).Cursor()
	k, v := c.Last()
	if before != 0 {
		if k, _ = c.Seek(u64(before)); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	for ; k != nil && len(out) < limit; k, v = c.Prev() {
		var e AuditEntry
		if err := decode(v, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
