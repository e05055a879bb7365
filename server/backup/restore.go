package backup

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"clientportal/store"
)

// ErrRunning is a restore into the data folder of a running service.
var ErrRunning = errors.New("the data folder is in use by the running portal service: stop the service first (clientportal service stop, or Ctrl+C where `clientportal serve` runs), then restore")

// ArchiveError is an archive that cannot be restored: what is wrong, and
// with which file.
type ArchiveError struct {
	File string // the archive's entry at fault ("": the archive as a whole)
	Why  string
}

func (e *ArchiveError) Error() string {
	if e.File == "" {
		return "the backup cannot be restored: " + e.Why + "; nothing was changed"
	}
	return fmt.Sprintf("the backup cannot be restored: %s %s; nothing was changed", e.File, e.Why)
}

// Restored says what a restore did.
type Restored struct {
	Manifest Manifest
	// Previous is where the data folder's former content now is ("": the
	// folder was empty or missing). Delete it once the restored office is
	// checked.
	Previous string
}

// Restore replaces the portal's data in dataDir with the archive read from
// r. It refuses a data folder a running service holds, and holds it itself
// meanwhile so the service cannot start in the middle. It unpacks into a
// new folder beside dataDir, checks every file against the manifest's size
// and SHA-256 (and that the store opens and is consistent) before anything
// is swapped in, then swaps the new folder in for the old one (atomically
// where the OS can exchange two folders, Linux; else by two renames) and
// keeps the old one beside it. Files of the old folder that a backup does
// not hold (certificates, the staff listener's key) are carried over. A
// corrupt, truncated or foreign archive changes nothing.
func Restore(r io.Reader, dataDir string) (Restored, error) {
	dataDir = filepath.Clean(dataDir)
	release, err := store.Hold(dataDir)
	if errors.Is(err, store.ErrInUse) {
		return Restored{}, ErrRunning
	}
	if err != nil {
		return Restored{}, err
	}
	release = sync.OnceValue(release)
	defer release()
	parent := filepath.Dir(dataDir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return Restored{}, fmt.Errorf("restore: create %s: %w", parent, err)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dataDir)+".restore-*")
	if err != nil {
		return Restored{}, fmt.Errorf("restore: create a folder beside %s: %w", dataDir, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(staging)
		}
	}()
	m, err := unpack(r, staging)
	if err != nil {
		return Restored{}, err
	}
	if err := store.CheckFile(filepath.Join(staging, store.FileName)); err != nil {
		return Restored{}, &ArchiveError{File: store.FileName, Why: "is not a store this clientportal can open (" + err.Error() + ")"}
	}
	if err := carryOver(dataDir, staging); err != nil {
		return Restored{}, err
	}
	syncDir(staging)
	if runtime.GOOS == "windows" {
		// Windows cannot rename a folder with an open file in it: let go
		// of the store just before the swap.
		release()
	}
	prev, err := swap(staging, dataDir)
	if err != nil {
		return Restored{}, err
	}
	swapped = true
	syncDir(parent)
	return Restored{Manifest: m, Previous: prev}, nil
}

// unpack writes the archive's files into dir ("": nowhere), hashing them as
// they come, and checks them against the manifest.
func unpack(r io.Reader, dir string) (Manifest, error) {
	tr := tar.NewReader(r)
	got := map[string]Entry{}
	var m Manifest
	var manifest []byte
	last := ""
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if last == "" {
				return m, &ArchiveError{Why: "is not a clientportal backup (not a tar archive: " + err.Error() + ")"}
			}
			return m, &ArchiveError{Why: fmt.Sprintf("is cut short or damaged after %s (%v)", last, err)}
		}
		name := hdr.Name
		if hdr.Typeflag != tar.TypeReg || !allowedPath(name) {
			return m, &ArchiveError{File: name, Why: "is not a file a clientportal backup holds"}
		}
		if _, dup := got[name]; dup || name == ManifestName && manifest != nil {
			return m, &ArchiveError{File: name, Why: "is in the archive twice"}
		}
		last = name
		if name == ManifestName {
			if hdr.Size > 64<<20 {
				return m, &ArchiveError{File: name, Why: "is too large"}
			}
			if manifest, err = io.ReadAll(tr); err != nil {
				return m, &ArchiveError{File: name, Why: "is cut short (" + err.Error() + ")"}
			}
			continue
		}
		var e Entry
		if dir == "" {
			e, err = hashOnly(tr)
		} else {
			e, err = writeFile(filepath.Join(dir, filepath.FromSlash(name)), tr)
		}
		if err != nil {
			var ae *ArchiveError
			if errors.As(err, &ae) {
				ae.File = name
			}
			return m, err
		}
		e.Path = name
		got[name] = e
	}
	if manifest == nil {
		return m, &ArchiveError{File: ManifestName, Why: "is missing (the archive is cut short, or not a clientportal backup)"}
	}
	if err := json.Unmarshal(manifest, &m); err != nil || m.Format == 0 {
		return m, &ArchiveError{File: ManifestName, Why: "cannot be read"}
	}
	if m.Format > Format {
		return m, &ArchiveError{File: ManifestName, Why: fmt.Sprintf("is of format %d, made by a newer clientportal (%s): restore with that version", m.Format, m.Version)}
	}
	listed := map[string]Entry{}
	for _, e := range m.Files {
		listed[e.Path] = e
	}
	if _, ok := listed[store.FileName]; !ok {
		return m, &ArchiveError{File: store.FileName, Why: "is not in the manifest"}
	}
	for _, p := range sortedPaths(listed) {
		want := listed[p]
		have, ok := got[p]
		switch {
		case !ok:
			return m, &ArchiveError{File: p, Why: "is listed in the manifest but missing from the archive"}
		case have.Size != want.Size || have.SHA256 != want.SHA256:
			return m, &ArchiveError{File: p, Why: "does not match its checksum in the manifest (the file is damaged)"}
		}
	}
	var extra []string
	for _, p := range sortedPaths(got) {
		if _, ok := listed[p]; !ok {
			extra = append(extra, p)
		}
	}
	if len(extra) > 0 {
		return m, &ArchiveError{File: joinNames(extra), Why: "is not in the manifest"}
	}
	return m, nil
}

// Verify reads a whole archive and checks every file against the manifest,
// writing nothing: what `clientportal backup` runs on the archive it got.
func Verify(r io.Reader) (Manifest, error) { return unpack(r, "") }

func hashOnly(r io.Reader) (Entry, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return Entry{}, &ArchiveError{Why: "is cut short (" + err.Error() + ")"}
	}
	return Entry{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// writeFile writes r to path (mode 0600), synced, and returns its size and
// SHA-256.
func writeFile(path string, r io.Reader) (Entry, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Entry{}, fmt.Errorf("restore: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Entry{}, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return Entry{}, fmt.Errorf("restore: write %s: %w", path, err)
		}
		return Entry{}, &ArchiveError{Why: "is cut short (" + err.Error() + ")"}
	}
	if err := f.Sync(); err != nil {
		return Entry{}, fmt.Errorf("restore: write %s: %w", path, err)
	}
	return Entry{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// carryOver copies what the old data folder holds besides the store and the
// documents (certificates, keys) into the new one, keeping modes.
func carryOver(from, to string) error {
	entries, err := os.ReadDir(from)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("restore: read %s: %w", from, err)
	}
	for _, e := range entries {
		name := e.Name()
		if name == store.FileName || name == DocumentsDir || name == ManifestName || name[0] == '.' {
			continue
		}
		if err := copyTree(filepath.Join(from, name), filepath.Join(to, name)); err != nil {
			return fmt.Errorf("restore: carry %s over: %w", name, err)
		}
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm())
		case !d.Type().IsRegular():
			return nil // sockets, links: nothing of the service's
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		if err := out.Sync(); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// swap puts staging in dataDir's place and returns where the old content
// went ("" when there was none).
func swap(staging, dataDir string) (string, error) {
	entries, err := os.ReadDir(dataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", rename(staging, dataDir)
	case err != nil:
		return "", fmt.Errorf("restore: read %s: %w", dataDir, err)
	case len(entries) == 0:
		if err := os.Remove(dataDir); err != nil {
			return "", fmt.Errorf("restore: %w", err)
		}
		return "", rename(staging, dataDir)
	}
	prev := dataDir + ".before-restore-" + time.Now().UTC().Format("20060102-150405")
	if err := exchange(staging, dataDir); err == nil {
		// staging now holds the old content: never remove it.
		if err := os.Rename(staging, prev); err != nil {
			return staging, nil
		}
		return prev, nil
	}
	if err := rename(dataDir, prev); err != nil {
		return "", err
	}
	if err := rename(staging, dataDir); err != nil {
		// Put the old folder back: nothing changed.
		os.Rename(prev, dataDir)
		return "", err
	}
	return prev, nil
}

func rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
