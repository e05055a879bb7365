package store_test

import (
	"errors"
	"testing"

	"clientportal/store"
	"clientportal/store/storetest"
)

func TestDocuments(t *testing.T) {
	s := storetest.New(t)
	c, a, _, _ := twoClientCase(t, s)
	d := store.Document{CaseID: c.ID, StoredName: "x.age", FileName: "lease.pdf", ContentType: "application/pdf", Size: 10,
		SHA256: "ab", UploaderKind: "client", UploaderID: a.ID, UploaderName: a.Name}
	staffDoc := d
	staffDoc.UploaderKind, staffDoc.FileName = "staff", "memo.pdf"
	err := s.Update(ctx, func(tx *store.Tx) error {
		d.Portal = true
		if err := tx.AddDocument(&d); err != nil {
			return err
		}
		return tx.AddDocument(&staffDoc)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []store.Document{
		{CaseID: 999, StoredName: "x", ContentType: "a", Size: 1, SHA256: "a", UploaderKind: "staff"},
		{CaseID: c.ID, ContentType: "a", Size: 1, SHA256: "a", UploaderKind: "staff"},
		{CaseID: c.ID, StoredName: "x", ContentType: "a", Size: 1, SHA256: "a", UploaderKind: "robot"},
	} {
		err := s.Update(ctx, func(tx *store.Tx) error { return tx.AddDocument(&bad) })
		if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrDocumentInput) {
			t.Errorf("AddDocument(%+v): %v", bad, err)
		}
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		all, err := tx.CaseDocuments(c.ID, false)
		if err != nil || len(all) != 2 || all[0].ID != d.ID || all[1].ID != staffDoc.ID {
			t.Errorf("all: %+v, %v", all, err)
		}
		shared, err := tx.CaseDocuments(c.ID, true)
		if err != nil || len(shared) != 1 || shared[0].ID != d.ID {
			t.Errorf("portal: %+v, %v", shared, err)
		}
		if _, after, err := tx.SetDocumentPortal(staffDoc.ID, true); err != nil || !after.Portal {
			t.Errorf("share: %+v %v", after, err)
		}
		shared, _ = tx.CaseDocuments(c.ID, true)
		if len(shared) != 2 {
			t.Errorf("after share: %d", len(shared))
		}
		if _, err := tx.Document(12345); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
