package app

import (
	"context"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// Requests is bound to the frontend as window.go.app.Requests: a case's
// document checklist (what the office asks the client for).
type Requests struct {
	link *link
}

// RequestItem is an item of the checklist. State is "requested",
// "submitted" (DocumentIDs: what the client sent), "accepted", "returned"
// (Reason: why, the client reads it) or "cancelled".
type RequestItem struct {
	ID                 uint64   `json:"id"`
	Title              string   `json:"title"`
	Due                string   `json:"due"` // YYYY-MM-DD or ""
	Note               string   `json:"note"`
	State              string   `json:"state"`
	DocumentIDs        []uint64 `json:"documentIds"`
	EarlierDocumentIDs []uint64 `json:"earlierDocumentIds"`
	Reason             string   `json:"reason"`
	Submitted          string   `json:"submitted"` // RFC 3339, "" before the client sent anything
	Overdue            bool     `json:"overdue"`
	Created            string   `json:"created"`
	Updated            string   `json:"updated"`
}

// NewRequest is an item to ask for: Due YYYY-MM-DD ("" for none).
type NewRequest struct {
	Title string `json:"title"`
	Due   string `json:"due"`
	Note  string `json:"note"`
}

// List is the case's checklist in the order the items were added,
// cancelled ones included.
func (r *Requests) List(caseID uint64) ([]RequestItem, error) {
	var out []RequestItem
	err := r.link.call(apitext.New("doing.read_checklist", "read the checklist"), func(ctx context.Context, c *apiclient.Client) error {
		list, err := c.Requests(ctx, caseID)
		out = requestItems(list)
		return err
	})
	return out, err
}

// Add asks the client for several documents at once; nothing is added when
// one item is refused.
func (r *Requests) Add(caseID uint64, items []NewRequest) ([]RequestItem, error) {
	in := make([]api.RequestItem, 0, len(items))
	for _, it := range items {
		in = append(in, api.RequestItem{Title: strings.TrimSpace(it.Title), Due: strings.TrimSpace(it.Due), Note: strings.TrimSpace(it.Note)})
	}
	var out []RequestItem
	err := r.link.call(apitext.New("doing.add_checklist", "add to the checklist"), func(ctx context.Context, c *apiclient.Client) error {
		list, err := c.AddRequests(ctx, caseID, in...)
		out = requestItems(list)
		return err
	})
	return out, err
}

// Accept accepts what the client sent for an item.
func (r *Requests) Accept(id uint64) (RequestItem, error) {
	return r.one(apitext.New("doing.accept_item", "accept the item"), func(ctx context.Context, c *apiclient.Client) (api.DocumentRequest, error) {
		return c.AcceptRequest(ctx, id)
	})
}

// Return returns what the client sent, with the reason the client reads;
// the client can send again.
func (r *Requests) Return(id uint64, reason string) (RequestItem, error) {
	return r.one(apitext.New("doing.return_item", "return the item"), func(ctx context.Context, c *apiclient.Client) (api.DocumentRequest, error) {
		return c.ReturnRequest(ctx, id, strings.TrimSpace(reason))
	})
}

// Cancel takes an item off the client's checklist.
func (r *Requests) Cancel(id uint64) (RequestItem, error) {
	return r.one(apitext.New("doing.cancel_item", "cancel the item"), func(ctx context.Context, c *apiclient.Client) (api.DocumentRequest, error) {
		return c.CancelRequest(ctx, id)
	})
}

func (r *Requests) one(doing apitext.Text, fn func(ctx context.Context, c *apiclient.Client) (api.DocumentRequest, error)) (RequestItem, error) {
	var out RequestItem
	err := r.link.call(doing, func(ctx context.Context, c *apiclient.Client) error {
		it, err := fn(ctx, c)
		out = requestItem(it)
		return err
	})
	return out, err
}

func requestItem(r api.DocumentRequest) RequestItem {
	out := RequestItem{ID: r.ID, Title: r.Title, Due: r.Due, Note: r.Note, State: r.State,
		DocumentIDs: append([]uint64{}, r.DocumentIDs...), EarlierDocumentIDs: append([]uint64{}, r.EarlierDocumentIDs...),
		Reason: r.Reason, Overdue: r.Overdue, Created: stamp(r.Created), Updated: stamp(r.Updated)}
	if r.Submitted != nil {
		out.Submitted = stamp(*r.Submitted)
	}
	return out
}

func requestItems(list []api.DocumentRequest) []RequestItem {
	out := make([]RequestItem, 0, len(list))
	for _, r := range list {
		out = append(out, requestItem(r))
	}
	return out
}
