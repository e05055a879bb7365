//go:build windows

package app

import "golang.org/x/sys/windows"

// hasAdminRights: on Windows, installing a service needs an elevated
// process (an administrator's, after the UAC prompt).
func hasAdminRights() bool { return windows.GetCurrentProcessToken().IsElevated() }
