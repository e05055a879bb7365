//go:build !dev && !production && !bindings && (linux || darwin)

package app

import (
	"testing"
	"testing/fstest"
)

// Without the desktop build tags Run must not open anything: Wails reports
// the missing tags, which is what keeps `go test ./...` free of GTK.
func TestRunWithoutDesktopTags(t *testing.T) {
	if err := Run(fstest.MapFS{}, "dev"); err == nil {
		t.Fatal("Run without build tags returned nil, want the missing-tags error")
	}
}
