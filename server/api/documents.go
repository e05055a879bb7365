package api

import "time"

// Document is a case's document as staff see it. Its content is at
// PathDocumentContent.
type Document struct {
	ID           uint64    `json:"id"`
	CaseID       uint64    `json:"case_id"`
	FileName     string    `json:"file_name"` // the uploader's name for it, made safe
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"` // hex, of the content
	UploaderKind string    `json:"uploader_kind"`
	UploaderID   uint64    `json:"uploader_id"`
	UploaderName string    `json:"uploader_name"`
	Uploaded     time.Time `json:"uploaded"`
	Portal       bool      `json:"portal"` // the case's clients see it
}

// Documents is a case's documents, oldest first (GET, and the answer to
// POST /api/v1/cases/{id}/documents: the new ones).
type Documents struct {
	Items []Document `json:"items"`
}

// DocumentInput shares a document with the case's clients or withdraws it
// (PATCH /api/v1/documents/{id}).
type DocumentInput struct {
	Portal *bool `json:"portal"`
}
