package app

import (
	"testing"

	"clientportal/server/apitext/apitexttest"
)

// TestEveryAppTextTranslated: every text of the control panel's Go side has
// its Spanish in locales/es.json, with the same placeholders (and every
// plural form Spanish has), and the catalog holds nothing the code no
// longer says.
func TestEveryAppTextTranslated(t *testing.T) {
	used := apitexttest.Find(t, ".", nil)
	if len(used) < 100 {
		t.Fatalf("found only %d texts in app/: the search is broken", len(used))
	}
	apitexttest.Check(t, used, "locales")
	if loadTexts() == nil {
		t.Error("the catalog does not load")
	}
}
