// Package store keeps every clientportal record in one bbolt file in the data
// directory. It owns the file: nothing else opens it. It knows the record types,
// the buckets and their indexes, the schema version and its migrations, and the
// hot backup; it knows nothing of HTTP or of who is asking.
//
// All reads and writes go through View and Update, which hand out a Tx with typed
// methods, so a change, its audit entry and (later) its outbox entry commit in one
// bbolt transaction or not at all.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the database file inside the data directory.
const FileName = "clientportal.db"

// Errors callers test for with errors.Is.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("already exists")
	ErrTooNew    = errors.New("data was written by a newer clientportal")
	ErrReference = errors.New("refers to a record that does not exist")
)

// Store is the open database.
type Store struct {
	db   *bolt.DB
	path string
	now  func() time.Time
	// settings is the decoded settings record last read or committed; see
	// Tx.Settings.
	settings atomic.Pointer[cachedSettings]
	// decoded keeps the hot records decoded; see decoded.go.
	decoded decodedCaches
}

// Options tune Open; the zero value is right for the service.
type Options struct {
	// Now replaces the clock (tests of expiry use it).
	Now func() time.Time
	// LockTimeout is how long Open waits for another process to release the
	// file before it gives up. Default 2s.
	LockTimeout time.Duration
}

// Open opens (creating it when missing) the database in dataDir and brings its
// schema up to date.
func Open(dataDir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, FileName)
	timeout := opts.LockTimeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open store %s: the file is in use by another clientportal process: %w", path, err)
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, path: path, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database file.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(btx *bolt.Tx) error {
		return fn(&Tx{btx: btx, now: s.now().UTC(), store: s})
	})
}

// Update runs fn in a read-write transaction. Everything fn writes commits
// together, and is on disk when Update returns nil; an error from fn rolls all
// of it back.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(btx *bolt.Tx) error {
		return fn(&Tx{btx: btx, now: s.now().UTC(), store: s})
	})
}

// Backup writes a consistent copy of the whole database to w while the store
// stays open for readers and writers. It returns the number of bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(btx *bolt.Tx) error {
		var err error
		n, err = btx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup %s: %w", s.path, err)
	}
	return n, nil
}

// Tx is one transaction. Values it returns are copies: they stay valid after
// the transaction ends.
type Tx struct {
	btx   *bolt.Tx
	now   time.Time
	store *Store
}

// Now is the transaction's clock reading (UTC), the same for every record it
// stamps.
func (tx *Tx) Now() time.Time { return tx.now }
