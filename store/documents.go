package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Document is the record of a stored document file: which case it belongs
// to, the store's name for the encrypted file (docstore), and what the
// uploader called it (for Content-Disposition only, never for a path).
type Document struct {
	ID           uint64    `json:"id"`
	CaseID       uint64    `json:"case_id"`
	StoredName   string    `json:"stored_name"`
	FileName     string    `json:"file_name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	UploaderKind string    `json:"uploader_kind"` // "staff" or "client"
	UploaderID   uint64    `json:"uploader_id"`
	UploaderName string    `json:"uploader_name"`
	Uploaded     time.Time `json:"uploaded"`
	// Portal: the case's clients see it (a client's own upload always is).
	Portal bool `json:"portal"`
}

// ErrDocumentInput is a document record the store refuses.
var ErrDocumentInput = errors.New("not a valid document record")

// The document buckets:
//
//	documents       documentID -> Document
//	case_documents  caseID|documentID -> nil
//
// AddDocument writes a new document record of an existing case, giving it
// the next ID and the transaction's time.
func (tx *Tx) AddDocument(d *Document) error {
	if _, err := tx.Case(d.CaseID); err != nil {
		return err
	}
	switch {
	case d.StoredName == "" || d.SHA256 == "" || d.ContentType == "" || d.Size <= 0:
		return fmt.Errorf("document of case %d without its file: %w", d.CaseID, ErrDocumentInput)
	case d.UploaderKind != "staff" && d.UploaderKind != "client":
		return fmt.Errorf("document uploader %q: %w", d.UploaderKind, ErrDocumentInput)
	}
	b := tx.bucket(bucketDocuments)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	d.ID, d.Uploaded = seq, tx.now
	if err := putJSON(b, u64(d.ID), d); err != nil {
		return fmt.Errorf("add document: %w", err)
	}
	if err := tx.touchCase(d.CaseID); err != nil {
		return err
	}
	if d.UploaderKind == "client" {
		if err := tx.countActivity(d.Uploaded, activityUpload, 1); err != nil {
			return err
		}
	}
	return tx.bucket(bucketCaseDocuments).Put(pairKey(d.CaseID, d.ID), nil)
}

// Document reads one document record.
func (tx *Tx) Document(id uint64) (Document, error) {
	var d Document
	if err := getJSON(tx.bucket(bucketDocuments), u64(id), &d); err != nil {
		return Document{}, fmt.Errorf("document %d: %w", id, err)
	}
	return d, nil
}

// CaseDocuments lists a case's documents, oldest first; portalOnly keeps
// only those its clients see.
func (tx *Tx) CaseDocuments(caseID uint64, portalOnly bool) ([]Document, error) {
	out := []Document{}
	c := tx.bucket(bucketCaseDocuments).Cursor()
	prefix := u64(caseID)
	for k, _ := c.Seek(prefix); k != nil && binary.BigEndian.Uint64(k) == caseID; k, _ = c.Next() {
		d, err := tx.Document(binary.BigEndian.Uint64(k[8:]))
		if err != nil {
			return nil, err
		}
		if !portalOnly || d.Portal {
			out = append(out, d)
		}
	}
	return out, nil
}

// SetDocumentPortal shares a document with the case's clients or withdraws
// it, and returns the record as it was before and after.
func (tx *Tx) SetDocumentPortal(id uint64, portal bool) (before, after Document, err error) {
	before, err = tx.Document(id)
	if err != nil {
		return Document{}, Document{}, err
	}
	after = before
	after.Portal = portal
	if err := putJSON(tx.bucket(bucketDocuments), u64(id), after); err != nil {
		return Document{}, Document{}, fmt.Errorf("update document %d: %w", id, err)
	}
	return before, after, nil
}
