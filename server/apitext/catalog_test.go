package apitext_test

import (
	"path/filepath"
	"testing"

	"clientportal/server/apitext/apitexttest"
)

// TestEveryTextTranslated: every text of the service (the module's code
// outside the control panel, app/, which has its own catalog) has its
// Spanish, with the same placeholders, and the catalog holds no text the
// code no longer uses.
func TestEveryTextTranslated(t *testing.T) {
	root := filepath.Join("..", "..")
	used := apitexttest.Find(t, root, func(dir string) bool {
		return dir == filepath.Join(root, "app") || dir == filepath.Join(root, "frontend")
	})
	if len(used) < 100 {
		t.Fatalf("found only %d texts in the code: the search is broken", len(used))
	}
	apitexttest.Check(t, used, "locales")
}
