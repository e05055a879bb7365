package installer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kardianos/service"
)

// Manager installs and controls the OS service through the machine's service
// manager (systemd, System V init, launchd, the Windows service control
// manager), working around what kardianos/service gets wrong on System V.
type Manager struct {
	svc  service.Service
	opts Options
}

// noProgram is the service's program as seen by the commands that only
// control it: they never run it.
type noProgram struct{}

func (noProgram) Start(service.Service) error { return nil }
func (noProgram) Stop(service.Service) error  { return nil }

// NewManager prepares to install or control the service with o.
func NewManager(o Options) (*Manager, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg, err := Config(o)
	if err != nil {
		return nil, err
	}
	svc, err := service.New(noProgram{}, cfg)
	if err != nil {
		return nil, fmt.Errorf("find this computer's service manager: %w", err)
	}
	return &Manager{svc: svc, opts: o}, nil
}

// Platform names the service manager in use (e.g. unix-systemv,
// linux-systemd, darwin-launchd, windows-service).
func (m *Manager) Platform() string { return m.svc.Platform() }

// Options are the settings the service is installed with.
func (m *Manager) Options() Options { return m.opts }

// Install registers the service with the service manager, to start at boot,
// after creating its data and log folders.
func (m *Manager) Install() error {
	switch st, err := m.Status(); {
	case err != nil && !errors.Is(err, ErrNotInstalled):
		return err
	case st != StatusNotInstalled:
		return errors.New("the clientportal service is already installed: to change its settings, uninstall it (clientportal service uninstall) and install it again")
	}
	if err := os.MkdirAll(m.opts.DataDir, 0o700); err != nil {
		return adminHint(fmt.Errorf("create the data folder %s: %w", m.opts.DataDir, err))
	}
	if err := os.MkdirAll(m.opts.LogDir, 0o750); err != nil {
		return adminHint(fmt.Errorf("create the log folder %s: %w", m.opts.LogDir, err))
	}
	if err := m.svc.Install(); err != nil {
		return adminHint(fmt.Errorf("install the service (%s): %w", m.Platform(), err))
	}
	return nil
}

// Uninstall stops the service when it runs and removes it from the service
// manager, with every file of its own (on System V the rc links and the pid
// file kardianos/service leaves behind). The data and log folders stay.
func (m *Manager) Uninstall() error {
	st, err := m.Status()
	if err != nil {
		return err
	}
	switch st {
	case StatusNotInstalled:
		return ErrNotInstalled
	case StatusRunning:
		if err := m.Stop(); err != nil {
			return err
		}
	}
	if err := m.svc.Uninstall(); err != nil {
		return adminHint(fmt.Errorf("uninstall the service (%s): %w", m.Platform(), err))
	}
	if m.Platform() == PlatformSystemV {
		return removeSysVLeftovers(m.opts.Name)
	}
	return nil
}

// removeSysVLeftovers removes the /etc/rc?.d links kardianos/service made
// and does not remove, and a pid file a killed service left.
func removeSysVLeftovers(name string) error {
	links, err := filepath.Glob("/etc/rc[0-6S].d/[SK][0-9][0-9]" + name)
	if err != nil {
		return err
	}
	for _, l := range append(links, sysvPIDFileOf(name)) {
		if err := os.Remove(l); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return adminHint(fmt.Errorf("remove %s: %w", l, err))
		}
	}
	return nil
}

// Start starts the installed service.
func (m *Manager) Start() error { return m.control("start", m.svc.Start) }

// Stop stops the service; it returns once the service has drained and
// exited.
func (m *Manager) Stop() error { return m.control("stop", m.svc.Stop) }

// Restart stops and starts the service.
func (m *Manager) Restart() error { return m.control("restart", m.svc.Restart) }

func (m *Manager) control(what string, fn func() error) error {
	st, err := m.Status()
	if err != nil {
		return err
	}
	if st == StatusNotInstalled {
		return ErrNotInstalled
	}
	if err := fn(); err != nil {
		return adminHint(fmt.Errorf("%s the service (%s): %w", what, m.Platform(), err))
	}
	return nil
}

// Status asks the service manager whether the service runs. On System V,
// kardianos/service answers a stopped service with an error (the script's
// exit code 3): a service whose script is there is stopped, else not
// installed.
func (m *Manager) Status() (Status, error) {
	st, err := m.svc.Status()
	if m.Platform() == PlatformSystemV {
		if _, serr := os.Stat(sysvScriptPathOf(m.opts.Name)); errors.Is(serr, fs.ErrNotExist) {
			return StatusNotInstalled, nil
		}
		if err != nil {
			return StatusStopped, nil
		}
	}
	switch {
	case errors.Is(err, service.ErrNotInstalled):
		return StatusNotInstalled, nil
	case err != nil:
		return "", fmt.Errorf("ask the service manager (%s) for the service's status: %w", m.Platform(), err)
	case st == service.StatusRunning:
		return StatusRunning, nil
	case st == service.StatusStopped:
		return StatusStopped, nil
	}
	return StatusNotInstalled, nil
}

// adminHint adds what to do to a permission error.
func adminHint(err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%w: installing and controlling the service needs administrator rights (sudo on Linux and macOS, an administrator's command prompt on Windows)", err)
	}
	return err
}
