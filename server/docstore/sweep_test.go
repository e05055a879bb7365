package docstore_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"clientportal/server/docstore"
)

// TestSweep: after a crash the folder may hold an unfinished upload's temp
// file and a stored file whose record never committed. Sweep removes both
// and nothing else: recorded files stay readable, files the store did not
// make stay.
func TestSweep(t *testing.T) {
	s, dir := open(t, 0)
	ctx := context.Background()
	put := func() docstore.Stored {
		t.Helper()
		st, err := s.Put(ctx, bytes.NewReader(pdf(100_000)))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	kept, stray := put(), put()
	temp := filepath.Join(dir, ".upload-123456")
	if err := os.WriteFile(temp, []byte("half an upload"), 0o600); err != nil {
		t.Fatal(err)
	}
	// What the store did not make: another name, a folder with a stored-like name.
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("the office's own file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, strings.Repeat("a", 32)+".age"), 0o700); err != nil {
		t.Fatal(err)
	}
	removed, err := s.Sweep(func(name string) bool { return name == kept.Name })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{".upload-123456", stray.Name}
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	have := files(t, dir)
	for _, n := range []string{kept.Name, "notes.txt", strings.Repeat("a", 32) + ".age"} {
		if !slices.Contains(have, n) {
			t.Errorf("%s was removed; the folder holds %q", n, have)
		}
	}
	for _, n := range want {
		if slices.Contains(have, n) {
			t.Errorf("%s is still there", n)
		}
	}
	f, err := s.Open(kept.Name)
	if err != nil {
		t.Fatalf("the recorded file after the sweep: %v", err)
	}
	f.Close()
	// A second sweep finds nothing.
	if removed, err := s.Sweep(func(name string) bool { return name == kept.Name }); err != nil || len(removed) != 0 {
		t.Errorf("second sweep removed %q, %v", removed, err)
	}
}

// TestHoldAfterFile: the hold runs once the file is under its final name
// and no temp file is left, before Put returns.
func TestHoldAfterFile(t *testing.T) {
	s, dir := open(t, 0)
	var during []string
	var held docstore.Stored
	s.HoldAfterFile(func(st docstore.Stored) { held, during = st, files(t, dir) })
	st, err := s.Put(context.Background(), bytes.NewReader(pdf(5000)))
	if err != nil {
		t.Fatal(err)
	}
	if held != st || !slices.Equal(during, []string{st.Name}) {
		t.Errorf("during the hold: %+v, folder %q; want %+v alone", held, during, st)
	}
}
