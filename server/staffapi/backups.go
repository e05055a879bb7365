package staffapi

import (
	"errors"
	"net/http"
	"time"

	"clientportal/server/api"
	"clientportal/server/backup"
	"clientportal/server/httpsec"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// registerBackups adds the backup routes (admin only): the report, a backup
// now, and the settings.
func (a *API) registerBackups(mux Mux) {
	if a.backups == nil {
		for _, p := range []string{"GET " + api.PathBackups, "POST " + api.PathBackups, "GET " + api.PathSettingsBackup, "PUT " + api.PathSettingsBackup} {
			mux.Handle(p, a.admin(unavailable("backups")))
		}
		return
	}
	// A backup reads the whole office: one a minute at most, after a few.
	nowLimit := ratelimit.New(time.Minute, 3)
	mux.Handle("GET "+api.PathBackups, a.admin(func(w http.ResponseWriter, r request) error {
		b, err := a.backups.Status(r.ctx())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, b)
		return nil
	}))
	mux.Handle("POST "+api.PathBackups, httpsec.LongRunning(a.admin(func(w http.ResponseWriter, r request) error {
		if ok, wait := nowLimit.Take("office"); !ok {
			return api.ErrRateLimited.WithRetryAfter(wait)
		}
		rec, err := a.backups.Backup(r.ctx(), false)
		res := api.BackupResult(rec)
		if err != nil && rec.Started.IsZero() {
			return err
		}
		a.store.Update(r.ctx(), func(tx *store.Tx) error {
			e := r.auditEntry()
			e.Action, e.Target, e.Detail = "backup.create", res.File, res.Error
			return tx.Audit(e)
		})
		status := http.StatusCreated
		if !res.OK {
			status = http.StatusInternalServerError
			writeJSON(w, status, &api.Error{Status: status, Code: "backup_failed", Message: res.Error})
			return nil
		}
		writeJSON(w, status, res)
		return nil
	}), time.Minute, transferTimeout))
	mux.Handle("GET "+api.PathSettingsBackup, a.admin(func(w http.ResponseWriter, r request) error {
		b, err := a.backups.Settings(r.ctx())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, b)
		return nil
	}))
	mux.Handle("PUT "+api.PathSettingsBackup, a.admin(func(w http.ResponseWriter, r request) error {
		var in api.BackupSettingsInput
		if err := decode(w, r.Request, &in); err != nil {
			return err
		}
		b, err := a.backups.PutSettings(r.ctx(), r.auditEntry(), in)
		var se *backup.SettingsError
		if errors.As(err, &se) {
			return api.Invalid(se.Field, se.Why)
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, b)
		return nil
	}))
}

// auditEntry is the audit log's who and from where of r.
func (r request) auditEntry() store.AuditEntry {
	return store.AuditEntry{ActorKind: "staff", ActorID: r.me.ID, ActorName: r.me.Name, IP: r.ip}
}

// unavailable answers 503 for a part this service was built without.
func unavailable(what string) handler {
	return func(http.ResponseWriter, request) error {
		return &api.Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: "this service has no " + what}
	}
}
