package app

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestVersion(t *testing.T) {
	if got := New("v1.2.3").App.Version(); got != "v1.2.3" {
		t.Fatalf("Version() = %q, want %q", got, "v1.2.3")
	}
}

func TestOptions(t *testing.T) {
	assets := fstest.MapFS{"index.html": {Data: []byte("<h1>clientportal</h1>")}}
	p := New("dev")
	o := newOptions(assets, p)

	if o.Title != "clientportal control panel" {
		t.Errorf("Title = %q", o.Title)
	}
	if o.Width != 1024 || o.Height != 720 {
		t.Errorf("size = %dx%d, want 1024x720", o.Width, o.Height)
	}
	if o.MinWidth != 360 || o.MinHeight != 480 {
		t.Errorf("minimum size = %dx%d, want 360x480", o.MinWidth, o.MinHeight)
	}
	if o.AssetServer == nil || o.AssetServer.Assets == nil {
		t.Fatal("no assets served")
	}
	if _, err := o.AssetServer.Assets.Open("index.html"); err != nil {
		t.Errorf("assets root is not the dist folder: %v", err)
	}
	want := []any{p.App, p.Session, p.Cases, p.CasePage,
		p.Clients, p.Invitations, p.Wizard,
		p.Notifications, p.Dashboard,
		p.Settings, p.StaffAccounts, p.Security,
		p.Documents, p.Requests, p.Appointments, p.Language}
	if len(o.Bind) != len(want) {
		t.Fatalf("Bind = %v, want the App and one struct per screen", o.Bind)
	}
	for i := range want {
		if o.Bind[i] != want[i] {
			t.Errorf("Bind[%d] = %T, want %T", i, o.Bind[i], want[i])
		}
	}
	// A refusal naming a field reaches the window with its field.
	if o.ErrorFormatter == nil {
		t.Error("no ErrorFormatter: refusals would reach the forms without their field")
	}
}

// TestOptionsFrontendNotBuilt: a binary built before its frontend shows how
// to build it, not an empty window.
func TestOptionsFrontendNotBuilt(t *testing.T) {
	placeholder := fstest.MapFS{".placeholder": {Data: []byte("keeps the folder")}}
	o := newOptions(placeholder, New("dev"))
	b, err := fs.ReadFile(o.AssetServer.Assets, "index.html")
	if err != nil {
		t.Fatalf("no page served: %v", err)
	}
	for _, want := range []string{"built without its user interface", "npm ci &amp;&amp; npm run build", "wails build"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the not-built page does not say %q:\n%s", want, b)
		}
	}
}
