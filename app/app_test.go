package app

import (
	"testing"
	"testing/fstest"
)

func TestVersion(t *testing.T) {
	if got := NewApp("v1.2.3").Version(); got != "v1.2.3" {
		t.Fatalf("Version() = %q, want %q", got, "v1.2.3")
	}
}

func TestOptions(t *testing.T) {
	assets := fstest.MapFS{"index.html": {Data: []byte("<h1>clientportal</h1>")}}
	a := NewApp("dev")
	o := newOptions(assets, a)

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
	if len(o.Bind) != 1 || o.Bind[0] != a {
		t.Errorf("Bind = %v, want only the App", o.Bind)
	}
}
