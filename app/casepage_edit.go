package app

import (
	"context"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// OutgoingMessage is a note or portal message with attachments: Documents
// are ids of the case's documents (uploaded first with Documents.Upload).
// A portal message shares the documents it carries with the case's clients.
type OutgoingMessage struct {
	Body       string   `json:"body"`
	Visibility string   `json:"visibility"` // "portal" or "internal"
	Documents  []uint64 `json:"documents"`
}

// CorrectStatus replaces a wrong entry of the history; the original stays
// in the record, marked, and clients see the correction.
func (p *CasePage) CorrectStatus(caseID, entryID uint64, in StatusInput) (HistoryEntry, error) {
	var out HistoryEntry
	err := p.link.call(apitext.New("doing.correct_entry", "correct the entry"), func(ctx context.Context, c *apiclient.Client) error {
		e, err := c.CorrectStatusEntry(ctx, caseID, entryID, api.StatusEntryInput{Date: strings.TrimSpace(in.Date), Status: in.Status, Info: strings.TrimSpace(in.Info)})
		out = historyEntry(e)
		return err
	})
	return out, err
}

// WithdrawStatus withdraws an entry made by mistake, with the reason (for
// staff: clients no longer see the entry).
func (p *CasePage) WithdrawStatus(caseID, entryID uint64, reason string) (HistoryEntry, error) {
	var out HistoryEntry
	err := p.link.call(apitext.New("doing.withdraw_entry", "withdraw the entry"), func(ctx context.Context, c *apiclient.Client) error {
		e, err := c.WithdrawStatusEntry(ctx, caseID, entryID, strings.TrimSpace(reason))
		out = historyEntry(e)
		return err
	})
	return out, err
}

// SendMessage posts a note or portal message carrying documents.
func (p *CasePage) SendMessage(caseID uint64, m OutgoingMessage) (Message, error) {
	var out Message
	err := p.link.call(apitext.New("doing.send_message", "send the message"), func(ctx context.Context, c *apiclient.Client) error {
		msg, err := c.PostMessage(ctx, caseID, api.MessageInput{Body: m.Body, Visibility: m.Visibility, Documents: m.Documents,
			ShareDocuments: m.Visibility == "portal" && len(m.Documents) > 0})
		out = message(msg)
		return err
	})
	return out, err
}
