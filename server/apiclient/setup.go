package apiclient

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"clientportal/server/api"
)

// Setup creates the office's first administrator with the setup code from
// the service's data folder (POST /api/v1/setup). The service accepts it
// only from its own computer, and only while the office has no staff.
func (c *Client) Setup(ctx context.Context, in api.SetupRequest) (api.Staff, error) {
	var out api.Staff
	return out, c.call(ctx, http.MethodPost, api.PathSetup, nil, in, &out)
}

// Healthy asks GET /healthz: nil when the service answers 200 (its store
// is open and it can serve).
func (c *Client) Healthy(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("GET /healthz: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("GET /healthz: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /healthz: the service answered %s", resp.Status)
	}
	return nil
}
