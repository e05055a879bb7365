package app

import (
	"context"
	"errors"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Dialogs asks the person at the window for files: in the window the
// operating system's native dialogs (through the Wails runtime); tests put
// a stand-in in their place, since a native dialog needs a person and a
// display (and the Wails runtime ends the process when called with a
// context that did not come from Wails).
type Dialogs interface {
	// OpenFiles asks for one or several files to read; none chosen
	// (cancelled) is an empty list and no error.
	OpenFiles(title string) ([]string, error)
	// SaveFile asks where to write a file, suggesting name; "" when
	// cancelled.
	SaveFile(title, name string) (string, error)
}

type wailsDialogs struct{ ctx context.Context }

func (w wailsDialogs) OpenFiles(title string) ([]string, error) {
	return runtime.OpenMultipleFilesDialog(w.ctx, runtime.OpenDialogOptions{Title: title})
}

func (w wailsDialogs) SaveFile(title, name string) (string, error) {
	return runtime.SaveFileDialog(w.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, CanCreateDirectories: true})
}

// dialogs is what asks for files now: the stand-in a test set, else the
// window's native dialogs.
func (l *link) dialogs() Dialogs {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ask != nil {
		return l.ask
	}
	if l.ctx == context.Background() {
		return noDialogs{} // not in a window: the runtime would end the process
	}
	return wailsDialogs{ctx: l.ctx}
}

type noDialogs struct{}

func (noDialogs) OpenFiles(string) ([]string, error) { return nil, errNoWindow }
func (noDialogs) SaveFile(string, string) (string, error) {
	return "", errNoWindow
}

var errNoWindow = errors.New("file dialogs need the control panel window")

// SetDialogs makes the file dialogs d instead of the window's (tests).
func (p *Panel) SetDialogs(d Dialogs) {
	p.link.mu.Lock()
	p.link.ask = d
	p.link.mu.Unlock()
}
