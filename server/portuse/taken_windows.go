package portuse

import (
	"errors"
	"syscall"
)

// wsaeaddrinuse is Winsock's "address already in use": Go reports it as
// this Errno, which syscall.EADDRINUSE (an invented value on Windows) does
// not match.
const wsaeaddrinuse syscall.Errno = 10048

func osTaken(err error) bool { return errors.Is(err, wsaeaddrinuse) }
