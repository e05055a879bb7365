package app

import (
	"go/build/constraint"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDesktopFollowsWails checks that Desktop is true exactly when Wails
// builds a real window: Wails' "missing build tags" stand-in
// (internal/app/app_default_*.go of the pinned version) is compiled
// precisely when available_nodesktop.go is, for every tag set and OS.
func TestDesktopFollowsWails(t *testing.T) {
	wailsDir := wailsModuleDir(t)
	stand := map[string]constraint.Expr{}
	for _, goos := range []string{"unix", "windows"} {
		stand[goos] = buildLine(t, filepath.Join(wailsDir, "internal", "app", "app_default_"+goos+".go"))
	}
	mine := buildLine(t, "available_nodesktop.go")
	desktop := buildLine(t, "available_desktop.go")
	for _, goos := range []string{"linux", "darwin", "windows"} {
		for _, tags := range [][]string{nil, {"desktop"}, {"production"}, {"desktop", "production"}, {"dev"}, {"bindings"}, {"debug"}, {"production", "devtools"}} {
			has := func(tag string) bool {
				if tag == goos || tag == "unix" && goos != "windows" {
					return true
				}
				for _, t := range tags {
					if t == tag {
						return true
					}
				}
				return false
			}
			standIn := stand["unix"].Eval(has) || stand["windows"].Eval(has)
			if mine.Eval(has) != standIn || desktop.Eval(has) == standIn {
				t.Errorf("GOOS=%s tags %v: Wails stand-in compiled %v, but available_nodesktop %v, available_desktop %v",
					goos, tags, standIn, mine.Eval(has), desktop.Eval(has))
			}
		}
	}
}

func buildLine(t *testing.T, path string) constraint.Expr {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if constraint.IsGoBuild(line) {
			e, err := constraint.Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
	}
	t.Fatalf("%s has no //go:build line", path)
	return nil
}

// wailsModuleDir finds the pinned Wails module's source.
func wailsModuleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/wailsapp/wails/v2").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Fatalf("find the Wails module with go list: %v", err)
	}
	return dir
}
