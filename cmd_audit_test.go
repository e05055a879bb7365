package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"clientportal/store"
)

// TestAuditVerify writes audit entries with the real store, then edits one
// entry's bytes in the closed bbolt file (as someone with the disk would),
// and expects `audit verify` to name that entry; and it refuses clearly while
// the store is open elsewhere.
func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		err := st.Update(context.Background(), func(tx *store.Tx) error {
			return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: 1, Action: "case.status", Target: "case:7",
				Detail: fmt.Sprintf("marker-%03d", i)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// While the store is open, verify refuses and says why.
	if code, _, errOut := run("", "audit", "verify", "--data", dir); code != 1 || !strings.Contains(errOut, "in use by the running portal service") {
		t.Errorf("verify of an open store: exit %d, %q", code, errOut)
	}
	st.Close()

	code, out, errOut := run("", "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "ok: 20 audit entries") {
		t.Fatalf("verify of an intact log: exit %d, %q %q", code, out, errOut)
	}

	file := filepath.Join(dir, store.FileName)
	tamper := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Count(data, []byte(from)) != 1 {
			t.Fatalf("%q occurs %d times in the file", from, bytes.Count(data, []byte(from)))
		}
		if err := os.WriteFile(file, bytes.Replace(data, []byte(from), []byte(to), 1), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Entry 7's detail changes by one character, same length.
	tamper(`"marker-007"`, `"marker-907"`)
	code, out, _ = run("", "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(out, "BROKEN at audit entry 7: changed") {
		t.Errorf("verify after editing entry 7: exit %d, %q", code, out)
	}
	tamper(`"marker-907"`, `"marker-007"`)
	// The last entry, which no successor vouches for, is held by the head.
	tamper(`"marker-020"`, `"marker-021"`)
	code, out, _ = run("", "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(out, "BROKEN at audit entry 20: changed") {
		t.Errorf("verify after editing the last entry: exit %d, %q", code, out)
	}
}

// TestAuditChainGap removes an entry from the file and expects verify to
// name the gap.
func TestAuditChainGap(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		st.Update(context.Background(), func(tx *store.Tx) error {
			return tx.Audit(store.AuditEntry{ActorKind: "system", Action: "test", Detail: fmt.Sprint(i)})
		})
	}
	st.Close()
	db, err := bolt.Open(filepath.Join(dir, store.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("audit")).Delete([]byte{0, 0, 0, 0, 0, 0, 0, 3})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := run("", "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(out, "BROKEN at audit entry 3: missing") {
		t.Errorf("verify after removing entry 3: exit %d, %q", code, out)
	}
}
