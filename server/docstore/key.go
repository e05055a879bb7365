package docstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// LoadOrCreateKey reads the office key at path, creating it (mode 0600, its
// folder 0700) when it does not exist yet.
func LoadOrCreateKey(path string) (*age.X25519Identity, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read office key: %w", err)
	}
	var id *age.X25519Identity
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			id, err = age.ParseX25519Identity(line)
			break
		}
	}
	if id == nil || err != nil {
		return nil, fmt.Errorf("office key %s is not an age key (a line AGE-SECRET-KEY-1...): restore it from your copy (%v)", path, err)
	}
	return id, nil
}

func createKey(path string) (*age.X25519Identity, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("generate office key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create office key folder: %w", err)
	}
	// O_EXCL: two starts at once never overwrite each other's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("create office key: %w", err)
	}
	_, err = fmt.Fprintf(f, "# clientportal office key: keep a copy apart from the backups; without it no document can be read.\n%s\n", id)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write office key: %w", err)
	}
	return id, nil
}
