package apiclient

import (
	"context"
	"net/http"

	"clientportal/server/api"
)

// Requests lists the case's checklist (document requests), cancelled items
// included, in the order they were added.
func (c *Client) Requests(ctx context.Context, caseID uint64) ([]api.DocumentRequest, error) {
	var out api.DocumentRequests
	return out.Items, c.call(ctx, http.MethodGet, path(api.PathCaseRequests, caseID), nil, nil, &out)
}

// AddRequests adds several items to the case's checklist at once.
func (c *Client) AddRequests(ctx context.Context, caseID uint64, items ...api.RequestItem) ([]api.DocumentRequest, error) {
	var out api.DocumentRequests
	return out.Items, c.call(ctx, http.MethodPost, path(api.PathCaseRequests, caseID), nil, api.RequestsInput{Items: items}, &out)
}

// UpdateRequest changes an item's title, due day or note, or cancels it
// (State "cancelled", alone).
func (c *Client) UpdateRequest(ctx context.Context, id uint64, in api.RequestChange) (api.DocumentRequest, error) {
	var out api.DocumentRequest
	return out, c.call(ctx, http.MethodPatch, path(api.PathRequest, id), nil, in, &out)
}

// CancelRequest cancels an item (UpdateRequest with state "cancelled").
func (c *Client) CancelRequest(ctx context.Context, id uint64) (api.DocumentRequest, error) {
	cancelled := "cancelled"
	return c.UpdateRequest(ctx, id, api.RequestChange{State: &cancelled})
}

// AcceptRequest accepts what the client sent for an item.
func (c *Client) AcceptRequest(ctx context.Context, id uint64) (api.DocumentRequest, error) {
	var out api.DocumentRequest
	return out, c.call(ctx, http.MethodPost, path(api.PathRequestAccept, id), nil, nil, &out)
}

// ReturnRequest returns what the client sent, with the reason the client reads.
func (c *Client) ReturnRequest(ctx context.Context, id uint64, reason string) (api.DocumentRequest, error) {
	var out api.DocumentRequest
	return out, c.call(ctx, http.MethodPost, path(api.PathRequestReturn, id), nil, api.ReturnInput{Reason: reason}, &out)
}
