// Package backup makes and restores backups of the portal's data: a
// consistent snapshot of the store (taken while the service runs, through a
// read transaction) and the encrypted document files, in one tar archive
// whose last entry is a manifest of every file's size and SHA-256. It runs
// the nightly backup into the backup folder and keeps the newest N, and
// serves the running service's backup to the command line over loopback.
// A backup holds the documents as they are stored, encrypted: it cannot be
// read without the office key, which it never contains.
package backup

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"clientportal/store"
)

// ManifestName is the archive's last entry: what it holds, with checksums.
const ManifestName = "MANIFEST.json"

// DocumentsDir is the documents' folder inside the data folder (and the
// archive).
const DocumentsDir = "documents"

// Format is the manifest's format version.
const Format = 1

// Manifest lists what an archive holds.
type Manifest struct {
	Format  int       `json:"format"`
	Created time.Time `json:"created"`
	Version string    `json:"version"` // the clientportal that made it
	Schema  int       `json:"schema"`  // the store's schema version
	Files   []Entry   `json:"files"`
}

// Entry is one file of the archive.
type Entry struct {
	Path   string `json:"path"` // slash-separated, relative to the data folder
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// documentName is what the document store names its files (docstore).
var documentName = regexp.MustCompile(`^[0-9a-f]{32}\.age$`)

// allowedPath reports whether an archive may hold name: the store, a
// document, the manifest. Nothing else is ever written on restore.
func allowedPath(name string) bool {
	if name == store.FileName || name == ManifestName {
		return true
	}
	dir, file := path.Split(name)
	return dir == DocumentsDir+"/" && documentName.MatchString(file)
}

// Source is what a backup is made of: the open store and the data folder
// whose documents folder holds the encrypted files.
type Source struct {
	Store   *store.Store
	DataDir string
	Version string
}

// Write writes a backup archive of src to w. The store's snapshot is one
// read transaction, copied first to a temp file beside the store so the
// transaction stays short however slowly w takes the archive; the documents
// are those in the folder after the snapshot (a file is complete before its
// record commits, so every document the snapshot names is there).
func Write(ctx context.Context, w io.Writer, src Source) (Manifest, error) {
	m := Manifest{Format: Format, Created: time.Now().UTC(), Version: src.Version, Schema: store.SchemaVersion()}
	snap, err := os.CreateTemp(filepath.Dir(src.Store.Path()), ".backup-snapshot-*")
	if err != nil {
		return m, fmt.Errorf("backup: temp file for the store's snapshot: %w", err)
	}
	defer func() { snap.Close(); os.Remove(snap.Name()) }()
	if _, err := src.Store.Backup(snap); err != nil {
		return m, err
	}
	if _, err := snap.Seek(0, io.SeekStart); err != nil {
		return m, err
	}
	tw := tar.NewWriter(w)
	add := func(name string, f *os.File) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: name, Mode: 0o600, Size: fi.Size(), ModTime: fi.ModTime().UTC(), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("backup: write %s: %w", name, err)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(tw, h), f)
		if err != nil {
			return fmt.Errorf("backup: write %s: %w", name, err)
		}
		m.Files = append(m.Files, Entry{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	}
	if err := add(store.FileName, snap); err != nil {
		return m, err
	}
	docs := filepath.Join(src.DataDir, DocumentsDir)
	entries, err := os.ReadDir(docs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("backup: read the documents folder: %w", err)
	}
	for _, e := range entries {
		// Skip uploads in progress (.upload-*) and anything not a document.
		if !e.Type().IsRegular() || !documentName.MatchString(e.Name()) {
			continue
		}
		f, err := os.Open(filepath.Join(docs, e.Name()))
		if err != nil {
			return m, fmt.Errorf("backup: open document %s: %w", e.Name(), err)
		}
		err = add(DocumentsDir+"/"+e.Name(), f)
		f.Close()
		if err != nil {
			return m, err
		}
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(manifest)), ModTime: m.Created, Typeflag: tar.TypeReg}); err != nil {
		return m, err
	}
	if _, err := tw.Write(manifest); err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, fmt.Errorf("backup: finish the archive: %w", err)
	}
	return m, nil
}

// WriteFile writes a backup archive of src to the file dst, complete or not
// at all: into a temp file beside it, synced, then renamed. It returns the
// archive's size.
func WriteFile(ctx context.Context, dst string, src Source) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return 0, fmt.Errorf("backup: create the folder %s: %w", filepath.Dir(dst), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".partial-*")
	if err != nil {
		return 0, fmt.Errorf("backup: create a file in %s: %w", filepath.Dir(dst), err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	cw := &countWriter{w: tmp}
	if _, err := Write(ctx, cw, src); err != nil {
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, fmt.Errorf("backup: write %s: %w", dst, err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("backup: write %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	ok = true
	syncDir(filepath.Dir(dst))
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// syncDir makes renames in dir survive a crash (a no-op where directories
// cannot be synced).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// sortedPaths lists the manifest's paths in order, for messages.
func sortedPaths(m map[string]Entry) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// joinNames joins names for a message, at most a few.
func joinNames(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
