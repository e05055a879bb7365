package api

import "time"

// DocumentRequest is an item of a case's checklist: a document the office
// asks the client for. State is "requested", "submitted" (DocumentIDs are
// what the client sent), "accepted", "returned" (Reason says why; the client
// can send again) or "cancelled".
type DocumentRequest struct {
	ID     uint64 `json:"id"`
	CaseID uint64 `json:"case_id"`
	Title  string `json:"title"`
	Due    string `json:"due,omitempty"` // "YYYY-MM-DD", the office's time zone
	Note   string `json:"note,omitempty"`
	State  string `json:"state"`
	// DocumentIDs are the documents of the latest submission (their content
	// at PathDocumentContent); EarlierDocumentIDs those of returned ones.
	DocumentIDs        []uint64   `json:"document_ids"`
	EarlierDocumentIDs []uint64   `json:"earlier_document_ids,omitempty"`
	Reason             string     `json:"reason,omitempty"`
	Submitted          *time.Time `json:"submitted,omitempty"`
	Overdue            bool       `json:"overdue"` // still open after its due day
	Created            time.Time  `json:"created"`
	CreatedBy          uint64     `json:"created_by"`
	Updated            time.Time  `json:"updated"`
	UpdatedByKind      string     `json:"updated_by_kind"` // "staff", "client" or "system"
	UpdatedByID        uint64     `json:"updated_by_id"`
}

// DocumentRequests is a case's checklist in the order the items were added
// (GET, and the answer to POST /api/v1/cases/{id}/requests: the new ones).
type DocumentRequests struct {
	Items []DocumentRequest `json:"items"`
}

// RequestItem is one new checklist item.
type RequestItem struct {
	Title string `json:"title"`
	Due   string `json:"due,omitempty"` // "YYYY-MM-DD": today or later
	Note  string `json:"note,omitempty"`
}

// RequestsInput adds several items at once (POST /api/v1/cases/{id}/requests).
type RequestsInput struct {
	Items []RequestItem `json:"items"`
}

// RequestChange changes an item (PATCH /api/v1/requests/{id}): fields left
// out keep their value, "due": "" takes the due day away; "state":
// "cancelled", sent alone, cancels the item.
type RequestChange struct {
	Title *string `json:"title,omitempty"`
	Due   *string `json:"due,omitempty"`
	Note  *string `json:"note,omitempty"`
	State *string `json:"state,omitempty"`
}

// ReturnInput returns what the client sent (POST /api/v1/requests/{id}/return).
type ReturnInput struct {
	Reason string `json:"reason"`
}
