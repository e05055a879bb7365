//go:build !linux

package backup

import "errors"

// exchange is not offered here: Restore falls back to two renames.
func exchange(a, b string) error { return errors.New("no atomic exchange of folders on this OS") }
