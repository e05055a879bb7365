package app

import (
	"os"
	"testing"
)

// TestMain removes the desktop binary the window tests share once they
// have all run.
func TestMain(m *testing.M) {
	code := m.Run()
	if desktopBuild.dir != "" {
		os.RemoveAll(desktopBuild.dir)
	}
	os.Exit(code)
}
