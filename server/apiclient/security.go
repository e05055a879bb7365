package apiclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"clientportal/server/api"
)

// AuditTrail selects one trail for AuditCSV: a case's or a client's.
type AuditTrail struct {
	Case   uint64
	Client uint64
}

// AuditCSV downloads a case's or a client's audit trail as CSV, oldest first.
func (c *Client) AuditCSV(ctx context.Context, t AuditTrail) ([]byte, error) {
	v := url.Values{}
	if t.Case != 0 {
		v.Set("case", strconv.FormatUint(t.Case, 10))
	}
	if t.Client != 0 {
		v.Set("client", strconv.FormatUint(t.Client, 10))
	}
	return c.getRaw(ctx, api.PathAuditCSV, v)
}

// getRaw reads a GET answer that is not JSON (CSV, HTML, images).
func (c *Client) getRaw(ctx context.Context, p string, query url.Values) ([]byte, error) {
	target := c.base + p
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", p, err)
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", p, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: read the answer: %w", p, err)
	}
	if resp.StatusCode >= 300 {
		return nil, decodeError(resp, data)
	}
	if len(data) > maxAnswer {
		return nil, fmt.Errorf("GET %s: the answer is larger than %d MiB", p, maxAnswer>>20)
	}
	return data, nil
}
