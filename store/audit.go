package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The audit log is a hash chain: each entry's Prev is the SHA-256 of the
// stored bytes of the entry before it, and the meta bucket keeps the id and
// hash of the last entry (the head). Editing an entry's bytes breaks the
// link its successor (or the head) holds; removing one leaves a gap in the
// ids. No API edits or deletes entries: Audit is the only writer.

// keyAuditHead is the meta key of the chain's head: 8-byte id, then 32-byte hash.
var keyAuditHead = []byte("audit_head")

func auditHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Audit appends an entry to the audit log, stamped with the transaction's
// time and chained to the entry before it.
func (tx *Tx) Audit(e AuditEntry) error {
	b := tx.bucket(bucketAudit)
	e.Prev = ""
	if _, last := b.Cursor().Last(); last != nil {
		e.Prev = auditHash(last)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.ID, e.At = seq, tx.now
	if err := tx.putAudit(e); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	if e.Action == "client.login" {
		// Every successful client sign-in (password, link, passkey,
		// second factor) is audited as this one action.
		return tx.countActivity(e.At, activitySignIn, 1)
	}
	return nil
}

// putAudit stores e under its id and makes it the chain's head.
func (tx *Tx) putAudit(e AuditEntry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := tx.bucket(bucketAudit).Put(u64(e.ID), data); err != nil {
		return err
	}
	h := sha256.Sum256(data)
	return tx.bucket(bucketMeta).Put(keyAuditHead, append(u64(e.ID), h[:]...))
}

// migrateAuditChain chains the entries written before the chain existed.
func migrateAuditChain(tx *Tx) error {
	b := tx.bucket(bucketAudit)
	var entries []AuditEntry
	if err := b.ForEach(func(k, v []byte) error {
		var e AuditEntry
		if err := decode(v, &e); err != nil {
			return fmt.Errorf("audit entry %d: %w", binary.BigEndian.Uint64(k), err)
		}
		e.ID = binary.BigEndian.Uint64(k)
		entries = append(entries, e)
		return nil
	}); err != nil {
		return err
	}
	prev := ""
	for _, e := range entries {
		e.Prev = prev
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := b.Put(u64(e.ID), data); err != nil {
			return err
		}
		prev = auditHash(data)
		h := sha256.Sum256(data)
		if err := tx.bucket(bucketMeta).Put(keyAuditHead, append(u64(e.ID), h[:]...)); err != nil {
			return err
		}
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

// AuditFilter picks the entries of one case or one client (exactly one of
// the two is set).
type AuditFilter struct {
	Case   uint64
	Client uint64
}

// AuditTrail returns, oldest first, the entries about f's case (the case
// itself and its documents) or f's client (changes to the client, and what
// the client did: sign-ins, messages, uploads, downloads).
func (tx *Tx) AuditTrail(f AuditFilter) ([]AuditEntry, error) {
	var out []AuditEntry
	caseTarget := "case:" + strconv.FormatUint(f.Case, 10)
	clientTarget := "client:" + strconv.FormatUint(f.Client, 10)
	docCase := map[uint64]uint64{} // document id -> case id, as looked up
	err := tx.bucket(bucketAudit).ForEach(func(k, v []byte) error {
		var e AuditEntry
		if err := decode(v, &e); err != nil {
			return err
		}
		keep := false
		switch {
		case f.Case != 0:
			keep = e.Target == caseTarget
			if rest, ok := strings.CutPrefix(e.Target, "document:"); ok && !keep {
				id, _ := strconv.ParseUint(rest, 10, 64)
				c, seen := docCase[id]
				if !seen {
					if d, err := tx.Document(id); err == nil {
						c = d.CaseID
					}
					docCase[id] = c
				}
				keep = c == f.Case
			}
		case f.Client != 0:
			keep = e.Target == clientTarget || (e.ActorKind == "client" && e.ActorID == f.Client)
		}
		if keep {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// ChainBreak is where an audit chain check failed.
type ChainBreak struct {
	Entry  uint64 // the first entry that was changed or is missing
	Reason string
}

func (b *ChainBreak) Error() string {
	return fmt.Sprintf("audit entry %d: %s", b.Entry, b.Reason)
}

// ChainReport is what VerifyAuditChain found.
type ChainReport struct {
	Entries uint64 // entries checked
	Head    string // the last entry's hash (hex)
	Break   *ChainBreak
}

// VerifyAuditChain checks the audit chain of the store in dataDir without
// changing anything: it opens the file read-only, so it fails (with
// ErrInUse) while the service holds the store.
func VerifyAuditChain(ctx context.Context, dataDir string) (ChainReport, error) {
	path := filepath.Join(dataDir, FileName)
	if _, err := os.Stat(path); err != nil {
		return ChainReport{}, fmt.Errorf("no store in %s: %w", dataDir, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return ChainReport{}, fmt.Errorf("open store %s: %w", path, ErrInUse)
		}
		return ChainReport{}, fmt.Errorf("open store %s: %w", path, err)
	}
	defer db.Close()
	var rep ChainReport
	err = db.View(func(btx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		meta := btx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%s is not a clientportal store (no meta bucket)", path)
		}
		have := 0
		if v := meta.Get(keySchemaVersion); len(v) == 8 {
			have = int(binary.BigEndian.Uint64(v))
		}
		if have < SchemaVersion() {
			return fmt.Errorf("the store has schema %d, older than this build's %d: start the service once (it upgrades the store and chains the audit log), then verify", have, SchemaVersion())
		}
		if have > SchemaVersion() {
			return fmt.Errorf("schema version %d, this build knows up to %d: %w", have, SchemaVersion(), ErrTooNew)
		}
		rep = checkChain(btx.Bucket(bucketAudit), meta.Get(keyAuditHead))
		return nil
	})
	return rep, err
}

// checkChain walks the audit bucket in id order. An entry is named broken
// when its stored bytes do not hash to what its successor's Prev (or, for
// the last, the head) says; that names the entry that was edited, whichever
// of its fields changed. Ids must run on without gaps from the first.
func checkChain(b *bolt.Bucket, head []byte) ChainReport {
	var rep ChainReport
	if b == nil {
		return ChainReport{Break: &ChainBreak{Reason: "the audit bucket is missing"}}
	}
	var prevID uint64
	var prevData []byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		id := binary.BigEndian.Uint64(k)
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			rep.Break = &ChainBreak{Entry: id, Reason: "unreadable: " + err.Error()}
			return rep
		}
		switch {
		case prevData == nil && e.Prev != "":
			// The first entry holds a link: entries before it were removed.
			if id > 1 {
				rep.Break = &ChainBreak{Entry: id - 1, Reason: fmt.Sprintf("missing: the log starts at entry %d, which links to an entry before it", id)}
			} else {
				rep.Break = &ChainBreak{Entry: id, Reason: "changed: the first entry links to an entry before it"}
			}
			return rep
		case prevData != nil && id != prevID+1:
			rep.Break = &ChainBreak{Entry: prevID + 1, Reason: fmt.Sprintf("missing: entry %d follows entry %d", id, prevID)}
			return rep
		case prevData != nil && e.Prev != auditHash(prevData):
			rep.Break = &ChainBreak{Entry: prevID, Reason: fmt.Sprintf("changed: its hash is not the one entry %d holds", id)}
			return rep
		case e.ID != id:
			rep.Break = &ChainBreak{Entry: id, Reason: fmt.Sprintf("changed: it says it is entry %d", e.ID)}
			return rep
		}
		prevID, prevData = id, v
		rep.Entries++
	}
	if prevData == nil {
		if len(head) != 0 {
			rep.Break = &ChainBreak{Entry: binary.BigEndian.Uint64(head[:8]), Reason: "missing: the log is empty but its head names this entry"}
		}
		return rep
	}
	sum := sha256.Sum256(prevData)
	switch {
	case len(head) != 40:
		rep.Break = &ChainBreak{Entry: prevID, Reason: "the chain's head record is missing"}
	case binary.BigEndian.Uint64(head[:8]) != prevID:
		rep.Break = &ChainBreak{Entry: prevID + 1, Reason: fmt.Sprintf("missing: the head names entry %d, the log ends at %d", binary.BigEndian.Uint64(head[:8]), prevID)}
	case !bytes.Equal(head[8:], sum[:]):
		rep.Break = &ChainBreak{Entry: prevID, Reason: "changed: its hash is not the one the chain's head holds"}
	}
	rep.Head = hex.EncodeToString(sum[:])
	return rep
}
