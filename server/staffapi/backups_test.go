package staffapi_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// The backup routes are an administrator's: staff are refused; settings
// that cannot work are refused with the field and change nothing; a backup
// made now is reported, and both are in the audit log.
func TestBackupRoutes(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	staff := staffClient(t, env, "marcus@riverside.example")

	_, err := staff.Backups(ctx)
	wantCode(t, "Backups as staff", err, 403, "admin_only")
	_, err = staff.BackupNow(ctx)
	wantCode(t, "BackupNow as staff", err, 403, "admin_only")
	_, err = staff.PutBackupSettings(ctx, api.BackupSettingsInput{Retention: ptr(1)})
	wantCode(t, "PutBackupSettings as staff", err, 403, "admin_only")
	_, err = staff.ConfigCheck(ctx)
	wantCode(t, "ConfigCheck as staff", err, 403, "admin_only")

	def := ok[api.BackupSettings](t, "BackupSettings")(admin.BackupSettings(ctx))
	if def.Time != "02:30" || def.Retention != 7 || !def.Nightly || def.Folder != filepath.Dir(env.Store.Path())+"-backups" {
		t.Errorf("default backup settings %+v", def)
	}
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	for _, tc := range []struct {
		in    api.BackupSettingsInput
		field string
	}{
		{api.BackupSettingsInput{Time: ptr("2:30pm")}, "time"},
		{api.BackupSettingsInput{Retention: ptr(0)}, "retention"},
		{api.BackupSettingsInput{Retention: ptr(1000)}, "retention"},
		{api.BackupSettingsInput{Folder: ptr("relative/backups")}, "folder"},
		{api.BackupSettingsInput{Folder: ptr(filepath.Join(filepath.Dir(env.Store.Path()), "inside"))}, "folder"},
		{api.BackupSettingsInput{Folder: ptr(filepath.Join(file, "below-a-file"))}, "folder"},
		{api.BackupSettingsInput{Time: ptr("03:00"), Retention: ptr(-1)}, "retention"},
	} {
		_, err := admin.PutBackupSettings(ctx, tc.in)
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 422 || e.Field != tc.field {
			t.Errorf("PutBackupSettings(%+v): %v, want invalid %s", tc.in, err, tc.field)
		}
	}
	if got := ok[api.BackupSettings](t, "BackupSettings")(admin.BackupSettings(ctx)); got != def {
		t.Errorf("refused settings changed them: %+v", got)
	}
	folder := t.TempDir()
	set := ok[api.BackupSettings](t, "PutBackupSettings")(admin.PutBackupSettings(ctx, api.BackupSettingsInput{Folder: &folder, Retention: ptr(2), Nightly: ptr(false)}))
	if set.Folder != folder || set.Retention != 2 || set.Nightly || set.Time != "02:30" {
		t.Errorf("PutBackupSettings = %+v", set)
	}
	res := ok[api.BackupResult](t, "BackupNow")(admin.BackupNow(ctx))
	if !res.OK || filepath.Dir(res.File) != folder || res.Size == 0 || res.Nightly {
		t.Errorf("BackupNow = %+v", res)
	}
	rep := ok[api.Backups](t, "Backups")(admin.Backups(ctx))
	if rep.Last == nil || rep.Last.File != res.File || rep.Next != nil || len(rep.Files) != 1 {
		t.Errorf("Backups = %+v (nightly off: no next)", rep)
	}
	audit := ok[api.Page[api.AuditEntry]](t, "Audit")(admin.Audit(ctx, apiclient.AuditOptions{Limit: 2}))
	if len(audit.Items) != 2 || audit.Items[0].Action != "backup.create" || audit.Items[1].Action != "backup.settings" {
		t.Errorf("audit %+v", audit.Items)
	}
}
