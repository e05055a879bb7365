package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// BackupSettings say where and when the service backs itself up.
type BackupSettings struct {
	// Folder is where the nightly backups go ("": the folder beside the
	// data folder, named like it with "-backups" added).
	Folder string `json:"folder,omitempty"`
	// Time is the time of day of the nightly backup, "HH:MM" in the
	// office's time zone.
	Time string `json:"time"`
	// Retention is how many backups the folder keeps; older ones are
	// deleted after a successful backup.
	Retention int `json:"retention"`
	// Off turns the nightly backup off.
	Off bool `json:"off,omitempty"`
}

// DefaultBackupSettings: nightly at 02:30, keeping a week.
func DefaultBackupSettings() BackupSettings { return BackupSettings{Time: "02:30", Retention: 7} }

// BackupRecord is the outcome of the last backup.
type BackupRecord struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	File     string    `json:"file,omitempty"`
	Size     int64     `json:"size"`
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"`
	Nightly  bool      `json:"nightly"` // false: asked for (staff API, command line)
}

var (
	keyBackupSettings = []byte("backup")
	keyBackupLast     = []byte("backup_last")
)

// BackupSettings reads the backup settings (the defaults when none were
// saved).
func (tx *Tx) BackupSettings() (BackupSettings, error) {
	var b BackupSettings
	err := getJSON(tx.bucket(bucketSettings), keyBackupSettings, &b)
	if errors.Is(err, ErrNotFound) {
		return DefaultBackupSettings(), nil
	}
	if err != nil {
		return BackupSettings{}, fmt.Errorf("read backup settings: %w", err)
	}
	return b, nil
}

// PutBackupSettings replaces the backup settings.
func (tx *Tx) PutBackupSettings(b BackupSettings) error {
	if err := putJSON(tx.bucket(bucketSettings), keyBackupSettings, b); err != nil {
		return fmt.Errorf("write backup settings: %w", err)
	}
	return nil
}

// LastBackup reads the outcome of the last backup; ok false: none yet.
func (tx *Tx) LastBackup() (r BackupRecord, ok bool, err error) {
	err = getJSON(tx.bucket(bucketSettings), keyBackupLast, &r)
	if errors.Is(err, ErrNotFound) {
		return BackupRecord{}, false, nil
	}
	if err != nil {
		return BackupRecord{}, false, fmt.Errorf("read the last backup: %w", err)
	}
	return r, true, nil
}

// PutLastBackup records the outcome of a backup.
func (tx *Tx) PutLastBackup(r BackupRecord) error {
	if err := putJSON(tx.bucket(bucketSettings), keyBackupLast, r); err != nil {
		return fmt.Errorf("write the last backup: %w", err)
	}
	return nil
}

// ErrInUse is a data folder whose store a running service holds.
var ErrInUse = errors.New("the data folder is in use by a running clientportal service")

// InUse reports whether a running service (or another clientportal process)
// holds the store in dataDir. A folder without a store is not in use.
func InUse(dataDir string) (bool, error) {
	release, err := Hold(dataDir)
	if errors.Is(err, ErrInUse) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, release()
}

// Hold keeps the store in dataDir from being opened for writing (a service
// starting meanwhile finds it in use) until release is called, without
// reading or changing it; ErrInUse when a service holds it. A folder
// without a store holds nothing.
func Hold(dataDir string) (release func() error, err error) {
	path := filepath.Join(dataDir, FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return func() error { return nil }, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrInUse
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db.Close, nil
}

// CheckFile checks that path is a whole, consistent store file this build
// can open (its schema no newer than SchemaVersion), without changing it:
// what a restore runs on a file before it swaps it in.
func CheckFile(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("open %s as a store: %w", path, err)
	}
	defer db.Close()
	return db.View(func(btx *bolt.Tx) error {
		meta := btx.Bucket(bucketMeta)
		if meta == nil {
			return fmt.Errorf("%s is not a clientportal store (no meta bucket)", path)
		}
		v := meta.Get(keySchemaVersion)
		if len(v) != 8 {
			return fmt.Errorf("%s is not a clientportal store (no schema version)", path)
		}
		if have := int(binary.BigEndian.Uint64(v)); have > SchemaVersion() {
			return fmt.Errorf("%s has schema version %d, this build knows up to %d: %w", path, have, SchemaVersion(), ErrTooNew)
		}
		var errs []error
		for err := range btx.Check() {
			errs = append(errs, err)
			if len(errs) == 5 {
				break
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s is damaged: %w", path, errors.Join(errs...))
		}
		return nil
	})
}
