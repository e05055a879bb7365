package app

import (
	"os"
	"testing"
)

// TestMain keeps the tests away from this user's own control panel
// settings (a test that needs a folder of its own sets XDG_CONFIG_HOME
// again), and removes the desktop binary the window tests share once they
// have all run.
func TestMain(m *testing.M) {
	config, err := os.MkdirTemp("", "clientportal-app-test-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", config)
	code := m.Run()
	os.RemoveAll(config)
	if desktopBuild.dir != "" {
		os.RemoveAll(desktopBuild.dir)
	}
	os.Exit(code)
}
