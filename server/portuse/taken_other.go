//go:build !windows

package portuse

func osTaken(error) bool { return false }
