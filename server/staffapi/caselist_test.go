package staffapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// TestCaseListParams: the case list's sort=, order= and waiting= as a
// browser or script may send them: a value outside the list is 422 naming
// the field and saying what it takes; without a session it is 401 (the
// access walk covers the route for clients and staff).
func TestCaseListParams(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	for _, tc := range []struct {
		query  string
		status int
		field  string
	}{
		{"sort=activity", http.StatusOK, ""},
		{"sort=client&order=desc&waiting=true&unread=false", http.StatusOK, ""},
		{"sort=number&order=asc&status=received&advocate=2&q=ram", http.StatusOK, ""},
		{"waiting=false", http.StatusOK, ""},
		{"sort=title", http.StatusUnprocessableEntity, "sort"},
		{"sort=ACTIVITY", http.StatusUnprocessableEntity, "sort"},
		{"sort=client&order=sideways", http.StatusUnprocessableEntity, "order"},
		{"order=asc", http.StatusUnprocessableEntity, "order"},
		{"waiting=yes", http.StatusUnprocessableEntity, "waiting"},
		{"waiting=1", http.StatusUnprocessableEntity, "waiting"},
		{"sort=status&after=424242", http.StatusUnprocessableEntity, "after"},
		{"sort=client&limit=0", http.StatusBadRequest, "limit"},
	} {
		status, body := staff.do("GET", "/api/v1/cases?"+tc.query, nil)
		if status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.query, status, body, tc.status)
			continue
		}
		if tc.field == "" {
			var page api.Page[api.Case]
			if err := json.Unmarshal(body, &page); err != nil {
				t.Errorf("%s: %v", tc.query, err)
			}
			continue
		}
		var e api.Error
		if err := json.Unmarshal(body, &e); err != nil || e.Field != tc.field || e.Message == "" {
			t.Errorf("%s: %s, want an error naming %s", tc.query, body, tc.field)
		}
	}
	client := caller{t: t, env: env}
	if status, _ := client.do("GET", "/api/v1/cases?sort=client&waiting=true", nil); status != http.StatusUnauthorized {
		t.Errorf("without a session: %d, want 401", status)
	}
}
