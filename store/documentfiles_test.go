package store_test

import (
	"maps"
	"slices"
	"testing"

	"clientportal/store"
	"clientportal/store/storetest"
)

func TestDocumentFiles(t *testing.T) {
	s := storetest.New(t)
	c, a, _, _ := twoClientCase(t, s)
	err := s.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"a.age", "b.age"} {
			d := store.Document{CaseID: c.ID, StoredName: name, FileName: "f.pdf", ContentType: "application/pdf", Size: 1,
				SHA256: "ab", UploaderKind: "client", UploaderID: a.ID}
			if err := tx.AddDocument(&d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var names map[string]bool
	if err := s.View(ctx, func(tx *store.Tx) (err error) { names, err = tx.DocumentFiles(); return err }); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(names)); !slices.Equal(got, []string{"a.age", "b.age"}) {
		t.Errorf("DocumentFiles = %q", got)
	}
}
