package api

import "time"

// Dashboard is what the control panel's dashboard shows (GET
// /api/v1/dashboard?weeks=N): who is online, what waits for staff, and the
// clients' activity of the last weeks.
type Dashboard struct {
	// ClientsOnline is the number of distinct clients with a portal page
	// open now (live connections), not the number of pages.
	ClientsOnline int `json:"clients_online"`
	// Messages are the client messages no staff member has read; Uploads
	// the client uploads waiting for staff: checklist items submitted and
	// not yet accepted or returned, and documents sent outside the checklist
	// that no staff member has opened. Each lists at most the
	// DashboardListLimit newest, with the total.
	Messages WaitingMessages `json:"messages"`
	Uploads  WaitingUploads  `json:"uploads"`
	// OutboxFailed is the number of outbox emails whose last try failed.
	OutboxFailed int `json:"outbox_failed"`
	// Activity is one entry per week, oldest first, the last being the
	// current week.
	Activity []ActivityWeek `json:"activity"`
}

// DashboardListLimit is the most entries a dashboard list holds.
const DashboardListLimit = 20

// Dashboard weeks: the default and the most ?weeks= may ask for.
const (
	DashboardWeeks    = 12
	DashboardMaxWeeks = 52
)

// WaitingMessages are the newest unread client messages and their total.
type WaitingMessages struct {
	Total int              `json:"total"`
	Items []WaitingMessage `json:"items"`
}

// WaitingMessage is one client message no staff member has read.
type WaitingMessage struct {
	ID         uint64    `json:"id"`
	CaseID     uint64    `json:"case_id"`
	CaseNumber string    `json:"case_number"`
	CaseTitle  string    `json:"case_title"`
	AuthorName string    `json:"author_name"`
	Created    time.Time `json:"created"`
	// Excerpt is the message's beginning, at most 140 characters.
	Excerpt string `json:"excerpt"`
}

// WaitingUploads are the newest client uploads waiting for staff and their
// total.
type WaitingUploads struct {
	Total int             `json:"total"`
	Items []WaitingUpload `json:"items"`
}

// Kinds of a waiting upload (WaitingUpload.Kind).
const (
	UploadRequest  = "request"  // a checklist item submitted (ID: the request)
	UploadDocument = "document" // a document sent outside the checklist (ID: the document)
)

// WaitingUpload is one client upload waiting for staff.
type WaitingUpload struct {
	Kind       string `json:"kind"`
	ID         uint64 `json:"id"`
	CaseID     uint64 `json:"case_id"`
	CaseNumber string `json:"case_number"`
	CaseTitle  string `json:"case_title"`
	// Title is the checklist item's title or the document's file name.
	Title string    `json:"title"`
	At    time.Time `json:"at"`
	// Files is how many documents the submission holds (1 for a document).
	Files int `json:"files"`
}

// ActivityWeek is what clients did in one week (Monday to Sunday, UTC
// days): successful sign-ins, messages posted and files uploaded.
type ActivityWeek struct {
	Week     string `json:"week"` // its Monday, YYYY-MM-DD
	SignIns  int    `json:"sign_ins"`
	Messages int    `json:"messages"`
	Uploads  int    `json:"uploads"`
}
