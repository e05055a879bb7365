package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestAuditChainMigration opens a store whose audit entries were written
// before the chain existed (no links, the schema before it): the migration
// chains them, and the chain verifies; new entries continue it.
func TestAuditChainMigration(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		s.Update(context.Background(), func(tx *Tx) error {
			return tx.Audit(AuditEntry{ActorKind: "system", Action: "test", Detail: fmt.Sprint(i)})
		})
	}
	// Back to the old form: no links, no head, the version before the chain.
	err = s.db.Update(func(btx *bolt.Tx) error {
		b := btx.Bucket(bucketAudit)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e AuditEntry
			json.Unmarshal(v, &e)
			e.Prev = ""
			data, _ := json.Marshal(e)
			if err := b.Put(k, data); err != nil {
				return err
			}
		}
		btx.Bucket(bucketMeta).Delete(keyAuditHead)
		return btx.Bucket(bucketMeta).Put(keySchemaVersion, u64(uint64(chainVersion(t))))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := VerifyAuditChain(context.Background(), dir); err == nil {
		t.Error("verify of a store before the chain: no error; want one that says to start the service once")
	}
	if s, err = Open(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	s.Update(context.Background(), func(tx *Tx) error { return tx.Audit(AuditEntry{ActorKind: "system", Action: "after"}) })
	s.Close()
	rep, err := VerifyAuditChain(context.Background(), dir)
	if err != nil || rep.Break != nil || rep.Entries != 6 {
		t.Errorf("after the migration: %+v, %v; want 6 entries intact", rep, err)
	}
}

// chainVersion is the schema version before the chain's migration (its
// place in the list may change as migrations are appended).
func chainVersion(t *testing.T) int {
	t.Helper()
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == reflect.ValueOf(migrateAuditChain).Pointer() {
			return i
		}
	}
	t.Fatal("no audit chain migration")
	return 0
}

// BenchmarkVerifyAuditChain checks a chain of 100,000 entries (written in
// batches first) and reports entries per second.
func BenchmarkVerifyAuditChain(b *testing.B) {
	dir := b.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	const n = 100_000
	for i := 0; i < n; i += 10_000 {
		err := s.Update(context.Background(), func(tx *Tx) error {
			for j := range 10_000 {
				if err := tx.Audit(AuditEntry{ActorKind: "staff", ActorID: 1, ActorName: "Marcus Oyelaran", IP: "192.0.2.1",
					Action: "case.status", Target: "case:7", Detail: fmt.Sprint("status entry ", i+j)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	b.ResetTimer()
	for range b.N {
		rep, err := VerifyAuditChain(context.Background(), dir)
		if err != nil || rep.Break != nil || rep.Entries != n {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
}
