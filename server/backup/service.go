package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/store"
)

// Service makes the running service's backups: the nightly one, those staff
// ask for, and the archives `clientportal backup` fetches over loopback.
type Service struct {
	src   Source
	log   *slog.Logger
	mu    sync.Mutex // one backup at a time
	wake  chan struct{}
	local map[string]http.Handler // more routes of the loopback endpoint
}

// New returns the backup service of src.
func New(src Source, log *slog.Logger) *Service {
	if src.DataDir == "" {
		src.DataDir = filepath.Dir(src.Store.Path())
	}
	return &Service{src: src, log: log, wake: make(chan struct{}, 1)}
}

// Source is what the service backs up.
func (s *Service) Source() Source { return s.src }

// archiveName matches the archives the service writes and prunes; nothing
// else in the folder is ever deleted.
var archiveName = regexp.MustCompile(`^clientportal-backup-\d{8}-\d{6}\.\d{6}\.tar$`)

func archiveFile(t time.Time) string {
	return "clientportal-backup-" + t.UTC().Format("20060102-150405.000000") + ".tar"
}

// DefaultFolder is the backup folder when none is set: beside the data
// folder, named like it with "-backups" added.
func (s *Service) DefaultFolder() string { return filepath.Clean(s.src.DataDir) + "-backups" }

func (s *Service) folder(b store.BackupSettings) string {
	if b.Folder == "" {
		return s.DefaultFolder()
	}
	return b.Folder
}

// Backup makes a backup into the backup folder now, records its outcome (the
// staff API reports it), and deletes the oldest archives beyond the
// retention count once it succeeded.
func (s *Service) Backup(ctx context.Context, nightly bool) (store.BackupRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var set store.BackupSettings
	if err := s.src.Store.View(ctx, func(tx *store.Tx) (err error) { set, err = tx.BackupSettings(); return err }); err != nil {
		return store.BackupRecord{}, err
	}
	folder := s.folder(set)
	rec := store.BackupRecord{Started: time.Now().UTC(), Nightly: nightly}
	// The name holds the time to the microsecond, so names sort by age.
	stamp := rec.Started
	name := archiveFile(stamp)
	for {
		if _, err := os.Stat(filepath.Join(folder, name)); err != nil {
			break
		}
		stamp = stamp.Add(time.Microsecond)
		name = archiveFile(stamp)
	}
	rec.File = filepath.Join(folder, name)
	size, err := WriteFile(ctx, rec.File, s.src)
	rec.Finished, rec.Size, rec.OK = time.Now().UTC(), size, err == nil
	if err != nil {
		rec.File = ""
		rec.Error = fmt.Sprintf("%v: check that the backup folder %s exists, has room, and can be written by the service", err, folder)
		s.log.Error("backup failed", "folder", folder, "err", err)
	} else {
		s.log.Info("backup made", "file", rec.File, "bytes", size, "took", rec.Finished.Sub(rec.Started).Round(time.Millisecond))
		if perr := prune(folder, set.Retention); perr != nil {
			s.log.Warn("backup: delete old archives", "folder", folder, "err", perr)
		}
	}
	if werr := s.src.Store.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.PutLastBackup(rec) }); werr != nil {
		s.log.Error("backup: record the outcome", "err", werr)
	}
	return rec, err
}

// prune deletes the oldest archives of folder beyond keep.
func prune(folder string, keep int) error {
	files, err := list(folder)
	if err != nil || keep <= 0 || len(files) <= keep {
		return err
	}
	var errs []error
	for _, f := range files[keep:] {
		if err := os.Remove(filepath.Join(folder, f.Name)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// list lists the archives in folder, newest first.
func list(folder string) ([]api.BackupFile, error) {
	entries, err := os.ReadDir(folder)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []api.BackupFile
	for _, e := range entries {
		if !e.Type().IsRegular() || !archiveName.MatchString(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, api.BackupFile{Name: e.Name(), Size: fi.Size(), Modified: fi.ModTime().UTC()})
	}
	// The names hold the time: newest first.
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

// Next is when the nightly backup runs after from: the next time of day
// b.Time in loc.
func Next(b store.BackupSettings, loc *time.Location, from time.Time) (time.Time, bool) {
	if b.Off {
		return time.Time{}, false
	}
	h, m, ok := parseClock(b.Time)
	if !ok {
		return time.Time{}, false
	}
	local := from.In(loc)
	next := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
	if !next.After(from) {
		next = time.Date(local.Year(), local.Month(), local.Day()+1, h, m, 0, 0, loc)
	}
	return next, true
}

func parseClock(s string) (h, m int, ok bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// Status is GET /api/v1/backups.
func (s *Service) Status(ctx context.Context) (api.Backups, error) {
	var set store.BackupSettings
	var office store.Settings
	var last store.BackupRecord
	var have bool
	err := s.src.Store.View(ctx, func(tx *store.Tx) (err error) {
		if set, err = tx.BackupSettings(); err != nil {
			return err
		}
		if office, err = tx.Settings(); err != nil {
			return err
		}
		last, have, err = tx.LastBackup()
		return err
	})
	if err != nil {
		return api.Backups{}, err
	}
	out := api.Backups{Settings: s.apiSettings(set), Files: []api.BackupFile{}}
	if have {
		r := api.BackupResult(last)
		out.Last = &r
	}
	if next, ok := Next(set, office.Location(), time.Now()); ok {
		next = next.UTC()
		out.Next = &next
	}
	if files, err := list(s.folder(set)); err == nil && files != nil {
		out.Files = files
	}
	return out, nil
}

func (s *Service) apiSettings(b store.BackupSettings) api.BackupSettings {
	return api.BackupSettings{Folder: s.folder(b), Time: b.Time, Retention: b.Retention, Nightly: !b.Off}
}

// Settings reads the backup settings as the API shows them.
func (s *Service) Settings(ctx context.Context) (api.BackupSettings, error) {
	var set store.BackupSettings
	err := s.src.Store.View(ctx, func(tx *store.Tx) (err error) { set, err = tx.BackupSettings(); return err })
	return s.apiSettings(set), err
}

// SettingsError is a backup setting that cannot work: which field, and why.
type SettingsError struct {
	Field string
	Why   apitext.Text // what to fix, in words for the person at the window
}

func (e *SettingsError) Error() string { return e.Field + ": " + e.Why.String() }

// PutSettings changes the backup settings; a folder is checked by creating
// it and writing a file in it, so a setting that cannot work is refused now
// rather than failing at night. The change is in the audit log as by says
// (who, from where).
func (s *Service) PutSettings(ctx context.Context, by store.AuditEntry, in api.BackupSettingsInput) (api.BackupSettings, error) {
	var out store.BackupSettings
	err := s.src.Store.Update(ctx, func(tx *store.Tx) error {
		b, err := tx.BackupSettings()
		if err != nil {
			return err
		}
		if in.Time != nil {
			if _, _, ok := parseClock(*in.Time); !ok {
				return &SettingsError{"time", apitext.New("backup.time_format", "{{.Got}} is not a time of day: give HH:MM on the 24-hour clock, such as 02:30", "Got", strconv.Quote(*in.Time))}
			}
			b.Time = *in.Time
		}
		if in.Retention != nil {
			if *in.Retention < 1 || *in.Retention > 365 {
				return &SettingsError{"retention", apitext.New("backup.retention_range", "{{.Got}} is out of range: keep from 1 to 365 backups", "Got", *in.Retention)}
			}
			b.Retention = *in.Retention
		}
		if in.Nightly != nil {
			b.Off = !*in.Nightly
		}
		if in.Folder != nil {
			f := strings.TrimSpace(*in.Folder)
			if f != "" {
				if err := s.checkFolder(f); err != nil {
					return err
				}
				f = filepath.Clean(f)
			}
			b.Folder = f
		}
		out = b
		if err := tx.PutBackupSettings(b); err != nil {
			return err
		}
		by.Action = "backup.settings"
		by.Detail = fmt.Sprintf("folder %q, time %s, keep %d, nightly %v", s.folder(b), b.Time, b.Retention, !b.Off)
		return tx.Audit(by)
	})
	if err != nil {
		return api.BackupSettings{}, err
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return s.apiSettings(out), nil
}

func (s *Service) checkFolder(f string) error {
	if !filepath.IsAbs(f) {
		return &SettingsError{"folder", apitext.New("backup.folder_not_full", "{{.Got}} is not a full path: give the folder's full path on the server, such as /srv/backups or D:\\Backups", "Got", strconv.Quote(f))}
	}
	data, _ := filepath.Abs(s.src.DataDir)
	if rel, err := filepath.Rel(data, filepath.Clean(f)); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return &SettingsError{"folder", apitext.New("backup.folder_inside_data", "the backup folder must be outside the data folder {{.Data}} (best on another disk)", "Data", data)}
	}
	if err := os.MkdirAll(f, 0o700); err != nil {
		return &SettingsError{"folder", apitext.New("backup.folder_create", "cannot create {{.Folder}} ({{.Err}}): create it, and let the service's account write to it", "Folder", f, "Err", err.Error())}
	}
	probe, err := os.CreateTemp(f, ".clientportal-write-test-*")
	if err != nil {
		return &SettingsError{"folder", apitext.New("backup.folder_write", "cannot write to {{.Folder}} ({{.Err}}): let the service's account write to it", "Folder", f, "Err", err.Error())}
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Run makes the nightly backups until ctx ends (a backup under way at the
// stop is abandoned: its partial file is removed). It reads the settings
// again at least hourly and whenever they change, so a new time, zone or
// folder takes effect without a restart.
func (s *Service) Run(ctx context.Context) { s.runFrom(ctx, time.Now()) }

// runFrom is Run with the schedule counted from from (the start, then each
// backup).
func (s *Service) runFrom(ctx context.Context, from time.Time) {
	for {
		var set store.BackupSettings
		var office store.Settings
		err := s.src.Store.View(ctx, func(tx *store.Tx) (err error) {
			if set, err = tx.BackupSettings(); err != nil {
				return err
			}
			office, err = tx.Settings()
			return err
		})
		if ctx.Err() != nil {
			return
		}
		wait := time.Hour
		if next, on := Next(set, office.Location(), from); err == nil && on {
			if !time.Now().Before(next) {
				from = time.Now()
				s.Backup(ctx, true)
				continue
			}
			wait = min(time.Until(next), time.Hour)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
			from = time.Now() // a new setting counts from now
		case <-t.C:
		}
		t.Stop()
	}
}
