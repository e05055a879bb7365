package apiclient

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"clientportal/server/api"
)

// Dashboard reads what the dashboard shows, with the clients' activity of
// the last weeks weeks (0: the service's default, api.DashboardWeeks).
func (c *Client) Dashboard(ctx context.Context, weeks int) (api.Dashboard, error) {
	var q url.Values
	if weeks != 0 {
		q = url.Values{"weeks": {strconv.Itoa(weeks)}}
	}
	var out api.Dashboard
	return out, c.call(ctx, http.MethodGet, api.PathDashboard, q, nil, &out)
}
