package store_test

import (
	"errors"
	"slices"
	"testing"

	"clientportal/store"
	"clientportal/store/storetest"
)

// TestNotesCarryOnlyTheirCasesDocuments: a note keeps the documents it
// carries; the store refuses a document of another case, a missing one, one
// twice, too many, and a staff-only document on a portal message, whoever
// asks (the office checks first; this is the last line).
func TestNotesCarryOnlyTheirCasesDocuments(t *testing.T) {
	s := storetest.New(t)
	c, a, _, staff := twoClientCase(t, s)
	var other store.Case
	var shared, staffOnly, foreign store.Document
	err := s.Update(ctx, func(tx *store.Tx) error {
		other = store.Case{Number: "N2", Title: "T2", ClientIDs: []uint64{a.ID}, Kind: store.KindStaff, AdvocateID: staff.ID}
		if err := tx.PutCase(&other); err != nil {
			return err
		}
		doc := func(caseID uint64, portal bool) store.Document {
			return store.Document{CaseID: caseID, StoredName: "0123456789abcdef0123456789abcdef.age", FileName: "a.pdf", ContentType: "application/pdf",
				Size: 1, SHA256: "00", UploaderKind: "staff", UploaderID: staff.ID, UploaderName: "S", Portal: portal}
		}
		shared, staffOnly, foreign = doc(c.ID, true), doc(c.ID, false), doc(other.ID, true)
		for _, d := range []*store.Document{&shared, &staffOnly, &foreign} {
			if err := tx.AddDocument(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, Body: "x", Visibility: store.Portal, DocumentIDs: []uint64{shared.ID}})
	addNote(t, s, store.Note{CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: store.Internal, DocumentIDs: []uint64{staffOnly.ID, shared.ID}})
	s.View(ctx, func(tx *store.Tx) error {
		got, err := tx.Note(c.ID, n.ID)
		if err != nil || !slices.Equal(got.DocumentIDs, []uint64{shared.ID}) {
			t.Errorf("read back: %v, %v", got.DocumentIDs, err)
		}
		return nil
	})
	many := make([]uint64, store.MaxNoteDocuments+1)
	for i := range many {
		many[i] = shared.ID
	}
	for name, n := range map[string]store.Note{
		"another case's":         {CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: store.Internal, DocumentIDs: []uint64{foreign.ID}},
		"missing":                {CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: store.Internal, DocumentIDs: []uint64{999}},
		"twice":                  {CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: store.Internal, DocumentIDs: []uint64{shared.ID, shared.ID}},
		"too many":               {CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: store.Internal, DocumentIDs: many},
		"staff-only on portal":   {CaseID: c.ID, AuthorKind: "staff", AuthorID: staff.ID, Body: "x", Visibility: store.Portal, DocumentIDs: []uint64{staffOnly.ID}},
		"client, another case's": {CaseID: c.ID, AuthorKind: "client", AuthorID: a.ID, Body: "x", Visibility: store.Portal, DocumentIDs: []uint64{foreign.ID}},
	} {
		err := s.Update(ctx, func(tx *store.Tx) error { return tx.AddNote(&n) })
		if !errors.Is(err, store.ErrNoteInput) {
			t.Errorf("%s: %v, want ErrNoteInput", name, err)
		}
	}
}
