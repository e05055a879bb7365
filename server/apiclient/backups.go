package apiclient

import (
	"context"
	"net/http"

	"clientportal/server/api"
)

// Backups reports the backups (admin only): the settings, the last one and
// its outcome, the next nightly one, and the archives kept.
func (c *Client) Backups(ctx context.Context) (api.Backups, error) {
	var out api.Backups
	return out, c.call(ctx, http.MethodGet, api.PathBackups, nil, nil, &out)
}

// BackupNow makes a backup into the backup folder now (admin only). A
// failed backup is an *api.Error with code backup_failed and what to do.
func (c *Client) BackupNow(ctx context.Context) (api.BackupResult, error) {
	var out api.BackupResult
	return out, c.call(ctx, http.MethodPost, api.PathBackups, nil, nil, &out)
}

// BackupSettings reads the backup settings (admin only).
func (c *Client) BackupSettings(ctx context.Context) (api.BackupSettings, error) {
	var out api.BackupSettings
	return out, c.call(ctx, http.MethodGet, api.PathSettingsBackup, nil, nil, &out)
}

// PutBackupSettings changes the backup settings in sets (admin only).
func (c *Client) PutBackupSettings(ctx context.Context, in api.BackupSettingsInput) (api.BackupSettings, error) {
	var out api.BackupSettings
	return out, c.call(ctx, http.MethodPut, api.PathSettingsBackup, nil, in, &out)
}

// ConfigCheck runs the configuration check (admin only).
func (c *Client) ConfigCheck(ctx context.Context) (api.ConfigReport, error) {
	var out api.ConfigReport
	return out, c.call(ctx, http.MethodGet, api.PathConfigCheck, nil, nil, &out)
}
