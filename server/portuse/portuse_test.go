package portuse

import (
	"errors"
	"net"
	"testing"
)

// TestTaken: a port another listener holds is taken; other failures and
// success are not.
func TestTaken(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, err = net.Listen("tcp", held.Addr().String())
	if !Taken(err) {
		t.Errorf("listen on a held port: %v; want Taken", err)
	}
	_, bad := net.Listen("tcp", "127.0.0.1:99999")
	for _, e := range []error{nil, errors.New("something else"), bad} {
		if Taken(e) {
			t.Errorf("Taken(%v) = true", e)
		}
	}
}
