// Package app is the control panel's Go side: it opens the Wails desktop
// window that serves the embedded frontend, and holds the structs bound to
// that frontend (callable from JavaScript as window.go.app.<Struct>.<Method>).
// It knows the portal service only through its staff API (server/apiclient).
//
// The package builds without cgo and without build tags, so `go vet` and
// `go test` need no GTK or WebKit; only the desktop binary
// (`go build -tags desktop,production`) opens a real window.
package app

import (
	"context"
	"io/fs"
	"net/http"
	"sync"

	"clientportal/server/apiclient"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// Window geometry of the control panel.
const (
	title     = "clientportal control panel"
	width     = 1024
	height    = 720
	minWidth  = 360
	minHeight = 480
)

// App is bound to the frontend as window.go.app.App. It holds the staff API
// client of the connected service; the session token never leaves it.
type App struct {
	version string
	http    *http.Client // nil: a client with callTimeout (tests set their own)

	mu     sync.Mutex
	ctx    context.Context // the window's lifetime, from OnStartup
	client *apiclient.Client
}

// NewApp returns the bound App reporting the given build version.
func NewApp(version string) *App {
	return &App{version: version}
}

// Version returns the version of the running binary.
func (a *App) Version() string {
	return a.version
}

// Run opens the control panel window serving assets (the root of the built
// frontend, the folder holding index.html) and blocks until it is closed.
// In a binary built without the desktop build tags it returns an error
// saying that the tags are missing.
func Run(assets fs.FS, version string) error {
	return wails.Run(newOptions(assets, NewApp(version)))
}

// newOptions describes the control panel window.
func newOptions(assets fs.FS, a *App) *options.App {
	return &options.App{
		Title:            title,
		Width:            width,
		Height:           height,
		MinWidth:         minWidth,
		MinHeight:        minHeight,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 0xf6, G: 0xf7, B: 0xf9, A: 0xff},
		Bind:             []any{a},
		OnStartup:        a.startup,
		Linux:            &linux.Options{ProgramName: "clientportal"},
	}
}
