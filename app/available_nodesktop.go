//go:build !dev && !production && !bindings

package app

// Desktop reports whether this binary can open the control panel window. It
// was built without the Wails build tags (a server or test build): Run would
// only report the missing tags.
const Desktop = false
