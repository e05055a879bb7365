// Package portuse tells a listen that failed because another program holds
// the port from other failures, on every operating system the service runs
// on: the message for it names the port and says to stop that program.
package portuse

import (
	"errors"
	"syscall"
)

// Taken says whether err (from net.Listen) means another program already
// listens on the address.
func Taken(err error) bool {
	return err != nil && (errors.Is(err, syscall.EADDRINUSE) || osTaken(err))
}
