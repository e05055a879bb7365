// Package installer installs and controls the portal service as an OS
// service, and knows where the service keeps its data on each OS.
package installer

import (
	"os"
	"path/filepath"
	"runtime"
)

// ServiceName is the OS service's name.
const ServiceName = "clientportal"

// DefaultDataDir is where the service keeps its store, documents and
// certificates when no --data is given: the system-wide place when running
// as the administrator (a service), else the user's own data folder.
func DefaultDataDir() string {
	switch runtime.GOOS {
	case "windows":
		if pd := os.Getenv("ProgramData"); pd != "" {
			return filepath.Join(pd, "clientportal")
		}
	case "darwin":
		if os.Geteuid() == 0 {
			return "/Library/Application Support/clientportal"
		}
	default:
		if os.Geteuid() == 0 {
			return "/var/lib/clientportal"
		}
	}
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "clientportal")
	}
	return "clientportal-data"
}

// DefaultKeyPath is where the office key that encrypts the documents lives:
// outside the data folder, so a copy of the data folder (a backup, a stolen
// disk image of it) cannot be read without it. System-wide when running as
// the administrator, else in the user's config folder.
func DefaultKeyPath() string {
	switch runtime.GOOS {
	case "windows":
		if pd := os.Getenv("ProgramData"); pd != "" {
			return filepath.Join(pd, "clientportal-keys", "office.key")
		}
	case "darwin":
		if os.Geteuid() == 0 {
			return "/Library/Preferences/clientportal/office.key"
		}
	default:
		if os.Geteuid() == 0 {
			return "/etc/clientportal/office.key"
		}
	}
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "clientportal-keys", "office.key")
	}
	return "clientportal-office.key"
}

// DefaultLogDir is where the service writes its rotated log file: /var/log
// on Linux, /Library/Logs on macOS, ProgramData on Windows when running as
// the administrator (a service; beside the keys' folder, outside the data
// folder, so backups and restores never carry logs), else a folder beside the
// user's data.
func DefaultLogDir() string {
	switch runtime.GOOS {
	case "windows":
		if pd := os.Getenv("ProgramData"); pd != "" {
			return filepath.Join(pd, "clientportal-logs")
		}
	case "darwin":
		if os.Geteuid() == 0 {
			return "/Library/Logs/clientportal"
		}
	default:
		if os.Geteuid() == 0 {
			return "/var/log/clientportal"
		}
	}
	if dir, err := os.UserConfigDir(); err == nil {
		return filepath.Join(dir, "clientportal-logs")
	}
	return "clientportal-logs"
}
