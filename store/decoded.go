package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Decoded records: every portal page reads the visitor's session and client
// record, the case and its advocate, and decoding their JSON was a sixth of
// the page's cost. The store keeps the records it decoded, each with the very
// bytes it was decoded from, and hands a copy out only when those bytes equal
// the bytes the reading transaction finds under the key. Decoding is a pure
// function of the bytes, so a copy is exactly what decoding would give: a
// reader never sees a record other than its own snapshot's, and no write needs
// to invalidate anything. A client locked by staff, a password set, access
// turned off or a session touched all change the stored bytes, so the next
// read decodes again; a deleted record is not found before the cache is asked.

// decodedMax bounds the records kept of each kind: a busy office has a few
// hundred clients online at once and a few advocates.
const decodedMax = 4096

// record is a stored record type the cache can copy.
type record[T any] interface {
	// copyRecord is a copy that shares no memory with the receiver: the
	// cached record is handed to many requests at once. A slice, map or
	// pointer field added to a record type must be copied there
	// (TestDecodedCopiesCoverEveryField checks).
	copyRecord() T
}

// decodedCache is the decoded records of one bucket by key.
type decodedCache[T record[T]] struct {
	mu sync.RWMutex
	m  map[string]decodedRecord[T]
}

type decodedRecord[T any] struct {
	raw []byte // the stored bytes val was decoded from
	val T
}

// decodedCaches are the caches of the records pages read on every request.
type decodedCaches struct {
	sessions decodedCache[Session]
	clients  decodedCache[Client]
	staff    decodedCache[Staff]
	cases    decodedCache[Case]
}

// get reads the record under key in b into v: the cached copy when the stored
// bytes are the ones it was decoded from, else decoded. Only read-only
// transactions fill the cache (a write transaction's bytes may never commit;
// they would never match a reader's, but need not take room).
func (c *decodedCache[T]) get(tx *Tx, b *bolt.Bucket, key []byte, v *T) error {
	raw := b.Get(key)
	if raw == nil {
		return ErrNotFound
	}
	c.mu.RLock()
	e, ok := c.m[string(key)]
	c.mu.RUnlock()
	if ok && bytes.Equal(e.raw, raw) {
		*v = e.val.copyRecord()
		return nil
	}
	var d T
	if err := json.Unmarshal(raw, &d); err != nil {
		return fmt.Errorf("decode record %x: %w", key, err)
	}
	*v = d
	if tx.btx.Writable() {
		return nil
	}
	// bbolt's bytes are valid only inside the transaction: keep a copy.
	e = decodedRecord[T]{raw: bytes.Clone(raw), val: d.copyRecord()}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]decodedRecord[T])
	}
	if _, ok := c.m[string(key)]; !ok && len(c.m) >= decodedMax {
		for k := range c.m { // map order is random: a random record goes
			delete(c.m, k)
			break
		}
	}
	c.m[string(key)] = e
	c.mu.Unlock()
	return nil
}

// A decoded session holds no Hash (it is not in the JSON); tx.Session sets
// a fresh one on every read.
func (s Session) copyRecord() Session { return s }

// Client and Staff hold no slices, maps or pointers (time.Time's location
// is never changed): a value copy shares nothing.

func (c Client) copyRecord() Client { return c }

func (s Staff) copyRecord() Staff { return s }

func (c Case) copyRecord() Case {
	c.ClientIDs = slices.Clone(c.ClientIDs)
	if c.Attorney != nil {
		a := *c.Attorney
		c.Attorney = &a
	}
	if c.Current != nil {
		cur := c.Current.copyRecord()
		c.Current = &cur
	}
	return c
}

func (e StatusEntry) copyRecord() StatusEntry {
	if e.Withdrawn != nil {
		w := *e.Withdrawn
		e.Withdrawn = &w
	}
	return e
}
