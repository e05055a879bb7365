package app

import "sync"

// fakeSystem stands in for the system's file dialogs and browser, which
// cannot be clicked in a unit test (and the Wails runtime ends the process
// without a window): it answers what the person would have chosen, and
// records what was asked and the links opened.
type fakeSystem struct {
	mu       sync.Mutex
	open     string   // OpenFile's answer ("" as if cancelled)
	files    []string // OpenFiles' answer (nil as if cancelled)
	save     string   // SaveFile's answer ("" as if cancelled)
	saveName string   // the name SaveFile was offered
	asked    []string // the dialogs' titles, in order
	opened   []string // OpenURL's links
}

func (f *fakeSystem) OpenFile(title string, _ FileFilter) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, "open: "+title)
	return f.open, nil
}

func (f *fakeSystem) OpenFiles(title string, _ FileFilter) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, "open: "+title)
	return f.files, nil
}

func (f *fakeSystem) SaveFile(title, name string, _ FileFilter) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, "save: "+title+" as "+name)
	f.saveName = name
	return f.save, nil
}

func (f *fakeSystem) OpenURL(url string) {
	f.mu.Lock()
	f.opened = append(f.opened, url)
	f.mu.Unlock()
}
