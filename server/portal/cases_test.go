package portal

import (
	"net/http"
	"testing"
)

// TestCaseRouteNeedsID: a case route must name its case as {id}, or the
// guard would have no case to check.
func TestCaseRouteNeedsID(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("caseRoute took a pattern without {id}")
		}
	}()
	(&Portal{}).caseRoute(http.NewServeMux(), "GET /cases/history", func(w http.ResponseWriter, cr *caseRequest) {})
}
