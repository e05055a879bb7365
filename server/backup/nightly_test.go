package backup

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/store"
)

// The nightly loop makes a backup once its time has come (here: the service
// started before midnight, and it is past 00:00 now), records it as nightly,
// and then waits for the next night.
func TestNightlyRuns(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := New(Source{Store: st, DataDir: dir, Version: "test"}, slog.New(slog.DiscardHandler))
	folder, at := filepath.Join(t.TempDir(), "nightly"), "00:00"
	if _, err := svc.PutSettings(context.Background(), store.AuditEntry{ActorKind: "system"}, api.BackupSettingsInput{Folder: &folder, Time: &at}); err != nil {
		t.Fatal(err)
	}
	<-svc.wake // the settings' wake-up, which Run would take
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	midnight := time.Date(time.Now().Year(), time.Now().Month(), time.Now().Day(), 0, 0, 0, 0, time.UTC)
	go func() { defer close(done); svc.runFrom(ctx, midnight.Add(-time.Minute)) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rep, err := svc.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Last != nil {
			if !rep.Last.OK || !rep.Last.Nightly || len(rep.Files) != 1 {
				t.Errorf("nightly backup: %+v, files %v", rep.Last, rep.Files)
			}
			if rep.Next == nil || time.Until(*rep.Next) > 24*time.Hour {
				t.Errorf("next %v, want within a day", rep.Next)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no nightly backup within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	if rep, _ := svc.Status(context.Background()); len(rep.Files) != 1 {
		t.Errorf("%d backups: the loop did not wait for the next night", len(rep.Files))
	}
	cancel()
	<-done
}
