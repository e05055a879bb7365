// Package app is the control panel's Go side: it opens the Wails desktop
// window that serves the embedded frontend, and holds the structs bound to
// that frontend, one per screen (callable from JavaScript as
// window.go.app.<Struct>.<Method>, typed in frontend/wailsjs):
//
//   - App: the binary's version;
//   - Session: connect and log in, who is logged in, log out;
//   - Cases: the case list (search, pages), read, open and change a case;
//   - CasePage: one case's status, history, messages and appointments;
//   - Clients: the client list, a client's details, access and password;
//   - Invitations: invitations, reset emails, the waiting list, bulk invites;
//   - Wizard: the first run on the office server (wizard.go).
//   - Dashboard: the service's state and control, what waits for staff.
//   - Settings, StaffAccounts: the office's settings and staff (administrators);
//   - Security: a client's second factor, preview as the client, audit trails.
//   - Documents, Requests, Appointments: a case's documents (upload and
//     download with progress), its document checklist, its appointments.
//   - Language: the panel's language (English or Spanish) on this computer.
//
// It knows the portal service only through its staff API (server/apiclient).
// Once logged in it follows the service's staff event stream and forwards
// each event to the frontend (see live.go).
//
// The package builds without cgo and without build tags, so `go vet` and
// `go test` need no GTK or WebKit; only the desktop binary
// (`go build -tags desktop,production`) opens a real window.
package app

import (
	"context"
	"io/fs"
	"net/http"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Window geometry of the control panel.
const (
	title     = "clientportal control panel"
	width     = 1024
	height    = 720
	minWidth  = 360
	minHeight = 480
)

// App is bound to the frontend as window.go.app.App.
type App struct {
	version string
}

// Version returns the version of the running binary.
func (a *App) Version() string {
	return a.version
}

// Panel is the control panel's Go side: the bound structs, sharing one link
// to the service.
type Panel struct {
	App      *App
	Session  *Session
	Cases    *Cases
	CasePage *CasePage
	// The client screens.
	Clients     *Clients
	Invitations *Invitations
	// The first run on the office server.
	Wizard *Wizard
	// Desktop notifications' setting.
	Notifications *Notifications
	// The dashboard.
	Dashboard *Dashboard
	// The settings, and the access panel's security parts.
	Settings      *Settings
	StaffAccounts *StaffAccounts
	Security      *Security
	// A case's page, completed.
	Documents    *Documents
	Requests     *Requests
	Appointments *Appointments
	// The language switch.
	Language *Language

	link *link
}

// New returns the control panel's Go side for a binary of the given
// version. Until the window starts (or a test calls SetEmitter), live events
// are dropped.
func New(version string) *Panel {
	l := newLink()
	l.notes = newNotes(l, defaultSettingsFile())
	l.langs = newLanguages(defaultLanguageFile())
	p := &Panel{
		App:      &App{version: version},
		Session:  newSession(l),
		Cases:    &Cases{link: l},
		CasePage: &CasePage{link: l},
		link:     l,

		Clients:     &Clients{link: l},
		Invitations: &Invitations{link: l},
		Dashboard:   &Dashboard{link: l},

		Notifications: &Notifications{notes: l.notes},

		Settings:      &Settings{link: l},
		StaffAccounts: &StaffAccounts{link: l},
		Security:      &Security{link: l},

		Documents:    &Documents{link: l},
		Requests:     &Requests{link: l},
		Appointments: &Appointments{link: l},
		Language:     &Language{langs: l.langs},
	}
	p.Wizard = newWizard(l, p.Session)
	return p
}

// SetSystem answers the file dialogs and opens links through d instead of
// the window's (tests).
func (p *Panel) SetSystem(d System) { p.link.desk.set(d) }

// SetEmitter sends the live events to e instead of the window.
func (p *Panel) SetEmitter(e Emitter) { p.link.setEmitter(e) }

// SetNotifier shows the desktop notifications through n instead of the
// operating system's.
func (p *Panel) SetNotifier(n Notifier) { p.link.notes.setNotifier(n) }

// SetHTTPClient makes every call to the service through hc (tests: the
// test server's client, which trusts its certificate).
func (p *Panel) SetHTTPClient(hc *http.Client) { p.link.setHTTP(hc) }

// Close logs out (best effort) and stops following the event stream.
func (p *Panel) Close() { _ = p.Session.Logout() }

// bound lists what the frontend may call.
func (p *Panel) bound() []any {
	return []any{p.App, p.Session, p.Cases, p.CasePage,
		p.Clients, p.Invitations, p.Wizard,
		p.Notifications, p.Dashboard,
		p.Settings, p.StaffAccounts, p.Security,
		p.Documents, p.Requests, p.Appointments, p.Language}
}

// Run opens the control panel window serving assets (the root of the built
// frontend, the folder holding index.html) and blocks until it is closed.
// In a binary built without the desktop build tags it returns an error
// saying that the tags are missing.
func Run(assets fs.FS, version string) error {
	p := New(version)
	p.useOSKeyring()
	return wails.Run(newOptions(assets, p))
}

// newOptions describes the control panel window. A binary built before its
// frontend (frontend/dist holds only the placeholder) shows a page saying how
// to build it, instead of an empty window.
func newOptions(assets fs.FS, p *Panel) *options.App {
	if _, err := fs.Stat(assets, "index.html"); err != nil {
		assets = notBuiltPage
	}
	return &options.App{
		Title:     title,
		Width:     width,
		Height:    height,
		MinWidth:  minWidth,
		MinHeight: minHeight,
		// The page's Content-Security-Policy is a meta element that the
		// frontend's build writes into index.html: Wails v2 on Linux drops
		// response headers unless built with a webkit2_36+ tag.
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 0xf6, G: 0xf7, B: 0xf9, A: 0xff},
		Bind:             p.bound(),
		OnStartup: func(ctx context.Context) {
			p.link.start(ctx, wailsEmitter{ctx: ctx})
			p.link.notes.setNotifier(startWailsNotifier(ctx))
			p.link.desk.setIfUnset(wailsDesktop{ctx: ctx})
		},
		ErrorFormatter: p.link.formatError,
		OnShutdown: func(ctx context.Context) {
			p.Close()
			runtime.CleanupNotifications(ctx)
		},
		Linux: &linux.Options{ProgramName: "clientportal"},
	}
}
