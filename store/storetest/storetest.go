// Package storetest starts real stores (bbolt files in a test's temp dir) for
// tests of the packages above the store.
package storetest

import (
	"testing"
	"time"

	"clientportal/store"
)

// New opens a fresh store in t.TempDir and closes it when the test ends.
func New(t testing.TB) *store.Store {
	return NewWithClock(t, nil)
}

// NewWithClock is New with a replaced clock (nil: the real one).
func NewWithClock(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{Now: now})
	if err != nil {
		t.Fatalf("open test store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
