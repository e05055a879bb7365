package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/zalando/go-keyring"

	"clientportal/server/apitext"
)

// Where the kept session lives in the OS's credential store.
const (
	keyringService = "clientportal control panel"
	keyringUser    = "staff session"
)

// secretStore is the OS's credential store (Windows Credential Manager, the
// macOS Keychain, the Secret Service on Linux), through go-keyring.
type secretStore interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// osKeyring is the real credential store.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, s string) error        { return keyring.Set(service, user, s) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// keptSession is what "Keep me signed in" stores, as one secret: the
// token is the secret; the rest lets the window say whose session it is.
type keptSession struct {
	Service string `json:"service"`
	Token   string `json:"token"`
	Staff   string `json:"staff"`
	Email   string `json:"email"`
}

// keeper keeps at most one session in the credential store. Where no
// store is available the session is not kept at all (never in a file).
type keeper struct {
	mu    sync.Mutex
	store secretStore // nil: none (tests that set none; the window sets the OS's)
}

func (k *keeper) use(s secretStore) {
	k.mu.Lock()
	k.store = s
	k.mu.Unlock()
}

func (k *keeper) secrets() secretStore {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.store
}

// available says whether sessions can be kept here, and if not why, in
// words for the person at the window (say them with link.say).
func (k *keeper) available() (bool, apitext.Text) {
	st := k.secrets()
	if st == nil {
		return false, apitext.New("keep.no_store", "This control panel has no credential store to keep you signed in: you will log in each time.")
	}
	_, err := st.Get(keyringService, keyringUser)
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return true, apitext.Text{}
	}
	slog.Info("no credential store to keep the session in", "err", err)
	return false, apitext.New("keep.no_os_store", "This computer has no credential store the control panel can use, so it cannot keep you signed in: "+
		"you will log in each time. On Linux, a desktop session with GNOME Keyring or KeePassXC provides one.")
}

func (k *keeper) read() (keptSession, bool) {
	st := k.secrets()
	if st == nil {
		return keptSession{}, false
	}
	s, err := st.Get(keyringService, keyringUser)
	if err != nil {
		return keptSession{}, false
	}
	var out keptSession
	if json.Unmarshal([]byte(s), &out) != nil || out.Token == "" || out.Service == "" {
		// Unusable: remove it rather than trip on it at every start.
		k.remove()
		return keptSession{}, false
	}
	return out, true
}

func (k *keeper) write(s keptSession) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	st := k.secrets()
	if st == nil {
		return errors.New("no credential store")
	}
	if err := st.Set(keyringService, keyringUser, string(data)); err != nil {
		return fmt.Errorf("keep the session in the credential store: %w", err)
	}
	return nil
}

// remove deletes the kept session; nothing kept, or no store, is fine.
func (k *keeper) remove() {
	if ok, _ := k.available(); !ok {
		return
	}
	if err := k.secrets().Delete(keyringService, keyringUser); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		slog.Warn("could not remove the kept session from the credential store", "err", err)
	}
}

// forget removes the kept session if its token is token (one the service
// ended); a session kept for another login stays.
func (k *keeper) forget(token string) {
	if kept, ok := k.read(); ok && token != "" && kept.Token == token {
		k.remove()
	}
}

// useOSKeyring keeps sessions in the OS's credential store: the window's
// choice. New leaves it off, so tests (and any other use of the Go side)
// never touch the person's own credential store by accident.
func (p *Panel) useOSKeyring() { p.Session.keep.use(osKeyring{}) }
