package apiclient

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	} {
		if got := retryAfter(tt.header, now); got != tt.want {
			t.Errorf("Retry-After %q: %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestPath(t *testing.T) {
	if got := path("/api/v1/cases/{id}/statuses/{entry}", 12, 3); got != "/api/v1/cases/12/statuses/3" {
		t.Errorf("path = %q", got)
	}
	if got := path("/api/v1/me"); got != "/api/v1/me" {
		t.Errorf("path = %q", got)
	}
}
