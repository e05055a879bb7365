package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// The control panel's own files (pairings, the notifications' setting, the
// wizard's progress) and the files the person saves (a key's copy, an
// export) are written whole and synced, so a crash right after "Saved"
// loses nothing and never leaves half a file.

// writeJSONFile writes v as JSON to path, readable by this user only (in a
// folder only they may list): a temp file beside it, synced, then renamed
// over the old one.
func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename, nothing is left to remove
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("rename %s: %w", f.Name(), err)
	}
	return nil
}

// writeFileSynced writes data to file (a place the person chose, so in
// place rather than beside it), readable by this user only, and syncs it.
func writeFileSynced(file string, data []byte) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readJSONFile reads what writeJSONFile wrote into v (fs.ErrNotExist when
// there is no file yet).
func readJSONFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
