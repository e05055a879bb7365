package app

import (
	"context"
	"sync"

	"clientportal/server/apitext"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// System is what the control panel asks of the operating system: native
// file dialogs and the system browser. In the window it is the Wails
// runtime; tests give their own (a native dialog cannot be clicked in a
// unit test, and the Wails runtime ends the process without a window).
type System interface {
	// OpenFile asks for a file to read; "" when the person cancels.
	OpenFile(title string, filter FileFilter) (string, error)
	// OpenFiles asks for one or several files to read; none chosen
	// (cancelled) is an empty list and no error.
	OpenFiles(title string, filter FileFilter) ([]string, error)
	// SaveFile asks where to write a file, suggesting name; "" when the
	// person cancels.
	SaveFile(title, name string, filter FileFilter) (string, error)
	// OpenURL opens url in the system's browser.
	OpenURL(url string)
}

// FileFilter limits a file dialog to some kinds of file: Patterns such as
// "*.png;*.jpg".
type FileFilter struct {
	Name     string
	Patterns string
}

// errNoSystem is what a dialog answers before the window starts.
var errNoSystem = uiText(apitext.New("error.window_not_ready", "the window is not ready for a file dialog yet: try again in a moment"), nil)

// desk holds the System, set when the window starts (or by a test).
type desk struct {
	mu sync.Mutex
	d  System
}

func (k *desk) set(d System) {
	k.mu.Lock()
	k.d = d
	k.mu.Unlock()
}

// setIfUnset keeps a test's System over the window's.
func (k *desk) setIfUnset(d System) {
	k.mu.Lock()
	if k.d == nil {
		k.d = d
	}
	k.mu.Unlock()
}

func (k *desk) get() (System, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.d == nil {
		return nil, errNoSystem
	}
	return k.d, nil
}

// wailsDesktop is the System of the running window.
type wailsDesktop struct{ ctx context.Context }

func (w wailsDesktop) OpenFile(title string, f FileFilter) (string, error) {
	return runtime.OpenFileDialog(w.ctx, runtime.OpenDialogOptions{Title: title, Filters: filters(f)})
}

func (w wailsDesktop) OpenFiles(title string, f FileFilter) ([]string, error) {
	return runtime.OpenMultipleFilesDialog(w.ctx, runtime.OpenDialogOptions{Title: title, Filters: filters(f)})
}

func (w wailsDesktop) SaveFile(title, name string, f FileFilter) (string, error) {
	return runtime.SaveFileDialog(w.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name,
		CanCreateDirectories: true, Filters: filters(f)})
}

func (w wailsDesktop) OpenURL(url string) { runtime.BrowserOpenURL(w.ctx, url) }

// filters is f as the runtime's dialogs take it: none for the zero filter
// (any file).
func filters(f FileFilter) []runtime.FileFilter {
	if f.Patterns == "" {
		return nil
	}
	return []runtime.FileFilter{{DisplayName: f.Name, Pattern: f.Patterns}}
}
