package api

import "time"

// BackupSettings say where and when the service backs itself up
// (GET, PUT /api/v1/settings/backup, admin only).
type BackupSettings struct {
	// Folder is where the nightly backups go; the answer always names it
	// (the default is the data folder's name with "-backups" added).
	Folder string `json:"folder"`
	// Time is the nightly backup's time of day, "HH:MM" in the office's
	// time zone.
	Time string `json:"time"`
	// Retention is how many backups the folder keeps (1 to 365).
	Retention int `json:"retention"`
	// Nightly false turns the nightly backup off.
	Nightly bool `json:"nightly"`
}

// BackupSettingsInput changes the backup settings; fields left out keep
// their value, folder "" is the default folder.
type BackupSettingsInput struct {
	Folder    *string `json:"folder"`
	Time      *string `json:"time"`
	Retention *int    `json:"retention"`
	Nightly   *bool   `json:"nightly"`
}

// BackupResult is one backup's outcome.
type BackupResult struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	File     string    `json:"file,omitempty"` // the archive's path on the server
	Size     int64     `json:"size"`           // bytes
	OK       bool      `json:"ok"`
	Error    string    `json:"error,omitempty"` // what went wrong, and what to do
	Nightly  bool      `json:"nightly"`         // false: asked for
}

// BackupFile is an archive in the backup folder.
type BackupFile struct {
	Name     string    `json:"name"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
}

// Backups is GET /api/v1/backups: the settings, the last backup, when the
// next one runs (absent when nightly backups are off), and the archives the
// folder keeps, newest first. POST /api/v1/backups makes one now and answers
// its BackupResult.
type Backups struct {
	Settings BackupSettings `json:"settings"`
	Last     *BackupResult  `json:"last,omitempty"`
	Next     *time.Time     `json:"next,omitempty"`
	Files    []BackupFile   `json:"files"`
}

// The outcomes of one item of the configuration check.
const (
	CheckOK      = "ok"      // works
	CheckWarning = "warning" // works, but needs attention soon or could not be checked
	CheckProblem = "problem" // does not work: Fix says what to do
	CheckSkipped = "skipped" // does not apply (e.g. no domain set)
)

// ConfigCheck is one item of the configuration check, in plain words.
type ConfigCheck struct {
	Name    string `json:"name"`   // "domain", "ports", "mail", "certificate", "office_key"
	Status  string `json:"status"` // CheckOK, CheckWarning, CheckProblem or CheckSkipped
	Summary string `json:"summary"`
	Fix     string `json:"fix,omitempty"` // what to do
}

// ConfigReport is GET /api/v1/config/check (admin only) and what
// `clientportal config check` prints.
type ConfigReport struct {
	Checked time.Time     `json:"checked"`
	OK      bool          `json:"ok"` // no problem found
	Checks  []ConfigCheck `json:"checks"`
}
