package app

import (
	"context"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// CasePage is bound to the frontend as window.go.app.CasePage: one case's
// status and history, messages and appointments.
type CasePage struct {
	link *link
}

// StatusOption is a status staff may set (the office's list, without the
// retired ones).
type StatusOption struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// HistoryEntry is one entry of a case's status history.
type HistoryEntry struct {
	ID      uint64 `json:"id"`
	Date    string `json:"date"` // YYYY-MM-DD
	Status  string `json:"status"`
	Name    string `json:"name"`
	Info    string `json:"info"`
	SetBy   string `json:"setBy"`
	Created string `json:"created"` // RFC 3339
	// Active false: corrected (SupersededBy names the correction) or
	// withdrawn (WithdrawnReason says why); clients no longer see it.
	Active          bool   `json:"active"`
	Corrects        uint64 `json:"corrects"`
	SupersededBy    uint64 `json:"supersededBy"`
	WithdrawnBy     string `json:"withdrawnBy"`
	WithdrawnReason string `json:"withdrawnReason"`
}

// StatusInput is a new status entry: Date YYYY-MM-DD ("" for today).
type StatusInput struct {
	Status string `json:"status"`
	Date   string `json:"date"`
	Info   string `json:"info"`
}

// Message is a case's note or portal message.
type Message struct {
	ID         uint64 `json:"id"`
	AuthorKind string `json:"authorKind"` // "staff" or "client"
	AuthorName string `json:"authorName"`
	Created    string `json:"created"` // RFC 3339
	Body       string `json:"body"`    // plain text
	Visibility string `json:"visibility"`
	// Read: a client read this staff message, or a staff member read
	// this client message (ReadAt, RFC 3339).
	Read   bool   `json:"read"`
	ReadAt string `json:"readAt"`
	// Documents are the message's attachments, in the order attached.
	Documents []Document `json:"documents"`
}

// MessagePage is a page of a case's messages, newest first. Next, when not
// 0, is the before of the page of older ones; Unread counts the client
// messages no staff member has read.
type MessagePage struct {
	Items  []Message `json:"items"`
	Next   uint64    `json:"next"`
	Unread int       `json:"unread"`
}

// Appointment is one of a case's appointments.
type Appointment struct {
	ID        uint64 `json:"id"`
	Title     string `json:"title"`
	Start     string `json:"start"` // RFC 3339
	End       string `json:"end"`
	Place     string `json:"place"`
	Link      string `json:"link"`
	Note      string `json:"note"`
	Portal    bool   `json:"portal"`    // the clients see it
	Cancelled string `json:"cancelled"` // when it was cancelled, "" while it stands
	// LocalStart and LocalEnd are Start and End as wall-clock times
	// ("YYYY-MM-DDTHH:MM") in the office's time zone Zone, as the
	// appointment form edits them.
	LocalStart string `json:"localStart"`
	LocalEnd   string `json:"localEnd"`
	Zone       string `json:"zone"`
}

// Statuses lists the statuses staff may set, named in language ("en" or
// "es"; English when the status has no name in it).
func (p *CasePage) Statuses(language string) ([]StatusOption, error) {
	var out []StatusOption
	err := p.link.call(apitext.New("doing.read_status_list", "read the status list"), func(ctx context.Context, c *apiclient.Client) error {
		list, err := c.Statuses(ctx)
		if err != nil {
			return err
		}
		out = []StatusOption{}
		for _, s := range list.Items {
			if s.Retired {
				continue
			}
			name := s.Names[language]
			if name == "" {
				name = s.Names["en"]
			}
			if name == "" {
				name = s.ID
			}
			out = append(out, StatusOption{ID: s.ID, Name: name})
		}
		return nil
	})
	return out, err
}

// History is the case's status history, newest first, corrected and
// withdrawn entries included (marked).
func (p *CasePage) History(caseID uint64) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := p.link.call(apitext.New("doing.read_status_history", "read the status history"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.StatusEntries(ctx, caseID)
		out = make([]HistoryEntry, 0, len(page.Items))
		for _, e := range page.Items {
			out = append(out, historyEntry(e))
		}
		return err
	})
	return out, err
}

// SetStatus adds an entry to the case's status history: it becomes the
// current status unless an entry of a later date stands.
func (p *CasePage) SetStatus(caseID uint64, in StatusInput) (HistoryEntry, error) {
	var out HistoryEntry
	err := p.link.call(apitext.New("doing.set_status", "set the status"), func(ctx context.Context, c *apiclient.Client) error {
		e, err := c.AddStatusEntry(ctx, caseID, api.StatusEntryInput{Date: strings.TrimSpace(in.Date), Status: in.Status, Info: strings.TrimSpace(in.Info)})
		out = historyEntry(e)
		return err
	})
	return out, err
}

// Messages reads a page of the case's notes and messages, newest first:
// before is the Next of the page before (0: the newest); limit 0 is 20.
// Reading marks nothing read.
func (p *CasePage) Messages(caseID, before uint64, limit int) (MessagePage, error) {
	if limit <= 0 {
		limit = 20
	}
	var out MessagePage
	err := p.link.call(apitext.New("doing.read_messages", "read the messages"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.Messages(ctx, caseID, apiclient.MessagesOptions{Before: before, Limit: limit})
		if err != nil {
			return err
		}
		out = MessagePage{Items: make([]Message, 0, len(page.Items)), Next: page.Next, Unread: page.Unread}
		for _, m := range page.Items {
			out.Items = append(out.Items, message(m))
		}
		return nil
	})
	return out, err
}

// PostMessage adds a portal message to the case's clients (visibility
// "portal") or a note only staff see ("internal").
func (p *CasePage) PostMessage(caseID uint64, body, visibility string) (Message, error) {
	var out Message
	err := p.link.call(apitext.New("doing.send_message", "send the message"), func(ctx context.Context, c *apiclient.Client) error {
		m, err := c.PostMessage(ctx, caseID, api.MessageInput{Body: body, Visibility: visibility})
		out = message(m)
		return err
	})
	return out, err
}

// MarkRead marks the case's client messages read and says how many were
// new.
func (p *CasePage) MarkRead(caseID uint64) (int, error) {
	var n int
	err := p.link.call(apitext.New("doing.mark_messages_read", "mark the messages read"), func(ctx context.Context, c *apiclient.Client) error {
		var err error
		n, err = c.MarkMessagesRead(ctx, caseID, 0)
		return err
	})
	return n, err
}

// Appointments lists the case's appointments, staff-only ones included,
// earliest first.
func (p *CasePage) Appointments(caseID uint64) ([]Appointment, error) {
	var out []Appointment
	err := p.link.call(apitext.New("doing.read_appointments", "read the appointments"), func(ctx context.Context, c *apiclient.Client) error {
		loc, err := officeZone(ctx, c)
		if err != nil {
			return err
		}
		page, err := c.Appointments(ctx, caseID)
		out = make([]Appointment, 0, len(page.Items))
		for _, a := range page.Items {
			out = append(out, appointment(a, loc))
		}
		return err
	})
	return out, err
}

func historyEntry(e api.StatusEntry) HistoryEntry {
	h := HistoryEntry{ID: e.ID, Date: e.Date, Status: e.Status, Name: e.StatusName, Info: e.Info, SetBy: e.SetByName,
		Created: stamp(e.Created), Active: e.Active, Corrects: e.Corrects, SupersededBy: e.SupersededBy}
	if e.Withdrawn != nil {
		h.WithdrawnBy, h.WithdrawnReason = e.Withdrawn.ByName, e.Withdrawn.Reason
	}
	return h
}

func message(m api.Message) Message {
	out := Message{ID: m.ID, AuthorKind: m.AuthorKind, AuthorName: m.AuthorName, Created: stamp(m.Created), Body: m.Body, Visibility: m.Visibility,
		Documents: documents(m.Documents)}
	switch {
	case m.AuthorKind == "client" && m.ReadByStaffAt != nil:
		out.Read, out.ReadAt = true, stamp(*m.ReadByStaffAt)
	case m.AuthorKind == "staff" && m.ReadByClientAt != nil:
		out.Read, out.ReadAt = true, stamp(*m.ReadByClientAt)
	}
	return out
}
