package api

import "time"

// Message is a case note as staff see it: an internal note or a portal
// message (from staff to the case's clients, or from a client), with its
// read state both ways.
type Message struct {
	ID         uint64    `json:"id"`
	CaseID     uint64    `json:"case_id"`
	AuthorKind string    `json:"author_kind"` // "staff" or "client"
	AuthorID   uint64    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Created    time.Time `json:"created"`
	Body       string    `json:"body"`       // plain text, never HTML
	Visibility string    `json:"visibility"` // "portal" or "internal"
	ToStaffID  uint64    `json:"to_staff_id,omitempty"`
	// ReadByClientAt: when a client of the case first read this staff
	// message; ReadByStaffAt: when a staff member first read this client
	// message. Absent while unread.
	ReadByClientAt *time.Time `json:"read_by_client_at,omitempty"`
	ReadByClientID uint64     `json:"read_by_client_id,omitempty"`
	ReadByStaffAt  *time.Time `json:"read_by_staff_at,omitempty"`
	ReadByStaffID  uint64     `json:"read_by_staff_id,omitempty"`
	// Documents are the documents the message carries (its attachments),
	// in the order attached; each one's content is at PathDocumentContent.
	Documents []Document `json:"documents,omitempty"`
}

// Messages is a page of a case's messages, newest first. Next, when not 0,
// is the `before` of the page of older ones. Unread counts the case's client
// messages no staff member has read yet.
type Messages struct {
	Items  []Message `json:"items"`
	Next   uint64    `json:"next,omitempty"`
	Unread int       `json:"unread"`
}

// MessageInput is a new note or message (POST /api/v1/cases/{id}/messages).
type MessageInput struct {
	Body       string `json:"body"`
	Visibility string `json:"visibility"` // "portal" or "internal"
	// Documents are ids of the case's documents the message carries (at
	// most 20). A portal message carries only documents shared with the
	// case's clients, unless ShareDocuments is true: then sending it shares
	// them.
	Documents      []uint64 `json:"documents,omitempty"`
	ShareDocuments bool     `json:"share_documents,omitempty"`
}

// MessagesReadInput marks the case's client messages read
// (POST /api/v1/cases/{id}/messages/read): those up to UpTo, or all (0).
type MessagesReadInput struct {
	UpTo uint64 `json:"up_to,omitempty"`
}

// MessagesRead says how many client messages were newly marked read.
type MessagesRead struct {
	Marked int `json:"marked"`
}

// Event is one item of a live stream's frame (GET /api/v1/events, GET /live):
// every frame is a JSON array of them. Type "ready" (first frame, after the
// catch-up) and "reload" (the log no longer holds what was missed: read the
// lists again) carry in ID the event ID to resume from with ?after=; other
// types are events of the event log (message.created, message.read,
// status.added, ...). Clients are the clients who may see it (staff stream
// only).
type Event struct {
	ID        uint64    `json:"id"`
	Type      string    `json:"type"`
	CaseID    uint64    `json:"case,omitempty"`
	Ref       uint64    `json:"ref,omitempty"`
	At        time.Time `json:"at,omitzero"`
	ClientIDs []uint64  `json:"clients,omitempty"`
	StaffOnly bool      `json:"staff_only,omitempty"`
}
