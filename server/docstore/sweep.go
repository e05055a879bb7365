package docstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix starts the name of an upload's temp file (os.CreateTemp's
// pattern in Put).
const tempPrefix = ".upload-"

// Sweep removes what a crash can leave in the documents folder: temp files
// of uploads that never finished, and stored files that no record names (an
// upload killed after its file was renamed but before its record
// committed). recorded says whether a record names a stored file. Files the
// store did not make (other names, folders) are left alone. It answers the
// names it removed.
//
// Sweep must run before the service takes uploads: a file whose record is
// still committing is, to Sweep, a file no record names.
func (s *Store) Sweep(recorded func(name string) bool) (removed []string, err error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("sweep documents folder: %w", err)
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		stray := e.Type().IsRegular() && (strings.HasPrefix(name, tempPrefix) || validName(name) && !recorded(name))
		if !stray {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("sweep %s: %w", name, err))
			continue
		}
		removed = append(removed, name)
	}
	if len(removed) > 0 {
		if err := syncDir(s.dir); err != nil {
			errs = append(errs, err)
		}
	}
	return removed, errors.Join(errs...)
}

// HoldAfterFile is a test aid: hold is called in Put once a file is safely
// stored (fsynced, renamed, folder synced) and before Put returns, so before
// any record of it can commit. A test stops the service there to crash it
// between the file and the record. nil (the default): no hold.
func (s *Store) HoldAfterFile(hold func(Stored)) { s.hold = hold }
