//go:build !windows

package app

import "os"

// hasAdminRights: on Linux and macOS, installing a service needs root.
func hasAdminRights() bool { return os.Geteuid() == 0 }
